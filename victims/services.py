"""Victims and families (DOMAIN.md, workflow step 6): each state change is one function here.

Who may do what (DOMAIN.md, "The people"): the victim liaison officers (VLOs) of the case's
managing provider record victims and family members, their contacts about the entitlement and
their requests, and assess their vulnerability; a senior manager of that provider signs the
assessment off, drafts the plain-language summary, makes the pack and leads the meeting; either
records the meeting and its feedback. The central QA team sees it all and changes none of it.

The entitlement: when an automatic SFO (its qualification as registered, after any override) has
a qualifying conviction recorded, each victim and family member gets an "inform of entitlement"
task with its own due date (`ClockKind.VICTIM_ENTITLEMENT`, policy data). A request for disclosure
flags the case for the central team (`Case.disclosure_requested_on`) and, where the QA was
targeted, asks `qa.services.require_full_qa` for a full one; the pack waits for QA to be complete.
No pack is released and no meeting held before the vulnerability assessment is signed off to
proceed: the services check it, and the database refuses it (`models.SIGNED_OFF_GATE`)."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from offences.qualification import Outcome as Qualification
from reviews.models import Case, CourtOutcome
from reviews.workflow import CaseState
from sfo.clocks.calendar import WorkingCalendar
from sfo.clocks.models import ClockKind, ClockPolicy
from sfo.people.roles import Role
from victims.models import (
    INFORMING_OUTCOMES,
    ContactAttempt,
    Decision,
    DisclosureMeeting,
    DisclosurePack,
    DisclosureRequest,
    EntitlementTask,
    PackRelease,
    PlainSummary,
    RequestState,
    RequestStep,
    TaskStatus,
    VCSChoice,
    Victim,
    VulnerabilityAssessment,
)

R = RequestState
QA_DONE = frozenset({CaseState.QA_COMPLETE, CaseState.CLOSED})
VICTIM_FIELDS = (
    "full_name",
    "relationship",
    "relationship_to_victim",
    "victim_died",
    "age_band",
    "address",
    "phone",
    "email",
    "preferred_contact",
    "support_needs",
    "vcs_officer",
)
ASSESSMENT_FIELDS = (
    "self_harm",
    "serious_harm",
    "in_relationship",
    "risk_to_staff",
    "risk_details",
    "safeguarding",
    "support",
    "decision",
    "reasons",
    "review_on",
)
FEEDBACK_FIELDS = ("what_helped", "what_did_not_help", "questions_raised", "follow_up_agreed")
SUMMARY_FIELDS = ("what_happened", "key_findings", "reasonable_steps", "what_has_changed")


# --- Who may do what -------------------------------------------------------------------------


def _of_provider(user, case: Case, *roles: Role) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.has_role(*roles)
        and user.organisation_id
        and user.organisation_id == case.managing_provider_id
    )


def may_record(user, case: Case) -> bool:
    """Victims' records, contacts, requests and assessments: the provider's VLOs and senior
    managers."""
    return _of_provider(user, case, Role.VICTIM_LIAISON_OFFICER, Role.SENIOR_MANAGER)


def may_sign_off(user, case: Case) -> bool:
    """Signing off the assessment, the summary and the pack: the provider's senior managers."""
    return _of_provider(user, case, Role.SENIOR_MANAGER)


def _ensure(allowed: bool, what: str) -> None:
    if not allowed:
        raise PermissionDenied(what)


RECORDERS = "Only the victim liaison officers and senior managers of the case's provider do this."
SENIOR = "Only a senior manager of the case's provider does this."


# --- Victims and family members --------------------------------------------------------------


def _check_vcs_officer(case: Case, officer) -> None:
    if officer is not None and not (
        officer.is_active
        and officer.has_role(Role.VICTIM_LIAISON_OFFICER)
        and officer.organisation_id == case.managing_provider_id
    ):
        raise ValidationError(
            {"vcs_officer": "Choose a victim liaison officer of the case's provider."}
        )


@transaction.atomic
def add_victim(case: Case, *, by, **details) -> Victim:
    """A victim or family member is recorded on a case. If the case already entitles them, their
    entitlement task opens at once."""
    _ensure(may_record(by, case), RECORDERS)
    unknown = set(details) - set(VICTIM_FIELDS)
    if unknown:
        raise TypeError(f"Unknown victim fields: {sorted(unknown)}")
    _check_vcs_officer(case, details.get("vcs_officer"))
    victim = Victim(case=case, created_by=by, **details)
    victim.full_clean()
    victim.save()
    # Read the case again under its lock: a conviction recorded at this moment either sees this
    # person (and opens their task) or is seen here.
    if is_entitled(Case.objects.select_for_update().get(pk=case.pk)):
        _open_task(victim, case)
    return victim


