"""The redacted copy of a review as a PDF, through the document queue (ADR 0008): the same print
layout as the full review, fed with the redacted data of the copy as its reader reads it, so that
nothing withheld is in the PDF's text or its metadata (its title names the case's reference
only). Each PDF is made for the person who asks and is theirs alone: a named member of staff's
copy shows them their own name, which their colleagues' copies withhold."""

from collections.abc import Callable

from django.template.loader import render_to_string

from reviews.models import RedactedCopy
from reviews.redaction import copy_data, may_read_copy
from sfo.documents.models import DocumentKind
from sfo.documents.review_pdf import long_date, review_print_context
from sfo.documents.services import queue_document, register_kind
from sfo.pdf import lay_out

COPY_TEMPLATE = "reviews/redacted/pdf.html"


def copy_title(case) -> str:
    return f"Redacted copy of the SFO review: {case.reference or case.crn}"


def copy_context(copy: RedactedCopy, reader) -> dict:
    """What the page and the PDF print: the review's print context built from the copy's
    redacted data for this reader."""
    case = copy.review.case
    context = review_print_context(case, reader, data=copy_data(copy, reader))
    return {
        **context,
        "title": copy_title(case),
        "copy": copy,
        "version": copy.version,
        "shared_on": long_date(copy.shared_at.date()),
    }


def _copy_of(job) -> RedactedCopy:
    return RedactedCopy.objects.select_related(
        "version",
        "shared_by",
        "review__case__managing_provider",
        "review__case__reviewing_provider",
        "review__case__reviewer",
    ).get(pk=job.params["copy"], review__case_id=job.case_id)


def render_copy(job, progress: Callable[[int], None]) -> tuple[str, bytes]:
    """The copy as a PDF for the person who asked; its file name carries no one's name."""
    copy = _copy_of(job)
    context = copy_context(copy, job.requested_by)
    progress(20)
    html_text = render_to_string(COPY_TEMPLATE, context)
    progress(40)
    document = lay_out(html_text)
    progress(70)
    content = document.write_pdf()
    case = copy.review.case
    slug = (case.reference or f"case-{case.pk}").lower().replace("/", "-")
    return f"redacted-review-{slug}-v{copy.version.number}.pdf", content


def may_see_copy_job(user, job) -> bool:
    """The PDF of a copy is its requester's, while they may still read the copy."""
    return (
        job.kind == DocumentKind.REDACTED_REVIEW
        and job.case_id is not None
        and (job.pk is None or job.requested_by_id == user.pk)
        and may_read_copy(user, job.case)
    )


def queue_copy_pdf(copy: RedactedCopy, *, by):
    return queue_document(
        kind=DocumentKind.REDACTED_REVIEW, by=by, case=copy.review.case, params={"copy": copy.pk}
    )


def register() -> None:
    register_kind(DocumentKind.REDACTED_REVIEW, renderer=render_copy, may_see=may_see_copy_job)
