"""Writes to the clocks. Each service is one state change in one transaction, and each records a
`ClockEvent`: a due date is never edited silently.

Who may start, stop or meet a clock is decided by the case's services that call these (the case
lifecycle knows who does what); these take the acting user to record it. Deciding an extension is
the exception: only the central QA manager may, whoever calls."""

from datetime import date
from typing import Any

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from sfo.access import CENTRAL_QA_MANAGERS, ensure
from sfo.clocks.calendar import WorkingCalendar
from sfo.clocks.models import (
    OPEN_STATUSES,
    Clock,
    ClockEvent,
    ClockEventKind,
    ClockKind,
    ClockPolicy,
    ClockStatus,
    ExtensionRequest,
    ExtensionStatus,
)


def _lock(clock: Clock) -> Clock:
    """Lock the clock's row and bring the caller's instance up to date, so that two people acting
    on one clock at once take turns rather than overwrite each other."""
    list(Clock.objects.select_for_update().filter(pk=clock.pk).values_list("pk"))
    clock.refresh_from_db()
    return clock


def _user(by: Any) -> Any:
    return by if getattr(by, "is_authenticated", False) else None


def _record(
    clock: Clock, kind: str, *, on: date, by: Any, before: date | None, **fields: Any
) -> ClockEvent:
    return ClockEvent.objects.create(
        clock=clock,
        kind=kind,
        on=on,
        by=_user(by),
        due_on_before=before,
        due_on_after=clock.due_on,
        **fields,
    )


def _ensure_open(clock: Clock, doing: str) -> None:
    if not clock.is_open:
        raise ValidationError(f"Cannot {doing}: the clock is {clock.get_status_display().lower()}.")


@transaction.atomic
def start_clock(case: Any, kind: str, on: date, by: Any = None) -> Clock:
    """Start a clock of a case on its anchor date, under the policy in force on that date, and
    store its due date. Refused while a clock of the same kind is open on the case: meet or cancel
    it first (the database refuses a second one too)."""
    kind = ClockKind(kind)
    policy = ClockPolicy.applying_to(kind, on)
    if policy is None:
        raise ImproperlyConfigured(f"No clock policy for {kind.label} is in force on {on}.")
    existing = Clock.objects.filter(case=case, kind=kind)
    if existing.filter(status__in=OPEN_STATUSES).exists():
        raise ValidationError(f"This case already has an open {kind.label.lower()} clock.")
    sequence = (existing.aggregate(last=Max("sequence"))["last"] or 0) + 1
    clock = Clock.objects.create(
        case=case,
        kind=kind,
        sequence=sequence,
        policy=policy,
        started_on=on,
        due_on=policy.due_from(on, WorkingCalendar.current()),
    )
    _record(clock, ClockEventKind.STARTED, on=on, by=by, before=None, reason=policy.anchor)
    return clock


@transaction.atomic
def request_extension(clock: Clock, days: int, reason: str, by: Any) -> ExtensionRequest:
    """The provider asks for more time on an open clock. Nothing moves until the central QA
    manager decides; one request at a time per clock."""
    _lock(clock)
    _ensure_open(clock, "ask for an extension")
    if days < 1:
        raise ValidationError("Ask for at least one day.")
    if not reason.strip():
        raise ValidationError("Give a reason for the extension.")
    if clock.extension_requests.filter(status=ExtensionStatus.REQUESTED).exists():
        raise ValidationError("An extension of this clock is already waiting for a decision.")
    extension = ExtensionRequest.objects.create(
        clock=clock, days_requested=days, reason=reason, requested_by=by
    )
    _record(
        clock,
        ClockEventKind.EXTENSION_REQUESTED,
        on=timezone.localdate(),
        by=by,
        before=clock.due_on,
        days=days,
        reason=reason,
        extension_request=extension,
    )
    return extension


@transaction.atomic
def decide_extension(
    extension: ExtensionRequest,
    approve: bool,
    days_granted: int | None = None,
    by: Any = None,
    *,
    note: str = "",
) -> ExtensionRequest:
    """The central QA manager approves (the due date moves by the days granted, in the clock's
    unit: working days for a working-day clock, calendar days for a month clock) or refuses (it
    does not move). Days granted default to the days requested."""
    ensure(by, CENTRAL_QA_MANAGERS)
    extension = ExtensionRequest.objects.select_for_update().get(pk=extension.pk)
    if extension.status != ExtensionStatus.REQUESTED:
        raise ValidationError("This extension has already been decided.")
    clock = _lock(extension.clock)
    before = clock.due_on
    extension.decided_by = by
    extension.decided_at = timezone.now()
    extension.decision_note = note
    if approve:
        _ensure_open(clock, "extend it")
        days = extension.days_requested if days_granted is None else days_granted
        if days < 1:
            raise ValidationError("Grant at least one day, or refuse the extension.")
        extension.status, extension.days_granted = ExtensionStatus.APPROVED, days
        clock.due_on = clock.policy.shift(clock.due_on, days, WorkingCalendar.current())
        clock.save(update_fields=["due_on"])
        kind = ClockEventKind.EXTENDED
    else:
        extension.status, days = ExtensionStatus.REFUSED, None
        kind = ClockEventKind.EXTENSION_REFUSED
    extension.save()
    _record(
        clock,
        kind,
        on=timezone.localdate(),
        by=by,
        before=before,
        days=days,
        reason=note or extension.reason,
        extension_request=extension,
    )
    return extension


