"""Redaction and two-way learning in the browser (issue 8; ADR 0012), as the people who do each
step: the reviewer marks a third party's name in a submitted review (words not in the text are
refused first, with what was typed kept) and shares the redacted copy; the officer who managed the
case reads it, without the name, and disagrees with a finding (without reasons first: refused);
the reviewer reads the response. axe runs on every page, and every page is screenshotted."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from offences.models import Offence
from reviews import authoring
from reviews.journeys import write_sample_review
from reviews.models import FindingResponse, Redaction, SectionKey
from reviews.workflow import CaseState
from sfo.people.roles import Role
from tests.e2e.test_qa_journey import as_person, seeded  # noqa: F401
from tests.reviews.conftest import case_in, world  # noqa: F401
from tests.reviews.test_redaction import submit

THIRD_PARTY = "Jo Bloggs"
SUMMARY = (
    f"The person was supervised for ten months. He lived with {THIRD_PARTY} at 4 Elm Road, "
    "who told the police about the arrest."
)
REASONS = "My caseload was 70 cases that spring; the police information reached me a week late."


@pytest.fixture
def murder(seeded):  # noqa: F811
    return Offence.objects.get(title="Murder")


def test_the_reviewer_redacts_and_shares_and_the_officer_responds(
    browser_page,
    world,  # noqa: F811
    murder,
):
    page, check, visit = browser_page.page, browser_page.check, browser_page.visit
    reviewer = world["a"][Role.SFO_REVIEWER]
    officer = world["a"][Role.RESPONSIBLE_OFFICER]
    case = case_in(world, murder, CaseState.REVIEW_IN_PROGRESS, crn="E123456")
    write_sample_review(case, reviewer)
    authoring.save_section(
        case,
        SectionKey.SUMMARY_OF_EVENTS,
        by=reviewer,
        text=SUMMARY,
        status="completed",
        expected_version=None,
    )
    case = submit(case, world)

    # 1. The reviewer marks the name: first with words that are not in the text.
    as_person(browser_page, reviewer, "redaction-reviewer")
    visit(reverse("reviews:redactions", args=[case.pk]), "redaction-marks-empty")
    expect(page.get_by_text("0 marks in force")).to_be_visible()
    page.get_by_role("link", name="Mark text to withhold in Summary of events").click()
    check("redaction-mark-form")
    expect(page.locator("#place-text")).to_contain_text(THIRD_PARTY)
    page.get_by_label("Only the words I copy below").check()
    page.get_by_label("Text to withhold").fill("Jo Blogs")
    page.get_by_label("Third party details").check()
    page.get_by_label("Why is it withheld?").fill("A neighbour, not part of the review")
    page.get_by_role("button", name="Withhold it").click()
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The text to withhold was not found in that part of the review"
    )
    expect(page.get_by_label("Text to withhold")).to_have_value("Jo Blogs")
    expect(page.get_by_label("Why is it withheld?")).to_have_value(
        "A neighbour, not part of the review"
    )
    check("redaction-mark-error")
    page.get_by_label("Text to withhold").fill(THIRD_PARTY)
    page.get_by_role("button", name="Withhold it").click()
    expect(page.get_by_text("The text is marked as withheld")).to_be_visible()
    expect(page.get_by_text("1 mark in force")).to_be_visible()
    check("redaction-marked")
    assert Redaction.objects.get().quote == THIRD_PARTY

    # 2. ... checks the copy as it will be shared, and shares it.
    page.get_by_role("link", name="Check and share the redacted copy").click()
    expect(page.get_by_text("[withheld: third party details] at 4 Elm Road")).to_be_visible()
    assert THIRD_PARTY not in page.content()
    check("redaction-share")
    page.get_by_role("button", name="Share version 2 with the staff involved").click()
    expect(page.get_by_text("Version 2 is shared with the staff involved")).to_be_visible()
    check("redaction-copy-reviewer")
    copy = case.review.redacted_copies.get()

    # 3. The officer reads the copy without the name, and disagrees with a finding.
    as_person(browser_page, officer, "redaction-officer")
    visit(reverse("reviews:redacted_copies", args=[case.pk]), "redaction-copies-officer")
    page.get_by_role("link", name="Version 2").click()
    expect(page.get_by_text("[withheld: third party details] at 4 Elm Road")).to_be_visible()
    assert THIRD_PARTY not in page.content()
    check("redaction-copy-officer")
    page.get_by_role("link", name="Respond to finding 1").click()
    check("redaction-respond")
    page.get_by_label("I disagree with this finding").check()
    page.get_by_role("button", name="Send your response").click()
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Say why you disagree with this finding"
    )
    expect(page.get_by_label("I disagree with this finding")).to_be_checked()
    check("redaction-respond-error")
    page.get_by_label("What you want to say").fill(REASONS)
    page.get_by_role("button", name="Send your response").click()
    expect(page.get_by_text("Your response to finding 1 has been recorded")).to_be_visible()
    expect(page.get_by_text(REASONS)).to_be_visible()
    check("redaction-responded")
    response = FindingResponse.objects.get()
    assert (response.by, response.stance, response.copy) == (officer, "disagree", copy)
    # The officer never reads the full review.
    assert page.goto(browser_page.base + reverse("reviews:review", args=[case.pk])).status == 403
    browser_page.errors.clear()  # the refusal's own console line

    # 4. The reviewer reads the response, by finding.
    as_person(browser_page, reviewer, "redaction-reviewer-again")
    visit(reverse("reviews:staff_responses", args=[case.pk, copy.pk]), "redaction-responses")
    expect(page.get_by_text(REASONS)).to_be_visible()
    expect(page.get_by_text("1 current response")).to_be_visible()
