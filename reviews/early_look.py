"""The early look (DOMAIN.md, workflow step 2): written from identification on, by an SFO reviewer
or a manager outside the case's line management, and submitted to the central team. Submitting it
meets the early-look clock."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from reviews import clock_hooks
from reviews.independence import reviewer_refusal
from reviews.models import Case, CaseTransition, EarlyLook, EarlyLookStatus, ImmediateAction
from sfo.access import CENTRAL_QA_ROLES, visible_cases
from sfo.audit.services import record_access
from sfo.clocks.models import ClockKind
from sfo.people.roles import Role

WRITERS = (Role.SFO_REVIEWER, Role.SFO_REVIEW_MANAGER, Role.SENIOR_MANAGER)
FIELDS = [
    "case_summary",
    "significant_concerns",
    "practice_issues",
    "may_be_high_profile",
    "recommendation",
    "recommendation_reason",
]


def _ensure_may_write(by, case: Case, what: str) -> None:
    """Refuse and record, before any transaction opens, so that the refusal stays recorded."""
    reason = refusal_to_write(by, case)
    if reason:
        record_access(by, case, action=what, allowed=False)
        raise PermissionDenied(reason)


@dataclass(frozen=True)
class Action:
    action: str
    owner: str
    due_on: date | None = None


def refusal_to_write(by, case: Case) -> str | None:
    """Why `by` may not write this early look, or None."""
    if by is None or not by.has_role(*WRITERS):
        return "The early look is written by an SFO reviewer or a manager."
    if by.organisation_id not in (case.managing_provider_id, case.review_provider_id):
        return f"The early look is written by staff of {case.review_provider}."
    refusal = reviewer_refusal(by, case)
    if refusal:
        return refusal.replace("reviews it", "writes its early look")
    return None


def may_read(user, case: Case) -> bool:
    """Provider staff who see the case and the central QA team; the chief officer sees the early
    looks of high-profile cases."""
    if not visible_cases(user).filter(pk=case.pk).exists():
        return False
    if user.roles & CENTRAL_QA_ROLES or user.has_role(*WRITERS):
        return True
    return user.has_role(Role.CHIEF_OFFICER) and case.high_profile


def save_early_look(case: Case, *, by, fields: dict, actions: list[Action]) -> EarlyLook:
    """Keep the draft (and its immediate action plan) as written; nothing is sent."""
    _ensure_may_write(by, case, "write:early_look")
    with transaction.atomic():
        return _save(case, by=by, fields=fields, actions=actions)


def _save(case: Case, *, by, fields: dict, actions: list[Action]) -> EarlyLook:
    early_look, _ = EarlyLook.objects.select_for_update().get_or_create(case=case)
    if early_look.status == EarlyLookStatus.SUBMITTED:
        raise ValidationError("This early look has been submitted: it can no longer change.")
    for name in FIELDS:
        setattr(early_look, name, fields.get(name, getattr(early_look, name)))
    early_look.written_by = by
    early_look.save()
    early_look.actions.all().delete()
    ImmediateAction.objects.bulk_create(
        ImmediateAction(early_look=early_look, action=a.action, owner=a.owner, due_on=a.due_on)
        for a in actions
    )
    return early_look


def submit_early_look(case: Case, *, by) -> EarlyLook:
    """Draft → submitted to the central team; meets the early-look clock and shows in the case's
    history. Needs the summary, the concerns, a recommendation and at least one immediate action."""
    _ensure_may_write(by, case, "submit:early_look")
    with transaction.atomic():
        return _submit(case, by=by)


def _submit(case: Case, *, by) -> EarlyLook:
    early_look = EarlyLook.objects.select_for_update().filter(case=case).first()
    if early_look is None:
        raise ValidationError("Write the early look before submitting it.")
    if early_look.status == EarlyLookStatus.SUBMITTED:
        raise ValidationError("This early look has already been submitted.")
    missing = [
        label
        for name, label in (
            ("case_summary", "the summary of the case"),
            ("significant_concerns", "the significant concerns"),
            ("recommendation", "a recommendation"),
        )
        if not getattr(early_look, name)
    ]
    if not early_look.actions.exists():
        missing.append("at least one immediate action")
    if missing:
        raise ValidationError("Before you submit, add " + ", ".join(missing) + ".")
    early_look.status, early_look.submitted_at = EarlyLookStatus.SUBMITTED, timezone.now()
    early_look.save(update_fields=["status", "submitted_at", "updated_at"])
    CaseTransition.objects.create(
        case=case,
        name="submit_early_look",
        from_state=case.state,
        to_state=case.state,
        by=by,
        comment="Early look submitted to the central team",
    )
    clock_hooks.meet_open(case, ClockKind.EARLY_LOOK, by=by)
    return early_look
