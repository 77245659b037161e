"""The extract for an agency (page, PDF through the document queue) and the log of extracts sent.
Same rules as `agencies.views`: AGENCY_READERS, then `services.may_read` for the case (404 for a
case or agency not theirs to see), and `services.may_edit` for the pages that change something
(403). One read-audit row per request; the PDF's own page and download audit themselves."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from agencies import forms, selectors, services
from agencies.extract import extract_context
from agencies.views import _involvement
from sfo.access import AGENCY_READERS, access


@access(AGENCY_READERS)
def extract(request, pk, involvement_pk):
    """The findings and actions that concern the agency, from the review as submitted to the
    central team (redacted for another agency), with the case facts it needs: what its PDF
    prints."""
    involvement = _involvement(request, pk, involvement_pk)
    context = extract_context(involvement, request.user)
    return render(
        request,
        "agencies/extract.html",
        {
            **context,
            "jobs": list(selectors.extract_jobs(involvement)[:5]),
            "may_edit": services.may_edit(request.user, involvement.case),
            "errors": [],
        },
    )


@access(AGENCY_READERS)
@require_POST
def make_extract(request, pk, involvement_pk):
    """The extract's PDF, made by a document job whose page follows it."""
    involvement = _involvement(request, pk, involvement_pk, write=True)
    try:
        job = services.make_extract(involvement, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("agencies:extract", pk=pk, involvement_pk=involvement.pk)
    messages.success(request, "The extract is being made")
    return redirect("documents:job", job_pk=job.pk)


@access(AGENCY_READERS)
def record_share(request, pk, involvement_pk):
    """Record that an extract was sent: to whom, how, when, and which PDF. Append-only."""
    involvement = _involvement(request, pk, involvement_pk, write=True)
    jobs = list(selectors.done_extract_jobs(involvement))
    form = forms.ShareForm(
        request.POST or None,
        jobs=jobs,
        initial={
            "recipient_agency": involvement.agency.name,
            "job": jobs[0].pk if jobs else None,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.record_share(
                involvement,
                by=request.user,
                facts=services.ShareFacts(job_id=data.pop("job"), **data),
            )
        except ValidationError as error:
            forms.add_service_error(form, error)
        else:
            messages.success(request, "Recorded that the extract was sent")
            return redirect("agencies:involvement", pk=pk, involvement_pk=involvement.pk)
    return render(
        request,
        "agencies/form.html",
        {
            "case": involvement.case,
            "involvement": involvement,
            "form": form,
            "heading": f"Record that the extract was sent to {involvement.agency.name}",
            "button": "Record it",
        },
    )
