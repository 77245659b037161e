"""A case summary asked for from the case page, made by a real worker, its page refreshing itself
(no JavaScript needed) until the download is offered. axe runs on the pages a person reads."""

from playwright.sync_api import expect

from reviews.models import Case
from sfo.people.demo import DEMO_PASSWORD
from tests.documents.conftest import purge, running_worker


def test_ask_for_a_case_summary_and_download_it(browser_page, demo_data, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    from sfo.celery import app

    purge(app.conf.task_default_queue)
    page, check = browser_page.page, browser_page.check
    case = Case.objects.filter(managing_provider__code="nps-london").order_by("pk").first()

    with running_worker():
        browser_page.sign_in("reviewer.nps-london", DEMO_PASSWORD, "documents-reviewer")
        browser_page.visit(f"/cases/{case.pk}/", "documents-case")
        page.get_by_role("button", name="Download a case summary (PDF)").click()

        # The job page reloads itself every 2 seconds until the document is ready.
        expect(page.get_by_role("heading", name="Your document is ready")).to_be_visible(
            timeout=60_000
        )
        check("documents-job-done")
        link = page.get_by_role("link", name="Download")
        expect(link).to_be_visible()
        with page.expect_download() as download:
            link.click()
        assert download.value.suggested_filename.startswith("case-summary-")
        assert download.value.suggested_filename.endswith(".pdf")
