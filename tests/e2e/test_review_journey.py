"""The full review in the browser, as its people meet it: the reviewer writes it (a chronology
imported from CSV, a finding, an action plan, the judgement) while the coach reacts, and sends it;
the review manager returns it with a comment; the reviewer amends and sends it again; the manager
passes it; a senior manager countersigns; the review downloads as a PDF whose text holds the
chronology. axe runs on every page, and every page is screenshotted."""

import subprocess
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from reviews.models import Case, ReviewVersion
from sfo.people.demo import DEMO_PASSWORD, username
from sfo.people.roles import Role
from tests.documents.conftest import purge, running_worker


def as_person(browser, who: str, name: str) -> None:
    browser.page.context.clear_cookies()
    browser.sign_in(who, DEMO_PASSWORD, name)


def chronology_csv() -> bytes:
    today = timezone.localdate()
    rows = [
        "date,source,event,significant,emerging_issue",
        f"{(today - timedelta(days=300)).isoformat()},case record,Released on licence to "
        "approved premises,no,",
        f"{(today - timedelta(days=120)).isoformat()},police,Arrested for a domestic assault on "
        "his partner; no further action,yes,Risk not reassessed after the arrest",
        f"{(today - timedelta(days=60)).isoformat()},OASys,OASys review kept the risk at medium,"
        "yes,Assessment relied on self-report",
        f"{(today + timedelta(days=30)).isoformat()},police,A date in the future,no,",
    ]
    return ("\n".join(rows) + "\n").encode()


