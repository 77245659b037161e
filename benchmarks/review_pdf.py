"""The review as a PDF: the whole renderer (the review's data, the print template and WeasyPrint)
against WeasyPrint alone making the same HTML, for a review with a 600-entry chronology and a
narrative of about 30 pages (issue 5: at most 1.3 times WeasyPrint alone).

Needs the demo data (loaded when missing). The review is written through the reviewer's own
services on a case made for the run, inside a transaction that is rolled back at the end: nothing
is left in the database. Prints the medians of RUNS runs of each (3 unless told), run in turn so
that a slower stretch of the machine touches both, and where the renderer's own time goes.

Run with the project's settings and your own database, e.g.
DJANGO_SETTINGS_MODULE=sfo.settings.test DATABASE_URL=… .venv/bin/python benchmarks/review_pdf.py
or `.venv/bin/python -m sfo.launcher bench benchmarks/review_pdf.py`."""

import logging
import os
import random
import statistics
import subprocess
import tempfile
import time
from datetime import timedelta

import _measure  # noqa: F401 - sets Django up
from django.core.management import call_command
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML

from offences.models import Offence
from reviews import authoring, services
from reviews.journeys import advance
from reviews.models import (
    STRUCTURED_SECTIONS,
    ActionLevel,
    ChronologySource,
    FindingKind,
    Judgement,
    ResponsibleOfficerPeriod,
    SectionKey,
)
from reviews.workflow import CaseState
from sfo.documents.models import DocumentJob
from sfo.documents.renderers import REVIEW_TEMPLATE, render_review
from sfo.documents.review_pdf import review_print_context
from sfo.pdf import BASE_URL, StaticFilesOnly
from sfo.people.demo import username
from sfo.people.models import User
from sfo.people.roles import Role

RUNS = int(os.environ.get("PDF_RUNS", "3"))
ENTRIES = int(os.environ.get("ENTRIES", "600"))
WORDS = int(os.environ.get("WORDS", "16500"))
TARGET = 1.3
PROVIDER, CENTRAL = "nps-london", "hmpps-sfo"

WORDS_USED = (
    "the responsible officer assessed risk of serious harm to the new partner and did not verify "
    "address information shared by police children's services at the MAPPA meeting so the plan "
    "relied on self-disclosure while workload pressures hostel move-on policy and recall "
    "thresholds meant that management oversight of the case was limited and the review of the "
    "sentence plan after significant events did not take place as required"
)
VOCABULARY = WORDS_USED.split()


class Rolled(Exception):
    """Raised to roll the run's writes back."""


def prose(rng: random.Random, words: int) -> str:
    """Paragraphs of about 120 words of plausible text, separated by blank lines."""
    paragraphs, left = [], words
    while left > 0:
        size = min(left, rng.randint(90, 150))
        sentences, taken = [], 0
        while taken < size:
            length = min(size - taken, rng.randint(12, 26))
            sentence = " ".join(rng.choice(VOCABULARY) for _ in range(length))
            sentences.append(sentence[0].upper() + sentence[1:] + ".")
            taken += length
        paragraphs.append(" ".join(sentences))
        left -= size
    return "\n\n".join(paragraphs)


def people() -> dict:
    if not User.objects.filter(username=username(Role.SFO_REVIEWER, PROVIDER)).exists():
        print("Loading the demo data…")
        call_command("load_demo_data", no_logins=True)
    found = {
        role: User.objects.get(username=username(role, PROVIDER))
        for role in (Role.SFO_REVIEWER, Role.SFO_REVIEW_MANAGER, Role.SENIOR_MANAGER)
    }
    found |= {
        role: User.objects.get(username=username(role, CENTRAL))
        for role in (Role.CENTRAL_QA_REVIEWER, Role.CENTRAL_QA_MANAGER)
    }
    return found


