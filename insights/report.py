"""The annual report of SFO reviews (recommendation 13): for a calendar year, the national
figures and every provider's side by side, the main themes and their trend over the years before,
and the good practice marked for national dissemination. A document job
(`DocumentKind.ANNUAL_REPORT`, no case, params {"year": ...}) made by a worker, its progress shown
on the job's page; `register` plugs it into the queue from `InsightsConfig.ready`.

What may carry personal data, and what is done about it (docs/adr/0014): the figures are counts
and shares, with no reference, name or date of a case. The good practice is printed by its title
and analysis only, without its case, provider or reviewer, and from the review as it was last
submitted to the central team (its latest `VersionPurpose.CENTRAL` version), never from the live
rows: only the findings marked for national dissemination in that version, redacted with the
review's marks as for another agency (`reviews.redaction.redact`, audience "agency": every mark
withheld). Both texts are free text written by a reviewer, so then any name of the case's people
the service knows (the person on probation, the victims and family, the officers who managed the
case, its reviewer) is replaced by "[name removed]". The central team, which marks a finding for
national dissemination, remains responsible for writing it without other identifying detail."""

import re
from collections import defaultdict
from collections.abc import Callable
from datetime import date

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from insights import figures, tables
from reviews.models import Case, Dissemination, ResponsibleOfficerPeriod
from reviews.redaction import marks_by_review, redact
from sfo.access import ANNUAL_REPORT_READERS
from sfo.documents.models import DocumentKind
from sfo.documents.services import queue_document, register_kind
from sfo.pdf import lay_out
from victims.models import Victim

TEMPLATE = "insights/pdf/annual_report.html"
MAIN_THEMES = 5
REMOVED = "[name removed]"


def may_see(user, job) -> bool:
    return ANNUAL_REPORT_READERS.allows(user)


def request_annual_report(*, year: int, by):
    """Queue the report of a year, for the central team, analysts and chief officers."""
    return queue_document(kind=DocumentKind.ANNUAL_REPORT, by=by, case=None, params={"year": year})


# --- Good practice, without names ---------------------------------------------------------------


def _names_by_case(case_ids: list[int]) -> dict[int, set[str]]:
    """The names the service knows of each case's people. Three queries."""
    names: dict[int, set[str]] = defaultdict(set)
    for pk, person, first, last in Case.objects.filter(pk__in=case_ids).values_list(
        "pk", "person_name", "reviewer__first_name", "reviewer__last_name"
    ):
        names[pk] |= {person, first or "", last or ""}
    for case_id, full_name in Victim.objects.filter(case_id__in=case_ids).values_list(
        "case_id", "full_name"
    ):
        names[case_id].add(full_name)
    for case_id, first, last in ResponsibleOfficerPeriod.objects.filter(
        case_id__in=case_ids
    ).values_list("case_id", "officer__first_name", "officer__last_name"):
        names[case_id] |= {first, last}
    return names


def scrub(text: str, names: set[str]) -> str:
    """The text with each known name, whole or any part of three letters or more, removed."""
    words = {part for name in names for part in re.split(r"[\s,]+", name or "") if len(part) >= 3}
    words |= {name for name in names if name and " " in name.strip()}
    for word in sorted(words, key=len, reverse=True):
        text = re.sub(rf"\b{re.escape(word)}\b", REMOVED, text, flags=re.IGNORECASE)
    return text


def good_practice(year: int) -> list[dict]:
    """Title and analysis of each finding marked for national dissemination in the latest version
    submitted to the central team of each review first submitted in the year: the version
    redacted as for another agency (every mark withheld), then the names removed. Five queries."""
    versions = figures.versions_submitted_in(date(year, 1, 1), date(year, 12, 31))
    marks = marks_by_review([version.review_id for version in versions])
    names = _names_by_case(list({version.case_pk for version in versions}))
    out = []
    for version in versions:
        data = redact(version.snapshot, marks[version.review_id], audience="agency")
        known = names[version.case_pk]
        out += [
            {"title": scrub(f["title"], known), "analysis": scrub(f["analysis"], known)}
            for f in data["findings"]
            if f.get("dissemination") == Dissemination.NATIONAL
        ]
    return out


# --- The report ---------------------------------------------------------------------------------


def main_themes(picture: figures.Picture) -> list[dict]:
    """The most frequent themes of the year, each with its share in every year of the trend."""
    counts = picture.of(picture.theme_counts, None)
    submitted = picture.of(picture.submitted, None)
    year = picture.trend_years[-1]
    ranked = sorted(picture.themes, key=lambda t: (-counts.get((t.pk, year), 0), t.position))
    out = []
    for theme in ranked[:MAIN_THEMES]:
        shares = [
            (y, figures.Rate(counts.get((theme.pk, y), 0), submitted.get(y, 0)))
            for y in picture.trend_years
        ]
        now, before = shares[-1][1].percent, shares[-2][1].percent if len(shares) > 1 else None
        change = None if now is None or before is None else now - before
        out.append({"theme": theme.name, "shares": shares, "now": now, "change": change})
    return [row for row in out if row["now"]]


def report_context(year: int, requested_by, progress: Callable[[int], None]) -> dict:
    start, end = date(year, 1, 1), date(year, 12, 31)
    today = timezone.localdate()
    picture = figures.picture(start=start, end=end, today=today)
    progress(20)
    scopes = tables.scopes_for(picture, None)
    context = {
        "title": f"SFO reviews: annual report {year}",
        "year": year,
        "start": start,
        "end": end,
        "picture": picture,
        "tables": [
            tables.notifications(picture, scopes),
            tables.highest_rosh(picture, scopes),
            tables.highest_rosh_murder(picture, scopes),
            tables.rosh(picture, scopes),
            tables.supervision(picture, scopes),
            tables.outcomes(picture, scopes),
            tables.clocks(picture, scopes),
            tables.ratings(picture, scopes, "review"),
            tables.ratings(picture, scopes, "action_plan"),
            tables.feedback_turnaround(picture, scopes),
            tables.standards(picture, scopes),
            tables.take_up_table(picture, scopes),
            tables.themes(picture, scopes),
            tables.theme_trend(picture, scopes[0]),
        ],
        "benchmarking": tables.benchmarking_tables(picture, own=None, suppress=False),
        "main_themes": main_themes(picture),
        "good_practice": good_practice(year),
        "protective_marking": settings.PROTECTIVE_MARKING,
        "generated_at": timezone.now(),
        "requested_by": requested_by,
    }
    progress(40)
    return context


def render(job, progress: Callable[[int], None]) -> tuple[str, bytes]:
    year = int(job.params["year"])
    context = report_context(year, job.requested_by, progress)
    html_text = render_to_string(TEMPLATE, context)
    progress(55)
    document = lay_out(html_text)
    progress(80)
    return f"sfo-annual-report-{year}.pdf", document.write_pdf()


def register() -> None:
    register_kind(DocumentKind.ANNUAL_REPORT, renderer=render, may_see=may_see)
