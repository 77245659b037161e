"""Acting on a case's clocks: the provider asks for an extension, the central QA manager decides
it, and stops or restarts a clock. Each is a recorded event in sfo.clocks, never an edit of a due
date (DOMAIN.md, "The clocks")."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from reviews.forms import ExtensionDecisionForm, ExtensionRequestForm, ReasonForm
from reviews.selectors import case_for
from reviews.services import may_request_extension
from sfo.access import CASE_READERS, CENTRAL_QA_MANAGERS, access
from sfo.clocks import services as clocks
from sfo.clocks.models import Clock, ExtensionRequest, ExtensionStatus


def _clock(case, clock_pk) -> Clock:
    return get_object_or_404(Clock.objects.select_related("policy"), pk=clock_pk, case=case)


@access(CASE_READERS)
def request_extension(request, pk, clock_pk):
    case = case_for(request, pk)
    clock = _clock(case, clock_pk)
    if not may_request_extension(request.user, case, clock):
        raise PermissionDenied("Only the staff who owe this work ask for more time on its clock.")
    form = ExtensionRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            clocks.request_extension(
                clock, form.cleaned_data["days"], form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Extension requested: the central QA manager decides it")
            return redirect("reviews:case_detail", pk=case.pk)
    return render(
        request,
        "reviews/clock_form.html",
        {
            "case": case,
            "clock": clock,
            "form": form,
            "title": "Ask for more time",
            "button": "Request the extension",
        },
    )


@access(CENTRAL_QA_MANAGERS)
def decide_extension(request, pk, extension_pk):
    case = case_for(request, pk)
    extension = get_object_or_404(
        ExtensionRequest.objects.select_related("clock", "requested_by"),
        pk=extension_pk,
        clock__case=case,
        status=ExtensionStatus.REQUESTED,
    )
    form = ExtensionDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            clocks.decide_extension(
                extension,
                data["decision"] == "approve",
                data["days_granted"],
                by=request.user,
                note=data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Extension decided")
            return redirect("reviews:case_detail", pk=case.pk)
    return render(
        request,
        "reviews/clock_form.html",
        {
            "case": case,
            "clock": extension.clock,
            "extension": extension,
            "form": form,
            "title": "Decide the extension",
            "button": "Record the decision",
        },
    )


@access(CENTRAL_QA_MANAGERS)
def stop_or_restart(request, pk, clock_pk, action):
    """Stop a running clock (awaiting the CPS's advice, say) or restart a stopped one, today."""
    case = case_for(request, pk)
    clock = _clock(case, clock_pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        act = clocks.stop_clock if action == "stop" else clocks.restart_clock
        try:
            act(clock, timezone.localdate(), form.cleaned_data["reason"], by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Clock {'stopped' if action == 'stop' else 'restarted'}")
            return redirect("reviews:case_detail", pk=case.pk)
    title = "Stop the clock" if action == "stop" else "Restart the clock"
    return render(
        request,
        "reviews/clock_form.html",
        {
            "case": case,
            "clock": clock,
            "form": form,
            "title": title,
            "button": title,
        },
    )
