"""The turnaround and backlog page of central QA, and the same tables as a CSV file: how many
submissions wait for feedback, how long feedback takes (median and 90th percentile, in working
and calendar days, per month and per provider), and the shadow ratings per provider."""

import csv
import io
from datetime import date

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from qa.turnaround import TARGET_WORKING_DAYS, Figures, Provider, turnaround_figures
from reviews.chronology_import import figure_cell
from sfo.access import QA_FIGURES_READERS, access, visible_cases
from sfo.govuk_forms import GovukDateField, GovukFormMixin
from sfo.people.models import PROVIDER_KINDS, Organisation

# The longest period the page will count: a month row each, so keep the page readable.
LONGEST_PERIOD_YEARS = 10


def default_period(today: date) -> tuple[date, date]:
    """The last 12 months: from the first day of the month eleven months ago to today, so that
    the current month and the eleven whole months before it each get a row."""
    months = today.year * 12 + today.month - 1 - 11
    return date(months // 12, months % 12 + 1, 1), today


class TurnaroundFilterForm(GovukFormMixin, forms.Form):
    start = GovukDateField(
        label="Start of the period",
        required=False,
        help_text="Feedback given on or after this day. For example, 1 12 2025",
    )
    end = GovukDateField(
        label="End of the period",
        required=False,
        help_text="Feedback given on or before this day. For example, 30 11 2026",
    )
    provider = forms.ModelChoiceField(
        label="Provider",
        required=False,
        empty_label="All providers",
        queryset=Organisation.objects.filter(kind__in=PROVIDER_KINDS).order_by("name"),
        error_messages={"invalid_choice": "Select a provider from the list"},
    )

    def __init__(self, *args, today: date, **kwargs):
        self.today = today
        start, end = default_period(today)
        super().__init__(*args, initial={"start": start, "end": end}, **kwargs)

    def clean(self):
        data = super().clean()
        if self.has_error("start") or self.has_error("end"):
            return data
        default_start, default_end = default_period(self.today)
        start = data["start"] = data.get("start") or default_start
        end = data["end"] = data.get("end") or default_end
        if end < start:
            self.add_error("end", "End of the period must be the same as or after its start")
        elif end.year - start.year > LONGEST_PERIOD_YEARS:
            self.add_error(
                "start", f"The period must be {LONGEST_PERIOD_YEARS} years long or shorter"
            )
        return data


def _figures(request) -> tuple[TurnaroundFilterForm, Figures | None]:
    today = timezone.localdate()
    form = TurnaroundFilterForm(request.GET or None, today=today)
    if form.is_bound and not form.is_valid():
        return form, None
    if form.is_bound:
        start, end, organisation = (form.cleaned_data[k] for k in ("start", "end", "provider"))
    else:
        (start, end), organisation = default_period(today), None
    provider = Provider(organisation.pk, organisation.name) if organisation else None
    figures = turnaround_figures(
        start=start,
        end=end,
        provider=provider,
        cases=visible_cases(request.user),
        today=today,
    )
    return form, figures


@access(QA_FIGURES_READERS)
def turnaround(request):
    """The figures as GOV.UK tables, for a period (the last 12 months unless chosen) and
    optionally one provider."""
    form, figures = _figures(request)
    return render(
        request,
        "qa/turnaround.html",
        {
            "form": form,
            "figures": figures,
            "target": TARGET_WORKING_DAYS,
            "query": request.GET.urlencode(),
        },
    )


# --- The same tables as CSV -----------------------------------------------------------------


TURNAROUND_COLUMNS = [
    "Feedback given",
    "Median working days",
    "90th percentile working days",
    "Median calendar days",
    "90th percentile calendar days",
    f"Within {TARGET_WORKING_DAYS} working days",
    f"Share within {TARGET_WORKING_DAYS} working days (%)",
]


def _turnaround_cells(row) -> list:
    return [
        row.label,
        row.count,
        row.median_working_days,
        row.p90_working_days,
        row.median_calendar_days,
        row.p90_calendar_days,
        row.within_target,
        row.share_within_target,
    ]


def figures_table_rows(figures: Figures) -> list[list]:
    """Every table of the page, one after another, each under its caption."""
    rows: list[list] = [
        ["Central QA turnaround and backlog"],
        ["Feedback given from", figures.start, "to", figures.end],
        ["Provider", figures.provider.name if figures.provider else "All providers"],
        ["Waiting for feedback on", figures.today],
        [],
        ["Waiting for feedback"],
        [
            "Provider",
            "Waiting",
            f"Waiting beyond {TARGET_WORKING_DAYS} working days",
            "Past their due date",
            "Oldest waiting since",
            "Oldest waiting (working days)",
            "Oldest waiting case",
        ],
    ]
    for row in [*figures.backlog_by_provider, figures.backlog]:
        rows.append(
            [
                row.label,
                row.waiting,
                row.beyond_target,
                row.past_due,
                row.oldest_started_on,
                row.oldest_working_days,
                row.oldest_reference,
            ]
        )
    for caption, first, table in (
        ("Submission to feedback, per month of feedback", "Month", figures.turnaround_by_month),
        ("Submission to feedback, per provider", "Provider", figures.turnaround_by_provider),
    ):
        rows += [[], [caption], [first, *TURNAROUND_COLUMNS]]
        rows += [_turnaround_cells(row) for row in table]
        rows.append([f"All {first.lower()}s", *_turnaround_cells(figures.turnaround)[1:]])
    ratings = figures.ratings
    for caption, overall, table in (
        ("Review ratings", ratings.review_overall, ratings.review_by_provider),
        ("Action plan ratings", ratings.action_plan_overall, ratings.action_plan_by_provider),
    ):
        header = ["Provider", "Assessments"]
        for level in ratings.levels:
            header += [level, f"{level} (%)"]
        rows += [[], [caption], header]
        for row in [*table, overall]:
            cells = [row.label, row.total]
            for level in row.levels:
                cells += [level.count, level.share]
            rows.append(cells)
    return rows


@access(QA_FIGURES_READERS)
def turnaround_csv(request):
    """The page's tables as a CSV file for a spreadsheet; text cells cannot run as formulas."""
    form, figures = _figures(request)
    if figures is None:
        return render(
            request,
            "qa/turnaround.html",
            {"form": form, "figures": None, "target": TARGET_WORKING_DAYS, "query": ""},
        )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in figures_table_rows(figures):
        writer.writerow([figure_cell(value) for value in row])
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Cache-Control"] = "no-store"
    response["Content-Disposition"] = (
        f'attachment; filename="central-qa-turnaround-{figures.start}-to-{figures.end}.csv"'
    )
    return response


urlpatterns = [
    path("turnaround/", turnaround, name="turnaround"),
    path("turnaround/csv/", turnaround_csv, name="turnaround_csv"),
]