@transaction.atomic
def update_victim(victim: Victim, *, by, **details) -> Victim:
    """Corrects a victim's or family member's details (their history keeps the old values)."""
    _ensure(may_record(by, victim.case), RECORDERS)
    _check_vcs_officer(victim.case, details.get("vcs_officer"))
    for name, value in details.items():
        if name not in VICTIM_FIELDS:
            raise TypeError(f"Unknown victim field: {name}")
        setattr(victim, name, value)
    victim.full_clean()
    victim.save()
    return victim


@transaction.atomic
def record_vcs_choice(victim: Victim, *, by, choice: str, on: date) -> Victim:
    """The person opted into the victim contact scheme, or declined it."""
    _ensure(may_record(by, victim.case), RECORDERS)
    if choice not in (VCSChoice.OPTED_IN, VCSChoice.DECLINED):
        raise ValidationError({"choice": "Say whether they opted in or declined."})
    if on > timezone.localdate():
        raise ValidationError({"on": "The date cannot be in the future."})
    victim.vcs, victim.vcs_decided_on = choice, on
    victim.save(update_fields=["vcs", "vcs_decided_on", "updated_at"])
    return victim


# --- The entitlement -------------------------------------------------------------------------


def is_entitled(case: Case) -> bool:
    """Victims of an automatic SFO (as registered, after any override) with a qualifying
    conviction are entitled to ask for the review."""
    return bool(
        case.reference
        and case.effective_qualification == Qualification.AUTOMATIC
        and case.court_outcome == CourtOutcome.CONVICTED_QUALIFYING
        and case.court_outcome_date
    )


def _already_told_on(victim: Victim) -> date | None:
    """The day the person was first told of the entitlement, or showed they knew of it by asking
    for the review, before any task of theirs was open to close: a family may ask early."""
    told = (
        victim.contacts.filter(outcome__in=INFORMING_OUTCOMES)
        .order_by("made_on")
        .values_list("made_on", flat=True)
        .first()
    )
    asked = victim.requests.order_by("requested_on").values_list("requested_on", flat=True).first()
    known = [day for day in (told, asked) if day is not None]
    return min(known) if known else None


def _open_task(victim: Victim, case: Case) -> EntitlementTask | None:
    if EntitlementTask.objects.filter(victim=victim).exists():
        return None
    # The clock starts when the service knows both facts: the conviction recorded and the person
    # recorded. Take-up figures count from the conviction's own date (`victims.take_up`).
    start = timezone.localdate()
    policy = ClockPolicy.applying_to(ClockKind.VICTIM_ENTITLEMENT, start)
    if policy is None:
        raise ValidationError("No clock policy for telling victims of the entitlement is in force.")
    due = policy.due_from(start, WorkingCalendar.current())
    told_on = _already_told_on(victim)
    return EntitlementTask.objects.create(
        victim=victim,
        policy=policy,
        started_on=start,
        due_on=due,
        status=TaskStatus.DONE if told_on else TaskStatus.OPEN,
        informed_on=told_on,
    )


