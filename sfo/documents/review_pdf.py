"""The review as a printed document: the case's current review (its `snapshot`, the same plain data
a version freezes) and the case's facts, laid out for the print template.

Everything the template shows is worked out here, once, as plain strings and flags: the dates
formatted, each entry's marks and finding number found, each finding's supporting entries counted.
The template then only loops, so that building the HTML of a 600-entry chronology and a 30-page
narrative stays a small part of making the PDF (see benchmarks/review_pdf.py)."""

from collections import Counter
from datetime import date

from django.conf import settings
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from reviews.authoring import review_of, snapshot
from reviews.models import (
    ActionLevel,
    ActionStatus,
    Case,
    CaseTransition,
    ChronologySource,
    Dissemination,
    FindingKind,
    Judgement,
    SectionKey,
    SectionStatus,
    Theme,
)
from sfo.clocks.models import Clock, ClockKind

# The sections whose content is a structured list, printed by a block of the template of its own.
LIST_SECTIONS = {
    SectionKey.CHRONOLOGY: "chronology",
    SectionKey.KEY_FINDINGS: "findings",
    SectionKey.ACTION_PLAN: "actions",
}
SUBMISSIONS = ("countersign_and_submit", "resubmit")


def short_date(value: date | None) -> str:
    return f"{value.day} {value:%b %Y}" if value else ""


def long_date(value: date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


def paragraphs(text: str) -> SafeString:
    """The writer's paragraphs kept: a blank line starts a paragraph, a single line break stays a
    line break. Escaped, like everything the template prints."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return mark_safe("")  # noqa: S308 - empty
    blocks = [block.strip() for block in text.split("\n\n") if block.strip()]
    return mark_safe(  # noqa: S308 - every block is escaped
        "".join(f"<p>{escape(block).replace(chr(10), '<br>')}</p>" for block in blocks)
    )


def case_facts(case: Case) -> list[tuple[str, str]]:
    """The facts of the case the cover prints, in the order a reader looks for them."""
    review_clock = (
        Clock.objects.filter(case=case, kind=ClockKind.REVIEW).order_by("-sequence").first()
    )
    submitted = (
        CaseTransition.objects.filter(case=case, name__in=SUBMISSIONS).order_by("-at").first()
    )
    reviewer = case.reviewer.get_full_name() if case.reviewer else "Not allocated"
    facts = [
        ("Reference", case.reference or "Not yet registered"),
        ("Person on probation", case.person_name),
        ("CRN", case.crn + (f" (PNC {case.pnc_number})" if case.pnc_number else "")),
        ("Managing provider", case.managing_provider.name),
        ("Reviewing provider", case.review_provider.name),
        ("SFO reviewer", reviewer),
        (
            "State of the case",
            case.get_state_display() + (", high-profile" if case.high_profile else ""),
        ),
        ("Date of the offence", long_date(case.offence_date) or "Not recorded"),
        ("First court hearing", long_date(case.first_hearing_date) or "Not recorded"),
        ("Notified", long_date(timezone.localdate(case.notified_at)) if case.notified_at else ""),
    ]
    if review_clock:
        facts.append(("Review due", long_date(review_clock.due_on)))
    if submitted:
        facts.append(("Last submitted to the central team", long_date(submitted.at.date())))
    return [(label, value) for label, value in facts if value]


def review_print_context(case: Case, requested_by, data: dict | None = None) -> dict:
    """Everything `documents/pdf/review.html` prints, from the case's current review, or from
    `data`, a snapshot of it (a frozen version's: the victims' pack prints the review as central
    QA completed it)."""
    if data is None:
        data = snapshot(review_of(case))
    period_start = (
        date.fromisoformat(data["review_period_start"]) if data["review_period_start"] else None
    )
    sources = dict(ChronologySource.choices)
    kinds, levels = dict(FindingKind.choices), dict(ActionLevel.choices)
    statuses, spread = dict(ActionStatus.choices), dict(Dissemination.choices)

    # A version frozen before themes existed has no "themes" key: it had none.
    theme_names = dict(Theme.objects.values_list("slug", "name"))

    def themes(row: dict) -> str:
        return ", ".join(theme_names.get(slug, slug) for slug in row.get("themes") or [])

    number_of = {f["id"]: n for n, f in enumerate(data["findings"], start=1)}
    supporting = Counter(e["finding_id"] for e in data["chronology"] if e["finding_id"])
    answering = Counter(a["finding_id"] for a in data["actions"] if a["finding_id"])

    chronology = []
    for entry in data["chronology"]:
        occurred = date.fromisoformat(entry["occurred_on"])
        chronology.append(
            {
                "date": short_date(occurred),
                "source": sources.get(entry["source"], entry["source"]),
                "event": entry["event"],
                "issue": entry["emerging_issue"],
                "significant": entry["significant"],
                "history": bool(period_start and occurred < period_start),
                "finding": number_of.get(entry["finding_id"], ""),
            }
        )
    findings = [
        {
            "number": number_of[f["id"]],
            "title": f["title"],
            "kind": kinds.get(f["kind"], f["kind"]),
            "dissemination": spread.get(f["dissemination"], "") if f["dissemination"] else "",
            "analysis": paragraphs(f["analysis"]),
            "supporting": supporting[f["id"]],
            "answering": answering[f["id"]],
            "themes": themes(f),
        }
        for f in data["findings"]
    ]
    actions = [
        {
            "description": a["description"],
            "level": levels.get(a["level"], a["level"]),
            "agency": a["agency"],
            "owner": a["owner"],
            "due": short_date(date.fromisoformat(a["due_on"])),
            "finding": number_of.get(a["finding_id"], ""),
            "status": statuses.get(a["status"], a["status"]),
            "themes": themes(a),
        }
        for a in data["actions"]
    ]
    sections = []
    for number, key in enumerate(SectionKey, start=1):
        section = data["sections"][key]
        sections.append(
            {
                "number": number,
                "key": key.value,
                "anchor": f"section-{key.value.replace('_', '-')}",
                "label": key.label,
                "text": paragraphs(section["text"]),
                "list": LIST_SECTIONS.get(key, ""),
                "conclusion": key == SectionKey.CONCLUSION,
                "unfinished": (
                    SectionStatus(section["status"]).label
                    if section["status"] and section["status"] != SectionStatus.COMPLETED
                    else ""
                ),
            }
        )
    judgement = data["all_reasonable_steps"]
    return {
        "case": case,
        "title": f"Serious further offence review: {case.reference or case.crn}",
        "protective_marking": settings.PROTECTIVE_MARKING,
        "facts": case_facts(case),
        "generated_at": timezone.localtime(),
        "requested_by": requested_by,
        "review_period_start": long_date(period_start),
        "sections": sections,
        "judgement": Judgement(judgement).label if judgement else "",
        "judgement_is_no": judgement == Judgement.NO,
        "judgement_reasons": paragraphs(data["judgement_reasons"]),
        "chronology": chronology,
        "significant_count": sum(1 for e in chronology if e["significant"]),
        "history_count": sum(1 for e in chronology if e["history"]),
        "findings": findings,
        "actions": actions,
    }
