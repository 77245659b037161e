"""The case list over a national dataset: query count and median response time of its first page,
a filtered page and a search, as ratios against a bare view through the same middleware.

Loads the demo data if it is missing, and a synthetic national dataset of about 6,000 cases (eight
years of 750, from `manage.py generate_national_dataset`) unless one of that size is there
already; prints how long the generation took. Measured as the central QA manager, who sees every
case, and as one provider's SFO review manager, who sees that provider's."""

import os
import time

from _measure import FLOOR_URL, RUNS, measure, with_floor
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from reviews.case_list import filtered_cases
from reviews.management.commands.generate_national_dataset import synthetic_cases
from sfo.people.models import User

YEARS = [str(year) for year in range(2019, 2027)]
PER_YEAR = int(os.environ.get("PER_YEAR", "750"))
SEED = "2018"
USERS = ["qa-manager.hmpps-sfo", "review-manager.nps-london"]


def ensure_data() -> None:
    if User.objects.filter(username__in=USERS).count() != len(USERS):
        print("Loading the demo data…")
        call_command("load_demo_data", no_logins=True)
    wanted = len(YEARS) * PER_YEAR
    present = synthetic_cases().count()
    if present == wanted:
        print(f"Synthetic national dataset already there: {present} cases")
        return
    print(f"Generating the synthetic national dataset ({wanted} cases)…")
    start = time.perf_counter()
    call_command(
        "generate_national_dataset",
        "--years",
        *YEARS,
        "--per-year",
        str(PER_YEAR),
        "--seed",
        SEED,
        "--replace",
    )
    print(f"Generated {wanted} cases in {time.perf_counter() - start:.1f} s (wall clock)\n")


def main() -> None:
    ensure_data()
    cases = reverse("reviews:case_list")
    pages = {
        "first page": cases,
        "filtered (state + overdue)": f"{cases}?state=review_in_progress&state=with_central_team"
        "&state=central_qa&clock=red",
        "search (name)": f"{cases}?q=Patel",
        "search (CRN)": f"{cases}?q=S250123",
    }
    with with_floor():
        for name in USERS:
            user = User.objects.get(username=name)
            client = Client()
            client.force_login(user)
            floor_ms, floor_queries = measure(client, FLOOR_URL)
            visible = filtered_cases(user, {})[0].count()
            print(
                f"\n{name} ({visible} cases visible): floor {floor_ms:.2f} ms median of {RUNS}, "
                f"{floor_queries} queries"
            )
            for label, url in pages.items():
                ms, queries = measure(client, url)
                print(
                    f"  {label:<28} {ms:8.2f} ms  {ms / floor_ms:6.1f}x floor  "
                    f"{queries:3d} queries  ({queries - floor_queries:+d} on the floor)"
                )


if __name__ == "__main__":
    main()
