"""Pages of the victims' records and of the request for disclosure: a case's victims and family
members, one person's record (entitlement task, contacts, victim contact scheme, requests), the
request with its vulnerability assessment, sign-off, meeting, feedback and later releases, and
the VLO's worklist of entitlement tasks.

Thin: the forms check what was typed, `victims.services` changes (and refuses), and
`victims.selectors` reads. Every page is for VICTIM_RECORD_READERS and, beyond that, for those who
may see the victims of that case (`may_see_victims_of`); a page that changes something also asks
`services.may_record` or `services.may_sign_off`. Each request to a page writes exactly one row
of the read audit, which names the record by its primary key (or the case's), never the person:
refusals are written too."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from sfo.access import (
    VICTIM_RECORD_READERS,
    access,
    may_see_victims_of,
    visible_cases,
    visible_victims,
)
from sfo.audit.services import record_access
from victims import forms, selectors, services
from victims.models import DisclosureRequest, RequestState, Victim

R = RequestState
OWN_PROVIDER_ONLY = "Victims' records of this case are for its own provider's staff"


def _action(request, reading: str = "view") -> str:
    return reading if request.method in ("GET", "HEAD") else "change"


def _refuse(request, object_type: str, object_id, action: str, error: Exception) -> None:
    record_access(
        request, object_type=object_type, object_id=str(object_id), action=action, allowed=False
    )
    raise error


# --- Finding the record, once per page, with its one audit row ---------------------------------


def _case(request, pk: int, *, may=None, reading="list"):
    """A case whose victims this person may see; `may` is the services' further check for a page
    that changes something. 404 for a case they may not see at all, 403 for one whose victims
    are not theirs to see."""
    object_type = "victims.case_victims"
    case = visible_cases(request.user).select_related("managing_provider").filter(pk=pk).first()
    if case is None:
        _refuse(request, object_type, f"case:{pk}", reading, Http404("No case found"))
    if not may_see_victims_of(request.user, case):
        # This refusal keeps the name it had before the page was rebuilt, so that the log reads
        # alike over time (tests/test_access_scoping.py looks for it).
        _refuse(
            request, "victims.victim", f"case:{pk}", reading, PermissionDenied(OWN_PROVIDER_ONLY)
        )
    if may is not None and not may(request.user, case):
        _refuse(request, object_type, f"case:{pk}", "change", PermissionDenied(services.RECORDERS))
    record_access(
        request,
        object_type=object_type,
        object_id=f"case:{case.pk}",
        action=_action(request, reading),
    )
    return case


def _victim(request, victim_pk: int, *, may=None) -> Victim:
    """One person's record among those this person may see: 404 when there is none or it is
    another provider's, 403 when the page records and this person may not."""
    victim = (
        visible_victims(request.user)
        .select_related("case__managing_provider", "vcs_officer")
        .filter(pk=victim_pk)
        .first()
    )
    kind = "victims.victim"
    if victim is None:
        # The same answer for another provider's record as for none: an id says nothing.
        _refuse(request, kind, victim_pk, "view", Http404("No such record"))
    if may is not None and not may(request.user, victim.case):
        _refuse(request, kind, victim.pk, "change", PermissionDenied(services.RECORDERS))
    record_access(request, object_type=kind, object_id=str(victim.pk), action=_action(request))
    return victim


def _request(request, request_pk: int, *, may=None, refusal=services.RECORDERS):
    """One request for disclosure, checked through its person's case like `_victim`."""
    disclosure = (
        DisclosureRequest.objects.filter(victim__in=visible_victims(request.user))
        .select_related("victim__case__managing_provider", "recorded_by")
        .filter(pk=request_pk)
        .first()
    )
    kind = "victims.disclosurerequest"
    if disclosure is None:
        # The same answer for another provider's request as for none: an id says nothing.
        _refuse(request, kind, request_pk, "view", Http404("No such request"))
    case = disclosure.victim.case
    if may is not None and not may(request.user, case):
        _refuse(request, kind, disclosure.pk, "change", PermissionDenied(refusal))
    record_access(request, object_type=kind, object_id=str(disclosure.pk), action=_action(request))
    return disclosure


def _not_now(request, disclosure: DisclosureRequest, *states, doing: str):
    """Back to the request, saying why, when its state does not allow what this page does."""
    if disclosure.state in states:
        return None
    messages.error(
        request,
        f"This request is {disclosure.get_state_display().lower()}: it cannot be {doing} now.",
    )
    return redirect("victims:request", request_pk=disclosure.pk)


