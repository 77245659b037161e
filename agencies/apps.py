from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "agencies"
    verbose_name = "Other agencies"

    def ready(self) -> None:
        """Plug the agency's extract into the document queue: the documents app never imports
        this one."""
        from agencies import extract

        extract.register()
