"""The extract of a review for another agency (recommendation 6): the findings and actions of the
review that concern it, with the case facts it needs to place them, as a page and as a PDF made
through the document queue (`register`, called from `AgenciesConfig.ready`).

Decisions (ADR 0013):
- It is taken from the latest version of the review submitted to the central team (the review as
  the provider signed it off; after central QA, the one QA completed), so that what an agency
  receives has been through the provider's own QA; before any submission, from the review as it
  is now, which the page and the PDF say plainly ("draft").
- Built from redacted data: `withheld` applies the review's redaction marks for the audience
  "agency" (`reviews.redaction.redact`), so that third parties' and victims' details and named
  staff never reach another agency, on the page, in the PDF's text or in its metadata.
- The case facts are those an agency needs to find its own records: the SFO reference, the
  person's name, date of birth and PNC number, the date of the offence and the providers. No
  victim's details: the victims' records are never read here.
- A document job records what it was asked from (`"source"`: the version's id, or the draft)
  and prints exactly that; a draft job that runs (or is retried) once the review has been
  submitted is refused, so that the log of extracts sent never takes a submitted version's PDF
  for a draft's, nor a draft is printed once reviewed text exists.
- Only the findings and actions linked to this agency's involvement are printed; a linked one
  that the version does not hold (added since) is counted, not printed, so that nothing
  unreviewed is sent."""

from collections.abc import Callable
from datetime import date

from django.template.loader import render_to_string
from django.utils import timezone

from agencies.models import ActionConcern, AgencyInvolvement, FindingConcern
from reviews.authoring import snapshot
from reviews.models import (
    ActionLevel,
    ActionStatus,
    Dissemination,
    FindingKind,
    Review,
    ReviewVersion,
    Theme,
    VersionPurpose,
)
from sfo.documents.models import DocumentKind
from sfo.documents.review_pdf import long_date, paragraphs, short_date
from sfo.documents.services import fail, queue_document, register_kind
from sfo.pdf import lay_out

PDF_TEMPLATE = "agencies/pdf/extract.html"


DRAFT = "draft"


class StaleExtract(Exception):
    """A document job asked for from the draft, run once the review has been submitted."""

    message = (
        "This extract was asked for from the draft of the review, which has since been "
        "submitted to the central team. Make the extract again from the agency's page: it will "
        "be taken from the submitted version."
    )


def source(case, version_id: int | None = None) -> tuple[ReviewVersion | None, dict | None]:
    """(the version the extract is taken from, its snapshot): the one named, exactly (a document
    job keeps the version it was asked from; a version is never deleted), else the latest
    submitted to the central team, else (None, the review as it is now), else (None, None) when
    there is no review yet."""
    versions = ReviewVersion.objects.filter(review__case=case, purpose=VersionPurpose.CENTRAL)
    if version_id is not None:
        version = versions.get(pk=version_id)
        return version, version.snapshot
    version = versions.order_by("-number").first()
    if version is not None:
        return version, version.snapshot
    review = Review.objects.filter(case=case).first()
    return None, (snapshot(review) if review is not None else None)


def job_source(case, params: dict) -> int | None:
    """The version a document job prints: the one it was asked from, never a later one. A job
    asked for from the draft (`"source": "draft"`, or a job of before that key with no version)
    prints the draft as it is when the job runs, as long as the review has not been submitted
    since; once it has, the job is refused (`StaleExtract`), so that a PDF of a draft is never
    made after reviewed text exists, nor a submitted version printed under a job the log of
    extracts sent takes for a draft."""
    version_id = params.get("version")
    if version_id is not None:
        return version_id
    if ReviewVersion.objects.filter(review__case=case, purpose=VersionPurpose.CENTRAL).exists():
        raise StaleExtract(StaleExtract.message)
    return None


def withheld(data: dict, case) -> dict:
    """The snapshot with every text the review's redaction marks withhold from another agency
    replaced (`reviews.redaction.redact`, audience "agency"): third parties' and victims'
    details, named staff and anything else marked."""
    from reviews.redaction import marks_of, redact

    review = Review.objects.filter(case=case).only("pk").first()
    marks = marks_of(review) if review is not None else []
    return redact(data, marks, audience="agency")


def case_facts(case) -> list[tuple[str, str]]:
    """What the agency needs to find the case in its own records."""
    facts = [
        ("SFO review reference", case.reference or "Not yet registered"),
        ("Person on probation", case.person_name),
        ("Date of birth", long_date(case.date_of_birth)),
        ("PNC number", case.pnc_number),
        ("Date of the offence", long_date(case.offence_date) or "Not recorded"),
        ("Managing probation provider", case.managing_provider.name),
        ("Reviewing probation provider", case.review_provider.name),
    ]
    return [(label, value) for label, value in facts if value]


