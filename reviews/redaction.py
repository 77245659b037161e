"""Withholding what must not be shared of a review, the redacted copy for the staff involved, and
their responses to its findings (issue 8: recommendation 11 and two-way learning). ADR 0012.

The one rule: a redacted document is built from redacted data. `redact` takes a snapshot (the
shape of `reviews.authoring.snapshot`, which every version freezes) and returns a new one in which
each withheld text is replaced by "[withheld: <category>]"; pages and PDFs then print that data as
they print any review, so nothing withheld reaches the HTML, the PDF's text or its metadata.

Who does what:
- marks: the reviewer allocated to the case and the SFO review managers and senior managers of
  its reviewing or managing provider, any time after allocation (`refusal_to_mark`);
- shares a copy: the same people, once a version has been submitted to the central team;
- reads the copy: every officer who managed the case, everyone in their line management chain,
  the case's SFO staff and the central QA team (`may_read_copy`);
- responds to a finding: the officers and their line managers (`is_involved`);
- reads the responses: the case's SFO staff and the central QA team (`may_read_review`)."""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from reviews.models import (
    Case,
    FindingResponse,
    RedactedCopy,
    Redaction,
    RedactionCategory,
    Review,
    ReviewVersion,
    SectionKey,
    Stance,
    VersionPurpose,
)
from reviews.workflow import CaseState
from sfo.access import CENTRAL_QA_ROLES, visible_cases
from sfo.alerts.models import AlertKind
from sfo.audit.services import record_access
from sfo.documents.review_pdf import short_date
from sfo.people.roles import Role

PLACEHOLDER = "[withheld: {}]"

# What each audience does not get: everything marked. Staff read their own name (`reader`).
# The victims' pack withholds victims' and families' details too: a pack goes to one family, and
# the review may hold another's (a double homicide) or details a family member is not to read.
ALL_CATEGORIES = frozenset(RedactionCategory.values)
WITHHELD_FROM = {
    "staff": ALL_CATEGORIES,
    "victims": ALL_CATEGORIES,
    "agency": ALL_CATEGORIES,
}
CATEGORY_LABELS = dict(RedactionCategory.choices)
BEFORE_ALLOCATION = frozenset(
    {CaseState.IDENTIFIED, CaseState.NOTIFIED, CaseState.REGISTERED, CaseState.REJECTED}
)
MARKERS = frozenset({Role.SFO_REVIEW_MANAGER, Role.SENIOR_MANAGER})
PROVIDER_READERS = frozenset({Role.SFO_REVIEWER, Role.SFO_REVIEW_MANAGER, Role.SENIOR_MANAGER})

FIELD_LABELS = {
    "finding": {"title": "title", "analysis": "analysis"},
    "chronology": {"event": "event", "emerging_issue": "emerging issue"},
    "action": {"description": "action", "owner": "owner", "agency": "external agency"},
}


# --- Places: where in a review a mark can be ---------------------------------------------------


@dataclass(frozen=True)
class Place:
    """One redactable text of a review: its key (what a mark stores), a label for people, the
    group it is listed under on the marking page, and its text in the given snapshot."""

    key: str
    label: str
    group: str
    text: str


