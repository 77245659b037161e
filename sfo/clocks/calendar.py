"""Working days in England and Wales, and calendar-month arithmetic.

A day is a working day when it is Monday to Friday, not a bank holiday of England and Wales (from
the `holidays` package, observed substitutes included) and not an extra non-working day an
administrator has recorded (`ExtraNonWorkingDay`, for a one-off holiday announced after the
package was released)."""

import calendar as month_calendar
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays

# Enough years for every open clock and a few past ones, without growing without bound.
_YEARS_CACHED = 64


@lru_cache(maxsize=_YEARS_CACHED)
def bank_holidays(year: int) -> frozenset[date]:
    """The bank holidays of England and Wales in a year, weekdays only.

    The package lists the weekend date of a holiday that falls at a weekend as well as its
    observed substitute; the weekend date is not a working day anyway, so it is left out here.
    Cached per year: building the holiday table is the slow part of working-day arithmetic."""
    table = holidays.country_holidays("GB", subdiv="ENG", years=year)
    return frozenset(day for day in table if day.weekday() < 5)


@dataclass(frozen=True)
class WorkingCalendar:
    """The non-working days as they stand at one moment: bank holidays plus the extra days.

    Take one snapshot (`WorkingCalendar.current()`, one query) and use it for a whole batch of
    computations. The extra days are deliberately not cached between requests: a stale cache would
    compute a wrong due date, and the table holds a handful of rows."""

    extra_days: frozenset[date] = frozenset()

    @classmethod
    def current(cls) -> "WorkingCalendar":
        from sfo.clocks.models import ExtraNonWorkingDay

        return cls(frozenset(ExtraNonWorkingDay.objects.values_list("date", flat=True)))

    def is_working_day(self, day: date) -> bool:
        return (
            day.weekday() < 5 and day not in bank_holidays(day.year) and day not in self.extra_days
        )

    def add_working_days(self, start: date, n: int) -> date:
        """The nth working day after `start`: the next working day counts as day 1, so 10 working
        days after 18 December 2026 is 6 January 2027. `start` itself never counts, whether or
        not it is a working day; n = 0 gives `start`."""
        if n < 0:
            raise ValueError("Count working days forwards only")
        day = start
        while n:
            day += timedelta(days=1)
            if self.is_working_day(day):
                n -= 1
        return day

    def working_days_between(self, a: date, b: date) -> int:
        """Working days after `a` up to and including `b`; negative when `b` is before `a`.

        The inverse of add_working_days: working_days_between(a, add_working_days(a, n)) == n.
        As "working days left" from today to a due date: 0 when due today, -1 when the due date
        was the previous working day."""
        if b < a:
            return -self.working_days_between(b, a)
        # Weekdays in (a, b] by arithmetic (five in every whole week, the rest walked), less the
        # non-working weekdays in the span: constant work per year spanned, not per day, as the
        # QA queue and the turnaround figures ask this of thousands of spans.
        span = (b - a).days
        weekdays = 5 * (span // 7)
        day = a + timedelta(days=7 * (span // 7))
        while day < b:
            day += timedelta(days=1)
            weekdays += day.weekday() < 5
        closed = {
            holiday
            for year in range(a.year, b.year + 1)
            for holiday in bank_holidays(year)
            if a < holiday <= b
        }
        closed |= {extra for extra in self.extra_days if a < extra <= b and extra.weekday() < 5}
        return weekdays - len(closed)


def is_working_day(day: date) -> bool:
    return WorkingCalendar.current().is_working_day(day)


def add_working_days(start: date, n: int) -> date:
    return WorkingCalendar.current().add_working_days(start, n)


def working_days_between(a: date, b: date) -> int:
    return WorkingCalendar.current().working_days_between(a, b)


def add_calendar_months(start: date, n: int) -> date:
    """The same day of the month n months later; a day the month lacks falls back to its last day
    (31 January + 1 month = 28 or 29 February)."""
    months = start.month - 1 + n
    year, month = start.year + months // 12, months % 12 + 1
    last = month_calendar.monthrange(year, month)[1]
    return date(year, month, min(start.day, last))
