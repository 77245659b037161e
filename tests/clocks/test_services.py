"""Starting, extending, stopping, restarting, meeting, cancelling and recomputing clocks: every
change of a due date is a recorded event."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from sfo.clocks.models import (
    Clock,
    ClockEventKind,
    ClockKind,
    ClockStatus,
    ExtensionStatus,
    ExtraNonWorkingDay,
)
from sfo.clocks.services import (
    cancel_clock,
    decide_extension,
    meet_clock,
    recompute_open_clocks,
    request_extension,
    restart_clock,
    start_clock,
    stop_clock,
)
from sfo.people.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FIRST_HEARING = date(2026, 12, 18)


def kinds(clock):
    return [event.kind for event in clock.events.order_by("pk")]


def test_the_first_hearing_starts_a_notification_clock_due_after_the_holidays(case):
    clock = start_clock(case, ClockKind.NOTIFICATION, FIRST_HEARING)
    assert clock.due_on == date(2027, 1, 6)
    assert clock.status == ClockStatus.RUNNING
    started = clock.events.get()
    assert started.kind == ClockEventKind.STARTED
    assert (started.due_on_before, started.due_on_after) == (None, date(2027, 1, 6))


def test_the_review_clock_runs_three_calendar_months_from_notification(case):
    clock = start_clock(case, ClockKind.REVIEW, date(2026, 11, 30))
    assert clock.due_on == date(2027, 2, 28)


def test_a_second_open_clock_of_one_kind_is_refused_by_the_service(case):
    start_clock(case, ClockKind.NOTIFICATION, FIRST_HEARING)
    with pytest.raises(ValidationError):
        start_clock(case, ClockKind.NOTIFICATION, FIRST_HEARING)


def test_a_second_running_clock_of_one_kind_is_refused_by_the_database(case):
    clock = start_clock(case, ClockKind.CENTRAL_QA, date(2027, 2, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Clock.objects.create(
            case=case,
            kind=ClockKind.CENTRAL_QA,
            sequence=2,
            policy=clock.policy,
            started_on=date(2027, 2, 2),
            due_on=date(2027, 3, 2),
        )


def test_each_submission_starts_a_new_central_qa_clock(case):
    first = start_clock(case, ClockKind.CENTRAL_QA, date(2027, 2, 1))
    meet_clock(first, date(2027, 2, 20))
    second = start_clock(case, ClockKind.CENTRAL_QA, date(2027, 3, 1))
    assert (first.sequence, second.sequence) == (1, 2)
    assert case.clocks.filter(kind=ClockKind.CENTRAL_QA).count() == 2


def test_an_approved_extension_moves_the_due_date_and_is_recorded(
    case, provider_manager, qa_manager
):
    clock = start_clock(case, ClockKind.NOTIFICATION, FIRST_HEARING)
    extension = request_extension(clock, 5, "Awaiting police records", provider_manager)
    clock.refresh_from_db()
    assert clock.due_on == date(2027, 1, 6)  # a request alone moves nothing

    decide_extension(extension, True, 3, qa_manager)
    clock.refresh_from_db()
    extension.refresh_from_db()
    assert extension.status == ExtensionStatus.APPROVED
    assert extension.days_granted == 3
    assert clock.due_on == date(2027, 1, 11)
    extended = clock.events.get(kind=ClockEventKind.EXTENDED)
    assert (extended.due_on_before, extended.due_on_after) == (date(2027, 1, 6), date(2027, 1, 11))
    assert (extended.by, extended.days) == (qa_manager, 3)


def test_an_extension_of_a_month_clock_counts_calendar_days(case, provider_manager, qa_manager):
    clock = start_clock(case, ClockKind.REVIEW, date(2026, 11, 30))
    extension = request_extension(clock, 14, "Interviews delayed", provider_manager)
    decide_extension(extension, True, None, qa_manager)
    clock.refresh_from_db()
    assert clock.due_on == date(2027, 3, 14)


def test_a_refused_extension_does_not_move_the_due_date(case, provider_manager, qa_manager):
    clock = start_clock(case, ClockKind.NOTIFICATION, FIRST_HEARING)
    extension = request_extension(clock, 5, "Awaiting police records", provider_manager)
    decide_extension(extension, False, None, qa_manager, note="Not needed for the notification")
    clock.refresh_from_db()
    extension.refresh_from_db()
    assert extension.status == ExtensionStatus.REFUSED
    assert clock.due_on == date(2027, 1, 6)
    assert kinds(clock)[-1] == ClockEventKind.EXTENSION_REFUSED


@pytest.mark.parametrize(
    "role",
    [r for r in Role if r != Role.CENTRAL_QA_MANAGER],
    ids=[r.value for r in Role if r != Role.CENTRAL_QA_MANAGER],
)
def test_only_the_central_qa_manager_can_decide_an_extension(case, provider_manager, role):
    clock = start_clock(case, ClockKind.NOTIFICATION, FIRST_HEARING)
    extension = request_extension(clock, 5, "Awaiting police records", provider_manager)
    with pytest.raises(PermissionDenied):
        decide_extension(extension, True, 5, UserFactory(role=role))
    extension.refresh_from_db()
    clock.refresh_from_db()
    assert extension.status == ExtensionStatus.REQUESTED
    assert clock.due_on == date(2027, 1, 6)


def test_an_extension_is_decided_once(case, provider_manager, qa_manager):
    clock = start_clock(case, ClockKind.NOTIFICATION, FIRST_HEARING)
    extension = request_extension(clock, 5, "Awaiting police records", provider_manager)
    decide_extension(extension, True, 5, qa_manager)
    with pytest.raises(ValidationError):
        decide_extension(extension, True, 5, qa_manager)


def test_one_extension_waits_for_a_decision_at_a_time(case, provider_manager):
    clock = start_clock(case, ClockKind.NOTIFICATION, FIRST_HEARING)
    request_extension(clock, 5, "Awaiting police records", provider_manager)
    with pytest.raises(ValidationError):
        request_extension(clock, 2, "And more", provider_manager)


def test_stopping_and_restarting_moves_the_due_date_by_the_working_days_stopped(
    case, provider_manager
):
    clock = start_clock(case, ClockKind.CENTRAL_QA, date(2027, 3, 1))
    assert clock.due_on == date(2027, 3, 31)  # Good Friday and Easter Monday skipped
    stop_clock(clock, date(2027, 3, 8), "Awaiting advice from the CPS", provider_manager)
    assert clock.status == ClockStatus.STOPPED
    assert clock.due_on == date(2027, 3, 31)

    # Monday 8 to Monday 15 March: five working days stopped.
    restart_clock(clock, date(2027, 3, 15), "CPS advice received", provider_manager)
    assert clock.status == ClockStatus.RUNNING
    assert clock.due_on == date(2027, 4, 7)
    restarted = clock.events.get(kind=ClockEventKind.RESTARTED)
    assert restarted.days == 5
    assert (restarted.due_on_before, restarted.due_on_after) == (
        date(2027, 3, 31),
        date(2027, 4, 7),
    )


def test_a_month_clock_moves_by_the_calendar_days_stopped(case, provider_manager):
    clock = start_clock(case, ClockKind.REVIEW, date(2027, 1, 15))
    stop_clock(clock, date(2027, 2, 1), "Awaiting advice from the CPS", provider_manager)
    restart_clock(clock, date(2027, 2, 11), "CPS advice received", provider_manager)
    assert clock.due_on == date(2027, 4, 25)


def test_only_a_running_clock_stops_and_only_a_stopped_one_restarts(case, provider_manager):
    clock = start_clock(case, ClockKind.NOTIFICATION, FIRST_HEARING)
    with pytest.raises(ValidationError):
        restart_clock(clock, date(2026, 12, 21), "Never stopped", provider_manager)
    stop_clock(clock, date(2026, 12, 21), "Awaiting advice from the CPS", provider_manager)
    with pytest.raises(ValidationError):
        stop_clock(clock, date(2026, 12, 22), "Again", provider_manager)
    with pytest.raises(ValidationError):
        restart_clock(clock, date(2026, 12, 20), "Before it stopped", provider_manager)


def test_meeting_a_clock_records_when_and_whether_late(case, provider_manager):
    clock = start_clock(case, ClockKind.NOTIFICATION, FIRST_HEARING)
    meet_clock(clock, date(2027, 1, 7), provider_manager)
    assert clock.status == ClockStatus.MET
    assert clock.met_on == date(2027, 1, 7)
    assert clock.met_late
    with pytest.raises(ValidationError):
        meet_clock(clock, date(2027, 1, 8), provider_manager)


def test_cancelling_a_clock_closes_it_and_lets_another_start(case, qa_manager):
    clock = start_clock(case, ClockKind.REVIEW, date(2027, 1, 15))
    cancel_clock(clock, "Notification rejected", qa_manager)
    assert clock.status == ClockStatus.CANCELLED
    assert kinds(clock) == [ClockEventKind.STARTED, ClockEventKind.CANCELLED]
    assert start_clock(case, ClockKind.REVIEW, date(2027, 2, 1)).sequence == 2


def test_a_one_off_holiday_moves_open_clocks_only_when_recomputed(
    case, provider_manager, qa_manager, administrator
):
    clock = start_clock(case, ClockKind.CENTRAL_QA, date(2027, 6, 1))
    assert clock.due_on == date(2027, 6, 29)
    extension = request_extension(clock, 2, "Victim asked for disclosure", provider_manager)
    decide_extension(extension, True, 2, qa_manager)
    stop_clock(clock, date(2027, 6, 7), "Awaiting advice from the CPS", provider_manager)
    restart_clock(clock, date(2027, 6, 9), "Advice received", provider_manager)
    clock.refresh_from_db()
    assert clock.due_on == date(2027, 7, 5)  # + 2 granted, + 2 stopped (8 and 9 June)
    met = start_clock(case, ClockKind.NOTIFICATION, date(2027, 6, 1))
    meet_clock(met, date(2027, 6, 3))

    assert recompute_open_clocks(administrator, "Nothing changed") == 0

    ExtraNonWorkingDay.objects.create(date=date(2027, 6, 15), reason="One-off holiday")
    clock.refresh_from_db()
    assert clock.due_on == date(2027, 7, 5)  # not moved by itself

    assert recompute_open_clocks(administrator, "One-off holiday on 15 June 2027") == 1
    clock.refresh_from_db()
    assert clock.due_on == date(2027, 7, 6)  # replayed: start, extension and stop
    met.refresh_from_db()
    assert met.due_on == date(2027, 6, 15)  # a met clock is history


def test_a_holiday_while_a_clock_was_stopped_is_not_counted_twice(
    case, provider_manager, administrator
):
    clock = start_clock(case, ClockKind.CENTRAL_QA, date(2027, 6, 1))
    stop_clock(clock, date(2027, 6, 7), "Awaiting advice from the CPS", provider_manager)
    restart_clock(clock, date(2027, 6, 9), "Advice received", provider_manager)
    assert clock.due_on == date(2027, 7, 1)
    ExtraNonWorkingDay.objects.create(date=date(2027, 6, 8), reason="One-off holiday")
    # The base date moves a day later, but the stop now covers one working day, not two.
    assert recompute_open_clocks(administrator, "One-off holiday on 8 June 2027") == 0
    clock.refresh_from_db()
    assert clock.due_on == date(2027, 7, 1)


def test_recomputing_records_the_change(case, administrator):
    clock = start_clock(case, ClockKind.NOTIFICATION, date(2027, 6, 1))
    assert clock.due_on == date(2027, 6, 15)
    ExtraNonWorkingDay.objects.create(date=date(2027, 6, 4), reason="One-off holiday")
    assert recompute_open_clocks(administrator, "One-off holiday on 4 June 2027") == 1
    clock.refresh_from_db()
    assert clock.due_on == date(2027, 6, 16)
    recomputed = clock.events.get(kind=ClockEventKind.RECOMPUTED)
    assert (recomputed.due_on_before, recomputed.due_on_after) == (
        date(2027, 6, 15),
        date(2027, 6, 16),
    )
    assert recomputed.by == administrator
    assert recomputed.reason == "One-off holiday on 4 June 2027"
    assert recompute_open_clocks(administrator, "Again") == 0
