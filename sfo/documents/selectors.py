"""Reads of document jobs, always through the case scope."""

from django.http import Http404

from sfo.access import visible_cases
from sfo.audit.services import record_access
from sfo.documents.models import DocumentJob


def job_for(request, job_pk: int, *, action: str = "view") -> DocumentJob:
    """A job whose case the user may see, the look recorded; 404 (also recorded) otherwise."""
    job = (
        DocumentJob.objects.select_related("case", "requested_by")
        .filter(pk=job_pk, case__in=visible_cases(request.user))
        .first()
    )
    if job is None:
        record_access(
            request, object_type="documents.documentjob", object_id=str(job_pk), allowed=False
        )
        raise Http404("No document found")
    record_access(request, job, action=action)
    return job
