"""The clocks of an SFO case, and the policy that sets them.

Each clock is data, not code: a `ClockPolicy` row holds the anchor, the length and the unit of a
clock from the date it applies, and a clock keeps the policy and the due date it was given when it
started. A later policy, or a later change to the bank holidays, never silently moves a clock that
is already running: due dates change only through the services, and each change is a
`ClockEvent`."""

from datetime import date, timedelta

import pghistory
import pgtrigger
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models

from sfo.clocks.calendar import WorkingCalendar, add_calendar_months, bank_holidays


class ClockKind(models.TextChoices):
    NOTIFICATION = "notification", "Notification"
    EARLY_LOOK = "early_look", "Early look"
    REVIEW = "review", "Review, chronology and action plan"
    CENTRAL_QA = "central_qa", "Central QA feedback"
    # Not a clock of the case: each victim's entitlement task keeps its own due date from it.
    VICTIM_ENTITLEMENT = "victim_entitlement", "Victims told of the entitlement"


class CountUnit(models.TextChoices):
    WORKING_DAYS = "working_days", "working days"
    CALENDAR_MONTHS = "calendar_months", "calendar months"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class ExtraNonWorkingDay(models.Model):
    """A one-off holiday the `holidays` package does not know yet (a state funeral, say). Adding
    one does not move open clocks until an administrator recomputes them."""

    date = models.DateField(unique=True)
    reason = models.CharField(max_length=200, help_text="e.g. State funeral")

    class Meta:
        ordering = ["-date"]
        verbose_name = "extra non-working day"

    def __str__(self) -> str:
        return f"{self.date:%-d %B %Y}: {self.reason}"

    def clean(self) -> None:
        if self.date and (self.date.weekday() >= 5 or self.date in bank_holidays(self.date.year)):
            raise ValidationError({"date": "That day is already not a working day."})


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class ClockPolicy(models.Model):
    """How long a kind of clock runs, from which anchor, for clocks that start on or after
    `effective_from`. A policy is superseded by one with a later effective date, never edited
    once in use nor deleted, so that open cases keep the deadline they were given."""

    kind = models.CharField(max_length=20, choices=ClockKind.choices)
    anchor = models.CharField(
        max_length=100, help_text="What starts the clock, e.g. first court hearing"
    )
    length = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    unit = models.CharField(max_length=20, choices=CountUnit.choices)
    effective_from = models.DateField(help_text="Applies to clocks that start on or after this")
    source = models.CharField(max_length=200, help_text="e.g. PI 06/2018")
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["kind", "-effective_from"]
        verbose_name_plural = "clock policies"
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "effective_from"], name="one_clock_policy_per_kind_and_date"
            ),
            models.CheckConstraint(condition=models.Q(length__gte=1), name="clock_policy_length"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()}: {self.length} {self.get_unit_display()} from "
            f"{self.anchor} (from {self.effective_from:%-d %B %Y})"
        )

    @classmethod
    def applying_to(cls, kind: str, on: date) -> "ClockPolicy | None":
        """The policy for a clock of this kind that starts on this date: the latest in effect."""
        return (
            cls.objects.filter(kind=kind, effective_from__lte=on)
            .order_by("-effective_from")
            .first()
        )

    def due_from(self, start: date, calendar: WorkingCalendar) -> date:
        if self.unit == CountUnit.WORKING_DAYS:
            return calendar.add_working_days(start, self.length)
        return add_calendar_months(start, self.length)

    def shift(self, day: date, days: int, calendar: WorkingCalendar) -> date:
        """Move a due date on by days in this policy's sense of a day: working days for a
        working-day clock, calendar days for a month clock (a month clock has no working days to
        count, and "3 months plus 10 days" is how the central team would read an extension)."""
        if self.unit == CountUnit.WORKING_DAYS:
            return calendar.add_working_days(day, days)
        return day + timedelta(days=days)

    def days_between(self, a: date, b: date, calendar: WorkingCalendar) -> int:
        if self.unit == CountUnit.WORKING_DAYS:
            return calendar.working_days_between(a, b)
        return (b - a).days


class Threshold(models.TextChoices):
    AMBER_WORKING_DAYS = "amber_working_days", "Amber: due within this many working days"
    POST_SUPERVISION_TOLERANCE_DAYS = (
        "post_supervision_tolerance_days",
        "Offences after supervision ended qualify within this many days",
    )


