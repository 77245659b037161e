"""Central quality assurance (DOMAIN.md, workflow step 5): each state change is one function here.

Every submission and re-submission to the central team opens a round: a `QAAssessment` of the
version just frozen, waiting in the queue, its mode already known (full where the rules require
it). The central QA manager allocates it to a QA reviewer, or a QA reviewer takes it; the QA
reviewer answers the standards of its mode, rates the review and the action plan, writes feedback
(overall and against sections), saves drafts, and completes it. Completing returns the review for
amendments when re-submission is required (always after a full QA that the rules required, or when
the QA reviewer marks it incomplete), and otherwise completes QA, after which the provider's SFO
review manager chooses to accept the feedback or to amend and re-submit.

Who may do what is checked here, before any transaction, and every refusal is recorded."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from qa.models import (
    AssessmentStatus,
    QAAnswer,
    QAAssessment,
    QAMode,
    QASectionFeedback,
    RatingScale,
    ScaleUse,
)
from reviews import services as case_services
from reviews.models import (
    STRUCTURED_SECTIONS,
    Answer,
    Case,
    ReviewVersion,
    SectionKey,
    SectionStatus,
    VersionPurpose,
)
from reviews.standards import current_standards
from reviews.workflow import END_STATES, CaseState
from sfo.audit.services import record_access
from sfo.people.models import OrganisationKind, User
from sfo.people.roles import Role

S = CaseState
WITH_CENTRAL = frozenset({S.WITH_CENTRAL_TEAM, S.CENTRAL_QA})


class AssessmentChanged(Exception):
    """Someone saved the assessment after this person opened it."""

    def __init__(self, assessment: QAAssessment):
        super().__init__(
            "Someone else saved this assessment while you were working on it. What you typed is "
            "below: check it against theirs, then save again."
        )
        self.assessment = assessment


# --- Scales and modes ------------------------------------------------------------------------


def find_scale(use: str, on=None) -> RatingScale | None:
    """The latest scale of a use in force on a day (today by default), its levels fetched."""
    on = on or timezone.localdate()
    return (
        RatingScale.objects.filter(use=use, in_force_from__lte=on)
        .order_by("-in_force_from", "-pk")
        .prefetch_related("levels")
        .first()
    )


def scale_in_force(use: str, on=None) -> RatingScale:
    """As `find_scale`, refusing when no scale of the use is in force."""
    scale = find_scale(use, on)
    if scale is None:
        raise ValidationError(f"No {ScaleUse(use).label} rating scale is in force.")
    return scale


def central_scale(on=None) -> RatingScale:
    return scale_in_force(ScaleUse.CENTRAL, on)


def independent_scale(on=None) -> RatingScale:
    return scale_in_force(ScaleUse.INDEPENDENT, on)


def incomplete_sections_of(version: ReviewVersion) -> list[str]:
    """The sections the submitted version had not marked completed."""
    sections = version.snapshot.get("sections", {})
    return [
        SectionKey(key).label
        for key in SectionKey.values
        if sections.get(key, {}).get("status") != SectionStatus.COMPLETED
    ]


def full_qa_reasons(case: Case, version: ReviewVersion | None) -> list[str]:
    """Why the rules require full QA of this submission: high-profile, a victim's request for
    disclosure, a reason given through `require_full_qa`, or an incomplete submission."""
    reasons = []
    if case.high_profile:
        reasons.append("The case is high-profile.")
    if case.disclosure_requested_on:
        reasons.append(
            f"A victim or family member asked for disclosure on "
            f"{case.disclosure_requested_on:%-d %B %Y}."
        )
    if case.full_qa_reason:
        reasons.append(case.full_qa_reason)
    if version is not None:
        missing = incomplete_sections_of(version)
        if missing:
            reasons.append("Submitted with sections not completed: " + ", ".join(missing) + ".")
    return reasons


def questions_of(assessment: QAAssessment) -> list:
    """The standards a round asks: all of them in full QA, the targeted ones otherwise."""
    questions = list(assessment.standards.questions.all())
    if assessment.mode == QAMode.FULL:
        return questions
    return [q for q in questions if q.targeted]


def feedback_sections_of(assessment: QAAssessment) -> list[str]:
    """The sections feedback may be given against: every section in full QA; the chronology, key
    findings and action plan in targeted QA."""
    if assessment.mode == QAMode.FULL:
        return list(SectionKey.values)
    return [key for key in SectionKey.values if key in STRUCTURED_SECTIONS]


# --- Rounds ----------------------------------------------------------------------------------


def current_round(case: Case) -> QAAssessment | None:
    """The latest round of central QA of a case, if any."""
    return (
        QAAssessment.objects.filter(case=case)
        .select_related("qa_reviewer", "version", "standards", "scale")
        .order_by("-round")
        .first()
    )


def open_round(case: Case, version: ReviewVersion, *, by=None) -> QAAssessment:
    """A new round of central QA of a version just submitted: waiting in the queue, its mode full
    where the rules require it, allocated to whoever rated the previous round (so that they see
    what changed since), on the standards and the central scale in force."""
    if version.purpose != VersionPurpose.CENTRAL:
        raise ValidationError("Only a version submitted to the central team is rated.")
    standards = current_standards()
    if standards is None:
        raise ValidationError("No QA standards are published: ask an administrator.")
    previous = current_round(case)
    reasons = full_qa_reasons(case, version)
    last_reviewer = previous.qa_reviewer if previous else None
    keep_reviewer = last_reviewer is not None and last_reviewer.is_active
    return QAAssessment.objects.create(
        case=case,
        round=(previous.round if previous else 0) + 1,
        version=version,
        mode=QAMode.FULL if reasons else QAMode.TARGETED,
        full_qa_reasons=reasons,
        standards=standards,
        scale=central_scale(),
        qa_reviewer=last_reviewer if keep_reviewer else None,
        allocated_by=by if keep_reviewer else None,
        allocated_at=timezone.now() if keep_reviewer else None,
    )


def on_review_submitted(sender, *, case, version, by, **kwargs) -> None:
    """Connected to `reviews.signals.review_submitted`: each submission opens a round."""
    open_round(case, version, by=by)


def round_for(case: Case) -> QAAssessment:
    """The round a case in the central team's hands is at. A submission made by a path that
    opened no round (data from before rounds existed) has one opened now on its version."""
    assessment = current_round(case)
    version = (
        ReviewVersion.objects.filter(review__case=case, purpose=VersionPurpose.CENTRAL)
        .order_by("-number")
        .first()
    )
    if assessment is not None and (
        not assessment.is_completed or version is None or assessment.version_id == version.pk
    ):
        return assessment
    if version is None:
        raise ValidationError("This case has no review submitted to the central team.")
    return open_round(case, version)


# --- Who may ---------------------------------------------------------------------------------


def _central(user) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.has_role(Role.CENTRAL_QA_REVIEWER, Role.CENTRAL_QA_MANAGER)
        and user.organisation is not None
        and user.organisation.kind == OrganisationKind.CENTRAL_TEAM
    )


def _refuse(by, case: Case, action: str, reason: str) -> None:
    if by is not None and getattr(by, "is_authenticated", False):
        record_access(by, case, action=action, allowed=False)
    raise PermissionDenied(reason)


def refusal_to_rate(user, assessment: QAAssessment) -> str | None:
    """Why `user` may not write this assessment now, or None: its allocated QA reviewer, while the
    case is in central QA and the assessment is not completed."""
    if not _central(user):
        return "Only the central QA team rates reviews."
    if assessment.case.state != S.CENTRAL_QA:
        return (
            f"This case is {assessment.case.get_state_display().lower()}: it is rated only while "
            "it is in central QA."
        )
    if assessment.is_completed:
        return "This assessment is completed: its feedback has been given."
    if assessment.qa_reviewer_id != user.pk:
        who = assessment.qa_reviewer.get_full_name() if assessment.qa_reviewer else "nobody"
        return f"This review is allocated to {who}: only they rate it."
    return None


def qa_reviewers():
    """The active central QA reviewers and managers, who may be allocated a review."""
    return (
        User.objects.filter(
            is_active=True,
            organisation__kind=OrganisationKind.CENTRAL_TEAM,
            groups__name__in=[Role.CENTRAL_QA_REVIEWER.value, Role.CENTRAL_QA_MANAGER.value],
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


# --- The state changes -----------------------------------------------------------------------


def allocate(case: Case, *, by, qa_reviewer) -> QAAssessment:
    """Allocate (or re-allocate) the current round to a QA reviewer: the central QA manager to
    anyone in the team, a QA reviewer to themselves. Not a state change of the case; the new
    owner is told, and the central QA clock's alerts follow them."""
    if not _central(by):
        _refuse(by, case, "qa:allocate", "Only the central QA team allocates reviews.")
    if not by.has_role(Role.CENTRAL_QA_MANAGER) and qa_reviewer != by:
        _refuse(by, case, "qa:allocate", "Only the central QA manager allocates to someone else.")
    if qa_reviewer is None or not _central(qa_reviewer):
        raise ValidationError("Choose a member of the central QA team.")
    seen = current_round(case)
    held = _held_by_another(by, seen) if seen is not None else None
    if held and not by.has_role(Role.CENTRAL_QA_MANAGER):
        _refuse(by, case, "qa:allocate", held)
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if locked.state not in WITH_CENTRAL:
            raise ValidationError(
                f"This case is {locked.get_state_display().lower()}: only a review with the "
                "central team is allocated."
            )
        assessment = round_for(locked)
        assessment = QAAssessment.objects.select_for_update().get(pk=assessment.pk)
        if assessment.is_completed:
            raise ValidationError("This round's feedback has been given.")
        held = _held_by_another(by, assessment)
        if held and not by.has_role(Role.CENTRAL_QA_MANAGER):
            raise PermissionDenied(held)  # allocated meanwhile: checked again under the lock
        if assessment.qa_reviewer_id == qa_reviewer.pk:
            return assessment
        assessment.qa_reviewer = qa_reviewer
        assessment.allocated_by, assessment.allocated_at = by, timezone.now()
        assessment.edit_version += 1
        assessment.save()
        if qa_reviewer != by:
            from sfo.alerts.services import send_alert

            send_alert(
                recipients=[qa_reviewer],
                case=locked,
                kind="allocated",
                message=f"{locked} ({locked.person_name}) is allocated to you for central QA "
                f"by {by.get_full_name() or by.username}.",
            )
    return assessment


