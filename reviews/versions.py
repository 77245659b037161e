"""What changed between two frozen versions of a review: the text of each section word by word,
section statuses, the judgement, and the chronology entries, findings and actions added, removed
and changed (matched by their id). Pure functions over `reviews.authoring.snapshot` data, so that
the page, the PDF or the central QA team can show the same comparison."""

import difflib
import re
from dataclasses import dataclass, field
from datetime import date

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from reviews.models import (
    ActionLevel,
    ActionStatus,
    ChronologySource,
    Dissemination,
    FindingKind,
    Judgement,
    SectionKey,
    SectionStatus,
)

# Runs of spaces, words (with their apostrophes), and each other character on its own: so that
# "record." becoming "record and more." reads as an addition, not a word replaced.
_TOKENS = re.compile(r"\s+|\w+(?:['’]\w+)*|[^\w\s]")
ADDED = '<ins class="sfo-diff__added"><span class="govuk-visually-hidden">added: </span>{}</ins>'
REMOVED = (
    '<del class="sfo-diff__removed"><span class="govuk-visually-hidden">removed: </span>{}</del>'
)


# --- Text ------------------------------------------------------------------------------------


# Sentences with the spaces after them; joined, they give back the text exactly.
_SENTENCES = re.compile(r"[^.!?]+(?:[.!?]+\s*|$)|[.!?]+\s*")
# Above this many token pairs, a changed block is compared unit by unit rather than word by word
# as a whole: difflib's cost grows with the product, and a rewritten 30-page section must still
# compare in well under a second.
WORD_DIFF_LIMIT = 1_000_000


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def _sentences(text: str) -> list[str]:
    return _SENTENCES.findall(text)


def _opcodes(a: list[str], b: list[str]):
    return difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()


