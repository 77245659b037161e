"""Victims and families in the browser, as the people who do each step: the victim liaison officer
records the victim's mother on a convicted automatic SFO, tells her of her entitlement and records
her request; the central team sees the case expedited and gives it the full QA the request needs;
the senior manager signs the vulnerability assessment off, writes the plain-language summary and
makes the pack (a PDF made by a real worker, read back with pdftotext); the meeting and its
feedback are recorded; an analyst reads the take-up figures. axe runs on every page, and every
page is screenshotted."""

import re
import subprocess

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from offences.models import Offence
from qa.journeys import STEPS as QA_STEPS
from qa.models import QAMode
from qa.services import current_round
from reviews import local_qa
from reviews.models import GlossaryTerm
from reviews.workflow import CaseState
from sfo.people.roles import Role
from tests.documents.conftest import purge, running_worker
from tests.e2e.test_qa_journey import as_person, seeded  # noqa: F401
from tests.reviews.conftest import world  # noqa: F401
from tests.victims.conftest import convicted, qa_completed
from victims import services
from victims.models import DisclosureRequest, EntitlementTask, Relationship, RequestState

MOTHER = "Margaret Okafor"
WHAT_HAPPENED = (
    "Mr Baker was on licence. His probation officer saw him every week. He moved to a new "
    "address in May. Nobody checked who else lived there."
)
FOUND = "The police told probation about a new partner. The risk was not looked at again."
STEPS = "Not all reasonable steps were taken. The risk plan was not changed when it should be."
CHANGED = "Staff now check every new address with the police. Managers check this each month."


def fill_date(page, name: str, day) -> None:
    page.locator(f"#id_{name}_0").fill(str(day.day))
    page.locator(f"#id_{name}_1").fill(str(day.month))
    page.locator(f"#id_{name}_2").fill(str(day.year))


@pytest.fixture
def murder(seeded):  # noqa: F811
    return Offence.objects.get(title="Murder")


