"""The chronology editor with a 600-entry chronology: server time (median and 95th percentile) and
query count, as ratios against a bare view through the same middleware. The issue's target is
300 ms or less.

Makes a case for the run through the real services (NPS London, review in progress) and gives its
review 600 chronology entries over three years, a third before the review period, a quarter
significant, a third supporting one of six key findings; everything is rolled back after. Measured
as its SFO reviewer (who sees the editing controls) and as the provider's SFO review manager (who
reads it)."""

import os
import statistics
import time
from datetime import timedelta

from _measure import FLOOR_URL, RUNS, measure, with_floor
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from offences.models import Offence
from reviews import authoring, services
from reviews.journeys import advance
from reviews.models import Case, ChronologyEntry, ChronologySource, FindingKind
from reviews.workflow import CaseState
from sfo.people.demo import CENTRAL_ROLES, username
from sfo.people.models import User
from sfo.people.roles import PROVIDER_ROLES, Role

ENTRIES = int(os.environ.get("ENTRIES", "600"))
TARGET_MS = 300
CRN = "Z600600"
PROVIDER = "nps-london"
FINDINGS = [
    ("Home visits stopped after the move", FindingKind.PRACTICE_FAILING),
    ("Recall was not considered", FindingKind.MISSED_OPPORTUNITY),
    ("Police call-outs were not shared", FindingKind.SYSTEMIC_FACTOR),
    ("No safety plan for the new partner", FindingKind.PRACTICE_FAILING),
    ("Caseload over 60 for six months", FindingKind.SYSTEMIC_FACTOR),
    ("Prompt referral to the CMHT", FindingKind.GOOD_PRACTICE),
]
EVENT = (
    "Supervision appointment {n}: attended late, said he had moved in with a new partner and her "
    "two children; the officer recorded the address but did not ask for details, check with "
    "children's services or the police, or review the risk management plan."
)


class Rolled(Exception):
    """Raised to roll the run's writes back."""


def people() -> dict:
    if not User.objects.filter(username=username(Role.SFO_REVIEWER, PROVIDER)).exists():
        print("Loading the demo data…")
        call_command("load_demo_data", no_logins=True)
    return {
        **{role: User.objects.get(username=username(role, "hmpps-sfo")) for role in CENTRAL_ROLES},
        **{role: User.objects.get(username=username(role, PROVIDER)) for role in PROVIDER_ROLES},
    }


def build_case(actors: dict) -> Case:
    """A case in review whose chronology has ENTRIES entries, written by its reviewer."""
    reviewer, today = actors[Role.SFO_REVIEWER], timezone.localdate()
    offence = Offence.objects.get(title="Murder")
    case = services.identify_case(
        by=reviewer,
        crn=CRN,
        person_name="Benchmark Person",
        offence=offence,
        first_hearing_date=today - timedelta(days=30),
    )
    case = advance(case, CaseState.REVIEW_IN_PROGRESS, actors, offence=offence)
    findings = [
        authoring.add_finding(case, by=reviewer, facts=authoring.FindingFacts(title, "Why.", kind))
        for title, kind in FINDINGS
    ]
    sources = ChronologySource.values
    authoring.add_entries(
        case,
        by=reviewer,
        entries=[
            authoring.EntryFacts(
                occurred_on=today - timedelta(days=1 + (n * 1095) // ENTRIES),
                source=sources[n % len(sources)],
                event=EVENT.format(n=n),
                significant=n % 4 == 0,
                emerging_issue="Possible domestic abuse; no checks made" if n % 3 == 0 else "",
                finding_id=findings[n % len(findings)].pk if n % 3 == 1 else None,
            )
            for n in range(ENTRIES)
        ],
    )
    authoring.set_review_period(case, by=reviewer, start=today - timedelta(days=730))
    assert ChronologyEntry.objects.filter(review__case=case).count() == ENTRIES
    return case


def timings(client: Client, url: str, runs: int) -> tuple[float, float, int, int]:
    """Median and 95th percentile in ms over `runs` requests after one to warm, the query count
    and the size of one more."""
    client.get(url)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        size = len(client.get(url).content)
    p95 = statistics.quantiles(times, n=20)[18] if len(times) > 1 else times[0]
    return statistics.median(times), p95, len(queries), size


def main() -> None:
    actors = people()
    try:
        with transaction.atomic():
            started = time.perf_counter()
            case = build_case(actors)
            print(
                f"Made a case with {ENTRIES} chronology entries in "
                f"{time.perf_counter() - started:.1f} s (rolled back after)"
            )
            measure_editor(case, actors)
            raise Rolled
    except Rolled:
        pass


def measure_editor(case: Case, actors: dict) -> None:
    url = reverse("reviews:chronology", kwargs={"pk": case.pk})
    with with_floor():
        for role in (Role.SFO_REVIEWER, Role.SFO_REVIEW_MANAGER):
            client = Client()
            client.force_login(actors[role])
            floor_ms, floor_queries = measure(client, FLOOR_URL)
            median, p95, queries, size = timings(client, url, RUNS)
            verdict = "within" if p95 <= TARGET_MS else "OVER"
            print(
                f"\nchronology editor, {ENTRIES} entries, as the {role.label} "
                f"(floor {floor_ms:.2f} ms median of {RUNS}, {floor_queries} queries)\n"
                f"  median {median:7.1f} ms  {median / floor_ms:6.1f}x floor\n"
                f"  p95    {p95:7.1f} ms  {p95 / floor_ms:6.1f}x floor  "
                f"({verdict} the {TARGET_MS} ms target)\n"
                f"  {queries} queries ({queries - floor_queries:+d} on the floor), "
                f"{size / 1024:.0f} KiB of HTML"
            )


if __name__ == "__main__":
    main()
