"""Central QA's feedback beside the review's sections while the review is amended: registered
with `reviews.remarks` so that the review's pages show it without importing this app."""

from django.urls import reverse

from qa.models import AssessmentStatus, QAAssessment
from reviews.remarks import Remarks
from reviews.workflow import CaseState
from sfo.access import QA_FEEDBACK_READERS


def central_feedback(user, case) -> Remarks | None:
    """The latest round's feedback, for the provider's SFO staff and the central team, while the
    review is returned for amendments. Never for an independent assessor."""
    if case.state != CaseState.RETURNED_FOR_AMENDMENTS or not QA_FEEDBACK_READERS.allows(user):
        return None
    latest = (
        QAAssessment.objects.filter(case=case, status=AssessmentStatus.COMPLETED)
        .select_related("completed_by")
        .prefetch_related("section_feedback")
        .order_by("-round")
        .first()
    )
    if latest is None:
        return None
    sections: dict[str, list[str]] = {}
    for remark in latest.section_feedback.all():
        sections.setdefault(remark.section, []).append(remark.comment)
    who = latest.completed_by.get_full_name() or latest.completed_by.username
    return Remarks(
        title=f"Central QA feedback, round {latest.round}, given by {who} on "
        f"{latest.completed_at:%-d %B %Y}",
        overall=latest.feedback,
        sections=sections,
        url=reverse("qa:feedback", args=[case.pk]),
        link_text="Read the whole central QA feedback",
    )
