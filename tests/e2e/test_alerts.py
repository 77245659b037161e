"""A reviewer with alerts sees the count in the header, opens the inbox and marks one read. axe
runs on every page."""

from playwright.sync_api import expect

from sfo.alerts.models import Alert
from sfo.alerts.services import sweep_clocks
from sfo.people.demo import DEMO_PASSWORD
from sfo.people.models import User


def test_a_reviewer_sees_the_badge_opens_the_inbox_and_marks_an_alert_read(browser_page, demo_data):
    page, check = browser_page.page, browser_page.check
    sweep_clocks()  # the demo cases' early looks are overdue: their reviewers hear of it
    reviewer = User.objects.get(username="reviewer.nps-london")
    unread = Alert.objects.filter(recipient=reviewer, read_at__isnull=True).count()
    assert unread >= 1

    browser_page.sign_in("reviewer.nps-london", DEMO_PASSWORD, "alerts-reviewer")
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
