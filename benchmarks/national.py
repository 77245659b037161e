"""Proof at national scale (issue 9): one command, one table.

    make bench          (or: .venv/bin/python -m sfo.launcher bench benchmarks/national.py)

Over ten years' volume of national data (the synthetic dataset of `case_list.py`), and with the
production settings (`bench_settings`), it measures:

1. p50/p95 of the main pages with 20 signed-in users of every role, each waiting 1-3 s between
   requests (locust against gunicorn with 4 workers, as the compose file runs it), beside the
   floor (a bare template view, signed in, same middleware) in the same run: target p95 <= 150 ms;
2. the web workers' memory (RSS) after that run: target <= 250 MB each;
3. saturation throughput of each page with no waiting (wrk, the server pinned to core 0 and wrk to
   core 1) as a ratio of the floor's: target >= 0.2;
4. queries per page, on this dataset and on a database holding the demo data alone: target the
   same count on both;
5. the review PDF (600-entry chronology, a ~30-page narrative) against WeasyPrint alone on the same
   HTML: target <= 1.3x (`review_pdf.py`);
6. the clock sweep over 100,000 open clocks, 1% due, against a bare indexed query of the due
   clocks: target <= 2 s (`sweep.py`, in a database of its own so that its 100,000 cases do not
   weigh on the pages).

Prints the machine and the commit first, then a Markdown table for `benchmarks/RESULTS.md`.
LOAD_SECONDS (default 300), WRK_SECONDS (10), PDF_RUNS (3) and SKIP (comma-separated: load, wrk,
queries, pdf, sweep) change the run."""

import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

os.environ["DJANGO_SETTINGS_MODULE"] = "bench_settings"
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

import _measure  # noqa: E402, F401 - sets Django up
from bench_urls import FLOOR_URL  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, F, Func  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from reviews.models import Case, ChronologyEntry, ReviewAction  # noqa: E402
from reviews.workflow import CaseState  # noqa: E402
from sfo.people.models import User  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PYTHON = sys.executable
LOAD_SECONDS = int(os.environ.get("LOAD_SECONDS", "300"))
WRK_SECONDS = int(os.environ.get("WRK_SECONDS", "10"))
SKIP = set(filter(None, os.environ.get("SKIP", "").split(",")))
USERS = 20
P95_TARGET_MS, RSS_TARGET_MB, THROUGHPUT_TARGET = 150, 250, 0.2


# --- Who browses what ----------------------------------------------------------------------------


def typical_review_case() -> Case:
    """A review in progress whose chronology is as long as the average (about 50 entries), written
    by a demo reviewer (whose provider's other demo logins then stand for its managers)."""
    cases = (
        Case.objects.filter(
            state=CaseState.REVIEW_IN_PROGRESS, reviewer__username__startswith="reviewer."
        )
        .annotate(entries=Count("review__chronology"))
        .annotate(distance=Func(F("entries") - 50, function="ABS"))
        .order_by("distance", "pk")
    )
    case = cases.first()
    if case is None:
        raise SystemExit("No review in progress with a demo reviewer: load the dataset first.")
    return case