def _may(user, case) -> dict:
    return {
        "may_record": services.may_record(user, case),
        "may_sign_off": services.may_sign_off(user, case),
    }


# --- A case's victims, and the worklist --------------------------------------------------------


@access(VICTIM_RECORD_READERS)
def case_victims(request, pk):
    """The victims and family members of a case, with their entitlement tasks and open requests;
    whether the case entitles them and whether its QA is complete. One audit row for the list."""
    case = _case(request, pk)
    return render(
        request,
        "victims/case_victims.html",
        {
            "case": case,
            "rows": selectors.case_victim_rows(request.user, case, timezone.localdate()),
            "entitled": services.is_entitled(case),
            "qa_complete": case.state in services.QA_DONE,
            **_may(request.user, case),
        },
    )


@access(VICTIM_RECORD_READERS)
def entitlement_tasks(request):
    """The open "inform of entitlement" tasks this person may see, soonest due first. It shows the
    case and the relationship, never a name or contact details: a list across many cases would
    otherwise show many people's details under one audit row. Each record is one click away."""
    record_access(
        request, object_type="victims.entitlementtask", object_id="worklist", action="list"
    )
    tasks = selectors.open_entitlement_tasks_for(request.user)
    page = Paginator(tasks, selectors.WORKLIST_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "victims/entitlement_tasks.html",
        {"page": page, "rows": selectors.task_rows(page.object_list, timezone.localdate())},
    )


# --- One person's record -----------------------------------------------------------------------


