"""The pages of redaction (marking what is withheld, sharing the copy), of the redacted copy the
staff involved read (page and PDF), and of their responses to its findings. Thin: forms check what
was typed, `reviews.redaction` decides and changes. ADR 0012.

Each permitted page writes exactly one row of the read audit, naming the case or the copy by id.
A case this person may not see, or whose copy is not theirs to read, is a 404 (recorded); a case
they may see but may not act on in that way is a 403 (recorded)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from reviews import redaction
from reviews.authoring import may_read_review
from reviews.models import Case
from reviews.redacted_pdf import copy_context, queue_copy_pdf
from reviews.redaction_forms import MarkForm, ResponseForm
from reviews.selectors import review_case_for
from sfo.access import (
    REDACTED_COPY_READERS,
    REDACTION_MARKERS,
    STAFF_RESPONSE_READERS,
    access,
    visible_cases,
)
from sfo.audit.services import record_access

# --- Finding the case and the copy -------------------------------------------------------------


def _marking_case(request, pk: int, what: str = "mark:redaction") -> Case:
    """A case whose review this person may read (its view recorded) and mark; 404 or 403,
    recorded, otherwise."""
    case = review_case_for(request, pk)
    reason = redaction.refusal_to_mark(request.user, case)
    if reason:
        record_access(request, case, action=what, allowed=False)
        raise PermissionDenied(reason)
    return case


def _copy_case(request, pk: int, action: str = "view") -> Case:
    """A case whose redacted copies this person may read; 404 (recorded) otherwise, whether the
    case does not exist or is not theirs, so that an id reveals nothing."""
    case = (
        Case.objects.select_related("managing_provider", "reviewing_provider", "reviewer")
        .filter(pk=pk)
        .first()
    )
    if case is None or not redaction.may_read_copy(request.user, case):
        record_access(
            request, object_type="reviews.case", object_id=str(pk), action=action, allowed=False
        )
        raise Http404("No case found")
    return case


def _copy(request, case: Case, copy_pk: int, action: str = "view"):
    copy = redaction.copies_of(case).filter(pk=copy_pk).first()
    if copy is None:
        record_access(
            request,
            object_type="reviews.redactedcopy",
            object_id=str(copy_pk),
            action=action,
            allowed=False,
        )
        raise Http404("No such copy")
    return copy


def _visible(user, case: Case) -> bool:
    """Whether the breadcrumbs may link to the case page (a line manager may read the copy of a
    case whose page they do not see)."""
    return visible_cases(user).filter(pk=case.pk).exists()


def _may_read_responses(user, case: Case) -> bool:
    return STAFF_RESPONSE_READERS.allows(user) and may_read_review(user, case)


# --- Marking -----------------------------------------------------------------------------------


@access(REDACTION_MARKERS)
def redactions(request, pk):
    """Every part of the review that has text, as it is now, each with its marks; the marks
    removed; the copies shared, and the way to share the next."""
    case = _marking_case(request, pk)
    data = redaction.live_snapshot(case)
    review = case.review
    marks = list(
        review.redactions.select_related("marked_by", "removed_by", "staff_member").order_by(
            "marked_at", "pk"
        )
    )
    active = [mark for mark in marks if mark.removed_at is None]
    unmatched = {mark.pk for mark in redaction.unmatched_marks(data, active)}
    by_place: dict[str, list] = {}
    for mark in active:
        by_place.setdefault(mark.place, []).append(mark)
    groups: dict[str, list] = {}
    for place in redaction.places(data):
        if place.text.strip() or place.key in by_place:
            groups.setdefault(place.group, []).append(
                {
                    "place": place,
                    "marks": by_place.get(place.key, []),
                    "anchor": "place-" + place.key.replace(":", "-").replace("_", "-"),
                }
            )
    known = {place.key for place in redaction.places(data)}
    return render(
        request,
        "reviews/redacted/redactions.html",
        {
            "case": case,
            "groups": list(groups.items()),
            "active_count": len(active),
            "unmatched": unmatched,
            "orphans": [mark for mark in active if mark.place not in known],
            "removed": [mark for mark in marks if mark.removed_at is not None],
            "copies": redaction.copies_of(case),
            "version": redaction.version_to_share(case),
        },
    )


@access(REDACTION_MARKERS)
def redaction_add(request, pk):
    """Mark a part of the review, or words within it, as withheld. The words must be in the text:
    if they are not, the page says so and keeps what was typed."""
    case = _marking_case(request, pk)
    data = redaction.live_snapshot(case)
    with_text = [place for place in redaction.places(data) if place.text.strip()]
    staff = redaction.staff_choices(case)
    if request.method == "POST":
        form = MarkForm(request.POST, places=with_text, staff=staff)
        if form.is_valid():
            try:
                redaction.mark_redaction(
                    case,
                    by=request.user,
                    place=form.cleaned_data["place"],
                    quote=form.quote_to_withhold(),
                    category=form.cleaned_data["category"],
                    reason=form.cleaned_data["reason"],
                    staff_member=form.cleaned_data.get("staff_member"),
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    for message in errors:
                        form.add_error(field if field in form.fields else None, message)
            else:
                messages.success(request, "The text is marked as withheld")
                place = form.cleaned_data["place"]
                anchor = "place-" + place.replace(":", "-").replace("_", "-")
                return redirect(reverse("reviews:redactions", args=[case.pk]) + f"#{anchor}")
        chosen = request.POST.get("place", "")
    else:
        chosen = request.GET.get("place", "")
        form = MarkForm(places=with_text, staff=staff, initial={"place": chosen})
    place = next((p for p in with_text if p.key == chosen), None)
    return render(
        request, "reviews/redacted/mark.html", {"case": case, "form": form, "place": place}
    )


@access(REDACTION_MARKERS)
@require_POST
def redaction_remove(request, pk, mark_pk):
    """Stop withholding a mark in copies shared from now on; the mark is kept, as removed."""
    case = _marking_case(request, pk, "remove:redaction")
    try:
        redaction.remove_redaction(case, mark_pk, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "The mark has been removed: copies shared from now on show it")
    return redirect("reviews:redactions", pk=case.pk)


@access(REDACTION_MARKERS)
def share_copy(request, pk):
    """The copy as it would be shared (the latest version submitted to the central team, with the
    marks in force), and the button that shares it."""
    case = _marking_case(request, pk, "share:redacted_copy")
    version = redaction.version_to_share(case)
    error = None
    if request.method == "POST":
        try:
            copy = redaction.share_copy(case, by=request.user)
        except ValidationError as refused:
            error = refused.messages[0]
        else:
            messages.success(
                request,
                f"Version {copy.version.number} is shared with the staff involved, redacted",
            )
            return redirect("reviews:redacted_copy", pk=case.pk, copy_pk=copy.pk)
    preview, unmatched, shared = None, [], False
    if version is not None:
        marks = redaction.marks_of(case.review)
        unmatched_marks = redaction.unmatched_marks(version.snapshot, marks)
        labels = {place.key: place.label for place in redaction.places(version.snapshot)}
        unmatched = [(labels.get(m.place, m.place), m) for m in unmatched_marks]
        from sfo.documents.review_pdf import review_print_context

        preview = review_print_context(
            case,
            request.user,
            data=redaction.redact(version.snapshot, marks, audience="staff", reader=None),
        )
        shared = case.review.redacted_copies.filter(version=version).exists()
    return render(
        request,
        "reviews/redacted/share.html",
        {
            "case": case,
            "version": version,
            "preview": preview,
            "unmatched": unmatched,
            "shared": shared,
            "error": error,
        },
    )


# --- Reading the copy --------------------------------------------------------------------------


@access(REDACTED_COPY_READERS)
def redacted_copies(request, pk):
    """The copies of a case's review shared with the staff involved, latest first."""
    case = _copy_case(request, pk)
    record_access(request, case, action="view:redacted_copies")
    return render(
        request,
        "reviews/redacted/copies.html",
        {
            "case": case,
            "case_visible": _visible(request.user, case),
            "copies": redaction.copies_of(case),
            "may_mark": redaction.refusal_to_mark(request.user, case) is None
            and REDACTION_MARKERS.allows(request.user),
        },
    )


