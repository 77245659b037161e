from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "sfo.documents"
    label = "documents"
    verbose_name = "Generated documents and the outbox"
