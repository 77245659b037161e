"""The pages of the full review: its task list, each narrative section, the conclusion with its
judgement, the key findings, the action plan, and sending the review for local QA. Thin: forms
validate, `reviews.authoring` changes; an edit conflict shows both versions and loses nothing."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse

from reviews import authoring
from reviews.models import (
    ActionStatus,
    Finding,
    FindingKind,
    ReviewAction,
    SectionKey,
    SectionStatus,
)
from reviews.review_forms import (
    ActionForm,
    ConclusionForm,
    FindingForm,
    ProgressActionForm,
    SectionForm,
    SendForLocalQAForm,
)
from reviews.review_guide import GROUPS, GUIDANCE, STRUCTURED_PAGES
from reviews.selectors import review_case_for, writable_review_case_for
from reviews.workflow import CaseState
from sfo.access import CASE_READERS, access
from sfo.audit.services import record_access
from sfo.govuk_forms import rebased

FINDING_FIELDS = ["title", "kind", "analysis", "dissemination"]
ACTION_FIELDS = ["description", "level", "agency", "owner", "due_on"]


def _seen(data) -> int:
    """The version the form was opened at; a form without one (an old page, a hand-made post) is
    treated as stale, so that it shows a conflict rather than overwrite someone's save."""
    return data.get("version") or 0


def _posted(request):
    """The posted data, even when empty (an empty POST still submits the form)."""
    return request.POST if request.method == "POST" else None


def _review_context(request, case, **extra) -> dict:
    from reviews.coach import coach_for
    from reviews.local_qa import latest_comments
    from reviews.remarks import remarks_for

    review = authoring.review_of(case)
    return {
        "case": case,
        "review": review,
        "may_write": authoring.refusal_to_write(request.user, case) is None,
        "coach": coach_for(case),
        "qa_comments": latest_comments(case),
        "remarks": remarks_for(request.user, case),
        **extra,
    }


@access(CASE_READERS)
def review(request, pk):
    """The task list: every section with its status, what local QA said, and the coach."""
    case = review_case_for(request, pk)
    context = _review_context(request, case)
    sections = {s.key: s for s in context["review"].sections.all()}
    groups = [(title, [(SectionKey(key), sections[key]) for key in keys]) for title, keys in GROUPS]
    completed = sum(1 for s in sections.values() if s.status == SectionStatus.COMPLETED)
    return render(
        request,
        "reviews/review/task_list.html",
        {
            **context,
            "groups": groups,
            "completed": completed,
            "total": len(sections),
            "structured_pages": STRUCTURED_PAGES,
            "may_send": context["may_write"] and case.state == CaseState.REVIEW_IN_PROGRESS,
        },
    )


@access(CASE_READERS)
def review_section(request, pk, key):
    """One narrative section: its guidance, its text and status, with the coach beside it. The
    conclusion also asks for the judgement."""
    if key not in SectionKey.values:
        raise Http404("No such section")
    if key in STRUCTURED_PAGES:
        return redirect(STRUCTURED_PAGES[key], pk=pk)
    case = review_case_for(request, pk)
    context = _review_context(request, case)
    section = context["review"].sections.get(key=key)
    form_class = ConclusionForm if key == SectionKey.CONCLUSION else SectionForm
    form = _section_form(form_class, key, _posted(request), section, context["review"])
    conflict, conflict_rows, refused = None, [], None
    if request.method == "POST":
        refused = authoring.refusal_to_write(request.user, case)
        if refused and case.reviewer_id == request.user.pk:
            # The reviewer's own review moved on meanwhile (sent from another tab): keep what
            # they typed on the page, with the reason, rather than refuse the page outright.
            record_access(request, case, action="write:review", allowed=False)
            form.is_valid()
            form.add_error(None, f"Your text was not saved. {refused} Copy it from below.")
        else:
            authoring.ensure_may_write(request.user, case)
    if request.method == "POST" and not refused and form.is_valid():
        try:
            _save_section_form(case, key, form, request.user)
        except authoring.EditConflict as error:
            conflict = error.current
            saved = {"text": conflict.text, "status": conflict.status}
            if key == SectionKey.CONCLUSION:
                current = authoring.review_of(case)
                saved["all_reasonable_steps"] = current.all_reasonable_steps
                saved["judgement_reasons"] = current.judgement_reasons
            conflict_rows = _conflict_rows(form, saved)
            form = _section_form(form_class, key, rebased(request.POST, conflict.version))
            form.is_valid()
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{SectionKey(key).label} saved")
            if "continue" in request.POST:
                return redirect("reviews:review_section", pk=case.pk, key=key)
            return redirect("reviews:review", pk=case.pk)
    return render(
        request,
        "reviews/review/section.html",
        {
            **context,
            "section": section,
            "key": SectionKey(key),
            "guidance": GUIDANCE.get(key, ""),
            "form": form,
            "conflict": conflict,
            "conflict_rows": conflict_rows,
            "may_write": context["may_write"] or bool(refused),
            "comments": context["qa_comments"].sections.get(key, []),
        },
    )


