"""Every change to a case: one service per state change, each checking who may make it, each
recording the transition. Views, forms, commands and tasks call these; nothing else sets a state."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from reviews import clock_hooks
from reviews.independence import countersigner_refusal, reviewer_refusal
from reviews.models import Case, CaseTransition, ChargedOffence, CourtOutcome, Qualification
from reviews.signals import entitling_facts_changed
from reviews.workflow import TRANSITIONS, Actor, CaseState
from sfo.audit.services import record_access
from sfo.clocks.models import ClockKind
from sfo.people.models import Organisation, OrganisationKind
from sfo.people.roles import Role


class CaseChangedMeanwhile(Exception):
    """Someone else moved the case while this person was looking at it."""

    def __init__(self, case: Case):
        super().__init__(
            f"Someone else changed {case} while you were working on it. "
            "Reload the case to see its current state, then try again."
        )


class TransitionRefused(ValidationError):
    """The case is not in a state from which this can be done."""


def refusal(by, case: Case, name: str) -> str | None:
    """Why `by` may not make transition `name` on `case` (ignoring its state), or None."""
    spec = TRANSITIONS[name]
    if spec.actor == Actor.SYSTEM:
        return None if by is None else f"{spec.label} happens automatically, not by hand."
    if by is None or not by.is_authenticated or not by.is_active:
        return "Only a signed-in member of staff can do this."
    if not by.roles & spec.roles:
        roles = ", ".join(sorted(role.label for role in spec.roles))
        return f"{spec.label}: only for {roles}."
    if spec.actor == Actor.MANAGING_PROVIDER and by.organisation_id != case.managing_provider_id:
        return f"{spec.label}: only for staff of {case.managing_provider}."
    if spec.actor == Actor.REVIEWING_PROVIDER and by.organisation_id != case.review_provider_id:
        return f"{spec.label}: only for staff of {case.review_provider}, which reviews this case."
    if spec.actor == Actor.ALLOCATED_REVIEWER and case.reviewer_id != by.pk:
        return f"{spec.label}: only for the reviewer allocated to this case."
    if spec.actor == Actor.CENTRAL_TEAM and (
        by.organisation is None or by.organisation.kind != OrganisationKind.CENTRAL_TEAM
    ):
        return f"{spec.label}: only for the central SFO review team."
    if name in {"countersign_and_submit", "resubmit"}:
        return countersigner_refusal(by, case)
    if name == "accept_feedback" and case.resubmission_required:
        return "The central QA feedback requires the review to be amended and re-submitted."
    return None


def may_make(by, case: Case, name: str) -> bool:
    return case.state in TRANSITIONS[name].sources and refusal(by, case, name) is None


def available_transitions(by, case: Case) -> list[str]:
    return [name for name in TRANSITIONS if may_make(by, case, name)]


def _ensure_may_make(by, case: Case, name: str) -> None:
    reason = refusal(by, case, name)
    if reason is not None:
        if by is not None:
            record_access(by, case, action=f"transition:{name}", allowed=False)
        raise PermissionDenied(reason)


def transition_case(case: Case, name: str, *, by, comment: str = "", **changes) -> Case:
    """Move a case by one declared transition, recording who, when, from, to and why.

    Two people moving the same case at once: the second is refused with CaseChangedMeanwhile,
    because the update only applies while the case is still in the state the transition saw."""
    _ensure_may_make(by, case, name)  # before the transaction: a refusal stays recorded
    with transaction.atomic():
        spec = TRANSITIONS[name]
        from_state = case.state
        if from_state not in spec.sources:
            raise TransitionRefused(
                f"This case is {CaseState(from_state).label.lower()}: "
                f"“{spec.label}” is not possible now."
            )
        try:
            getattr(case, name)()
        except TransitionNotAllowed as error:  # pragma: no cover - guarded above
            raise TransitionRefused(str(error)) from error
        for field, value in changes.items():
            setattr(case, field, value)
        try:
            case.save()
        except ConcurrentTransition as error:
            raise CaseChangedMeanwhile(case) from error
        CaseTransition.objects.create(
            case=case, name=name, from_state=from_state, to_state=case.state, by=by, comment=comment
        )
        clock_hooks.after_transition(case, name, by=by)
        return case


# --- Identification and notification -------------------------------------------------------


@dataclass(frozen=True)
class ChargedOffenceFacts:
    offence: object
    form: str = ""
    firearm_used: bool = False
    penetration: bool = False
    victim_under_13: bool = False


@transaction.atomic
def identify_case(*, by, crn: str, person_name: str, offence, first_hearing_date: date) -> Case:
    """Record a case at the first court hearing with the minimal facts. Provider staff of the
    managing provider; starts the notification and early-look clocks."""
    if by is None or not by.has_role(
        Role.SFO_REVIEWER, Role.SFO_REVIEW_MANAGER, Role.SENIOR_MANAGER
    ):
        raise PermissionDenied(
            "Only SFO reviewers, review managers and senior managers identify cases."
        )
    if by.organisation is None or not by.organisation.is_provider:
        raise PermissionDenied("Only a probation provider's staff identify cases.")
    case = Case.objects.create(
        crn=crn,
        person_name=person_name,
        first_hearing_date=first_hearing_date,
        managing_provider=by.organisation,
        identified_by=by,
    )
    ChargedOffence.objects.create(case=case, offence=offence)
    CaseTransition.objects.create(
        case=case,
        name="identify",
        from_state="",
        to_state=case.state,
        by=by,
        comment="Identified at the first court hearing",
    )
    clock_hooks.case_identified(case, by=by)
    return case


NOTIFICATION_FIELDS = [
    "person_name",
    "crn",
    "pnc_number",
    "date_of_birth",
    "gender",
    "ethnicity",
    "supervision_type",
    "supervision_start",
    "supervision_end",
    "managing_team",
    "rosh_at_offence",
    "highest_rosh",
    "mappa_category",
    "mappa_level",
    "iom",
    "offence_date",
    "charge_date",
    "first_hearing_date",
    "court",
    "police_force",
]


@transaction.atomic
def save_notification(
    case: Case, *, by, fields: dict, offences: list[ChargedOffenceFacts], officer=None
) -> Case:
    """Keep the notification's answers on the case, before it is sent (state unchanged)."""
    if case.state != CaseState.IDENTIFIED:
        raise TransitionRefused("The notification of this case has already been sent.")
    _ensure_may_make(by, case, "notify")
    for name in NOTIFICATION_FIELDS:
        if name in fields:
            setattr(case, name, fields[name])
    outcome = qualification_of(case, offences)
    case.qualification, case.qualification_reason = outcome
    case.save()
    case.charged_offences.all().delete()
    ChargedOffence.objects.bulk_create(
        ChargedOffence(
            case=case,
            offence=o.offence,
            form=o.form,
            firearm_used=o.firearm_used,
            penetration=o.penetration,
            victim_under_13=o.victim_under_13,
        )
        for o in offences
    )
    if officer is not None and not case.officer_periods.filter(officer=officer).exists():
        from reviews.models import ResponsibleOfficerPeriod

        ResponsibleOfficerPeriod.objects.create(
            case=case, officer=officer, started_on=case.supervision_start or timezone.localdate()
        )
    return case


