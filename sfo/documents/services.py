"""Writes of document jobs: asking for a document, retrying it, and the worker's run of it.

A job moves queued → running → done, or → failed (and back to queued by a retry). The worker's run
is idempotent: it takes the job with a row lock and a status check, so a second delivery of a done
job does nothing, a job left running by a killed worker is taken again, and the finish is a
compare-and-set, so a job ends done exactly once whatever the deliveries."""

import hashlib
import logging
from collections.abc import Callable

from celery.exceptions import SoftTimeLimitExceeded
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import DatabaseError, transaction
from django.utils import timezone

from reviews.authoring import may_read_review
from reviews.selectors import REVIEW_READERS_ONLY
from sfo.access import CASE_READERS, ensure, visible_cases
from sfo.audit.services import record_access
from sfo.documents import outbox
from sfo.documents.models import DocumentJob, DocumentKind, JobStatus, document_path
from sfo.documents.renderers import RENDERERS

logger = logging.getLogger(__name__)

RENDER_TASK = "sfo.documents.tasks.render_document"


# Who may see a job of a kind that a later stage adds (qa's feedback letter and concordance
# report): the stage registers `kind -> may_see(user, job)` here with its renderer, in its
# AppConfig.ready, so that this app never imports it.
VIEWERS: dict[str, Callable] = {}


def register_kind(kind: str, *, renderer: Callable, may_see: Callable) -> None:
    """Plug a document kind of a later stage into the queue, the worker and the download."""
    RENDERERS[kind] = renderer
    VIEWERS[kind] = may_see


def may_see_job(user, job: DocumentJob) -> bool:
    """Whoever may see the job's case now may see (and download) its case summary: it holds
    nothing the case page does not show them. A PDF of the review holds the whole review, so only
    those who may read the review now may see it. Asking for a document gives no lasting right.
    A registered kind answers for itself."""
    if job.kind in VIEWERS:
        return bool(VIEWERS[job.kind](user, job))
    if job.case_id is None:
        return False
    if job.kind == DocumentKind.REVIEW:
        return may_read_review(user, job.case)
    return visible_cases(user).filter(pk=job.case_id).exists()


def request_document(*, kind: str, case, by) -> DocumentJob:
    """Ask for a document about a case: a queued job, its task sent through the outbox once its
    transaction commits. The case summary is for anyone who may see the case, the review for those
    who may read it. Refusals are recorded before, and outside, the transaction that makes the
    job, so that they are not rolled back with it."""
    ensure(by, CASE_READERS)
    if not visible_cases(by).filter(pk=case.pk).exists():
        raise PermissionDenied("You may not see this case.")
    if kind not in DocumentKind.values:
        raise ValueError(f"No such document: {kind}")
    if kind == DocumentKind.REVIEW and not may_read_review(by, case):
        record_access(by, case, action="request:review_pdf", allowed=False)
        raise PermissionDenied(REVIEW_READERS_ONLY)
    return _queue(kind, case, by)


@transaction.atomic
def _queue(kind: str, case, by, params: dict | None = None) -> DocumentJob:
    job = DocumentJob.objects.create(kind=kind, case=case, requested_by=by, params=params or {})
    outbox.enqueue(RENDER_TASK, job.pk)
    return job


def queue_document(*, kind: str, by, case=None, params: dict | None = None) -> DocumentJob:
    """Queue a document of a registered kind, for a caller that has checked who may ask."""
    if kind not in VIEWERS or not may_see_job(
        by, DocumentJob(kind=kind, case=case, params=params or {})
    ):
        raise PermissionDenied("You may not ask for this document.")
    return _queue(kind, case, by, params)


@transaction.atomic
def retry_document(*, job: DocumentJob, by) -> DocumentJob:
    """Failed → queued, by anyone who may see the job; the attempts already made are kept."""
    if not may_see_job(by, job):
        raise PermissionDenied("You may not see this document.")
    job = DocumentJob.objects.select_for_update().get(pk=job.pk)
    if job.status != JobStatus.FAILED:
        return job
    job.status, job.progress, job.error = JobStatus.QUEUED, 0, ""
    job.started_at = job.finished_at = None
    job.save(update_fields=["status", "progress", "error", "started_at", "finished_at"])
    outbox.enqueue(RENDER_TASK, job.pk)
    return job


# --- The worker's side ---------------------------------------------------------------------------


def claim(job_id: int) -> DocumentJob | None:
    """Queued (or running, left so by a worker that died) → running, one more attempt. None when
    there is nothing to do: the job is done, failed (a retry re-queues it) or gone."""
    with transaction.atomic():
        job = DocumentJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status not in {JobStatus.QUEUED, JobStatus.RUNNING}:
            return None
        job.status, job.progress, job.error = JobStatus.RUNNING, 5, ""
        job.started_at = timezone.now()
        job.attempts += 1
        job.save(update_fields=["status", "progress", "error", "started_at", "attempts"])
    return job


def report_progress(job: DocumentJob, percent: int) -> None:
    DocumentJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(progress=percent)


def finish(job: DocumentJob, filename: str, content: bytes) -> bool:
    """Running → done: store the file and its SHA-256. False, storing nothing, if another run
    finished the job first. The file's name is fixed per job, so a re-run replaces, never adds."""
    with transaction.atomic():
        job = DocumentJob.objects.select_for_update().get(pk=job.pk)
        if job.status != JobStatus.RUNNING:
            return False
        storage = job.file.storage
        name = document_path(job, filename)
        if storage.exists(name):
            storage.delete(name)
        job.file.save(filename, ContentFile(content), save=False)
        job.sha256 = hashlib.sha256(content).hexdigest()
        job.status, job.progress, job.finished_at = JobStatus.DONE, 100, timezone.now()
        job.save(update_fields=["file", "sha256", "status", "progress", "finished_at"])
    return True


def fail(job: DocumentJob, error: str) -> None:
    """Running → failed, with a message the person who asked can read."""
    DocumentJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
        status=JobStatus.FAILED, error=error[:2000], finished_at=timezone.now()
    )


def run_document_job(job_id: int) -> DocumentJob | None:
    """The render task's body. Database errors are let through, for the task to retry later;
    anything else fails the job, with its retry button."""
    job = claim(job_id)
    if job is None:
        return None
    try:
        filename, content = RENDERERS[job.kind](job, lambda p: report_progress(job, p))
    except SoftTimeLimitExceeded:
        fail(job, "The document took too long to make. Try again; if it fails again, tell us.")
        return job
    except DatabaseError:
        raise
    except Exception as error:  # noqa: BLE001 - shown to the user, with a retry
        logger.exception("Document job %s failed", job.pk)
        fail(job, f"The document could not be made ({type(error).__name__}).")
        return job
    report_progress(job, 90)
    finish(job, filename, content)
    return job
