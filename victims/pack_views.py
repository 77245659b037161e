"""The plain-language summary for the family and the disclosure packs of a request.

Thin: the form checks what was typed, `victims.services` saves and makes (and refuses), and
`victims.pack` drafts and checks the summary. Both pages are for VICTIM_RECORD_READERS and, beyond
that, for those who may see the victims of the case (`may_see_victims_of`): the provider's VLOs
and senior managers, and the central QA team, who read; only the provider's senior managers
(`services.may_sign_off`) write the summary and make a pack. The case is looked up through
`visible_cases` (a case they may not see is a 404), never through `reviews.selectors.case_for`,
which writes an audit row of its own: each request to these pages writes exactly one row of the
read audit, naming the case or the request by its primary key, never the person. Refusals are
written too. The pack's PDF is watched and downloaded on the document job's own pages
(`sfo.documents`), which audit themselves."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from sfo.access import VICTIM_RECORD_READERS, access, may_see_victims_of, visible_cases
from sfo.audit.services import record_access
from victims import services
from victims.models import DisclosureRequest, PlainSummary
from victims.pack import prefill, summary_check
from victims.pack_forms import LABELS, SummaryForm
from victims.readability import TARGET

SUMMARY = "victims.plainsummary"
PACKS = "victims.disclosurepack"
OWN_PROVIDER_ONLY = "Victims' records of this case are for its own provider's staff"


def _refuse(request, object_type: str, object_id: str, action: str, error: Exception) -> None:
    record_access(
        request, object_type=object_type, object_id=object_id, action=action, allowed=False
    )
    raise error


def _case(request, pk: int, *, action: str):
    """A case whose victims this person may see: 404 for one they may not see at all, 403 for
    one whose victims are not theirs. Refusals are recorded; the page records its own view."""
    case = visible_cases(request.user).select_related("managing_provider").filter(pk=pk).first()
    if case is None:
        _refuse(request, SUMMARY, f"case:{pk}", action, Http404("No case found"))
    if not may_see_victims_of(request.user, case):
        _refuse(request, SUMMARY, f"case:{pk}", action, PermissionDenied(OWN_PROVIDER_ONLY))
    return case


def _disclosure(request, request_pk: int, *, action: str) -> DisclosureRequest:
    """A request for disclosure on a case this person may see the victims of (404, 403 as
    `_case`)."""
    disclosure = (
        DisclosureRequest.objects.select_related("victim__case__managing_provider")
        .filter(pk=request_pk, victim__case__in=visible_cases(request.user))
        .first()
    )
    where = f"request:{request_pk}"
    if disclosure is None:
        _refuse(request, PACKS, where, action, Http404("No such request"))
    if not may_see_victims_of(request.user, disclosure.victim.case):
        _refuse(request, PACKS, where, action, PermissionDenied(OWN_PROVIDER_ONLY))
    return disclosure


def _text_of(summary: PlainSummary | None) -> dict:
    return {name: getattr(summary, name) for name in services.SUMMARY_FIELDS} if summary else {}


# --- The plain-language summary ----------------------------------------------------------------


@access(VICTIM_RECORD_READERS)
def summary(request, pk):
    """The senior manager's summary for the family, prefilled from the review until first saved,
    with its readability and the acronyms it leaves unexpanded beside it, recomputed on each save
    or on "Check readability" (which saves nothing). Someone else's save in between is shown
    beside what this person typed, which is kept. Read-only for VLOs and the central team."""
    writing = request.method == "POST"
    case = _case(request, pk, action="change" if writing else "view")
    may_edit = services.may_sign_off(request.user, case)
    if writing and not may_edit:
        _refuse(request, SUMMARY, f"case:{case.pk}", "change", PermissionDenied(services.SENIOR))
    saved = PlainSummary.objects.filter(case=case).select_related("updated_by").first()
    conflict, conflict_rows, prefilled = None, [], False
    if writing:
        form = SummaryForm(request.POST)
        valid = form.is_valid()  # only a hand-made edit_version can make it invalid
        text = form.text()
        if valid and "check" not in request.POST:
            try:
                services.save_summary(
                    case,
                    by=request.user,
                    edit_version=form.cleaned_data.get("edit_version") or 0,
                    **text,
                )
            except services.SummaryChanged:
                conflict = PlainSummary.objects.select_related("updated_by").get(case=case)
                conflict_rows = [
                    (LABELS[name], getattr(conflict, name), text[name])
                    for name in services.SUMMARY_FIELDS
                ]
                # Saving again replaces theirs, now that this person has seen it.
                form = SummaryForm({**text, "edit_version": conflict.edit_version})
                form.is_valid()
            except ValidationError as error:
                form.add_error(None, error)
            else:
                record_access(
                    request, object_type=SUMMARY, object_id=f"case:{case.pk}", action="change"
                )
                messages.success(request, "The summary has been saved")
                return redirect("victims:summary", pk=case.pk)
    elif saved is not None:
        text = _text_of(saved)
        form = SummaryForm(initial={**text, "edit_version": saved.edit_version})
    elif may_edit:
        text, prefilled = prefill(case), True
        form = SummaryForm(initial={**text, "edit_version": 0})
    else:
        text, form = {}, None
    record_access(
        request,
        object_type=SUMMARY,
        object_id=f"case:{case.pk}",
        action="change" if writing and "check" not in request.POST else "view",
    )
    return render(
        request,
        "victims/summary.html",
        {
            "case": case,
            "form": form,
            "saved": saved,
            "may_edit": may_edit,
            "prefilled": prefilled,
            "check": summary_check(text, case) if any(text.values()) else None,
            "target": TARGET,
            "conflict": conflict,
            "conflict_rows": conflict_rows,
            "read_only_parts": [(LABELS[name], text.get(name, "")) for name in LABELS],
        },
    )


# --- The packs of a request --------------------------------------------------------------------


def _packs_page(request, disclosure: DisclosureRequest, *, action: str, errors=()):
    case = disclosure.victim.case
    saved = PlainSummary.objects.filter(case=case).first()
    record_access(request, object_type=PACKS, object_id=f"request:{disclosure.pk}", action=action)
    return render(
        request,
        "victims/pack_list.html",
        {
            "case": case,
            "victim": disclosure.victim,
            "disclosure": disclosure,
            "readiness": services.pack_readiness(disclosure),
            "saved": saved,
            "check": summary_check(_text_of(saved), case) if saved else None,
            "target": TARGET,
            "may_make": services.may_sign_off(request.user, case),
            "packs": list(
                disclosure.packs.select_related("job", "created_by", "review_version").order_by(
                    "-number"
                )
            ),
            "releases": list(disclosure.releases.select_related("pack", "recorded_by")),
            "errors": list(errors),
        },
    )


@access(VICTIM_RECORD_READERS)
def packs(request, request_pk):
    """What stands between the senior manager and a pack, the summary's readability and
    unexpanded acronyms before making one, the versions made with their documents, and who
    received which version when."""
    disclosure = _disclosure(request, request_pk, action="list")
    return _packs_page(request, disclosure, action="list")


@access(VICTIM_RECORD_READERS)
@require_POST
def make_pack(request, request_pk):
    """The next version of the pack, made by a document job whose page follows it; refused reasons
    are shown on the packs page."""
    disclosure = _disclosure(request, request_pk, action="change")
    if not services.may_sign_off(request.user, disclosure.victim.case):
        _refuse(
            request,
            PACKS,
            f"request:{disclosure.pk}",
            "change",
            PermissionDenied(services.SENIOR),
        )
    try:
        pack = services.make_pack(disclosure, by=request.user)
    except ValidationError as error:
        disclosure.refresh_from_db()
        return _packs_page(request, disclosure, action="change", errors=error.messages)
    record_access(request, object_type=PACKS, object_id=f"request:{disclosure.pk}", action="change")
    messages.success(request, f"Version {pack.number} of the pack is being made")
    # The job's page follows its progress and offers the download, like every other document.
    return redirect("documents:job", job_pk=pack.job_id)
