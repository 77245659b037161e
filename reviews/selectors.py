"""Reads of cases, always through the access scope."""

from django.http import Http404

from sfo.access import (
    CENTRAL_QA_TEAM,
    QA_FEEDBACK_READERS,
    may_see_victims_of,
    visible_cases,
)
from sfo.audit.services import record_access


def next_deadline():
    """The nearest due date of a case's running clocks, as an expression to annotate cases with.

    A correlated subquery rather than `Min` over a join: the join makes PostgreSQL group every
    visible case's full row before it can sort and take a page, which at national scale cost
    about three times as much (48 ms against 14 ms for 6,000 cases)."""
    from django.db.models import OuterRef, Subquery

    from sfo.clocks.models import Clock, ClockStatus

    return Subquery(
        Clock.objects.filter(case=OuterRef("pk"), status=ClockStatus.RUNNING)
        .order_by("due_on")
        .values("due_on")[:1]
    )


def case_list_for(user):
    """The cases a user may see, with what the list shows fetched in the same query."""
    return visible_cases(user).select_related("managing_provider", "reviewing_provider")


def case_for(request, pk: int, *, action: str = "view"):
    """One case the user may see, its viewing recorded (as `action`: a download says so, in the
    same one row); 404 (also recorded) if they may not."""
    case = (
        case_list_for(request.user)
        .select_related("reviewer", "managing_team")
        .filter(pk=pk)
        .first()
    )
    if case is None:
        record_access(request, object_type="reviews.case", object_id=str(pk), allowed=False)
        raise Http404("No case found")
    record_access(request, case, action=action)
    return case


REVIEW_READERS_ONLY = (
    "The review is read by the SFO staff of the case's providers, the central QA team, and an "
    "independent assessor for a case sampled for them, once a reviewer is allocated."
)


def review_case_for(request, pk: int, *, action: str = "view"):
    """One case whose review this person may read; refused (and recorded) otherwise."""
    from django.core.exceptions import PermissionDenied

    from reviews.authoring import may_read_review

    case = case_for(request, pk, action=action)
    if not may_read_review(request.user, case):
        record_access(request, case, action="read:review", allowed=False)
        raise PermissionDenied(REVIEW_READERS_ONLY)
    return case


def writable_review_case_for(request, pk: int, what: str = "write:review"):
    """One case whose review this person may change now; refused (and recorded) otherwise."""
    from django.core.exceptions import PermissionDenied

    from reviews.authoring import refusal_to_write

    case = review_case_for(request, pk)
    reason = refusal_to_write(request.user, case)
    if reason:
        record_access(request, case, action=what, allowed=False)
        raise PermissionDenied(reason)
    return case


def case_page_context(user, case) -> dict:
    """Everything the case page shows: facts, clocks with their status, timeline, and what this
    person may do next."""
    from django.utils import timezone

    from reviews.early_look import may_read as may_read_early_look
    from reviews.models import EarlyLook
    from reviews.services import available_transitions, may_record_court_outcome
    from sfo.clocks.calendar import WorkingCalendar
    from sfo.clocks.models import amber_threshold
    from sfo.clocks.selectors import clock_status, working_days_left

    today, calendar = timezone.localdate(), WorkingCalendar.current()
    threshold = amber_threshold(today)
    from django.db.models import Prefetch

    from reviews.services import may_request_extension
    from sfo.clocks.models import ExtensionRequest, ExtensionStatus
    from sfo.people.roles import Role

    pending = ExtensionRequest.objects.filter(status=ExtensionStatus.REQUESTED).select_related(
        "requested_by"
    )
    manager = user.has_role(Role.CENTRAL_QA_MANAGER)
    clocks = [
        {
            "clock": clock,
            "status": clock_status(clock, today, calendar=calendar, threshold=threshold),
            "days_left": working_days_left(clock, today, calendar=calendar),
            "pending": clock.pending[0] if clock.pending else None,
            "may_request": clock.is_open
            and not clock.pending
            and may_request_extension(user, case, clock),
            "may_stop": manager and clock.status == "running",
            "may_restart": manager and clock.status == "stopped",
            "may_decide": manager,
        }
        for clock in case.clocks.select_related("policy")
        .prefetch_related(Prefetch("extension_requests", queryset=pending, to_attr="pending"))
        .order_by("started_on", "pk")
    ]
    from reviews.authoring import may_read_review
    from reviews.redaction import may_read_copy, refusal_to_mark

    actions = next_steps(user, case, available_transitions(user, case))
    return {
        "case": case,
        "clocks": clocks,
        "timeline": timeline_for(user, case),
        "hide_comments": rates_blind(user),
        "offences": case.charged_offences.select_related("offence"),
        "officers": case.officer_periods.select_related("officer"),
        "actions": actions,
        "may_record_outcome": may_record_court_outcome(user, case),
        "may_see_victims": may_see_victims_of(user, case),
        "may_read_early_look": may_read_early_look(user, case),
        "case_early_look": EarlyLook.objects.filter(case=case).first(),
        "may_read_review": may_read_review(user, case),
        # Central QA's pages (the qa app): its feedback is read by the provider's SFO staff and
        # the central team, never by an independent assessor, who rates blind.
        "may_read_qa_feedback": case.state in SUBMITTED_STATES
        and QA_FEEDBACK_READERS.allows(user)
        and may_read_review(user, case),
        "may_rate_centrally": case.state in SUBMITTED_STATES and CENTRAL_QA_TEAM.allows(user),
        # The redacted copy for the staff involved, and marking what it withholds (ADR 0012).
        "may_read_redacted_copies": case.reviewer_id is not None and may_read_copy(user, case),
        "may_mark_redactions": refusal_to_mark(user, case) is None,
    }


