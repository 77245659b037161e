"""Reads of central QA: the queue, a round with everything its page shows, and the feedback the
provider reads. Always through the case scope; the number of queries does not grow with the rows."""

from dataclasses import dataclass

from django.db.models import Case as When_
from django.db.models import F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.utils import timezone

from qa.models import AssessmentStatus, QAAssessment
from reviews.models import Case, ReviewVersion, VersionPurpose
from reviews.workflow import CaseState
from sfo.access import visible_cases
from sfo.clocks.calendar import WorkingCalendar
from sfo.clocks.models import Clock, ClockKind, ClockStatus, amber_threshold

S = CaseState
WITH_CENTRAL = [S.WITH_CENTRAL_TEAM, S.CENTRAL_QA]
QUEUE_PAGE_SIZE = 50
# High-profile and victim-disclosure cases are rated first.
EXPEDITED = Q(high_profile=True) | Q(disclosure_requested_on__isnull=False)


def queue(user, *, provider=None, state="", mode="", rating="", qa_reviewer=""):
    """Every case with the central team that `user` may see: high-profile and victim-disclosure
    cases first, then the oldest submission first. Each row carries its latest round (mode,
    status, QA reviewer), the latest review rating given, and its central QA clock, fetched in the
    one query."""
    rounds = QAAssessment.objects.filter(case=OuterRef("pk")).order_by("-round")
    rated = rounds.filter(status=AssessmentStatus.COMPLETED)
    clocks = Clock.objects.filter(case=OuterRef("pk"), kind=ClockKind.CENTRAL_QA).order_by(
        "-sequence"
    )
    cases = (
        visible_cases(user)
        .filter(state__in=[state] if state else WITH_CENTRAL)
        .select_related("managing_provider", "reviewing_provider")
        .annotate(
            expedite=When_(
                When(
                    Q(high_profile=True) | Q(disclosure_requested_on__isnull=False), then=Value(0)
                ),
                default=Value(1),
                output_field=IntegerField(),
            ),
            submitted_on=Subquery(clocks.values("started_on")[:1]),
            due_on=Subquery(clocks.values("due_on")[:1]),
            clock_status=Subquery(clocks.values("status")[:1]),
            qa_round=Subquery(rounds.values("round")[:1]),
            qa_mode=Subquery(rounds.values("mode")[:1]),
            qa_status=Subquery(rounds.values("status")[:1]),
            qa_reviewer_id=Subquery(rounds.values("qa_reviewer")[:1]),
            last_rating=Subquery(rated.values("review_rating__label")[:1]),
        )
    )
    if provider is not None:
        cases = cases.filter(
            Q(reviewing_provider=provider)
            | Q(reviewing_provider__isnull=True, managing_provider=provider)
        )
    if mode:
        cases = cases.filter(qa_mode=mode)
    if rating == "none":
        cases = cases.filter(last_rating__isnull=True)
    elif rating:
        cases = cases.filter(last_rating=rating)
    if qa_reviewer == "none":
        cases = cases.filter(qa_reviewer_id__isnull=True)
    elif qa_reviewer:
        cases = cases.filter(qa_reviewer_id=int(qa_reviewer))
    return cases.order_by("expedite", F("submitted_on").asc(nulls_last=True), "pk")


@dataclass
class QueueRow:
    case: Case
    rag: str
    days_left: int | None
    waiting_days: int | None
    qa_reviewer: object


def queue_rows(cases, people: dict) -> list[QueueRow]:
    """The clock's red/amber/green and the working days waited, for a page of the queue."""
    today, calendar = timezone.localdate(), WorkingCalendar.current()
    threshold = amber_threshold(today)
    rows = []
    for case in cases:
        rag, left, waited = "", None, None
        if case.submitted_on:
            waited = calendar.working_days_between(case.submitted_on, today)
        if case.clock_status == ClockStatus.RUNNING and case.due_on:
            left = calendar.working_days_between(today, case.due_on)
            rag = "red" if today > case.due_on else "amber" if left <= threshold else "green"
        elif case.clock_status:
            rag = case.clock_status
        rows.append(QueueRow(case, rag, left, waited, people.get(case.qa_reviewer_id)))
    return rows


def central_versions(case: Case):
    return ReviewVersion.objects.filter(review__case=case, purpose=VersionPurpose.CENTRAL).order_by(
        "number"
    )


def rounds_of(case: Case) -> list[QAAssessment]:
    """Every round of central QA of a case, oldest first, with what their pages show."""
    return list(
        QAAssessment.objects.filter(case=case)
        .select_related(
            "qa_reviewer", "completed_by", "version", "review_rating", "action_plan_rating"
        )
        .prefetch_related("answers__standard", "section_feedback")
        .order_by("round")
    )


def previously_rated(assessment: QAAssessment) -> QAAssessment | None:
    """The latest completed round before this one on an earlier version: what the QA reviewer
    compares the re-submission with."""
    return (
        QAAssessment.objects.filter(
            case_id=assessment.case_id,
            round__lt=assessment.round,
            status=AssessmentStatus.COMPLETED,
        )
        .exclude(version_id=assessment.version_id)
        .select_related("version")
        .order_by("-round")
        .first()
    )


def given_feedback(case: Case) -> list[QAAssessment]:
    """The rounds whose feedback has been given, latest first: what the provider reads."""
    return [r for r in reversed(rounds_of(case)) if r.is_completed]
