"""Document tasks: thin, idempotent, taking ids. Retried with backoff on database errors (a
PostgreSQL restart, say); a second delivery does nothing more (see services.claim)."""

from celery import shared_task
from django.conf import settings
from django.db import DatabaseError

from sfo.documents import outbox, services


@shared_task(
    name="sfo.documents.tasks.render_document",
    ignore_result=True,
    autoretry_for=(DatabaseError,),
    retry_backoff=5,
    retry_backoff_max=settings.CELERY_TASK_MAX_RETRY_BACKOFF,
    retry_jitter=True,
    max_retries=8,
)
def render_document(job_id: int) -> None:
    services.run_document_job(job_id)


@shared_task(name="sfo.documents.tasks.drain_outbox", ignore_result=True)
def drain_outbox() -> int:
    """Every minute: send the tasks that could not be sent while Redis was away."""
    return outbox.drain()