@transaction.atomic
def open_entitlement_tasks(case: Case) -> list[EntitlementTask]:
    """Made by the system when a case's court outcome or registration changes: every victim and
    family member of an entitled case gets their task (once); if the case no longer entitles them
    (the outcome was corrected), the tasks still open are cancelled."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not is_entitled(case):
        EntitlementTask.objects.filter(victim__case=case, status=TaskStatus.OPEN).update(
            status=TaskStatus.CANCELLED,
            cancelled_reason="The case no longer has a qualifying conviction for an automatic SFO.",
        )
        return []
    # A task cancelled by a corrected outcome reopens if the conviction is recorded again.
    EntitlementTask.objects.filter(victim__case=case, status=TaskStatus.CANCELLED).delete()
    return [task for v in case.victims.all() if (task := _open_task(v, case)) is not None]


@transaction.atomic
def record_contact(
    victim: Victim, *, by, made_on: date, method: str, outcome: str, notes: str = ""
) -> ContactAttempt:
    """An attempt to reach the person about the entitlement. An attempt that told them of it
    closes their entitlement task on that date."""
    _ensure(may_record(by, victim.case), RECORDERS)
    if made_on > timezone.localdate():
        raise ValidationError({"made_on": "The date of the contact cannot be in the future."})
    contact = ContactAttempt(
        victim=victim, made_on=made_on, method=method, outcome=outcome, notes=notes, by=by
    )
    contact.full_clean()
    contact.save()
    if outcome in INFORMING_OUTCOMES:
        _mark_informed(victim, made_on)
    return contact


def _mark_informed(victim: Victim, on: date) -> None:
    EntitlementTask.objects.filter(victim=victim, status=TaskStatus.OPEN).update(
        status=TaskStatus.DONE, informed_on=on
    )


# --- The request for disclosure --------------------------------------------------------------


def _step(request: DisclosureRequest, name: str, to: str, *, by, comment: str = "") -> None:
    RequestStep.objects.create(
        request=request, name=name, from_state=request.state, to_state=to, by=by, comment=comment
    )
    request.state = to


def _locked(request: DisclosureRequest, *sources: str, doing: str) -> DisclosureRequest:
    locked = (
        DisclosureRequest.objects.select_for_update()
        .select_related("victim__case")
        .get(pk=request.pk)
    )
    if locked.state not in sources:
        raise ValidationError(
            f"This request is {locked.get_state_display().lower()}: it cannot be {doing} now."
        )
    return locked


def record_request(victim: Victim, *, by, requested_on: date, how_made: str) -> DisclosureRequest:
    """A victim or family member asks to see the review. The case is flagged for the central
    team, which expedites it, and a targeted QA becomes full."""
    case = victim.case
    _ensure(may_record(by, case), RECORDERS)
    if case.effective_qualification != Qualification.AUTOMATIC:
        raise ValidationError(
            "Only victims of an automatic SFO, and their families, may ask for the review."
        )
    if requested_on > timezone.localdate():
        raise ValidationError({"requested_on": "The date of the request cannot be in the future."})
    with transaction.atomic():
        # The person's row is locked, so that two requests recorded at once queue: the second
        # meets the first and is refused with a message, not by the unique constraint.
        Victim.objects.select_for_update().filter(pk=victim.pk).first()
        if (
            DisclosureRequest.objects.filter(victim=victim)
            .exclude(state__in=[R.FEEDBACK_RECORDED, R.DECLINED])
            .exists()
        ):
            raise ValidationError("This person has a request open already.")
        request = DisclosureRequest(
            victim=victim, requested_on=requested_on, how_made=how_made, recorded_by=by
        )
        request.full_clean()
        request.save()
        RequestStep.objects.create(
            request=request, name="request", from_state="", to_state=R.REQUESTED, by=by
        )
        _mark_informed(victim, requested_on)  # asking shows they know of the entitlement
        flagged = Case.objects.filter(pk=case.pk, disclosure_requested_on__isnull=True).update(
            disclosure_requested_on=requested_on
        )
        if flagged:
            _expedite_qa(case.pk)
    return request


def _expedite_qa(case_pk: int) -> None:
    """Where the case's QA so far was targeted, a full QA is needed (DOMAIN.md, step 5)."""
    from qa.models import QAMode
    from qa.services import current_round, require_full_qa

    case = Case.objects.get(pk=case_pk)
    latest = current_round(case)
    if latest is not None and latest.mode == QAMode.TARGETED:
        # The round's reasons already name the request (from `disclosure_requested_on`): this one
        # says why the QA done so far is not enough.
        require_full_qa(case, "Its QA so far was targeted; disclosure to a victim needs full QA.")


@transaction.atomic
def decline_request(request: DisclosureRequest, *, by, reason: str) -> DisclosureRequest:
    """The person withdraws, or disclosure will not go ahead: the request ends. Not once the pack
    is released and the meeting held."""
    request = _locked(request, R.REQUESTED, R.ASSESSED, R.SIGNED_OFF, R.DEFERRED, doing="declined")
    _ensure(may_record(by, request.victim.case), RECORDERS)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the request ends."})
    _step(request, "decline", R.DECLINED, by=by, comment=reason)
    request.declined_reason = reason
    request.save(update_fields=["state", "declined_reason"])
    return request


# --- The vulnerability assessment ------------------------------------------------------------


def current_assessment(request: DisclosureRequest) -> VulnerabilityAssessment | None:
    return request.assessments.order_by("-pk").first()


