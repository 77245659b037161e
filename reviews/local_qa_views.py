"""Pages of local QA, countersignature and the review's frozen versions: the review manager's
check against the QA standards, the senior manager's countersignature (and re-submission), the
list of versions, one version read-only, and what changed between two. Thin: forms validate, the
services of `reviews.local_qa` change the case."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone

from reviews import local_qa, services
from reviews.models import Answer, LocalQAOutcome, ReviewVersion, SectionKey, StandardSet
from reviews.selectors import case_for, rates_blind, review_case_for
from reviews.standards import current_standards
from reviews.versions import compare, readable
from sfo.access import CASE_READERS, access
from sfo.govuk_forms import GovukFormMixin, optional_textarea

# --- Forms -----------------------------------------------------------------------------------


class LocalQAForm(GovukFormMixin, forms.Form):
    """One radio group and comment per QA standard, a comment box per review section and an overall
    comment; which button was pressed decides between returning and passing."""

    decision = forms.ChoiceField(
        choices=[("return", "Return to the reviewer"), ("pass", "Pass for countersignature")],
        error_messages={"required": "Choose whether to return the review or pass it"},
    )

    def __init__(self, *args, standards: StandardSet | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.standards = standards
        self.questions = list(standards.questions.all()) if standards else []
        for q in self.questions:
            self.fields[f"answer_{q.pk}"] = forms.ChoiceField(
                label=f"{q.position}. {q.question}",
                choices=Answer.choices,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[f"answer_comment_{q.pk}"] = optional_textarea(
                f"Comment on standard {q.position} (optional)"
            )
        for key in SectionKey:
            self.fields[f"section_{key.value}"] = optional_textarea(key.label)
        self.fields["comment"] = optional_textarea(
            "Overall comment",
            "Returning the review needs an overall comment or a comment on at least one section",
            rows=5,
        )
        # The decision comes from the buttons, not a field of its own on the page.
        self.order_fields([name for name in self.fields if name != "decision"] + ["decision"])

    def standard_rows(self):
        """(question, its answer field, its comment field) for the template."""
        return [(q, self[f"answer_{q.pk}"], self[f"answer_comment_{q.pk}"]) for q in self.questions]

    def section_fields(self):
        return [self[f"section_{key.value}"] for key in SectionKey]

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        for q in self.questions:
            answer = data.get(f"answer_{q.pk}")
            if not answer and data.get(f"answer_comment_{q.pk}"):
                self.add_error(
                    f"answer_{q.pk}",
                    f"Select yes, partly or no for standard {q.position}, which you commented on",
                )
            elif not answer and decision == "pass":
                self.add_error(
                    f"answer_{q.pk}",
                    f"Select yes, partly or no for standard {q.position} before you pass the "
                    "review",
                )
        if decision == "return" and not (
            data.get("comment") or any(data.get(f"section_{key.value}") for key in SectionKey)
        ):
            self.add_error(
                "comment",
                "Say what the reviewer should change: comment on a section, or give an overall "
                "comment",
            )
        return data

    def answers(self) -> dict:
        return {
            q.pk: (
                self.cleaned_data.get(f"answer_{q.pk}", ""),
                self.cleaned_data.get(f"answer_comment_{q.pk}", ""),
            )
            for q in self.questions
        }

    def section_comments(self) -> dict:
        return {key.value: self.cleaned_data.get(f"section_{key.value}", "") for key in SectionKey}


class CountersignForm(GovukFormMixin, forms.Form):
    declaration = forms.BooleanField(
        label="I have read the review, its chronology and its action plan, and I countersign them "
        "for the central SFO review team. I did not manage this case and I am not in the line "
        "management of anyone who did.",
        error_messages={"required": "Confirm the declaration before you countersign the review"},
    )
    comment = optional_textarea("Comment (optional)", rows=4)


class CompareForm(GovukFormMixin, forms.Form):
    def __init__(self, *args, numbers: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(n, f"Version {n}") for n in numbers]
        messages_ = {
            "required": "Choose a version",
            "invalid_choice": "Choose one of the versions listed",
        }
        self.fields["from"] = forms.TypedChoiceField(
            label="Compare version", choices=choices, coerce=int, error_messages=messages_
        )
        self.fields["to"] = forms.TypedChoiceField(
            label="with version", choices=choices, coerce=int, error_messages=messages_
        )

    def clean(self):
        data = super().clean()
        if data.get("from") is not None and data.get("from") == data.get("to"):
            self.add_error("to", "Choose two different versions")
        return data


# --- Shared ----------------------------------------------------------------------------------


def _versions(case):
    return ReviewVersion.objects.filter(review__case=case).select_related("created_by")


def _readable_versions(request, case):
    """The versions this person may read: all of them, except for an independent assessor, who
    reads only the version sampled for them (the others would show what central QA asked for)."""
    versions = _versions(case)
    if rates_blind(request.user):
        sampled = case.sample_assignments.filter(assessor=request.user).values("version_id")
        versions = versions.filter(pk__in=sampled)
    return versions


def _service_error(form, error) -> None:
    if isinstance(error, ValidationError):
        for message in error.messages:
            form.add_error(None, message)
    else:
        form.add_error(None, str(error))


def _posted_standards(request) -> StandardSet | None:
    """The version of the standards the page was drawn with, so that the answers stay with the
    questions the manager read even if a new version is published meanwhile."""
    pk = request.POST.get("standards", "")
    if pk.isdigit():
        chosen = (
            StandardSet.objects.filter(pk=int(pk), published_on__lte=timezone.localdate())
            .prefetch_related("questions")
            .first()
        )
        if chosen is not None:
            return chosen
    return current_standards()


# --- Local QA --------------------------------------------------------------------------------


@access(CASE_READERS)
def local_qa_check(request, pk):
    """The reviewing provider's SFO review manager checks the version sent against the QA
    standards, then returns it with comments or passes it for countersignature."""
    case = case_for(request, pk)
    local_qa.ensure_may(request.user, case, "pass_local_qa", request)
    standards = _posted_standards(request) if request.method == "POST" else current_standards()
    form = LocalQAForm(request.POST or None, standards=standards)
    if request.method == "POST" and form.is_valid():
        kwargs = {
            "by": request.user,
            "answers": form.answers(),
            "section_comments": form.section_comments(),
            "comment": form.cleaned_data["comment"],
            "standards": standards,
        }
        try:
            if form.cleaned_data["decision"] == "pass":
                local_qa.pass_local_qa(case, **kwargs)
                done = "Review passed for countersignature by a senior manager"
            else:
                local_qa.return_from_local_qa(case, **kwargs)
                done = "Review returned to the reviewer with your comments"
        except (ValidationError, services.CaseChangedMeanwhile) as error:
            _service_error(form, error)
        else:
            messages.success(request, done)
            return redirect("reviews:case_detail", pk=case.pk)
    version = local_qa.sent_version(case)
    earlier = (
        _versions(case).filter(number__lt=version.number).order_by("-number").first()
        if version
        else _versions(case).order_by("-number").first()
    )
    return render(
        request,
        "reviews/review/local_qa.html",
        {
            "case": case,
            "form": form,
            "standards": standards,
            "version": version,
            "earlier": earlier,
        },
    )


# --- Countersignature ------------------------------------------------------------------------


@access(CASE_READERS)
def countersign(request, pk):
    """A senior manager of the reviewing provider, outside the case's line management,
    countersigns and submits the review (or re-submits it after amendments)."""
    case = case_for(request, pk)
    name = local_qa.submission_for(case)
    local_qa.ensure_may(request.user, case, name, request)
    form = CountersignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        submit = local_qa.resubmit if name == "resubmit" else local_qa.countersign_and_submit
        try:
            version = submit(case, by=request.user, comment=form.cleaned_data["comment"])
        except (ValidationError, services.CaseChangedMeanwhile) as error:
            _service_error(form, error)
        else:
            messages.success(
                request,
                f"Review countersigned and submitted to the central team as version "
                f"{version.number}",
            )
            return redirect("reviews:case_detail", pk=case.pk)
    check = local_qa.latest_check(case)
    return render(
        request,
        "reviews/review/countersign.html",
        {
            "case": case,
            "form": form,
            "check": check,
            "resubmission": name == "resubmit",
            "passed": LocalQAOutcome.PASSED,
        },
    )


# --- Versions --------------------------------------------------------------------------------


@access(CASE_READERS)
def version_list(request, pk):
    """Every frozen version of the review: when, by whom, why, and what local QA made of it."""
    case = review_case_for(request, pk)
    rows = list(_readable_versions(request, case).prefetch_related("checks__by").order_by("number"))
    numbers = [v.number for v in rows]
    form = CompareForm(
        initial={"from": numbers[-2], "to": numbers[-1]} if len(numbers) > 1 else {},
        numbers=numbers,
    )
    return render(
        request,
        "reviews/review/versions.html",
        {"case": case, "versions": rows, "compare_form": form},
    )


@access(CASE_READERS)
def version_detail(request, pk, number):
    """One version exactly as it was frozen, with the local QA checks made of it."""
    case = review_case_for(request, pk)
    frozen = _readable_versions(request, case).filter(number=number).first()
    if frozen is None:
        raise Http404("No such version of this review")
    checks = local_qa.checks_of(frozen)
    snapshot = readable(frozen.snapshot)
    remarks: dict[str, list] = {}
    for check in checks:
        for remark in check.section_comments.all():
            remarks.setdefault(remark.section, []).append((check, remark.comment))
    for section in snapshot["sections"]:
        section["remarks"] = remarks.get(section["key"], [])
    return render(
        request,
        "reviews/review/version.html",
        {
            "case": case,
            "version": frozen,
            "snapshot": snapshot,
            "checks": checks,
            "count": _readable_versions(request, case).count(),
        },
    )


@access(CASE_READERS)
def version_compare(request, pk):
    """What changed between two versions: each section's words, statuses, the judgement, and the
    chronology entries, findings and actions added, removed or changed."""
    case = review_case_for(request, pk)
    rows = {v.number: v for v in _readable_versions(request, case).order_by("number")}
    numbers = sorted(rows)
    data = request.GET if {"from", "to"} & set(request.GET) else None
    if data is None and len(numbers) > 1:
        data = {"from": numbers[-2], "to": numbers[-1]}
    form = CompareForm(data, numbers=numbers)
    comparison = older = newer = None
    if data is not None and form.is_valid():
        older, newer = rows[form.cleaned_data["from"]], rows[form.cleaned_data["to"]]
        comparison = compare(older.snapshot, newer.snapshot)
    return render(
        request,
        "reviews/review/version_compare.html",
        {
            "case": case,
            "form": form,
            "comparison": comparison,
            "older": older,
            "newer": newer,
            "numbers": numbers,
        },
    )


urlpatterns = [
    path("<int:pk>/review/local-qa/", local_qa_check, name="local_qa"),
    path("<int:pk>/review/countersign/", countersign, name="countersign"),
    path("<int:pk>/review/versions/", version_list, name="versions"),
    path("<int:pk>/review/versions/compare/", version_compare, name="version_compare"),
    path("<int:pk>/review/versions/<int:number>/", version_detail, name="version"),
]
