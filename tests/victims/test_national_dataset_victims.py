"""The synthetic national dataset grows victims and families: one to three people a case, the
entitlement task and contacts of those whose case entitles them, and the few requests for
disclosure with their assessments, meetings and feedback."""

import io
from collections import Counter
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db.models import Min
from django.utils import timezone

from reviews.models import Case
from victims.models import (
    INFORMING_OUTCOMES,
    ContactAttempt,
    Decision,
    DisclosureMeeting,
    DisclosureRequest,
    EntitlementTask,
    RequestState,
    TaskStatus,
    Victim,
    VulnerabilityAssessment,
)
from victims.services import is_entitled

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year - 1
# Last year and this: old convictions with their requests through to feedback, and recent ones
# whose tasks are still open.
ARGS = ["--years", str(YEAR), str(YEAR + 1), "--per-year", "120", "--seed", "2018"]


def generate(*args: str) -> str:
    out = io.StringIO()
    call_command("generate_national_dataset", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(db):
    call_command("load_demo_data", no_logins=True, stdout=io.StringIO())


def synthetic():
    return Case.objects.filter(crn__startswith="S")


def listing():
    """The victims' records of the synthetic cases, without database ids, in a stable order."""
    people = list(
        Victim.objects.filter(case__in=synthetic())
        .order_by("case__crn", "created_at", "full_name")
        .values_list(
            "case__crn",
            "full_name",
            "relationship",
            "vcs",
            "created_at",
            "entitlement__status",
            "entitlement__informed_on",
        )
    )
    requests = list(
        DisclosureRequest.objects.filter(victim__case__in=synthetic())
        .order_by("victim__case__crn", "requested_on", "victim__full_name")
        .values_list("victim__case__crn", "requested_on", "state", "review_on")
    )
    contacts = ContactAttempt.objects.filter(victim__case__in=synthetic()).count()
    return people, requests, contacts


def test_the_dataset_grows_victims_requests_and_disclosures(demo):
    today = timezone.localdate()
    demo_victims = set(Victim.objects.values_list("pk", flat=True))
    summary = generate(*ARGS)
    victims = Victim.objects.filter(case__in=synthetic())
    assert victims.exists() and not victims.filter(pk__in=demo_victims).exists()

    # One to three people a case; a victim first unless the offence killed them.
    per_case = Counter(victims.values_list("case", flat=True))
    assert set(per_case.values()) == {1, 2, 3}
    # Recorded 1 to 15 working days after the first hearing: only the latest cases have none yet.
    without = synthetic().exclude(pk__in=list(per_case))
    assert not without.filter(first_hearing_date__lt=today - timedelta(days=30)).exists()
    assert victims.filter(relationship="family").exists()
    assert victims.filter(relationship="victim").exists()
    assert not victims.filter(victim_died=True, relationship="victim").exists()

    # The entitlement task for exactly the people whose case entitles them.
    entitled = {case.pk for case in synthetic() if is_entitled(case)}
    assert entitled
    tasks = EntitlementTask.objects.filter(victim__case__in=synthetic()).select_related("victim")
    assert {t.victim.case_id for t in tasks} == entitled
    assert tasks.count() == victims.filter(case__in=entitled).count()
    done = [t for t in tasks if t.status == TaskStatus.DONE]
    assert 0.7 * len(tasks) <= len(done) < len(tasks)  # most told; some not (yet)
    in_time = [t for t in done if t.informed_on <= t.due_on]
    assert 0.7 * len(done) <= len(in_time) < len(done)  # most within the clock, some late
    contacts = ContactAttempt.objects.filter(victim__case__in=synthetic())
    told_by = {
        c.victim_id: c.made_on for c in contacts.filter(outcome__in=list(INFORMING_OUTCOMES))
    }
    for task in tasks:
        assert task.started_on >= task.victim.case.court_outcome_date
        if task.status == TaskStatus.DONE:
            assert told_by[task.victim_id] == task.informed_on <= today
        else:
            assert task.victim_id not in told_by
    assert not contacts.filter(made_on__gt=today).exists()
    assert not contacts.filter(victim__entitlement__isnull=True).exists()

    # Few ask: 12.5% of those told, as a quota; only those told, after being told.
    requests = DisclosureRequest.objects.filter(victim__case__in=synthetic()).select_related(
        "victim__entitlement"
    )
    assert requests.count() == round(0.125 * len(done)) > 3
    for request in requests:
        assert request.victim.entitlement.status == TaskStatus.DONE
        assert request.victim.entitlement.informed_on <= request.requested_on <= today
        steps = list(request.steps.order_by("at", "pk"))
        assert steps[0].from_state == "" and steps[0].to_state == RequestState.REQUESTED
        assert steps[-1].to_state == request.state
        for before, after in zip(steps, steps[1:], strict=False):
            assert after.from_state == before.to_state and after.at >= before.at
    states = Counter(requests.values_list("state", flat=True))
    assert states[RequestState.FEEDBACK_RECORDED] + states[RequestState.DISCLOSED] > 0

    # Assessments signed off for most; every meeting's request signed off to proceed first.
    assessments = VulnerabilityAssessment.objects.filter(request__in=requests)
    signed = assessments.filter(signed_off_at__isnull=False)
    assert assessments.exists() and signed.count() >= 0.7 * assessments.count()
    for assessment in signed:
        assert assessment.assessed_at <= assessment.signed_off_at
        assert assessment.request.requested_on <= timezone.localtime(assessment.assessed_at).date()
    meetings = DisclosureMeeting.objects.filter(request__in=requests).select_related("request")
    assert meetings.exists() and meetings.count() < requests.count()
    for meeting in meetings:
        latest = meeting.request.assessments.order_by("-pk").first()
        assert latest.signed_off_at is not None
        assert latest.decision in (Decision.PROCEED, Decision.PROCEED_WITH_ADJUSTMENTS)
        assert timezone.localtime(latest.signed_off_at).date() <= meeting.held_on <= today
        assert meeting.request.state in (RequestState.DISCLOSED, RequestState.FEEDBACK_RECORDED)
        assert (meeting.request.state == RequestState.FEEDBACK_RECORDED) == bool(
            meeting.feedback_at
        )
    assert meetings.filter(feedback_at__isnull=False).exists()

    # The case is flagged for the central team from its first request.
    first = dict(
        requests.values("victim__case")
        .annotate(first=Min("requested_on"))
        .values_list("victim__case", "first")
    )
    flagged = dict(
        synthetic()
        .filter(disclosure_requested_on__isnull=False)
        .values_list("pk", "disclosure_requested_on")
    )
    assert flagged == first

    # The summary says what was made.
    assert "Victims and families:" in summary
    assert f"{requests.count()} requests for disclosure" in summary
    assert f"{victims.count()} victims and family members" in summary


def test_replacing_makes_the_same_victims_again_and_leaves_the_demo_alone(demo):
    demo_victims = Victim.objects.exclude(case__crn__startswith="S").count()
    generate(*ARGS)
    first = listing()
    assert first[0] and first[1]
    generate(*ARGS, "--replace")
    assert listing() == first
    assert Victim.objects.exclude(case__crn__startswith="S").count() == demo_victims
    generate("--years", str(YEAR), "--per-year", "40", "--seed", "9", "--replace")
    assert listing() != first
    assert synthetic().count() == 40