class AssessmentIncomplete(ValidationError):
    pass


def _check_complete(assessment: VulnerabilityAssessment) -> None:
    errors = {}
    for name, message in [
        ("self_harm", "Say what the risk of self-harm is."),
        ("serious_harm", "Say what the risk of serious harm to or from the person is."),
        ("in_relationship", "Say whether they are still in a relationship with the perpetrator."),
        ("risk_to_staff", "Say what the risk to staff is."),
        ("decision", "Choose a decision."),
    ]:
        if not getattr(assessment, name):
            errors[name] = message
    if not assessment.reasons.strip():
        errors["reasons"] = "Give the reasons for the decision."
    if assessment.decision == Decision.PROCEED_WITH_ADJUSTMENTS and not assessment.support.strip():
        errors["support"] = "Say which support and adjustments are needed."
    if assessment.decision == Decision.DEFER:
        if assessment.review_on is None:
            errors["review_on"] = "Give the date on which to review the deferral."
        elif assessment.review_on <= timezone.localdate():
            errors["review_on"] = "The review date must be in the future."
    if errors:
        raise AssessmentIncomplete(errors)


@transaction.atomic
def save_assessment(
    request: DisclosureRequest, *, by, complete: bool = False, **answers
) -> VulnerabilityAssessment:
    """The VLO (or a senior manager) writes the assessment, saving drafts; completing it moves the
    request to "vulnerability assessed", ready for sign-off. A deferred request is assessed
    afresh in a new assessment."""
    request = _locked(request, R.REQUESTED, R.DEFERRED, doing="assessed")
    _ensure(may_record(by, request.victim.case), RECORDERS)
    assessment = current_assessment(request)
    if assessment is None or assessment.signed_off_at is not None:
        assessment = VulnerabilityAssessment(request=request, assessed_by=by)
    for name, value in answers.items():
        if name not in ASSESSMENT_FIELDS:
            raise TypeError(f"Unknown assessment field: {name}")
        setattr(assessment, name, value if value is not None else "")
    if assessment.review_on == "":
        assessment.review_on = None
    if assessment.decision != Decision.DEFER:
        assessment.review_on = None
    assessment.assessed_by = by
    if complete:
        _check_complete(assessment)
        assessment.assessed_at = timezone.now()
        _step(request, "assess", R.ASSESSED, by=by)
        request.save(update_fields=["state"])
    assessment.save()
    return assessment


@transaction.atomic
def sign_off_assessment(request: DisclosureRequest, *, by, note: str = "") -> DisclosureRequest:
    """A senior manager signs the assessment off: to proceed (signed off) or to defer (deferred
    until its review date, when it is assessed again)."""
    request = _locked(request, R.ASSESSED, doing="signed off")
    _ensure(may_sign_off(by, request.victim.case), SENIOR)
    assessment = current_assessment(request)
    _check_complete(assessment)
    if assessment.assessed_by_id == by.pk:
        raise ValidationError(
            "A second person signs the assessment off: ask another senior manager of the provider."
        )
    assessment.signed_off_by, assessment.signed_off_at = by, timezone.now()
    assessment.sign_off_note = (note or "").strip()
    assessment.save()
    if assessment.decision == Decision.DEFER:
        _step(request, "defer", R.DEFERRED, by=by, comment=assessment.reasons)
        request.review_on = assessment.review_on
    else:
        _step(request, "sign_off", R.SIGNED_OFF, by=by, comment=assessment.sign_off_note)
        request.review_on = None
    request.save(update_fields=["state", "review_on"])
    return request


@transaction.atomic
def return_assessment(request: DisclosureRequest, *, by, note: str) -> DisclosureRequest:
    """A senior manager sends the assessment back to be looked at again, saying why."""
    request = _locked(request, R.ASSESSED, doing="sent back")
    _ensure(may_sign_off(by, request.victim.case), SENIOR)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "Say what needs looking at again."})
    assessment = current_assessment(request)
    assessment.assessed_at = None
    assessment.sign_off_note = note
    assessment.save()
    back_to = R.DEFERRED if request.review_on else R.REQUESTED
    _step(request, "return_assessment", back_to, by=by, comment=note)
    request.save(update_fields=["state"])
    return request


# --- The plain-language summary and the pack --------------------------------------------------


class SummaryChanged(Exception):
    """Someone saved the summary after this person opened it."""