def _victim_form_page(request, case, victim=None):
    form = forms.VictimForm(request.POST or None, instance=victim, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            if victim is None:
                victim = services.add_victim(case, by=request.user, **form.details())
                messages.success(request, "Victim or family member recorded")
            else:
                services.update_victim(victim, by=request.user, **form.details())
                messages.success(request, "Details saved")
        except ValidationError as error:
            forms.add_service_error(form, error)
        else:
            return redirect("victims:victim", victim_pk=victim.pk)
    return render(
        request, "victims/victim_form.html", {"case": case, "victim": victim, "form": form}
    )


@access(VICTIM_RECORD_READERS)
def add_victim(request, pk):
    case = _case(request, pk, may=services.may_record, reading="add")
    return _victim_form_page(request, case)


@access(VICTIM_RECORD_READERS)
def edit_victim(request, victim_pk):
    victim = _victim(request, victim_pk, may=services.may_record)
    return _victim_form_page(request, victim.case, victim)


@access(VICTIM_RECORD_READERS)
def victim(request, victim_pk):
    """One person: their details, entitlement task, contacts, victim contact scheme and
    requests, and what this user may do next."""
    person = _victim(request, victim_pk)
    case = person.case
    task = selectors.entitlement_of(person)
    requests = selectors.requests_of(person)
    may = _may(request.user, case)
    return render(
        request,
        "victims/victim.html",
        {
            "case": case,
            "victim": person,
            "task": task,
            "rag": selectors.Rag.today_(timezone.localdate()).of(task),
            "contacts": person.contacts.select_related("by"),
            "requests": requests,
            "has_open_request": any(r.is_open for r, _ in requests),
            "vcs_form": forms.VCSChoiceForm(
                initial={"choice": person.vcs if person.vcs_decided_on else None}
            ),
            **may,
        },
    )


def _victim_action(request, victim_pk, form_class, do, *, template, success):
    """A form about one person whose valid answers go to one service."""
    person = _victim(request, victim_pk, may=services.may_record)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            done = do(person, form.cleaned_data)
        except ValidationError as error:
            forms.add_service_error(form, error)
        else:
            messages.success(request, success)
            if isinstance(done, DisclosureRequest):
                return redirect("victims:request", request_pk=done.pk)
            return redirect("victims:victim", victim_pk=person.pk)
    return render(request, template, {"case": person.case, "victim": person, "form": form})


@access(VICTIM_RECORD_READERS)
def record_contact(request, victim_pk):
    """An attempt to reach the person about the entitlement: one that told them closes the task."""
    return _victim_action(
        request,
        victim_pk,
        forms.ContactForm,
        lambda person, data: services.record_contact(person, by=request.user, **data),
        template="victims/contact_form.html",
        success="Contact recorded",
    )


@access(VICTIM_RECORD_READERS)
def vcs_choice(request, victim_pk):
    """Whether the person opted into the victim contact scheme, or declined it."""
    return _victim_action(
        request,
        victim_pk,
        forms.VCSChoiceForm,
        lambda person, data: services.record_vcs_choice(person, by=request.user, **data),
        template="victims/vcs_form.html",
        success="Their choice about the victim contact scheme is recorded",
    )


@access(VICTIM_RECORD_READERS)
def record_request(request, victim_pk):
    """The person asks to see the review: the case is flagged for the central team."""
    return _victim_action(
        request,
        victim_pk,
        forms.RequestForm,
        lambda person, data: services.record_request(person, by=request.user, **data),
        template="victims/request_form.html",
        success="Request for disclosure recorded: the central team is told to expedite its QA",
    )


# --- The request for disclosure ----------------------------------------------------------------


def _next_steps(user, disclosure: DisclosureRequest) -> dict:
    """What this person may do to the request now, by its state and by who they are."""
    case = disclosure.victim.case
    record, sign = services.may_record(user, case), services.may_sign_off(user, case)
    state = disclosure.state
    return {
        "may_assess": record and state in (R.REQUESTED, R.DEFERRED),
        "may_sign": sign and state == R.ASSESSED,
        "may_meet": record and state == R.SIGNED_OFF,
        "may_give_feedback": record and state == R.DISCLOSED,
        "may_release": record and state in (R.DISCLOSED, R.FEEDBACK_RECORDED),
        "may_decline": record and state in (R.REQUESTED, R.ASSESSED, R.SIGNED_OFF, R.DEFERRED),
        "may_record": record,
        "may_sign_off": sign,
    }


@access(VICTIM_RECORD_READERS)
def disclosure_request(request, request_pk):
    """The request: its state and history, the current assessment, the meeting, the feedback,
    the packs and who received which version."""
    disclosure = _request(request, request_pk)
    case = disclosure.victim.case
    # The reverse one-to-one raises an AttributeError (RelatedObjectDoesNotExist) when absent.
    meeting = getattr(disclosure, "meeting", None)
    return render(
        request,
        "victims/request.html",
        {
            "case": case,
            "victim": disclosure.victim,
            "disclosure": disclosure,
            "tag": selectors.request_tag(disclosure),
            "steps": disclosure.steps.select_related("by__organisation"),
            "assessment": services.current_assessment(disclosure),
            "meeting": meeting,
            "packs": disclosure.packs.select_related("job", "created_by"),
            "releases": disclosure.releases.select_related("pack", "recorded_by").order_by(
                "received_on", "pk"
            ),
            "qa_complete": case.state in services.QA_DONE,
            **_next_steps(request.user, disclosure),
        },
    )


@access(VICTIM_RECORD_READERS)
def assessment(request, request_pk):
    """The VLO's vulnerability and risk assessment (recommendation 15): saved as a draft as often
    as needed, then completed for a senior manager to sign off."""
    disclosure = _request(request, request_pk, may=services.may_record)
    refused = _not_now(request, disclosure, R.REQUESTED, R.DEFERRED, doing="assessed")
    if refused:
        return refused
    current = services.current_assessment(disclosure)
    fresh = current is not None and current.signed_off_at is not None
    initial = forms.assessment_initial(current, fresh=fresh)
    form = forms.AssessmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        completing = request.POST.get("action") == "complete"
        try:
            services.save_assessment(
                disclosure, by=request.user, complete=completing, **form.answers()
            )
        except ValidationError as error:
            forms.add_service_error(form, error)
        else:
            if completing:
                messages.success(request, "Assessment completed: a senior manager signs it off")
                return redirect("victims:request", request_pk=disclosure.pk)
            messages.success(request, "Your draft assessment is saved")
            return redirect("victims:assessment", request_pk=disclosure.pk)
    returned = current if current and not fresh and current.sign_off_note else None
    return render(
        request,
        "victims/assessment.html",
        {
            "case": disclosure.victim.case,
            "victim": disclosure.victim,
            "disclosure": disclosure,
            "form": form,
            "returned": returned,
            "previous": current if fresh else None,
        },
    )


@access(VICTIM_RECORD_READERS)
def sign_off(request, request_pk):
    """A senior manager reads the completed assessment and signs it off, or sends it back."""
    disclosure = _request(request, request_pk, may=services.may_sign_off, refusal=services.SENIOR)
    refused = _not_now(request, disclosure, R.ASSESSED, doing="signed off")
    if refused:
        return refused
    form = forms.SignOffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        sending_back = request.POST.get("action") == "return"
        note = form.cleaned_data["note"]
        try:
            if sending_back:
                services.return_assessment(disclosure, by=request.user, note=note)
            else:
                disclosure = services.sign_off_assessment(disclosure, by=request.user, note=note)
        except ValidationError as error:
            forms.add_service_error(form, error)
        else:
            if sending_back:
                messages.success(request, "Assessment sent back to be looked at again")
            elif disclosure.state == R.DEFERRED:
                messages.success(
                    request,
                    f"Signed off: disclosure is deferred until {disclosure.review_on:%-d %B %Y}",
                )
            else:
                messages.success(request, "Signed off: disclosure may go ahead")
            return redirect("victims:request", request_pk=disclosure.pk)
    return render(
        request,
        "victims/sign_off.html",
        {
            "case": disclosure.victim.case,
            "victim": disclosure.victim,
            "disclosure": disclosure,
            "assessment": services.current_assessment(disclosure),
            "form": form,
        },
    )


@access(VICTIM_RECORD_READERS)
def decline(request, request_pk):
    """The request ends: the person withdrew it, or disclosure will not go ahead."""
    disclosure = _request(request, request_pk, may=services.may_record)
    refused = _not_now(
        request, disclosure, R.REQUESTED, R.ASSESSED, R.SIGNED_OFF, R.DEFERRED, doing="declined"
    )
    if refused:
        return refused
    form = forms.DeclineForm(request.POST or None)
    done = _post(
        request,
        form,
        lambda data: services.decline_request(disclosure, by=request.user, **data),
        disclosure,
        "The request is ended",
    )
    return done or _page(request, "victims/decline.html", disclosure, form)


@access(VICTIM_RECORD_READERS)
def meeting(request, request_pk):
    """The disclosure meeting and the pack handed over. Refused, by the service and by the
    database, before the assessment is signed off to proceed."""
    disclosure = _request(request, request_pk, may=services.may_record)
    refused = _not_now(
        request,
        disclosure,
        R.REQUESTED,
        R.ASSESSED,
        R.DEFERRED,
        R.SIGNED_OFF,
        doing="given its meeting",
    )
    if refused:
        return refused
    form = forms.MeetingForm(request.POST or None, request=disclosure)
    done = _post(
        request,
        form,
        lambda data: services.record_meeting(disclosure, by=request.user, **data),
        disclosure,
        "Meeting recorded, and the pack handed over",
    )
    return done or _page(
        request,
        "victims/meeting.html",
        disclosure,
        form,
        signed_off=disclosure.state == R.SIGNED_OFF,
        has_ready_pack=form.fields["pack"].queryset.exists(),
    )


@access(VICTIM_RECORD_READERS)
def feedback(request, request_pk):
    """The feedback form after the meeting: what helped, what did not, questions, follow-up."""
    disclosure = _request(request, request_pk, may=services.may_record)
    refused = _not_now(request, disclosure, R.DISCLOSED, doing="given feedback")
    if refused:
        return refused
    form = forms.FeedbackForm(request.POST or None)
    done = _post(
        request,
        form,
        lambda data: services.record_feedback(disclosure, by=request.user, **form.answers()),
        disclosure,
        "Feedback recorded",
    )
    return done or _page(request, "victims/feedback.html", disclosure, form)


@access(VICTIM_RECORD_READERS)
def release(request, request_pk):
    """A later version of the pack sent after the meeting: who received it, when and how."""
    disclosure = _request(request, request_pk, may=services.may_record)
    refused = _not_now(request, disclosure, R.DISCLOSED, R.FEEDBACK_RECORDED, doing="sent a pack")
    if refused:
        return refused
    form = forms.ReleaseForm(request.POST or None, request=disclosure)
    done = _post(
        request,
        form,
        lambda data: services.record_release(disclosure, by=request.user, **data),
        disclosure,
        "Release recorded",
    )
    return done or _page(
        request,
        "victims/release.html",
        disclosure,
        form,
        has_ready_pack=form.fields["pack"].queryset.exists(),
    )


def _post(request, form, do, disclosure, success):
    """On a valid POST, the service; its refusal goes on the form. A redirect when done."""
    if request.method == "POST" and form.is_valid():
        try:
            do(form.cleaned_data)
        except ValidationError as error:
            forms.add_service_error(form, error)
        else:
            messages.success(request, success)
            return redirect("victims:request", request_pk=disclosure.pk)
    return None


def _page(request, template, disclosure, form, **extra):
    return render(
        request,
        template,
        {
            "case": disclosure.victim.case,
            "victim": disclosure.victim,
            "disclosure": disclosure,
            "form": form,
            **extra,
        },
    )
