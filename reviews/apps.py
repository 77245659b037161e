from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "SFO cases and reviews"

    def ready(self) -> None:
        """Plug the redacted copy's PDF into the document queue."""
        from reviews import redacted_pdf

        redacted_pdf.register()