@transaction.atomic
def save_summary(case: Case, *, by, edit_version: int | None, **text) -> PlainSummary:
    """A senior manager drafts the plain-language summary for the family. `edit_version` is the
    version the form was opened at: a save over someone else's later one is refused."""
    _ensure(may_sign_off(by, case), SENIOR)
    # The case's row is locked first, so that two first saves queue rather than both inserting:
    # the second then meets the first's summary as a later version.
    Case.objects.select_for_update().filter(pk=case.pk).first()
    summary = PlainSummary.objects.select_for_update().filter(case=case).first()
    if summary is None:
        summary = PlainSummary(case=case, updated_by=by, edit_version=0)
    elif edit_version is not None and summary.edit_version != edit_version:
        raise SummaryChanged(
            "Someone else saved this summary while you were working on it. What you typed is "
            "below: check it against theirs, then save again."
        )
    for name, value in text.items():
        if name not in SUMMARY_FIELDS:
            raise TypeError(f"Unknown summary field: {name}")
        setattr(summary, name, (value or "").strip())
    summary.updated_by = by
    summary.edit_version += 1
    summary.save()
    return summary


def qa_complete_version(case: Case):
    """The version of the review whose central QA is complete, which the pack prints; None while
    QA is not complete."""
    if case.state not in QA_DONE:
        return None
    from qa.models import AssessmentStatus, QAAssessment

    latest = (
        QAAssessment.objects.filter(case=case, status=AssessmentStatus.COMPLETED)
        .select_related("version")
        .order_by("-round")
        .first()
    )
    return latest.version if latest else None


@dataclass(frozen=True)
class PackReadiness:
    """What stands between a senior manager and a pack: each reason in words, or none."""

    reasons: tuple[str, ...]

    @property
    def ready(self) -> bool:
        return not self.reasons


def pack_readiness(request: DisclosureRequest) -> PackReadiness:
    case = request.victim.case
    reasons = []
    if request.state in (R.DECLINED, R.FEEDBACK_RECORDED):
        reasons.append(f"The request is {request.get_state_display().lower()}.")
    if qa_complete_version(case) is None:
        reasons.append(
            "Central QA of the review is not complete: the pack prints the review as QA "
            "completed it."
        )
    summary = PlainSummary.objects.filter(case=case).first()
    if summary is None or not all(getattr(summary, name) for name in SUMMARY_FIELDS):
        reasons.append("Write every part of the plain-language summary first.")
    return PackReadiness(tuple(reasons))


def make_pack(request: DisclosureRequest, *, by) -> DisclosurePack:
    """A senior manager makes the next version of the pack, once QA is complete and the summary
    written: the summary's text, its readability and its unexpanded acronyms are kept with the
    version, and the PDF is made by a document job."""
    from victims import pack as pack_content

    case = request.victim.case
    _ensure(may_sign_off(by, case), SENIOR)
    with transaction.atomic():
        request = _locked(
            request,
            R.REQUESTED,
            R.ASSESSED,
            R.SIGNED_OFF,
            R.DEFERRED,
            R.DISCLOSED,
            doing="given a pack",
        )
        readiness = pack_readiness(request)
        if not readiness.ready:
            raise ValidationError(list(readiness.reasons))
        summary = PlainSummary.objects.get(case=case)
        text = {name: getattr(summary, name) for name in SUMMARY_FIELDS}
        check = pack_content.summary_check(text)
        number = (request.packs.order_by("-number").values_list("number", flat=True).first()) or 0
        pack = DisclosurePack.objects.create(
            request=request,
            number=number + 1,
            review_version=qa_complete_version(case),
            summary=text,
            reading_ease=check.readability.reading_ease or 0,
            unexpanded=[acronym for acronym, _ in check.unexpanded],
            created_by=by,
        )
        pack.job = pack_content.queue_pack(pack, by=by)
        pack.save(update_fields=["job"])
    return pack


def _ready_pack(request: DisclosureRequest, pack: DisclosurePack) -> None:
    from sfo.documents.models import JobStatus

    if pack.request_id != request.pk:
        raise ValidationError({"pack": "Choose a pack made for this request."})
    if pack.job is None or pack.job.status != JobStatus.DONE:
        raise ValidationError({"pack": "That version of the pack is not ready yet."})


