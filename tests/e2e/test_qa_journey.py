"""Central and independent QA in the browser, as the people who do each step: the central QA
manager allocates a submitted review from the queue; the QA reviewer rates it, finds it
incomplete and gives the feedback; the provider reads the feedback and its letter (a PDF made by a
real worker), amends the review and re-submits it; the QA reviewer sees what changed and completes
QA. An analyst reads the turnaround figures; an administrator draws an independent sample, whose
assessor rates the review blind and then sees it beside the central rating; the concordance report
follows. axe runs on every page, and every page is screenshotted."""

import re
import subprocess

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from offences.catalogue import load_catalogue
from offences.models import Offence
from qa.models import QAAssessment, SampleAssignment
from reviews.models import Case
from reviews.workflow import CaseState
from sfo.people.roles import Role
from tests.documents.conftest import purge, running_worker
from tests.factories import PASSWORD, IndependentBodyFactory, UserFactory
from tests.qa.conftest import submitted_case
from tests.reviews.conftest import world  # noqa: F401

ROUND_1_FEEDBACK = "The methodology does not say which police records were read."
ROUND_1_SECTION = "Name the police records you read and when you read them."
ROUND_1_FINDINGS = "Say what the finding on the arrest means for the team's practice."
ROUND_2_FEEDBACK = "The amended methodology now names the records: a sound review."


@pytest.fixture
def seeded(transactional_db):
    """What the migrations seed, again: a committing test before this one flushed every table."""
    from qa.defaults import seed as seed_scales
    from reviews.defaults import seed as seed_review_defaults
    from reviews.defaults import seed_standards
    from sfo.alerts.defaults import seed as seed_alert_policy
    from sfo.clocks.defaults import seed as seed_clock_policies

    load_catalogue()
    seed_clock_policies()
    seed_alert_policy()
    seed_standards()
    seed_review_defaults()
    seed_scales()


@pytest.fixture
def murder(seeded):
    return Offence.objects.get(title="Murder")


def as_person(browser, user, name: str) -> None:
    browser.page.context.clear_cookies()
    browser.sign_in(user.username, PASSWORD, name)


def focused_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def answer_every_standard_yes(page) -> None:
    for radio in page.locator("input[type=radio][value=yes]").all():
        radio.check()


