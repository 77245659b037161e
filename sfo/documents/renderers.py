"""What each kind of document is made from: a pure render over the data the person who asked may
see. Each renderer takes the job and a progress callback and returns (file name, PDF bytes)."""

from collections.abc import Callable

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from sfo.pdf import lay_out, render_pdf


def render_case_summary(job, progress: Callable[[int], None]) -> tuple[str, bytes]:
    """The case's facts, clocks and timeline, as the case page shows them to the person who
    asked. No victims' details: only their existence is on the case page, and not even that here."""
    from reviews.selectors import case_page_context

    case = job.case
    context = case_page_context(job.requested_by, case)
    # Evaluated now, so that the rendering below measures only the PDF.
    context["timeline"] = list(context["timeline"])
    progress(30)
    context.update(
        {
            "title": f"Case summary: {case.reference or case.crn}",
            "protective_marking": settings.PROTECTIVE_MARKING,
            "generated_at": timezone.now(),
            "requested_by": job.requested_by,
        }
    )
    content = render_pdf("documents/pdf/case_summary.html", context)
    slug = (case.reference or f"case-{case.pk}").lower()
    return f"case-summary-{slug}.pdf", content


REVIEW_TEMPLATE = "documents/pdf/review.html"


def render_review(job, progress: Callable[[int], None]) -> tuple[str, bytes]:
    """The case's current review with its chronology, findings and action plan, as its readers
    see it. Only readers of the review may ask for it (services.request_document) or download it
    (services.may_see_job). Laid out, then written, with the same fetcher as every PDF: the
    project's static files and nothing else."""
    from sfo.documents.review_pdf import review_print_context

    context = review_print_context(job.case, job.requested_by)
    progress(10)
    html = render_to_string(REVIEW_TEMPLATE, context)
    progress(20)
    document = lay_out(html)
    progress(70)
    content = document.write_pdf()
    slug = (job.case.reference or f"case-{job.case.pk}").lower()
    return f"review-{slug}.pdf", content


RENDERERS = {"case_summary": render_case_summary, "review": render_review}