def _normal(text: str | None) -> str:
    """Line ends as a browser sends them back: a quote copied from a page matches the text."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")


def places(data: dict) -> list[Place]:
    """Every redactable place of a snapshot, in the order the review reads."""
    out = []
    for key in SectionKey:
        section = data["sections"].get(key.value) or {}
        out.append(
            Place(f"section:{key.value}", key.label, "Sections", _normal(section.get("text")))
        )
    out.append(
        Place(
            "judgement_reasons",
            "The reasons for the judgement",
            "Sections",
            _normal(data.get("judgement_reasons")),
        )
    )
    for n, finding in enumerate(data["findings"], start=1):
        for field, label in FIELD_LABELS["finding"].items():
            out.append(
                Place(
                    f"finding:{finding['id']}:{field}",
                    f"Finding {n}: {label}",
                    "Key findings",
                    _normal(finding.get(field)),
                )
            )
    for entry in data["chronology"]:
        on = short_date(date.fromisoformat(entry["occurred_on"]))
        for field, label in FIELD_LABELS["chronology"].items():
            out.append(
                Place(
                    f"chronology:{entry['id']}:{field}",
                    f"Chronology entry of {on}: {label}",
                    "Chronology",
                    _normal(entry.get(field)),
                )
            )
    for n, action in enumerate(data["actions"], start=1):
        for field, label in FIELD_LABELS["action"].items():
            out.append(
                Place(
                    f"action:{action['id']}:{field}",
                    f"Action {n}: {label}",
                    "Action plan",
                    _normal(action.get(field)),
                )
            )
    return out


def _setter(data: dict, key: str):
    """(container, field) of the place `key` in `data`, or None if the snapshot has no such
    place (a row deleted since the mark was made)."""
    if key == "judgement_reasons":
        return data, "judgement_reasons"
    parts = key.split(":")
    if parts[0] == "section" and len(parts) == 2:
        section = data["sections"].get(parts[1])
        return (section, "text") if section is not None else None
    lists = {"finding": "findings", "chronology": "chronology", "action": "actions"}
    if len(parts) == 3 and parts[0] in lists and parts[2] in FIELD_LABELS[parts[0]]:
        for row in data[lists[parts[0]]]:
            if str(row["id"]) == parts[1]:
                return row, parts[2]
    return None


def text_at(data: dict, key: str) -> str | None:
    found = _setter(data, key)
    return None if found is None else _normal(found[0].get(found[1]))


# --- Applying marks ---------------------------------------------------------------------------


def clean_quote(quote: str | None) -> str:
    """The words of a quote as they are stored and matched: compatibility characters folded
    (NFKC; a no-break space is a space), each run of white space one space, no space at either
    end (a double-click selects the space after a word)."""
    text = unicodedata.normalize("NFKC", quote or "").replace("\u00a0", " ")
    return " ".join(text.split())


@lru_cache(maxsize=1024)
def _pattern(quote: str) -> re.Pattern | None:
    """The quote's words, in any capitals, with any white space between them (a line break, two
    spaces, a no-break space), and not as part of a longer word: "Mary Jones" finds "MARY
    JONES." and "Mary\\nJones", not "Rosemary Jones"."""
    words = clean_quote(quote).split()
    if not words:
        return None
    body = r"\s+".join(map(re.escape, words))
    if re.match(r"\w", words[0]):
        body = r"(?<!\w)" + body
    if re.search(r"\w$", words[-1]):
        body += r"(?!\w)"
    return re.compile(body, re.IGNORECASE)


def find_quote(text: str, quote: str) -> int | None:
    """Where the quote's words first occur in `text`, or None."""
    pattern = _pattern(quote or "")
    found = pattern.search(text or "") if pattern else None
    return found.start() if found else None


def _name_key(text: str | None) -> str:
    return clean_quote(text).casefold()


def names_of(user) -> set[str]:
    """A member of staff's name as a quote may give it (first, last or full name), compared as
    `_name_key` does: without case and with white space normalised."""
    if user is None:
        return set()
    full = f"{user.first_name} {user.last_name}"
    return {_name_key(name) for name in (user.first_name, user.last_name, full)} - {""}


def is_name_of(quote: str, user) -> bool:
    return _name_key(quote) in names_of(user)


def _placeholder(categories: Iterable[str]) -> str:
    labels = [CATEGORY_LABELS[c] for c in RedactionCategory.values if c in set(categories)]
    return PLACEHOLDER.format(" and ".join(labels))


def _reader(reader):
    """The reading user, loaded if an id was given."""
    if reader is None or hasattr(reader, "first_name"):
        return reader
    from sfo.people.models import User

    return User.objects.filter(pk=reader).first()


def _lifted(mark, reader) -> bool:
    """A staff copy shows its reader their own name: a mark of "a named member of staff" that
    names the reader and whose words are their name. Never a whole part (whatever else that part
    says), never words beyond the name."""
    return (
        reader is not None
        and mark.category == RedactionCategory.STAFF
        and mark.staff_member_id == reader.pk
        and bool(clean_quote(mark.quote))
        and is_name_of(mark.quote, reader)
    )


def _in_force(marks, audience: str, reader) -> list:
    if audience not in WITHHELD_FROM:
        raise ValueError(f"No such audience: {audience}")
    reader = _reader(reader) if audience == "staff" else None
    return [
        mark
        for mark in marks
        if mark.category in WITHHELD_FROM[audience] and not _lifted(mark, reader)
    ]