def page_plan() -> list[dict]:
    """The roles, each with its user and the main pages it uses, resolved in this database."""
    case = typical_review_case()
    provider = case.reviewer.username.split(".", 1)[1]
    case_page = reverse("reviews:case_detail", kwargs={"pk": case.pk})
    home, cases = reverse("home"), reverse("reviews:case_list")
    editor = reverse("reviews:review", kwargs={"pk": case.pk})
    chronology = reverse("reviews:chronology", kwargs={"pk": case.pk})
    queue, dashboard = reverse("qa:queue"), reverse("insights:dashboard")
    qa_case = Case.objects.filter(state=CaseState.CENTRAL_QA).order_by("pk").first()
    roles = [
        ("SFO reviewer", case.reviewer.username, {
            "home": home, "case list": cases, "case page": case_page,
            "review editor": editor, "chronology editor": chronology,
        }),
        ("SFO review manager", f"review-manager.{provider}", {
            "home": home, "case list": cases, "case page": case_page, "review editor": editor,
        }),
        ("senior manager", f"senior-manager.{provider}", {
            "home": home, "case list": cases, "case page": case_page, "dashboard": dashboard,
        }),
        ("responsible officer", f"officer.{provider}", {"home": home}),
        ("victim liaison officer", f"vlo.{provider}", {"home": home, "case list": cases}),
        ("central QA reviewer", "qa-reviewer.hmpps-sfo", {
            "home": home, "QA queue": queue, "case list": cases,
            **({"case page": reverse("reviews:case_detail", kwargs={"pk": qa_case.pk})}
               if qa_case else {}),
        }),
        ("central QA manager", "qa-manager.hmpps-sfo", {
            "home": home, "case list": cases, "QA queue": queue,
        }),
        ("analyst", "analyst.hmpps-sfo", {"home": home, "dashboard": dashboard}),
        ("chief officer", "chief-officer.hmpps-sfo", {"home": home, "dashboard": dashboard}),
        ("independent assessor", "assessor.independent-qa", {"home": home}),
        ("administrator", "admin.hmpps-sfo", {"home": home}),
    ]  # fmt: skip
    return [{"role": role, "username": username, "pages": pages} for role, username, pages in roles]


def signed_in(plan: list[dict]) -> list[dict]:
    """A session per role, made by Django's own login, as the cookie the server will read."""
    roles = []
    for entry in plan:
        client = Client()
        client.force_login(User.objects.get(username=entry["username"]))
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        roles.append(
            {
                **entry,
                "cookie_name": settings.SESSION_COOKIE_NAME,
                "cookie": cookie,
                "pages": [
                    {"name": f"{name} · {entry['role']}", "url": url}
                    for name, url in entry["pages"].items()
                ],
            }
        )
    return roles


# --- The server ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_env() -> dict[str, str]:
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "bench_settings"
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(HERE), env.get("PYTHONPATH", "")])
    return env


@contextmanager
def gunicorn(workers: int, cpus: str | None = None):
    """gunicorn serving the product, optionally pinned to some cores; yields (base URL, process)."""
    port = free_port()
    command = [
        PYTHON, "-m", "gunicorn", "sfo.wsgi:application", "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers), "--log-level", "warning",
    ]  # fmt: skip
    if cpus is not None:
        command = ["taskset", "-c", cpus, *command]
    process = subprocess.Popen(command, cwd=ROOT, env=server_env())  # noqa: S603
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise SystemExit("gunicorn did not start") from None
                time.sleep(0.3)
        yield base, process
    finally:
        process.terminate()
        process.wait(timeout=30)


def worker_rss_mb(master_pid: int) -> list[float]:
    import psutil

    return [child.memory_info().rss / 2**20 for child in psutil.Process(master_pid).children()]


def status_of(base: str, url: str, role: dict) -> int:
    """The status of one GET, redirects not followed: a session that has ended answers 302."""
    import http.client
    from urllib.parse import urlsplit

    where = urlsplit(base)
    connection_ = http.client.HTTPConnection(where.hostname, where.port, timeout=60)
    try:
        connection_.request(
            "GET", url, headers={"Cookie": f"{role['cookie_name']}={role['cookie']}"}
        )
        response = connection_.getresponse()
        response.read()
        return response.status
    finally:
        connection_.close()


def warm(base: str, roles: list[dict]) -> None:
    """One request to every page first, as a user would already have made: imports, templates and
    connections are made once per worker, not in the measurement. Each must answer 200 itself
    (not a redirect to the sign-in page), or nothing after would mean anything."""
    for _ in range(4):  # each of the workers, most likely
        for role in roles:
            for page in [*role["pages"], {"url": FLOOR_URL}]:
                status = status_of(base, page["url"], role)
                if status != 200:
                    raise SystemExit(f"{page['url']} answered {status} to {role['role']}")


# --- 1 and 2: the load run -----------------------------------------------------------------------


