"""Writing the full review: who may read and write it, and every change to its sections,
chronology, findings and action plan, each one service.

Rows two people might edit at once carry a `version`. A save names the version the writer started
from; if someone else saved since, `EditConflict` carries both texts so that the page can show them
side by side and nothing typed is lost."""

import functools
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from reviews.independence import reviewer_refusal
from reviews.models import (
    ACTION_STEPS,
    STRUCTURED_SECTIONS,
    ActionLevel,
    ActionStatus,
    Case,
    ChronologyEntry,
    Finding,
    FindingKind,
    Judgement,
    Review,
    ReviewAction,
    ReviewSection,
    ReviewVersion,
    SectionKey,
    SectionStatus,
    Theme,
    VersionPurpose,
)
from reviews.workflow import CaseState
from sfo.access import CENTRAL_QA_ROLES, visible_cases
from sfo.audit.services import record_access
from sfo.people.roles import Role

# The states in which the allocated reviewer writes: drafting, and amending after central QA.
WRITABLE_STATES = frozenset({CaseState.REVIEW_IN_PROGRESS, CaseState.RETURNED_FOR_AMENDMENTS})
PROVIDER_READERS = frozenset({Role.SFO_REVIEWER, Role.SFO_REVIEW_MANAGER, Role.SENIOR_MANAGER})
# Responsible officers read only the redacted copy; analysts and chief officers see figures.
REVIEW_READERS = PROVIDER_READERS | CENTRAL_QA_ROLES | {Role.INDEPENDENT_ASSESSOR}
ACTION_VERIFIERS = frozenset({Role.SFO_REVIEW_MANAGER, Role.SENIOR_MANAGER})


class EditConflict(Exception):
    """Someone else saved this part of the review after the writer opened it."""

    def __init__(self, current, mine: dict):
        super().__init__(
            "Someone else saved this while you were editing it. Both versions are below: "
            "nothing you typed has been lost."
        )
        self.current, self.mine = current, mine


# --- Who may read and write ------------------------------------------------------------------


def may_read_review(user, case: Case) -> bool:
    """The reviewing and managing providers' SFO staff, the central QA team, and an independent
    assessor for a case sampled for them (which `visible_cases` already limits)."""
    if not (user.is_authenticated and user.roles & REVIEW_READERS):
        return False
    if case.state in {CaseState.IDENTIFIED, CaseState.NOTIFIED, CaseState.REGISTERED}:
        return False  # no review before a reviewer is allocated
    return visible_cases(user).filter(pk=case.pk).exists()


def refusal_to_write(user, case: Case) -> str | None:
    """Why `user` may not change this review now, or None: only its allocated reviewer, while the
    review is being drafted or amended, and only while independent of the case."""
    if case.reviewer_id != getattr(user, "pk", None):
        return "Only the reviewer allocated to this case writes its review."
    if case.state not in WRITABLE_STATES:
        return (
            f"This case is {case.get_state_display().lower()}: the review can be changed only "
            "while it is in progress or returned for amendments."
        )
    return reviewer_refusal(user, case)


def ensure_may_write(user, case: Case, what: str = "write:review") -> None:
    """Refuse, and record the refusal in the audit, when `user` may not change the review."""
    reason = refusal_to_write(user, case)
    if reason:
        record_access(user, case, action=what, allowed=False)
        raise PermissionDenied(reason)


def writing(what: str = "write:review"):
    """A service that changes the review: the writer is checked before its transaction opens, so
    that the audit row of a refusal is not rolled back with it."""

    def decorate(service):
        @functools.wraps(service)
        def checked(case, *args, by, **kwargs):
            ensure_may_write(by, case, what)
            with transaction.atomic():
                # The case row locked, and the rule checked again on it: a version being frozen
                # meanwhile (sending, countersigning) waits for this save, or refuses it.
                locked = Case.objects.select_for_update().only("state", "reviewer").get(pk=case.pk)
                if locked.reviewer_id != by.pk or locked.state not in WRITABLE_STATES:
                    raise PermissionDenied(refusal_to_write(by, locked))
                return service(case, *args, by=by, **kwargs)

        return checked

    return decorate


# --- The review and its sections ---------------------------------------------------------------


def review_of(case: Case) -> Review:
    """The case's review, created with every section not started when first needed."""
    review, created = Review.objects.get_or_create(case=case)
    if created:
        ReviewSection.objects.bulk_create(
            [ReviewSection(review=review, key=key) for key in SectionKey.values],
            ignore_conflicts=True,
        )
    return review