def test_central_qa_then_independent_qa(browser_page, world, murder, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path / "media"
    from sfo.celery import app

    purge(app.conf.task_default_queue)
    page, check, visit = browser_page.page, browser_page.check, browser_page.visit
    case = submitted_case(world, murder)
    other = submitted_case(world, murder, key="b", crn="B123456")
    central = world["central"]
    qa_reviewer, qa_manager = central[Role.CENTRAL_QA_REVIEWER], central[Role.CENTRAL_QA_MANAGER]
    provider = world["a"]
    assessor = UserFactory(
        username="independent_assessor",
        organisation=IndependentBodyFactory(),
        role=Role.INDEPENDENT_ASSESSOR,
    )
    reference = str(case)

    # 1. The central QA manager filters the queue to one provider and allocates the review.
    as_person(browser_page, qa_manager, "qa-manager")
    visit("/qa/queue/", "qa-queue")
    expect(page.get_by_role("link", name=reference)).to_be_visible()
    expect(page.get_by_role("link", name=str(other))).to_be_visible()
    page.get_by_label("Provider").select_option(label="NPS London")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("status")).to_contain_text("1 review matches your filters")
    expect(page.get_by_role("link", name=str(other))).to_have_count(0)
    check("qa-queue-filtered")
    page.get_by_role("link", name=reference).click()
    expect(page.get_by_role("heading", name="Central QA of the review", level=1)).to_be_visible()
    check("qa-assessment-manager")
    page.get_by_label("Allocate to").select_option(value=str(qa_reviewer.pk))
    page.get_by_role("button", name="Allocate", exact=True).click()
    expect(page.get_by_text(re.compile("^Allocated to"))).to_be_visible()
    check("qa-assessment-allocated")

    # 2. The QA reviewer takes it; giving the feedback with nothing filled in is refused.
    as_person(browser_page, qa_reviewer, "qa-reviewer")
    visit("/qa/queue/", "qa-queue-reviewer")
    page.get_by_role("link", name=reference).click()
    page.get_by_role("button", name="Take for central QA").click()
    expect(page.get_by_text("You have taken this review for central QA")).to_be_visible()
    check("qa-assessment-taken")
    page.get_by_label("Feedback on Key findings").fill(ROUND_1_FINDINGS)
    page.get_by_role("button", name="Give the feedback").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page).to_have_title(re.compile("^Error: "))
    page.wait_for_function(
        "document.activeElement && document.activeElement.classList.contains('govuk-error-summary')"
    )
    check("qa-assessment-errors")
    expect(page.get_by_label("Feedback on Key findings")).to_have_value(ROUND_1_FINDINGS)
    summary.get_by_role("link", name="Rate the review.").click()
    page.wait_for_function("document.activeElement && document.activeElement.type === 'radio'")
    assert focused_id(page) == page.locator("input[name=review_rating]").first.get_attribute("id")
    summary.get_by_role("link", name="Write the feedback to the provider.").click()
    expect(page.get_by_label("Overall feedback to the provider")).to_be_focused()

    # …a draft is saved, and kept.
    page.get_by_label("Overall feedback to the provider").fill(ROUND_1_FEEDBACK)
    page.get_by_role("button", name="Save as draft").click()
    expect(page.get_by_text("Your draft assessment is saved")).to_be_visible()
    expect(page.get_by_label("Overall feedback to the provider")).to_have_value(ROUND_1_FEEDBACK)
    expect(page.get_by_label("Feedback on Key findings")).to_have_value(ROUND_1_FINDINGS)
    check("qa-assessment-draft")

    # …then answered, rated and found incomplete: the feedback requires re-submission.
    answer_every_standard_yes(page)
    page.get_by_label("Comment on standard 1 (optional)").fill("Clear and well sourced.")
    # Feedback on a section outside targeted QA: kept because the review is found incomplete.
    page.get_by_label("Feedback on Methodology (full QA only)").fill(ROUND_1_SECTION)
    page.get_by_role("group", name="Rating of the review").get_by_label(
        "Requires improvement"
    ).check()
    page.get_by_role("group", name="Rating of the action plan").get_by_label(
        "Requires improvement"
    ).check()
    page.get_by_label("The review is incomplete: it must be amended and re-submitted").check()
    page.get_by_role("button", name="Give the feedback").click()
    expect(
        page.get_by_text("Feedback given: the review is returned for amendments")
    ).to_be_visible()
    check("qa-queue-after-feedback")
    case.refresh_from_db()
    assert case.state == CaseState.RETURNED_FOR_AMENDMENTS

    # 3. The provider's review manager reads the feedback and has its letter made as a PDF.
    as_person(browser_page, provider[Role.SFO_REVIEW_MANAGER], "qa-provider-manager")
    visit(f"/qa/cases/{case.pk}/feedback/", "qa-feedback")
    expect(page.get_by_text("Re-submission is required")).to_be_visible()
    expect(page.get_by_text(ROUND_1_FEEDBACK)).to_be_visible()
    expect(page.get_by_text(ROUND_1_SECTION)).to_be_visible()
    expect(page.get_by_text(ROUND_1_FINDINGS)).to_be_visible()
    with running_worker():
        page.get_by_role("button", name="Make the feedback letter (PDF) for round 1").click()
        expect(page.get_by_role("heading", name="Your document is ready")).to_be_visible(
            timeout=60_000
        )
        check("qa-feedback-letter-ready")
        with page.expect_download() as download:
            page.get_by_role("link", name="Download").click()
        letter = tmp_path / "letter.pdf"
        download.value.save_as(letter)
    text = subprocess.run(
        ["pdftotext", "-layout", str(letter), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    assert ROUND_1_FEEDBACK in flat
    assert ROUND_1_SECTION in flat
    assert ROUND_1_FINDINGS in flat
    assert "Requires improvement" in flat

    # …the reviewer goes from the feedback to the section and amends it…
    as_person(browser_page, provider[Role.SFO_REVIEWER], "qa-provider-reviewer")
    visit(f"/qa/cases/{case.pk}/feedback/", "qa-feedback-reviewer")
    page.get_by_role("link", name="Go to the section Methodology").click()
    check("qa-amend-section")
    page.get_by_label("Methodology", exact=True).fill(
        "I interviewed the responsible officer and the senior probation officer, and read the "
        "case record, the OASys assessments and the Metropolitan Police's domestic abuse records "
        "for the year before the offence."
    )
    page.get_by_label("Yes, I've completed this section").check()
    page.get_by_role("button", name="Save and return to the task list").click()
    expect(page.locator("#section-methodology-status")).to_have_text("Completed")

    # …and a senior manager countersigns and re-submits it.
    as_person(browser_page, provider[Role.SENIOR_MANAGER], "qa-provider-senior")
    visit(f"/cases/{case.pk}/review/countersign/", "qa-resubmit")
    expect(page.get_by_role("heading", name="Countersign and re-submit the review")).to_be_visible()
    page.get_by_label("I have read the review").check()
    page.get_by_role("button", name="Countersign and re-submit to the central team").click()
    expect(page.get_by_role("heading", name=case.person_name)).to_be_visible()
    case.refresh_from_db()
    assert case.state == CaseState.WITH_CENTRAL_TEAM

    # 4. Back in the queue: the QA reviewer sees what changed, takes it and completes QA.
    as_person(browser_page, qa_reviewer, "qa-reviewer-again")
    visit("/qa/queue/", "qa-queue-resubmitted")
    page.get_by_role("link", name=reference).click()
    expect(page.get_by_text("This is a re-submission.")).to_be_visible()
    check("qa-assessment-resubmitted")
    changes = page.get_by_role("link", name=re.compile(r"^See what changed since version \d+"))
    changes.click()
    expect(page.locator("ins").filter(has_text="Metropolitan").first).to_be_visible()
    check("qa-what-changed")
    page.go_back()
    page.get_by_role("button", name="Take for central QA").click()
    expect(page.get_by_text("You have taken this review for central QA")).to_be_visible()
    answer_every_standard_yes(page)
    page.get_by_role("group", name="Rating of the review").get_by_label("Satisfactory").check()
    page.get_by_role("group", name="Rating of the action plan").get_by_label("Satisfactory").check()
    page.get_by_label("Overall feedback to the provider").fill(ROUND_2_FEEDBACK)
    check("qa-assessment-round-2")
    page.get_by_role("button", name="Give the feedback").click()
    expect(page.get_by_text("Feedback given: central QA is complete")).to_be_visible()
    visit(f"/cases/{case.pk}/", "qa-case-complete")
    expect(page.locator(".govuk-tag").first).to_have_text("QA complete")

    # 5. An analyst reads the turnaround and backlog figures.
    as_person(browser_page, central[Role.ANALYST], "qa-analyst")
    visit("/qa/turnaround/", "qa-turnaround")
    expect(page.get_by_role("heading", name="Central QA turnaround and backlog")).to_be_visible()
    waiting = page.get_by_role("table", name=re.compile("^Submissions waiting for feedback"))
    expect(waiting.get_by_role("row", name=re.compile("^NPS Wales 1 "))).to_contain_text(str(other))

    # 6. An administrator draws an independent sample of today's QA-complete reviews.
    administrator = central[Role.ADMINISTRATOR]
    as_person(browser_page, administrator, "qa-administrator")
    visit("/qa/samples/draw/", "qa-draw-sample")
    today = timezone.localdate()
    for name in ("period_start", "period_end"):
        page.locator(f"#id_{name}_0").fill(str(today.day))
        page.locator(f"#id_{name}_1").fill(str(today.month))
        page.locator(f"#id_{name}_2").fill(str(today.year))
    page.get_by_label("Proportion of each provider's reviews, as a percentage").fill("100")
    page.get_by_label(re.compile(re.escape(assessor.get_full_name()))).check()
    page.get_by_role("button", name="Draw the sample").click()
    expect(
        page.get_by_text(re.compile(r"Sample drawn: 1 of 1 QA-complete reviews"))
    ).to_be_visible()
    check("qa-sample")
    assignment = SampleAssignment.objects.get(case=case, sample__isnull=False)

    # The assessor rates the sampled review blind: no central rating or feedback on the page.
    as_person(browser_page, assessor, "qa-assessor")
    visit("/qa/independent/", "qa-my-samples")
    page.get_by_role("link", name=re.compile(re.escape(reference))).click()
    expect(page.get_by_role("heading", name=f"Your assessment of {reference}")).to_be_visible()
    check("qa-independent-assessment")
    secrets = (
        "Satisfactory",
        ROUND_1_FEEDBACK,
        ROUND_2_FEEDBACK,
        ROUND_1_SECTION,
        ROUND_1_FINDINGS,
    )

    def assert_blind(where: str) -> None:
        text = page.locator("body").inner_text()
        for secret in secrets:
            assert secret not in text, f"{where}: {secret}"

    assert_blind("assessment page")
    page.get_by_role("link", name=re.compile(r"^version \d+ of the review")).click()
    check("qa-independent-version")
    assert_blind("version page")
    page.go_back()
    answer_every_standard_yes(page)
    page.get_by_role("group", name="Your rating of the review").get_by_label("Outstanding").check()
    page.get_by_role("group", name="Your rating of the action plan").get_by_label(
        "Good", exact=True
    ).check()
    page.get_by_label("Overall comment").fill("A thorough review; the action plan is sound.")
    page.get_by_role("button", name="Submit your assessment").click()
    expect(page.get_by_text("Assessment submitted")).to_be_visible()

    # …and then sees it beside the central team's.
    expect(
        page.get_by_role("heading", name=re.compile("beside the central team's"))
    ).to_be_visible()
    ratings = page.get_by_role("table", name="The ratings")
    expect(ratings.get_by_role("row", name=re.compile("The review"))).to_contain_text("Outstanding")
    expect(ratings.get_by_role("row", name=re.compile("The review"))).to_contain_text(
        "Satisfactory"
    )
    expect(page.get_by_text(ROUND_2_FEEDBACK)).to_be_visible()
    check("qa-independent-side-by-side")
    assert QAAssessment.objects.get(pk=assignment.central_assessment_id).round == 2

    # The administrator reads the concordance report of the sample.
    as_person(browser_page, administrator, "qa-administrator-again")
    # The mapping between the scales, saved as it stands: Outstanding still counts as Good.
    visit("/qa/scales/mapping/", "qa-scale-mapping")
    page.get_by_role("button", name="Save the mapping").click()
    expect(page.get_by_text("Mapping saved")).to_be_visible()
    check("qa-scale-mapping-saved")
    visit("/qa/samples/", "qa-samples")
    page.get_by_role("link", name=re.compile("^Concordance")).click()
    expect(
        page.get_by_role("heading", name="Concordance of the independent and central ratings")
    ).to_be_visible()
    # Outstanding counts as Good on the central scale: no agreement with Satisfactory.
    expect(page.get_by_text("0 of 1 (0.0%)").first).to_be_visible()
    check("qa-concordance")
    assert page.url.endswith(f"/qa/samples/{assignment.sample_id}/concordance/")
    assert Case.objects.get(pk=case.pk).state == CaseState.QA_COMPLETE
