from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "sfo.audit"
    label = "audit"
    verbose_name = "Audit"