def _spans(text: str, quoted: list) -> list[tuple[int, int, str]]:
    return [
        (found.start(), found.end(), mark.category)
        for mark, pattern in quoted
        for found in pattern.finditer(text)
    ]


def _replace(text: str, spans: list[tuple[int, int, str]]) -> str:
    """`text` with each span replaced by its placeholder; overlapping spans merge and name all
    their categories."""
    merged: list[list] = []
    for start, end, category in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
            merged[-1][2].add(category)
        else:
            merged.append([start, end, {category}])
    pieces, at = [], 0
    for start, end, categories in merged:
        pieces += [text[at:start], _placeholder(categories)]
        at = end
    pieces.append(text[at:])
    return "".join(pieces)


def _apply(data: dict, marks, audience: str, reader) -> tuple[dict, list]:
    """(the redacted snapshot, the marks whose words are not found in their own place).

    A whole-place mark withholds its place. A quoted mark withholds its words wherever they
    occur in the review, and, if they no longer occur in the place where it was marked, the
    whole text of that place (failing safe: the words were edited, perhaps into a misspelling
    that still identifies someone)."""
    applying = _in_force(marks, audience, reader)
    out = _copy(data)
    if not applying:
        return out, []
    texts = {place.key: place.text for place in places(data)}
    whole: dict[str, list[str]] = {}
    quoted, unmatched = [], []
    for mark in applying:
        pattern = _pattern(mark.quote or "")
        if pattern is None:
            whole.setdefault(mark.place, []).append(mark.category)
            continue
        quoted.append((mark, pattern))
        own = texts.get(mark.place)
        if own is not None and own.strip() and not pattern.search(own):
            unmatched.append(mark)
            whole.setdefault(mark.place, []).append(mark.category)
    for key, text in texts.items():
        if not text.strip():
            continue
        if key in whole:
            replaced = _placeholder(whole[key])
        else:
            spans = _spans(text, quoted)
            if not spans:
                continue
            replaced = _replace(text, spans)
        row, field = _setter(out, key)
        row[field] = replaced
    return out, unmatched


def _copy(data: dict) -> dict:
    """A deep copy of a snapshot (plain JSON data), so that the caller's stays as it was."""
    return {
        **data,
        "sections": {key: dict(value) for key, value in data["sections"].items()},
        "findings": [dict(row) for row in data["findings"]],
        "chronology": [dict(row) for row in data["chronology"]],
        "actions": [dict(row) for row in data["actions"]],
    }


def redact(data: dict, marks, *, audience: str, reader=None) -> dict:
    """A new snapshot with each marked text replaced by "[withheld: <category>]"; `data` is left
    as it was. Stable: the agencies' extracts, the annual report and the victims' pack call it.

    - `data`: a snapshot (`reviews.authoring.snapshot`, `ReviewVersion.snapshot`).
    - `marks`: the review's marks (`marks_of`), or any objects with `place`, `quote`, `category`
      and `staff_member_id`; removed marks must not be passed.
    - `audience`: "staff" (the redacted copy), "victims" (the victims' pack) or "agency" (an
      extract for another agency, the annual report): each withholds every category.
    - `reader`: the user (or id) reading a staff copy: a mark of "a named member of staff" naming
      them, whose words are their name, is not applied for them. Ignored for the other audiences.

    A quoted mark's words are withheld wherever they occur in the review, in any capitals and
    with any white space between them; a whole-place mark withholds its place only. A quote whose
    words are no longer in its own place (edited since it was marked) withholds the whole text of
    that place."""
    return _apply(data, marks, audience, reader)[0]


def withhold_words(texts: list[str], marks, *, audience: str) -> list[str]:
    """Texts written outside the review from it (the family's plain-language summary) with the
    words of every quoted mark withheld wherever they occur. A whole-place mark has no words to
    look for: whoever writes such a text must leave its content out (`marked_words` helps)."""
    quoted = [
        (mark, pattern)
        for mark in _in_force(marks, audience, None)
        if (pattern := _pattern(mark.quote or "")) is not None
    ]
    out = []
    for text in texts:
        spans = _spans(text or "", quoted) if quoted else []
        out.append(_replace(text, spans) if spans else text)
    return out


