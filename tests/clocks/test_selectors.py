"""Red, amber and green, and the sweep of clocks falling due."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sfo.clocks.models import ClockKind
from sfo.clocks.selectors import clock_status, open_clocks_due_by, working_days_left
from sfo.clocks.services import meet_clock, start_clock, stop_clock
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

DUE = date(2027, 1, 6)  # notification clock of a first hearing on 18 December 2026


@pytest.fixture
def clock(case):
    return start_clock(case, ClockKind.NOTIFICATION, date(2026, 12, 18))


@pytest.mark.parametrize(
    ("today", "status", "left"),
    [
        (date(2026, 12, 21), "green", 9),
        (date(2026, 12, 30), "green", 4),
        (date(2026, 12, 31), "amber", 3),  # New Year's Day: 4, 5 and 6 January are left
        (date(2027, 1, 5), "amber", 1),
        (DUE, "amber", 0),
        (date(2027, 1, 7), "red", -1),
    ],
)
def test_red_amber_green_with_the_default_threshold(clock, today, status, left):
    assert clock_status(clock, today) == status
    assert working_days_left(clock, today) == left


def test_a_stopped_or_met_clock_shows_its_status(case, clock):
    stop_clock(clock, date(2026, 12, 21), "Awaiting advice from the CPS", None)
    assert clock_status(clock, date(2027, 2, 1)) == "stopped"
    meet_clock(clock, date(2027, 1, 4))
    assert clock_status(clock, date(2027, 2, 1)) == "met"


def test_the_sweep_finds_running_clocks_due_by_a_date_in_one_query(clock):
    later = start_clock(CaseFactory(), ClockKind.NOTIFICATION, date(2027, 1, 11))
    met = start_clock(CaseFactory(), ClockKind.NOTIFICATION, date(2026, 12, 18))
    meet_clock(met, date(2026, 12, 22))
    with CaptureQueriesContext(connection) as queries:
        due = list(open_clocks_due_by(date(2027, 1, 8)))
        assert [c.case.crn for c in due] == [clock.case.crn]
    assert len(queries) == 1
    assert later not in due


def test_the_sweep_can_use_the_status_and_due_date_index():
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table would be scanned anyway
    assert "clock_sweep" in open_clocks_due_by(date(2027, 1, 8)).explain()
