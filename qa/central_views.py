"""Pages of central QA: the queue, a case's round (take, allocate, rate, complete), and the
feedback the provider reads (accept, or amend and re-submit), with its letter as a PDF. Thin: the
forms validate, `qa.services` changes, `qa.selectors` reads."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from qa import selectors, services
from qa.forms import AllocationForm, AssessmentForm, QueueFilterForm
from qa.models import AssessmentStatus
from reviews import services as case_services
from reviews.selectors import case_for, review_case_for
from reviews.workflow import CaseState
from sfo.access import CENTRAL_QA_TEAM, QA_FEEDBACK_READERS, access
from sfo.audit.services import record_access, record_views
from sfo.people.models import PROVIDER_KINDS, Organisation
from sfo.people.roles import Role

S = CaseState
RATED_STATES = {
    S.DISCONTINUED,
    S.WITH_CENTRAL_TEAM,
    S.CENTRAL_QA,
    S.RETURNED_FOR_AMENDMENTS,
    S.QA_COMPLETE,
    S.CLOSED,
}


def _error_text(error) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


# --- The queue -------------------------------------------------------------------------------


@access(CENTRAL_QA_TEAM)
def queue(request):
    """Every case with the central team: expedited first, then the oldest; filters by provider,
    latest rating, kind of QA, state and QA reviewer."""
    from qa.models import RatingLevel, ScaleUse

    people = list(services.qa_reviewers())
    levels = list(
        RatingLevel.objects.filter(scale__use=ScaleUse.CENTRAL)
        .order_by("position")
        .values_list("label", flat=True)
        .distinct()
    )
    providers = Organisation.objects.filter(kind__in=PROVIDER_KINDS).order_by("name")
    form = QueueFilterForm(request.GET or None, providers=providers, levels=levels, people=people)
    filters = form.cleaned_data if form.is_valid() else {}
    cases = selectors.queue(
        request.user,
        provider=filters.get("provider"),
        state=filters.get("state", ""),
        mode=filters.get("mode", ""),
        rating=filters.get("rating", ""),
        qa_reviewer=filters.get("qa_reviewer", ""),
    )
    page = Paginator(cases, selectors.QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors.queue_rows(page.object_list, {person.pk: person for person in people})
    # Names and CRNs are offenders' details: each case listed is recorded, in one insert.
    record_views(request, [row.case for row in rows], action="list")
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "qa/queue.html",
        {"form": form, "page": page, "rows": rows, "query": query.urlencode()},
    )


# --- A case's round --------------------------------------------------------------------------


def _rated_case(request, pk):
    case = case_for(request, pk)
    if case.state not in RATED_STATES:
        raise Http404("This case has not been submitted to the central team.")
    return case


@access(CENTRAL_QA_TEAM)
def assessment(request, pk):
    """The round of central QA a case is at: who has it, its mode and why, what changed since the
    version rated before, and, for its QA reviewer, the assessment to save and complete."""
    case = _rated_case(request, pk)
    try:
        current = (
            services.round_for(case)
            if case.state in services.WITH_CENTRAL
            else services.current_round(case)
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("reviews:case_detail", pk=case.pk)
    may_rate = current is not None and services.refusal_to_rate(request.user, current) is None
    form = None
    if may_rate:
        form = AssessmentForm(request.POST or None, assessment=current)
        if request.method == "POST":
            done = _post_assessment(request, form, current)
            if done:
                return done
    elif request.method == "POST":
        reason = services.refusal_to_rate(request.user, current) if current else None
        record_access(request, case, action="qa:rate", allowed=False)
        raise PermissionDenied(reason or "There is nothing to rate.")
    manager = request.user.has_role(Role.CENTRAL_QA_MANAGER)
    open_round = current is not None and not current.is_completed
    previous = selectors.previously_rated(current) if current else None
    return render(
        request,
        "qa/assessment.html",
        {
            "case": case,
            "current": current,
            "rounds": selectors.rounds_of(case),
            "form": form,
            "may_take": case_services.may_make(request.user, case, "take_for_qa")
            and (current is None or current.qa_reviewer_id in (None, request.user.pk)),
            "may_allocate": open_round and case.state in services.WITH_CENTRAL and manager,
            # A round sent back into central QA with nobody to rate it: a QA reviewer claims it.
            "may_claim": open_round
            and case.state == S.CENTRAL_QA
            and current.qa_reviewer_id is None
            and not manager,
            "allocation_form": AllocationForm(
                people=services.qa_reviewers(),
                initial={"qa_reviewer": current.qa_reviewer_id if current else None},
            ),
            "previous": previous,
            "statuses": AssessmentStatus,
            "resubmission_due": current is not None
            and not current.is_completed
            and services.resubmission_due(current),
        },
    )


def _post_assessment(request, form, current):
    """Save the draft or complete it; None to show the page again with what was typed."""
    if not form.is_valid():
        return None
    completing = request.POST.get("action") == "complete"
    seen = request.POST.get("edit_version", "")
    expected = int(seen) if seen.isdigit() else 0
    call = services.complete_assessment if completing else services.save_assessment
    try:
        done = call(current, by=request.user, data=form.to_input(), expected_version=expected)
    except services.AssessmentInvalid as error:
        form.add_service_errors(error.error_dict if hasattr(error, "error_dict") else {})
        if not hasattr(error, "error_dict"):
            form.add_error(None, _error_text(error))
        return None
    except services.AssessmentChanged as error:
        form.add_error(None, str(error))
        form.conflict = error.assessment
        return None
    except (ValidationError, case_services.CaseChangedMeanwhile) as error:
        form.add_error(None, _error_text(error))
        return None
    if not completing:
        messages.success(request, "Your draft assessment is saved")
        return redirect("qa:assessment", pk=current.case_id)
    if done.resubmission_required:
        messages.success(request, "Feedback given: the review is returned for amendments")
    else:
        messages.success(request, "Feedback given: central QA is complete")
    return redirect("qa:queue")


@access(CENTRAL_QA_TEAM)
@require_POST
def take(request, pk):
    """A QA reviewer takes the case from the queue and starts rating it."""
    case = _rated_case(request, pk)
    try:
        services.take_for_qa(case, by=request.user)
    except (ValidationError, case_services.CaseChangedMeanwhile) as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, "You have taken this review for central QA")
    return redirect("qa:assessment", pk=case.pk)


@access(CENTRAL_QA_TEAM)
@require_POST
def allocate(request, pk):
    """The central QA manager allocates the round to a QA reviewer."""
    case = _rated_case(request, pk)
    form = AllocationForm(request.POST, people=services.qa_reviewers())
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("qa_reviewer", ["Choose someone"])))
        return redirect("qa:assessment", pk=case.pk)
    person = form.cleaned_data["qa_reviewer"]
    try:
        services.allocate(case, by=request.user, qa_reviewer=person)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, f"Allocated to {person.get_full_name() or person.username}")
    return redirect("qa:assessment", pk=case.pk)


# --- The provider's side ---------------------------------------------------------------------


def _feedback_case(request, pk):
    case = review_case_for(request, pk)
    if case.state not in RATED_STATES:
        raise Http404("This review has not been submitted to the central team.")
    return case


@access(QA_FEEDBACK_READERS)
def feedback(request, pk):
    """The central QA feedback of every round, latest first: ratings, the answers to the
    standards, the feedback against the sections and overall; and, for the provider's SFO review
    manager, the choice to accept it or to amend and re-submit."""
    case = _feedback_case(request, pk)
    rounds = selectors.given_feedback(case)
    latest = rounds[0] if rounds else None
    user = request.user
    may_accept = (
        latest is not None
        and not latest.resubmission_required
        and latest.feedback_accepted_at is None
        and case.state in {S.QA_COMPLETE, S.RETURNED_FOR_AMENDMENTS}
        and case_services.refusal(user, case, "accept_feedback") is None
    )
    may_amend = case_services.may_make(user, case, "choose_to_amend")
    return render(
        request,
        "qa/feedback.html",
        {
            "case": case,
            "rounds": rounds,
            "latest": latest,
            "may_accept": may_accept,
            "may_amend": may_amend,
            "may_resubmit": case_services.may_make(user, case, "resubmit"),
            "may_amend_review": case.state == S.RETURNED_FOR_AMENDMENTS
            and case.reviewer_id == user.pk,
        },
    )


@access(QA_FEEDBACK_READERS)
@require_POST
def accept(request, pk):
    case = _feedback_case(request, pk)
    try:
        services.accept_feedback(case, by=request.user)
    except (ValidationError, case_services.CaseChangedMeanwhile) as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, "You have accepted the central QA feedback")
    return redirect("qa:feedback", pk=case.pk)


@access(QA_FEEDBACK_READERS)
@require_POST
def amend(request, pk):
    case = _feedback_case(request, pk)
    try:
        services.choose_to_amend(case, by=request.user, comment=request.POST.get("comment", ""))
    except (ValidationError, case_services.CaseChangedMeanwhile) as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request,
            "The review is returned for amendments: its reviewer amends it and a senior manager "
            "re-submits it",
        )
    return redirect("qa:feedback", pk=case.pk)


@access(QA_FEEDBACK_READERS)
@require_POST
def feedback_letter(request, pk, round):
    """The feedback letter of one round as a PDF, made by a worker."""
    from qa.documents import request_feedback_letter

    case = _feedback_case(request, pk)
    chosen = next((r for r in selectors.given_feedback(case) if r.round == round), None)
    if chosen is None:
        raise Http404("No feedback has been given for that round")
    job = request_feedback_letter(chosen, by=request.user)
    return redirect(reverse("documents:job", args=[job.pk]))


urlpatterns = [
    path("queue/", queue, name="queue"),
    path("cases/<int:pk>/", assessment, name="assessment"),
    path("cases/<int:pk>/take/", take, name="take"),
    path("cases/<int:pk>/allocate/", allocate, name="allocate"),
    path("cases/<int:pk>/feedback/", feedback, name="feedback"),
    path("cases/<int:pk>/feedback/accept/", accept, name="accept_feedback"),
    path("cases/<int:pk>/feedback/amend/", amend, name="choose_to_amend"),
    path("cases/<int:pk>/feedback/<int:round>/letter/", feedback_letter, name="feedback_letter"),
]