def _ensure_signed_off(request: DisclosureRequest) -> None:
    """The gate: the request's latest assessment is signed off, to proceed."""
    assessment = current_assessment(request)
    if not (
        assessment is not None
        and assessment.signed_off_at is not None
        and assessment.decision in (Decision.PROCEED, Decision.PROCEED_WITH_ADJUSTMENTS)
    ):
        raise ValidationError(
            "The vulnerability assessment is not signed off: no pack is released and no meeting "
            "held before it is."
        )


def record_meeting(
    request: DisclosureRequest,
    *,
    by,
    held_on: date,
    place: str,
    senior_manager,
    liaison_officer,
    outcome: str,
    pack: DisclosurePack,
    received_by: str,
    adjustments: str = "",
) -> DisclosureMeeting:
    """The meeting was held and the pack handed over: signed off → pack released and meeting
    held. Refused before the assessment is signed off, and without a pack ready (one is made only
    once central QA is complete)."""
    case = request.victim.case
    _ensure(may_record(by, case), RECORDERS)
    with transaction.atomic():
        # Any open state is locked, so that one before sign-off meets the gate's own message.
        request = _locked(
            request, R.SIGNED_OFF, R.REQUESTED, R.ASSESSED, R.DEFERRED, doing="given its meeting"
        )
        _ensure_signed_off(request)
        _ready_pack(request, pack)
        errors = {}
        if held_on > timezone.localdate():
            errors["held_on"] = "Record the meeting once it has been held."
        if not _of_provider(senior_manager, case, Role.SENIOR_MANAGER):
            errors["senior_manager"] = "Choose a senior manager of the case's provider."
        if not _of_provider(liaison_officer, case, Role.VICTIM_LIAISON_OFFICER):
            errors["liaison_officer"] = "Choose a victim liaison officer of the case's provider."
        if not (received_by or "").strip():
            errors["received_by"] = "Say who received the pack."
        if errors:
            raise ValidationError(errors)
        meeting = DisclosureMeeting(
            request=request,
            held_on=held_on,
            place=place,
            senior_manager=senior_manager,
            liaison_officer=liaison_officer,
            adjustments=adjustments,
            outcome=outcome,
            recorded_by=by,
        )
        meeting.full_clean(exclude=["request"])
        meeting.save()
        PackRelease.objects.create(
            pack=pack,
            request=request,
            received_by=received_by.strip(),
            received_on=held_on,
            how=PackRelease.How.AT_MEETING,
            recorded_by=by,
        )
        _step(request, "hold_meeting", R.DISCLOSED, by=by)
        request.save(update_fields=["state"])
    return meeting


@transaction.atomic
def record_release(
    request: DisclosureRequest,
    *,
    by,
    pack: DisclosurePack,
    received_by: str,
    received_on: date,
    how: str,
) -> PackRelease:
    """A later version of the pack sent after the meeting (a correction, say): who received which
    version, when and how."""
    request = _locked(request, R.DISCLOSED, R.FEEDBACK_RECORDED, doing="sent a pack")
    _ensure(may_record(by, request.victim.case), RECORDERS)
    _ensure_signed_off(request)
    _ready_pack(request, pack)
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": "The date cannot be in the future."})
    release = PackRelease(
        pack=pack,
        request=request,
        received_by=(received_by or "").strip(),
        received_on=received_on,
        how=how,
        recorded_by=by,
    )
    release.full_clean()
    release.save()
    return release


@transaction.atomic
def record_feedback(request: DisclosureRequest, *, by, **answers) -> DisclosureMeeting:
    """The feedback form after the meeting: what helped, what did not, questions raised and the
    follow-up agreed. Pack released and meeting held → feedback recorded."""
    request = _locked(request, R.DISCLOSED, doing="given feedback")
    _ensure(may_record(by, request.victim.case), RECORDERS)
    meeting = request.meeting
    for name, value in answers.items():
        if name not in FEEDBACK_FIELDS:
            raise TypeError(f"Unknown feedback field: {name}")
        setattr(meeting, name, (value or "").strip())
    if not any(getattr(meeting, name) for name in FEEDBACK_FIELDS):
        raise ValidationError("Write at least one answer of the feedback form.")
    meeting.feedback_by, meeting.feedback_at = by, timezone.now()
    meeting.save()
    _step(request, "record_feedback", R.FEEDBACK_RECORDED, by=by)
    request.save(update_fields=["state"])
    return meeting


def on_entitling_facts_changed(sender, *, case: Case, **kwargs) -> None:
    """The receiver of `reviews.signals.entitling_facts_changed`."""
    open_entitlement_tasks(case)
