"""A case from the first hearing to allocation, through the browser, as the people who do each
step; each sees it arrive on their home page. axe runs on every page."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from sfo.people.demo import DEMO_PASSWORD


def fill_date(page, name, day):
    page.locator(f"#id_{name}_0").fill(str(day.day))
    page.locator(f"#id_{name}_1").fill(str(day.month))
    page.locator(f"#id_{name}_2").fill(str(day.year))


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_identify_notify_register_and_allocate_a_case(browser_page, demo_data):
    page, check = browser_page.page, browser_page.check
    today = timezone.localdate()
    hearing = today - timedelta(days=2)

    # The SFO reviewer identifies the case at the first hearing.
    browser_page.sign_in("reviewer.nps-london", DEMO_PASSWORD, "journey-reviewer")
    page.get_by_role("link", name="Identify an SFO").click()
    check("journey-identify")
    page.get_by_role("button", name="Identify the case").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    check("journey-identify-errors")
    page.get_by_label("Name of the person on probation").fill("Robin Marsh")
    page.get_by_label("CRN").fill("q123987")
    page.get_by_label("Offence charged").select_option(label="Murder")
    fill_date(page, "first_hearing_date", hearing)
    page.get_by_role("button", name="Identify the case").click()

    # …and completes the notification, checks it, and sends it.
    expect(page.get_by_role("heading", name="Notify the central team")).to_be_visible()
    check("journey-notification")
    fill_date(page, "date_of_birth", hearing.replace(year=hearing.year - 30))
    page.get_by_label("Gender").select_option(label="Male")
    page.get_by_label("Type of supervision").select_option(label="Post-release licence")
    fill_date(page, "supervision_start", hearing - timedelta(days=200))
    page.get_by_label("Managing team").select_option(label="Offender management (nps-london)")
    page.get_by_label("Responsible officer").select_option(index=1)
    page.get_by_label("RoSH at the time of the offence").select_option(label="High")
    page.get_by_label("Highest RoSH during supervision").select_option(label="Very high")
    page.get_by_label("MAPPA category").select_option(label="Not a MAPPA case")
    first_offence = page.get_by_role("group", name="Offence charged 1")
    expect(first_offence.get_by_label("Offence", exact=True)).to_have_value(re.compile(r"\d+"))
    fill_date(page, "offence_date", hearing - timedelta(days=4))
    fill_date(page, "charge_date", hearing - timedelta(days=3))
    page.get_by_label("Court").fill("Snaresbrook Crown Court")
    page.get_by_label("Police force").fill("Metropolitan Police Service")
    page.get_by_role("button", name="Save and check").click()
    expect(
        page.get_by_role("heading", name="Check the notification before you send it")
    ).to_be_visible()
    expect(page.locator(".govuk-panel__title")).to_have_text("Automatic SFO")
    check("journey-notification-check")
    page.get_by_role("button", name="Send the notification").click()
    expect(page.get_by_text("Notification sent to the central SFO review team")).to_be_visible()
    expect(page.locator(".govuk-tag").first).to_have_text("Notified")
    check("journey-case-notified")
    sign_out(page)

    # The central QA reviewer finds it on their home page and registers it.
    browser_page.sign_in("qa-reviewer.hmpps-sfo", DEMO_PASSWORD, "journey-qa")
    queue = page.get_by_role("region", name="Notifications to register")
    queue.get_by_role("link", name=re.compile("Robin Marsh")).click()
    check("journey-qa-case")
    page.get_by_role("link", name="Register or reject").click()
    check("journey-registration")
    page.get_by_label("Register it as an SFO").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text(re.compile(r"Registered as SFO-\d{4}-\d{4}"))).to_be_visible()
    check("journey-case-registered")
    sign_out(page)

    # The review manager allocates a reviewer.
    browser_page.sign_in("review-manager.nps-london", DEMO_PASSWORD, "journey-manager")
    queue = page.get_by_role("region", name="Registered cases waiting for a reviewer")
    queue.get_by_role("link", name=re.compile("Robin Marsh")).click()
    page.get_by_role("link", name="Allocate a reviewer").click()
    check("journey-allocation")
    page.get_by_label("SFO reviewer").select_option(index=1)
    page.get_by_role("button", name="Allocate").click()
    expect(page.locator(".govuk-tag").first).to_have_text("Review in progress")
    expect(page.locator(".moj-timeline__item")).to_have_count(4)
    check("journey-case-allocated")
    sign_out(page)

    # The reviewer sees the review on their home page.
    browser_page.sign_in("reviewer.nps-london", DEMO_PASSWORD, "journey-reviewer-again")
    queue = page.get_by_role("region", name="Reviews you are writing")
    expect(queue.get_by_role("link", name=re.compile("Robin Marsh"))).to_be_visible()
    check("journey-reviewer-home")


def test_the_central_team_filters_the_case_list(browser_page, demo_data):
    page = browser_page.page
    browser_page.sign_in("qa-manager.hmpps-sfo", DEMO_PASSWORD, "list-manager")
    page.get_by_role("navigation", name="Primary navigation").get_by_role(
        "link", name="Cases"
    ).click()
    browser_page.check("case-list")
    page.get_by_label("Overdue").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("status")).to_contain_text("match your filters")
    for tag in page.locator("tbody .govuk-tag--red").all():
        expect(tag).to_have_text(re.compile("Overdue|High-profile"))
    browser_page.check("case-list-overdue")
