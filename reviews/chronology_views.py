"""The chronology editor: the review's entries in date order with those before the review period
marked, adding, editing (with the optimistic version check) and deleting entries, the review
period, the section's status, and importing entries from a CSV file with a report of every row
refused. Thin: the services of `reviews.authoring` and `reviews.chronology_import` change things.

Everyone who may read the review reads the chronology; only its writer (`refusal_to_write` is None)
sees and uses the editing pages."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from reviews import authoring
from reviews import chronology_import as importing
from reviews.authoring import EditConflict, EntryFacts
from reviews.models import (
    ChronologyEntry,
    ChronologyImport,
    ChronologySource,
    Finding,
    Review,
    ReviewSection,
    SectionKey,
    SectionStatus,
)
from reviews.selectors import review_case_for, writable_review_case_for
from sfo.access import CASE_READERS, access
from sfo.govuk_forms import GovukDateField, GovukFormMixin, rebased

# --- Forms ---------------------------------------------------------------------------------


class EntryForm(GovukFormMixin, forms.Form):
    occurred_on = GovukDateField(
        label="Date of the event",
        help_text="For example, 27 3 2025",
        error_messages={"required": "Enter the date of the event"},
    )
    source = forms.ChoiceField(
        label="Where it is recorded",
        choices=[("", "Choose the source"), *ChronologySource.choices],
        error_messages={"required": "Choose where the event is recorded"},
    )
    event = forms.CharField(
        label="What happened",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the event: what happened"},
    )
    significant = forms.BooleanField(label="This is a significant event", required=False)
    emerging_issue = forms.CharField(
        label="Emerging issue (optional)",
        help_text="What the event shows, or should have prompted",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    finding = forms.TypedChoiceField(
        label="The key finding it supports (optional)",
        coerce=int,
        empty_value=None,
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, findings=(), editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["finding"].choices = [("", "None"), *((f.pk, f.title) for f in findings)]
        if not editing:
            del self.fields["version"]

    def clean_occurred_on(self):
        occurred_on = self.cleaned_data.get("occurred_on")
        if occurred_on and occurred_on > timezone.localdate():
            raise ValidationError("The date of the event must be today or in the past")
        return occurred_on

    def facts(self) -> EntryFacts:
        data = self.cleaned_data
        return EntryFacts(
            occurred_on=data["occurred_on"],
            source=data["source"],
            event=data["event"],
            significant=data["significant"],
            emerging_issue=data["emerging_issue"],
            finding_id=data["finding"],
        )


class ReviewPeriodForm(GovukFormMixin, forms.Form):
    start = GovukDateField(
        label="Start of the review period",
        help_text="For example, 1 4 2025. Chronology entries before it are marked “Before the "
        "review period”. Leave it empty if the review period is not set yet.",
        required=False,
    )

    def clean_start(self):
        start = self.cleaned_data.get("start")
        if start and start > timezone.localdate():
            raise ValidationError("The start of the review period must be today or in the past")
        return start


class SectionStatusForm(GovukFormMixin, forms.Form):
    status = forms.ChoiceField(
        label="Have you completed the chronology?",
        widget=forms.RadioSelect,
        choices=[
            (SectionStatus.COMPLETED, "Yes, I have completed it"),
            (SectionStatus.IN_PROGRESS, "No, I’ll come back to it later"),
        ],
        error_messages={"required": "Choose whether you have completed the chronology"},
    )


class ImportForm(GovukFormMixin, forms.Form):
    file = forms.FileField(
        label="Upload a CSV file",
        help_text=f"A CSV file smaller than {importing.MAX_SIZE_LABEL}, its first row naming the "
        "columns date, source, event, significant and emerging_issue (and finding, to link "
        "entries to key findings by their title)",
        error_messages={
            "required": "Select a CSV file",
            "empty": "The selected file is empty",
            "invalid": "Select a CSV file",
            "missing": "Select a CSV file",
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if getattr(upload, "too_large", False) or upload.size > importing.MAX_BYTES:
            raise ValidationError(importing.TOO_LARGE)
        return upload


# --- Who may read and write ----------------------------------------------------------------


def _findings(review: Review | None) -> list[Finding]:
    return list(review.findings.only("pk", "title")) if review else []


def _editor(request, pk):
    return redirect("reviews:chronology", pk=pk)


# --- The editor ----------------------------------------------------------------------------


MONTHS = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _editor_context(request, case, **extra) -> dict:
    """Every entry in date order with its finding's title in one query, as plain values, and the
    marks worked out here from one read of the review: the page's queries do not grow with the
    chronology, and a 600-entry chronology renders well within its 300 ms (benchmarks/
    review_editor.py), which model instances and a template filter per cell would not."""
    may_write = authoring.refusal_to_write(request.user, case) is None
    review = Review.objects.filter(case=case).first()
    if review is None and may_write:
        review = authoring.review_of(case)  # created when its writer first opens it
    entries, section = [], None
    if review is not None:
        entries = (
            ChronologyEntry.objects.filter(review=review)
            .order_by("occurred_on", "pk")
            .values_list(
                "pk",
                "occurred_on",
                "source",
                "event",
                "significant",
                "emerging_issue",
                "finding__title",
            )
        )
        section = ReviewSection.objects.filter(review=review, key=SectionKey.CHRONOLOGY).first()
    start = review.review_period_start if review else None
    base = reverse("reviews:chronology", kwargs={"pk": case.pk})
    labels = dict(ChronologySource.choices)
    rows = [
        {
            "pk": str(pk),
            "date": f"{on.day} {MONTHS[on.month]} {on.year}",
            "label": f"entry {number}, {on.day} {MONTHS[on.month]} {on.year}",
            "source": labels.get(source, source),
            "event": event,
            "significant": significant,
            "emerging_issue": emerging_issue,
            "finding": finding or "",
            "before": start is not None and on < start,
            # The entry pages' paths as `urlpatterns` below lays them out, without a reverse()
            # for each of hundreds of rows.
            "edit_url": f"{base}{pk}/edit/",
            "delete_url": f"{base}{pk}/delete/",
        }
        for number, (pk, on, source, event, significant, emerging_issue, finding) in enumerate(
            entries, start=1
        )
    ]
    status = section.status if section else SectionStatus.NOT_STARTED
    return {
        "case": case,
        "review": review,
        "rows": rows,
        "count": len(rows),
        "significant": sum(1 for row in rows if row["significant"]),
        "before": sum(1 for row in rows if row["before"]),
        "period_start": start,
        "status": status,
        "status_label": SectionStatus(status).label,
        "may_write": may_write,
        "status_form": SectionStatusForm(
            initial={"status": status if status != SectionStatus.NOT_STARTED else None}
        ),
        **extra,
    }


@access(CASE_READERS)
def chronology(request, pk):
    """The chronology in date order: read by everyone who may read the review, edited by its
    writer."""
    case = review_case_for(request, pk)
    return render(request, "reviews/review/chronology.html", _editor_context(request, case))


@access(CASE_READERS)
def chronology_status(request, pk):
    """Mark the chronology section in progress or completed (a form on the editor page)."""
    case = writable_review_case_for(request, pk, "write:chronology")
    if request.method != "POST":
        return _editor(request, case.pk)
    form = SectionStatusForm(request.POST)
    if form.is_valid():
        authoring.mark_section(
            case, SectionKey.CHRONOLOGY, by=request.user, status=form.cleaned_data["status"]
        )
        label = SectionStatus(form.cleaned_data["status"]).label.lower()
        messages.success(request, f"Chronology marked {label}")
        return _editor(request, case.pk)
    context = _editor_context(request, case, status_form=form, form=form)
    return render(request, "reviews/review/chronology.html", context)


@access(CASE_READERS)
def review_period(request, pk):
    """Set the start of the review period: entries before it are marked as history."""
    case = writable_review_case_for(request, pk, "write:chronology")
    review = authoring.review_of(case)
    form = ReviewPeriodForm(request.POST or None, initial={"start": review.review_period_start})
    if request.method == "POST" and form.is_valid():
        try:
            authoring.set_review_period(case, by=request.user, start=form.cleaned_data["start"])
        except ValidationError as error:
            form.add_error("start", error)
        else:
            start = form.cleaned_data["start"]
            messages.success(
                request,
                f"Review period starts on {start:%-d %B %Y}"
                if start
                else "The start of the review period is cleared",
            )
            return _editor(request, case.pk)
    return render(request, "reviews/review/chronology_period.html", {"case": case, "form": form})


@access(CASE_READERS)
def chronology_add(request, pk):
    """Add one entry; "Save and add another" comes back to an empty form."""
    case = writable_review_case_for(request, pk, "write:chronology")
    review = authoring.review_of(case)
    form = EntryForm(request.POST or None, findings=_findings(review))
    if request.method == "POST" and form.is_valid():
        try:
            (entry,) = authoring.add_entries(case, by=request.user, entries=[form.facts()])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Entry of {entry.occurred_on:%-d %B %Y} added")
            if "another" in request.POST:
                return redirect("reviews:chronology_add", pk=case.pk)
            return redirect(f"{reverse('reviews:chronology', args=[case.pk])}#entry-{entry.pk}")
    return render(
        request,
        "reviews/review/chronology_entry.html",
        {"case": case, "form": form, "adding": True},
    )


def _entry_of(case, entry_pk) -> ChronologyEntry:
    entry = (
        ChronologyEntry.objects.filter(review__case=case, pk=entry_pk)
        .select_related("finding")
        .first()
    )
    if entry is None:
        raise Http404("No such entry in this chronology")
    return entry


def _facts_of(entry: ChronologyEntry) -> dict:
    return {
        "occurred_on": entry.occurred_on,
        "source": entry.source,
        "event": entry.event,
        "significant": entry.significant,
        "emerging_issue": entry.emerging_issue,
        "finding_id": entry.finding_id,
    }


def _shown(facts: dict, findings: list[Finding]) -> dict:
    """An entry's facts as the conflict page shows them."""
    titles = {f.pk: f.title for f in findings}
    return {
        "occurred_on": facts["occurred_on"],
        "source": dict(ChronologySource.choices).get(facts["source"], facts["source"]),
        "event": facts["event"],
        "significant": facts["significant"],
        "emerging_issue": facts["emerging_issue"],
        "finding": titles.get(facts["finding_id"], ""),
    }


