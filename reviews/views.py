"""Pages of the case: identification, notification, registration, allocation, court outcome,
and the case itself with its clocks and timeline. Thin: forms validate, services change."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from reviews import early_look as early_look_rules
from reviews import services
from reviews.case_list import case_list  # noqa: F401 - the list has a module of its own
from reviews.forms import (
    AllocationForm,
    ChargedOffenceFormSet,
    CourtOutcomeForm,
    EarlyLookForm,
    IdentifyCaseForm,
    ImmediateActionFormSet,
    NotificationForm,
    RegistrationForm,
)
from reviews.models import EarlyLook, EarlyLookStatus
from reviews.selectors import TRANSITION_PAGES, case_for, case_page_context
from reviews.workflow import TRANSITIONS, CaseState
from sfo.access import CASE_READERS, PROVIDER_CASEWORKERS, access
from sfo.audit.services import record_access
from sfo.people.roles import Role


def _require(request, case, name: str) -> None:
    """Refuse (and record) a page for a transition this person may not make on this case now."""
    reason = services.refusal(request.user, case, name)
    if reason is not None:
        record_access(request, case, action=f"transition:{name}", allowed=False)
        raise PermissionDenied(reason)
    if case.state not in TRANSITIONS[name].sources:
        raise PermissionDenied(
            f"This case is {case.get_state_display().lower()}: "
            f"“{TRANSITIONS[name].label}” is not possible now."
        )


def _refused_or_changed(request, error) -> None:
    messages.error(request, str(error.messages[0] if isinstance(error, ValidationError) else error))


@access(CASE_READERS)
def case_detail(request, pk):
    case = case_for(request, pk)
    return render(request, "reviews/case_detail.html", case_page_context(request.user, case))


@access(PROVIDER_CASEWORKERS)
def identify_case(request):
    """At the first court hearing: the minimal facts, which start the notification and early-look
    clocks."""
    form = IdentifyCaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.identify_case(by=request.user, **form.cleaned_data)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, f"Case of {case.person_name} identified: complete the notification"
            )
            return redirect("reviews:notification", pk=case.pk)
    return render(request, "reviews/identify.html", {"form": form})


def _offence_facts(formset) -> list[services.ChargedOffenceFacts]:
    return [
        services.ChargedOffenceFacts(
            offence=f.cleaned_data["offence"],
            form=f.cleaned_data.get("form", ""),
            firearm_used=f.cleaned_data.get("firearm_used", False),
            penetration=f.cleaned_data.get("penetration", False),
            victim_under_13=f.cleaned_data.get("victim_under_13", False),
        )
        for f in formset.forms
        if f.cleaned_data.get("offence")
    ]


@access(PROVIDER_CASEWORKERS)
def notification(request, pk):
    """The whole notification on one grouped page; saving it shows the check page."""
    case = case_for(request, pk)
    if case.state != CaseState.IDENTIFIED:
        messages.info(request, "The notification of this case has already been sent")
        return redirect("reviews:case_detail", pk=case.pk)
    _require(request, case, "notify")
    initial = [
        {
            "offence": o.offence_id,
            "form": o.form,
            "firearm_used": o.firearm_used,
            "penetration": o.penetration,
            "victim_under_13": o.victim_under_13,
        }
        for o in case.charged_offences.all()
    ]
    form = NotificationForm(request.POST or None, instance=case)
    formset = ChargedOffenceFormSet(request.POST or None, prefix="offences", initial=initial)
    formset_errors = []
    if request.method == "POST":
        form_ok, formset_ok = form.is_valid(), formset.is_valid()
        facts = _offence_facts(formset) if formset_ok else []
        if formset_ok and not facts:
            formset_errors.append(("id_offences-0-offence", "Select the offence charged"))
        if not formset.management_form.is_valid():
            # Only a page cut short or altered sends this: its offences cannot be read, and a
            # formset re-shown from it would offer none to choose, so they are offered afresh.
            formset = ChargedOffenceFormSet(prefix="offences", initial=initial)
            formset_errors.append(
                ("id_offences-0-offence", "The offences charged could not be read: select them")
            )
        else:
            formset_errors += [("id_offences-0-offence", e) for e in formset.non_form_errors()]
        for index, sub in enumerate(formset.forms):
            for name, errors in sub.errors.items():
                formset_errors += [(f"id_offences-{index}-{name}", e) for e in errors]
        if form_ok and formset_ok and facts:
            fields = {name: form.cleaned_data[name] for name in services.NOTIFICATION_FIELDS}
            services.save_notification(
                case,
                by=request.user,
                fields=fields,
                offences=facts,
                officer=form.cleaned_data.get("responsible_officer"),
            )
            return redirect("reviews:notification_check", pk=case.pk)
    return render(
        request,
        "reviews/notification.html",
        {
            "case": case,
            "form": form,
            "formset": formset,
            "formset_errors": formset_errors,
        },
    )


@access(PROVIDER_CASEWORKERS)
def notification_check(request, pk):
    """Check the answers, the qualification and why, and any likely duplicate; then send."""
    case = case_for(request, pk)
    if case.state != CaseState.IDENTIFIED:
        return redirect("reviews:case_detail", pk=case.pk)
    if request.method == "POST":
        try:
            services.notify_case(case, by=request.user)
        except (ValidationError, PermissionDenied, services.CaseChangedMeanwhile) as error:
            _refused_or_changed(request, error)
        else:
            messages.success(request, "Notification sent to the central SFO review team")
            return redirect("reviews:case_detail", pk=case.pk)
    return render(
        request,
        "reviews/notification_check.html",
        {
            "case": case,
            "duplicates": services.likely_duplicates(case),
            "offences": case.charged_offences.select_related("offence"),
        },
    )


@access(CASE_READERS)
def registration(request, pk):
    """The central team registers or rejects a notified case."""
    case = case_for(request, pk)
    _require(request, case, "register")
    manager = request.user.has_role(Role.CENTRAL_QA_MANAGER)
    form = RegistrationForm(request.POST or None, manager=manager)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == "reject":
                services.reject_case(case, by=request.user, reason=data["rejection_reason"])
                messages.success(request, "Notification rejected; the provider can see why")
            else:
                services.register_case(
                    case,
                    by=request.user,
                    comment=data["comment"],
                    high_profile=data.get("high_profile", False),
                    reviewing_provider=data.get("reviewing_provider"),
                    qualification_override=data["qualification_override"],
                    override_justification=data["override_justification"],
                )
                messages.success(request, f"Registered as {case.reference}")
            return redirect("reviews:case_detail", pk=case.pk)
        except ValidationError as error:
            form.add_error(None, error)
        except (PermissionDenied, services.CaseChangedMeanwhile) as error:
            form.add_error(None, str(error))
    return render(
        request, "reviews/registration.html", {"case": case, "form": form, "manager": manager}
    )


@access(CASE_READERS)
def allocation(request, pk):
    """The reviewing provider's SFO review manager allocates a reviewer."""
    case = case_for(request, pk)
    _require(request, case, "allocate")
    form = AllocationForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            services.allocate_reviewer(case, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("reviewer", error)
        except (PermissionDenied, services.CaseChangedMeanwhile) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{case.reviewer.get_full_name()} is reviewing this case")
            return redirect("reviews:case_detail", pk=case.pk)
    return render(request, "reviews/allocation.html", {"case": case, "form": form})


@access(CASE_READERS)
def court_outcome(request, pk):
    case = case_for(request, pk)
    if not services.may_record_court_outcome(request.user, case):
        raise PermissionDenied("Only the case's provider or the central team records the outcome.")
    initial = {"outcome": case.court_outcome, "outcome_date": case.court_outcome_date}
    form = CourtOutcomeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_court_outcome(
                case,
                by=request.user,
                outcome=form.cleaned_data["outcome"],
                on=form.cleaned_data["outcome_date"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Court outcome recorded")
            return redirect("reviews:case_detail", pk=case.pk)
    return render(request, "reviews/court_outcome.html", {"case": case, "form": form})


@access(CASE_READERS)
def case_action(request, pk, name):
    """The transitions without a form of their own: a confirmation with an optional comment."""
    case = case_for(request, pk)
    spec = TRANSITIONS.get(name)
    if spec is None or name in TRANSITION_PAGES:
        raise PermissionDenied("That is not something this page does.")
    _require(request, case, name)
    comment = request.POST.get("comment", "")
    if request.method == "POST":
        try:
            if name == "discontinue":
                services.discontinue_case(case, by=request.user, comment=comment)
            else:
                services.transition_case(case, name, by=request.user, comment=comment)
        except (ValidationError, PermissionDenied, services.CaseChangedMeanwhile) as error:
            _refused_or_changed(request, error)
        else:
            messages.success(request, f"{spec.label}: done")
            return redirect(reverse("reviews:case_detail", args=[case.pk]))
    return render(
        request, "reviews/case_action.html", {"case": case, "spec": spec, "comment": comment}
    )


@access(CASE_READERS)
def early_look(request, pk):
    """The early look: its writer drafts and submits it here; others allowed read it."""
    case = case_for(request, pk)
    if not early_look_rules.may_read(request.user, case):
        raise PermissionDenied("The early look is for the case's provider and the central team.")
    existing = EarlyLook.objects.filter(case=case).prefetch_related("actions").first()
    may_write = early_look_rules.refusal_to_write(request.user, case) is None
    if not may_write or (existing and existing.status == EarlyLookStatus.SUBMITTED):
        return render(request, "reviews/early_look.html", {"case": case, "early_look": existing})
    initial = (
        {name: getattr(existing, name) for name in early_look_rules.FIELDS} if existing else {}
    )
    actions = (
        [{"action": a.action, "owner": a.owner, "due_on": a.due_on} for a in existing.actions.all()]
        if existing
        else []
    )
    form = EarlyLookForm(request.POST or None, initial=initial)
    formset = ImmediateActionFormSet(request.POST or None, prefix="actions", initial=actions)
    formset_errors = []
    if request.method == "POST":
        form_ok, formset_ok = form.is_valid(), formset.is_valid()
        for index, sub in enumerate(formset.forms):
            for name, errors in sub.errors.items():
                formset_errors += [(f"id_actions-{index}-{name}", e) for e in errors]
        if form_ok and formset_ok:
            plan = [
                early_look_rules.Action(
                    f.cleaned_data["action"], f.cleaned_data["owner"], f.cleaned_data.get("due_on")
                )
                for f in formset.forms
                if f.cleaned_data.get("action")
            ]
            fields = {name: form.cleaned_data[name] for name in early_look_rules.FIELDS}
            try:
                early_look_rules.save_early_look(case, by=request.user, fields=fields, actions=plan)
                if "submit" in request.POST:
                    early_look_rules.submit_early_look(case, by=request.user)
                    messages.success(request, "Early look submitted to the central team")
                    return redirect("reviews:case_detail", pk=case.pk)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "Early look saved as a draft")
                return redirect("reviews:early_look", pk=case.pk)
    return render(
        request,
        "reviews/early_look.html",
        {
            "case": case,
            "early_look": existing,
            "form": form,
            "formset": formset,
            "formset_errors": formset_errors,
        },
    )