THRESHOLD_DEFAULTS = {
    Threshold.AMBER_WORKING_DAYS: 3,
    Threshold.POST_SUPERVISION_TOLERANCE_DAYS: 0,
}


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class ThresholdPolicy(models.Model):
    """A number the service applies from a date: the amber threshold of the clocks, or how long
    after supervision ended an offence still qualifies. Superseded by a later row, never deleted."""

    threshold = models.CharField(max_length=40, choices=Threshold.choices)
    value = models.PositiveSmallIntegerField()
    effective_from = models.DateField()
    source = models.CharField(max_length=200)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["threshold", "-effective_from"]
        verbose_name_plural = "threshold policies"
        constraints = [
            models.UniqueConstraint(
                fields=["threshold", "effective_from"], name="one_threshold_per_kind_and_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_threshold_display()}: {self.value} (from {self.effective_from})"

    @classmethod
    def value_on(cls, threshold: str, on: date) -> int:
        """The value in force on a date; the built-in default if no row is in force yet."""
        value = (
            cls.objects.filter(threshold=threshold, effective_from__lte=on)
            .order_by("-effective_from")
            .values_list("value", flat=True)
            .first()
        )
        return THRESHOLD_DEFAULTS[threshold] if value is None else value


def amber_threshold(on: date) -> int:
    """Working days before its due date from which a running clock shows amber."""
    return ThresholdPolicy.value_on(Threshold.AMBER_WORKING_DAYS, on)


def post_supervision_tolerance(on: date) -> int:
    """Days after supervision ended within which an offence still qualifies; pass the date of
    the offence."""
    return ThresholdPolicy.value_on(Threshold.POST_SUPERVISION_TOLERANCE_DAYS, on)


class ClockStatus(models.TextChoices):
    RUNNING = "running", "Running"
    STOPPED = "stopped", "Stopped"
    MET = "met", "Met"
    CANCELLED = "cancelled", "Cancelled"


OPEN_STATUSES = (ClockStatus.RUNNING, ClockStatus.STOPPED)


# The write history of clocks and extensions is `.history` (ClockHistory…): `.events` and the
# name ClockEvent belong to the domain's own log of what happened to a clock.
@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
    model_name="ClockHistory",
    obj_field=pghistory.ObjForeignKey(related_name="history"),
)
class Clock(models.Model):
    """One deadline of one case. Each submission to the central team starts a new central QA
    clock, so a case may have several clocks of a kind (numbered by `sequence`), but only one open
    (running or stopped) at a time."""

    case = models.ForeignKey("reviews.Case", on_delete=models.CASCADE, related_name="clocks")
    kind = models.CharField(max_length=20, choices=ClockKind.choices)
    sequence = models.PositiveSmallIntegerField(default=1)
    policy = models.ForeignKey(ClockPolicy, on_delete=models.PROTECT, related_name="clocks")
    status = models.CharField(
        max_length=10, choices=ClockStatus.choices, default=ClockStatus.RUNNING
    )
    started_on = models.DateField()
    due_on = models.DateField(help_text="Stored; moved only by a recorded clock event")
    stopped_on = models.DateField(null=True, blank=True)
    met_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["status", "due_on"], name="clock_sweep")]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind"],
                condition=models.Q(status__in=OPEN_STATUSES),
                name="one_open_clock_per_case_and_kind",
            ),
            models.UniqueConstraint(
                fields=["case", "kind", "sequence"], name="clock_sequence_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("started_on")), name="clock_due_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(status=ClockStatus.MET, met_on__isnull=False)
                | (~models.Q(status=ClockStatus.MET) & models.Q(met_on__isnull=True)),
                name="clock_met_on_iff_met",
            ),
            models.CheckConstraint(
                condition=models.Q(status=ClockStatus.STOPPED, stopped_on__isnull=False)
                | (~models.Q(status=ClockStatus.STOPPED) & models.Q(stopped_on__isnull=True)),
                name="clock_stopped_on_iff_stopped",
            ),
        ]

    def __str__(self) -> str:
        number = f" {self.sequence}" if self.sequence > 1 else ""
        return f"{self.get_kind_display()} clock{number} of {self.case}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def met_late(self) -> bool:
        return self.met_on is not None and self.met_on > self.due_on


class ClockEventKind(models.TextChoices):
    STARTED = "started", "Started"
    EXTENSION_REQUESTED = "extension_requested", "Extension requested"
    EXTENDED = "extended", "Extended"
    EXTENSION_REFUSED = "extension_refused", "Extension refused"
    STOPPED = "stopped", "Stopped"
    RESTARTED = "restarted", "Restarted"
    MET = "met", "Met"
    RECOMPUTED = "recomputed", "Due date recomputed"
    CANCELLED = "cancelled", "Cancelled"


class ClockEvent(models.Model):
    """Something that happened to a clock, with the due date before and after. The event log is
    the clock's history: rows are added, never changed."""

    clock = models.ForeignKey(Clock, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=ClockEventKind.choices)
    on = models.DateField(help_text="The date it took effect (stopped on, restarted on, met on…)")
    days = models.IntegerField(
        null=True, blank=True, help_text="Days requested, granted, or stopped, in the clock's unit"
    )
    reason = models.TextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="clock_events",
        null=True,
        blank=True,
    )
    at = models.DateTimeField(auto_now_add=True)
    due_on_before = models.DateField(null=True, blank=True)
    due_on_after = models.DateField()
    extension_request = models.ForeignKey(
        "ExtensionRequest",
        on_delete=models.PROTECT,
        related_name="events",
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["clock", "at"])]
        triggers = [pgtrigger.Protect(name="clock_event_append_only", operation=pgtrigger.Update)]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.on}"


class ExtensionStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    APPROVED = "approved", "Approved"
    REFUSED = "refused", "Refused"


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
    model_name="ExtensionRequestHistory",
    obj_field=pghistory.ObjForeignKey(related_name="history"),
)
class ExtensionRequest(models.Model):
    """A provider's request for more time on a clock. Only the central QA manager's approval
    moves the due date, by the days granted (which may differ from the days asked for)."""

    clock = models.ForeignKey(Clock, on_delete=models.CASCADE, related_name="extension_requests")
    days_requested = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    reason = models.TextField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        max_length=10, choices=ExtensionStatus.choices, default=ExtensionStatus.REQUESTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    days_granted = models.PositiveSmallIntegerField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["clock"],
                condition=models.Q(status=ExtensionStatus.REQUESTED),
                name="one_pending_extension_per_clock",
            ),
            models.CheckConstraint(
                condition=models.Q(days_requested__gte=1), name="extension_days_requested"
            ),
            models.CheckConstraint(
                condition=models.Q(status=ExtensionStatus.APPROVED, days_granted__gte=1)
                | (
                    ~models.Q(status=ExtensionStatus.APPROVED) & models.Q(days_granted__isnull=True)
                ),
                name="extension_days_granted_iff_approved",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.days_requested} days on {self.clock} ({self.get_status_display()})"
