"""The disclosure pack for a victim or a family member (issue 7, recommendation 15 and DOMAIN.md
step 6): a cover letter from the senior manager; the plain-language summary with the key findings
set apart and the key events on a short timeline; a glossary of the acronyms the pack actually
uses; then the full review as central QA completed it.

The summary is the senior manager's (`victims.models.PlainSummary`), drafted on a form that
`prefill` fills from the review; `summary_check` gives its readability and the acronyms it leaves
unexpanded, before the pack is made and kept with it. The pack itself is a document job
(`sfo.documents`): `register` plugs its renderer and its access rule into the queue, so that the
documents app never imports this one, and the download is recorded in the read audit by the
document views like any other (one row: the job's id, no personal data).

Decisions:
- The pack prints what it stored: `pack.summary` as it stood when made, and the review's frozen
  version (`pack.review_version`), never today's text, so that version 2 of a pack differs from
  version 1 only where someone changed something.
- Every acronym is expanded at its first use in the family's part (the summary and its timeline):
  where the senior manager left a glossary acronym unexpanded, the PDF writes "Expansion (ACR)"
  there. One the glossary does not know cannot be expanded by the service: the summary page
  shows it to the senior manager before the pack is made.
- What the review's marks withhold (every category, victims' and families' details included: a
  pack goes to one family, and the review may hold another's; ADR 0012) is withheld from every
  review text the pack prints or scans: the printed review, the timeline, the glossary's scan and
  the summary's first draft (`for_victims`). The marks in force when the PDF is made apply.
- The stored summary is printed with the marked words withheld wherever they occur in it
  (`summary_for_print`): it may have been saved before a mark was made. A whole-place mark has no
  words to look for; the summary page lists the marked words it finds (`SummaryCheck.marked`).
- The timeline shows the significant chronology entries within the review period, at most
  `TIMELINE_MAX`, the latest ones when there are more (the months before the offence are what a
  family asks about); it says how many more the full chronology holds."""

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.template.loader import render_to_string
from django.utils import timezone

from reviews.authoring import review_of, snapshot
from reviews.coach import first_uses, unexpanded_acronyms
from reviews.coach import glossary as glossary_expansions
from reviews.models import ActionStatus, FindingKind, GlossaryTerm, Judgement, SectionKey
from reviews.redaction import marked_words, marks_of, redact, withhold_words
from sfo.access import may_see_victims_of
from sfo.documents.models import DocumentKind
from sfo.documents.review_pdf import long_date, paragraphs, review_print_context
from sfo.documents.services import queue_document, register_kind
from sfo.pdf import lay_out
from victims.models import DisclosurePack, Relationship
from victims.readability import Readability, readability
from victims.services import SUMMARY_FIELDS, qa_complete_version

PACK_TEMPLATE = "victims/pdf/pack.html"
TIMELINE_MAX = 12

# What has changed: each action's status said in plain words.
STATUS_WORDS = {
    ActionStatus.OPEN: "This has not started yet.",
    ActionStatus.IN_PROGRESS: "This is under way.",
    ActionStatus.COMPLETED: "This has been done.",
    ActionStatus.VERIFIED: "This has been done, and checked.",
}
SUMMARY_HEADINGS = {
    "what_happened": "What happened",
    "key_findings": "What the review found",
    "reasonable_steps": "Did we do all we reasonably could?",
    "what_has_changed": "What has changed since",
}


# --- The summary: its first draft and its check ----------------------------------------------


def for_victims(case, data: dict) -> dict:
    """A snapshot of the case's review with what the marks withhold from victims withheld."""
    return redact(data, marks_of(review_of(case)), audience="victims")


def summary_for_print(pack: DisclosurePack) -> list[str]:
    """The stored summary's parts in reading order, with the words the review's marks withhold
    (as they are when the PDF is made) withheld wherever they occur."""
    case = pack.request.victim.case
    return withhold_words(
        summary_texts(pack.summary), marks_of(review_of(case)), audience="victims"
    )