@access(REDACTED_COPY_READERS)
def redacted_copy(request, pk, copy_pk):
    """The copy, as this person reads it: for the staff involved with a response form under each
    finding; for the case's SFO staff and the central QA team with the responses."""
    case = _copy_case(request, pk)
    copy = _copy(request, case, copy_pk)
    record_access(request, copy, action="view")
    context = copy_context(copy, request.user)
    data_findings = redaction.copy_data(copy, request.user)["findings"]
    involved = redaction.is_involved(request.user, case)
    may_read_responses = _may_read_responses(request.user, case)
    mine = (
        redaction.responses_by_finding(copy, current_only=True, by=request.user) if involved else {}
    )
    everyone = redaction.responses_by_finding(copy, current_only=True) if may_read_responses else {}
    for finding, raw in zip(context["findings"], data_findings, strict=True):
        finding["id"] = raw["id"]
        finding["mine"] = (mine.get(raw["id"]) or [None])[0]
        finding["responses"] = everyone.get(raw["id"], [])
    return render(
        request,
        "reviews/redacted/copy.html",
        {
            "doc": context,
            "case": case,
            "copy": copy,
            "case_visible": _visible(request.user, case),
            "involved": involved,
            "may_read_responses": may_read_responses,
            "is_latest": copy == redaction.copies_of(case).first(),
        },
    )