def load_run(roles: list[dict]) -> tuple[dict, list[float], dict]:
    locust = shutil.which("locust", path=str(Path(PYTHON).parent)) or shutil.which("locust")
    if locust is None:
        raise SystemExit("locust is missing: make bench installs benchmarks/requirements.lock")
    with tempfile.TemporaryDirectory() as tmp, gunicorn(workers=4) as (base, server):
        plan = Path(tmp) / "plan.json"
        plan.write_text(json.dumps({"roles": roles, "floor_url": FLOOR_URL}))
        warm(base, roles)
        print(f"Load: {USERS} users for {LOAD_SECONDS} s against {base} (gunicorn, 4 workers)…")
        subprocess.run(  # noqa: S603
            [
                locust, "-f", str(HERE / "locustfile.py"), "--headless", "--users", str(USERS),
                "--spawn-rate", str(USERS), "--run-time", f"{LOAD_SECONDS}s", "--host", base,
                "--csv", str(Path(tmp) / "load"), "--only-summary", "--loglevel", "WARNING",
            ],
            env={**os.environ, "BENCH_PLAN": str(plan)}, check=False, cwd=HERE,
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        rss = worker_rss_mb(server.pid)
        stats = {}
        import csv

        with open(Path(tmp) / "load_stats.csv") as stats_file:
            for row in csv.DictReader(stats_file):
                stats[row["Name"]] = {
                    "requests": int(row["Request Count"]),
                    "failures": int(row["Failure Count"]),
                    "p50": float(row["50%"]),
                    "p95": float(row["95%"]),
                    "rps": float(row["Requests/s"]),
                }
        failures = {}
        failures_csv = Path(tmp) / "load_failures.csv"
        if failures_csv.exists():
            with open(failures_csv) as failures_file:
                for row in csv.DictReader(failures_file):
                    failures[row["Name"]] = row["Error"]
    return stats, rss, failures


# --- 3: saturation throughput --------------------------------------------------------------------


def saturation(roles: list[dict]) -> dict[str, float]:
    """Requests per second of each distinct page with no waiting: gunicorn (2 workers) on core 0,
    wrk (one thread, two connections) on core 1."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: make bench installs it (Debian package wrk)")
    pages, seen = [], set()
    for role in roles:
        for page in role["pages"]:
            if page["url"] not in seen or page["name"].startswith("home"):
                seen.add(page["url"])
                pages.append((page["name"], page["url"], role))
    floor_role = next(r for r in roles if r["role"] == "SFO reviewer")
    results = {}
    with gunicorn(workers=2, cpus="0") as (base, _server):
        warm(base, roles)
        for name, url, role in [("floor", FLOOR_URL, floor_role), *pages]:
            output = subprocess.run(  # noqa: S603
                [
                    "taskset", "-c", "1", "wrk", "-t1", "-c2", f"-d{WRK_SECONDS}s",
                    "-H", f"Cookie: {role['cookie_name']}={role['cookie']}", base + url,
                ],
                capture_output=True, text=True, check=True,
            ).stdout  # fmt: skip
            # wrk counts only statuses of 400 and over as errors: a redirect (a session ended)
            # would pass for a fast page, so the page is asked for again as wrk left it.
            if "Non-2xx" in output or status_of(base, url, role) != 200:
                raise SystemExit(f"{url} did not answer 200 throughout:\n{output}")
            results[name] = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
            print(f"  wrk {name:<48} {results[name]:8.1f} req/s")
    return results


# --- 4: queries per page -------------------------------------------------------------------------


def query_counts(roles: list[dict]) -> dict[str, int]:
    counts = {}
    for role in roles:
        client = Client()
        client.force_login(User.objects.get(username=role["username"]))
        for page in role["pages"]:
            client.get(page["url"])  # the caches, as in use
            with CaptureQueriesContext(connection) as queries:
                response = client.get(page["url"])
            assert response.status_code == 200, (page, response.status_code)
            counts[page["name"]] = len(queries)
    return counts


def small_database_counts() -> dict[str, int]:
    """The same pages' query counts in a database holding the demo data alone (made once)."""
    url = os.environ["DATABASE_URL"]
    small = ensure_database(url, "_demo", ["load_demo_data", "--no-logins"])
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run(  # noqa: S603
            [PYTHON, str(HERE / "national.py"), "--query-counts", out.name],
            env={**server_env(), "DATABASE_URL": small},
            check=True,
            cwd=ROOT,
        )
        return json.loads(Path(out.name).read_text())


def ensure_dataset() -> None:
    """The national dataset of `case_list.py` (ten years' volume), made the first time by the
    dataset command in a process of its own: the production settings refuse synthetic data."""
    from case_list import PER_YEAR, SEED, YEARS

    from reviews.management.commands.generate_national_dataset import synthetic_cases

    wanted = len(YEARS) * PER_YEAR
    if synthetic_cases().count() == wanted:
        return
    print(f"Generating the synthetic national dataset ({wanted} cases)…")
    began = time.perf_counter()
    command = ["generate_national_dataset", "--years", *YEARS, "--per-year", str(PER_YEAR)]
    subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", *command, "--seed", SEED, "--replace"],
        env={**server_env(), "DJANGO_SETTINGS_MODULE": "sfo.settings.dev"},
        cwd=ROOT,
        check=True,
    )
    print(f"Generated {wanted} cases in {time.perf_counter() - began:.0f} s")