def _held_by_another(by, assessment: QAAssessment) -> str | None:
    """Why `by` may not start or claim a round someone else holds, or None."""
    if assessment.is_completed or assessment.qa_reviewer_id in (None, by.pk):
        return None
    who = assessment.qa_reviewer.get_full_name() or assessment.qa_reviewer.username
    return f"This review is allocated to {who}. Ask the central QA manager to re-allocate it."


def take_for_qa(case: Case, *, by) -> QAAssessment:
    """With the central team → central QA: a QA reviewer starts the round allocated to them (or
    to nobody, which allocates it to them). Its mode is confirmed now: full where the rules
    require it."""
    case_services._ensure_may_make(by, case, "take_for_qa")
    assessment = current_round(case)
    held = _held_by_another(by, assessment) if assessment is not None else None
    if held:
        _refuse(by, case, "transition:take_for_qa", held)
    with transaction.atomic():
        case_services.transition_case(case, "take_for_qa", by=by)
        assessment = QAAssessment.objects.select_for_update().get(pk=round_for(case).pk)
        held = _held_by_another(by, assessment)
        if held:
            raise PermissionDenied(held)  # allocated meanwhile: the take is rolled back
        reasons = full_qa_reasons(case, assessment.version)
        if reasons:
            assessment.mode, assessment.full_qa_reasons = QAMode.FULL, reasons
        if assessment.qa_reviewer_id is None:
            assessment.qa_reviewer, assessment.allocated_by = by, by
            assessment.allocated_at = timezone.now()
        assessment.status, assessment.started_at = AssessmentStatus.DRAFT, timezone.now()
        assessment.edit_version += 1
        assessment.save()
    return assessment


