"""The concordance report as a PDF ready to publish (issue 6, item 6): document kind
"concordance", params {"sample": id}. `register()` plugs it into the document queue; the QA app
calls it from its AppConfig.ready, so that the documents app never imports this one."""

from collections.abc import Callable

from django.conf import settings
from django.utils import timezone

from sfo.access import CONCORDANCE_READERS
from sfo.pdf import render_pdf

KIND = "concordance"
TEMPLATE = "qa/pdf/concordance.html"


def may_see(user, job) -> bool:
    """Administrators, the central QA team, analysts and chief officers: never an assessor, who
    must not see central ratings before submitting their own."""
    return CONCORDANCE_READERS.allows(user)


def render(job, progress: Callable[[int], None]) -> tuple[str, bytes]:
    from qa.concordance import sample_concordance
    from qa.models import IndependentSample

    sample = IndependentSample.objects.get(pk=job.params["sample"])
    context = sample_concordance(sample)
    progress(30)
    context.update(
        {
            "title": f"Concordance of independent and central QA, {sample}",
            "protective_marking": settings.PROTECTIVE_MARKING,
            "generated_at": timezone.now(),
            "requested_by": job.requested_by,
        }
    )
    return f"concordance-sample-{sample.pk}.pdf", render_pdf(TEMPLATE, context)


def register() -> None:
    from sfo.documents.services import register_kind

    register_kind(KIND, renderer=render, may_see=may_see)
