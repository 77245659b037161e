from django.apps import AppConfig


class OffencesConfig(AppConfig):
    name = "offences"
    verbose_name = "Qualifying offences"
