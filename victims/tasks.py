from datetime import date

from celery import shared_task

from victims.entitlement_sweep import sweep_entitlement_tasks as _sweep


@shared_task(name="victims.tasks.sweep_entitlement_tasks")
def sweep_entitlement_tasks(day: str | None = None) -> dict:
    """Hourly from beat: reminders and overdue alerts for the tasks of telling victims of their
    entitlement. Idempotent: each task is alerted about once per kind."""
    result = _sweep(date.fromisoformat(day) if day else None)
    return {"day": result.day.isoformat(), "reminded": result.reminded, "overdue": result.overdue}
