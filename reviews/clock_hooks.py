"""Which clocks start and stop as a case moves (DOMAIN.md, "The clocks"): the case's services
call these after each state change, in the same transaction."""

from django.utils import timezone

from sfo.clocks.models import Clock, ClockKind
from sfo.clocks.services import cancel_clock, meet_clock, start_clock


def _open(case, kind):
    return Clock.objects.filter(case=case, kind=kind, status__in=["running", "stopped"]).first()


def meet_open(case, kind, *, by) -> None:
    """Meet the case's open clock of this kind, if it has one."""
    _meet(case, kind, by=by)


def _meet(case, kind, *, by) -> None:
    clock = _open(case, kind)
    if clock is not None:
        meet_clock(clock, on=timezone.localdate(), by=by)


def case_identified(case, *, by) -> None:
    """The notification and early-look clocks run from the first court hearing."""
    start_clock(case, ClockKind.NOTIFICATION, on=case.first_hearing_date, by=by)
    start_clock(case, ClockKind.EARLY_LOOK, on=case.first_hearing_date, by=by)


def case_notified(case, *, by) -> None:
    """The notification is met; the review clock runs from the notification."""
    _meet(case, ClockKind.NOTIFICATION, by=by)
    start_clock(case, ClockKind.REVIEW, on=timezone.localdate(), by=by)


def case_submitted(case, *, by) -> None:
    """Each submission and re-submission meets the review clock and starts a new QA clock."""
    _meet(case, ClockKind.REVIEW, by=by)
    _meet(case, ClockKind.CENTRAL_QA, by=by)
    start_clock(case, ClockKind.CENTRAL_QA, on=timezone.localdate(), by=by)


def full_qa_required(case, *, by) -> None:
    """A case sent back into the queue for full QA has 20 working days for it, like a new
    submission."""
    _meet(case, ClockKind.CENTRAL_QA, by=by)
    start_clock(case, ClockKind.CENTRAL_QA, on=timezone.localdate(), by=by)


def qa_feedback_given(case, *, by) -> None:
    _meet(case, ClockKind.CENTRAL_QA, by=by)


def case_ended(case, *, by, reason: str) -> None:
    """A rejected, discontinued or closed case has no clock running."""
    for clock in Clock.objects.filter(case=case, status__in=["running", "stopped"]):
        cancel_clock(clock, reason=reason, by=by)


_AFTER = {
    "notify": case_notified,
    "countersign_and_submit": case_submitted,
    "resubmit": case_submitted,
    "return_for_amendments": qa_feedback_given,
    "complete_qa": qa_feedback_given,
    "require_full_qa": full_qa_required,
}
_ENDINGS = {
    "reject": "Notification rejected",
    "discontinue": "Review discontinued",
    "close": "Case closed",
}


def after_transition(case, name: str, *, by) -> None:
    if name in _AFTER:
        _AFTER[name](case, by=by)
    elif name in _ENDINGS:
        case_ended(case, by=by, reason=_ENDINGS[name])