def source_snapshot(case) -> dict:
    """The review the summary is drafted from: the version whose QA is complete, which the pack
    prints, or the review as it is now while QA is not complete; redacted for victims."""
    version = qa_complete_version(case)
    return for_victims(case, version.snapshot if version else snapshot(review_of(case)))


def pack_snapshot(pack: DisclosurePack) -> dict:
    """The review version the pack prints, redacted for victims."""
    return for_victims(pack.request.victim.case, pack.review_version.snapshot)


def _sentence(text: str) -> str:
    text = " ".join((text or "").split()).rstrip(" .;:")
    return f"{text}." if text else ""


def prefill(case) -> dict:
    """A first draft of the four parts of the summary, from the review: its summary of events,
    its key findings' titles, its judgement and reasons, and its actions with their status. Short
    sentences, in the review's words: the senior manager rewrites them in plain words."""
    data = source_snapshot(case)
    findings = []
    for finding in data["findings"]:
        title = _sentence(finding["title"])
        if finding["kind"] == FindingKind.GOOD_PRACTICE:
            title = f"Good practice: {title}"
        findings.append(title)
    judgement = data["all_reasonable_steps"]
    steps = {
        Judgement.YES: "The review asked if we took all reasonable steps to manage the risk. "
        "It found that we did.",
        Judgement.NO: "The review asked if we took all reasonable steps to manage the risk. "
        "It found that we did not.",
    }.get(judgement, "")
    reasons = (data.get("judgement_reasons") or "").strip()
    changes = [
        f"{_sentence(action['description'])} {STATUS_WORDS.get(action['status'], '')}".strip()
        for action in data["actions"]
    ]
    return {
        "what_happened": (data["sections"][SectionKey.SUMMARY_OF_EVENTS]["text"] or "").strip(),
        "key_findings": "\n".join(findings),
        "reasonable_steps": "\n\n".join(part for part in (steps, reasons) if part),
        "what_has_changed": "\n".join(changes),
    }


def summary_texts(text: dict) -> list[str]:
    """The summary's parts in reading order."""
    return [text.get(name) or "" for name in SUMMARY_FIELDS]


@dataclass(frozen=True)
class SummaryCheck:
    """What the senior manager sees before making the pack: how easy the summary is to read,
    (acronym, the glossary's expansion or None) for each acronym not expanded at its first use,
    and the words the review's marks withhold that the summary uses (the pack withholds them)."""

    readability: Readability
    unexpanded: list
    marked: list = ()


def summary_check(text: dict, case=None) -> SummaryCheck:
    texts = summary_texts(text)
    marked = marked_words(texts, marks_of(review_of(case))) if case is not None else []
    return SummaryCheck(
        readability("\n\n".join(texts)),
        unexpanded_acronyms(texts, glossary_expansions()),
        marked,
    )


# --- Acronyms: expanded at first use, and the glossary -----------------------------------------


def with_expansions(texts: list[str], expansions: dict[str, str]) -> list[str]:
    """The texts, in reading order, with "Expansion (ACR)" written at the first use of each
    glossary acronym that its writer left unexpanded there."""
    out = list(texts)
    for use in first_uses(texts, expansions):
        if use.expanded or not use.expansion:
            continue
        text = out[use.text_index]
        match = re.search(rf"(?<![\w]){re.escape(use.acronym)}s?(?![\w])", text)
        if match:
            before = text[: match.start()]
            expansion = _in_sentence(use.expansion, starts_sentence=_SENTENCE_START.search(before))
            out[use.text_index] = f"{before}{expansion} ({match.group(0)}){text[match.end() :]}"
    return out


_SENTENCE_START = re.compile(r"(?:^|[.!?:]\s+|\n\s*)$")


