"""Reads of alerts: the clocks the sweep looks at, a person's inbox and their unread count."""

from datetime import date

from django.db.models import QuerySet

from sfo.alerts.models import Alert
from sfo.clocks.models import Clock
from sfo.clocks.selectors import open_clocks_due_by


def clocks_to_sweep(horizon: date) -> QuerySet[Clock]:
    """Running clocks due on or before the horizon, with everything an alert needs about the case
    and its owners in the same query: one index range scan on clock (status, due_on)."""
    return open_clocks_due_by(horizon).select_related(
        "case__identified_by__line_manager",
        "case__reviewer__line_manager",
    )


def inbox_of(user) -> QuerySet[Alert]:
    """A person's own alerts, newest first, with the case each links to."""
    return (
        Alert.objects.filter(recipient=user)
        .select_related("case", "clock")
        .order_by("-created_at", "-pk")
    )


def unread_count(user) -> int:
    """One count on the partial index of unread alerts."""
    return Alert.objects.filter(recipient=user, read_at__isnull=True).count()
