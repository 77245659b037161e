"""The operations page: whether the machinery that keeps the clocks is working. For
administrators. Every read is guarded: the page must answer when a part it reports on is down."""

import logging

from django.apps import apps
from django.conf import settings
from django.shortcuts import render

from sfo.access import ADMINISTRATION, access
from sfo.documents import outbox
from sfo.documents.models import DocumentJob, JobStatus

logger = logging.getLogger(__name__)


def last_sweep() -> dict | None:
    """The latest clock sweep, read defensively: the alerts app may be absent or not migrated."""
    try:
        SweepRun = apps.get_model("alerts", "SweepRun")
        run = SweepRun.objects.order_by("-pk").first()
    except Exception:  # noqa: BLE001 - no app, no table: no sweep to show
        return None
    if run is None:
        return None
    return {
        "run": run,
        "started_at": getattr(run, "started_at", None),
        "finished_at": getattr(run, "finished_at", None),
        "created": getattr(run, "created", None),
        "clocks": getattr(run, "clocks", None),
        "error": getattr(run, "error", ""),
    }


def default_queue() -> str:
    return getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", "celery")


def queue_length() -> int | None:
    """Messages waiting in the default Celery queue (Redis LLEN), or None if Redis does not answer
    within its timeouts."""
    try:
        import redis

        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2
        )
        try:
            return int(client.llen(default_queue()))
        finally:
            client.close()
    except Exception:  # noqa: BLE001 - any failure means "unavailable"
        logger.warning("Queue length unavailable", exc_info=True)
        return None


@access(ADMINISTRATION)
def operations(request):
    failed = DocumentJob.objects.filter(status=JobStatus.FAILED).select_related(
        "case", "requested_by"
    )
    return render(
        request,
        "operations/operations.html",
        {
            "sweep": last_sweep(),
            "queue_name": default_queue(),
            "queue_length": queue_length(),
            "failed_jobs": failed[:20],
            "failed_count": failed.count(),
            "outbox_backlog": outbox.backlog(),
            "oldest_waiting": outbox.oldest_waiting(),
        },
    )
