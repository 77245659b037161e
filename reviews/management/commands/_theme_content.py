"""The themes of the synthetic national dataset (recommendation 12): the findings and actions of
the synthetic reviews tagged with the national taxonomy (`reviews.Theme`), in bulk, so that the
national picture and the annual report have themes to count and trends to show.

How a finding's themes are chosen, and the assumptions behind them:

- **What the text is about.** `_review_content` writes each finding from a theme of the phrase
  banks (`_review_phrases.THEMES`); its title is recognised here from the bank's title templates,
  and the finding is tagged with the matching taxonomy theme (`PHRASE_THEMES`). Good practice is
  tagged from its title (`GOOD_PRACTICE_THEMES`). So a tag says what the finding says, and the few
  dominant themes are those the banks favour (self-disclosure, oversight, assessment, recording).
- **A second theme, with a trend.** Some findings carry a second theme whose share moves across
  the years of the dataset (`SECOND_THEMES`): workload and professional curiosity rise (from 8%
  to 25% and from 8% to 30% of the eligible findings), recall falls (25% to 10%). The shares move
  linearly from the first year of the dataset to the last.
- **Untagged.** 8% of the findings that are not good practice are left untagged, as a reviewer
  would leave some.
- **Actions** carry the themes of the finding they answer; an action that answers no finding is
  tagged from its text where the banks recognise it, else left untagged.
- **Dissemination.** `_review_content` already marks good practice for local (70%) or national
  (10%) dissemination. Where a dataset has no good practice marked at all, the same shares are
  drawn here.

Python's `random.Random(seed)` is the only source of randomness, and the rows are visited in a
stable order (the case's CRN, the finding's position), so the same dataset and seed give the same
tags. The writes are bulk inserts into the two tag tables and two bulk updates."""

import random
import re
from collections import Counter

import pgtrigger
from django.db import connection

from reviews.management.commands import _review_phrases as phrases
from reviews.models import Dissemination, Finding, FindingKind, ReviewAction, Theme

PHRASE_THEMES = {
    "self_disclosure": "self-disclosure",
    "address_checks": "address-checks",
    "enforcement": "enforcement",
    "domestic_abuse": "domestic-abuse-safety-planning",
    "oversight": "management-oversight",
    "recording": "recording-quality",
    "mappa": "mappa-adherence",
    "significant_events": "review-after-significant-events",
    "assessment": "assessment-and-planning",
    "information_sharing": "information-sharing",
    "accommodation": "homelessness",
    "mental_health": "mental-health",
    "substance_misuse": "interventions",
    "workload": "workload",
    "transition": "youth-to-adult-transition",
}
GOOD_PRACTICE_THEMES = {
    "Management oversight at the point of release": ["management-oversight"],
    "Information sharing with the police to assess risk": ["information-sharing"],
    "Prison visits built into sentence planning": ["assessment-and-planning"],
    "Persistence in engaging a challenging individual": ["mental-health", "homelessness"],
    "Effective release planning": ["assessment-and-planning"],
    "Swift recall when the risk escalated": ["recall", "enforcement"],
}
# slug -> (share in the first year, share in the last, the kinds of finding it may join)
SECOND_THEMES = {
    "workload": (0.08, 0.25, {FindingKind.SYSTEMIC_FACTOR, FindingKind.PRACTICE_FAILING}),
    "professional-curiosity": (
        0.08,
        0.30,
        {FindingKind.MISSED_OPPORTUNITY, FindingKind.PRACTICE_FAILING},
    ),
    "recall": (0.25, 0.10, {FindingKind.PRACTICE_FAILING, FindingKind.MISSED_OPPORTUNITY}),
}
UNTAGGED_SHARE = 0.08
DISSEMINATION = {Dissemination.LOCAL: 70, Dissemination.NATIONAL: 10, Dissemination.NONE: 20}


def _pattern(template: str) -> re.Pattern:
    """A template of the phrase banks as a regular expression: each {placeholder} any text."""
    parts = re.split(r"\{[A-Za-z_]+\}", template)
    return re.compile("^" + ".+?".join(re.escape(p) for p in parts) + "$", re.DOTALL)


def _patterns(texts_by_key) -> list[tuple[re.Pattern, str]]:
    return [(_pattern(text), key) for key, texts in texts_by_key for text in texts]


FINDING_PATTERNS = _patterns(
    (key, theme.findings.values()) for key, theme in phrases.THEMES.items()
)
ACTION_PATTERNS = _patterns(
    (key, [t for texts in theme.actions.values() for t in texts])
    for key, theme in phrases.THEMES.items()
)


def _recognise(text: str, patterns) -> str | None:
    for pattern, key in patterns:
        if pattern.match(text):
            return PHRASE_THEMES.get(key)
    return None