def _locked_section(case: Case, key: str) -> ReviewSection:
    if key not in SectionKey.values:
        raise ValidationError("There is no such section.")
    review = review_of(case)
    return ReviewSection.objects.select_for_update().get(review=review, key=key)


def check_version(row, expected_version: int | None, mine: dict) -> None:
    """Refuse a save that started from an older version of a row than the one saved now, with what
    the writer typed (`mine`) kept on the conflict. Any versioned row of the product uses it."""
    if expected_version is not None and row.version != expected_version:
        raise EditConflict(row, mine)


@writing()
def save_section(
    case: Case, key: str, *, by, text: str, status: str, expected_version: int | None
) -> ReviewSection:
    """Save a narrative section's text and status, if nobody saved it since `expected_version`.
    The conclusion goes through `save_conclusion`, which asks for the judgement."""
    if key == SectionKey.CONCLUSION or key in STRUCTURED_SECTIONS:
        raise ValidationError("That section is not saved as text alone.")
    return _save_text(case, key, by=by, text=text, status=status, expected_version=expected_version)


def _save_text(
    case: Case, key: str, *, by, text: str, status: str, expected_version: int | None
) -> ReviewSection:
    if status not in SectionStatus.values:
        raise ValidationError("Choose whether the section is in progress or completed.")
    section = _locked_section(case, key)
    check_version(section, expected_version, {"text": text, "status": status})
    if status == SectionStatus.NOT_STARTED and text.strip():
        status = SectionStatus.IN_PROGRESS
    section.text, section.status, section.updated_by = text, status, by
    section.version = F("version") + 1
    section.save()
    section.refresh_from_db()
    return section


@writing()
def save_conclusion(
    case: Case,
    *,
    by,
    text: str,
    status: str,
    judgement: str,
    reasons: str,
    expected_version: int | None,
) -> ReviewSection:
    """The conclusion carries the one mandatory judgement: whether all reasonable steps were taken
    to manage the risk of serious harm. A conclusion cannot be completed without it and its
    reasons; a draft may be saved without them."""
    if judgement and judgement not in Judgement.values:
        raise ValidationError("Choose yes or no.")
    if status == SectionStatus.COMPLETED and not (judgement and reasons.strip()):
        raise ValidationError(
            "Before you mark the conclusion completed, say whether all reasonable steps were "
            "taken to manage the risk of serious harm, and why."
        )
    section = _locked_section(case, SectionKey.CONCLUSION)
    check_version(
        section,
        expected_version,
        {"text": text, "status": status, "judgement": judgement, "reasons": reasons},
    )
    section = _save_text(
        case, SectionKey.CONCLUSION, by=by, text=text, status=status, expected_version=None
    )
    Review.objects.filter(case=case).update(
        all_reasonable_steps=judgement, judgement_reasons=reasons, updated_at=timezone.now()
    )
    return section


@writing()
def mark_section(case: Case, key: str, *, by, status: str) -> ReviewSection:
    """Set the status of a structured section (chronology, key findings, action plan)."""
    if key not in STRUCTURED_SECTIONS or status not in SectionStatus.values:
        raise ValidationError("Choose whether the section is in progress or completed.")
    section = _locked_section(case, key)
    section.status, section.updated_by, section.version = status, by, F("version") + 1
    section.save()
    section.refresh_from_db()
    return section


def _touch(case: Case, key: str, by) -> None:
    """A change to a structured list starts its section, if it was not started."""
    ReviewSection.objects.filter(
        review__case=case, key=key, status=SectionStatus.NOT_STARTED
    ).update(status=SectionStatus.IN_PROGRESS, updated_by=by, version=F("version") + 1)


@writing()
def set_review_period(case: Case, *, by, start: date | None) -> Review:
    """The start of the review period: chronology entries before it are marked as history, and
    the responsible officers whose independence counts are those who managed the case since."""
    if start is not None and start > timezone.localdate():
        raise ValidationError("The review period cannot start in the future.")
    review = review_of(case)
    review.review_period_start = start
    review.save(update_fields=["review_period_start", "updated_at"])
    return review


# --- The chronology --------------------------------------------------------------------------


@dataclass
class EntryFacts:
    occurred_on: date
    source: str
    event: str
    significant: bool = False
    emerging_issue: str = ""
    finding_id: int | None = None


def _finding_of(review: Review, finding_id: int | None) -> Finding | None:
    if finding_id is None:
        return None
    finding = Finding.objects.filter(review=review, pk=finding_id).first()
    if finding is None:
        raise ValidationError("Choose a key finding of this review.")
    return finding


