"""Generated documents, and the outbox of work waiting for Redis.

A `DocumentJob` is one document someone asked for: the worker renders it and stores the file under
MEDIA_ROOT, which is never served directly (only through the download view). An `OutboxMessage`
is a task to send to Celery, written in the same transaction as the work it starts, so that a
Redis outage loses nothing: `drain_outbox` sends whatever is left once Redis is back."""

from django.conf import settings
from django.db import models


class DocumentKind(models.TextChoices):
    CASE_SUMMARY = "case_summary", "Case summary"
    REVIEW = "review", "Review"
    QA_FEEDBACK = "qa_feedback", "Central QA feedback letter"
    CONCORDANCE = "concordance", "Independent QA concordance report"
    DISCLOSURE_PACK = "disclosure_pack", "Disclosure pack for a victim or family"
    REDACTED_REVIEW = "redacted_review", "Redacted copy of the review for the staff involved"
    AGENCY_EXTRACT = "agency_extract", "Extract of the review for another agency"
    ANNUAL_REPORT = "annual_report", "Annual report of SFO reviews"


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Being made"
    DONE = "done", "Ready"
    FAILED = "failed", "Failed"


def document_path(job: "DocumentJob", filename: str) -> str:
    """One folder per job, so that a job re-run replaces its file rather than adding another."""
    return f"documents/{job.pk}/{filename}"


class DocumentJob(models.Model):
    kind = models.CharField(max_length=40, choices=DocumentKind.choices)
    case = models.ForeignKey(
        "reviews.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    params = models.JSONField(
        default=dict, blank=True, help_text="What the document is of, beyond its case"
    )
    status = models.CharField(
        max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED, db_index=True
    )
    progress = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    file = models.FileField(upload_to=document_path, blank=True, max_length=300)
    sha256 = models.CharField(max_length=64, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="document_jobs"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # How many times a worker took the job: more than one means a worker died or a retry ran.
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="document_progress_at_most_100"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="done") | ~models.Q(sha256=""),
                name="document_done_has_sha256",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.status})"

    @property
    def in_progress(self) -> bool:
        return self.status in {JobStatus.QUEUED, JobStatus.RUNNING}

    @property
    def filename(self) -> str:
        return self.file.name.rsplit("/", 1)[-1] if self.file else ""


class OutboxMessage(models.Model):
    task_name = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(sent_at__isnull=True),
                name="outbox_unsent_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.task_name}{tuple(self.args)} ({'sent' if self.sent_at else 'waiting'})"
