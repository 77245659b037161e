"""Other agencies in the browser, as the SFO reviewer: tags a finding with its themes, adds the
police to the case (a first try with nothing chosen is refused), records a request for their
contribution and what came back, links a finding and an action to them, opens their extract,
makes its PDF with a real worker (read back with pdftotext), records that it was sent, and adds a
domestic homicide review. axe runs on every page, and every page is screenshotted
(var/screenshots/agencies-*.png)."""

import importlib
import re
import subprocess
from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone
from playwright.sync_api import expect

from offences.models import Offence
from reviews.workflow import CaseState
from sfo.people.roles import Role
from tests.agencies.conftest import EXTERNAL_ACTION, write_review
from tests.documents.conftest import purge, running_worker
from tests.e2e.test_qa_journey import as_person, seeded  # noqa: F401
from tests.e2e.test_victims_journey import fill_date
from tests.reviews.conftest import case_in, world  # noqa: F401

ROLE = "Domestic abuse call-outs to the address in the year before the offence."
CAME_BACK = "Three call-outs; a DASH risk assessment rated the risk high and was not shared."


@pytest.fixture
def murder(seeded):  # noqa: F811
    """The catalogue, and what the migrations of this issue seed (the themes and the register of
    agencies), again: a committing test before this one flushed every table."""
    for module in ("reviews.migrations.0008_seed_themes", "agencies.migrations.0002_seed_agencies"):
        importlib.import_module(module).seed(apps, None)
    return Offence.objects.get(title="Murder")


def test_the_reviewer_involves_the_police_and_shares_their_extract(
    browser_page,
    world,  # noqa: F811
    murder,
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path / "media"
    from sfo.celery import app

    purge(app.conf.task_default_queue)
    page, check, visit = browser_page.page, browser_page.check, browser_page.visit
    reviewer = world["a"][Role.SFO_REVIEWER]
    case = write_review(case_in(world, murder, CaseState.REVIEW_IN_PROGRESS), reviewer)
    today = timezone.localdate()
    as_person(browser_page, reviewer, "agencies-reviewer")

    # 1. The reviewer tags the missed opportunity with two themes.
    visit(f"/cases/{case.pk}/review/findings/", "agencies-findings")
    page.get_by_role("link", name="Change finding 1").click()
    page.get_by_label("Review after significant events").check()
    page.get_by_label("Information sharing").check()
    check("agencies-finding-themes")
    page.get_by_role("button", name="Save the finding").click()
    card = page.locator(".govuk-summary-card").first
    expect(card).to_contain_text("Review after significant events")
    expect(card).to_contain_text("Information sharing")
    check("agencies-findings-tagged")

    # 2. From the case page to its agencies; adding one with nothing chosen is refused.
    visit(f"/cases/{case.pk}/", "agencies-case")
    page.get_by_role("link", name="Other agencies and parallel reviews").click()
    expect(page.get_by_text("No other agency is recorded")).to_be_visible()
    check("agencies-case-empty")
    page.get_by_role("link", name="Add an agency").click()
    page.get_by_label("What it did in the case").fill(ROLE)
    page.get_by_role("button", name="Add the agency").click()
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Choose the agency, or name one that is not in the list"
    )
    expect(page.get_by_label("What it did in the case")).to_have_value(ROLE)
    check("agencies-add-errors")
    page.get_by_label("Agency", exact=True).select_option(label="Metropolitan Police Service")
    page.get_by_role("button", name="Add the agency").click()
    expect(page.get_by_role("heading", name="Metropolitan Police Service")).to_be_visible()
    check("agencies-police")

    # 3. A request for their contribution, already overdue, and then what came back.
    page.get_by_role("link", name="Record a request").click()
    page.get_by_label("What was asked").fill("Its records of call-outs to the address")
    fill_date(page, "requested_on", today - timedelta(days=30))
    fill_date(page, "due_on", today - timedelta(days=2))
    check("agencies-request")
    page.get_by_role("button", name="Record the request").click()
    expect(page.locator(".govuk-tag--red")).to_contain_text("Overdue")
    check("agencies-request-overdue")
    page.get_by_role("link", name=re.compile("^Record what came back")).click()
    page.get_by_label("Received", exact=True).check()
    page.get_by_role("button", name="Save what came back").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter the date the contribution was received"
    )
    check("agencies-reply-errors")
    fill_date(page, "received_on", today)
    page.get_by_label("Summary of what came back").fill(CAME_BACK)
    page.get_by_role("button", name="Save what came back").click()
    expect(page.get_by_text(CAME_BACK)).to_be_visible()
    check("agencies-reply")

    # 4. The finding and the external action that concern the police.
    page.get_by_role("link", name="Choose findings and actions").click()
    page.get_by_label(re.compile("^1\\. Risk was not reassessed")).check()
    page.get_by_label(re.compile("Agree with the police a same-day alert")).check()
    check("agencies-concerns")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Risk was not reassessed after the arrest")).to_be_visible()

    # 5. Their extract, its PDF made by a real worker.
    page.get_by_role("link", name="See the extract for Metropolitan Police Service").click()
    expect(page.get_by_role("heading", name=re.compile("^Finding 1: Risk was not"))).to_be_visible()
    expect(page.get_by_text("Prompt information sharing with the police")).to_have_count(0)
    check("agencies-extract")
    with running_worker():
        page.get_by_role("button", name="Make the extract as a PDF").click()
        expect(page.get_by_role("heading", name="Your document is ready")).to_be_visible(
            timeout=90_000
        )
        check("agencies-extract-ready")
        with page.expect_download() as download:
            page.get_by_role("link", name="Download").click()
        pdf = tmp_path / "extract.pdf"
        download.value.save_as(pdf)
    text = " ".join(
        subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    assert "Risk was not reassessed after the arrest" in text
    assert " ".join(EXTERNAL_ACTION.split()[:6]) in text
    assert "Prompt information sharing with the police" not in text
    assert "Team briefing on enforcement" not in text

    # 6. That it was sent, and to whom.
    visit(f"/cases/{case.pk}/agencies/", "agencies-case-list")
    page.get_by_role("link", name="Metropolitan Police Service").click()
    page.get_by_role("link", name="Record that an extract was sent").click()
    expect(page.get_by_label("Their agency")).to_have_value("Metropolitan Police Service")
    page.get_by_label("Sent to (name)").fill("Jo Khan")
    page.get_by_label("Their role").fill("Detective inspector, public protection unit")
    page.get_by_label("Secure email").check()
    fill_date(page, "sent_on", today)
    check("agencies-share")
    page.get_by_role("button", name="Record it").click()
    expect(
        page.get_by_role("cell", name=re.compile("^Jo Khan, Detective inspector"))
    ).to_be_visible()
    check("agencies-shared")

    # 7. A domestic homicide review runs beside the SFO review.
    visit(f"/cases/{case.pk}/agencies/", "agencies-before-dhr")
    page.get_by_role("link", name="Add a parallel review").click()
    page.get_by_label("Domestic homicide review").check()
    page.get_by_label("Led by").fill("Hackney community safety partnership")
    fill_date(page, "commissioned_on", today - timedelta(days=10))
    fill_date(page, "expected_on", today + timedelta(days=200))
    page.get_by_label("How the work is shared to avoid duplication").fill(
        "The SFO chronology is shared with the panel."
    )
    check("agencies-dhr-form")
    page.get_by_role("button", name="Save the review").click()
    expect(page.get_by_role("heading", name="Domestic homicide review")).to_be_visible()
    expect(page.locator(".govuk-summary-card")).to_contain_text("Hackney community safety")
    check("agencies-case-full")
