"""The documents of central QA, plugged into the document queue (`sfo.documents`): the feedback
letter of a round for the provider. The concordance report of the independent QA registers itself
from `qa.concordance_pdf`."""

from collections.abc import Callable

from django.conf import settings
from django.utils import timezone

from qa.models import QAAssessment
from reviews.authoring import may_read_review
from reviews.models import SectionKey
from sfo.access import QA_FEEDBACK_READERS
from sfo.documents.models import DocumentKind
from sfo.documents.services import queue_document, register_kind
from sfo.pdf import render_pdf

LETTER_TEMPLATE = "qa/pdf/feedback_letter.html"


def may_see_letter(user, job) -> bool:
    """The letter holds the ratings and the feedback: for the SFO staff of the case's providers
    who may read its review, and the central QA team. Never an independent assessor."""
    return (
        job.case_id is not None
        and QA_FEEDBACK_READERS.allows(user)
        and may_read_review(user, job.case)
    )


def request_feedback_letter(assessment: QAAssessment, *, by):
    return queue_document(
        kind=DocumentKind.QA_FEEDBACK,
        by=by,
        case=assessment.case,
        params={"assessment": assessment.pk},
    )


def letter_context(assessment: QAAssessment, requested_by) -> dict:
    case = assessment.case
    sections = [
        (SectionKey(remark.section).label, remark.comment)
        for remark in assessment.section_feedback.all()
    ]
    return {
        "case": case,
        "assessment": assessment,
        "answers": list(assessment.answers.select_related("standard")),
        "sections": sections,
        "provider": case.review_provider,
        "protective_marking": settings.PROTECTIVE_MARKING,
        "generated_at": timezone.now(),
        "requested_by": requested_by,
    }


def render_feedback_letter(job, progress: Callable[[int], None]) -> tuple[str, bytes]:
    """The letter to the reviewing provider: what was rated, the ratings, the answers to the
    standards, the feedback against sections and overall, and what happens next."""
    assessment = (
        QAAssessment.objects.select_related(
            "case__managing_provider",
            "case__reviewing_provider",
            "version",
            "review_rating",
            "action_plan_rating",
            "completed_by",
            "standards",
        )
        .prefetch_related("section_feedback")
        .get(pk=job.params["assessment"], case_id=job.case_id)
    )
    context = letter_context(assessment, job.requested_by)
    progress(30)
    content = render_pdf(LETTER_TEMPLATE, context)
    slug = (assessment.case.reference or f"case-{assessment.case_id}").lower()
    return f"qa-feedback-{slug}-round-{assessment.round}.pdf", content


def register() -> None:
    register_kind(DocumentKind.QA_FEEDBACK, renderer=render_feedback_letter, may_see=may_see_letter)
    from qa import concordance_pdf

    concordance_pdf.register()