# The steps of central QA, and what their comments may say about its outcome.
CENTRAL_QA_STEPS = frozenset(
    {
        "take_for_qa",
        "return_for_amendments",
        "complete_qa",
        "require_full_qa",
        "choose_to_amend",
        "accept_feedback",
        "resubmit",
    }
)


def rates_blind(user) -> bool:
    """An independent assessor rates a sampled review blind: the case's history must not tell
    them how central QA went (returned or not, what the provider said when re-submitting)."""
    from sfo.people.roles import Role

    return user.has_role(Role.INDEPENDENT_ASSESSOR)


def timeline_for(user, case):
    """The case's transitions, latest first; without the steps of central QA for an assessor,
    and (through `hide_comments`) without any comment, which may quote the feedback."""
    timeline = case.transitions.select_related("by", "by__organisation").order_by("-at", "-pk")
    if rates_blind(user):
        timeline = timeline.exclude(name__in=CENTRAL_QA_STEPS)
    return timeline


# The states of a case whose review has been submitted to the central team at least once.
SUBMITTED_STATES = frozenset(
    {
        "with_central_team",
        "central_qa",
        "returned_for_amendments",
        "qa_complete",
        "closed",
    }
)


# The transitions that have a page of their own: (URL name, button label). None hides a
# transition whose page another one already offers; the rest use the generic confirmation page.
TRANSITION_PAGES = {
    "notify": ("reviews:notification", "Complete the notification"),
    "register": ("reviews:registration", "Register or reject"),
    "reject": None,
    "allocate": ("reviews:allocation", "Allocate a reviewer"),
    "send_to_local_qa": ("reviews:send_for_local_qa", "Send for local QA"),
    "return_from_local_qa": ("reviews:local_qa", "Check the review (local QA)"),
    "pass_local_qa": None,
    "countersign_and_submit": ("reviews:countersign", "Countersign and submit"),
    "resubmit": ("reviews:countersign", "Countersign and re-submit"),
    # Central QA (the qa app): the round's page takes, rates and completes; the feedback page
    # accepts or chooses to amend.
    "take_for_qa": ("qa:assessment", "Take for central QA"),
    "return_for_amendments": ("qa:assessment", "Rate the review (central QA)"),
    "complete_qa": ("qa:assessment", "Rate the review (central QA)"),
    "choose_to_amend": ("qa:feedback", "Read the central QA feedback"),
    "accept_feedback": ("qa:feedback", "Read the central QA feedback"),
    "require_full_qa": None,
}


def next_steps(user, case, names: list[str]) -> list[dict]:
    """The buttons of the case page: each transition this person may make, with its page."""
    from django.urls import reverse

    from reviews.workflow import TRANSITIONS

    steps, pages = [], set()
    for name in names:
        if name in TRANSITION_PAGES and TRANSITION_PAGES[name] is None:
            continue
        page, label = TRANSITION_PAGES.get(name) or ("reviews:case_action", TRANSITIONS[name].label)
        args = [case.pk, name] if page == "reviews:case_action" else [case.pk]
        url = reverse(page, args=args)
        if url not in pages:  # two transitions made on one page: one button
            pages.add(url)
            steps.append({"name": name, "label": label, "url": url})
    return steps


# What needs each role's action next: (title, state, whose cases), most urgent first.
QUEUES = [
    (
        "Notifications to complete",
        "identified",
        "managing",
        {"sfo_reviewer", "sfo_review_manager", "senior_manager"},
    ),
    ("Notifications to register", "notified", "all", {"central_qa_reviewer", "central_qa_manager"}),
    ("Registered cases waiting for a reviewer", "registered", "reviewing", {"sfo_review_manager"}),
    ("Reviews you are writing", "review_in_progress", "mine", {"sfo_reviewer"}),
    ("Reviews waiting for local QA", "local_qa", "reviewing", {"sfo_review_manager"}),
    (
        "Reviews waiting for countersignature",
        "awaiting_countersignature",
        "reviewing",
        {"senior_manager"},
    ),
    (
        "Submissions waiting for central QA",
        "with_central_team",
        "all",
        {"central_qa_reviewer", "central_qa_manager"},
    ),
    ("Returned for amendments", "returned_for_amendments", "reviewing", {"sfo_review_manager"}),
    ("Extension requests to decide", None, "extensions", {"central_qa_manager"}),
]


def action_queues(user, limit: int = 10) -> list[dict]:
    """The cases waiting for this person, queue by queue, each sorted by its nearest deadline."""
    from django.db.models import F, Q

    roles = {role.value for role in user.roles}
    base = case_list_for(user).annotate(next_due=next_deadline())
    queues = []
    for title, state, whose, wanted in QUEUES:
        if not roles & wanted:
            continue
        cases = base.filter(state=state) if state else base
        if whose == "extensions":
            cases = cases.filter(clocks__extension_requests__status="requested").distinct()
        elif whose == "managing":
            cases = cases.filter(managing_provider_id=user.organisation_id)
        elif whose == "reviewing":
            cases = cases.filter(
                Q(reviewing_provider_id=user.organisation_id)
                | Q(reviewing_provider__isnull=True, managing_provider_id=user.organisation_id)
            )
        elif whose == "mine":
            cases = cases.filter(reviewer=user)
        cases = cases.order_by(F("next_due").asc(nulls_last=True), "created_at")
        rows = list(cases[: limit + 1])
        queues.append({"title": title, "cases": rows[:limit], "more": len(rows) > limit})
    return queues
