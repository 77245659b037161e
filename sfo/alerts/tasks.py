from datetime import date

from celery import shared_task

from sfo.alerts.services import sweep_clocks as _sweep


@shared_task(name="sfo.alerts.tasks.sweep_clocks")
def sweep_clocks(day: str | None = None) -> dict:
    """Hourly from beat: today's reminders, due-day warnings, overdue alerts and escalations.
    Idempotent per day (a unique constraint), so a retry or a second beat costs nothing. `day`
    (ISO date) sweeps for another day, for an administrator catching up."""
    result = _sweep(date.fromisoformat(day) if day else None)
    return {
        "day": result.day.isoformat(),
        "clocks": result.clocks,
        "created": result.created,
        "skipped": result.skipped,
        "emails_sent": result.emails_sent,
        "counts": result.counts,
    }
