"""Writes about the other agencies of a case, each one service: adding an agency to the case (one
from the register, or one the register lacks), what it did, asking it for its contribution and
recording what came back, linking the review's findings and actions that concern it, making its
extract and recording that the extract was sent, and the parallel reviews beside the SFO review.

Who: the case's SFO staff (SFO reviewers, review managers and senior managers of its managing or
reviewing provider) write; the central QA team reads (`may_read`). A refusal is recorded in the
access log before it is raised, outside any transaction, so that it is not rolled back. Rows two
people might edit at once carry a `version`: a save naming an older one is refused as a conflict
(`reviews.authoring.EditConflict`, as the review's own forms are), and the form shows what is
saved now beside what was typed."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from agencies.models import (
    ActionConcern,
    Agency,
    AgencyInvolvement,
    AgencyKind,
    ContributionOutcome,
    ContributionRequest,
    ExtractShare,
    FindingConcern,
    ParallelReview,
    ParallelReviewKind,
    ShareMeans,
)
from reviews.authoring import check_version  # raises EditConflict
from reviews.models import ActionLevel, Finding, ReviewAction
from sfo.access import CENTRAL_QA_ROLES, PROVIDER_CASEWORKERS, visible_cases
from sfo.audit.services import record_access

EDITORS = (
    "Only the SFO reviewers, review managers and senior managers of the case's providers record "
    "its other agencies."
)


# --- Who may -----------------------------------------------------------------------------------


def may_edit(user, case) -> bool:
    """The SFO staff of the case's managing or reviewing provider."""
    return bool(
        PROVIDER_CASEWORKERS.allows(user)
        and user.organisation_id
        and user.organisation_id in {case.managing_provider_id, case.reviewing_provider_id}
    )


def may_read(user, case) -> bool:
    """Those who edit, and the central QA team; nobody for a case they may not see."""
    if may_edit(user, case):
        return True
    return bool(
        getattr(user, "is_authenticated", False)
        and user.roles & CENTRAL_QA_ROLES
        and visible_cases(user).filter(pk=case.pk).exists()
    )


def ensure_may_edit(user, case, what: str) -> None:
    if not may_edit(user, case):
        record_access(user, case, action=f"change:{what}", allowed=False)
        raise PermissionDenied(EDITORS)


# --- Agencies involved -------------------------------------------------------------------------


@dataclass
class NewAgency:
    """An agency the register lacks, as a reviewer names it from a case's page."""

    name: str
    kind: str
    area: str = ""


def _registered(agency: Agency) -> Agency:
    if not agency.active:
        raise ValidationError(
            f"{agency.name} has been retired from the register: choose the agency that took "
            "over its work, or ask an administrator."
        )
    return agency


def _agency(agency: Agency | None, new: NewAgency | None, by) -> Agency:
    """The agency chosen from the register, or the one added to it now (marked as added by the
    reviewer, for an administrator to check). A name already in the register (ignoring case and
    spacing) is that agency, and refused if it was retired; two people adding the same name at
    once meet the database's unique index, and the second gets the first one's agency."""
    if agency is not None:
        return _registered(agency)
    if new is None or not new.name.strip():
        raise ValidationError("Choose the agency, or name one that is not in the list.")
    if new.kind not in AgencyKind.values:
        raise ValidationError("Choose the kind of agency.")
    name = " ".join(new.name.split())
    existing = Agency.objects.filter(name__iexact=name).first()
    if existing is not None:
        return _registered(existing)
    try:
        with transaction.atomic():
            return Agency.objects.create(
                name=name, kind=new.kind, area=new.area.strip(), added_by=by
            )
    except IntegrityError:  # added by someone else since the look-up above
        return _registered(Agency.objects.get(name__iexact=name))


def add_involvement(
    case, *, by, role: str, agency: Agency | None = None, new: NewAgency | None = None
) -> AgencyInvolvement:
    """An agency involved in the case, and what it did: from the register, or added to it."""
    ensure_may_edit(by, case, "agencies")
    if not role.strip():
        raise ValidationError("Say what the agency did in the case.")
    with transaction.atomic():
        chosen = _agency(agency, new, by)
        if AgencyInvolvement.objects.filter(case=case, agency=chosen).exists():
            raise ValidationError(f"{chosen.name} is already recorded as involved in this case.")
        try:
            with transaction.atomic():
                return AgencyInvolvement.objects.create(
                    case=case, agency=chosen, role=role.strip(), added_by=by
                )
        except IntegrityError as error:  # the same agency added at the same moment
            raise ValidationError(
                f"{chosen.name} is already recorded as involved in this case."
            ) from error