def _in_sentence(expansion: str, *, starts_sentence) -> str:
    """An expansion written in sentence case ("Victim liaison officer") takes a small first
    letter inside a sentence; a name ("Offender Assessment System") keeps its capitals."""
    words = expansion.split()
    if starts_sentence or len(words) < 2 or any(w[:1].isupper() for w in words[1:]):
        return expansion
    return expansion[:1].lower() + expansion[1:]


_TAG = re.compile(r"<[^>]+>")


def _plain(value) -> str:
    """Printed text without its markup: each tag a space, so that paragraphs stay apart."""
    return html.unescape(_TAG.sub(" ", str(value or "")))


def printed_review_texts(review: dict) -> list[str]:
    """Every text `documents/pdf/review.html` prints from its context, in reading order: the
    cover's facts, the sections with the judgement, the chronology, findings and actions."""
    texts = [review["title"], *(f"{label}: {value}" for label, value in review["facts"])]
    for section in review["sections"]:
        texts += [section["label"], _plain(section["text"])]
        if section["conclusion"]:
            texts += [review["judgement"], _plain(review["judgement_reasons"])]
        if section["list"] == "chronology":
            for e in review["chronology"]:
                texts += [e["source"], e["event"], e["issue"]]
        elif section["list"] == "findings":
            for f in review["findings"]:
                texts += [f["title"], f["kind"], f["dissemination"], _plain(f["analysis"])]
        elif section["list"] == "actions":
            for a in review["actions"]:
                texts += [a["description"], a["level"], a["agency"], a["owner"], a["status"]]
    return [text for text in texts if text]


def _review_context(pack: DisclosurePack, requested_by=None, data: dict | None = None) -> dict:
    case = pack.request.victim.case
    data = pack_snapshot(pack) if data is None else data
    return review_print_context(case, requested_by or pack.created_by, data)


def glossary_for(pack: DisclosurePack, review: dict | None = None) -> list[tuple[str, str, str]]:
    """(acronym, expansion, explanation) for each glossary acronym the pack uses, in its summary
    or in the printed review version, in alphabetical order.

    An acronym the glossary does not know is left out rather than listed as "no expansion in the
    glossary": the pack is for a family, and a list of short forms nobody explains helps them
    less than none; besides, any run of capitals counts as an acronym to the coach, so names
    written in capitals would be listed too. The senior manager sees the unknown ones of the
    summary before making the pack (`summary_check`), and the coach flags those of the review
    to its writer; an administrator adds a missing one to the glossary."""
    review = review if review is not None else _review_context(pack)
    terms = {term.acronym: term for term in GlossaryTerm.objects.all()}
    texts = summary_for_print(pack) + printed_review_texts(review)
    used = {use.acronym for use in first_uses(texts, {a: t.expansion for a, t in terms.items()})}
    return sorted(
        ((a, terms[a].expansion, terms[a].explanation) for a in used if a in terms),
        key=lambda row: (row[0].upper(), row[0]),
    )


# --- The PDF ---------------------------------------------------------------------------------


def key_events(data: dict) -> tuple[list[dict], int]:
    """(the timeline's events, how many significant ones it leaves out): the significant
    chronology entries within the review period, in date order, at most TIMELINE_MAX of the
    latest."""
    start = data.get("review_period_start")
    start = date.fromisoformat(start) if start else None
    significant = sorted(
        (
            e
            for e in data["chronology"]
            if e["significant"] and (start is None or date.fromisoformat(e["occurred_on"]) >= start)
        ),
        key=lambda e: (e["occurred_on"], e["id"]),
    )
    shown = significant[-TIMELINE_MAX:]
    events = [
        {"date": long_date(date.fromisoformat(e["occurred_on"])), "event": e["event"]}
        for e in shown
    ]
    return events, len(significant) - len(shown)