@transaction.atomic
def stop_clock(clock: Clock, on: date, reason: str, by: Any) -> Clock:
    """Stop a running clock (awaiting advice from the Crown Prosecution Service, say). Its due
    date moves when it restarts, by the time it was stopped."""
    _lock(clock)
    if clock.status != ClockStatus.RUNNING:
        raise ValidationError("Only a running clock can be stopped.")
    if on < clock.started_on:
        raise ValidationError("A clock cannot stop before it started.")
    if not reason.strip():
        raise ValidationError("Give a reason for stopping the clock.")
    clock.status, clock.stopped_on = ClockStatus.STOPPED, on
    clock.save(update_fields=["status", "stopped_on"])
    _record(clock, ClockEventKind.STOPPED, on=on, by=by, before=clock.due_on, reason=reason)
    return clock


@transaction.atomic
def restart_clock(clock: Clock, on: date, reason: str, by: Any) -> Clock:
    """Restart a stopped clock. The due date moves by the time it was stopped: the working days
    after the stop up to and including the restart (a Monday-to-Wednesday stop is 2), or for a
    month clock the calendar days between the two dates."""
    _lock(clock)
    if clock.status != ClockStatus.STOPPED:
        raise ValidationError("Only a stopped clock can be restarted.")
    if on < clock.stopped_on:
        raise ValidationError("A clock cannot restart before it stopped.")
    calendar = WorkingCalendar.current()
    days = clock.policy.days_between(clock.stopped_on, on, calendar)
    before = clock.due_on
    clock.due_on = clock.policy.shift(clock.due_on, days, calendar)
    clock.status, clock.stopped_on = ClockStatus.RUNNING, None
    clock.save(update_fields=["status", "stopped_on", "due_on"])
    _record(clock, ClockEventKind.RESTARTED, on=on, by=by, before=before, days=days, reason=reason)
    return clock


@transaction.atomic
def meet_clock(clock: Clock, on: date, by: Any = None) -> Clock:
    """The thing the clock waited for was done on `on` (late or not: `met_late` tells)."""
    _lock(clock)
    _ensure_open(clock, "meet it")
    if on < clock.started_on:
        raise ValidationError("A clock cannot be met before it started.")
    clock.status, clock.met_on, clock.stopped_on = ClockStatus.MET, on, None
    clock.save(update_fields=["status", "met_on", "stopped_on"])
    _record(clock, ClockEventKind.MET, on=on, by=by, before=clock.due_on)
    return clock


@transaction.atomic
def cancel_clock(clock: Clock, reason: str, by: Any = None) -> Clock:
    """The clock no longer applies (the notification was rejected, the case discontinued)."""
    _lock(clock)
    _ensure_open(clock, "cancel it")
    clock.status, clock.stopped_on = ClockStatus.CANCELLED, None
    clock.save(update_fields=["status", "stopped_on"])
    _record(
        clock,
        ClockEventKind.CANCELLED,
        on=timezone.localdate(),
        by=by,
        before=clock.due_on,
        reason=reason,
    )
    return clock


def replayed_due_on(clock: Clock, calendar: WorkingCalendar) -> date:
    """The due date a clock would have under this calendar: from its start under its own policy,
    then each approved extension and each completed stop, in the order they happened. A clock
    stopped now keeps the date it had when it stopped until it restarts."""
    policy = clock.policy
    due = policy.due_from(clock.started_on, calendar)
    stopped_on = None
    for event in sorted(clock.events.all(), key=lambda event: event.pk):
        if event.kind == ClockEventKind.EXTENDED:
            due = policy.shift(due, event.days, calendar)
        elif event.kind == ClockEventKind.STOPPED:
            stopped_on = event.on
        elif event.kind == ClockEventKind.RESTARTED and stopped_on is not None:
            due = policy.shift(due, policy.days_between(stopped_on, event.on, calendar), calendar)
            stopped_on = None
    return due


@transaction.atomic
def recompute_open_clocks(by: Any, reason: str) -> int:
    """After a change to the bank-holiday calendar, recompute the due date of every open clock
    (running or stopped) and record a `recomputed` event on each whose date changed. Clocks keep
    the policy they started under. Returns how many moved."""
    calendar = WorkingCalendar.current()
    clocks = (
        Clock.objects.select_for_update(of=("self",))
        .filter(status__in=OPEN_STATUSES)
        .select_related("policy")
        .prefetch_related("events")
        .order_by("pk")
    )
    moved = 0
    for clock in clocks:
        due = replayed_due_on(clock, calendar)
        if due == clock.due_on:
            continue
        before, clock.due_on = clock.due_on, due
        clock.save(update_fields=["due_on"])
        _record(
            clock,
            ClockEventKind.RECOMPUTED,
            on=timezone.localdate(),
            by=by,
            before=before,
            reason=reason,
        )
        moved += 1
    return moved