def _section_form(form_class, key, data, section=None, review=None):
    """The section's form, bound to `data` or showing the saved section (and judgement)."""
    initial = {}
    if section is not None:
        initial = {"text": section.text, "version": section.version, "status": section.status}
        if section.status == SectionStatus.NOT_STARTED:
            initial["status"] = SectionStatus.IN_PROGRESS
        if key == SectionKey.CONCLUSION:
            initial["all_reasonable_steps"] = review.all_reasonable_steps
            initial["judgement_reasons"] = review.judgement_reasons
    form = form_class(data, initial=initial)
    form.fields["text"].label = (
        "Conclusion" if key == SectionKey.CONCLUSION else SectionKey(key).label
    )
    return form


def _save_section_form(case, key, form, user) -> None:
    data = form.cleaned_data
    if key == SectionKey.CONCLUSION:
        authoring.save_conclusion(
            case,
            by=user,
            text=data["text"],
            status=data["status"],
            judgement=data["all_reasonable_steps"],
            reasons=data["judgement_reasons"],
            expected_version=_seen(data),
        )
    else:
        authoring.save_section(
            case,
            key,
            by=user,
            text=data["text"],
            status=data["status"],
            expected_version=_seen(data),
        )


def _shown(field, value) -> str:
    """A value as the form would show it: the label of a choice (of each, for a list of them), a
    date as words."""
    if value in (None, ""):
        return ""
    choices = dict((str(k), v) for k, v in getattr(field, "choices", []) or [])
    if isinstance(value, list | tuple):
        return ", ".join(str(choices.get(str(item), item)) for item in value)
    if choices:
        return str(choices.get(str(value), value))
    if hasattr(value, "strftime"):
        return value.strftime("%-d %B %Y")
    return str(value)


def _conflict_rows(form, saved: dict) -> list[tuple[str, str, str]]:
    """(label, saved, yours) for each field, to show the two versions side by side."""
    mine = getattr(form, "cleaned_data", {})
    return [
        (
            form.fields[name].label,
            _shown(form.fields[name], value),
            _shown(form.fields[name], mine.get(name)),
        )
        for name, value in saved.items()
    ]


def _slugs(row) -> list[str]:
    """The slugs of a finding's or an action's themes, in the taxonomy's order."""
    return list(row.themes.order_by("position", "name").values_list("slug", flat=True))


def _row_to_edit(request, model, review, row_pk):
    """(the finding or action being changed, whether it was removed meanwhile); (None, False)
    when adding. A removed one is a 404 to open, but a save to it keeps what was typed."""
    if row_pk is None:
        return None, False
    row = model.objects.filter(review=review, pk=row_pk).first()
    if row is None and request.method != "POST":
        raise Http404(f"No such {model._meta.verbose_name}")
    return row, row is None


def _row_page(request, case, form, *, row, removed, what, save, saved_of, rebuild, done):
    """The add-or-change page of a finding or an action: saved, or shown again with the error, or
    with both versions when someone saved it meanwhile, or offered again when it was removed."""
    conflict, conflict_rows = None, []
    if removed:
        _offer_again(form, what)
    elif request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except authoring.EditConflict as error:
            conflict = error.current
            conflict_rows = _conflict_rows(form, saved_of(conflict))
            form = rebuild(rebased(request.POST, conflict.version))
            form.is_valid()
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{what.capitalize()} saved")
            return redirect(done, pk=case.pk)
    return render(
        request,
        f"reviews/review/{what}_form.html",
        {
            "case": case,
            what: row,
            "form": form,
            "form_action": reverse(f"reviews:{what}_add", args=[case.pk]) if removed else "",
            "conflict": conflict,
            "conflict_rows": conflict_rows,
        },
    )


def _offer_again(form, what: str) -> None:
    """Someone removed the row while this person edited it: their text stays on the page, and
    saving it adds it again (the form posts to the add page)."""
    form.is_valid()
    form.add_error(
        None,
        f"This {what} was removed while you were editing it. What you typed is below: save it "
        f"to add the {what} again.",
    )


# --- Key findings ----------------------------------------------------------------------------


@access(CASE_READERS)
def findings(request, pk):
    case = review_case_for(request, pk)
    context = _review_context(request, case)
    rows = (
        Finding.objects.filter(review=context["review"])
        .prefetch_related("supporting_entries", "actions", "themes")
        .order_by("position", "pk")
    )
    section = context["review"].sections.get(key=SectionKey.KEY_FINDINGS)
    return render(
        request,
        "reviews/review/findings.html",
        {**context, "findings": rows, "section": section, "kinds": FindingKind},
    )