def addressee_relationship(victim) -> str:
    """How the letter describes the person under their name: "Mother of the victim"."""
    if victim.relationship == Relationship.VICTIM:
        return "The victim"
    kin = (victim.relationship_to_victim or "").strip()
    return f"{kin[:1].upper()}{kin[1:]} of the victim" if kin else "Family member of the victim"


def pack_context(pack: DisclosurePack, requested_by=None) -> dict:
    """Everything `victims/pdf/pack.html` prints: the review's print context (which the template
    extends) with the letter, the summary with its timeline, and the glossary."""
    request = pack.request
    victim, case = request.victim, request.victim.case
    data = pack_snapshot(pack)
    review = _review_context(pack, requested_by, data)
    events, more_events = key_events(data)
    expansions = dict(GlossaryTerm.objects.values_list("acronym", "expansion"))
    # The family's part in reading order: what happened, its timeline, then the rest.
    texts = summary_for_print(pack)
    ordered = [texts[0], *(e["event"] for e in events), *texts[1:]]
    expanded = with_expansions(ordered, expansions)
    for event, text in zip(events, expanded[1 : 1 + len(events)], strict=True):
        event["event"] = text
    parts = [expanded[0], *expanded[1 + len(events) :]]
    summary = {
        name: {"heading": SUMMARY_HEADINGS[name], "text": paragraphs(text)}
        for name, text in zip(SUMMARY_FIELDS, parts, strict=True)
    }
    made_on = timezone.localdate(pack.created_at) if pack.created_at else timezone.localdate()
    return {
        **review,
        "title": f"Disclosure pack, version {pack.number}",
        "pack": pack,
        "made_on": long_date(made_on),
        "addressee": victim.full_name,
        "relationship": addressee_relationship(victim),
        "victim_died": victim.victim_died,
        "liaison_officer": victim.vcs_officer,
        "signed_by": pack.created_by,
        "provider": case.managing_provider,
        "summary": summary,
        "events": events,
        "more_events": more_events,
        "glossary": glossary_for(pack, review),
        "review_version": pack.review_version,
        "review_title": review["title"],
    }


def _pack_of(job) -> DisclosurePack:
    return DisclosurePack.objects.select_related(
        "request__victim__case__managing_provider",
        "request__victim__case__reviewing_provider",
        "request__victim__vcs_officer",
        "review_version",
        "created_by",
    ).get(pk=job.params["pack"], request__victim__case_id=job.case_id)


def render_pack(job, progress: Callable[[int], None]) -> tuple[str, bytes]:
    """The pack as a PDF, laid out with the same fetcher as every PDF of the service (its static
    files and nothing else). The file's name carries no one's name."""
    pack = _pack_of(job)
    context = pack_context(pack, job.requested_by)
    progress(20)
    html_text = render_to_string(PACK_TEMPLATE, context)
    progress(40)
    document = lay_out(html_text)
    progress(70)
    content = document.write_pdf()
    case = pack.request.victim.case
    slug = (case.reference or f"case-{case.pk}").lower()
    return f"disclosure-pack-{slug}-request-{pack.request_id}-v{pack.number}.pdf", content


# --- The document queue ----------------------------------------------------------------------


def may_see_pack(user, job) -> bool:
    """The pack holds a victim's or family member's name and the whole review: only those who
    may see the case's victims' records see it (the managing provider's senior managers and
    VLOs, and the central QA team), never anyone else, whatever they may see of the case."""
    return (
        job.kind == DocumentKind.DISCLOSURE_PACK
        and job.case_id is not None
        and may_see_victims_of(user, job.case)
    )


def queue_pack(pack: DisclosurePack, *, by):
    """The pack's document job, queued (`victims.services.make_pack` checks who may ask)."""
    return queue_document(
        kind=DocumentKind.DISCLOSURE_PACK,
        by=by,
        case=pack.request.victim.case,
        params={"pack": pack.pk},
    )


def register() -> None:
    register_kind(DocumentKind.DISCLOSURE_PACK, renderer=render_pack, may_see=may_see_pack)
