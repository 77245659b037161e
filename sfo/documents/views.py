"""Asking for a document, watching it being made, retrying it, and downloading it. Thin: the
services change, the selectors scope. The files are served only here, never at MEDIA_URL."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from reviews.selectors import case_for, review_case_for
from sfo.access import CASE_READERS, SIGNED_IN, access
from sfo.documents import services
from sfo.documents.models import DocumentKind, JobStatus
from sfo.documents.selectors import job_for


@access(CASE_READERS)
@require_POST
def request_case_summary(request, pk):
    case = case_for(request, pk)
    job = services.request_document(kind=DocumentKind.CASE_SUMMARY, case=case, by=request.user)
    return redirect("documents:job", job_pk=job.pk)


@access(CASE_READERS)
@require_POST
def request_review_pdf(request, pk):
    """The review as a PDF, for those who may read the review; made by a worker while the job's
    page shows its progress."""
    case = review_case_for(request, pk)
    job = services.request_document(kind=DocumentKind.REVIEW, case=case, by=request.user)
    return redirect("documents:job", job_pk=job.pk)


@access(SIGNED_IN)
def job_detail(request, job_pk):
    """Refreshes itself every 2 s while the job is queued or running (a meta refresh: no script,
    and the CSP allows it); the same page later offers the download or a retry. A person may
    turn the refresh off (WCAG 2.2.1), e.g. when a screen reader keeps starting again."""
    job = job_for(request, job_pk)
    refresh = job.in_progress and request.GET.get("refresh") != "off"
    return render(request, "documents/job.html", {"job": job, "refresh": refresh})


@access(SIGNED_IN)
@require_POST
def job_retry(request, job_pk):
    job = job_for(request, job_pk, action="retry")
    if job.status == JobStatus.FAILED:
        services.retry_document(job=job, by=request.user)
        messages.success(request, "We are trying again")
    return redirect("documents:job", job_pk=job.pk)


@access(SIGNED_IN)
def job_download(request, job_pk):
    """The file, as an attachment, never cached; the download is recorded in the access log."""
    job = job_for(request, job_pk, action="download")
    if job.status != JobStatus.DONE or not job.file:
        raise Http404("This document is not ready")
    response = FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=job.filename,
        content_type="application/pdf",
    )
    response["Cache-Control"] = "no-store"
    return response