@access(CASE_READERS)
def finding_edit(request, pk, finding_pk=None):
    """Add a finding (no finding_pk) or change one, with the version check."""
    case = writable_review_case_for(request, pk)
    review = authoring.review_of(case)
    finding, removed = _row_to_edit(request, Finding, review, finding_pk)
    initial = (
        {
            "title": finding.title,
            "kind": finding.kind,
            "analysis": finding.analysis,
            "dissemination": finding.dissemination,
            "themes": _slugs(finding),
            "version": finding.version,
        }
        if finding
        else {}
    )
    kept = initial.get("themes", [])
    form = FindingForm(_posted(request), initial=initial, kept_themes=kept)

    def save(data):
        facts = authoring.FindingFacts(
            title=data["title"],
            analysis=data["analysis"],
            kind=data["kind"],
            dissemination=data["dissemination"],
            themes=data["themes"],
        )
        if finding is None:
            authoring.add_finding(case, by=request.user, facts=facts)
        else:
            authoring.update_finding(
                case, finding.pk, by=request.user, facts=facts, expected_version=_seen(data)
            )

    return _row_page(
        request,
        case,
        form,
        row=finding,
        removed=removed,
        what="finding",
        save=save,
        saved_of=lambda current: {
            **{name: getattr(current, name) for name in FINDING_FIELDS},
            "themes": _slugs(current),
        },
        rebuild=lambda data: FindingForm(data, kept_themes=kept),
        done="reviews:findings",
    )


@access(CASE_READERS)
def finding_delete(request, pk, finding_pk):
    case = writable_review_case_for(request, pk)
    finding = Finding.objects.filter(review__case=case, pk=finding_pk).first()
    if finding is None:
        raise Http404("No such finding")
    if request.method == "POST":
        authoring.delete_finding(case, finding.pk, by=request.user)
        messages.success(request, f"Finding “{finding.title}” removed")
        return redirect("reviews:findings", pk=case.pk)
    return render(
        request,
        "reviews/review/confirm_delete.html",
        {
            "case": case,
            "what": f"the finding “{finding.title}”",
            "consequence": "Chronology entries that support it and actions that answer it stay, "
            "no longer linked to it.",
            "back": reverse("reviews:findings", args=[case.pk]),
        },
    )


# --- The action plan -------------------------------------------------------------------------


@access(CASE_READERS)
def action_plan(request, pk):
    case = review_case_for(request, pk)
    context = _review_context(request, case)
    rows = (
        ReviewAction.objects.filter(review=context["review"])
        .select_related("finding", "verified_by")
        .prefetch_related("themes")
    )
    section = context["review"].sections.get(key=SectionKey.ACTION_PLAN)
    progressable = {
        action.pk
        for action in rows
        if authoring.refusal_to_progress(request.user, case, action) is None
    }
    return render(
        request,
        "reviews/review/action_plan.html",
        {**context, "actions": rows, "section": section, "progressable": progressable},
    )


@access(CASE_READERS)
def action_edit(request, pk, action_pk=None):
    case = writable_review_case_for(request, pk)
    review = authoring.review_of(case)
    action, removed = _row_to_edit(request, ReviewAction, review, action_pk)
    finding_rows = list(review.findings.all())
    initial = (
        {
            "description": action.description,
            "level": action.level,
            "agency": action.agency,
            "owner": action.owner,
            "due_on": action.due_on,
            "finding": action.finding_id,
            "themes": _slugs(action),
            "version": action.version,
        }
        if action
        else {"finding": request.GET.get("finding")}
    )
    kept = initial.get("themes", [])
    form = ActionForm(_posted(request), initial=initial, findings=finding_rows, kept_themes=kept)

    def save(data):
        facts = authoring.ActionFacts(
            description=data["description"],
            level=data["level"],
            owner=data["owner"],
            due_on=data["due_on"],
            agency=data["agency"],
            finding_id=data["finding"],
            themes=data["themes"],
        )
        if action is None:
            authoring.add_action(case, by=request.user, facts=facts)
        else:
            authoring.update_action(
                case, action.pk, by=request.user, facts=facts, expected_version=_seen(data)
            )

    def saved_of(current) -> dict:
        return {
            **{name: getattr(current, name) for name in ACTION_FIELDS},
            "finding": current.finding_id,
            "themes": _slugs(current),
        }

    return _row_page(
        request,
        case,
        form,
        row=action,
        removed=removed,
        what="action",
        save=save,
        saved_of=saved_of,
        rebuild=lambda data: ActionForm(data, findings=finding_rows, kept_themes=kept),
        done="reviews:action_plan",
    )