def _validate_entry(facts: EntryFacts) -> None:
    if facts.occurred_on > timezone.localdate():
        raise ValidationError("The date of an entry cannot be in the future.")
    if not facts.event.strip():
        raise ValidationError("Describe the event.")


@writing()
def add_entries(case: Case, *, by, entries: list[EntryFacts]) -> list[ChronologyEntry]:
    """Add chronology entries (one typed, or many imported) in one go."""
    review = review_of(case)
    rows = []
    for facts in entries:
        _validate_entry(facts)
        rows.append(
            ChronologyEntry(
                review=review,
                occurred_on=facts.occurred_on,
                source=facts.source,
                event=facts.event.strip(),
                significant=facts.significant,
                emerging_issue=facts.emerging_issue.strip(),
                finding=_finding_of(review, facts.finding_id),
            )
        )
    created = ChronologyEntry.objects.bulk_create(rows, batch_size=500)
    _touch(case, SectionKey.CHRONOLOGY, by)
    return created


@writing()
def update_entry(
    case: Case, entry_id: int, *, by, facts: EntryFacts, expected_version: int | None
) -> ChronologyEntry:
    _validate_entry(facts)
    review = review_of(case)
    entry = ChronologyEntry.objects.select_for_update().filter(review=review, pk=entry_id).first()
    if entry is None:
        raise ValidationError("That entry is no longer in the chronology.")
    check_version(entry, expected_version, facts.__dict__)
    entry.occurred_on, entry.source, entry.event = facts.occurred_on, facts.source, facts.event
    entry.significant, entry.emerging_issue = facts.significant, facts.emerging_issue
    entry.finding = _finding_of(review, facts.finding_id)
    entry.version = F("version") + 1
    entry.save()
    entry.refresh_from_db()
    return entry


@writing()
def delete_entry(case: Case, entry_id: int, *, by) -> None:
    ChronologyEntry.objects.filter(review__case=case, pk=entry_id).delete()


# --- Key findings ----------------------------------------------------------------------------


# --- Themes ----------------------------------------------------------------------------------


def _themes(slugs: list[str] | None, row=None) -> list[Theme] | None:
    """The themes to tag a finding or an action with, from their slugs; None leaves the tags as
    they are. Only active themes may be chosen; a retired one stays where it is already."""
    if slugs is None:
        return None
    wanted = set(slugs)
    kept = set(row.themes.values_list("slug", flat=True)) if row is not None and row.pk else set()
    themes = list(Theme.objects.filter(slug__in=wanted))
    found = {theme.slug: theme for theme in themes}
    if wanted - set(found):
        raise ValidationError("Choose themes from the list.")
    if any(not theme.active and theme.slug not in kept for theme in themes):
        raise ValidationError("That theme has been retired: choose another.")
    return themes


def _tag(row, themes: list[Theme] | None) -> None:
    if themes is not None:
        row.themes.set(themes)


# --- Key findings ----------------------------------------------------------------------------


@dataclass
class FindingFacts:
    title: str
    analysis: str
    kind: str
    dissemination: str = ""
    themes: list[str] | None = None  # slugs; None leaves the tags as they are


def _finding_fields(facts: FindingFacts) -> dict:
    fields = asdict(facts)
    fields.pop("themes")
    return fields


def _validate_finding(facts: FindingFacts) -> None:
    if facts.kind not in FindingKind.values:
        raise ValidationError("Choose the kind of finding.")
    if facts.dissemination and facts.kind != FindingKind.GOOD_PRACTICE:
        raise ValidationError("Only good practice is marked for dissemination.")


@writing()
def add_finding(case: Case, *, by, facts: FindingFacts) -> Finding:
    """A key finding, tagged with its themes in the same transaction."""
    _validate_finding(facts)
    themes = _themes(facts.themes)
    review = review_of(case)
    position = review.findings.count() + 1
    finding = Finding.objects.create(review=review, position=position, **_finding_fields(facts))
    _tag(finding, themes)
    _touch(case, SectionKey.KEY_FINDINGS, by)
    return finding


@writing()
def update_finding(
    case: Case, finding_id: int, *, by, facts: FindingFacts, expected_version: int | None
) -> Finding:
    """Change a finding and its themes together, if nobody saved it since `expected_version`:
    a change of tags alone counts as a change of the finding."""
    _validate_finding(facts)
    finding = Finding.objects.select_for_update().filter(review__case=case, pk=finding_id).first()
    if finding is None:
        raise ValidationError("That finding is no longer in the review.")
    check_version(finding, expected_version, asdict(facts))
    themes = _themes(facts.themes, finding)
    for name, value in _finding_fields(facts).items():
        setattr(finding, name, value)
    finding.version = F("version") + 1
    finding.save()
    _tag(finding, themes)
    finding.refresh_from_db()
    return finding


