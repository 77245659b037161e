"""Every role signs in through the browser, reaches its home page and the pages its rules allow,
and signs out; axe finds nothing on any of them."""

import re

import pytest
from playwright.sync_api import expect

from reviews.models import Case
from sfo.access import CASE_READERS, may_see_victims_of, visible_cases
from sfo.people.demo import DEMO_PASSWORD, ORGANISATIONS, roles_for, username
from sfo.people.models import User
from sfo.people.roles import Role

FIRST_LOGIN = {}
for spec in ORGANISATIONS:
    for role in roles_for(spec.kind):
        FIRST_LOGIN.setdefault(role, username(role, spec.code))


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_each_role_signs_in_works_and_signs_out(browser_page, demo_data, role):
    login = FIRST_LOGIN[role]
    page = browser_page.page
    browser_page.sign_in(login, DEMO_PASSWORD, role.value)

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your work")
    expect(page.get_by_role("heading", name=role.label)).to_be_visible()
    expect(page.locator(".sfo-marking")).to_contain_text("OFFICIAL-SENSITIVE")
    browser_page.check(f"{role.value}-home")

    user = User.objects.get(username=login)
    navigation = page.get_by_role("navigation", name="Primary navigation")
    if CASE_READERS.allows(user):
        navigation.get_by_role("link", name="Cases").click()
        browser_page.check(f"{role.value}-cases")
        case = visible_cases(user).order_by("-created_at").first()
        if case is not None:
            page.get_by_role(
                "link", name=re.compile(case.reference or "Not yet registered")
            ).first.click()
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            browser_page.check(f"{role.value}-case")
            victims_link = page.get_by_role("link", name="Victims and families")
            opened = Case.objects.get(pk=int(page.url.rstrip("/").split("/")[-1]))
            if may_see_victims_of(user, opened):
                victims_link.click()
                expect(page.get_by_role("heading", name="Victims and families")).to_be_visible()
                browser_page.check(f"{role.value}-victims")
            else:
                expect(victims_link).to_have_count(0)
    else:
        expect(navigation.get_by_role("link", name="Cases")).to_have_count(0)

    if role == Role.ADMINISTRATOR:
        navigation.get_by_role("link", name="Administration").click()
        expect(page.get_by_role("heading", name="Administration")).to_be_visible()
        browser_page.check("administrator-admin")
        browser_page.visit("/operations/", "administrator-operations")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        page.goto(browser_page.base + "/")

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    browser_page.check(f"{role.value}-signed-out")


def test_a_wrong_password_shows_an_error_summary_and_keeps_the_username(browser_page, demo_data):
    page = browser_page.page
    browser_page.sign_in("reviewer.nps-london", "not-the-password", "wrong-password")
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.get_by_label("Username")).to_have_value("reviewer.nps-london")
    browser_page.check("wrong-password-error")


def test_the_skip_link_is_the_first_thing_the_keyboard_reaches(browser_page, demo_data):
    page = browser_page.page
    browser_page.visit("/sign-in/", "keyboard-sign-in")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main-content$"))


def test_signing_in_works_without_javascript(browser, live_server, demo_data):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/sign-in/")
    page.get_by_label("Username").fill("vlo.nps-london")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Victim liaison officer")).to_be_visible()
    page.get_by_role("link", name="Cases", exact=True).click()
    expect(page.get_by_role("heading", name="Cases", level=1)).to_be_visible()
    context.close()
