"""A crafted set of clocks around one Wednesday, and the people who own or oversee them."""

from datetime import date

import pytest

from reviews.models import Case, CaseTransition
from reviews.workflow import CaseState
from sfo.alerts import defaults as alert_defaults
from sfo.clocks import defaults as clock_defaults
from sfo.clocks.models import Clock, ClockPolicy, ClockStatus
from sfo.people.roles import Role
from tests.reviews.conftest import world  # noqa: F401 - shared fixture

# Wednesday 14 January 2026. With the default 3 working days the reminder window ends on Monday
# 19 January (Thursday 15 is day 1, Friday 16 day 2, Monday 19 day 3).
TODAY = date(2026, 1, 14)


@pytest.fixture
def policies(db):
    """The seeded policies, restored in case a transactional test flushed them."""
    clock_defaults.seed()
    alert_defaults.seed()


def make_case(world, key="a", *, state=CaseState.IDENTIFIED, **fields):  # noqa: F811
    n = Case.objects.count() + 1
    fields.setdefault("identified_by", world[key][Role.SFO_REVIEWER])
    return Case.objects.create(
        state=state,
        crn=f"A{n:06d}",
        person_name=f"Person {n}",
        managing_provider=world[key]["provider"],
        **fields,
    )


def make_clock(case, kind, due_on, *, status=ClockStatus.RUNNING, started_on=date(2025, 12, 1)):
    extra = {}
    if status == ClockStatus.STOPPED:
        extra["stopped_on"] = started_on
    if status == ClockStatus.MET:
        extra["met_on"] = started_on
    return Clock.objects.create(
        case=case,
        kind=kind,
        policy=ClockPolicy.applying_to(kind, started_on),
        status=status,
        started_on=started_on,
        due_on=due_on,
        **extra,
    )


def taken_for_qa(case, by):
    CaseTransition.objects.create(
        case=case, name="take_for_qa", from_state="with_central_team", to_state="central_qa", by=by
    )


@pytest.fixture
def clocks(world, policies):  # noqa: F811
    """One clock for each thing the sweep does, and some it must leave alone."""
    central = world["central"]
    central[Role.CENTRAL_QA_REVIEWER].line_manager = central[Role.CENTRAL_QA_MANAGER]
    central[Role.CENTRAL_QA_REVIEWER].save()
    for group in world.values():
        for user in group.values():
            if getattr(user, "username", None):
                type(user).objects.filter(pk=user.pk).update(
                    email=f"{user.username}@example.gov.uk"
                )

    qa_case = make_case(world, state=CaseState.CENTRAL_QA)
    taken_for_qa(qa_case, central[Role.CENTRAL_QA_REVIEWER])
    return {
        # Due Friday: within the window, a reminder to the person who identified the case.
        "reminder": make_clock(make_case(world), "notification", date(2026, 1, 16)),
        # Due on the edge of the window (day 3).
        "edge": make_clock(make_case(world), "notification", date(2026, 1, 19)),
        # Due Tuesday 20: beyond the window, nothing.
        "beyond": make_clock(make_case(world), "notification", date(2026, 1, 20)),
        # A registered case with no reviewer: its review managers are warned on the due day.
        "due_today": make_clock(
            make_case(world, state=CaseState.REGISTERED),
            "review",
            TODAY,
            started_on=date(2025, 10, 14),
        ),
        # Overdue early look: its owner, their line manager and the central QA manager hear.
        "overdue": make_clock(make_case(world), "early_look", date(2026, 1, 12)),
        # Overdue central QA clock: the QA reviewer who took it, and the central QA manager (who
        # is also that reviewer's line manager: told once).
        "central_qa": make_clock(qa_case, "central_qa", date(2026, 1, 13)),
        # Stopped or met clocks are not counting down: nothing.
        "stopped": make_clock(
            make_case(world), "early_look", date(2026, 1, 5), status=ClockStatus.STOPPED
        ),
        "met": make_clock(make_case(world), "early_look", date(2026, 1, 5), status=ClockStatus.MET),
    }


def expected_alerts(world, clocks):  # noqa: F811
    a, central = world["a"], world["central"]
    return {
        (clocks["reminder"].pk, "reminder", a[Role.SFO_REVIEWER].username),
        (clocks["edge"].pk, "reminder", a[Role.SFO_REVIEWER].username),
        (clocks["due_today"].pk, "due_today", a[Role.SFO_REVIEW_MANAGER].username),
        (clocks["overdue"].pk, "overdue", a[Role.SFO_REVIEWER].username),
        (clocks["overdue"].pk, "escalation", a[Role.SFO_REVIEW_MANAGER].username),
        (clocks["overdue"].pk, "escalation", central[Role.CENTRAL_QA_MANAGER].username),
        (clocks["central_qa"].pk, "overdue", central[Role.CENTRAL_QA_REVIEWER].username),
        (clocks["central_qa"].pk, "escalation", central[Role.CENTRAL_QA_MANAGER].username),
    }


def alerts_now():
    from sfo.alerts.models import Alert

    return set(Alert.objects.values_list("clock_id", "kind", "recipient__username"))
