from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "insights"
    verbose_name = "The national picture"

    def ready(self) -> None:
        """Plug the annual report into the document queue: the documents app never imports this
        one."""
        from insights import report

        report.register()