@dataclass
class AssessmentInput:
    """What the QA reviewer wrote: `answers` maps a standard's id to (answer, comment);
    `sections` maps a section key to its feedback; ratings are RatingLevel ids or None."""

    mode: str = QAMode.TARGETED
    answers: dict = field(default_factory=dict)
    sections: dict = field(default_factory=dict)
    review_rating: int | None = None
    action_plan_rating: int | None = None
    feedback: str = ""
    marked_incomplete: bool = False


class AssessmentInvalid(ValidationError):
    """Several problems with an assessment, each against the field it concerns."""


def _clean(assessment: QAAssessment, data: AssessmentInput, *, completing: bool) -> dict:
    errors: dict[str, list[str]] = {}
    required = assessment.full_qa_reasons or full_qa_reasons(assessment.case, assessment.version)
    mode = data.mode if data.mode in QAMode.values else assessment.mode
    if data.marked_incomplete or required:
        mode = QAMode.FULL
    probe = QAAssessment(mode=mode, standards=assessment.standards)
    # A draft keeps everything typed, whatever the mode, so that nothing is lost if the round
    # becomes full later; the feedback given keeps only what its mode covers.
    kept = probe if completing else QAAssessment(mode=QAMode.FULL, standards=assessment.standards)
    asked = {q.pk: q for q in questions_of(kept)}
    answers = {}
    for key, (answer, comment) in data.answers.items():
        standard_id = int(key)
        if standard_id not in asked:
            continue  # a question of the other mode, left on the form: not part of this round
        comment = (comment or "").strip()
        if not answer:
            if comment:
                errors.setdefault(f"answer-{standard_id}", []).append(
                    "Answer yes, partly or no where you comment on a standard."
                )
            continue
        if answer not in Answer.values:
            errors.setdefault(f"answer-{standard_id}", []).append("Answer yes, partly or no.")
            continue
        answers[standard_id] = (answer, comment)
    sections = {}
    allowed_sections = set(feedback_sections_of(kept))
    for key, comment in data.sections.items():
        if key in allowed_sections and (comment or "").strip():
            sections[key] = comment.strip()
    levels = {level.pk: level for level in assessment.scale.levels.all()}
    ratings = {}
    for name in ("review_rating", "action_plan_rating"):
        value = getattr(data, name)
        if value in (None, ""):
            ratings[name] = None
        elif int(value) in levels:
            ratings[name] = levels[int(value)]
        else:
            errors.setdefault(name, []).append(f"Choose a rating of {assessment.scale}.")
    if completing:
        for standard_id, question in asked.items():
            if standard_id not in answers and f"answer-{standard_id}" not in errors:
                errors.setdefault(f"answer-{standard_id}", []).append(
                    f"Answer “{question.question}”"
                )
        if ratings.get("review_rating") is None and "review_rating" not in errors:
            errors.setdefault("review_rating", []).append("Rate the review.")
        if ratings.get("action_plan_rating") is None and "action_plan_rating" not in errors:
            errors.setdefault("action_plan_rating", []).append("Rate the action plan.")
        if not data.feedback.strip():
            errors.setdefault("feedback", []).append("Write the feedback to the provider.")
    if errors:
        raise AssessmentInvalid(errors)
    return {
        "mode": mode,
        "answers": answers,
        "sections": sections,
        **ratings,
        "feedback": data.feedback.strip(),
        "marked_incomplete": data.marked_incomplete,
    }