def ensure_database(url: str, suffix: str, then: list[str]) -> str:
    """A sibling database of the one DATABASE_URL names: migrated every run (the product may have
    moved on), loaded with `then` the first time."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    other = f"{parts.path.lstrip('/')}{suffix}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [other])
        exists = cursor.fetchone() is not None
        if not exists:
            cursor.execute(f'CREATE DATABASE "{other}"')
    other_url = urlunsplit(parts._replace(path=f"/{other}"))
    env = {**server_env(), "DATABASE_URL": other_url, "DJANGO_SETTINGS_MODULE": "sfo.settings.dev"}
    for command in [["migrate", "--no-input", "-v0"]] + ([] if exists else [then]):
        subprocess.run([PYTHON, "manage.py", *command], env=env, cwd=ROOT, check=True)  # noqa: S603
    return other_url


# --- 5 and 6: the PDF and the sweep --------------------------------------------------------------


def review_pdf() -> dict:
    import review_pdf as pdf

    return pdf.run()


def clock_sweep() -> dict:
    sweep_url = ensure_database(
        os.environ["DATABASE_URL"], "_sweep", ["load_demo_data", "--no-logins"]
    )
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run(  # noqa: S603
            [PYTHON, str(HERE / "sweep.py")],
            env={
                **server_env(),
                "DATABASE_URL": sweep_url,
                "DJANGO_SETTINGS_MODULE": "sfo.settings.dev",
                "DEBUG": "0",
                "SWEEP_JSON": out.name,
            },
            check=True, cwd=ROOT,
        )  # fmt: skip
        return json.loads(Path(out.name).read_text())


# --- The report ----------------------------------------------------------------------------------


def machine() -> list[str]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = next(
        int(line.split()[1]) // 1024
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    return [
        f"- Commit: {commit or 'unknown'}",
        f"- Machine: {os.cpu_count()} cores ({cpu}), {memory // 1024} GiB, "
        f"{platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}, PostgreSQL {postgres.split()[0]}",
    ]


def data_size() -> str:
    from qa.models import QAAssessment
    from victims.models import Victim

    return (
        f"{Case.objects.count():,} cases, {ChronologyEntry.objects.count():,} chronology entries, "
        f"{ReviewAction.objects.count():,} actions, {QAAssessment.objects.count():,} central QA "
        f"assessments, {Victim.objects.count():,} victims"
    )


def verdict(met: bool) -> str:
    return "met" if met else "**missed**"


def report(results: dict) -> None:
    print("\n## Results\n")
    print("\n".join(results["machine"]))
    print(f"- Data: {results['data']}\n")
    if "load" in results:
        stats, rss = results["load"], results["rss"]
        floor = stats["floor"]
        print(
            f"### Main pages under load ({USERS} users, 1-3 s waits, {LOAD_SECONDS} s; "
            f"floor p50 {floor['p50']:.0f} ms, p95 {floor['p95']:.0f} ms)\n"
        )
        print("| page · role | requests | p50 ms | p95 ms | p95 / floor p95 | p95 ≤ 150 ms |")
        print("| --- | ---: | ---: | ---: | ---: | --- |")
        for name, row in sorted(stats.items()):
            if name in ("floor", "Aggregated"):
                continue
            print(
                f"| {name} | {row['requests']} | {row['p50']:.0f} | {row['p95']:.0f} | "
                f"{row['p95'] / max(floor['p95'], 1):.1f} | "
                f"{verdict(row['p95'] <= P95_TARGET_MS and not row['failures'])} |"
            )
        failed = sum(row["failures"] for name, row in stats.items() if name != "Aggregated")
        print(f"\nFailed requests: {failed}. " + "; ".join(results.get("failures", {}).values()))
        print(
            f"Web worker RSS after the run: {', '.join(f'{mb:.0f}' for mb in rss)} MB "
            f"(target ≤ {RSS_TARGET_MB} MB each: {verdict(max(rss) <= RSS_TARGET_MB)})\n"
        )
    if "wrk" in results:
        wrk = results["wrk"]
        floor_rps = wrk["floor"]
        print(
            f"### Saturation throughput (wrk, {WRK_SECONDS} s each; floor {floor_rps:.0f} req/s)\n"
        )
        print("| page · role | req/s | ratio to the floor | ≥ 0.2 |")
        print("| --- | ---: | ---: | --- |")
        for name, rps in wrk.items():
            if name != "floor":
                ratio = rps / floor_rps
                print(
                    f"| {name} | {rps:.1f} | {ratio:.2f} | {verdict(ratio >= THROUGHPUT_TARGET)} |"
                )
        print()
    if "queries" in results:
        print("### Queries per page (national dataset against the demo data alone)\n")
        print("| page · role | national | demo only | constant |")
        print("| --- | ---: | ---: | --- |")
        small = results["queries_small"]
        for name, count in results["queries"].items():
            other = small.get(name)
            print(f"| {name} | {count} | {other} | {verdict(count == other)} |")
        print()
    if "pdf" in results:
        pdf = results["pdf"]
        print(
            f"### The review PDF\n\n{pdf['description']}: renderer {pdf['renderer_s']:.2f} s, "
            f"WeasyPrint alone {pdf['alone_s']:.2f} s (medians of {pdf['runs']}, wall clock): "
            f"**{pdf['ratio']:.3f}×** (target ≤ 1.3×: {verdict(pdf['ratio'] <= 1.3)}); the "
            f"renderer's own work {pdf['own_ms']:.0f} ms.\n"
        )
    if "sweep" in results:
        sweep = results["sweep"]
        print("### The clock sweep\n")
        print("| scenario | open | due | alerts | sweep ms | again ms | floor query ms | ≤ 2 s |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
        for row in sweep["rows"]:
            print(
                f"| {row['label']} | {row['open']:,} | {row['due']:,} | {row['alerts']:,} | "
                f"{row['sweep'] * 1000:.0f} | {row['again'] * 1000:.0f} | "
                f"{row['floor'] * 1000:.1f} | {verdict(row['sweep'] <= 2)} |"
            )
        print()


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--query-counts":
        roles = page_plan()
        Path(sys.argv[2]).write_text(json.dumps(query_counts(signed_in(roles))))
        return
    started = time.perf_counter()
    ensure_dataset()
    results = {"machine": machine(), "data": data_size()}
    print("\n".join(results["machine"]) + f"\n- Data: {results['data']}")
    roles = signed_in(page_plan())
    if "queries" not in SKIP:
        results["queries"] = query_counts(roles)
        results["queries_small"] = small_database_counts()
    if "load" not in SKIP:
        results["load"], results["rss"], results["failures"] = load_run(roles)
    if "wrk" not in SKIP:
        results["wrk"] = saturation(roles)
    if "pdf" not in SKIP:
        results["pdf"] = review_pdf()
    if "sweep" not in SKIP:
        results["sweep"] = clock_sweep()
    report(results)
    print(f"Benchmark finished in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