def write_review(actors: dict):
    """A case in review, its review written as its reviewer would: every narrative section,
    the judgement, 12 findings, the chronology and 20 actions."""
    rng = random.Random(2020)
    reviewer, today = actors[Role.SFO_REVIEWER], timezone.localdate()
    murder = Offence.objects.get(title="Murder")
    case = services.identify_case(
        by=reviewer,
        crn="B999999",
        person_name="Benchmark Person",
        offence=murder,
        first_hearing_date=today - timedelta(days=21),
    )
    officer = User.objects.get(username=username(Role.RESPONSIBLE_OFFICER, PROVIDER))
    ResponsibleOfficerPeriod.objects.create(
        case=case, officer=officer, started_on=today - timedelta(days=900)
    )
    case = advance(case, CaseState.REVIEW_IN_PROGRESS, actors, offence=murder)
    authoring.set_review_period(case, by=reviewer, start=today - timedelta(days=700))

    narrative = [key for key in SectionKey if key not in STRUCTURED_SECTIONS]
    per_section = WORDS // len(narrative)
    for key in narrative:
        if key == SectionKey.CONCLUSION:
            authoring.save_conclusion(
                case,
                by=reviewer,
                text=prose(rng, per_section),
                status="completed",
                judgement=Judgement.NO,
                reasons=prose(rng, 150),
                expected_version=None,
            )
        else:
            authoring.save_section(
                case,
                key,
                by=reviewer,
                text=prose(rng, per_section),
                status="completed",
                expected_version=None,
            )
    findings = [
        authoring.add_finding(
            case,
            by=reviewer,
            facts=authoring.FindingFacts(
                title=f"Finding about {' '.join(rng.sample(VOCABULARY, 5))}",
                analysis=prose(rng, 180),
                kind=rng.choice(FindingKind.values),
            ),
        )
        for _ in range(12)
    ]
    sources = ChronologySource.values
    entries = [
        authoring.EntryFacts(
            occurred_on=today - timedelta(days=1200 - n * 1190 // ENTRIES),
            source=rng.choice(sources),
            event=prose(rng, rng.randint(15, 60)).replace("\n\n", " "),
            significant=rng.random() < 0.1,
            emerging_issue=prose(rng, rng.randint(0, 20)) if rng.random() < 0.5 else "",
            finding_id=rng.choice(findings).pk if rng.random() < 0.2 else None,
        )
        for n in range(ENTRIES)
    ]
    authoring.add_entries(case, by=reviewer, entries=entries)
    for n in range(20):
        level = rng.choice(ActionLevel.values)
        authoring.add_action(
            case,
            by=reviewer,
            facts=authoring.ActionFacts(
                description=prose(rng, rng.randint(15, 40)).replace("\n\n", " "),
                level=level,
                agency="Metropolitan Police Service" if level == ActionLevel.EXTERNAL else "",
                owner="Head of public protection",
                due_on=today + timedelta(days=30 + n),
                finding_id=findings[n % len(findings)].pk,
            ),
        )
    return case, reviewer


def timed(function) -> tuple[float, float, object]:
    """Wall-clock and CPU seconds of one call, and its result. The CPU time of this process is
    the steadier figure on a machine other work shares: it leaves out the waits for the CPU."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = function()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def pages_and_words(content: bytes) -> tuple[int, int]:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
        pdf.write(content)
        pdf.flush()
        info = subprocess.run(["pdfinfo", pdf.name], capture_output=True, text=True).stdout
        text = subprocess.run(["pdftotext", pdf.name, "-"], capture_output=True, text=True).stdout
    pages = next(int(line.split()[-1]) for line in info.splitlines() if line.startswith("Pages:"))
    return pages, len(text.split())


def run() -> dict:
    """Writes the review, measures it, rolls it back; returns the figures `national.py` reports."""
    # WeasyPrint logs every page it lays out at INFO: quiet for both measurements alike.
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    actors = people()
    try:
        with transaction.atomic():
            started = time.perf_counter()
            case, reviewer = write_review(actors)
            print(f"Wrote the review in {time.perf_counter() - started:.1f} s (rolled back after)")
            figures = measure(case, reviewer)
            raise Rolled
    except Rolled:
        pass
    return figures


def main() -> None:
    run()


def measure(case, reviewer) -> dict:
    job = DocumentJob(kind="review", case=case, requested_by=reviewer)
    context = review_print_context(case, reviewer)
    html = render_to_string(REVIEW_TEMPLATE, context)

    def weasyprint_alone() -> bytes:
        return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesOnly()).write_pdf()

    def renderer() -> bytes:
        return render_review(job, lambda percent: None)[1]

    content = renderer()  # warm: fonts, the template cache, the stylesheets
    weasyprint_alone()
    runs = {"renderer": [], "alone": []}
    for n in range(RUNS):
        # In turn, each first every other time, so that a slower stretch touches both alike.
        order = [("renderer", renderer), ("alone", weasyprint_alone)]
        for name, function in order if n % 2 == 0 else reversed(order):
            wall, cpu, _ = timed(function)
            runs[name].append((wall, cpu))
    data = [timed(lambda: review_print_context(case, reviewer))[0] for _ in range(5)]
    template = [timed(lambda: render_to_string(REVIEW_TEMPLATE, context))[0] for _ in range(5)]

    pages, words = pages_and_words(content)
    print(
        f"Review: {len(context['chronology'])} chronology entries, {len(context['findings'])} "
        f"findings, {len(context['actions'])} actions; the PDF has {pages} pages, "
        f"{words:,} words, {len(content) / 1e6:.1f} MB; HTML {len(html) / 1e6:.2f} MB"
    )
    medians = {
        name: [statistics.median(t[i] for t in times) for i in (0, 1)]
        for name, times in runs.items()
    }
    for label, i in (("wall clock", 0), ("CPU time", 1)):
        full_s, alone_s = medians["renderer"][i], medians["alone"][i]
        ratio = full_s / alone_s
        print(
            f"{label:<10}  renderer (data + template + WeasyPrint) {full_s:6.2f} s, "
            f"WeasyPrint alone on the same HTML {alone_s:6.2f} s (medians of {RUNS}): "
            f"{ratio:.3f}x, target at most {TARGET}x: {'met' if ratio <= TARGET else 'MISSED'}"
        )
    # The renderer's own work, timed apart: on a busy machine the two medians above can differ
    # by more than it, either way, so this is the steadier measure of what it adds.
    own = statistics.median(data) + statistics.median(template)
    alone_s = medians["alone"][0]
    print(
        f"The renderer's own work: the review's data {statistics.median(data) * 1000:.1f} ms, "
        f"the print template {statistics.median(template) * 1000:.1f} ms (wall clock, medians "
        f"of 5), {own * 1000:.0f} ms in all = {(alone_s + own) / alone_s:.3f}x WeasyPrint alone"
    )
    return {
        "description": (
            f"{len(context['chronology'])} chronology entries, {pages} pages, {words:,} words"
        ),
        "renderer_s": medians["renderer"][0],
        "alone_s": alone_s,
        "ratio": medians["renderer"][0] / alone_s,
        "own_ms": own * 1000,
        "runs": RUNS,
    }


if __name__ == "__main__":
    main()