@writing()
def delete_finding(case: Case, finding_id: int, *, by) -> None:
    """Remove a finding; the entries that supported it and the actions that answered it stay."""
    Finding.objects.filter(review__case=case, pk=finding_id).delete()


# --- The action plan -------------------------------------------------------------------------


@dataclass
class ActionFacts:
    description: str
    level: str
    owner: str
    due_on: date
    agency: str = ""
    finding_id: int | None = None
    themes: list[str] | None = None  # slugs; None leaves the tags as they are


def _validate_action(facts: ActionFacts) -> None:
    if facts.level not in ActionLevel.values:
        raise ValidationError("Choose the level of the action.")
    if facts.level == ActionLevel.EXTERNAL and not facts.agency.strip():
        raise ValidationError("Name the external agency the action is for.")


@writing()
def add_action(case: Case, *, by, facts: ActionFacts) -> ReviewAction:
    """An action of the plan, tagged with its themes in the same transaction."""
    _validate_action(facts)
    themes = _themes(facts.themes)
    review = review_of(case)
    action = ReviewAction.objects.create(
        review=review,
        description=facts.description.strip(),
        level=facts.level,
        agency=facts.agency.strip() if facts.level == ActionLevel.EXTERNAL else "",
        owner=facts.owner.strip(),
        due_on=facts.due_on,
        finding=_finding_of(review, facts.finding_id),
    )
    _tag(action, themes)
    _touch(case, SectionKey.ACTION_PLAN, by)
    return action


@writing()
def update_action(
    case: Case, action_id: int, *, by, facts: ActionFacts, expected_version: int | None
) -> ReviewAction:
    _validate_action(facts)
    review = review_of(case)
    action = ReviewAction.objects.select_for_update().filter(review=review, pk=action_id).first()
    if action is None:
        raise ValidationError("That action is no longer in the plan.")
    check_version(action, expected_version, {**asdict(facts), "due_on": facts.due_on.isoformat()})
    themes = _themes(facts.themes, action)
    action.description, action.level, action.owner = facts.description, facts.level, facts.owner
    action.agency = facts.agency.strip() if facts.level == ActionLevel.EXTERNAL else ""
    action.due_on, action.finding = facts.due_on, _finding_of(review, facts.finding_id)
    action.version = F("version") + 1
    action.save()
    _tag(action, themes)
    action.refresh_from_db()
    return action


@writing()
def delete_action(case: Case, action_id: int, *, by) -> None:
    ReviewAction.objects.filter(review__case=case, pk=action_id).delete()


def refusal_to_progress(user, case: Case, action: ReviewAction) -> str | None:
    """Why `user` may not move this action on, or None. Actions are worked on by the reviewing
    provider's SFO staff; verification, which needs evidence of dissemination and embedding, by its
    SFO review manager or a senior manager."""
    if action.status not in ACTION_STEPS:
        return "This action is verified: it is finished."
    if not user.roles & PROVIDER_READERS or user.organisation_id != case.review_provider_id:
        return f"Actions are taken forward by the SFO staff of {case.review_provider}."
    if ACTION_STEPS[action.status] == ActionStatus.VERIFIED and not user.roles & ACTION_VERIFIERS:
        return "An action is verified by an SFO review manager or a senior manager."
    return None


def progress_action(
    case: Case, action_id: int, *, by, evidence: str = "", seen_status: str | None = None
) -> ReviewAction:
    """Open → in progress → completed → verified, one step at a time. `seen_status` is the status
    the person saw: if the action has moved since (a second click), nothing more happens."""
    action = ReviewAction.objects.filter(review__case=case, pk=action_id).first()
    if action is None:
        raise ValidationError("That action is no longer in the plan.")
    reason = refusal_to_progress(by, case, action)
    if reason:
        record_access(by, case, action="progress:action", allowed=False)
        raise PermissionDenied(reason)
    return _progress(case, action_id, by=by, evidence=evidence, seen_status=seen_status)