def extract_context(
    involvement: AgencyInvolvement, requested_by=None, version_id: int | None = None
) -> dict:
    """Everything the extract's page and PDF show, from redacted data: from the version named,
    else from what `source` takes now."""
    case = involvement.case
    version, data = source(case, version_id)
    finding_ids = set(
        FindingConcern.objects.filter(involvement=involvement).values_list("finding_id", flat=True)
    )
    action_ids = set(
        ActionConcern.objects.filter(involvement=involvement).values_list("action_id", flat=True)
    )
    findings, actions, missing = [], [], len(finding_ids) + len(action_ids)
    if data is not None:
        data = withheld(data, case)
        themes = dict(Theme.objects.values_list("slug", "name"))
        kinds, spread = dict(FindingKind.choices), dict(Dissemination.choices)
        levels, statuses = dict(ActionLevel.choices), dict(ActionStatus.choices)
        number_of = {f["id"]: n for n, f in enumerate(data["findings"], start=1)}
        for f in data["findings"]:
            if f["id"] in finding_ids:
                findings.append(
                    {
                        "number": number_of[f["id"]],
                        "title": f["title"],
                        "kind": kinds.get(f["kind"], f["kind"]),
                        "dissemination": spread.get(f["dissemination"], "")
                        if f.get("dissemination")
                        else "",
                        "analysis": paragraphs(f["analysis"]),
                        "themes": [themes.get(s, s) for s in f.get("themes") or []],
                    }
                )
        for n, a in enumerate(data["actions"], start=1):
            if a["id"] in action_ids:
                actions.append(
                    {
                        "number": n,
                        "description": a["description"],
                        "level": levels.get(a["level"], a["level"]),
                        "agency": a["agency"],
                        "owner": a["owner"],
                        "due": short_date(date.fromisoformat(a["due_on"])),
                        "status": statuses.get(a["status"], a["status"]),
                        "finding": number_of.get(a["finding_id"], ""),
                        "themes": [themes.get(s, s) for s in a.get("themes") or []],
                    }
                )
        missing -= len(findings) + len(actions)
    agency = involvement.agency
    return {
        "case": case,
        "involvement": involvement,
        "agency": agency,
        "title": f"Extract of an SFO review for {agency.name}",
        "facts": case_facts(case),
        "version": version,
        "version_date": long_date(timezone.localdate(version.created_at)) if version else "",
        "draft": version is None,
        "findings": findings,
        "actions": actions,
        "missing": missing,
        "generated_at": timezone.localtime(),
        "requested_by": requested_by,
    }


# --- The document queue ----------------------------------------------------------------------


def _involvement_of(job) -> AgencyInvolvement:
    return AgencyInvolvement.objects.select_related(
        "agency", "case__managing_provider", "case__reviewing_provider"
    ).get(pk=job.params["involvement"], case_id=job.case_id)


def render_extract(job, progress: Callable[[int], None]) -> tuple[str, bytes]:
    """The extract as a PDF, from exactly what the job was asked from (`job_source`); the file's
    name carries the case's reference, no one's name. A stale draft job fails with a message
    saying what to do (`fail` first, so that the queue's generic message does not replace it)."""
    involvement = _involvement_of(job)
    try:
        version_id = job_source(involvement.case, job.params)
    except StaleExtract:
        fail(job, StaleExtract.message)
        raise
    context = extract_context(involvement, job.requested_by, version_id)
    progress(30)
    document = lay_out(render_to_string(PDF_TEMPLATE, context))
    progress(70)
    content = document.write_pdf()
    case = involvement.case
    slug = (case.reference or f"case-{case.pk}").lower()
    return f"agency-extract-{slug}-agency-{involvement.agency_id}.pdf", content


def may_see_extract(user, job) -> bool:
    """The case's SFO staff and the central QA team (`agencies.services.may_read`)."""
    from agencies.services import may_read

    return (
        job.kind == DocumentKind.AGENCY_EXTRACT
        and job.case_id is not None
        and may_read(user, job.case)
    )


def queue_extract(involvement: AgencyInvolvement, *, by):
    """The extract's document job, queued; it notes what it is taken from (the version's id, or
    the draft), which it prints and the log of extracts sent then records."""
    version, _ = source(involvement.case)
    return queue_document(
        kind=DocumentKind.AGENCY_EXTRACT,
        by=by,
        case=involvement.case,
        params={
            "involvement": involvement.pk,
            "source": "version" if version else DRAFT,
            "version": version.pk if version else None,
        },
    )


def register() -> None:
    register_kind(DocumentKind.AGENCY_EXTRACT, renderer=render_extract, may_see=may_see_extract)
