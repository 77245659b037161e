"""The alerts inbox: a person's own alerts, and marking them read. Nobody sees anyone else's: an
alert that is not yours is not found (404), whoever you are."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from sfo.access import SIGNED_IN, access
from sfo.alerts import services
from sfo.alerts.models import Alert
from sfo.alerts.selectors import inbox_of
from sfo.audit.services import record_views

PAGE_SIZE = 50


@access(SIGNED_IN)
def inbox(request):
    page = Paginator(inbox_of(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    # An alert names its case, by its CRN until it is registered: each case is recorded as listed.
    alerts = list(page.object_list)
    record_views(request, [alert.case for alert in alerts], action="list")
    return render(request, "alerts/inbox.html", {"page": page, "alerts": alerts})


@access(SIGNED_IN)
@require_POST
def mark_read(request, pk):
    alert = get_object_or_404(Alert, pk=pk, recipient=request.user)
    services.mark_read(alert=alert, by=request.user)
    return redirect("alerts:inbox")


@access(SIGNED_IN)
@require_POST
def mark_all_read(request):
    count = services.mark_all_read(by=request.user)
    if count:
        messages.success(request, f"{count} alert{'s' * (count != 1)} marked as read")
    return redirect("alerts:inbox")
