"""Reads of the clocks: their red/amber/green status and the sweep of clocks falling due."""

from datetime import date

from django.db.models import QuerySet

from sfo.clocks.calendar import WorkingCalendar
from sfo.clocks.models import Clock, ClockStatus, amber_threshold


def working_days_left(clock: Clock, today: date, *, calendar: WorkingCalendar | None = None) -> int:
    """Working days from today to the due date: 0 when due today, negative when overdue. Pass one
    calendar when showing many clocks, to read the extra non-working days once."""
    return (calendar or WorkingCalendar.current()).working_days_between(today, clock.due_on)


def clock_status(
    clock: Clock,
    today: date,
    *,
    calendar: WorkingCalendar | None = None,
    threshold: int | None = None,
) -> str:
    """ "red" when overdue, "amber" when due within the amber threshold in force today (working
    days; due today is amber), otherwise "green"; or the clock's status when it is not running
    ("met", "stopped", "cancelled")."""
    if clock.status != ClockStatus.RUNNING:
        return clock.status
    return due_status(clock.due_on, today, calendar=calendar, threshold=threshold)


def due_status(
    due_on: date,
    today: date,
    *,
    calendar: WorkingCalendar | None = None,
    threshold: int | None = None,
) -> str:
    """The red/amber/green of anything running to a due date (a clock, a victim's entitlement
    task): red when overdue, amber within the amber threshold in working days, else green."""
    if today > due_on:
        return "red"
    threshold = amber_threshold(today) if threshold is None else threshold
    if (calendar or WorkingCalendar.current()).working_days_between(today, due_on) <= threshold:
        return "amber"
    return "green"


def open_clocks_due_by(day: date) -> QuerySet[Clock]:
    """Running clocks due on or before a date, soonest first: one query on the (status, due_on)
    index. Stopped clocks are not counting down, so they are not swept."""
    return (
        Clock.objects.filter(status=ClockStatus.RUNNING, due_on__lte=day)
        .select_related("case", "policy")
        .order_by("due_on", "pk")
    )
