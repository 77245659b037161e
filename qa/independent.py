"""The independent assessor's own assessment of a sampled review (issue 6, item 6): saved as a
draft, then submitted. Only the assessor the case was sampled for may write it; a refusal is
recorded. Blind: nothing here reads the central assessment, and the pages show it only once
`is_submitted` (see `central_visible_to`)."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from qa.models import (
    IndependentAnswer,
    IndependentAssessment,
    IndependentStatus,
    RatingLevel,
    SampleAssignment,
)
from reviews.models import Answer
from sfo.access import INDEPENDENT_ASSESSORS, ensure
from sfo.audit.services import record_access

ONLY_THE_ASSESSOR = "Only the assessor this review was sampled for may assess it."


class EditedMeanwhile(ValidationError):
    """The assessment was saved elsewhere (another tab) after this page was drawn."""

    def __init__(self):
        super().__init__(
            "This assessment was saved somewhere else since you opened it: your changes were not "
            "saved."
        )


@dataclass
class Draft:
    """What the assessor entered: answers by standard key as (answer, comment), the two ratings
    (levels of the sample's scale, or None) and the overall comment."""

    answers: dict[int, tuple[str, str]]
    review_rating: RatingLevel | None
    action_plan_rating: RatingLevel | None
    comment: str = ""


def may_assess(user, assignment: SampleAssignment) -> bool:
    return INDEPENDENT_ASSESSORS.allows(user) and assignment.assessor_id == user.pk


def central_visible_to(user, assignment: SampleAssignment) -> bool:
    """Whether this assessor may now see the central assessment: once theirs is submitted."""
    assessment = getattr(assignment, "assessment", None)
    return bool(may_assess(user, assignment) and assessment is not None and assessment.is_submitted)


def ensure_may_assess(user, assignment: SampleAssignment, request=None) -> None:
    ensure(user, INDEPENDENT_ASSESSORS, request)
    if assignment.assessor_id != user.pk:
        record_access(request or user, assignment, action="assess", allowed=False)
        raise PermissionDenied(ONLY_THE_ASSESSOR)


def assessment_of(assignment: SampleAssignment) -> IndependentAssessment:
    """The assignment's assessment, a fresh draft if none is saved yet (not stored)."""
    existing = IndependentAssessment.objects.filter(assignment=assignment).first()
    return existing or IndependentAssessment(assignment=assignment)


def _checked(assignment: SampleAssignment, draft: Draft) -> None:
    sample = assignment.sample
    allowed = set(sample.standards.questions.values_list("pk", flat=True)) if sample else set()
    for key, (answer, _comment) in draft.answers.items():
        if key not in allowed:
            raise ValidationError("Answer only the standards of this sample.")
        if answer and answer not in Answer.values:
            raise ValidationError("Answer each standard yes, partly or no.")
    for level in (draft.review_rating, draft.action_plan_rating):
        if level is not None and (sample is None or level.scale_id != sample.scale_id):
            raise ValidationError("Rate on the independent scale of this sample.")


def _store(assignment: SampleAssignment, draft: Draft, edit_version: int | None):
    _checked(assignment, draft)
    assessment, _ = IndependentAssessment.objects.select_for_update().get_or_create(
        assignment=assignment
    )
    if assessment.is_submitted:
        raise ValidationError("This assessment is already submitted: it can no longer change.")
    if edit_version is not None and edit_version != assessment.edit_version:
        raise EditedMeanwhile()
    assessment.review_rating = draft.review_rating
    assessment.action_plan_rating = draft.action_plan_rating
    assessment.comment = draft.comment.strip()
    assessment.edit_version += 1
    answered = {key: value for key, value in draft.answers.items() if value[0]}
    assessment.answers.exclude(standard_id__in=answered).delete()
    for key, (answer, comment) in answered.items():
        IndependentAnswer.objects.update_or_create(
            assessment=assessment,
            standard_id=key,
            defaults={"answer": answer, "comment": comment.strip()},
        )
    return assessment


def save_draft(
    *, assignment: SampleAssignment, by, draft: Draft, edit_version: int | None, request=None
) -> IndependentAssessment:
    """Save the assessor's answers and ratings so far (any may be blank). Refused unless `by` is
    the assignment's assessor; refused with EditedMeanwhile if it was saved elsewhere since the
    page showed `edit_version`."""
    ensure_may_assess(by, assignment, request)  # outside the transaction: a refusal stays recorded
    with transaction.atomic():
        assessment = _store(assignment, draft, edit_version)
        assessment.save()
    return assessment


def submit(
    *, assignment: SampleAssignment, by, draft: Draft, edit_version: int | None, request=None
) -> IndependentAssessment:
    """Draft → submitted: every standard of the sample answered, and both ratings given. From
    then on the assessor sees the central assessment beside theirs, and nothing changes."""
    ensure_may_assess(by, assignment, request)
    questions = list(assignment.sample.standards.questions.order_by("position"))
    missing = [q for q in questions if not draft.answers.get(q.pk, ("", ""))[0]]
    problems = [f"Answer standard {q.position} before you submit" for q in missing]
    if draft.review_rating is None:
        problems.append("Rate the review before you submit")
    if draft.action_plan_rating is None:
        problems.append("Rate the action plan before you submit")
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        assessment = _store(assignment, draft, edit_version)
        assessment.status = IndependentStatus.SUBMITTED
        assessment.submitted_at = timezone.now()
        assessment.save()
    return assessment
