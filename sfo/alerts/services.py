"""Writes of alerts: the clock sweep, and marking alerts read.

The sweep (issue 4, "The clock sweep") runs hourly from beat and from the administrators' button.
For the day it runs for, it reads the running clocks due within the reminder window in one indexed
query, works out in memory who should hear what, inserts every alert in one statement that skips
those already there (the unique constraint on clock, kind, day and recipient), and e-mails the
alerts nobody has e-mailed yet. A second run the same day, or two runs at once, insert nothing
more and send nothing more."""

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from sfo.access import case_scope, visible_cases
from sfo.alerts.models import Alert, AlertKind, AlertPolicy, SweepRun
from sfo.alerts.owners import Directory, escalation_of, owners_of
from sfo.alerts.selectors import clocks_to_sweep
from sfo.clocks.calendar import WorkingCalendar
from sfo.clocks.models import Clock
from sfo.people.models import User
from sfo.people.roles import Role

logger = logging.getLogger(__name__)


@dataclass
class SweepResult:
    day: date
    clocks: int = 0
    created: int = 0
    skipped: int = 0
    emails_sent: int = 0
    counts: dict[str, int] = field(default_factory=dict)  # created, per kind


@dataclass(frozen=True)
class PlannedAlert:
    recipient: User
    clock: Clock
    kind: str
    message: str


