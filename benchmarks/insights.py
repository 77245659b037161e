"""The national picture over a decade's worth of national data: the dashboard (national and one
provider, for the last full year and for the whole span), the benchmarking page and a CSV, as the
analyst and as a provider's senior manager. Median and 95th percentile response time and the
query count, as ratios against the bare view of `pages.py` measured in the same run.

The figures of a period are cached per data version (docs/adr/0014-the-national-picture.md), so
each page is measured twice: **cold**, the data version moved on before every request (as any
change to the data does), so that every request counts the figures and caches them; and **warm**,
read from the cache.

The clock policies start in April 2018, so the dataset cannot reach back ten full years: it spans
the eight years from 2019 with 722 cases a year, 5,776 cases in all, ten years' worth at the
2018/19 rate of 577. Its themes are added by `_theme_content.ThemeContent` when missing."""

import os
import statistics
import time

from _measure import FLOOR_URL, RUNS, with_floor
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from insights.figures import DATA_VERSION
from reviews.management.commands._theme_content import ThemeContent
from reviews.management.commands.generate_national_dataset import synthetic_cases
from reviews.models import Finding
from sfo.people.models import Organisation, User

YEARS = [str(year) for year in range(2019, 2027)]
PER_YEAR = int(os.environ.get("PER_YEAR", "722"))
SEED = "2018"
USERS = ["analyst.hmpps-sfo", "senior-manager.nps-london"]


def ensure_data() -> None:
    if User.objects.filter(username__in=USERS).count() != len(USERS):
        print("Loading the demo data…")
        call_command("load_demo_data", no_logins=True)
    wanted = len(YEARS) * PER_YEAR
    if synthetic_cases().count() != wanted:
        start = time.perf_counter()
        print(f"Generating {wanted} synthetic cases…")
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
        print(f"Generated in {time.perf_counter() - start:.1f} s (wall clock)")
    if not Finding.themes.through.objects.filter(finding__review__case__in=synthetic_cases()):
        start = time.perf_counter()
        ids = list(synthetic_cases().values_list("pk", flat=True))
        print("Themes:", dict(ThemeContent(seed=int(SEED)).write(ids)))
        print(f"Tagged in {time.perf_counter() - start:.1f} s")


def new_data_version() -> None:
    """What any change to the data counted does to the cached figures: a new data version."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT nextval('{DATA_VERSION}')")  # noqa: S608


def timed(
    client: Client, url: str, runs: int = RUNS, *, cold: bool = False
) -> tuple[float, float, int]:
    """Median and 95th percentile in milliseconds over `runs` requests after one to warm the
    caches, and the query count of one more. `cold`: a new data version before each request."""
    client.get(url)
    times = []
    for _ in range(runs):
        if cold:
            new_data_version()
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    if cold:
        new_data_version()
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    p95 = statistics.quantiles(times, n=20, method="inclusive")[-1]
    return statistics.median(times), p95, len(queries)


def main() -> None:
    ensure_data()
    last = YEARS[-2]  # the last full year
    london = Organisation.objects.get(code="nps-london").pk
    span = f"start_0=1&start_1=1&start_2={YEARS[0]}&end_0=31&end_1=12&end_2={YEARS[-1]}"
    dashboard = reverse("insights:dashboard")
    with with_floor():
        for name in USERS:
            client = Client()
            client.force_login(User.objects.get(username=name))
            floor_ms, floor_p95, floor_queries = timed(client, FLOOR_URL)
            pages = {
                f"dashboard, national, {last}": f"{dashboard}?year={last}",
                f"dashboard, NPS London, {last}": f"{dashboard}?year={last}&provider={london}",
                "dashboard, national, 8 years": f"{dashboard}?{span}",
                f"benchmarking, {last}": f"{reverse('insights:benchmarking')}?year={last}",
                f"themes CSV, {last}": reverse("insights:table_csv", args=["themes"])
                + f"?year={last}",
            }
            print(
                f"\n{name}: floor median {floor_ms:.2f} ms, p95 {floor_p95:.2f} ms, "
                f"{floor_queries} queries ({RUNS} runs)"
            )
            for label, url in pages.items():
                for state in ("cold", "warm"):
                    ms, p95, queries = timed(client, url, cold=state == "cold")
                    print(
                        f"  {label:<30} {state}  median {ms:8.1f} ms  p95 {p95:8.1f} ms  "
                        f"{p95 / floor_p95:6.1f}x floor p95  {queries:3d} queries"
                    )


if __name__ == "__main__":
    main()