def _words(old: str, new: str) -> list[tuple[str, str]]:
    """(operation, text) pieces turning `old` into `new`, word by word."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    pieces: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in _opcodes(a, b):
        if op == "equal":
            pieces.append(("equal", "".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            pieces.append(("delete", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            pieces.append(("insert", "".join(b[j1:j2])))
    return pieces


def _small_enough(old: str, new: str) -> bool:
    return len(_TOKENS.findall(old)) * len(_TOKENS.findall(new)) <= WORD_DIFF_LIMIT


def _changes(old: str, new: str, levels) -> list[tuple[str, str]]:
    """Match `old` and `new` unit by unit at the first level (paragraphs, then sentences); a block
    of units that changed is compared word by word when small enough, else at the next level, and
    at the last level unit by unit in order."""
    split, rest = levels[0], levels[1:]
    a, b = split(old), split(new)
    pieces: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in _opcodes(a, b):
        was, now = "".join(a[i1:i2]), "".join(b[j1:j2])
        if op == "equal":
            pieces.append(("equal", was))
        elif op != "replace":
            pieces.append(("delete", was) if op == "delete" else ("insert", now))
        elif _small_enough(was, now):
            pieces += _words(was, now)
        elif rest:
            pieces += _changes(was, now, rest)
        else:
            for k in range(max(i2 - i1, j2 - j1)):
                one = a[i1 + k] if i1 + k < i2 else ""
                other = b[j1 + k] if j1 + k < j2 else ""
                if _small_enough(one, other):
                    pieces += _words(one, other)
                else:
                    pieces += [("delete", one), ("insert", other)]
    return pieces


def text_changes(old: str, new: str) -> list[tuple[str, str]]:
    """(operation, text) pieces, operation one of equal / insert / delete. Paragraphs are matched
    first, then sentences within the paragraphs that changed, then words within the sentences
    that changed, so that a long review compares quickly and a moved paragraph reads as one
    removal and one addition."""
    old, new = old or "", new or ""
    if old == new:
        return [("equal", old)] if old else []
    merged: list[tuple[str, str]] = []
    for op, text in _changes(old, new, [_lines, _sentences]):
        if not text:
            continue
        if merged and merged[-1][0] == op:
            merged[-1] = (op, merged[-1][1] + text)
        else:
            merged.append((op, text))
    return merged


def render_changes(pieces: list[tuple[str, str]]) -> SafeString:
    """The pieces as HTML: additions in <ins>, removals in <del>, each announced to screen readers
    by a visually hidden "added:" or "removed:"; the text itself escaped."""
    html = []
    for op, text in pieces:
        if op == "insert":
            html.append(ADDED.format(escape(text)))
        elif op == "delete":
            html.append(REMOVED.format(escape(text)))
        else:
            html.append(str(escape(text)))
    return mark_safe("".join(html))  # noqa: S308 - every piece of text is escaped above


def text_diff(old: str, new: str) -> SafeString:
    return render_changes(text_changes(old, new))


# --- Structure -------------------------------------------------------------------------------


@dataclass
class FieldChange:
    label: str
    old: str
    new: str
    diff: SafeString | None = None  # word differences, for the long text fields


@dataclass
class ItemChange:
    id: int
    label: str
    fields: list[FieldChange]


@dataclass
class ListChanges:
    """Added and removed items as (id, how the item reads); changed ones with their fields."""

    added: list[tuple[int, str]] = field(default_factory=list)
    removed: list[tuple[int, str]] = field(default_factory=list)
    changed: list[ItemChange] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


@dataclass
class SectionChange:
    key: str
    label: str
    old_status: str
    new_status: str
    diff: SafeString | None  # None when the text did not change

    @property
    def status_changed(self) -> bool:
        return self.old_status != self.new_status

    @property
    def changed(self) -> bool:
        return self.diff is not None or self.status_changed


@dataclass
class Comparison:
    sections: list[SectionChange]
    judgement: FieldChange | None
    reasons: FieldChange | None
    review_period: FieldChange | None
    chronology: ListChanges
    findings: ListChanges
    actions: ListChanges

    @property
    def changed_sections(self) -> list[SectionChange]:
        return [s for s in self.sections if s.changed]

    @property
    def unchanged_sections(self) -> list[SectionChange]:
        return [s for s in self.sections if not s.changed]

    def __bool__(self) -> bool:
        return bool(
            self.changed_sections
            or self.judgement
            or self.reasons
            or self.review_period
            or self.chronology
            or self.findings
            or self.actions
        )


def _label(choices, value, blank: str = "None") -> str:
    if value is None:
        return blank
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value) if value != "" else blank


def _day(value, blank: str = "None") -> str:
    if not value:
        return blank
    try:
        day = date.fromisoformat(value)
    except (TypeError, ValueError):
        return str(value)
    return f"{day.day} {day:%B %Y}"


def _yes_no(value) -> str:
    return "Yes" if value else "No"


def _text(value) -> str:
    return value or ""


def _theme_names(slugs) -> str:
    """The themes' names, in the taxonomy's order (their slugs where a theme is gone)."""
    if not slugs:
        return "None"
    from reviews.models import Theme

    names = dict(Theme.objects.filter(slug__in=slugs).values_list("slug", "name"))
    return ", ".join(names.get(slug, slug) for slug in slugs)


# How each kind of item is shown: its fields (key, label, how a value reads, compared as text?).
CHRONOLOGY_FIELDS = [
    ("occurred_on", "Date", _day, False),
    ("source", "Source", lambda v: _label(ChronologySource, v), False),
    ("event", "Event", _text, True),
    ("significant", "Significant", _yes_no, False),
    ("emerging_issue", "Emerging issue", _text, True),
    ("finding_id", "Key finding it supports", None, False),
]
FINDING_FIELDS = [
    ("title", "Title", _text, True),
    ("analysis", "Analysis", _text, True),
    ("kind", "Kind", lambda v: _label(FindingKind, v), False),
    ("dissemination", "Dissemination", lambda v: _label(Dissemination, v), False),
    ("themes", "Themes", _theme_names, False),
]
ACTION_FIELDS = [
    ("description", "Action", _text, True),
    ("level", "Level", lambda v: _label(ActionLevel, v), False),
    ("agency", "External agency", _text, False),
    ("owner", "Owner", _text, False),
    ("due_on", "Due date", _day, False),
    ("finding_id", "Key finding it answers", None, False),
    ("status", "Status", lambda v: _label(ActionStatus, v), False),
    ("themes", "Themes", _theme_names, False),
]


def _finding_titles(snapshot: dict) -> dict:
    return {f.get("id"): f.get("title", "") for f in snapshot.get("findings", [])}


def _short(text: str, limit: int = 100) -> str:
    return text if len(text) <= limit else text[:limit].rstrip() + "…"


def entry_label(entry: dict, short: bool = True) -> str:
    event = entry.get("event", "")
    return f"{_day(entry.get('occurred_on'))}: {_short(event) if short else event}"


def finding_label(finding: dict, short: bool = True) -> str:
    return finding.get("title", "")


def action_label(action: dict, short: bool = True) -> str:
    text = action.get("description", "")
    text = _short(text) if short else text
    return f"{text} ({action.get('owner', '')}, due {_day(action.get('due_on'))})"


def _compare_lists(old_items, new_items, fields, label, old_titles, new_titles) -> ListChanges:
    """Items matched by id: those only in the newer list were added, those only in the older were
    removed, and those in both whose fields differ changed."""
    old_by_id = {item.get("id"): item for item in old_items}
    new_by_id = {item.get("id"): item for item in new_items}
    changes = ListChanges(
        added=[
            (item.get("id"), label(item, short=False))
            for item in new_items
            if item.get("id") not in old_by_id
        ],
        removed=[
            (item.get("id"), label(item, short=False))
            for item in old_items
            if item.get("id") not in new_by_id
        ],
    )
    for item in new_items:
        before = old_by_id.get(item.get("id"))
        if before is None:
            continue
        differences = []
        for key, name, show, is_text in fields:
            was, now = before.get(key), item.get(key)
            if key == "themes":
                # A version frozen before themes existed has no key: it had none.
                was, now = was or [], now or []
            if key == "finding_id":
                was, now = old_titles.get(was, "None"), new_titles.get(now, "None")
                if was == now:
                    continue
                differences.append(FieldChange(name, was or "None", now or "None"))
                continue
            if was == now:
                continue
            differences.append(
                FieldChange(name, show(was), show(now), text_diff(_text(was), _text(now)))
                if is_text
                else FieldChange(name, show(was), show(now))
            )
        if differences:
            changes.changed.append(ItemChange(item.get("id"), label(item), differences))
    return changes


def compare(old: dict, new: dict) -> Comparison:
    """What changed from snapshot `old` to snapshot `new`."""
    sections = []
    for key in SectionKey:
        was = old.get("sections", {}).get(key.value, {}) or {}
        now = new.get("sections", {}).get(key.value, {}) or {}
        old_text, new_text = was.get("text", "") or "", now.get("text", "") or ""
        sections.append(
            SectionChange(
                key=key.value,
                label=key.label,
                old_status=_label(SectionStatus, was.get("status")),
                new_status=_label(SectionStatus, now.get("status")),
                diff=None if old_text == new_text else text_diff(old_text, new_text),
            )
        )
    judgement = reasons = review_period = None
    if old.get("all_reasonable_steps") != new.get("all_reasonable_steps"):
        judgement = FieldChange(
            "Were all reasonable steps taken to manage the risk of serious harm?",
            _label(Judgement, old.get("all_reasonable_steps"), "Not given"),
            _label(Judgement, new.get("all_reasonable_steps"), "Not given"),
        )
    old_reasons, new_reasons = (
        old.get("judgement_reasons") or "",
        new.get("judgement_reasons") or "",
    )
    if old_reasons != new_reasons:
        reasons = FieldChange(
            "The reasons for the judgement",
            old_reasons,
            new_reasons,
            text_diff(old_reasons, new_reasons),
        )
    if old.get("review_period_start") != new.get("review_period_start"):
        review_period = FieldChange(
            "Start of the review period",
            _day(old.get("review_period_start"), "Not set"),
            _day(new.get("review_period_start"), "Not set"),
        )
    old_titles, new_titles = _finding_titles(old), _finding_titles(new)
    return Comparison(
        sections=sections,
        judgement=judgement,
        reasons=reasons,
        review_period=review_period,
        chronology=_compare_lists(
            old.get("chronology", []),
            new.get("chronology", []),
            CHRONOLOGY_FIELDS,
            entry_label,
            old_titles,
            new_titles,
        ),
        findings=_compare_lists(
            old.get("findings", []),
            new.get("findings", []),
            FINDING_FIELDS,
            finding_label,
            old_titles,
            new_titles,
        ),
        actions=_compare_lists(
            old.get("actions", []),
            new.get("actions", []),
            ACTION_FIELDS,
            action_label,
            old_titles,
            new_titles,
        ),
    )


def readable(snapshot: dict) -> dict:
    """A snapshot with the labels a person reads (sources, kinds, levels, statuses, findings by
    title), for the page that shows one version."""
    titles = _finding_titles(snapshot)
    sections = snapshot.get("sections", {})
    return {
        "review_period_start": _day(snapshot.get("review_period_start"), "Not set"),
        "judgement": _label(Judgement, snapshot.get("all_reasonable_steps"), "Not given"),
        "judgement_reasons": snapshot.get("judgement_reasons") or "",
        "sections": [
            {
                "key": key.value,
                "label": key.label,
                "text": (sections.get(key.value) or {}).get("text", ""),
                "status": _label(SectionStatus, (sections.get(key.value) or {}).get("status")),
            }
            for key in SectionKey
        ],
        "chronology": [
            {
                **entry,
                "date": _day(entry.get("occurred_on")),
                "source_label": _label(ChronologySource, entry.get("source")),
                "finding": titles.get(entry.get("finding_id"), ""),
            }
            for entry in snapshot.get("chronology", [])
        ],
        "findings": [
            {
                **finding,
                "kind_label": _label(FindingKind, finding.get("kind")),
                "dissemination_label": (
                    _label(Dissemination, finding.get("dissemination"))
                    if finding.get("dissemination")
                    else ""
                ),
            }
            for finding in snapshot.get("findings", [])
        ],
        "actions": [
            {
                **action,
                "due": _day(action.get("due_on")),
                "level_label": _label(ActionLevel, action.get("level")),
                "status_label": _label(ActionStatus, action.get("status")),
                "finding": titles.get(action.get("finding_id"), ""),
            }
            for action in snapshot.get("actions", [])
        ],
    }
