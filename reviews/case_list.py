"""The case list: filters, search, sorting and pages, over the cases the user may see, in a
constant number of queries however many cases there are."""

from django import forms
from django.core.paginator import Paginator
from django.db.models import Exists, F, OuterRef, Q
from django.shortcuts import render
from django.utils import timezone

from reviews.models import ChargedOffence, Qualification
from reviews.selectors import case_list_for, next_deadline
from reviews.workflow import CaseState
from sfo.access import CASE_READERS, access
from sfo.audit.services import record_views
from sfo.people.models import Organisation

SORTS = {
    "urgency": (F("next_due").asc(nulls_last=True), "-created_at"),
    "newest": ("-created_at",),
    "reference": (F("reference").asc(nulls_last=True), "-created_at"),
    "name": ("person_name", "-created_at"),
}


class CaseFilterForm(forms.Form):
    q = forms.CharField(label="Search by CRN, name or reference", required=False)
    state = forms.MultipleChoiceField(
        label="State",
        required=False,
        choices=CaseState.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    clock = forms.MultipleChoiceField(
        label="Deadlines",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[("red", "Overdue"), ("amber", "Due soon"), ("green", "On track")],
    )
    provider = forms.ModelChoiceField(
        label="Provider",
        required=False,
        empty_label="Any provider",
        queryset=Organisation.objects.filter(kind__in=["probation_division", "crc"]),
    )
    high_profile = forms.BooleanField(label="High-profile only", required=False)
    qualification = forms.ChoiceField(
        label="Qualification", required=False, choices=[("", "Any"), *Qualification.choices]
    )
    category = forms.ChoiceField(
        label="Offence category",
        required=False,
        choices=[("", "Any"), ("violent", "Violent"), ("sexual", "Sexual")],
    )
    year = forms.IntegerField(
        label="Year of the first hearing", required=False, min_value=2000, max_value=2100
    )
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[
            ("urgency", "Most urgent first"),
            ("newest", "Newest first"),
            ("reference", "Reference"),
            ("name", "Name"),
        ],
    )


def filtered_cases(user, data: dict):
    """The visible cases, annotated with their next deadline, filtered and sorted as asked."""
    from sfo.clocks.calendar import add_working_days
    from sfo.clocks.models import amber_threshold

    today = timezone.localdate()
    amber_until = add_working_days(today, amber_threshold(today))
    cases = case_list_for(user).annotate(next_due=next_deadline())
    if q := (data.get("q") or "").strip():
        cases = cases.filter(
            Q(crn__iexact=q) | Q(reference__iexact=q) | Q(person_name__icontains=q)
        )
    if data.get("state"):
        cases = cases.filter(state__in=data["state"])
    if data.get("provider"):
        cases = cases.filter(
            Q(managing_provider=data["provider"]) | Q(reviewing_provider=data["provider"])
        )
    if data.get("high_profile"):
        cases = cases.filter(high_profile=True)
    if data.get("qualification"):
        wanted = data["qualification"]
        cases = cases.filter(
            Q(qualification_override=wanted) | Q(qualification_override="", qualification=wanted)
        )
    if data.get("category"):
        cases = cases.filter(
            Exists(
                ChargedOffence.objects.filter(
                    case=OuterRef("pk"), offence__category=data["category"]
                )
            )
        )
    if data.get("year"):
        cases = cases.filter(first_hearing_date__year=data["year"])
    if data.get("clock"):
        wanted = Q(pk__in=[])
        if "red" in data["clock"]:
            wanted |= Q(next_due__lt=today)
        if "amber" in data["clock"]:
            wanted |= Q(next_due__gte=today, next_due__lte=amber_until)
        if "green" in data["clock"]:
            wanted |= Q(next_due__gt=amber_until) | Q(next_due__isnull=True)
        cases = cases.filter(wanted)
    return (
        cases.order_by(*SORTS.get(data.get("sort") or "urgency", SORTS["urgency"])),
        today,
        amber_until,
    )


def rag(next_due, today, amber_until) -> str:
    if next_due is None:
        return ""
    if next_due < today:
        return "red"
    return "amber" if next_due <= amber_until else "green"


@access(CASE_READERS)
def case_list(request):
    """Every case the user may see, most urgent first, 25 to a page."""
    form = CaseFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    cases, today, amber_until = filtered_cases(request.user, data)
    page = Paginator(cases, 25).get_page(request.GET.get("page"))
    rows = [(case, rag(case.next_due, today, amber_until)) for case in page]
    # Names and CRNs are offenders' details: each listing is recorded, in one insert.
    record_views(request, [case for case, _ in rows], action="list")
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reviews/case_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "filtered": bool(data and any(v for k, v in data.items() if k != "sort")),
        },
    )
