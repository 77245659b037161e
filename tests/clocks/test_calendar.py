"""Working days of England and Wales, and calendar months."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sfo.clocks.calendar import (
    WorkingCalendar,
    add_calendar_months,
    add_working_days,
    bank_holidays,
    is_working_day,
    working_days_between,
)
from sfo.clocks.models import ExtraNonWorkingDay

pytestmark = pytest.mark.django_db

PLAIN = WorkingCalendar()


def test_ten_working_days_after_18_december_2026_is_6_january_2027():
    # Christmas Day, Boxing Day observed on Monday 28 December, and New Year's Day are skipped.
    assert add_working_days(date(2026, 12, 18), 10) == date(2027, 1, 6)


def test_the_next_working_day_counts_as_day_one():
    assert add_working_days(date(2026, 12, 18), 1) == date(2026, 12, 21)
    assert add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 29)


def test_easter_2027_is_skipped():
    assert not is_working_day(date(2027, 3, 26))  # Good Friday
    assert not is_working_day(date(2027, 3, 29))  # Easter Monday
    assert add_working_days(date(2027, 3, 25), 1) == date(2027, 3, 30)
    assert add_working_days(date(2027, 3, 22), 10) == date(2027, 4, 7)


def test_an_observed_substitute_bank_holiday_is_not_a_working_day():
    # Christmas 2027 falls on a Saturday and Boxing Day on a Sunday: Monday 27 and Tuesday 28
    # December are the bank holidays in lieu.
    assert not is_working_day(date(2027, 12, 27))
    assert not is_working_day(date(2027, 12, 28))
    assert add_working_days(date(2027, 12, 24), 1) == date(2027, 12, 29)


def test_a_weekday_that_is_no_holiday_is_a_working_day():
    assert is_working_day(date(2027, 1, 6))
    assert not is_working_day(date(2027, 1, 9))  # a Saturday


def test_bank_holidays_hold_weekdays_only():
    assert date(2027, 12, 25) not in bank_holidays(2027)
    assert date(2027, 12, 27) in bank_holidays(2027)


def test_an_extra_non_working_day_counts_once_recorded():
    assert add_working_days(date(2027, 6, 1), 1) == date(2027, 6, 2)
    ExtraNonWorkingDay.objects.create(date=date(2027, 6, 2), reason="One-off holiday")
    assert not is_working_day(date(2027, 6, 2))
    assert add_working_days(date(2027, 6, 1), 1) == date(2027, 6, 3)


def test_working_days_between_is_signed():
    assert working_days_between(date(2027, 1, 4), date(2027, 1, 6)) == 2
    assert working_days_between(date(2027, 1, 6), date(2027, 1, 6)) == 0
    assert working_days_between(date(2027, 1, 6), date(2027, 1, 4)) == -2


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (date(2026, 11, 30), date(2027, 2, 28)),
        (date(2026, 12, 31), date(2027, 3, 31)),
        (date(2027, 11, 30), date(2028, 2, 29)),
        (date(2027, 1, 31), date(2027, 4, 30)),
        (date(2027, 10, 15), date(2028, 1, 15)),
    ],
)
def test_three_calendar_months_fall_back_to_the_month_end(start, expected):
    assert add_calendar_months(start, 3) == expected


def test_one_month_after_31_january_is_the_end_of_february():
    assert add_calendar_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_calendar_months(date(2028, 1, 31), 1) == date(2028, 2, 29)


days = st.dates(min_value=date(2018, 1, 1), max_value=date(2035, 12, 31))


@given(start=days, n=st.integers(min_value=1, max_value=60))
def test_adding_working_days_lands_on_a_working_day(start, n):
    assert PLAIN.is_working_day(PLAIN.add_working_days(start, n))


@given(start=days, n=st.integers(min_value=0, max_value=60))
def test_working_days_between_inverts_adding_them(start, n):
    end = PLAIN.add_working_days(start, n)
    assert PLAIN.working_days_between(start, end) == n
    assert PLAIN.working_days_between(end, start) == -n


@given(start=days, n=st.integers(min_value=1, max_value=60))
def test_no_working_day_is_skipped(start, n):
    end = PLAIN.add_working_days(start, n)
    before = PLAIN.add_working_days(start, n - 1)
    assert all(
        not PLAIN.is_working_day(before + timedelta(d)) for d in range(1, (end - before).days)
    )


@given(start=days, n=st.integers(min_value=0, max_value=36))
def test_calendar_months_keep_the_day_or_end_the_month(start, n):
    end = add_calendar_months(start, n)
    assert (end.year * 12 + end.month) - (start.year * 12 + start.month) == n
    assert end.day == start.day or (end.day < start.day and (end + timedelta(1)).day == 1)


@given(
    a=days,
    span=st.integers(min_value=-800, max_value=800),
    extra=st.sets(days, max_size=6),
)
def test_counting_working_days_agrees_with_walking_them_day_by_day(a, span, extra):
    """The arithmetic count equals a walk over the days, extra non-working days included, over
    spans of either sign that cross weekends, bank holidays and years."""
    calendar = WorkingCalendar(frozenset(extra))
    b = a + timedelta(days=span)
    low, high = min(a, b), max(a, b)
    walked = sum(
        calendar.is_working_day(low + timedelta(days=i)) for i in range(1, (high - low).days + 1)
    )
    assert calendar.working_days_between(a, b) == (walked if b >= a else -walked)