def update_involvement(
    involvement: AgencyInvolvement, *, by, role: str, expected_version: int | None
) -> AgencyInvolvement:
    """What the agency did in the case, reworded."""
    ensure_may_edit(by, involvement.case, "agencies")
    if not role.strip():
        raise ValidationError("Say what the agency did in the case.")
    with transaction.atomic():
        row = AgencyInvolvement.objects.select_for_update().get(pk=involvement.pk)
        check_version(row, expected_version, {"role": role})
        row.role, row.version = role.strip(), F("version") + 1
        row.save(update_fields=["role", "version"])
        row.refresh_from_db()
        return row


# --- Contribution requests ---------------------------------------------------------------------


def record_request(
    involvement: AgencyInvolvement, *, by, asked: str, requested_on: date, due_on: date
) -> ContributionRequest:
    """That the review asked the agency for its contribution (its records, a chronology, an
    interview), on a day, for a reply by another."""
    ensure_may_edit(by, involvement.case, "contribution")
    if not asked.strip():
        raise ValidationError("Say what was asked of the agency.")
    if requested_on > timezone.localdate():
        raise ValidationError("The date of the request cannot be in the future.")
    if due_on < requested_on:
        raise ValidationError("The reply cannot be due before the request was made.")
    return ContributionRequest.objects.create(
        involvement=involvement,
        asked=asked.strip(),
        requested_on=requested_on,
        due_on=due_on,
        requested_by=by,
        updated_by=by,
    )


def record_reply(
    request: ContributionRequest,
    *,
    by,
    outcome: str,
    received_on: date | None,
    summary: str,
    expected_version: int | None,
) -> ContributionRequest:
    """What came back: received (on a day, with a summary of it), declined, or no reply; or
    back to awaited, when recorded by mistake."""
    ensure_may_edit(by, request.involvement.case, "contribution")
    if outcome not in ContributionOutcome.values:
        raise ValidationError("Choose what came back.")
    if outcome == ContributionOutcome.RECEIVED:
        if received_on is None:
            raise ValidationError("Enter the date the contribution was received.")
        if received_on < request.requested_on or received_on > timezone.localdate():
            raise ValidationError(
                "The contribution must have been received between the request and today."
            )
        if not summary.strip():
            raise ValidationError("Summarise what came back.")
    else:
        received_on = None
    with transaction.atomic():
        row = ContributionRequest.objects.select_for_update().get(pk=request.pk)
        check_version(row, expected_version, {"outcome": outcome, "summary": summary})
        row.outcome, row.received_on, row.summary = outcome, received_on, summary.strip()
        row.updated_by, row.version = by, F("version") + 1
        row.save()
        row.refresh_from_db()
        return row


# --- Findings and actions that concern an agency -------------------------------------------


def link_concerns(
    involvement: AgencyInvolvement,
    *,
    by,
    finding_ids,
    action_ids,
    expected_version: int | None = None,
) -> AgencyInvolvement:
    """The review's findings and actions that concern this agency, as ticked: links added and
    removed to match, if nobody changed the involvement since `expected_version` (else
    `EditConflict`, and nothing is linked or unlinked: a page opened earlier must not bring back
    a link someone took out, for the next extract would print it). An external action linked
    here names its agency in the plan already (the database requires it); the page shows where
    that name differs from the register's."""
    case = involvement.case
    ensure_may_edit(by, case, "concerns")
    finding_ids, action_ids = set(finding_ids), set(action_ids)
    findings = set(
        Finding.objects.filter(review__case=case, pk__in=finding_ids).values_list("pk", flat=True)
    )
    actions = set(
        ReviewAction.objects.filter(review__case=case, pk__in=action_ids).values_list(
            "pk", flat=True
        )
    )
    if findings != finding_ids or actions != action_ids:
        raise ValidationError("Choose findings and actions of this case's review.")
    with transaction.atomic():
        row = AgencyInvolvement.objects.select_for_update().get(pk=involvement.pk)
        check_version(row, expected_version, {"findings": findings, "actions": actions})
        AgencyInvolvement.objects.filter(pk=row.pk).update(version=F("version") + 1)
        FindingConcern.objects.filter(involvement=involvement).exclude(
            finding_id__in=findings
        ).delete()
        ActionConcern.objects.filter(involvement=involvement).exclude(
            action_id__in=actions
        ).delete()
        FindingConcern.objects.bulk_create(
            [FindingConcern(involvement=involvement, finding_id=pk) for pk in findings],
            ignore_conflicts=True,
        )
        ActionConcern.objects.bulk_create(
            [ActionConcern(involvement=involvement, action_id=pk) for pk in actions],
            ignore_conflicts=True,
        )
    involvement.refresh_from_db()
    return involvement


def names_differ(action: ReviewAction, agency: Agency) -> bool:
    """Whether an external action names another agency than the one it is linked to (a hint for
    the reviewer to reword one or the other, not an error: an action may concern two)."""
    return (
        action.level == ActionLevel.EXTERNAL
        and agency.name.casefold() not in action.agency.casefold()
        and action.agency.casefold() not in agency.name.casefold()
    )


