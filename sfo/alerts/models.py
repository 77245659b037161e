"""Alerts: what the clock sweep tells people about deadlines, in the service and by e-mail.

Called alerts so that "notification" keeps its SFO meaning. An alert belongs to one recipient and
is about one case (and, for the clock sweep, one clock); its text never carries victims' details.
The database allows at most one alert per clock, kind, day and recipient, so a sweep that runs
twice, or two at once, creates nothing more (ADR 0007)."""

from datetime import date

import pghistory
from django.conf import settings
from django.db import models

DEFAULT_REMINDER_WORKING_DAYS = 3


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class AlertPolicy(models.Model):
    """How many working days before a deadline the owner of the next action is reminded, from a
    date. Superseded by a later row, never edited once in force, never deleted."""

    effective_from = models.DateField(unique=True)
    reminder_working_days = models.PositiveSmallIntegerField(
        default=DEFAULT_REMINDER_WORKING_DAYS, help_text="Days before due, in working days"
    )
    source = models.CharField(max_length=200)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-effective_from"]
        verbose_name_plural = "alert policies"

    def __str__(self) -> str:
        return (
            f"Remind {self.reminder_working_days} working days before due "
            f"(from {self.effective_from:%-d %B %Y})"
        )

    @classmethod
    def reminder_days_on(cls, on: date) -> int:
        """The reminder threshold in force on a date; the built-in default if none is yet."""
        value = (
            cls.objects.filter(effective_from__lte=on)
            .order_by("-effective_from")
            .values_list("reminder_working_days", flat=True)
            .first()
        )
        return DEFAULT_REMINDER_WORKING_DAYS if value is None else value


class AlertKind(models.TextChoices):
    REMINDER = "reminder", "Reminder"
    DUE_TODAY = "due_today", "Due today"
    OVERDUE = "overdue", "Overdue"
    ESCALATION = "escalation", "Escalation"
    ALLOCATED = "allocated", "Allocated to you"
    FULL_QA_NEEDED = "full_qa_needed", "Full QA needed"
    STAFF_RESPONSE = "staff_response", "Response to a finding"


class SweepRun(models.Model):
    """One run of the clock sweep and what it did, for the operations page."""

    day = models.DateField(help_text="The day the sweep ran for")
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    clocks = models.PositiveIntegerField(default=0, help_text="Open clocks due within the window")
    created = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(
        default=0, help_text="Alerts already there (an earlier or a concurrent sweep made them)"
    )
    emails_sent = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, help_text="Alerts created, per kind")
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["-started_at"], name="sweep_run_latest")]

    def __str__(self) -> str:
        return f"Sweep for {self.day} at {self.started_at:%Y-%m-%d %H:%M}"


class Alert(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alerts"
    )
    case = models.ForeignKey("reviews.Case", on_delete=models.CASCADE, related_name="alerts")
    clock = models.ForeignKey(
        "clocks.Clock",
        on_delete=models.CASCADE,
        related_name="alerts",
        null=True,
        blank=True,
        help_text="Empty for an alert that is not about a clock",
    )
    kind = models.CharField(max_length=20, choices=AlertKind.choices)
    day = models.DateField(help_text="The day the sweep ran for")
    message = models.TextField(help_text="Plain text; never victims' details")
    sweep = models.ForeignKey(
        SweepRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="alerts"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="alert_inbox"),
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="alert_unread",
            ),
            models.Index(
                fields=["day"],
                condition=models.Q(emailed_at__isnull=True),
                name="alert_email_pending",
            ),
        ]
        constraints = [
            # The "at most one alert per clock, kind and day", per recipient: an overdue
            # clock escalates to a line manager and to the central team, each their own alert.
            models.UniqueConstraint(
                fields=["clock", "kind", "day", "recipient"], name="one_alert_per_clock_kind_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.recipient} on {self.day}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
