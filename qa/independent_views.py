"""Pages of the independent QA of a sample (issue 6, item 6).

Administrators draw samples, follow their progress and map the independent scale onto the central
one. Independent assessors see the reviews sampled for them and rate each one blind: the central
rating, feedback and answers reach their pages only once their own assessment is submitted. The
concordance report (tables 4.6 and 4.7 of the inspection) is a page, a CSV and a PDF for the
central team, analysts, chief officers and administrators. Thin: forms validate, the services of
`qa.sampling` and `qa.independent` write, `qa.concordance` computes."""

import csv
import io
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from qa import independent, sampling
from qa.concordance import sample_concordance
from qa.models import (
    IndependentSample,
    RatingLevel,
    SampleAssignment,
    ScaleMapping,
    ScaleUse,
)
from qa.services import find_scale
from reviews.chronology_import import safe_cell
from reviews.models import Answer
from sfo.access import (
    ADMINISTRATION,
    CONCORDANCE_READERS,
    INDEPENDENT_ASSESSORS,
    access,
    ensure,
)
from sfo.audit.services import record_access
from sfo.govuk_forms import GovukDateField, GovukFormMixin, optional_textarea
from sfo.people.models import User
from sfo.people.roles import Role

# --- Forms -----------------------------------------------------------------------------------


def assessors_in_post():
    return (
        User.objects.filter(is_active=True, groups__name=Role.INDEPENDENT_ASSESSOR.value)
        .select_related("organisation")
        .order_by("last_name", "first_name", "pk")
        .distinct()
    )


class DrawSampleForm(GovukFormMixin, forms.Form):
    period_start = GovukDateField(
        label="Start of the period",
        help_text="Reviews whose central QA was completed on or after this day. For example, "
        "1 4 2025",
        error_messages={"required": "Enter the start of the period"},
    )
    period_end = GovukDateField(
        label="End of the period",
        help_text="Reviews whose central QA was completed on or before this day",
        error_messages={"required": "Enter the end of the period"},
    )
    percent = forms.DecimalField(
        label="Proportion of each provider's reviews, as a percentage",
        help_text="20% by default; each provider's number is rounded to the nearest whole review",
        initial=20,
        min_value=Decimal("0.1"),
        max_value=Decimal(100),
        decimal_places=1,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "decimal"}),
        error_messages={
            "required": "Enter the proportion to sample, like 20",
            "invalid": "Enter the proportion as a number, like 20",
            "min_value": "The proportion must be at least 0.1%%",
            "max_value": "The proportion must be at most 100%%",
            "max_decimal_places": "Give the proportion to one decimal place at most",
        },
    )
    seed = forms.IntegerField(
        label="Seed (optional)",
        help_text="Leave blank for a new random sample. The same seed over the same reviews "
        "draws the same cases; reviews already in another sample are left out.",
        required=False,
        min_value=0,
        max_value=2**63 - 1,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20", "inputmode": "numeric"}),
        error_messages={
            "invalid": "Enter the seed as a whole number",
            "min_value": "The seed is a whole number of 0 or more",
            "max_value": "The seed is at most 9223372036854775807",
        },
    )
    assessors = forms.ModelMultipleChoiceField(
        label="Assessors to share the sample",
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one assessor"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessors"].queryset = assessors_in_post()
        self.fields["assessors"].label_from_instance = lambda u: (
            f"{u.get_full_name() or u.username}"
            + (f", {u.organisation.name}" if u.organisation else "")
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "The end of the period must be on or after its start")
        return data


class MappingForm(GovukFormMixin, forms.Form):
    """One select per independent level: the central level it counts as, or not mapped."""

    def __init__(self, *args, independent_levels, central_levels, current, **kwargs):
        super().__init__(*args, **kwargs)
        self.levels = list(independent_levels)
        choices = [("", "Not mapped")] + [(str(c.pk), c.label) for c in central_levels]
        self.central = {str(c.pk): c for c in central_levels}
        for level in self.levels:
            mapped = current.get(level.pk)
            self.fields[f"level_{level.pk}"] = forms.ChoiceField(
                label=f"{level.label} counts as",
                choices=choices,
                required=False,
                initial=str(mapped) if mapped else "",
                error_messages={"invalid_choice": "Choose a level of the central scale"},
            )

    def mapping(self) -> dict:
        return {
            level: self.central.get(self.cleaned_data.get(f"level_{level.pk}") or "")
            for level in self.levels
        }


