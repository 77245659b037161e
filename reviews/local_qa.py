"""Local quality assurance and countersignature (DOMAIN.md, workflow step 4).

The reviewing provider's SFO review manager checks the version the reviewer sent against the QA
standards in force, and either returns it with comments against its sections or passes it; a senior
manager outside the case's line management countersigns it and submits it to the central team,
which stores an immutable version and starts the central QA clock. Each function is one state
change; who may make it is the workflow's answer (`reviews.services.refusal`), and every refusal
is recorded in the access log."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from reviews import services
from reviews.authoring import review_of, store_version
from reviews.models import (
    Answer,
    Case,
    LocalQAAnswer,
    LocalQACheck,
    LocalQAOutcome,
    ReviewVersion,
    SectionComment,
    SectionKey,
    StandardSet,
    VersionPurpose,
)
from reviews.signals import review_submitted
from reviews.standards import current_standards
from reviews.workflow import TRANSITIONS, CaseState
from sfo.audit.services import record_access

# What each page of this module does, by transition.
LOCAL_QA_TRANSITIONS = ("return_from_local_qa", "pass_local_qa")
SUBMISSIONS = {
    CaseState.AWAITING_COUNTERSIGNATURE: "countersign_and_submit",
    CaseState.RETURNED_FOR_AMENDMENTS: "resubmit",
}


# --- Who may ---------------------------------------------------------------------------------


def refusal_to(by, case: Case, name: str) -> str | None:
    """Why `by` may not make transition `name` on `case` now, or None: the workflow's rule on who,
    then whether the case is in a state it can be made from."""
    reason = services.refusal(by, case, name)
    if reason is not None:
        return reason
    if case.state not in TRANSITIONS[name].sources:
        return (
            f"This case is {case.get_state_display().lower()}: "
            f"“{TRANSITIONS[name].label}” is not possible now."
        )
    return None


def ensure_may(by, case: Case, name: str, request=None) -> None:
    """Refuse, and record the refusal in the access log, when `by` may not make `name` now."""
    reason = refusal_to(by, case, name)
    if reason is not None:
        if by is not None:
            record_access(request or by, case, action=f"transition:{name}", allowed=False)
        raise PermissionDenied(reason)


def submission_for(case: Case) -> str:
    """The transition a senior manager makes from the case's state: a first countersignature, or
    a re-submission after amendments."""
    return SUBMISSIONS.get(case.state, "countersign_and_submit")


# --- What is checked -------------------------------------------------------------------------


def sent_version(case: Case) -> ReviewVersion | None:
    """The version the reviewer sent for local QA, frozen by `reviews.authoring.send_for_local_qa`:
    the latest version, if it was frozen for local QA and nobody has checked it yet."""
    latest = (
        ReviewVersion.objects.filter(review__case=case)
        .select_related("created_by")
        .order_by("-number")
        .first()
    )
    sent = latest is not None and latest.purpose == VersionPurpose.LOCAL_QA
    return latest if sent and not latest.checks.exists() else None


def version_under_check(case: Case) -> ReviewVersion:
    """The version a check is stored on: the one sent. A case sent without one (by an older path)
    has it frozen now, in the sender's name: its review cannot have changed since, as nobody
    writes a review while it is in local QA."""
    review_of(case)
    version = sent_version(case)
    if version is not None:
        return version
    sent = case.transitions.filter(name="send_to_local_qa").order_by("-at", "-pk").first()
    if sent is None or sent.by is None:
        raise ValidationError("This review was never sent for local QA.")
    return store_version(case, by=sent.by, purpose=VersionPurpose.LOCAL_QA)


def _standards(standards: StandardSet | None) -> StandardSet:
    standards = standards or current_standards()
    if standards is None:
        raise ValidationError(
            "No QA standards are published: ask an administrator to publish them."
        )
    if standards.published_on is None or standards.published_on > timezone.localdate():
        raise ValidationError("Those QA standards are a draft: check against published ones.")
    return standards


def _clean_answers(standards: StandardSet, answers: dict) -> dict[int, tuple[str, str]]:
    questions = {q.pk for q in standards.questions.all()}
    cleaned = {}
    for standard_id, (answer, comment) in answers.items():
        if int(standard_id) not in questions:
            raise ValidationError(f"That question is not one of {standards}.")
        if not answer:
            if (comment or "").strip():
                raise ValidationError("Answer yes, partly or no where you comment on a standard.")
            continue
        if answer not in Answer.values:
            raise ValidationError("Answer yes, partly or no.")
        cleaned[int(standard_id)] = (answer, (comment or "").strip())
    return cleaned


def _clean_sections(section_comments: dict) -> dict[str, str]:
    cleaned = {}
    for key, comment in section_comments.items():
        if key not in SectionKey.values:
            raise ValidationError("There is no such section.")
        if (comment or "").strip():
            cleaned[key] = comment.strip()
    return cleaned


def _store_check(version, standards, outcome, by, answers, sections, comment) -> LocalQACheck:
    check = LocalQACheck.objects.create(
        version=version, standards=standards, outcome=outcome, comment=comment.strip(), by=by
    )
    LocalQAAnswer.objects.bulk_create(
        LocalQAAnswer(check_of=check, standard_id=pk, answer=answer, comment=text)
        for pk, (answer, text) in answers.items()
    )
    SectionComment.objects.bulk_create(
        SectionComment(check_of=check, section=key, comment=text)
        for key, text in sorted(sections.items(), key=lambda item: SectionKey.values.index(item[0]))
    )
    return check


# --- The state changes -----------------------------------------------------------------------


def return_from_local_qa(
    case: Case,
    *,
    by,
    answers: dict,
    section_comments: dict,
    comment: str = "",
    standards: StandardSet | None = None,
) -> LocalQACheck:
    """Local QA → review in progress: the reviewing provider's SFO review manager returns the
    review to its reviewer, saying what to change against its sections or overall. Answers to the
    standards are kept as far as given. `answers` maps a standard's id to (answer, comment)."""
    # Checked outside the transaction, so that the record of a refusal is not rolled back.
    ensure_may(by, case, "return_from_local_qa")
    standards = _standards(standards)
    cleaned_answers = _clean_answers(standards, answers)
    sections = _clean_sections(section_comments)
    if not sections and not comment.strip():
        raise ValidationError(
            "Say what the reviewer should change: comment on a section, or give an overall comment."
        )
    with transaction.atomic():
        version = version_under_check(case)
        services.transition_case(case, "return_from_local_qa", by=by, comment=comment.strip())
        return _store_check(
            version, standards, LocalQAOutcome.RETURNED, by, cleaned_answers, sections, comment
        )