# --- The extract, and the log of extracts sent ------------------------------------------------


def make_extract(involvement: AgencyInvolvement, *, by):
    """The agency's extract as a PDF, made by a document job whose page follows it."""
    from agencies.extract import queue_extract

    ensure_may_edit(by, involvement.case, "extract")
    if not (
        FindingConcern.objects.filter(involvement=involvement).exists()
        or ActionConcern.objects.filter(involvement=involvement).exists()
    ):
        raise ValidationError(
            "No finding or action of the review concerns this agency yet: link them first."
        )
    return queue_extract(involvement, by=by)


@dataclass
class ShareFacts:
    recipient_name: str
    recipient_role: str
    recipient_agency: str
    means: str
    sent_on: date
    note: str = ""
    job_id: int | None = None


def record_share(involvement: AgencyInvolvement, *, by, facts: ShareFacts) -> ExtractShare:
    """That an extract was sent: to whom (name, role, agency), how, when, by whom, and which one
    (the PDF made for this agency, with the review version it was made from). Append-only."""
    from sfo.documents.models import DocumentJob, DocumentKind, JobStatus

    ensure_may_edit(by, involvement.case, "extract")
    for value, message in (
        (facts.recipient_name, "Enter the name of the person it was sent to."),
        (facts.recipient_role, "Enter their role."),
        (facts.recipient_agency, "Enter their agency."),
    ):
        if not value.strip():
            raise ValidationError(message)
    if facts.means not in ShareMeans.values:
        raise ValidationError("Choose how it was sent.")
    if facts.sent_on > timezone.localdate():
        raise ValidationError("The date it was sent cannot be in the future.")
    job = None
    if facts.job_id is not None:
        job = DocumentJob.objects.filter(
            pk=facts.job_id,
            kind=DocumentKind.AGENCY_EXTRACT,
            case_id=involvement.case_id,
            params__involvement=involvement.pk,
            status=JobStatus.DONE,
        ).first()
        if job is None:
            raise ValidationError("Choose an extract made for this agency.")
    version_id = (job.params.get("version") if job else None) or None
    return ExtractShare.objects.create(
        involvement=involvement,
        job=job,
        review_version_id=version_id,
        recipient_name=facts.recipient_name.strip(),
        recipient_role=facts.recipient_role.strip(),
        recipient_agency=facts.recipient_agency.strip(),
        means=facts.means,
        sent_on=facts.sent_on,
        note=facts.note.strip(),
        recorded_by=by,
    )


# --- Parallel reviews ------------------------------------------------------------------------


@dataclass
class ParallelFacts:
    kind: str
    lead_body: str
    reference: str = ""
    commissioned_on: date | None = None
    expected_on: date | None = None
    completed_on: date | None = None
    contact: str = ""
    sharing: str = ""


def _validate_parallel(facts: ParallelFacts) -> None:
    if facts.kind not in ParallelReviewKind.values:
        raise ValidationError("Choose the kind of review.")
    if not facts.lead_body.strip():
        raise ValidationError("Enter the body that leads the review.")
    today = timezone.localdate()
    if facts.commissioned_on and facts.commissioned_on > today:
        raise ValidationError("The review cannot have been commissioned in the future.")
    if facts.completed_on and facts.completed_on > today:
        raise ValidationError("The review cannot have been completed in the future.")
    for later in (facts.expected_on, facts.completed_on):
        if later and facts.commissioned_on and later < facts.commissioned_on:
            raise ValidationError("A review cannot end before it was commissioned.")


def _parallel_fields(facts: ParallelFacts) -> dict:
    return {
        **facts.__dict__,
        "lead_body": facts.lead_body.strip(),
        "reference": facts.reference.strip(),
        "contact": facts.contact.strip(),
        "sharing": facts.sharing.strip(),
    }


def add_parallel_review(case, *, by, facts: ParallelFacts) -> ParallelReview:
    """Another review of the same events (a MAPPA serious case review, a domestic homicide
    review, ...), with its own dates and how the work is shared."""
    ensure_may_edit(by, case, "parallel_review")
    _validate_parallel(facts)
    return ParallelReview.objects.create(case=case, added_by=by, **_parallel_fields(facts))


def update_parallel_review(
    review: ParallelReview, *, by, facts: ParallelFacts, expected_version: int | None
) -> ParallelReview:
    """Its dates as they become known, its contact, how the work is shared."""
    ensure_may_edit(by, review.case, "parallel_review")
    _validate_parallel(facts)
    with transaction.atomic():
        row = ParallelReview.objects.select_for_update().get(pk=review.pk)
        check_version(row, expected_version, _parallel_fields(facts))
        for name, value in _parallel_fields(facts).items():
            setattr(row, name, value)
        row.version = F("version") + 1
        row.save()
        row.refresh_from_db()
        return row
