"""The review-quality coach: advice beside the draft on the failings HM Inspectorate of Probation
counted in SFO reviews (2020): no clear judgement, thin multi-agency analysis, action plans aimed
at individuals, no good practice, chronologies drowning in history, length, and acronyms left
unexplained.

Advice, not a block: only the judgement is mandatory, and `reviews.authoring.send_for_local_qa`
enforces that on its own. Every threshold is policy data (`CoachPolicy`); the acronyms and their
expansions are the glossary (`GlossaryTerm`), which the victims' pack reuses through
`acronyms_used` and `unexpanded_acronyms`.

`advise` is pure: it reads a snapshot (the shape of `reviews.authoring.snapshot`) and returns
flags, so that each flag is unit-tested without a database. `coach_for` gathers the data.

Decisions:
- The narrative the coach reads is every section's text in task-list order, with the key findings
  (title and analysis) in the key findings' place and the judgement's reasons after the
  conclusion. The chronology and action plan are tables, not prose: their acronyms are not
  checked, and their words do not count towards the length.
- "Every action individual" is not raised when the plan has no actions yet: an empty plan is an
  unfinished section, which the task list already shows; flagging it would be noise on every
  early draft."""

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from reviews.models import (
    ActionLevel,
    ChronologySource,
    FindingKind,
    MappaCategory,
    SectionKey,
)

WORDS_A_PAGE = 600

# Chronology sources that mean another agency was involved in the supervision, as the advice
# names them.
AGENCY_SOURCES = {
    ChronologySource.POLICE: "the police",
    ChronologySource.CHILDRENS_SERVICES: "children's services",
    ChronologySource.ADULT_SOCIAL_CARE: "adult social care",
    ChronologySource.MENTAL_HEALTH: "mental health services",
    ChronologySource.HEALTH: "health services",
    ChronologySource.PRISON: "the prison service",
    ChronologySource.MAPPA: "MAPPA",
    ChronologySource.HOUSING: "housing or approved premises",
}


@dataclass(frozen=True)
class Flag:
    """One thing the coach advises on. `section` is the key of the section it concerns, if one."""

    code: str
    title: str
    advice: str
    section: str | None = None
    details: list[str] = field(default_factory=list)
    mandatory: bool = False

    @property
    def section_label(self) -> str:
        return SectionKey(self.section).label if self.section else ""


@dataclass(frozen=True)
class CaseFacts:
    """What the case itself says about other agencies: the multi-agency section should answer it."""

    mappa: bool = False
    iom: bool = False
    agencies: tuple[str, ...] = ()

    def involvement(self) -> list[str]:
        named = (["MAPPA"] if self.mappa else []) + (["IOM"] if self.iom else [])
        return named + [a for a in self.agencies if a not in named]


@dataclass(frozen=True)
class CoachResult:
    flags: list[Flag]
    words: int
    target_words: int

    @property
    def pages(self) -> int:
        return pages_of(self.words)

    @property
    def target_pages(self) -> int:
        return pages_of(self.target_words)

    @property
    def mandatory(self) -> list[Flag]:
        return [f for f in self.flags if f.mandatory]

    @property
    def length(self) -> str:
        """The length, shown whether or not it is flagged."""
        return (
            f"About {self.words:,} word{'' if self.words == 1 else 's'} (about {self.pages} "
            f"page{'' if self.pages == 1 else 's'}) against a target of {self.target_words:,} "
            f"(about {self.target_pages} pages)."
        )

    @property
    def summary(self) -> str:
        """One line for the panel's live region, so that a screen reader hears what changed."""
        if not self.flags:
            return "Nothing to flag"
        count = len(self.flags)
        return f"{count} thing{'s' if count > 1 else ''} to consider"


# --- Words ----------------------------------------------------------------------------------


def word_count(text: str) -> int:
    return len(text.split())


def pages_of(words: int) -> int:
    """Approximate printed pages, at some 600 words a page."""
    return math.ceil(words / WORDS_A_PAGE)


def _section_text(snapshot: Mapping, key: str) -> str:
    return (snapshot.get("sections", {}).get(key) or {}).get("text") or ""


def narrative(snapshot: Mapping) -> list[tuple[str, str]]:
    """(section key, text) in reading order: the sections in task-list order, with the findings
    in the key findings' place and the judgement's reasons after the conclusion."""
    parts: list[tuple[str, str]] = []
    for key in SectionKey:
        parts.append((key.value, _section_text(snapshot, key)))
        if key == SectionKey.KEY_FINDINGS:
            for finding in snapshot.get("findings", []):
                parts.append((key.value, f"{finding['title']}\n{finding['analysis']}"))
        if key == SectionKey.CONCLUSION:
            parts.append((key.value, snapshot.get("judgement_reasons") or ""))
    return [(key, text) for key, text in parts if text.strip()]