def pass_local_qa(
    case: Case,
    *,
    by,
    answers: dict,
    section_comments: dict | None = None,
    comment: str = "",
    standards: StandardSet | None = None,
) -> LocalQACheck:
    """Local QA → awaiting countersignature: the reviewing provider's SFO review manager has
    answered every standard and passes the review to a senior manager."""
    ensure_may(by, case, "pass_local_qa")
    standards = _standards(standards)
    cleaned_answers = _clean_answers(standards, answers)
    unanswered = [q for q in standards.questions.all() if q.pk not in cleaned_answers]
    if unanswered:
        raise ValidationError(
            "Answer every standard before you pass the review: "
            + "; ".join(q.question for q in unanswered)
        )
    sections = _clean_sections(section_comments or {})
    with transaction.atomic():
        version = version_under_check(case)
        services.transition_case(case, "pass_local_qa", by=by, comment=comment.strip())
        return _store_check(
            version, standards, LocalQAOutcome.PASSED, by, cleaned_answers, sections, comment
        )


def _submit(case: Case, name: str, *, by, comment: str) -> ReviewVersion:
    ensure_may(by, case, name)  # outside the transaction: a refusal stays recorded
    with transaction.atomic():
        review = review_of(case)
        if not (review.all_reasonable_steps and review.judgement_reasons.strip()):
            raise ValidationError(
                "The review must say whether all reasonable steps were taken to manage the risk "
                "of serious harm, and why, before it goes to the central team."
            )
        services.transition_case(case, name, by=by, comment=comment.strip())
        version = store_version(case, by=by, purpose=VersionPurpose.CENTRAL)
        review_submitted.send(sender=Case, case=case, version=version, by=by)
        return version


def countersign_and_submit(case: Case, *, by, comment: str = "") -> ReviewVersion:
    """Awaiting countersignature → with the central team: a senior manager of the reviewing
    provider, outside the case's line management at every level, countersigns. The review is
    frozen as an immutable version and the central QA clock starts."""
    return _submit(case, "countersign_and_submit", by=by, comment=comment)


def resubmit(case: Case, *, by, comment: str = "") -> ReviewVersion:
    """Returned for amendments → with the central team: the amended review, countersigned again
    on the same rules; a new version is frozen and a new central QA clock starts."""
    return _submit(case, "resubmit", by=by, comment=comment)


# --- What the reviewer sees ------------------------------------------------------------------


@dataclass
class ReturnedComments:
    """The comments of the check that returned the review: `sections` maps a section key to its
    `SectionComment` rows (their text in `.comment`), `comment` is the overall one; `check` is
    None when the review is not returned."""

    check: LocalQACheck | None = None
    sections: dict[str, list[SectionComment]] = field(default_factory=dict)
    comment: str = ""

    def __bool__(self) -> bool:
        return self.check is not None


def latest_comments(case: Case) -> ReturnedComments:
    """The section and overall comments of local QA's latest check, when that check returned the
    review; nothing once a later check passed it (its comments were answered)."""
    check = (
        LocalQACheck.objects.filter(version__review__case=case)
        .select_related("by", "version")
        .prefetch_related("section_comments")
        .order_by("-at", "-pk")
        .first()
    )
    if check is None or check.outcome != LocalQAOutcome.RETURNED:
        return ReturnedComments()
    sections: dict[str, list[SectionComment]] = {}
    for remark in check.section_comments.all():
        sections.setdefault(remark.section, []).append(remark)
    return ReturnedComments(check=check, sections=sections, comment=check.comment)


def checks_of(version: ReviewVersion) -> list[LocalQACheck]:
    """The local QA checks of one version with their answers, questions and section comments."""
    return list(
        version.checks.select_related("by", "standards")
        .prefetch_related("answers__standard", "section_comments")
        .order_by("at", "pk")
    )


def latest_check(case: Case) -> LocalQACheck | None:
    """The most recent local QA check of the case's review, with what the countersigner reads."""
    return (
        LocalQACheck.objects.filter(version__review__case=case)
        .select_related("by", "standards", "version")
        .prefetch_related("answers__standard", "section_comments")
        .order_by("-at", "-pk")
        .first()
    )