@access(CASE_READERS)
def action_delete(request, pk, action_pk):
    case = writable_review_case_for(request, pk)
    action = ReviewAction.objects.filter(review__case=case, pk=action_pk).first()
    if action is None:
        raise Http404("No such action")
    if request.method == "POST":
        authoring.delete_action(case, action.pk, by=request.user)
        messages.success(request, "Action removed")
        return redirect("reviews:action_plan", pk=case.pk)
    return render(
        request,
        "reviews/review/confirm_delete.html",
        {
            "case": case,
            "what": f"the action “{action.description[:80]}”",
            "consequence": "",
            "back": reverse("reviews:action_plan", args=[case.pk]),
        },
    )


@access(CASE_READERS)
def action_progress(request, pk, action_pk):
    """Move an action one step on; verifying it asks for the evidence."""
    case = review_case_for(request, pk)
    action = (
        ReviewAction.objects.filter(review__case=case, pk=action_pk)
        .select_related("finding")
        .first()
    )
    if action is None:
        raise Http404("No such action")
    reason = authoring.refusal_to_progress(request.user, case, action)
    if reason:
        record_access(request, case, action="progress:action", allowed=False)
        raise PermissionDenied(reason)
    from reviews.models import ACTION_STEPS

    target = ACTION_STEPS[action.status]
    form = ProgressActionForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            authoring.progress_action(
                case,
                action.pk,
                by=request.user,
                evidence=form.cleaned_data["evidence"],
                seen_status=request.POST.get("seen_status"),
            )
        except ValidationError as error:
            form.add_error("evidence", error)
        else:
            messages.success(request, f"Action marked {ActionStatus(target).label.lower()}")
            return redirect("reviews:action_plan", pk=case.pk)
    return render(
        request,
        "reviews/review/action_progress.html",
        {
            "case": case,
            "action": action,
            "target": ActionStatus(target),
            "form": form,
            "needs_evidence": target == ActionStatus.VERIFIED,
        },
    )


@access(CASE_READERS)
def structured_status(request, pk, key):
    """Mark the key findings or the action plan in progress or completed (POST only)."""
    if key not in (SectionKey.KEY_FINDINGS, SectionKey.ACTION_PLAN) or request.method != "POST":
        raise Http404("Nothing to mark here")
    case = writable_review_case_for(request, pk)
    status = request.POST.get("status", "")
    try:
        authoring.mark_section(case, key, by=request.user, status=status)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"{SectionKey(key).label}: {SectionStatus(status).label.lower()}")
    return redirect(STRUCTURED_PAGES[key], pk=case.pk)


# --- Sending for local QA --------------------------------------------------------------------


@access(CASE_READERS)
def send_for_local_qa(request, pk):
    """The reviewer sends the review, chronology and action plan to the review manager; the coach's
    flags and any incomplete sections are shown as advice, the judgement alone is required."""
    case = writable_review_case_for(request, pk)
    if case.state != CaseState.REVIEW_IN_PROGRESS:
        record_access(request, case, action="transition:send_to_local_qa", allowed=False)
        raise PermissionDenied("Only a review in progress is sent for local QA.")
    context = _review_context(request, case)
    form = SendForLocalQAForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            version = authoring.send_for_local_qa(
                case, by=request.user, comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Version {version.number} of the review sent for local QA")
            return redirect("reviews:case_detail", pk=case.pk)
    return render(
        request,
        "reviews/review/send_for_local_qa.html",
        {
            **context,
            "form": form,
            "incomplete": authoring.incomplete_sections(context["review"]),
        },
    )


urlpatterns = [
    path("<int:pk>/review/", review, name="review"),
    path("<int:pk>/review/sections/<slug:key>/", review_section, name="review_section"),
    path("<int:pk>/review/findings/", findings, name="findings"),
    path("<int:pk>/review/findings/add/", finding_edit, name="finding_add"),
    path("<int:pk>/review/findings/<int:finding_pk>/", finding_edit, name="finding_edit"),
    path(
        "<int:pk>/review/findings/<int:finding_pk>/delete/", finding_delete, name="finding_delete"
    ),
    path("<int:pk>/review/action-plan/", action_plan, name="action_plan"),
    path("<int:pk>/review/action-plan/add/", action_edit, name="action_add"),
    path("<int:pk>/review/action-plan/<int:action_pk>/", action_edit, name="action_edit"),
    path(
        "<int:pk>/review/action-plan/<int:action_pk>/delete/", action_delete, name="action_delete"
    ),
    path(
        "<int:pk>/review/action-plan/<int:action_pk>/progress/",
        action_progress,
        name="action_progress",
    ),
    path("<int:pk>/review/sections/<slug:key>/status/", structured_status, name="section_status"),
    path("<int:pk>/review/send-for-local-qa/", send_for_local_qa, name="send_for_local_qa"),
]