# --- Acronyms -------------------------------------------------------------------------------

# Upper-case tokens that are not acronyms a reader needs explained: Roman numerals up to 39
# (as in "Part II"), and a few abbreviations in everyday use.
_NOT_ACRONYMS = frozenset({"HM", "UK", "OK"})
_ROMAN = re.compile(r"X{0,3}(IX|IV|V?I{0,3})")
# Words that an expansion's initials skip: "Risk of serious harm (RoSH)".
_SMALL_WORDS = frozenset({"of", "and", "the", "for", "in", "on", "to", "a", "an", "at", "by", "&"})
_WORD = re.compile(r"[^\W\d_][\w'’]*")


def _token_pattern(glossary: Mapping[str, str]) -> re.Pattern:
    """Glossary acronyms as written (case-sensitive, "OASys"), then any other run of 2-6 capitals;
    either may take a plural "s" ("ROs"). Word-bounded, so "AP" is not found in "APPROVED"."""
    known = "|".join(re.escape(a) for a in sorted(glossary, key=len, reverse=True))
    alternatives = (f"(?P<known>{known})|" if known else "") + "(?P<caps>[A-Z]{2,6})"
    return re.compile(rf"(?<![\w])(?:{alternatives})s?(?![\w])")


def _letters(acronym: str) -> str:
    """The letters an expansion's initials spell: the capitals ("OASys" → "OAS")."""
    return "".join(c for c in acronym if c.isupper()) or acronym.upper()


def _spells(words: list[str], acronym: str) -> bool:
    """Whether the words' initials spell the acronym, with small words skipped ("Risk of serious
    harm", RoSH) or not ("Freedom of Information", FOI)."""
    letters = _letters(acronym).upper()
    significant = [w for w in words if w.lower() not in _SMALL_WORDS]
    return any("".join(w[0] for w in ws).upper() == letters for ws in (significant, words))


def _same(phrase: str, expansion: str | None) -> bool:
    return (
        bool(expansion) and " ".join(phrase.split()).lower() == " ".join(expansion.split()).lower()
    )


def _is_expanded(text: str, start: int, end: int, acronym: str, expansion: str | None) -> bool:
    """Whether the use of `acronym` at text[start:end] comes with its expansion, either way round:
    "Multi-Agency Public Protection Arrangements (MAPPA)" or "MAPPA (Multi-Agency …)". An
    expansion counts if it is the glossary's or if its words' initials spell the acronym."""
    # The words just before an opening bracket that the acronym follows, back to the previous
    # bracket. Found by string methods: a regular expression anchored at the end ("[^()]*\(\s*$")
    # is tried from every one of the 400 characters, which cost milliseconds per page.
    head = text[max(0, start - 400) : start].rstrip()
    if head.endswith("(") and re.match(r"\s*\)", text[end:]):
        inside = head[:-1]
        phrase = inside[max(inside.rfind("("), inside.rfind(")")) + 1 :].rstrip()
        if expansion and phrase.lower().endswith(" ".join(expansion.split()).lower()):
            return True
        words = _WORD.findall(phrase)
        letters = len(_letters(acronym))
        for size in range(letters, min(len(words), letters * 2) + 1):
            if _spells(words[-size:], acronym):
                return True
    after = re.match(r"\s*\(([^()]{2,400})\)", text[end:])
    if after:
        inside = after.group(1).strip()
        return _same(inside, expansion) or _spells(_WORD.findall(inside), acronym)
    return False


@dataclass(frozen=True)
class AcronymUse:
    acronym: str
    expansion: str | None  # the glossary's, when it knows the acronym
    text_index: int  # which of the texts it is first used in
    expanded: bool  # whether that first use comes with an expansion


def first_uses(texts: Iterable[str], glossary: Mapping[str, str]) -> list[AcronymUse]:
    """Each acronym the texts use, at its first use in reading order, in the order first used."""
    pattern = _token_pattern(glossary)
    seen: dict[str, AcronymUse] = {}
    for index, text in enumerate(texts):
        for match in pattern.finditer(text):
            known = match.groupdict().get("known")
            acronym = known or match["caps"]
            if acronym in seen:
                continue
            if not known and (acronym in _NOT_ACRONYMS or _ROMAN.fullmatch(acronym)):
                continue
            expansion = glossary.get(acronym)
            seen[acronym] = AcronymUse(
                acronym,
                expansion,
                index,
                _is_expanded(text, match.start(), match.end(), acronym, expansion),
            )
    return list(seen.values())