def test_a_family_is_told_assessed_and_given_the_review(
    browser_page,
    world,  # noqa: F811
    murder,
    settings,
    tmp_path,  # noqa: F811
):
    settings.MEDIA_ROOT = tmp_path / "media"
    from sfo.celery import app

    purge(app.conf.task_default_queue)
    page, check, visit = browser_page.page, browser_page.check, browser_page.visit
    provider, central = world["a"], world["central"]
    vlo, senior = provider[Role.VICTIM_LIAISON_OFFICER], provider[Role.SENIOR_MANAGER]
    qa_reviewer = central[Role.CENTRAL_QA_REVIEWER]
    analyst = central[Role.ANALYST]
    case = qa_completed(world, murder)
    convicted(case, senior)
    today = timezone.localdate()

    # 1. The VLO adds the victim's mother; a first try with nothing filled in is refused.
    as_person(browser_page, vlo, "victims-vlo")
    visit(f"/cases/{case.pk}/victims/", "victims-case-empty")
    expect(page.get_by_text("No victim or family member is recorded")).to_be_visible()
    page.get_by_role("link", name="Add a victim or family member").click()
    page.get_by_role("button", name="Add them").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("There is a problem")
    expect(page).to_have_title(re.compile("^Error: "))
    check("victims-add-errors")
    page.get_by_label("Full name").fill(MOTHER)
    page.get_by_label("Family member of the victim").check()
    page.get_by_label("Relationship to the victim").fill("mother")
    page.get_by_label("The victim died").check()
    page.get_by_label("Telephone").fill("07700 900123")
    page.get_by_label("Preferred method of contact").select_option("phone")
    page.get_by_label("VCS officer responsible").select_option(value=str(vlo.pk))
    page.get_by_role("button", name="Add them").click()
    expect(page.get_by_role("heading", name=MOTHER, level=1)).to_be_visible()
    task = EntitlementTask.objects.get(victim__full_name=MOTHER)
    expect(page.get_by_text(f"{task.due_on.day} {task.due_on:%B %Y}")).to_be_visible()
    check("victims-victim-added")
    # …her details are corrected…
    page.get_by_role("link", name="Change their details").click()
    check("victims-victim-edit")
    page.get_by_label("Support needs").fill("Prefers calls after 5pm.")
    page.get_by_role("button", name="Save the details").click()
    expect(page.get_by_text("Prefers calls after 5pm.")).to_be_visible()

    # …her task is on the worklist, and she is told of the entitlement by telephone…
    visit("/victims/tasks/", "victims-worklist")
    # (A visually hidden span adds spaces to the accessible names.)
    expect(page.get_by_role("link", name=re.compile(rf"^{case}\s*: victims"))).to_be_visible()
    expect(
        page.get_by_role("link", name=re.compile(rf"^Mother of the victim\s+on {case}"))
    ).to_be_visible()
    assert MOTHER not in page.content()  # names are on the records, where each look is recorded
    page.go_back()
    page.get_by_role("link", name="Record a contact").click()
    fill_date(page, "made_on", today)
    page.get_by_role("radio", name="Telephone").check()
    page.get_by_label("Spoke to them and explained the entitlement").check()
    check("victims-contact-form")
    page.get_by_role("button", name="Record the contact").click()
    expect(page.get_by_text("Informed", exact=True).first).to_be_visible()
    task.refresh_from_db()
    assert task.status == "done" and task.informed_on == today

    # …and she asks to see the review.
    page.get_by_role("link", name="Record a request for disclosure").click()
    fill_date(page, "requested_on", today)
    page.get_by_role("radio", name="Telephone").check()
    check("victims-request-form")
    page.get_by_role("button", name="Record the request").click()
    expect(page.get_by_role("heading", name="Request for disclosure", level=1)).to_be_visible()
    check("victims-request")
    request = DisclosureRequest.objects.get(victim__full_name=MOTHER)

    # 2. The request expedites the case and makes its targeted QA full: back in central QA.
    case.refresh_from_db()
    assert case.state == CaseState.CENTRAL_QA and case.disclosure_requested_on == today
    assert current_round(case).mode == QAMode.FULL

    # …the VLO assesses her vulnerability; completing it without a decision is refused.
    page.get_by_role("link", name="Assess their vulnerability").click()
    page.locator("input[name=self_harm][value=low]").check()
    page.locator("input[name=serious_harm][value=none_known]").check()
    page.locator("input[name=in_relationship][value=no]").check()
    page.locator("input[name=risk_to_staff][value=none_known]").check()
    page.get_by_label("Support and adjustments needed").fill(
        "Her son comes with her. A quiet room, and a break half way."
    )
    page.get_by_role("button", name="Complete assessment").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose a decision")
    check("victims-assessment-errors")
    expect(page.get_by_label("Support and adjustments needed")).to_have_value(
        "Her son comes with her. A quiet room, and a break half way."
    )
    page.get_by_label("Proceed, with adjustments").check()
    page.get_by_label("Reasons for the decision").fill(
        "She is supported by her son and wants to know what happened."
    )
    page.get_by_role("button", name="Complete assessment").click()
    expect(page.get_by_role("heading", name="Request for disclosure", level=1)).to_be_visible()
    request.refresh_from_db()
    assert request.state == RequestState.ASSESSED

    # 3. The central team sees the case first in its queue, flagged, and gives it a full QA.
    as_person(browser_page, qa_reviewer, "victims-qa-reviewer")
    visit("/qa/queue/", "victims-qa-queue")
    first = page.locator("table tbody tr").first
    expect(first.get_by_role("link", name=str(case))).to_be_visible()
    expect(first).to_contain_text("disclosure")
    # The full round went back to the QA reviewer of the targeted one. A full QA that the rules
    # require is always re-submitted: the provider re-submits, and QA completes on that round.
    assert current_round(case).qa_reviewer == qa_reviewer
    case = QA_STEPS["complete_qa"](case, qa_reviewer)
    assert case.state == CaseState.RETURNED_FOR_AMENDMENTS
    local_qa.resubmit(case, by=senior)
    case.refresh_from_db()
    case = QA_STEPS["complete_qa"](QA_STEPS["take_for_qa"](case, qa_reviewer), qa_reviewer)
    assert case.state == CaseState.QA_COMPLETE

    # 4. The senior manager signs the assessment off.
    as_person(browser_page, senior, "victims-senior")
    visit(f"/disclosure/{request.pk}/", "victims-request-senior")
    page.get_by_role("link", name="Sign off the assessment").click()
    check("victims-sign-off")
    page.get_by_role("button", name="Sign it off").click()
    request.refresh_from_db()
    assert request.state == RequestState.SIGNED_OFF

    # …writes the summary from its prefilled draft and checks how easy it is to read…
    visit(f"/cases/{case.pk}/victims/summary/", "victims-summary-prefilled")
    page.get_by_label("What happened in the supervision").fill(WHAT_HAPPENED)
    page.get_by_label("What the review found").fill(FOUND + " The VLO met the family.")
    page.get_by_label("Whether all reasonable steps were taken").fill(STEPS)
    page.get_by_label("What has changed since").fill(CHANGED)
    page.get_by_role("button", name="Check readability without saving").click()
    expect(page.locator("#acronyms ~ ul")).to_contain_text("VLO")
    check("victims-summary-check")
    page.get_by_role("button", name="Save the summary").click()
    expect(page.get_by_text("Meets the target")).to_be_visible()
    check("victims-summary-saved")

    # …and makes the pack, which a real worker renders.
    visit(f"/disclosure/{request.pk}/packs/", "victims-packs")
    with running_worker():
        page.get_by_role("button", name="Make the pack").click()
        expect(page.get_by_role("heading", name="Your document is ready")).to_be_visible(
            timeout=90_000
        )
        check("victims-pack-ready")
        with page.expect_download() as download:
            page.get_by_role("link", name="Download").click()
        pack = tmp_path / "pack.pdf"
        download.value.save_as(pack)
    text = " ".join(
        subprocess.run(
            ["pdftotext", "-layout", str(pack), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    assert MOTHER in text
    assert "Nobody checked who else lived there." in text
    vlo_term = GlossaryTerm.objects.get(acronym="VLO")
    assert f"{vlo_term.expansion} (VLO)".lower() in text.lower()  # expanded at first use
    assert "Disclosure pack version 1" in text

    # 5. The meeting is held and the pack handed over; then the feedback form.
    visit(f"/disclosure/{request.pk}/", "victims-request-signed-off")
    page.get_by_role("link", name="Record the meeting").click()
    fill_date(page, "held_on", today)
    page.get_by_label("Place").fill("Probation office, quiet room")
    page.get_by_label("Senior manager who led it").select_option(value=str(senior.pk))
    page.get_by_label("Victim liaison officer who attended").select_option(value=str(vlo.pk))
    page.get_by_label("Outcome of the meeting").fill("She read the summary and asked questions.")
    page.get_by_label("Version of the pack handed over").select_option(index=1)
    page.get_by_label("Who received the pack").fill(MOTHER)
    check("victims-meeting-form")
    page.get_by_role("button", name="Record the meeting").click()
    request.refresh_from_db()
    assert request.state == RequestState.DISCLOSED
    page.get_by_role("link", name="Record the feedback").click()
    page.get_by_label("What helped", exact=True).fill(
        "Reading the short summary first, with the timeline."
    )
    page.get_by_label("Questions they raised").fill("Why the new address was not checked.")
    check("victims-feedback-form")
    page.get_by_role("button", name="Record the feedback").click()
    request.refresh_from_db()
    assert request.state == RequestState.FEEDBACK_RECORDED
    check("victims-request-done")
    # …and the pack is posted again to her son, who could not come.
    page.get_by_role("link", name="Record a later version sent").click()
    page.get_by_label("Version of the pack sent").select_option(index=1)
    page.get_by_label("Who received it").fill("Her son")
    fill_date(page, "received_on", today)
    page.get_by_label("By post, after the meeting").check()
    check("victims-release-form")
    page.get_by_role("button", name="Record the release").click()
    expect(page.get_by_role("cell", name="Her son")).to_be_visible()

    # A brother's request ends when he withdraws it: ending it needs a reason.
    brother = services.add_victim(
        case, by=vlo, full_name="Daniel Okafor", relationship=Relationship.FAMILY
    )
    withdrawn = services.record_request(brother, by=vlo, requested_on=today, how_made="phone")
    visit(f"/disclosure/{withdrawn.pk}/", "victims-brother-request")
    page.get_by_role("link", name="End the request").click()
    page.get_by_role("button", name="End the request").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check("victims-decline-errors")
    page.get_by_label("Why the request ends").fill("He withdrew it by telephone.")
    page.get_by_role("button", name="End the request").click()
    withdrawn.refresh_from_db()
    assert withdrawn.state == RequestState.DECLINED

    # 6. An analyst reads the take-up figures: the mother and the brother are eligible; both know
    # of the entitlement (he asked) and asked; hers was assessed and disclosed, his ended.
    as_person(browser_page, analyst, "victims-analyst")
    visit(f"/victims/take-up/?year={today.year}", "victims-take-up")
    # Eligible, informed, requested, assessed, disclosed, declined; then first contacts, the
    # median and mean days from the conviction (3 days ago) to it, meetings, and the days from
    # the request to the meeting (the same day).
    expect(page.get_by_role("row", name="NPS London 2 2 (100%) 2 (100%) 1 1 1")).to_be_visible()
    expect(page.get_by_role("row", name="NPS London 1 3 3 1 0 0")).to_be_visible()
    assert MOTHER not in page.content()