class ThemeContent:
    """Tags the findings and actions of the given synthetic cases. `write` returns the rows
    written, per table, like the other content writers of the dataset."""

    def __init__(self, *, seed: int):
        self.rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
        self.counts: Counter = Counter()

    def write(self, cases, batch: int = 1000) -> Counter:
        """`cases`: the plans of `generate_national_dataset` or the cases' ids."""
        case_ids = [getattr(getattr(c, "case", None), "pk", c) for c in cases]
        themes = dict(Theme.objects.values_list("slug", "pk"))
        findings = list(
            Finding.objects.filter(review__case_id__in=case_ids)
            .order_by("review__case__crn", "position", "pk")
            .values_list("pk", "title", "kind", "dissemination", "review__case__first_hearing_date")
        )
        years = sorted({row[4].year for row in findings if row[4]}) or [0]
        first, last = years[0], years[-1]
        tags: dict[int, list[str]] = {}
        for pk, title, kind, _dissemination, hearing in findings:
            year = hearing.year if hearing else first
            tags[pk] = self.finding_themes(title, kind, year, first, last)
        Through = Finding.themes.through
        rows = [
            Through(finding_id=pk, theme_id=themes[slug])
            for pk, slugs in tags.items()
            for slug in slugs
            if slug in themes
        ]
        Through.objects.bulk_create(rows, batch_size=batch, ignore_conflicts=True)
        self.counts["finding themes"] += len(rows)
        self.counts["findings for national dissemination"] += self.disseminate(findings)

        ActionThrough = ReviewAction.themes.through
        action_rows = []
        for pk, description, finding_id in (
            ReviewAction.objects.filter(review__case_id__in=case_ids)
            .order_by("review__case__crn", "pk")
            .values_list("pk", "description", "finding_id")
        ):
            if finding_id is not None:
                slugs = tags.get(finding_id, [])
            else:
                recognised = _recognise(description, ACTION_PATTERNS)
                slugs = [recognised] if recognised else []
            action_rows += [
                ActionThrough(reviewaction_id=pk, theme_id=themes[s]) for s in slugs if s in themes
            ]
        ActionThrough.objects.bulk_create(action_rows, batch_size=batch, ignore_conflicts=True)
        self.counts["action themes"] += len(action_rows)
        self.counts["versions given their themes"] += self.into_frozen_versions(case_ids)
        return self.counts

    def into_frozen_versions(self, case_ids) -> int:
        """The dataset froze its versions before the findings and actions were tagged: give each
        frozen finding and action the themes its row now has (in the taxonomy's order, as
        `reviews.authoring.snapshot` does), as if they had been tagged when it was written, so
        that a version still reads exactly as the review it froze. One statement in the
        database, as the snapshots are large; versions are otherwise immutable, and only the
        dataset may rewrite its own."""
        tagged = """
            coalesce((
                SELECT jsonb_agg(t.slug ORDER BY t.position, t.name)
                FROM {through} tag JOIN reviews_theme t ON t.id = tag.theme_id
                WHERE tag.{own} = (item->>'id')::int
            ), '[]'::jsonb)
        """
        rows = """
            coalesce((
                SELECT jsonb_agg(item || jsonb_build_object('themes', {tagged}) ORDER BY n)
                FROM jsonb_array_elements(v.snapshot->'{key}') WITH ORDINALITY AS x(item, n)
            ), '[]'::jsonb)
        """
        findings = rows.format(
            key="findings",
            tagged=tagged.format(through="reviews_finding_themes", own="finding_id"),
        )
        actions = rows.format(
            key="actions",
            tagged=tagged.format(through="reviews_reviewaction_themes", own="reviewaction_id"),
        )
        sql = f"""
            UPDATE reviews_reviewversion v
            SET snapshot = jsonb_set(
                jsonb_set(v.snapshot, '{{findings}}', {findings}), '{{actions}}', {actions}
            )
            FROM reviews_review r
            WHERE r.id = v.review_id AND r.case_id = ANY(%s)
        """  # noqa: S608 - the only interpolations are the fixed SQL fragments above
        immutable = "reviews.ReviewVersion:review_version_immutable"
        with pgtrigger.ignore(immutable), connection.cursor() as cursor:
            cursor.execute(sql, [list(case_ids)])
            return cursor.rowcount

    def finding_themes(self, title: str, kind: str, year: int, first: int, last: int) -> list[str]:
        rng = self.rng
        # Draw every number for every finding, so that one finding's tags never shift another's.
        untagged, seconds = rng.random(), {slug: rng.random() for slug in SECOND_THEMES}
        if kind == FindingKind.GOOD_PRACTICE:
            return list(GOOD_PRACTICE_THEMES.get(title, []))
        if untagged < UNTAGGED_SHARE:
            return []
        slugs = []
        primary = _recognise(title, FINDING_PATTERNS)
        if primary:
            slugs.append(primary)
        progress = (year - first) / (last - first) if last > first else 0.0
        for slug, (start, end, kinds) in SECOND_THEMES.items():
            share = start + (end - start) * progress
            if kind in kinds and slug not in slugs and seconds[slug] < share:
                slugs.append(slug)
        return slugs

    def disseminate(self, findings: list[tuple]) -> int:
        """Mark good practice for dissemination where the dataset marked none; the count of
        good-practice findings for national dissemination either way."""
        good = [row for row in findings if row[2] == FindingKind.GOOD_PRACTICE]
        if any(row[3] for row in good):
            return sum(row[3] == Dissemination.NATIONAL for row in good)
        chosen: dict[str, list[int]] = {value: [] for value in DISSEMINATION}
        for row in good:
            value = self.rng.choices(list(DISSEMINATION), weights=list(DISSEMINATION.values()))[0]
            chosen[value].append(row[0])
        for value in (Dissemination.LOCAL, Dissemination.NATIONAL):
            Finding.objects.filter(pk__in=chosen[value]).update(dissemination=value)
        return len(chosen[Dissemination.NATIONAL])

    def summary(self) -> list[str]:
        return [f"{n} {what}" for what, n in sorted(self.counts.items())]