def acronyms_used(texts: Iterable[str], glossary: Mapping[str, str]) -> list[str]:
    """The acronyms the texts use (the glossary's, and any other run of 2-6 capitals), in the
    order first used: what a glossary of the document should list."""
    return [use.acronym for use in first_uses(texts, glossary)]


def unexpanded_acronyms(
    text_in_order: list[str], glossary: Mapping[str, str]
) -> list[tuple[str, str | None]]:
    """(acronym, the glossary's expansion or None) for each acronym whose first use, in reading
    order, does not come with its expansion."""
    return [
        (use.acronym, use.expansion)
        for use in first_uses(text_in_order, glossary)
        if not use.expanded
    ]


# --- The flags ------------------------------------------------------------------------------


def _no_judgement(snapshot: Mapping) -> Flag | None:
    if snapshot.get("all_reasonable_steps") and (snapshot.get("judgement_reasons") or "").strip():
        return None
    missing = (
        "Answer yes or no, and give the reasons."
        if not snapshot.get("all_reasonable_steps")
        else "Give the reasons for the judgement."
    )
    return Flag(
        code="no_judgement",
        title="No clear judgement yet",
        advice=(
            "Say in the conclusion whether all reasonable steps were taken to manage the risk of "
            "serious harm, and why. This is the one thing the review cannot be sent without: "
            "the inspection found no clear judgement in more than one review in five."
        ),
        section=SectionKey.CONCLUSION.value,
        details=[missing],
        mandatory=True,
    )


def _multi_agency_thin(snapshot: Mapping, facts: CaseFacts, policy) -> Flag | None:
    involvement = facts.involvement()
    words = word_count(_section_text(snapshot, SectionKey.MULTI_AGENCY))
    if not involvement or words >= policy.multi_agency_min_words:
        return None
    return Flag(
        code="multi_agency_thin",
        title="Multi-agency working is thin",
        advice=(
            f"The case involved {_join(involvement)}: analyse what each agency knew, shared and "
            "did, and how well they worked together. The inspection found multi-agency working "
            "sufficiently addressed in only 39% of reviews."
        ),
        section=SectionKey.MULTI_AGENCY.value,
        details=[
            f"{words} word{'' if words == 1 else 's'} against at least "
            f"{policy.multi_agency_min_words}."
        ],
    )


def _every_action_individual(snapshot: Mapping) -> Flag | None:
    actions = snapshot.get("actions", [])
    if not actions or any(a["level"] != ActionLevel.INDIVIDUAL for a in actions):
        return None
    return Flag(
        code="every_action_individual",
        title="Every action is aimed at an individual",
        advice=(
            "Ask what the team, the organisation or another agency should change as well: the "
            "inspection found action plans aimed at individuals, and only 70% of reviews with "
            "organisational actions."
        ),
        section=SectionKey.ACTION_PLAN.value,
        details=[f"All {len(actions)} action{'s are' if len(actions) > 1 else ' is'} individual."],
    )


def _no_good_practice(snapshot: Mapping) -> Flag | None:
    findings = snapshot.get("findings", [])
    if any(f["kind"] == FindingKind.GOOD_PRACTICE for f in findings):
        return None
    if _section_text(snapshot, SectionKey.GOOD_PRACTICE).strip():
        return None
    return Flag(
        code="no_good_practice",
        title="No good practice identified",
        advice=(
            "Say what went well and whether it should be shared locally or nationally, so that "
            "the review is about learning, not blame. The inspection found good practice "
            "identified in only 57% of reviews."
        ),
        section=SectionKey.GOOD_PRACTICE.value,
    )


def _history_weighted(snapshot: Mapping, policy) -> Flag | None:
    start = snapshot.get("review_period_start")
    entries = snapshot.get("chronology", [])
    if not start or len(entries) < policy.history_min_entries:
        return None
    start = start if isinstance(start, str) else start.isoformat()
    before = sum(1 for e in entries if str(e["occurred_on"]) < start)
    share = Decimal(before) / Decimal(len(entries))
    if share <= Decimal(str(policy.history_max_share)):
        return None
    return Flag(
        code="history_weighted",
        title="The chronology is weighted to history",
        advice=(
            "Keep the entries before the review period to what explains the risk, and focus on "
            "the period before the offence. The inspection found chronologies averaging 60 "
            "pages, drowning in history."
        ),
        section=SectionKey.CHRONOLOGY.value,
        details=[
            f"{round(share * 100)}% of the entries ({before} of {len(entries)}) are from before "
            f"the review period started on {_long_date(start)}, against at "
            f"most {round(Decimal(str(policy.history_max_share)) * 100)}%."
        ],
    )