def qualification_of(case: Case, offences: list[ChargedOffenceFacts]) -> tuple[str, str]:
    """The qualification of the charged offences, given the case's highest RoSH, and why."""
    from offences.qualification import qualify_many

    if not offences:
        return Qualification.NOT_QUALIFYING, "No offence from the catalogue was charged."
    result = qualify_many(
        [
            (
                o.offence,
                {
                    "firearm_used": o.firearm_used,
                    "penetration": o.penetration,
                    "victim_under_13": o.victim_under_13,
                    "inchoate": o.form or None,
                    "highest_rosh": case.highest_rosh or "not_known",
                },
            )
            for o in offences
        ]
    )
    return result.outcome, result.reason


def likely_duplicates(case: Case):
    """Other cases of the same person whose offence fell within 30 days of this one."""
    others = Case.objects.filter(crn=case.crn).exclude(pk=case.pk)
    if case.offence_date:
        from datetime import timedelta

        window = timedelta(days=30)
        others = others.filter(
            offence_date__gte=case.offence_date - window,
            offence_date__lte=case.offence_date + window,
        )
    return others.select_related("managing_provider")


def notify_case(case: Case, *, by) -> Case:
    """Identified → notified: the notification goes to the central team; the review clock starts."""
    missing = [
        Case._meta.get_field(name).verbose_name
        for name in (
            "date_of_birth",
            "supervision_type",
            "supervision_start",
            "highest_rosh",
            "rosh_at_offence",
            "offence_date",
            "charge_date",
            "first_hearing_date",
        )
        if not getattr(case, name)
    ]
    if missing or not case.charged_offences.exists():
        raise ValidationError(
            "Complete the notification before sending it: " + ", ".join(missing or ["an offence"])
        )
    return transition_case(case, "notify", by=by, notified_at=timezone.now())


# --- Registration and allocation -----------------------------------------------------------