def _write(assessment: QAAssessment, cleaned: dict, expected_version: int | None) -> QAAssessment:
    locked = QAAssessment.objects.select_for_update().get(pk=assessment.pk)
    if expected_version is not None and locked.edit_version != expected_version:
        raise AssessmentChanged(locked)
    locked.mode = cleaned["mode"]
    locked.review_rating = cleaned["review_rating"]
    locked.action_plan_rating = cleaned["action_plan_rating"]
    locked.feedback = cleaned["feedback"]
    locked.marked_incomplete = cleaned["marked_incomplete"]
    locked.edit_version += 1
    locked.save()
    locked.answers.all().delete()
    QAAnswer.objects.bulk_create(
        QAAnswer(assessment=locked, standard_id=pk, answer=answer, comment=comment)
        for pk, (answer, comment) in cleaned["answers"].items()
    )
    locked.section_feedback.all().delete()
    QASectionFeedback.objects.bulk_create(
        QASectionFeedback(assessment=locked, section=key, comment=comment)
        for key, comment in sorted(
            cleaned["sections"].items(), key=lambda item: SectionKey.values.index(item[0])
        )
    )
    return locked


def _ensure_may_rate(by, assessment: QAAssessment, action: str) -> None:
    reason = refusal_to_rate(by, assessment)
    if reason:
        _refuse(by, assessment.case, action, reason)