def _too_long(words: int, policy) -> Flag | None:
    if words <= policy.target_words:
        return None
    return Flag(
        code="too_long",
        title="Longer than the target",
        advice=(
            "Cut description of what happened and keep the analysis of why: the inspection found "
            "reviews averaging 30 pages, long and focused on what rather than why."
        ),
        details=[
            f"About {words:,} words, about {pages_of(words)} pages, against a target of "
            f"{policy.target_words:,} words (about {pages_of(policy.target_words)} pages)."
        ],
    )


def _acronyms(parts: list[tuple[str, str]], glossary: Mapping[str, str]) -> Flag | None:
    missing = [u for u in first_uses([t for _, t in parts], glossary) if not u.expanded]
    if not missing:
        return None
    details = []
    for use in missing:
        where = SectionKey(parts[use.text_index][0]).label
        if use.expansion:
            details.append(
                f"{use.acronym}, first used in {where}: write “{use.expansion} ({use.acronym})”."
            )
        else:
            details.append(f"{use.acronym}, first used in {where}: spell it out at first use.")
    return Flag(
        code="acronyms",
        title="Acronyms without an expansion",
        advice=(
            "Spell out each acronym the first time it is used: the review is read by managers, "
            "other agencies and, if they ask, the victim's family."
        ),
        section=parts[missing[0].text_index][0],
        details=details,
    )


def _long_date(iso: str) -> str:
    day = date.fromisoformat(iso)
    return f"{day.day} {day:%B %Y}"


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def advise(
    snapshot: Mapping, *, case_facts: CaseFacts, policy, glossary: Mapping[str, str]
) -> list[Flag]:
    """The coach's flags on a review: the mandatory judgement first, then in the order of the
    review's sections, then its length."""
    parts = narrative(snapshot)
    words = sum(word_count(text) for _, text in parts)
    flags = [
        _no_judgement(snapshot),
        _history_weighted(snapshot, policy),
        _multi_agency_thin(snapshot, case_facts, policy),
        _no_good_practice(snapshot),
        _every_action_individual(snapshot),
        _acronyms(parts, glossary),
        _too_long(words, policy),
    ]
    return [f for f in flags if f is not None]


def narrative_words(snapshot: Mapping) -> int:
    return sum(word_count(text) for _, text in narrative(snapshot))


# --- Gathering the data ---------------------------------------------------------------------


def current_policy(on: date | None = None):
    """The coach policy in force: the latest whose effective date has come. Without any row (a
    database not yet seeded) the model's defaults apply."""
    from django.utils import timezone

    from reviews.models import CoachPolicy

    on = on or timezone.localdate()
    policy = CoachPolicy.objects.filter(effective_from__lte=on).order_by("-effective_from").first()
    return policy or CoachPolicy(effective_from=on)


def glossary() -> dict[str, str]:
    """Acronym → expansion, in one query."""
    from reviews.models import GlossaryTerm

    return dict(GlossaryTerm.objects.values_list("acronym", "expansion"))


def case_facts(case, snapshot: Mapping) -> CaseFacts:
    """MAPPA and IOM from the case, other agencies from the chronology's sources."""
    sources = {e["source"] for e in snapshot.get("chronology", [])}
    return CaseFacts(
        mappa=case.mappa_category not in ("", MappaCategory.NONE) or bool(case.mappa_level),
        iom=bool(case.iom),
        agencies=tuple(name for source, name in AGENCY_SOURCES.items() if source in sources),
    )


def overlay(snapshot: dict, draft: Mapping[str, str] | None) -> dict:
    """The snapshot with an unsaved form's texts in place: section key → text, and the
    judgement's "all_reasonable_steps" and "judgement_reasons"."""
    if not draft:
        return snapshot
    sections = dict(snapshot["sections"])
    for key, text in draft.items():
        if key in SectionKey.values:
            sections[key] = {**(sections.get(key) or {"status": ""}), "text": text}
    result = {**snapshot, "sections": sections}
    for key in ("all_reasonable_steps", "judgement_reasons"):
        if key in draft:
            result[key] = draft[key]
    return result


def coach_for(case, draft: Mapping[str, str] | None = None) -> CoachResult:
    """The coach's advice on the case's review as saved, or with an unsaved form's draft laid over
    it (what the reviewer is typing now)."""
    from reviews import authoring

    snapshot = overlay(authoring.snapshot(authoring.review_of(case)), draft)
    policy = current_policy()
    flags = advise(
        snapshot, case_facts=case_facts(case, snapshot), policy=policy, glossary=glossary()
    )
    return CoachResult(
        flags=flags, words=narrative_words(snapshot), target_words=policy.target_words
    )
