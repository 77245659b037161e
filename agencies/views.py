"""Pages of a case's other agencies: the list with the parallel reviews, adding an agency and
saying what it did, its page (requests, findings and actions that concern it, extracts sent),
recording a request and its reply, linking findings and actions, and the parallel reviews.

Thin: forms check what was typed, `agencies.services` changes (and refuses), `agencies.selectors`
reads. Every page is for AGENCY_READERS and, beyond that, for those who may read this case's
agencies (`services.may_read`: the case's SFO staff and the central QA team); a page that changes
something is for the case's SFO staff only (`services.may_edit`, else 403). A case the person may
not see is a 404, like an agency, request or review of another case. Each request to a page
writes exactly one row of the read audit naming the case or the row by its primary key, never a
person; refusals are written too."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from agencies import forms, selectors, services
from agencies.models import AgencyInvolvement, ContributionRequest, ParallelReview
from reviews.authoring import EditConflict
from reviews.models import Finding, ReviewAction
from sfo.access import AGENCY_READERS, access, visible_cases
from sfo.audit.services import record_access
from sfo.govuk_forms import rebased

CASE = "agencies.case"
INVOLVEMENT = "agencies.agencyinvolvement"
READERS_ONLY = "The other agencies of a case are for its providers' SFO staff and the central team"


def _refuse(request, object_type: str, object_id: str, action: str, error: Exception) -> None:
    record_access(
        request, object_type=object_type, object_id=object_id, action=action, allowed=False
    )
    raise error


def _action(request, reading: str = "view") -> str:
    return reading if request.method in ("GET", "HEAD") else "change"


def _case(request, pk: int, *, write: bool = False, reading: str = "view", audit: bool = True):
    """The case, if this person may read its agencies (404 if they may not see it, 403 if they
    may see it but not its agencies, or may not change them on a page that changes)."""
    case = (
        visible_cases(request.user)
        .select_related("managing_provider", "reviewing_provider")
        .filter(pk=pk)
        .first()
    )
    where = f"case:{pk}"
    if case is None:
        _refuse(request, CASE, where, reading, Http404("No case found"))
    if not services.may_read(request.user, case):
        _refuse(request, CASE, where, reading, PermissionDenied(READERS_ONLY))
    if write and not services.may_edit(request.user, case):
        _refuse(request, CASE, where, "change", PermissionDenied(services.EDITORS))
    if audit:
        record_access(request, object_type=CASE, object_id=where, action=_action(request, reading))
    return case


def _involvement(request, pk: int, involvement_pk: int, *, write: bool = False):
    """One agency of the case (404 when it is another case's), with its one audit row."""
    case = _case(request, pk, write=write, audit=False)
    involvement = (
        AgencyInvolvement.objects.select_related("agency", "added_by")
        .filter(case=case, pk=involvement_pk)
        .first()
    )
    if involvement is None:
        _refuse(request, INVOLVEMENT, str(involvement_pk), "view", Http404("No such agency"))
    involvement.case = case
    record_access(
        request, object_type=INVOLVEMENT, object_id=str(involvement.pk), action=_action(request)
    )
    return involvement


def _with_error(form, error: ValidationError) -> None:
    forms.add_service_error(form, error)


# --- The case's agencies -----------------------------------------------------------------------


@access(AGENCY_READERS)
def case_agencies(request, pk):
    """The agencies involved in the case, their requests for contribution (an overdue one marked
    red), the extracts sent to them, and the parallel reviews with their own dates."""
    case = _case(request, pk, reading="list")
    today = timezone.localdate()
    rows = [
        (involvement, selectors.request_rows(involvement.requests.all(), today))
        for involvement in selectors.involvements_of(case)
    ]
    return render(
        request,
        "agencies/case_agencies.html",
        {
            "case": case,
            "rows": rows,
            "overdue": sum(1 for _, requests in rows for r in requests if r.overdue),
            "parallel_reviews": list(selectors.parallel_reviews_of(case)),
            "may_edit": services.may_edit(request.user, case),
        },
    )


@access(AGENCY_READERS)
def add_involvement(request, pk):
    """Add an agency from the register, or one it lacks (added to the register, marked as added
    by this person for an administrator to check), with what it did in the case."""
    case = _case(request, pk, write=True, reading="add")
    taken = AgencyInvolvement.objects.filter(case=case).values_list("agency_id", flat=True)
    form = forms.InvolvementForm(request.POST or None, exclude=taken)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        new = (
            services.NewAgency(data["new_name"], data["new_kind"], data["new_area"])
            if not form.chosen()
            else None
        )
        try:
            involvement = services.add_involvement(
                case, by=request.user, role=data["role"], agency=form.chosen(), new=new
            )
        except ValidationError as error:
            _with_error(form, error)
        else:
            messages.success(request, f"{involvement.agency.name} added to the case")
            return redirect("agencies:involvement", pk=case.pk, involvement_pk=involvement.pk)
    return render(request, "agencies/involvement_form.html", {"case": case, "form": form})


@access(AGENCY_READERS)
def involvement(request, pk, involvement_pk):
    """One agency in the case: what it did, what was asked of it and what came back, the
    findings and actions that concern it, its extract, and who sent what to whom and when."""
    involvement = _involvement(request, pk, involvement_pk)
    case = involvement.case
    today = timezone.localdate()
    requests = involvement.requests.select_related("requested_by", "updated_by")
    actions = list(involvement.actions.all())
    return render(
        request,
        "agencies/involvement.html",
        {
            "case": case,
            "involvement": involvement,
            "requests": selectors.request_rows(requests, today),
            "findings": list(involvement.findings.all()),
            "actions": [(a, services.names_differ(a, involvement.agency)) for a in actions],
            "shares": list(
                involvement.shares.select_related("recorded_by", "job", "review_version")
            ),
            "jobs": list(selectors.extract_jobs(involvement)[:5]),
            "may_edit": services.may_edit(request.user, case),
        },
    )


@access(AGENCY_READERS)
def edit_involvement(request, pk, involvement_pk):
    """What the agency did in the case, reworded (with the version check)."""
    involvement = _involvement(request, pk, involvement_pk, write=True)
    form = forms.RoleForm(
        request.POST or None,
        initial={"role": involvement.role, "version": involvement.version},
    )
    conflict, conflict_rows = None, []
    if request.method == "POST" and form.is_valid():
        try:
            services.update_involvement(
                involvement,
                by=request.user,
                role=form.cleaned_data["role"],
                expected_version=form.cleaned_data["version"] or 0,
            )
        except EditConflict as error:
            conflict = error.current
            conflict_rows = [("What it did in the case", conflict.role, form.cleaned_data["role"])]
            form = forms.RoleForm(rebased(request.POST, error.current.version))
            form.is_valid()
        except ValidationError as error:
            _with_error(form, error)
        else:
            messages.success(request, "Saved")
            return redirect("agencies:involvement", pk=pk, involvement_pk=involvement.pk)
    return render(
        request,
        "agencies/form.html",
        {
            "case": involvement.case,
            "involvement": involvement,
            "form": form,
            "conflict": conflict,
            "conflict_rows": conflict_rows,
            "heading": f"What {involvement.agency.name} did in the case",
            "button": "Save",
        },
    )


# --- Requests for contribution ---------------------------------------------------------------


@access(AGENCY_READERS)
def add_request(request, pk, involvement_pk):
    """Record that the agency was asked for its contribution, and by when."""
    involvement = _involvement(request, pk, involvement_pk, write=True)
    form = forms.RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_request(involvement, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _with_error(form, error)
        else:
            messages.success(request, "Request recorded")
            return redirect("agencies:involvement", pk=pk, involvement_pk=involvement.pk)
    return render(
        request,
        "agencies/form.html",
        {
            "case": involvement.case,
            "involvement": involvement,
            "form": form,
            "heading": f"Ask {involvement.agency.name} for its contribution",
            "button": "Record the request",
        },
    )


@access(AGENCY_READERS)
def reply(request, pk, involvement_pk, request_pk):
    """What came back from a request: received (when, and a summary), declined, or no reply."""
    involvement = _involvement(request, pk, involvement_pk, write=True)
    asked = ContributionRequest.objects.filter(involvement=involvement, pk=request_pk).first()
    if asked is None:
        raise Http404("No such request")
    asked.involvement = involvement
    form = forms.ReplyForm(
        request.POST or None,
        initial={
            "outcome": asked.outcome,
            "received_on": asked.received_on,
            "summary": asked.summary,
            "version": asked.version,
        },
    )
    conflict, conflict_rows = None, []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_reply(
                asked,
                by=request.user,
                outcome=data["outcome"],
                received_on=data["received_on"],
                summary=data["summary"],
                expected_version=data["version"] or 0,
            )
        except EditConflict as error:
            current = conflict = error.current
            conflict_rows = [
                ("What came back", current.get_outcome_display(), data["outcome"]),
                ("Summary", current.summary, data["summary"]),
            ]
            form = forms.ReplyForm(rebased(request.POST, current.version))
            form.is_valid()
        except ValidationError as error:
            _with_error(form, error)
        else:
            messages.success(request, "Reply recorded")
            return redirect("agencies:involvement", pk=pk, involvement_pk=involvement.pk)
    return render(
        request,
        "agencies/form.html",
        {
            "case": involvement.case,
            "involvement": involvement,
            "form": form,
            "conflict": conflict,
            "conflict_rows": conflict_rows,
            "asked": asked,
            "heading": f"What came back from {involvement.agency.name}",
            "button": "Save what came back",
        },
    )


# --- Findings and actions that concern the agency -------------------------------------------


def _ticked(form, name: str, ids) -> str:
    """The labels of the ticked boxes, one a line, for the conflict's two columns."""
    ids = set(ids)
    return "\n".join(label for pk, label in form.fields[name].choices if pk in ids)


@access(AGENCY_READERS)
def concerns(request, pk, involvement_pk):
    """Tick the review's findings and actions that concern this agency (with the version check:
    a page opened before someone else's save shows both, and links nothing)."""
    involvement = _involvement(request, pk, involvement_pk, write=True)
    case = involvement.case
    findings = list(Finding.objects.filter(review__case=case).order_by("position", "pk"))
    actions = list(ReviewAction.objects.filter(review__case=case).order_by("due_on", "pk"))
    form = forms.ConcernsForm(
        request.POST or None,
        findings=findings,
        actions=actions,
        initial={
            "findings": list(involvement.findings.values_list("pk", flat=True)),
            "actions": list(involvement.actions.values_list("pk", flat=True)),
            "version": involvement.version,
        },
    )
    conflict, conflict_rows = None, []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.link_concerns(
                involvement,
                by=request.user,
                finding_ids=data["findings"],
                action_ids=data["actions"],
                expected_version=data["version"] or 0,
            )
        except EditConflict as error:
            conflict = error.current
            saved_findings = conflict.findings.values_list("pk", flat=True)
            saved_actions = conflict.actions.values_list("pk", flat=True)
            conflict_rows = [
                (
                    "Key findings",
                    _ticked(form, "findings", saved_findings),
                    _ticked(form, "findings", data["findings"]),
                ),
                (
                    "Actions",
                    _ticked(form, "actions", saved_actions),
                    _ticked(form, "actions", data["actions"]),
                ),
            ]
            form = forms.ConcernsForm(
                rebased(request.POST, conflict.version), findings=findings, actions=actions
            )
            form.is_valid()
        except ValidationError as error:
            _with_error(form, error)
        else:
            messages.success(request, "Findings and actions saved")
            return redirect("agencies:involvement", pk=pk, involvement_pk=involvement.pk)
    return render(
        request,
        "agencies/concerns.html",
        {
            "case": case,
            "involvement": involvement,
            "form": form,
            "conflict": conflict,
            "conflict_rows": conflict_rows,
            "empty": not findings + actions,
        },
    )


# --- Parallel reviews ------------------------------------------------------------------------


def _parallel_page(request, case, review=None):
    initial = (
        {
            name: getattr(review, name)
            for name in forms.ParallelReviewForm.base_fields
            if name != "version"
        }
        | {"version": review.version}
        if review
        else {}
    )
    form = forms.ParallelReviewForm(request.POST or None, initial=initial)
    conflict, conflict_rows = None, []
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version") or 0
        facts = services.ParallelFacts(**data)
        try:
            if review is None:
                services.add_parallel_review(case, by=request.user, facts=facts)
            else:
                services.update_parallel_review(
                    review, by=request.user, facts=facts, expected_version=version
                )
        except EditConflict as error:
            current = conflict = error.current
            conflict_rows = [
                ("Led by", current.lead_body, data["lead_body"]),
                ("Expected to complete by", current.expected_on, data["expected_on"]),
                ("Completed on", current.completed_on, data["completed_on"]),
                ("How the work is shared", current.sharing, data["sharing"]),
            ]
            form = forms.ParallelReviewForm(rebased(request.POST, current.version))
            form.is_valid()
        except ValidationError as error:
            _with_error(form, error)
        else:
            messages.success(request, "Parallel review saved")
            return redirect("agencies:case_agencies", pk=case.pk)
    return render(
        request,
        "agencies/form.html",
        {
            "case": case,
            "form": form,
            "conflict": conflict,
            "conflict_rows": conflict_rows,
            "heading": "Change a parallel review" if review else "Add a parallel review",
            "intro": "Another review of the same events, led by another body: a MAPPA serious "
            "case review, a domestic homicide review, a child safeguarding practice review or a "
            "safeguarding adult review. Record its dates and how the work is shared, so that "
            "the same work is not done twice.",
            "button": "Save the review",
        },
    )


@access(AGENCY_READERS)
def add_parallel_review(request, pk):
    case = _case(request, pk, write=True, reading="add")
    return _parallel_page(request, case)


@access(AGENCY_READERS)
def edit_parallel_review(request, pk, review_pk):
    case = _case(request, pk, write=True)
    review = ParallelReview.objects.filter(case=case, pk=review_pk).first()
    if review is None:
        raise Http404("No such review")
    return _parallel_page(request, case, review)