def save_assessment(
    assessment: QAAssessment, *, by, data: AssessmentInput, expected_version: int | None
) -> QAAssessment:
    """Keep a draft of the assessment: nothing is required yet, and the case does not move."""
    _ensure_may_rate(by, assessment, "qa:save_assessment")
    cleaned = _clean(assessment, data, completing=False)
    with transaction.atomic():
        return _write(assessment, cleaned, expected_version)


def resubmission_due(assessment: QAAssessment, *, marked_incomplete: bool = False) -> bool:
    """Whether this round's feedback requires the review to be amended and re-submitted.

    Always when the review is incomplete: submitted with a section not completed, or marked
    incomplete by the QA reviewer. For a review whose full QA the rules require for another reason
    (high-profile, victim disclosure, `require_full_qa`), the first full round's feedback requires
    re-submission; a later round, on the amended version, completes QA unless the QA reviewer
    marks it incomplete again, so that the loop ends once the amendments answer the feedback."""
    if marked_incomplete or incomplete_sections_of(assessment.version):
        return True
    if not full_qa_reasons(assessment.case, assessment.version):
        return False
    answered = QAAssessment.objects.filter(
        case_id=assessment.case_id,
        round__lt=assessment.round,
        status=AssessmentStatus.COMPLETED,
        resubmission_required=True,
    ).exists()
    return not answered


def complete_assessment(
    assessment: QAAssessment, *, by, data: AssessmentInput, expected_version: int | None
) -> QAAssessment:
    """Central QA → returned for amendments, or → QA complete: the feedback is given. Every
    standard of the mode answered, both ratings, feedback. Whether re-submission is required is
    `resubmission_due`'s answer; the central QA clock is met either way."""
    _ensure_may_rate(by, assessment, "qa:complete_assessment")
    cleaned = _clean(assessment, data, completing=True)
    case = assessment.case
    reasons = full_qa_reasons(case, assessment.version)
    if cleaned["marked_incomplete"]:
        reasons.append("The QA reviewer judged the review incomplete.")
    required = resubmission_due(assessment, marked_incomplete=cleaned["marked_incomplete"])
    with transaction.atomic():
        written = _write(assessment, cleaned, expected_version)
        written.full_qa_reasons = reasons
        written.resubmission_required = required
        written.status = AssessmentStatus.COMPLETED
        written.completed_at, written.completed_by = timezone.now(), by
        written.save()
        name = "return_for_amendments" if required else "complete_qa"
        case_services.transition_case(
            case, name, by=by, comment=f"Round {written.round} of central QA"
        )
        Case.objects.filter(pk=case.pk).update(resubmission_required=required)
        case.resubmission_required = required
    return written


