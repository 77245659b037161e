"""The national picture's pages: the dashboard, the providers side by side, a CSV of any of their
tables, and the annual report. Thin: `insights.figures` counts, `insights.tables` lays out.

Who sees what: the central QA team, analysts and chief officers see the national figure and any
provider's; a provider's senior managers and SFO review managers see their own provider's beside
the national figure, and every provider in the benchmarking table, with the other providers'
small numbers withheld (`insights.tables`). Each look is one row of the read audit, naming the
page and the provider shown (an id), never a person."""

import csv
import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from insights import figures, tables
from insights.forms import AnnualReportForm, PictureFilterForm, last_full_year
from insights.report import request_annual_report
from reviews.chronology_import import figure_cell
from sfo.access import ANNUAL_REPORT_READERS, INSIGHTS_READERS, access
from sfo.audit.services import record_access
from sfo.documents.models import DocumentJob, DocumentKind
from sfo.people.models import PROVIDER_KINDS, Organisation
from sfo.people.roles import CENTRAL_QA_ROLES, READ_ONLY_NATIONAL_ROLES

NATIONAL_ROLES = CENTRAL_QA_ROLES | READ_ONLY_NATIONAL_ROLES


class Viewer:
    """What the user may see of the picture: every provider, or their own beside the national."""

    def __init__(self, user):
        self.national = bool(user.roles & NATIONAL_ROLES)
        self.own: int | None = None
        if not self.national:
            org = user.organisation
            if org is not None and org.kind in PROVIDER_KINDS:
                self.own = org.pk

    @property
    def allowed(self) -> bool:
        return self.national or self.own is not None


def _viewer(request, page: str) -> Viewer:
    viewer = Viewer(request.user)
    if not viewer.allowed:
        record_access(
            request, object_type="insights.dashboard", object_id=f"{page}:none", allowed=False
        )
        raise PermissionDenied("These figures are shown to a provider's own managers only.")
    return viewer


def _filters(request, viewer: Viewer, *, with_provider: bool = True):
    """The bound filter form (or an unbound one), the period, and the provider shown."""
    today = timezone.localdate()
    providers = None
    if viewer.national and with_provider:
        providers = list(
            Organisation.objects.filter(kind__in=PROVIDER_KINDS)
            .order_by("-active", "name")
            .values_list("pk", "name")
        )
    data = request.GET if request.GET else None
    form = PictureFilterForm(data, today=today, providers=providers)
    valid = form.is_valid() if form.is_bound else True
    if form.is_bound and valid:
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        chosen = form.provider_pk if viewer.national else None
    else:
        start, end = last_full_year(today)
        chosen = None
    provider_pk = viewer.own if viewer.own else chosen
    return form, valid, start, end, provider_pk, today


def _scope_id(provider_pk: int | None) -> str:
    return str(provider_pk) if provider_pk else "national"


@access(INSIGHTS_READERS)
def dashboard(request):
    """Every figure set for a period, as a chart and its data table, for the provider chosen (or
    the user's own) beside the national figure."""
    viewer = _viewer(request, "dashboard")
    form, valid, start, end, provider_pk, today = _filters(request, viewer)
    record_access(
        request, object_type="insights.dashboard", object_id=f"dashboard:{_scope_id(provider_pk)}"
    )
    context = {"form": form, "viewer": viewer, "query": request.GET.urlencode()}
    if valid:
        picture = figures.picture(start=start, end=end, today=today)
        context.update(
            picture=picture,
            provider=picture.provider(provider_pk),
            tables=tables.dashboard_tables(picture, provider_pk),
        )
    return render(request, "insights/dashboard.html", context)


@access(INSIGHTS_READERS)
def benchmarking(request):
    """Every provider side by side with the national figure (recommendation 2)."""
    viewer = _viewer(request, "benchmarking")
    form, valid, start, end, _provider, today = _filters(request, viewer, with_provider=False)
    record_access(
        request,
        object_type="insights.dashboard",
        object_id=f"benchmarking:{_scope_id(viewer.own)}",
    )
    context = {"form": form, "viewer": viewer, "query": request.GET.urlencode()}
    if valid:
        picture = figures.picture(start=start, end=end, today=today)
        context.update(
            picture=picture,
            own=picture.provider(viewer.own),
            tables=tables.benchmarking_tables(
                picture, own=viewer.own, suppress=not viewer.national
            ),
        )
    return render(request, "insights/benchmarking.html", context)


@access(INSIGHTS_READERS)
def table_csv(request, table: str):
    """One table of the dashboard or the benchmarking page as a CSV file, for the same filters;
    text cells cannot run as formulas."""
    if table not in tables.TABLE_NAMES:
        raise Http404("No such table")
    viewer = _viewer(request, "csv")
    form, valid, start, end, provider_pk, today = _filters(request, viewer)
    record_access(
        request,
        object_type="insights.dashboard",
        object_id=f"{table}:{_scope_id(provider_pk)}",
        action="download",
    )
    if not valid:
        return render(
            request, "insights/dashboard.html", {"form": form, "viewer": viewer}, status=400
        )
    picture = figures.picture(start=start, end=end, today=today)
    chosen = tables.all_tables(picture, provider_pk, own=viewer.own, suppress=not viewer.national)[
        table
    ]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in csv_rows(chosen, start, end):
        writer.writerow([figure_cell(value) for value in row])
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Cache-Control"] = "no-store"
    response["Content-Disposition"] = (
        f'attachment; filename="sfo-{table}-{start}-to-{end}-{_scope_id(provider_pk)}.csv"'
    )
    return response


def csv_value(value):
    """A cell as the CSV holds it: a share as its percentage, a withheld figure as words."""
    if isinstance(value, figures.Rate):
        return value.percent
    if isinstance(value, tables.Suppressed):
        return value.label
    return value


def csv_rows(table: tables.Table, start, end) -> list[list]:
    rows: list[list] = [[table.title], ["From", start, "to", end], [], table.columns]
    rows += [[csv_value(cell) for cell in row] for row in table.rows]
    if table.note:
        rows += [[], [table.note]]
    return rows


# --- The annual report ---------------------------------------------------------------------------


@access(ANNUAL_REPORT_READERS)
def annual_report(request):
    """Choose a year and ask for its report, made by a worker; the reports made earlier."""
    today = timezone.localdate()
    if request.method == "POST":
        form = AnnualReportForm(request.POST, today=today)
        if form.is_valid():
            job = request_annual_report(year=form.cleaned_data["year"], by=request.user)
            messages.success(request, "We are making the annual report")
            return redirect("documents:job", job_pk=job.pk)
    else:
        form = AnnualReportForm(initial={"year": today.year - 1}, today=today)
    record_access(request, object_type="insights.annual_report", object_id="annual_report:list")
    earlier = (
        DocumentJob.objects.filter(kind=DocumentKind.ANNUAL_REPORT)
        .select_related("requested_by")
        .order_by("-created_at")[:50]
    )
    return render(request, "insights/annual_report.html", {"form": form, "earlier": earlier})