@transaction.atomic
def _progress(case: Case, action_id: int, *, by, evidence: str, seen_status) -> ReviewAction:
    action = ReviewAction.objects.select_for_update().get(review__case=case, pk=action_id)
    if seen_status is not None and action.status != seen_status:
        return action  # already moved on, by this click's twin or by someone else
    if refusal_to_progress(by, case, action):
        raise PermissionDenied(refusal_to_progress(by, case, action))
    if action.status not in ACTION_STEPS:
        raise ValidationError("This action is verified: it is finished.")
    target = ACTION_STEPS[action.status]
    if target == ActionStatus.VERIFIED:
        if not evidence.strip():
            raise ValidationError(
                "Give the evidence that the change was disseminated and embedded before you "
                "verify the action."
            )
        action.evidence, action.verified_by, action.verified_at = evidence, by, timezone.now()
    action.status = target
    action.version = F("version") + 1
    action.save()
    action.refresh_from_db()
    return action


# --- Versions --------------------------------------------------------------------------------


def theme_slugs(rows, model) -> dict[int, list[str]]:
    """{row id: its themes' slugs in the taxonomy's order} for findings or actions: from the
    themes prefetched on the rows where they are, else in one query for all of them."""
    slugs: dict[int, list[str]] = defaultdict(list)
    missing = []
    for row in rows:
        cached = getattr(row, "_prefetched_objects_cache", {}).get("themes")
        if cached is None:
            missing.append(row.pk)
        else:
            slugs[row.pk] = [t.slug for t in sorted(cached, key=lambda t: (t.position, t.name))]
    if missing:
        through = model.themes.through
        own = "finding_id" if model is Finding else "reviewaction_id"
        for row_id, slug in (
            through.objects.filter(**{f"{own}__in": missing})
            .order_by("theme__position", "theme__name")
            .values_list(own, "theme__slug")
        ):
            slugs[row_id].append(slug)
    return slugs


def snapshot(review: Review) -> dict:
    """The review, chronology, findings and action plan as plain data: what a version freezes, the
    PDF prints and the coach reads. Findings and actions carry their themes' slugs (`themes`);
    versions frozen before themes existed have no such key, and their readers take it as none."""
    sections = {s.key: {"text": s.text, "status": s.status} for s in review.sections.all()}
    findings, actions = list(review.findings.all()), list(review.actions.all())
    finding_themes = theme_slugs(findings, Finding)
    action_themes = theme_slugs(actions, ReviewAction)
    return {
        "review_period_start": (
            review.review_period_start.isoformat() if review.review_period_start else None
        ),
        "all_reasonable_steps": review.all_reasonable_steps,
        "judgement_reasons": review.judgement_reasons,
        "sections": {key: sections.get(key, {"text": "", "status": ""}) for key in SectionKey},
        "findings": [
            {
                "id": f.pk,
                "title": f.title,
                "analysis": f.analysis,
                "kind": f.kind,
                "dissemination": f.dissemination,
                "themes": finding_themes.get(f.pk, []),
            }
            for f in findings
        ],
        "chronology": [
            {
                "id": e.pk,
                "occurred_on": e.occurred_on.isoformat(),
                "source": e.source,
                "event": e.event,
                "significant": e.significant,
                "emerging_issue": e.emerging_issue,
                "finding_id": e.finding_id,
            }
            for e in review.chronology.all()
        ],
        "actions": [
            {
                "id": a.pk,
                "description": a.description,
                "level": a.level,
                "agency": a.agency,
                "owner": a.owner,
                "due_on": a.due_on.isoformat(),
                "finding_id": a.finding_id,
                "status": a.status,
                "themes": action_themes.get(a.pk, []),
            }
            for a in actions
        ],
    }


def incomplete_sections(review: Review) -> list[str]:
    """The labels of the sections not marked completed."""
    return [
        SectionKey(s.key).label
        for s in review.sections.all()
        if s.status != SectionStatus.COMPLETED
    ]


@transaction.atomic
def store_version(case: Case, *, by, purpose: str) -> ReviewVersion:
    """Freeze the review as it is now; the number counts every version of this review."""
    review = Review.objects.select_for_update().get(case=case)
    number = (review.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    return ReviewVersion.objects.create(
        review=review, number=number, purpose=purpose, snapshot=snapshot(review), created_by=by
    )


@writing("transition:send_to_local_qa")
def send_for_local_qa(case: Case, *, by, comment: str = "") -> ReviewVersion:
    """Review in progress → local QA: the judgement is the one thing a review cannot go without;
    a version is frozen for the review manager to check."""
    from reviews.services import transition_case

    review = review_of(case)
    if not (review.all_reasonable_steps and review.judgement_reasons.strip()):
        raise ValidationError(
            "The review must say whether all reasonable steps were taken to manage the risk of "
            "serious harm, and why: complete the conclusion first."
        )
    transition_case(case, "send_to_local_qa", by=by, comment=comment)
    return store_version(case, by=by, purpose=VersionPurpose.LOCAL_QA)
