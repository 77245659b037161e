"""Sending tasks to Celery through the outbox (the transactional outbox pattern).

`enqueue` writes the message in the caller's transaction and tries to send it once that commits.
If Redis is unreachable the send fails within its connect and socket timeouts, the page carries
on, and the message waits in the table until `drain_outbox` (beat, every minute) sends it. A
message is sent at least once: the tasks it starts are idempotent, so a second delivery (sent, but
the row not yet marked) does nothing more."""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from sfo.documents.models import OutboxMessage

logger = logging.getLogger(__name__)

# Sent messages are kept this long, for the operations page and for tracing, then deleted.
KEEP_SENT = timedelta(days=7)


def enqueue(task_name: str, *args) -> OutboxMessage:
    """Record a task to send, inside the caller's transaction, and send it once that commits."""
    message = OutboxMessage.objects.create(task_name=task_name, args=list(args))
    transaction.on_commit(lambda: send(message.pk))
    return message


SENT, FAILED, SKIPPED = "sent", "failed", "skipped"


def send(pk: int) -> str:
    """Send one waiting message to Celery and mark it sent; on failure, count the attempt and keep
    the error. The row is locked while sending, so that the page that wrote it and a concurrent
    drain never both send it: SKIPPED when another sender holds it or it has gone already."""
    from sfo.celery import app

    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=pk, sent_at__isnull=True)
            .first()
        )
        if message is None:
            return SKIPPED
        message.attempts += 1
        try:
            # No publish retries here: the outbox is the retry, and a page must not wait.
            app.send_task(message.task_name, args=message.args, retry=False, ignore_result=True)
        except Exception as error:  # noqa: BLE001 - any failure to send means "send it later"
            message.last_error = f"{type(error).__name__}: {error}"[:2000]
            message.save(update_fields=["attempts", "last_error"])
            logger.warning("Outbox message %s not sent: %s", message.pk, message.last_error)
            return FAILED
        message.sent_at = timezone.now()
        message.last_error = ""
        message.save(update_fields=["attempts", "last_error", "sent_at"])
        return SENT


def drain(limit: int = 500) -> int:
    """Send the waiting messages, oldest first; stop at the first failure (Redis is still away).
    Deletes sent messages older than a week. Returns how many were sent."""
    sent = 0
    pending = OutboxMessage.objects.filter(sent_at__isnull=True).order_by("created_at", "pk")
    for pk in pending.values_list("pk", flat=True)[:limit]:
        outcome = send(pk)
        if outcome == SENT:
            sent += 1
        elif outcome == FAILED:
            break
    OutboxMessage.objects.filter(sent_at__lt=timezone.now() - KEEP_SENT).delete()
    return sent


def backlog() -> int:
    return OutboxMessage.objects.filter(sent_at__isnull=True).count()


def oldest_waiting() -> OutboxMessage | None:
    return OutboxMessage.objects.filter(sent_at__isnull=True).order_by("created_at", "pk").first()
