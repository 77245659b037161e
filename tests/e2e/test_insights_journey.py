"""The national picture in the browser: an analyst opens the dashboard, gets a bad period wrong
first and is told so, chooses a year and a provider, opens the providers side by side, downloads
a table as CSV, asks for the annual report and downloads it when a real worker has made it; a
provider's senior manager sees their own provider beside the national figure. axe runs on every
page, and every page is screenshotted (var/screenshots/insights-*.png)."""

import csv
import importlib
import io
import subprocess

from django.core.management import call_command
from playwright.sync_api import expect

from reviews.management.commands._theme_content import ThemeContent
from reviews.models import Case, Theme
from sfo.people.demo import DEMO_PASSWORD
from tests.documents.conftest import purge, running_worker
from tests.e2e.test_qa_journey import seeded  # noqa: F401
from tests.insights.conftest import YEAR

ANALYST, SENIOR_MANAGER = "analyst.hmpps-sfo", "senior-manager.nps-london"


def national_data() -> None:
    """What the flush between browser tests removed (the themes the migration seeds), the demo
    data, and a year of the synthetic national dataset with its themes."""
    if not Theme.objects.exists():
        seeding = importlib.import_module("reviews.migrations.0008_seed_themes")
        for position, (slug, name, description) in enumerate(seeding.THEMES, start=1):
            Theme.objects.create(slug=slug, name=name, description=description, position=position)
    call_command("load_demo_data", no_logins=True, stdout=io.StringIO())
    call_command(
        "generate_national_dataset",
        "--years",
        str(YEAR),
        "--per-year",
        "40",
        stdout=io.StringIO(),
    )
    ids = list(Case.objects.filter(crn__startswith="S").values_list("pk", flat=True))
    ThemeContent(seed=2018).write(ids)


def sign_in(browser, username: str, name: str) -> None:
    browser.page.context.clear_cookies()
    browser.sign_in(username, DEMO_PASSWORD, name)


def test_the_national_picture_and_the_annual_report(
    browser_page,
    seeded,  # noqa: F811
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path / "media"
    from sfo.celery import app

    purge(app.conf.task_default_queue)
    national_data()
    page, check, visit = browser_page.page, browser_page.check, browser_page.visit

    sign_in(browser_page, ANALYST, "insights-analyst")
    visit("/insights/", "insights-dashboard")
    expect(page.get_by_role("heading", name="The national picture", level=1)).to_be_visible()

    # A period that ends before it starts: the error, and what was typed kept.
    for field, value in (("start_0", "1"), ("start_1", "6"), ("start_2", str(YEAR))):
        page.locator(f"#id_{field}").fill(value)
    for field, value in (("end_0", "1"), ("end_1", "2"), ("end_2", str(YEAR))):
        page.locator(f"#id_{field}").fill(value)
    page.get_by_role("button", name="Show figures").click()
    check("insights-dashboard-error")
    expect(page.get_by_role("link", name="End of the period must be")).to_be_visible()
    expect(page.locator("#id_start_1")).to_have_value("6")

    # A year and a provider.
    for field in ("start_0", "start_1", "start_2", "end_0", "end_1", "end_2"):
        page.locator(f"#id_{field}").fill("")
    page.locator("#id_year").fill(str(YEAR))
    page.get_by_label("Provider", exact=True).select_option(label="NPS London")
    page.get_by_role("button", name="Show figures").click()
    check("insights-dashboard-provider")
    expect(page.get_by_text("NPS London beside the national figure")).to_be_visible()
    expect(page.get_by_role("columnheader", name="Number (NPS London)").first).to_be_visible()

    # The providers side by side, and one of its tables as CSV.
    page.get_by_role("link", name="Providers side by side").first.click()
    check("insights-benchmarking")
    expect(page.get_by_role("rowheader", name="NPS Wales").first).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download “Providers side by side” as a spreadsheet").click()
    saved = tmp_path / "benchmarking.csv"
    download.value.save_as(saved)
    rows = list(csv.reader(io.StringIO(saved.read_text(encoding="utf-8-sig"))))
    assert rows[0] == ["Providers side by side"]
    assert any(row and row[0] == "National" for row in rows)

    # The annual report: a wrong year first, then the year, made by a real worker.
    page.get_by_role("link", name="Annual report").first.click()
    check("insights-annual-report")
    page.get_by_label("Year of the report").fill("1999")
    page.get_by_role("button", name="Make the report").click()
    check("insights-annual-report-error")
    expect(page.get_by_role("link", name="Year must be between")).to_be_visible()
    page.get_by_label("Year of the report").fill(str(YEAR))
    with running_worker():
        page.get_by_role("button", name="Make the report").click()
        expect(page.get_by_role("heading", name="Your document is ready")).to_be_visible(
            timeout=120_000
        )
        check("insights-report-ready")
        with page.expect_download() as download:
            page.get_by_role("link", name="Download").click()
        report = tmp_path / "report.pdf"
        download.value.save_as(report)
    text = " ".join(
        subprocess.run(
            ["pdftotext", str(report), "-"], capture_output=True, text=True
        ).stdout.split()
    )
    assert f"annual report {YEAR}" in text and "Providers side by side" in text
    visit("/insights/annual-report/", "insights-annual-report-listed")
    expect(page.get_by_role("rowheader", name=str(YEAR))).to_be_visible()

    # A provider's senior manager: their own provider beside the national figure.
    sign_in(browser_page, SENIOR_MANAGER, "insights-senior-manager")
    visit(f"/insights/?year={YEAR}", "insights-senior-manager-dashboard")
    expect(page.get_by_text("NPS London beside the national figure")).to_be_visible()
    expect(page.get_by_label("Provider", exact=True)).to_have_count(0)
    visit(f"/insights/benchmarking/?year={YEAR}", "insights-senior-manager-benchmarking")