def require_full_qa(case: Case, reason: str) -> QAAssessment | None:
    """Full QA is needed for a case whose QA was targeted (a victim asked for disclosure, say):
    the reason is kept on the case so that every later round is full, and the central team is
    told. A case whose targeted QA is complete goes back into the queue (QA complete → central
    QA), with a new full round of the same version and a new 20-working-day clock; a round not yet
    completed becomes full. Returns the round that will be full, or None when none is open (the
    next submission's round will be full). Made by the system, never by hand."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Say why full QA is needed.")
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if not locked.full_qa_reason:
            Case.objects.filter(pk=case.pk).update(full_qa_reason=reason)
            locked.full_qa_reason = reason
        latest = current_round(locked)
        reopened = None
        if latest is None or (latest.mode == QAMode.FULL and latest.is_completed):
            reopened = None  # nothing submitted yet, or already fully rated
        elif not latest.is_completed:
            latest = QAAssessment.objects.select_for_update().get(pk=latest.pk)
            reopened = latest
            latest.mode = QAMode.FULL
            latest.full_qa_reasons = full_qa_reasons(locked, latest.version)
            latest.edit_version += 1
            latest.save()
        elif locked.state == S.RETURNED_FOR_AMENDMENTS:
            # The provider chose to amend after targeted feedback: it may no longer accept that
            # feedback instead, so the amended review comes back for its full round.
            Case.objects.filter(pk=locked.pk).update(resubmission_required=True)
        elif locked.state == S.QA_COMPLETE:
            case_services.transition_case(locked, "require_full_qa", by=None, comment=reason)
            keep = (
                latest.qa_reviewer if latest.qa_reviewer and latest.qa_reviewer.is_active else None
            )
            reopened = QAAssessment.objects.create(
                case=locked,
                round=latest.round + 1,
                version=latest.version,
                mode=QAMode.FULL,
                full_qa_reasons=full_qa_reasons(locked, latest.version),
                standards=latest.standards,
                scale=latest.scale,
                qa_reviewer=keep,
                allocated_at=timezone.now() if keep else None,
            )
        _tell_central_team(locked, reason, reopened)
        case.refresh_from_db()
    return reopened


def _tell_central_team(case: Case, reason: str, assessment: QAAssessment | None) -> None:
    from sfo.alerts.services import send_alert

    managers = list(
        User.objects.filter(
            is_active=True,
            groups__name=Role.CENTRAL_QA_MANAGER.value,
            organisation__kind=OrganisationKind.CENTRAL_TEAM,
        ).distinct()
    )
    recipients = managers + (
        [assessment.qa_reviewer]
        if assessment is not None and assessment.qa_reviewer and assessment.qa_reviewer.is_active
        else []
    )
    if assessment is None and case.state in END_STATES:
        what = f"no round was opened, as the case is {case.get_state_display().lower()}"
    elif assessment is None and case.state == S.QA_COMPLETE:
        what = "nothing changes: its central QA was already full"
    elif assessment is None and case.state == S.RETURNED_FOR_AMENDMENTS:
        what = (
            "the provider may no longer accept the earlier feedback instead of amending, and the "
            "amended review's round will be full"
        )
    elif assessment is None:
        what = "its next round of central QA will be full"
    elif assessment.status == AssessmentStatus.WAITING or not assessment.started_at:
        what = f"round {assessment.round} of central QA is now full"
    else:
        what = f"round {assessment.round} of central QA is full"
    send_alert(
        recipients=recipients,
        case=case,
        kind="full_qa_needed",
        message=f"Full QA needed for {case} ({case.person_name}): {reason} So {what}.",
    )


def accept_feedback(case: Case, *, by) -> QAAssessment:
    """The provider's SFO review manager accepts the feedback of a QA that required no
    re-submission. From QA complete it is recorded on the round; from returned for amendments
    (they had chosen to amend) it moves the case back to QA complete."""
    assessment = current_round(case)
    if assessment is None or not assessment.is_completed:
        raise ValidationError("There is no feedback to accept yet.")
    if case.state == S.RETURNED_FOR_AMENDMENTS:
        case_services._ensure_may_make(by, case, "accept_feedback")
    else:
        # From QA complete the same people may accept as from returned: the reviewing
        # provider's SFO review managers.
        reason = case_services.refusal(by, case, "accept_feedback")
        if reason:
            _refuse(by, case, "transition:accept_feedback", reason)
        if case.state != S.QA_COMPLETE:
            raise ValidationError("The feedback can be accepted only once it has been given.")
    if assessment.resubmission_required:
        raise ValidationError(
            "This feedback requires the review to be amended and re-submitted: it cannot be "
            "accepted instead."
        )
    with transaction.atomic():
        if case.state == S.RETURNED_FOR_AMENDMENTS:
            case_services.transition_case(case, "accept_feedback", by=by)
        QAAssessment.objects.filter(pk=assessment.pk).update(
            feedback_accepted_at=timezone.now(), feedback_accepted_by=by
        )
        assessment.refresh_from_db()
    return assessment


def choose_to_amend(case: Case, *, by, comment: str = "") -> Case:
    """QA complete → returned for amendments: the provider's SFO review manager chooses to amend
    the review after feedback that did not require it; a senior manager re-submits it."""
    return case_services.transition_case(case, "choose_to_amend", by=by, comment=comment)
