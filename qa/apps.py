from django.apps import AppConfig


class QaConfig(AppConfig):
    name = "qa"
    verbose_name = "Quality assurance"

    def ready(self) -> None:
        """Open a round of central QA for each submission, plug the QA documents into the
        document queue, and show the feedback beside the review's sections: the review app and
        the document app never import this one."""
        from qa import documents, journeys
        from qa.remarks import central_feedback
        from qa.services import on_review_submitted
        from reviews import journeys as review_journeys
        from reviews import remarks
        from reviews.signals import review_submitted

        review_submitted.connect(on_review_submitted, dispatch_uid="qa.open_round")
        documents.register()
        remarks.register(central_feedback)
        review_journeys.register_steps(journeys.STEPS)