@access(CASE_READERS)
def chronology_edit(request, pk, entry_pk):
    """Edit an entry, if nobody saved it since it was opened; otherwise show both versions, with
    the form holding what this person typed and set to save over the saved version if sent
    again."""
    case = writable_review_case_for(request, pk, "write:chronology")
    if (
        request.method == "POST"
        and not ChronologyEntry.objects.filter(review__case=case, pk=entry_pk).exists()
    ):
        return _entry_removed(request, case)
    entry = _entry_of(case, entry_pk)
    findings = _findings(entry.review)
    initial = _facts_of(entry)
    initial.update(finding=initial.pop("finding_id"), version=entry.version)
    form = EntryForm(request.POST or None, initial=initial, findings=findings, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            authoring.update_entry(
                case,
                entry.pk,
                by=request.user,
                facts=form.facts(),
                expected_version=form.cleaned_data["version"] or 0,
            )
        except EditConflict as conflict:
            data = rebased(request.POST, conflict.current.version)
            saved = conflict.current
            return render(
                request,
                "reviews/review/chronology_conflict.html",
                {
                    "case": case,
                    "entry": saved,
                    "message": str(conflict),
                    "mine": _shown(conflict.mine, findings),
                    "saved": _shown(_facts_of(saved), findings),
                    "form": EntryForm(data, findings=findings, editing=True),
                },
                status=409,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            occurred_on = form.cleaned_data["occurred_on"]
            messages.success(request, f"Entry of {occurred_on:%-d %B %Y} saved")
            return redirect(f"{reverse('reviews:chronology', args=[case.pk])}#entry-{entry.pk}")
    return render(
        request,
        "reviews/review/chronology_entry.html",
        {"case": case, "form": form, "entry": entry, "adding": False},
    )


def _entry_removed(request, case):
    """The entry was deleted while this person edited it: what they typed stays on the page, and
    saving it adds the entry again."""
    form = EntryForm(request.POST, findings=_findings(authoring.review_of(case)))
    form.is_valid()
    form.add_error(
        None,
        "This entry was removed while you were editing it. What you typed is below: save it to "
        "add the entry again.",
    )
    return render(
        request,
        "reviews/review/chronology_entry.html",
        {
            "case": case,
            "form": form,
            "adding": True,
            "form_action": reverse("reviews:chronology_add", args=[case.pk]),
        },
    )


@access(CASE_READERS)
def chronology_delete(request, pk, entry_pk):
    """Delete an entry, after a page that asks to confirm."""
    case = writable_review_case_for(request, pk, "write:chronology")
    entry = _entry_of(case, entry_pk)
    if request.method == "POST":
        authoring.delete_entry(case, entry.pk, by=request.user)
        messages.success(request, f"Entry of {entry.occurred_on:%-d %B %Y} deleted")
        return _editor(request, case.pk)
    return render(
        request,
        "reviews/review/chronology_delete.html",
        {"case": case, "entry": entry, "source": entry.get_source_display()},
    )


# --- Importing from CSV --------------------------------------------------------------------


@csrf_exempt
@access(CASE_READERS)
def chronology_import(request, pk):
    """Upload a CSV file of entries. The file is held in memory only, and no more than the size
    limit of it: the upload handler is set before anything reads the request body, which is why
    the CSRF check runs inside (`csrf_protect`) rather than in the middleware."""
    request.upload_handlers = [importing.InMemoryLimitedUpload(request)]
    return _chronology_import(request, pk)


@csrf_protect
def _chronology_import(request, pk):
    case = writable_review_case_for(request, pk, "write:chronology")
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            record = importing.import_chronology(
                case, by=request.user, filename=upload.name, data=upload.read()
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect("reviews:chronology_import_report", pk=case.pk, import_pk=record.pk)
    imports = ChronologyImport.objects.filter(review__case=case).select_related("by")
    return render(
        request,
        "reviews/review/chronology_import.html",
        {
            "case": case,
            "form": form,
            "imports": imports,
            "max_size": importing.MAX_SIZE_LABEL,
            "sources": ChronologySource.choices,
        },
    )


def _import_of(request, pk, import_pk, *, action="view"):
    case = review_case_for(request, pk, action=action)
    record = (
        ChronologyImport.objects.filter(review__case=case, pk=import_pk)
        .select_related("by")
        .first()
    )
    if record is None:
        raise Http404("No such import for this case")
    return case, record


@access(CASE_READERS)
def chronology_import_report(request, pk, import_pk):
    """What an import added, and every row it refused with its line, its cells and why."""
    case, record = _import_of(request, pk, import_pk)
    width = max([len(record.columns), *(len(r["cells"]) for r in record.rejected_rows)])
    columns = [*record.columns, *[""] * (width - len(record.columns))]
    rows = [
        {**row, "cells": [*row["cells"], *[""] * (width - len(row["cells"]))]}
        for row in record.rejected_rows
    ]
    return render(
        request,
        "reviews/review/chronology_import_report.html",
        {"case": case, "record": record, "columns": columns, "rows": rows},
    )


@access(CASE_READERS)
def chronology_import_rejected(request, pk, import_pk):
    """The rejected rows as a CSV file with their reasons, to fix and import again."""
    # One look, one row: the case's, saying it was this download.
    case, record = _import_of(request, pk, import_pk, action="download:rejected_rows")
    response = HttpResponse(
        importing.rejected_rows_csv(record), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="chronology-rejected-rows-{case.pk}-{record.pk}.csv"'
    )
    return response


urlpatterns = [
    path("<int:pk>/review/chronology/", chronology, name="chronology"),
    path("<int:pk>/review/chronology/add/", chronology_add, name="chronology_add"),
    path(
        "<int:pk>/review/chronology/<int:entry_pk>/edit/", chronology_edit, name="chronology_edit"
    ),
    path(
        "<int:pk>/review/chronology/<int:entry_pk>/delete/",
        chronology_delete,
        name="chronology_delete",
    ),
    path("<int:pk>/review/chronology/status/", chronology_status, name="chronology_status"),
    path("<int:pk>/review/chronology/period/", review_period, name="review_period"),
    path("<int:pk>/review/chronology/import/", chronology_import, name="chronology_import"),
    path(
        "<int:pk>/review/chronology/imports/<int:import_pk>/",
        chronology_import_report,
        name="chronology_import_report",
    ),
    path(
        "<int:pk>/review/chronology/imports/<int:import_pk>/rejected.csv",
        chronology_import_rejected,
        name="chronology_import_rejected",
    ),
]
