"""Reads of document jobs, always through the case scope."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from reviews.selectors import REVIEW_READERS_ONLY
from sfo.access import visible_cases
from sfo.audit.services import record_access
from sfo.documents.models import DocumentJob
from sfo.documents.services import may_see_job


def job_for(request, job_pk: int, *, action: str = "view") -> DocumentJob:
    """A job whose case the user may see, the look recorded; 404 (also recorded) otherwise. A PDF
    of the review is refused (403, recorded) to those who see the case but may not read its
    review: responsible officers, analysts and chief officers."""
    from django.db.models import Q

    from sfo.documents.services import VIEWERS

    # A registered kind (qa's letters and reports) answers for itself below; the rest are scoped
    # through their case.
    job = (
        DocumentJob.objects.select_related("case", "requested_by")
        .filter(Q(case__in=visible_cases(request.user)) | Q(kind__in=list(VIEWERS)), pk=job_pk)
        .first()
    )
    if job is None:
        record_access(
            request, object_type="documents.documentjob", object_id=str(job_pk), allowed=False
        )
        raise Http404("No document found")
    if not may_see_job(request.user, job):
        record_access(request, job, action=action, allowed=False)
        raise PermissionDenied(REVIEW_READERS_ONLY)
    record_access(request, job, action=action)
    return job