def _when(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def _message(kind: str, clock: Clock, days_left: int) -> str:
    """Plain text naming the case and its clock; the person on probation's name is there (every
    recipient may see the case) and nothing about victims is."""
    case = clock.case
    what = f"The {clock.get_kind_display().lower()} clock of {case} ({case.person_name})"
    due = _when(clock.due_on)
    if kind == AlertKind.REMINDER:
        return f"{what} is due on {due}: {days_left} working day{'s' * (days_left != 1)} left."
    if kind == AlertKind.DUE_TODAY:
        return f"{what} is due today, {due}."
    late = -days_left
    overdue = f"{late} working day{'s' * (late != 1)} overdue" if late > 0 else "overdue"
    if kind == AlertKind.OVERDUE:
        return f"{what} was due on {due} and is {overdue}."
    return f"Escalated to you: {what} was due on {due} and is {overdue}."


def plan_alerts(
    clocks: list[Clock], today: date, calendar: WorkingCalendar, directory: Directory
) -> list[PlannedAlert]:
    """What each clock calls for today: a reminder while due within the window, a warning on the
    due day, and once overdue an alert to its owners plus an escalation."""
    planned = []
    for clock in clocks:
        owners = owners_of(clock, directory)
        if clock.due_on > today:
            kind = AlertKind.REMINDER
        elif clock.due_on == today:
            kind = AlertKind.DUE_TODAY
        else:
            kind = AlertKind.OVERDUE
        days_left = calendar.working_days_between(today, clock.due_on)
        planned += [PlannedAlert(o, clock, kind, _message(kind, clock, days_left)) for o in owners]
        if kind == AlertKind.OVERDUE:
            message = _message(AlertKind.ESCALATION, clock, days_left)
            planned += [
                PlannedAlert(person, clock, AlertKind.ESCALATION, message)
                for person in escalation_of(clock, owners, directory)
            ]
    return planned


def _may_see(planned: list[PlannedAlert]) -> list[PlannedAlert]:
    """Keep only alerts whose recipient may see the case (sfo.access.visible_cases). Roles of all
    recipients are read in one query; one query per recipient whose sight is limited to some cases
    (provider staff), none for those who see every case; never one per clock."""
    from reviews.models import Case

    if not planned:
        return []
    ids = {p.recipient.pk for p in planned}
    roles: dict[int, set[str]] = {pk: set() for pk in ids}
    for pk, name in User.groups.through.objects.filter(user_id__in=ids).values_list(
        "user_id", "group__name"
    ):
        roles[pk].add(name)
    cases_of: dict[int, set[int]] = {}
    for p in planned:
        cases_of.setdefault(p.recipient.pk, set()).add(p.clock.case_id)
    visible: dict[int, set[int]] = {}
    for p in planned:
        user = p.recipient
        if user.pk in visible:
            continue
        user.__dict__["roles"] = frozenset(r for r in Role if r.value in roles[user.pk])
        scope = case_scope(user)
        if scope is None:
            visible[user.pk] = set()
        elif not scope:
            visible[user.pk] = cases_of[user.pk]
        else:
            among = Case.objects.filter(pk__in=cases_of[user.pk])
            visible[user.pk] = set(visible_cases(user, among).values_list("pk", flat=True))
    return [p for p in planned if p.clock.case_id in visible[p.recipient.pk]]


def _email_pending(day: date) -> int:
    """E-mail the alerts of the day not yet e-mailed, each once. The rows are locked while sent
    and rows another sweep holds are skipped, so two sweeps never send the same alert; if the mail
    server fails, nothing is marked and the next sweep tries again."""
    sent = 0
    with transaction.atomic():
        pending = list(
            Alert.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(day=day, emailed_at__isnull=True)
            .exclude(recipient__email="")
            .select_related("recipient", "case")
            .order_by("pk")
        )
        if not pending:
            return 0
        base = settings.SERVICE_BASE_URL.rstrip("/")
        messages = []
        for alert in pending:
            link = base + reverse("reviews:case_detail", kwargs={"pk": alert.case_id})
            body = (
                f"{alert.message}\n\nOpen the case: {link}\n"
                f"Your alerts: {base}{reverse('alerts:inbox')}\n\n"
                f"{settings.SERVICE_NAME}. {settings.PROTECTIVE_MARKING}."
            )
            subject = f"{alert.get_kind_display()}: {alert.case}"
            messages.append(EmailMessage(subject, body, to=[alert.recipient.email]))
        sent = get_connection().send_messages(messages) or 0
        Alert.objects.filter(pk__in=[a.pk for a in pending]).update(emailed_at=timezone.now())
    return sent


def sweep_clocks(today: date | None = None) -> SweepResult:
    """Create today's alerts for the clocks due within the reminder window, due today, or overdue,
    and e-mail them. Idempotent per day: run by beat every hour and by administrators at will."""
    today = today or timezone.localdate()
    run = SweepRun.objects.create(day=today)
    result = SweepResult(day=today)
    try:
        calendar = WorkingCalendar.current()
        horizon = calendar.add_working_days(today, AlertPolicy.reminder_days_on(today))
        clocks = list(clocks_to_sweep(horizon))
        result.clocks = len(clocks)
        planned = _may_see(plan_alerts(clocks, today, calendar, Directory.load(clocks)))
        with transaction.atomic():
            Alert.objects.bulk_create(
                [
                    Alert(
                        recipient=p.recipient,
                        case_id=p.clock.case_id,
                        clock=p.clock,
                        kind=p.kind,
                        day=today,
                        message=p.message,
                        sweep=run,
                    )
                    for p in planned
                ],
                ignore_conflicts=True,
                batch_size=2000,
            )
        # Only this run's rows carry its id: conflicts kept the earlier run's.
        counts = Counter(Alert.objects.filter(sweep=run).values_list("kind", flat=True))
        result.counts = dict(counts)
        result.created = sum(counts.values())
        result.skipped = len(planned) - result.created
        result.emails_sent = _email_pending(today)
    except Exception as error:
        SweepRun.objects.filter(pk=run.pk).update(finished_at=timezone.now(), error=repr(error))
        raise
    SweepRun.objects.filter(pk=run.pk).update(
        finished_at=timezone.now(),
        clocks=result.clocks,
        created=result.created,
        skipped=result.skipped,
        emails_sent=result.emails_sent,
        counts=result.counts,
    )
    logger.info("Clock sweep for %s: %s", today, result)
    return result


def mark_read(*, alert: Alert, by: User) -> Alert:
    """The recipient has read an alert. Only their own: the view finds it among theirs."""
    if alert.recipient_id != by.pk:
        raise PermissionDenied("An alert is marked read only by its recipient")
    if alert.read_at is None:
        alert.read_at = timezone.now()
        Alert.objects.filter(pk=alert.pk, read_at__isnull=True).update(read_at=alert.read_at)
    return alert


def mark_all_read(*, by: User) -> int:
    """Every unread alert of this person is read now."""
    return Alert.objects.filter(recipient=by, read_at__isnull=True).update(read_at=timezone.now())


def send_alert(*, recipients, case, kind: str, message: str) -> list[Alert]:
    """An alert that is not about a clock (a review allocated to someone, full QA needed), to
    each active recipient who may see the case; e-mailed with the day's other alerts."""
    people = {person.pk: person for person in recipients if person is not None and person.is_active}
    allowed = [
        person for person in people.values() if visible_cases(person).filter(pk=case.pk).exists()
    ]
    return Alert.objects.bulk_create(
        Alert(recipient=person, case=case, kind=kind, day=timezone.localdate(), message=message)
        for person in allowed
    )