def marked_words(texts: list[str], marks) -> list[str]:
    """The marked words found in the texts, each once, as the marks give them."""
    joined = "\n\n".join(text or "" for text in texts)
    found: dict[str, str] = {}
    for mark in marks:
        quote = clean_quote(mark.quote)
        if quote and _name_key(quote) not in found and find_quote(joined, quote) is not None:
            found[_name_key(quote)] = quote
    return list(found.values())


def unmatched_marks(data: dict, marks) -> list:
    """The marks whose words are not found in `data`: each withholds its whole place, and asks to
    be marked again."""
    return _apply(data, marks, "agency", None)[1]


def marks_of(review: Review | int) -> list[Redaction]:
    """The marks in force on a review (not removed), in the order they were made."""
    review_id = getattr(review, "pk", review)
    return list(Redaction.objects.filter(review_id=review_id, removed_at__isnull=True))


def marks_by_review(review_ids: Iterable[int]) -> dict[int, list[Redaction]]:
    """The marks in force of many reviews, in one query: {review id: [marks]}."""
    out: dict[int, list[Redaction]] = {pk: [] for pk in review_ids}
    for mark in Redaction.objects.filter(review_id__in=list(out), removed_at__isnull=True):
        out[mark.review_id].append(mark)
    return out


# --- Who may do what ---------------------------------------------------------------------------


def refusal_to_mark(user, case: Case) -> str | None:
    """Why `user` may not mark or share this review's redactions, or None: its allocated reviewer
    and the SFO review managers and senior managers of its reviewing or managing provider, once a
    reviewer has been allocated."""
    if case.state in BEFORE_ALLOCATION or case.reviewer_id is None:
        return "Redactions are marked once a reviewer has been allocated to the case."
    if case.reviewer_id == user.pk:
        return None
    if user.roles & MARKERS and user.organisation_id in {
        case.managing_provider_id,
        case.reviewing_provider_id,
    }:
        return None
    return (
        "Only the reviewer allocated to this case and the SFO review managers and senior "
        "managers of its providers mark what is withheld."
    )


def ensure_may_mark(user, case: Case, what: str = "mark:redaction") -> None:
    reason = refusal_to_mark(user, case)
    if reason:
        record_access(user, case, action=what, allowed=False)
        raise PermissionDenied(reason)


def involved_staff(case: Case) -> dict[int, str]:
    """{user id: "officer" or "line manager"}: every officer who managed the case (any period)
    and everyone in their line management chains, at any depth."""
    involved: dict[int, str] = {}
    periods = case.officer_periods.select_related("officer__line_manager")
    for period in periods:
        involved[period.officer_id] = "officer"
    for period in periods:
        for manager in period.officer.line_management_chain():
            involved.setdefault(manager.pk, "line manager")
    return involved


def is_involved(user, case: Case) -> bool:
    return getattr(user, "pk", None) in involved_staff(case)