def test_a_review_is_written_checked_countersigned_and_printed(
    browser_page, demo_data, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    from sfo.celery import app

    purge(app.conf.task_default_queue)
    page, check = browser_page.page, browser_page.check
    case = (
        Case.objects.filter(state="review_in_progress")
        .select_related("reviewer", "managing_provider")
        .order_by("pk")
        .first()
    )
    code = case.review_provider.code

    # The reviewer opens the review from the case page: a task list, with the coach beside it.
    as_person(browser_page, case.reviewer.username, "review-reviewer")
    browser_page.visit(f"/cases/{case.pk}/", "review-case-page")
    page.get_by_role("link", name="SFO review").click()
    expect(page.get_by_role("heading", name="SFO review", level=1)).to_be_visible()
    expect(page.locator('[data-coach-flag="no_judgement"]')).to_be_visible()
    check("review-task-list")

    # A section written and completed.
    page.get_by_role("link", name="Methodology", exact=True).click()
    check("review-section")
    page.get_by_label("Methodology").fill(
        "I interviewed the responsible officer and their manager, and read the case record, "
        "OASys assessments and police records."
    )
    page.get_by_label("Yes, I've completed this section").check()
    page.get_by_role("button", name="Save and return to the task list").click()
    expect(page.locator("#section-methodology-status")).to_have_text("Completed")

    # The chronology imported from CSV: the good rows kept, the bad one reported with its reason.
    page.get_by_role("link", name="Chronology", exact=True).first.click()
    check("review-chronology-empty")
    page.get_by_role("button", name="Import entries from a CSV file").click()
    check("review-chronology-import")
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "chronology.csv", "mimeType": "text/csv", "buffer": chronology_csv()}]
    )
    page.get_by_role("button", name="Import the entries").click()
    expect(page.get_by_text("future").first).to_be_visible()
    check("review-chronology-import-report")
    browser_page.visit(f"/cases/{case.pk}/review/chronology/", "review-chronology")
    expect(page.get_by_text("Arrested for a domestic assault")).to_be_visible()

    # A key finding and an organisational action that answers it.
    browser_page.visit(f"/cases/{case.pk}/review/findings/add/", "review-finding-form")
    page.get_by_label("Finding", exact=True).fill("Risk was not reassessed after the arrest")
    page.get_by_label("Missed opportunity").check()
    page.get_by_label("Analysis").fill(
        "The arrest was recorded but the risk assessment was not reviewed, because the team's "
        "practice was to wait for a charge."
    )
    page.get_by_role("button", name="Save the finding").click()
    check("review-findings")
    browser_page.visit(f"/cases/{case.pk}/review/action-plan/add/", "review-action-form")
    due = timezone.localdate() + timedelta(days=90)
    page.get_by_label("Action", exact=True).fill(
        "Reassess risk after every arrest: add the check to the police-information procedure"
    )
    page.get_by_label("Organisation", exact=True).check()
    page.get_by_label("Owner").fill("Head of public protection")
    page.get_by_label("Day").fill(str(due.day))
    page.get_by_label("Month").fill(str(due.month))
    page.get_by_label("Year").fill(str(due.year))
    page.get_by_label("The key finding it answers").select_option(
        label="Risk was not reassessed after the arrest"
    )
    page.get_by_role("button", name="Save the action").click()
    expect(page.get_by_text("Action saved")).to_be_visible()
    check("review-action-plan")

    # The conclusion: the coach drops its one required flag as the judgement is typed, unsaved.
    browser_page.visit(f"/cases/{case.pk}/review/sections/conclusion/", "review-conclusion")
    expect(page.locator('[data-coach-flag="no_judgement"]')).to_be_visible()
    page.get_by_label("No: not all reasonable steps were taken").check()
    page.get_by_label("Why").fill(
        "The risk of serious harm was not reassessed after the arrest for domestic abuse."
    )
    expect(page.locator('[data-coach-flag="no_judgement"]')).to_have_count(0, timeout=10_000)
    check("review-conclusion-coached")
    page.get_by_label("Conclusion", exact=True).fill("Not all reasonable steps were taken.")
    page.get_by_label("Yes, I've completed this section").check()
    page.get_by_role("button", name="Save and return to the task list").click()
    expect(page.locator("#section-conclusion-status")).to_have_text("Completed")

    # Sent for local QA.
    page.get_by_role("link", name="Send for local QA").click()
    check("review-send-for-local-qa")
    page.get_by_role("button", name="Send for local QA").click()
    expect(page.get_by_text("sent for local QA")).to_be_visible()

    # The review manager returns it with a comment against the methodology.
    as_person(browser_page, username(Role.SFO_REVIEW_MANAGER, code), "review-manager")
    browser_page.visit(f"/cases/{case.pk}/", "review-manager-case")
    page.get_by_role("link", name="Check the review (local QA)").click()
    check("review-local-qa")
    page.get_by_label("Methodology", exact=True).fill("Say which police records you read.")
    page.get_by_role("button", name="Return to the reviewer").click()
    expect(page.get_by_role("heading", name=case.person_name)).to_be_visible()

    # The reviewer sees the comment against the section, amends it and sends it again.
    as_person(browser_page, case.reviewer.username, "review-reviewer-again")
    browser_page.visit(f"/cases/{case.pk}/review/", "review-task-list-returned")
    expect(page.get_by_text("Local QA commented on this section")).to_be_visible()
    page.get_by_role("link", name="Methodology", exact=True).click()
    expect(page.get_by_text("Say which police records you read.")).to_be_visible()
    check("review-section-with-comment")
    page.get_by_label("Methodology").fill(
        "I interviewed the responsible officer and their manager, and read the case record, "
        "OASys assessments and the Metropolitan Police's domestic abuse records."
    )
    page.get_by_role("button", name="Save and return to the task list").click()
    page.get_by_role("link", name="Send for local QA").click()
    page.get_by_role("button", name="Send for local QA").click()
    expect(page.get_by_text("sent for local QA")).to_be_visible()

    # The manager answers every standard and passes it; what changed is one click away.
    as_person(browser_page, username(Role.SFO_REVIEW_MANAGER, code), "review-manager-again")
    browser_page.visit(f"/cases/{case.pk}/review/local-qa/", "review-local-qa-again")
    for radio in page.locator("input[type=radio][value=yes]").all():
        radio.check()
    page.get_by_role("button", name="Pass for countersignature").click()
    expect(page.get_by_role("heading", name=case.person_name)).to_be_visible()
    browser_page.visit(f"/cases/{case.pk}/review/versions/compare/?from=1&to=2", "review-compare")
    expect(page.locator("ins").filter(has_text="Metropolitan").first).to_be_visible()

    # A senior manager outside the case's line management countersigns.
    as_person(browser_page, username(Role.SENIOR_MANAGER, code), "review-senior-manager")
    browser_page.visit(f"/cases/{case.pk}/review/countersign/", "review-countersign")
    page.get_by_label("I have read the review").check()
    page.get_by_role("button", name="Countersign and submit to the central team").click()
    expect(page.get_by_role("heading", name=case.person_name)).to_be_visible()
    case.refresh_from_db()
    assert case.state == "with_central_team"
    assert list(
        ReviewVersion.objects.filter(review__case=case).values_list("purpose", flat=True)
    ) == ["local_qa", "local_qa", "central"]

    # The review as a PDF, made by a real worker, downloaded, its chronology in its text.
    with running_worker():
        browser_page.visit(f"/cases/{case.pk}/review/", "review-task-list-submitted")
        page.get_by_role("button", name="Make a PDF of the review").click()
        expect(page.get_by_role("heading", name="Your document is ready")).to_be_visible(
            timeout=90_000
        )
        check("review-pdf-ready")
        with page.expect_download() as download:
            page.get_by_role("link", name="Download").click()
        path = tmp_path / "review.pdf"
        download.value.save_as(path)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Arrested for a domestic assault" in text
    assert "Risk was not reassessed after the arrest" in text
    assert "OFFICIAL-SENSITIVE" in text
