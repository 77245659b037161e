"""The reviewer writes and submits an early look in the browser; axe runs on each page."""

import re

from playwright.sync_api import expect

from sfo.people.demo import DEMO_PASSWORD


def test_a_reviewer_writes_and_submits_an_early_look(browser_page, demo_data):
    page = browser_page.page
    # Kent, Surrey and Sussex CRC's demo cases include one just identified.
    browser_page.sign_in("reviewer.kss-crc", DEMO_PASSWORD, "early-look-reviewer")
    queue = page.get_by_role("region", name="Notifications to complete")
    queue.get_by_role("link").first.click()
    page.get_by_role("link", name="Early look", exact=True).click()
    expect(page.get_by_role("heading", name="Early look", level=1)).to_be_visible()
    browser_page.check("early-look-form")

    page.get_by_label("Summary of the case").fill("On licence for robbery; charged with murder.")
    page.get_by_label("Significant concerns").fill("Home visits lapsed in the last month.")
    page.get_by_label("A full review is warranted before conviction").check()
    page.get_by_label("Action", exact=True).fill("Audit the team's licence cases")
    page.get_by_role("button", name="Submit to the central team").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.get_by_label("Significant concerns")).to_have_value(
        "Home visits lapsed in the last month."
    )
    browser_page.check("early-look-errors")

    page.get_by_label("Who does it").first.fill("Senior probation officer")
    page.get_by_role("button", name="Submit to the central team").click()
    expect(page.get_by_text("Early look submitted to the central team").first).to_be_visible()
    expect(page.locator(".moj-timeline__title").first).to_have_text("Early look submitted")
    browser_page.check("early-look-submitted-case")
    page.get_by_role("link", name="Early look", exact=True).click()
    expect(page.get_by_text(re.compile("Submitted"))).to_be_visible()
    browser_page.check("early-look-read-only")
