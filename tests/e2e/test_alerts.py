"""A reviewer with alerts sees the count in the header, opens the inbox and marks one read. axe
runs on every page."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from offences.models import Offence
from reviews.services import identify_case
from sfo.alerts.models import Alert
from sfo.alerts.services import sweep_clocks
from sfo.people.demo import DEMO_PASSWORD
from sfo.people.models import User


def test_a_reviewer_sees_the_badge_opens_the_inbox_and_marks_an_alert_read(browser_page, demo_data):
    page, check = browser_page.page, browser_page.check
    # A case this reviewer identified a month ago and never notified: both its clocks are overdue.
    reviewer = User.objects.get(username="reviewer.kss-crc")
    identify_case(
        by=reviewer,
        crn="K700001",
        person_name="Casey Long",
        offence=Offence.objects.get(title="Murder"),
        first_hearing_date=timezone.localdate() - timedelta(days=30),
    )
    sweep_clocks()
    unread = Alert.objects.filter(recipient=reviewer, read_at__isnull=True).count()
    assert unread >= 1

    browser_page.sign_in("reviewer.kss-crc", DEMO_PASSWORD, "alerts-reviewer")
    badge = page.locator(".moj-header .moj-notification-badge")
    expect(badge).to_have_text(str(unread))
    check("alerts-home-with-badge")

    page.get_by_role("link", name="Alerts", exact=True).first.click()
    expect(page.get_by_role("heading", name="Alerts", level=1)).to_be_visible()
    check("alerts-inbox")

    page.get_by_role("button", name="Mark as read").first.click()
    expect(page.get_by_role("heading", name="Alerts", level=1)).to_be_visible()
    if unread > 1:
        expect(badge).to_have_text(str(unread - 1))
    else:
        expect(badge).to_have_count(0)
    assert Alert.objects.filter(recipient=reviewer, read_at__isnull=True).count() == unread - 1
    check("alerts-inbox-one-read")

    page.get_by_role("link", name="Open case").first.click()
    expect(page.locator("h1")).to_be_visible()