@access(REDACTED_COPY_READERS)
@require_POST
def redacted_copy_pdf(request, pk, copy_pk):
    """The copy as a PDF, made for this person by the document queue."""
    case = _copy_case(request, pk, action="request:redacted_copy_pdf")
    copy = _copy(request, case, copy_pk, action="request:redacted_copy_pdf")
    job = queue_copy_pdf(copy, by=request.user)
    return redirect("documents:job", job_pk=job.pk)


# --- Responses ---------------------------------------------------------------------------------


@access(REDACTED_COPY_READERS)
def finding_response(request, pk, copy_pk, finding_id):
    """Respond to one finding: agree, disagree with reasons, or add context. A later response
    replaces the earlier one, which stays in the history."""
    case = _copy_case(request, pk, action="respond")
    copy = _copy(request, case, copy_pk, action="respond")
    if not redaction.is_involved(request.user, case):
        record_access(request, copy, action="respond", allowed=False)
        raise PermissionDenied(
            "Responses are recorded by the officers who managed the case and their line managers."
        )
    found = redaction.finding_of(copy, finding_id, request.user)
    if found is None:
        record_access(
            request,
            object_type="reviews.redactedcopy",
            object_id=f"{copy.pk}:finding:{finding_id}",
            action="respond",
            allowed=False,
        )
        raise Http404("No such finding")
    number, finding = found
    history = list(redaction.responses_of(copy, by=request.user).filter(finding_id=finding_id))
    current = next((r for r in history if r.replaced_at is None), None)
    if request.method == "POST":
        form = ResponseForm(request.POST)
        if form.is_valid():
            try:
                redaction.respond_to_finding(
                    copy,
                    by=request.user,
                    finding_id=finding_id,
                    stance=form.cleaned_data["stance"],
                    text=form.cleaned_data["text"],
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    for message in errors:
                        form.add_error(field if field in form.fields else None, message)
            else:
                record_access(request, copy, action="respond")
                messages.success(request, f"Your response to finding {number} has been recorded")
                return redirect(
                    reverse("reviews:redacted_copy", args=[case.pk, copy.pk]) + f"#finding-{number}"
                )
    else:
        form = ResponseForm(
            initial={"stance": current.stance, "text": current.text} if current else None
        )
    record_access(request, copy, action="view:finding_response")
    from sfo.documents.review_pdf import paragraphs

    return render(
        request,
        "reviews/redacted/respond.html",
        {
            "case": case,
            "case_visible": _visible(request.user, case),
            "copy": copy,
            "form": form,
            "number": number,
            "finding": finding,
            "analysis": paragraphs(finding["analysis"]),
            "current": current,
            "history": history,
        },
    )


@access(STAFF_RESPONSE_READERS)
def staff_responses(request, pk, copy_pk):
    """What the staff involved said to each finding of a copy, current responses first with the
    ones they replaced, for the reviewer and managers."""
    case = review_case_for(request, pk)  # records the view; 404 or 403 (recorded) otherwise
    copy = _copy(request, case, copy_pk)
    involved = redaction.involved_staff(case)
    everything = redaction.responses_by_finding(copy)
    findings = []
    for number, finding in enumerate(copy.snapshot["findings"], start=1):
        responses = everything.get(finding["id"], [])
        for response in responses:
            response.relation = involved.get(response.by_id, "no longer involved")
        findings.append(
            {
                "number": number,
                "id": finding["id"],
                "title": finding["title"],
                "current": [r for r in responses if r.replaced_at is None],
                "replaced": [r for r in responses if r.replaced_at is not None],
            }
        )
    return render(
        request,
        "reviews/redacted/responses.html",
        {
            "case": case,
            "case_visible": True,
            "copy": copy,
            "findings": findings,
            "count": sum(len(f["current"]) for f in findings),
        },
    )


urlpatterns = [
    path("<int:pk>/review/redactions/", redactions, name="redactions"),
    path("<int:pk>/review/redactions/add/", redaction_add, name="redaction_add"),
    path(
        "<int:pk>/review/redactions/<int:mark_pk>/remove/",
        redaction_remove,
        name="redaction_remove",
    ),
    path("<int:pk>/review/redactions/share/", share_copy, name="share_redacted_copy"),
    path("<int:pk>/redacted-copies/", redacted_copies, name="redacted_copies"),
    path("<int:pk>/redacted-copies/<int:copy_pk>/", redacted_copy, name="redacted_copy"),
    path(
        "<int:pk>/redacted-copies/<int:copy_pk>/pdf/",
        redacted_copy_pdf,
        name="redacted_copy_pdf",
    ),
    path(
        "<int:pk>/redacted-copies/<int:copy_pk>/findings/<int:finding_id>/respond/",
        finding_response,
        name="finding_response",
    ),
    path(
        "<int:pk>/redacted-copies/<int:copy_pk>/responses/",
        staff_responses,
        name="staff_responses",
    ),
]
