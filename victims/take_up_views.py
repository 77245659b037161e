"""The take-up figures page (recommendation 14) and the same figures as a CSV file: per provider
and in total, for the people who became entitled in a year or a chosen period (the last 12
months unless chosen). Figures only; each look is one row of the read audit."""

import csv
import io
from datetime import date

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from reviews.chronology_import import figure_cell
from sfo.access import TAKE_UP_READERS, access
from sfo.audit.services import record_access
from sfo.govuk_forms import GovukDateField, GovukFormMixin, YearOrPeriodMixin
from victims.take_up import TakeUp, last_twelve_months, provider_scope, take_up


class TakeUpFilterForm(YearOrPeriodMixin, GovukFormMixin, forms.Form):
    """A calendar year, or a period from one date to another; a blank date of a period is that
    of the last 12 months, and nothing chosen is the last 12 months."""

    year = forms.IntegerField(
        label="Year",
        required=False,
        help_text="Convictions from 1 January to 31 December of this year. For example, 2025",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}),
        error_messages={"invalid": "Year must be a whole number, like 2025"},
    )
    start = GovukDateField(
        label="Start of the period",
        required=False,
        help_text="Convictions on or after this day. For example, 1 4 2025",
    )
    end = GovukDateField(
        label="End of the period",
        required=False,
        help_text="Convictions on or before this day. For example, 31 3 2026",
    )

    def __init__(self, *args, today: date, **kwargs):
        # No dates filled in: a year typed over prefilled dates would be refused as both.
        self.today = today
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if self.errors or self.took_year(data):
            return data
        start, end = data.get("start"), data.get("end")
        default_start, default_end = last_twelve_months(self.today)
        start = data["start"] = start or default_start
        end = data["end"] = end or default_end
        if start > self.today:
            self.add_error("start", "Start of the period must be today or in the past")
        elif end < start:
            self.add_error("end", "End of the period must be the same as or after its start")
        return data


def _figures(request) -> tuple[TakeUpFilterForm, TakeUp | None]:
    today = timezone.localdate()
    form = TakeUpFilterForm(request.GET or None, today=today)
    if form.is_bound and not form.is_valid():
        return form, None
    if form.is_bound:
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    else:
        start, end = last_twelve_months(today)
    return form, take_up(request.user, start=start, end=end)


def _permitted(request, action: str) -> None:
    """One read-audit row for the look, with no personal data in it; a refusal for a VLO or
    senior manager with no provider to see."""
    allowed = provider_scope(request.user) is not None
    record_access(
        request, object_type="victims.take_up", object_id="figures", action=action, allowed=allowed
    )
    if not allowed:
        raise PermissionDenied("Take-up figures are shown for your own provider only.")


def _page(request, form, figures, status=200):
    return render(
        request,
        "victims/take_up.html",
        {"form": form, "figures": figures, "query": request.GET.urlencode()},
        status=status,
    )


@access(TAKE_UP_READERS)
def take_up_page(request):
    """The figures as GOV.UK tables: every provider for the central team, analysts and chief
    officers; their own for VLOs and senior managers."""
    _permitted(request, "view")
    form, figures = _figures(request)
    return _page(request, form, figures)


# --- The same figures as CSV -----------------------------------------------------------------


CSV_COLUMNS = [
    "Provider",
    "Eligible",
    "Informed",
    "Requested",
    "Assessed",
    "Disclosed",
    "Declined",
    "First contacts counted",
    "Median days from conviction to first contact",
    "Mean days from conviction to first contact",
    "Meetings counted",
    "Median days from request to meeting",
    "Mean days from request to meeting",
]


def csv_rows(figures: TakeUp) -> list[list]:
    rows: list[list] = [
        ["Take-up of the entitlement to ask for the review"],
        ["Convicted from", figures.start, "to", figures.end],
        ["Providers", "All providers" if figures.national else figures.rows[0].label],
        [],
        CSV_COLUMNS,
    ]
    for row in [*figures.rows, figures.total]:
        rows.append(
            [
                row.label,
                row.eligible,
                row.informed,
                row.requested,
                row.assessed,
                row.disclosed,
                row.declined,
                row.to_first_contact.count,
                row.to_first_contact.median,
                row.to_first_contact.mean,
                row.to_meeting.count,
                row.to_meeting.median,
                row.to_meeting.mean,
            ]
        )
    return rows


@access(TAKE_UP_READERS)
def take_up_csv(request):
    """The page's figures as a CSV file for a spreadsheet; text cells cannot run as formulas."""
    _permitted(request, "download")
    form, figures = _figures(request)
    if figures is None:
        return _page(request, form, None)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in csv_rows(figures):
        writer.writerow([figure_cell(value) for value in row])
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Cache-Control"] = "no-store"
    response["Content-Disposition"] = (
        f'attachment; filename="victims-take-up-{figures.start}-to-{figures.end}.csv"'
    )
    return response