def next_reference(year: int) -> str:
    """SFO-YYYY-NNNN, the next number of the year. Called inside the registering transaction,
    which locks the year's counter row so that two registrations never share a number."""
    from reviews.models import ReferenceCounter

    counter, _ = ReferenceCounter.objects.select_for_update().get_or_create(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"SFO-{year}-{counter.last:04d}"


@transaction.atomic
def register_case(
    case: Case,
    *,
    by,
    high_profile: bool = False,
    reviewing_provider: Organisation | None = None,
    qualification_override: str = "",
    override_justification: str = "",
    comment: str = "",
) -> Case:
    """Notified → registered, with its SFO-YYYY-NNNN reference. The central team registers; only
    the central QA manager decides high-profile status and directs another provider to review."""
    if (high_profile or reviewing_provider) and not (by and by.has_role(Role.CENTRAL_QA_MANAGER)):
        raise PermissionDenied(
            "Only the central QA manager decides that a case is high-profile or directs another "
            "provider to review it."
        )
    if qualification_override and not override_justification.strip():
        raise ValidationError("Give the reason for overriding the qualification.")
    if reviewing_provider is not None and reviewing_provider.pk == case.managing_provider_id:
        reviewing_provider = None
    _ensure_may_make(by, case, "register")
    case = transition_case(
        case,
        "register",
        by=by,
        comment=comment,
        reference=next_reference(timezone.localdate().year),
        registered_at=timezone.now(),
        high_profile=high_profile,
        reviewing_provider=reviewing_provider,
        qualification_override=qualification_override,
        override_justification=override_justification.strip(),
    )
    entitling_facts_changed.send(sender=Case, case=case, by=by)
    return case


def reject_case(case: Case, *, by, reason: str) -> Case:
    """Notified → rejected (an end): the central team gives its reason; the clocks stop."""
    if not reason.strip():
        raise ValidationError("Give the reason for rejecting the notification.")
    return transition_case(case, "reject", by=by, comment=reason, rejection_reason=reason.strip())


def allocate_reviewer(case: Case, *, by, reviewer, comment: str = "") -> Case:
    """Registered → review in progress: the reviewing provider's SFO review manager allocates one
    of its SFO reviewers."""
    _ensure_may_make(by, case, "allocate")
    if (
        reviewer is None
        or not reviewer.has_role(Role.SFO_REVIEWER)
        or reviewer.organisation_id != case.review_provider_id
    ):
        raise ValidationError(f"Choose an SFO reviewer of {case.review_provider}.")
    refused = reviewer_refusal(reviewer, case, who=reviewer.get_full_name() or str(reviewer))
    if refused:
        record_access(by, case, action="independence:allocate", allowed=False)
        raise ValidationError(refused)
    return transition_case(case, "allocate", by=by, comment=comment, reviewer=reviewer)


def discontinue_case(case: Case, *, by, comment: str) -> Case:
    """Any open state → discontinued: charges dropped, acquittal or no qualifying conviction,
    agreed by the central QA manager."""
    if case.court_outcome in (CourtOutcome.PENDING, CourtOutcome.CONVICTED_QUALIFYING):
        raise ValidationError(
            "A review is discontinued only after the charges were dropped, an acquittal, or a "
            "conviction for a non-qualifying offence: record the court outcome first."
        )
    return transition_case(case, "discontinue", by=by, comment=comment)


def may_request_extension(user, case, clock) -> bool:
    """Provider clocks: the SFO staff of the provider that owes the work. The central QA clock:
    the central QA team."""
    if clock.kind == ClockKind.CENTRAL_QA:
        return user.has_role(Role.CENTRAL_QA_REVIEWER, Role.CENTRAL_QA_MANAGER)
    return user.has_role(Role.SFO_REVIEWER, Role.SFO_REVIEW_MANAGER, Role.SENIOR_MANAGER) and (
        user.organisation_id in (case.managing_provider_id, case.review_provider_id)
    )


def may_record_court_outcome(by, case: Case) -> bool:
    return by is not None and (
        by.has_role(Role.CENTRAL_QA_REVIEWER, Role.CENTRAL_QA_MANAGER)
        or (
            by.has_role(Role.SFO_REVIEWER, Role.SFO_REVIEW_MANAGER, Role.SENIOR_MANAGER)
            and by.organisation_id in (case.managing_provider_id, case.review_provider_id)
        )
    )


@transaction.atomic
def record_court_outcome(case: Case, *, by, outcome: str, on: date | None) -> Case:
    """The court's outcome and its date: not a state change, but recorded in the history."""
    if not may_record_court_outcome(by, case):
        raise PermissionDenied("Only the case's provider or the central team records the outcome.")
    if outcome != CourtOutcome.PENDING and on is None:
        raise ValidationError("Give the date of the outcome.")
    if on is not None and on > timezone.localdate():
        raise ValidationError("The date of the outcome cannot be in the future.")
    Case.objects.filter(pk=case.pk).update(court_outcome=outcome, court_outcome_date=on)
    case.court_outcome, case.court_outcome_date = outcome, on
    entitling_facts_changed.send(sender=Case, case=case, by=by)
    return case