def may_read_copy(user, case: Case) -> bool:
    """The officers who managed the case and their line managers; the case's SFO staff (its
    providers' reviewers, review managers and senior managers); the central QA team."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.roles & CENTRAL_QA_ROLES:
        return True
    if user.roles & PROVIDER_READERS and visible_cases(user).filter(pk=case.pk).exists():
        return True
    return is_involved(user, case)


# --- Marking -----------------------------------------------------------------------------------


def live_snapshot(case: Case) -> dict:
    """The review as it is now: the text marks are made on (ADR 0012)."""
    from reviews.authoring import review_of, snapshot

    return snapshot(review_of(case))


def staff_choices(case: Case):
    """Who a mark of "a named member of staff" may name: the active staff of the case's managing
    and reviewing providers."""
    from sfo.people.models import User

    providers = {case.managing_provider_id, case.reviewing_provider_id} - {None}
    return User.objects.filter(organisation_id__in=providers, is_active=True).order_by(
        "last_name", "first_name", "username"
    )


STAFF_NAME_ONLY = (
    "For a named member of staff, copy only their name (first name, last name or full name) as "
    "the text to withhold"
)


def mark_redaction(
    case: Case,
    *,
    by,
    place: str,
    quote: str,
    category: str,
    reason: str,
    staff_member=None,
) -> Redaction:
    """Withhold a place of the review, or the quoted words (wherever they occur in the review),
    from the copies shared. The words must be found in the place's text as it is now. A named
    member of staff is withheld by their name alone (first, last or full name), so that their own
    copy shows them their name and nothing else of what is withheld."""
    ensure_may_mark(by, case)
    errors = {}
    quote = clean_quote(quote)
    if category not in RedactionCategory.values:
        errors["category"] = "Choose what kind of information this is."
    if not (reason or "").strip():
        errors["reason"] = "Say why this is withheld."
    if category == RedactionCategory.STAFF:
        if staff_member is None:
            errors["staff_member"] = "Choose the member of staff named."
        elif not staff_choices(case).filter(pk=staff_member.pk).exists():
            errors["staff_member"] = "Choose a member of staff of the case's providers."
        elif not is_name_of(quote, staff_member):  # a blank quote is nobody's name
            errors["quote"] = STAFF_NAME_ONLY
    else:
        staff_member = None
    text = text_at(live_snapshot(case), place)
    offset = None
    if text is None:
        errors["place"] = "Choose a part of the review."
    elif not text.strip():
        errors["place"] = "That part of the review has no text to withhold."
    elif quote and "quote" not in errors:
        offset = find_quote(text, quote)
        if offset is None:
            errors["quote"] = (
                "The text to withhold was not found in that part of the review: copy it exactly "
                "as it is written there."
            )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        review = Review.objects.select_for_update().get(case=case)
        return Redaction.objects.create(
            review=review,
            place=place,
            quote=quote,
            offset=offset if quote else None,
            category=category,
            staff_member=staff_member,
            reason=reason.strip(),
            marked_by=by,
        )


def remove_redaction(case: Case, mark_id: int, *, by) -> Redaction:
    """Stop withholding a mark from copies shared from now on. The mark stays, with who removed
    it and when: copies shared before keep it."""
    ensure_may_mark(by, case, "remove:redaction")
    with transaction.atomic():
        mark = (
            Redaction.objects.select_for_update()
            .filter(pk=mark_id, review__case=case, removed_at__isnull=True)
            .first()
        )
        if mark is None:
            raise ValidationError("That mark has already been removed.")
        mark.removed_at, mark.removed_by = timezone.now(), by
        mark.save(update_fields=["removed_at", "removed_by"])
        return mark


# --- Sharing the copy --------------------------------------------------------------------------


def version_to_share(case: Case) -> ReviewVersion | None:
    """The latest version submitted to the central team: the review as the provider signed it
    off, and after central QA the version QA completed."""
    return (
        ReviewVersion.objects.filter(review__case=case, purpose=VersionPurpose.CENTRAL)
        .order_by("-number")
        .first()
    )


def share_copy(case: Case, *, by) -> RedactedCopy:
    """Share the latest version submitted to the central team, redacted, with the staff involved.
    The copy stores the version redacted for every reader and the marks it was made with; a
    version is shared once (a later version is shared as a new copy)."""
    ensure_may_mark(by, case, "share:redacted_copy")
    with transaction.atomic():
        review = Review.objects.select_for_update().get(case=case)
        version = version_to_share(case)
        if version is None:
            raise ValidationError(
                "The copy is shared from a version submitted to the central team: the review "
                "has not been submitted yet."
            )
        if RedactedCopy.objects.filter(review=review, version=version).exists():
            raise ValidationError(
                f"Version {version.number} has already been shared. A later version can be "
                "shared once it is submitted."
            )
        marks = marks_of(review)
        redacted, unmatched = _apply(version.snapshot, marks, "staff", None)
        return RedactedCopy.objects.create(
            review=review,
            version=version,
            snapshot=redacted,
            mark_ids=[mark.pk for mark in marks],
            unmatched=len(unmatched),
            shared_by=by,
        )


def copy_data(copy: RedactedCopy, reader=None) -> dict:
    """The copy as `reader` reads it: the stored, redacted snapshot; for a member of staff named
    in a mark of the copy, the version redacted again from the same marks without that one, so
    that they read their own name."""
    reader_id = getattr(reader, "pk", None)
    if reader_id is None:
        return copy.snapshot
    marks = list(Redaction.objects.filter(pk__in=copy.mark_ids))
    if not any(
        m.category == RedactionCategory.STAFF and m.staff_member_id == reader_id for m in marks
    ):
        return copy.snapshot
    return redact(copy.version.snapshot, marks, audience="staff", reader=reader)


def copies_shared_with(user):
    """The copies a member of staff reads as one of the staff involved: of the cases they, or
    anyone in their line management at any depth, managed. Newest first."""
    from sfo.people.models import User

    people, frontier = {user.pk}, {user.pk}
    while frontier:
        frontier = (
            set(User.objects.filter(line_manager_id__in=frontier).values_list("pk", flat=True))
            - people
        )
        people |= frontier
    managed = Case.objects.filter(officer_periods__officer_id__in=people).values("pk")
    # A list of links: the copies' and versions' snapshots (tens of kilobytes each) stay unread.
    return (
        RedactedCopy.objects.filter(review__case__in=managed)
        .select_related("review__case", "version")
        .defer("snapshot", "version__snapshot")
        .order_by("-shared_at", "-pk")
    )


def copies_of(case: Case):
    return (
        RedactedCopy.objects.filter(review__case=case)
        .select_related("version", "shared_by")
        .order_by("-shared_at", "-pk")
    )


# --- Staff responses -------------------------------------------------------------------------


def respond_to_finding(copy: RedactedCopy, *, by, finding_id: int, stance: str, text: str):
    """Record what a member of staff involved says to a finding of the copy: agree, disagree (with
    reasons) or add context (such as their caseload then). A later response of theirs to the same
    finding replaces this one, which is kept, marked replaced. The reviewer is alerted."""
    case = copy.review.case
    if not is_involved(by, case):
        record_access(by, copy, action="respond", allowed=False)
        raise PermissionDenied(
            "Responses are recorded by the officers who managed the case and their line managers."
        )
    errors = {}
    if stance not in Stance.values:
        errors["stance"] = "Choose whether you agree, disagree or want to add context."
    text = (text or "").strip()
    if stance == Stance.DISAGREE and not text:
        errors["text"] = "Say why you disagree with this finding."
    elif stance == Stance.CONTEXT and not text:
        errors["text"] = "Give the context you want to add."
    number = next(
        (n for n, f in enumerate(copy.snapshot["findings"], 1) if f["id"] == finding_id), None
    )
    if number is None:
        errors["stance"] = "There is no such finding in this copy."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # One person's two submissions at once (a double click, two tabs): the second waits for
        # the first and replaces it, rather than meeting the one-current-response constraint.
        RedactedCopy.objects.select_for_update().filter(pk=copy.pk).values_list("pk").get()
        now = timezone.now()
        FindingResponse.objects.filter(
            copy=copy, finding_id=finding_id, by=by, replaced_at__isnull=True
        ).update(replaced_at=now)
        response = FindingResponse.objects.create(
            copy=copy, finding_id=finding_id, by=by, stance=stance, text=text
        )
        if case.reviewer_id and case.reviewer_id != by.pk:
            from sfo.alerts.services import send_alert

            send_alert(
                recipients=[case.reviewer],
                case=case,
                kind=STAFF_RESPONSE_ALERT,
                message=f"A member of staff involved in {case} responded to finding {number} of "
                f"the redacted copy of version {copy.version.number} of the review.",
            )
    return response


# The alert kind of a response (a kind of `sfo.alerts`, which reviews may import).
STAFF_RESPONSE_ALERT = AlertKind.STAFF_RESPONSE


def responses_of(copy: RedactedCopy, *, current_only: bool = False, by=None):
    responses = FindingResponse.objects.filter(copy=copy).select_related("by")
    if current_only:
        responses = responses.filter(replaced_at__isnull=True)
    if by is not None:
        responses = responses.filter(by=by)
    return responses.order_by("finding_id", "-at", "-pk")


def responses_by_finding(copy: RedactedCopy, **filters) -> dict[int, list[FindingResponse]]:
    out: dict[int, list[FindingResponse]] = {}
    for response in responses_of(copy, **filters):
        out.setdefault(response.finding_id, []).append(response)
    return out


def finding_of(copy: RedactedCopy, finding_id: int, reader=None) -> tuple[int, dict] | None:
    """(number, finding) of the copy, as `reader` reads it."""
    for number, finding in enumerate(copy_data(copy, reader)["findings"], start=1):
        if finding["id"] == finding_id:
            return number, finding
    return None