class IndependentAssessmentForm(GovukFormMixin, forms.Form):
    """The standards of the sample (yes / partly / no, with a comment), the two ratings on the
    independent scale and the overall comment. Which button was pressed decides save or submit."""

    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    decision = forms.ChoiceField(
        choices=[("save", "Save as draft"), ("submit", "Submit")], required=False
    )

    def __init__(self, *args, questions, levels, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        self.levels = {str(level.pk): level for level in levels}
        scale = [(str(level.pk), level.label) for level in levels]
        for q in self.questions:
            self.fields[f"answer_{q.pk}"] = forms.ChoiceField(
                label=f"{q.position}. {q.question}",
                choices=Answer.choices,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[f"comment_{q.pk}"] = optional_textarea(
                f"Comment on standard {q.position} (optional)"
            )
        self.fields["review_rating"] = forms.ChoiceField(
            label="Your rating of the review",
            choices=scale,
            required=False,
            widget=forms.RadioSelect,
        )
        self.fields["action_plan_rating"] = forms.ChoiceField(
            label="Your rating of the action plan",
            choices=scale,
            required=False,
            widget=forms.RadioSelect,
        )
        self.fields["comment"] = optional_textarea("Overall comment", rows=6)

    def standard_rows(self):
        return [(q, self[f"answer_{q.pk}"], self[f"comment_{q.pk}"]) for q in self.questions]

    def draft(self) -> independent.Draft:
        data = self.cleaned_data
        return independent.Draft(
            answers={
                q.pk: (data.get(f"answer_{q.pk}") or "", data.get(f"comment_{q.pk}") or "")
                for q in self.questions
            },
            review_rating=self.levels.get(data.get("review_rating") or ""),
            action_plan_rating=self.levels.get(data.get("action_plan_rating") or ""),
            comment=data.get("comment") or "",
        )

    @staticmethod
    def initial_from(assessment) -> dict:
        initial = {
            "edit_version": assessment.edit_version,
            "review_rating": str(assessment.review_rating_id or ""),
            "action_plan_rating": str(assessment.action_plan_rating_id or ""),
            "comment": assessment.comment,
        }
        if assessment.pk:
            for answer in assessment.answers.all():
                initial[f"answer_{answer.standard_id}"] = answer.answer
                initial[f"comment_{answer.standard_id}"] = answer.comment
        return initial


def _add_errors(form, error: ValidationError) -> None:
    """Put a service's messages on the fields they name, where they name one."""
    for message in error.messages:
        target = None
        if message.startswith("Answer standard "):
            number = message.split()[2]
            target = next(
                (f"answer_{q.pk}" for q in form.questions if str(q.position) == number), None
            )
        elif message.startswith("Rate the review"):
            target = "review_rating"
        elif message.startswith("Rate the action plan"):
            target = "action_plan_rating"
        form.add_error(target, message)


# --- Administrators: samples and the mapping --------------------------------------------------


@access(CONCORDANCE_READERS)
def sample_list(request):
    """Every sample drawn, newest first, with its progress; the way to each concordance report.
    Administrators also draw new samples from here."""
    samples = list(IndependentSample.objects.select_related("drawn_by", "scale"))
    from django.db.models import Count, Q

    counts = {
        row["sample"]: row
        for row in SampleAssignment.objects.filter(sample__in=samples)
        .values("sample")
        .annotate(
            drawn=Count("pk"),
            submitted=Count("pk", filter=Q(assessment__status="submitted")),
        )
    }
    rows = [
        {
            "sample": s,
            "drawn": counts.get(s.pk, {}).get("drawn", 0),
            "submitted": counts.get(s.pk, {}).get("submitted", 0),
        }
        for s in samples
    ]
    return render(
        request,
        "qa/independent/samples.html",
        {"rows": rows, "may_draw": ADMINISTRATION.allows(request.user)},
    )


@access(ADMINISTRATION)
def draw_sample(request):
    """The form to draw a sample: the period, the proportion (20% by default), an optional seed
    and the assessors who share it."""
    form = DrawSampleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sample = sampling.draw_sample(
                by=request.user,
                period_start=data["period_start"],
                period_end=data["period_end"],
                assessors=list(data["assessors"]),
                proportion=data["percent"] / 100,
                seed=data["seed"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            drawn = sample.assignments.count()
            messages.success(
                request,
                f"Sample drawn: {drawn} of {sample.population} QA-complete reviews, seed "
                f"{sample.seed}",
            )
            return redirect("qa:sample", sample_pk=sample.pk)
    return render(request, "qa/independent/draw.html", {"form": form})


@access(ADMINISTRATION)
def sample_detail(request, sample_pk):
    """One sample: per provider, its population, target and the cases drawn; the assignments and
    how far each assessor has got. No rating is shown here."""
    sample = get_object_or_404(
        IndependentSample.objects.select_related("drawn_by", "scale", "standards"), pk=sample_pk
    )
    strata = sampling.strata_of(sample)
    total = sum(row["population"] for row in strata)
    return render(
        request,
        "qa/independent/sample.html",
        {
            "sample": sample,
            "strata": strata,
            "percent": sample.proportion * 100,
            "population_changed": total != sample.population,
            "recomputed": total,
        },
    )


@access(ADMINISTRATION)
def scale_mapping(request):
    """Where each level of the independent scale in force falls on the central scale in force,
    for agreement and Cohen's kappa. A level left unmapped makes them not applicable."""
    independent_scale = find_scale(ScaleUse.INDEPENDENT)
    central_scale = find_scale(ScaleUse.CENTRAL)
    if independent_scale is None or central_scale is None:
        return render(request, "qa/independent/mapping.html", {"missing": True})
    independent_levels = list(independent_scale.levels.order_by("position"))
    central_levels = list(central_scale.levels.order_by("position"))
    current = dict(
        ScaleMapping.objects.filter(independent_level__scale=independent_scale).values_list(
            "independent_level_id", "central_level_id"
        )
    )
    form = MappingForm(
        request.POST or None,
        independent_levels=independent_levels,
        central_levels=central_levels,
        current=current,
    )
    if request.method == "POST" and form.is_valid():
        ensure(request.user, ADMINISTRATION, request)
        with transaction.atomic():
            for level, central in form.mapping().items():
                if central is None:
                    ScaleMapping.objects.filter(independent_level=level).delete()
                else:
                    ScaleMapping.objects.update_or_create(
                        independent_level=level,
                        defaults={"central_level": central, "defined_by": request.user},
                    )
        messages.success(request, "Mapping saved")
        return redirect("qa:scale_mapping")
    return render(
        request,
        "qa/independent/mapping.html",
        {
            "form": form,
            "independent_scale": independent_scale,
            "central_scale": central_scale,
            "fields": [form[f"level_{level.pk}"] for level in independent_levels],
        },
    )


# --- Assessors ----------------------------------------------------------------------------------


def _assignments_of(user):
    return (
        SampleAssignment.objects.filter(assessor=user, sample__isnull=False)
        .select_related(
            "case", "case__managing_provider", "case__reviewing_provider", "version", "sample"
        )
        .select_related("assessment")
        .order_by("-sampled_on", "case_id")
    )


@access(INDEPENDENT_ASSESSORS)
def my_samples(request):
    """The reviews sampled for this assessor, and how far they have got with each."""
    rows = []
    for assignment in _assignments_of(request.user):
        assessment = getattr(assignment, "assessment", None)
        rows.append({"assignment": assignment, "assessment": assessment})
    return render(request, "qa/independent/my_samples.html", {"rows": rows})


def _assignment_for(request, assignment_pk) -> SampleAssignment:
    """An assignment of this assessor, the look recorded; 404 (recorded) for anyone else's."""
    assignment = _assignments_of(request.user).filter(pk=assignment_pk).first()
    if assignment is None:
        record_access(
            request,
            object_type="qa.sampleassignment",
            object_id=str(assignment_pk),
            allowed=False,
        )
        raise Http404("No sampled review found")
    record_access(request, assignment.case, action="view:independent_qa")
    return assignment


def _side_by_side(assignment, assessment) -> dict:
    """After submission only: the central assessment beside the assessor's own."""
    central = (
        type(assignment.central_assessment)
        .objects.select_related("review_rating", "action_plan_rating")
        .prefetch_related("answers__standard")
        .get(pk=assignment.central_assessment_id)
    )
    theirs = {a.standard_id: a for a in central.answers.all()}
    by_question = {a.standard.question: a for a in central.answers.all()}
    rows = []
    for answer in assessment.answers.select_related("standard"):
        match = theirs.get(answer.standard_id) or by_question.get(answer.standard.question)
        rows.append({"standard": answer.standard, "mine": answer, "central": match})
    return {"central": central, "answer_rows": rows}


@access(INDEPENDENT_ASSESSORS)
def assessment(request, assignment_pk):
    """The assessor's page for one sampled review: the version the central team completed QA on
    (read on its own page, like every reader of the review), and their assessment. Blind: the
    central assessment appears here only once theirs is submitted."""
    assignment = _assignment_for(request, assignment_pk)
    sample = assignment.sample
    current = independent.assessment_of(assignment)
    questions = list(sample.standards.questions.order_by("position"))
    levels = list(RatingLevel.objects.filter(scale=sample.scale).order_by("position"))
    context = {
        "assignment": assignment,
        "case": assignment.case,
        "sample": sample,
        "assessment": current,
        "levels": levels,
    }
    if current.is_submitted:
        context.update(_side_by_side(assignment, current))
        return render(request, "qa/independent/assessment_done.html", context)

    if request.method == "POST":
        form = IndependentAssessmentForm(request.POST, questions=questions, levels=levels)
    else:
        form = IndependentAssessmentForm(
            initial=IndependentAssessmentForm.initial_from(current),
            questions=questions,
            levels=levels,
        )
    if request.method == "POST" and form.is_valid():
        submitting = form.cleaned_data.get("decision") == "submit"
        act = independent.submit if submitting else independent.save_draft
        try:
            act(
                assignment=assignment,
                by=request.user,
                draft=form.draft(),
                edit_version=form.cleaned_data.get("edit_version"),
                request=request,
            )
        except independent.EditedMeanwhile:
            # What was typed stays, now based on the saved assessment, so that saving again is
            # a knowing choice rather than another refusal.
            data = request.POST.copy()
            data["edit_version"] = str(independent.assessment_of(assignment).edit_version)
            form = IndependentAssessmentForm(data, questions=questions, levels=levels)
            form.is_valid()
            form.add_error(
                None,
                "This assessment was saved somewhere else since you opened it. What you typed is "
                "below: check it, then save again to replace the saved answers.",
            )
        except ValidationError as error:
            _add_errors(form, error)
        except PermissionDenied:
            raise
        else:
            if submitting:
                messages.success(request, "Assessment submitted: the central rating is shown below")
            else:
                messages.success(request, "Assessment saved as a draft")
            return redirect("qa:independent_assessment", assignment_pk=assignment.pk)
    context["form"] = form
    return render(request, "qa/independent/assessment.html", context)


# --- The concordance report ---------------------------------------------------------------------


def _report_sample(sample_pk):
    return get_object_or_404(IndependentSample.objects.select_related("scale"), pk=sample_pk)


@access(CONCORDANCE_READERS)
def concordance(request, sample_pk):
    """The inspection's tables 4.6 (review ratings) and 4.7 (action plan ratings) for a sample:
    both raters' distributions, the agreement rate and Cohen's kappa, overall and per provider."""
    sample = _report_sample(sample_pk)
    record_access(request, sample, action="view:concordance")
    return render(request, "qa/independent/concordance.html", sample_concordance(sample))


def _pct(value) -> str:
    return "" if value is None else f"{value:.1f}"


def concordance_rows(report: dict) -> list[list[str]]:
    """The report as a table, one row per provider (and overall) and rating."""
    central = [level.label for level in report["central_levels"]]
    independent_ = [level.label for level in report["independent_levels"]]
    header = ["Provider", "Ratings", "Assessments"]
    header += [f"Central: {label} (n)" for label in central]
    header += [f"Central: {label} (%)" for label in central]
    header += [f"Independent: {label} (n)" for label in independent_]
    header += [f"Independent: {label} (%)" for label in independent_]
    header += ["Agreeing (n)", "Agreement (%)", "Cohen's kappa", "Not applicable because"]
    rows = [header]
    groups = [("All providers", report["overall"])] + [
        (p["provider"].name, p["tables"]) for p in report["providers"]
    ]
    for name, tables in groups:
        for table in tables:
            r = table["result"]
            rows.append(
                [
                    name,
                    table["title"],
                    str(r.pairs),
                    *[str(s.count) for s in r.central],
                    *[_pct(s.percent) for s in r.central],
                    *[str(s.count) for s in r.independent],
                    *[_pct(s.percent) for s in r.independent],
                    "" if r.agreeing is None else str(r.agreeing),
                    _pct(r.agreement_percent),
                    "" if r.kappa is None else f"{r.kappa:.2f}",
                    r.reason,
                ]
            )
    return rows


@access(CONCORDANCE_READERS)
def concordance_csv(request, sample_pk):
    sample = _report_sample(sample_pk)
    record_access(request, sample, action="download:concordance_csv")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in concordance_rows(sample_concordance(sample)):
        writer.writerow([safe_cell(cell) for cell in row])
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="concordance-sample-{sample.pk}.csv"'
    response["Cache-Control"] = "no-store"
    return response


@access(CONCORDANCE_READERS)
@require_POST
def concordance_pdf(request, sample_pk):
    """The report as a PDF ready to publish, made by a worker while the job's page shows how far
    it has got."""
    from sfo.documents.services import queue_document

    sample = _report_sample(sample_pk)
    job = queue_document(kind="concordance", by=request.user, params={"sample": sample.pk})
    return redirect("documents:job", job_pk=job.pk)


urlpatterns = [
    path("samples/", sample_list, name="samples"),
    path("samples/draw/", draw_sample, name="draw_sample"),
    path("samples/<int:sample_pk>/", sample_detail, name="sample"),
    path("samples/<int:sample_pk>/concordance/", concordance, name="concordance"),
    path("samples/<int:sample_pk>/concordance.csv", concordance_csv, name="concordance_csv"),
    path("samples/<int:sample_pk>/concordance/pdf/", concordance_pdf, name="concordance_pdf"),
    path("scales/mapping/", scale_mapping, name="scale_mapping"),
    path("independent/", my_samples, name="my_samples"),
    path(
        "independent/<int:assignment_pk>/",
        assessment,
        name="independent_assessment",
    ),
]
