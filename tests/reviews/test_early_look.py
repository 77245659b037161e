"""The early look: drafted and submitted by someone outside the case's line management; submitting
meets the early-look clock; the chief officer reads the early looks of high-profile cases."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from reviews import early_look, services
from reviews.models import EarlyLookStatus, Recommendation
from sfo.people.roles import Role
from tests.factories import OfficerPeriodFactory

pytestmark = pytest.mark.django_db

FIELDS = {
    "case_summary": "On licence after a robbery sentence; arrested for murder.",
    "significant_concerns": "Missed home visits in the month before the offence.",
    "practice_issues": "Recall was not considered after the missed visits.",
    "may_be_high_profile": True,
    "recommendation": Recommendation.FULL_REVIEW_NOW,
    "recommendation_reason": "The concerns are serious enough to learn from now.",
}
PLAN = [early_look.Action("Audit home visits of the team's licence cases", "SPO, team 3")]


@pytest.fixture
def case(world, murder):
    return services.identify_case(
        by=world["a"][Role.SFO_REVIEWER],
        crn="E100001",
        person_name="Sam Baker",
        offence=murder,
        first_hearing_date=date(2026, 11, 20),
    )


def test_submitting_meets_the_early_look_clock_and_shows_in_the_history(world, case):
    writer = world["a"][Role.SFO_REVIEWER]
    early_look.save_early_look(case, by=writer, fields=FIELDS, actions=PLAN)
    submitted = early_look.submit_early_look(case, by=writer)
    assert submitted.status == EarlyLookStatus.SUBMITTED
    assert case.clocks.get(kind="early_look").status == "met"
    assert case.transitions.filter(name="submit_early_look").count() == 1
    with pytest.raises(ValidationError, match="can no longer change"):
        early_look.save_early_look(case, by=writer, fields=FIELDS, actions=PLAN)


def test_it_cannot_be_submitted_incomplete(world, case):
    writer = world["a"][Role.SFO_REVIEWER]
    early_look.save_early_look(case, by=writer, fields={"case_summary": "x"}, actions=[])
    with pytest.raises(ValidationError, match="significant concerns.*recommendation.*action"):
        early_look.submit_early_look(case, by=writer)
    assert case.clocks.get(kind="early_look").status == "running"


def test_an_officer_of_the_case_or_their_line_manager_cannot_write_it(world, case):
    # A reviewer who once managed the case as its officer is not independent of it.
    former_officer = world["a"][Role.SFO_REVIEWER]
    OfficerPeriodFactory(case=case, officer=former_officer)
    with pytest.raises(PermissionDenied, match="managed this case"):
        early_look.save_early_look(case, by=former_officer, fields=FIELDS, actions=PLAN)
    officer = world["a"][Role.RESPONSIBLE_OFFICER]
    OfficerPeriodFactory(case=case, officer=officer)
    manager = world["a"][Role.SFO_REVIEW_MANAGER]
    officer.line_manager = manager
    officer.save()
    with pytest.raises(PermissionDenied, match="line management"):
        early_look.save_early_look(case, by=manager, fields=FIELDS, actions=PLAN)


def test_the_chief_officer_reads_only_high_profile_early_looks(world, case):
    chief = world["central"][Role.CHIEF_OFFICER]
    assert not early_look.may_read(chief, case)
    case.high_profile = True
    case.save()
    assert early_look.may_read(chief, case)
    assert not early_look.may_read(world["central"][Role.ANALYST], case)
    assert not early_look.may_read(world["b"][Role.SFO_REVIEWER], case)


def test_the_page_saves_a_draft_then_submits_and_keeps_what_was_typed(client, world, case):
    client.force_login(world["a"][Role.SFO_REVIEWER])
    url = reverse("reviews:early_look", args=[case.pk])
    data = {
        **{k: v for k, v in FIELDS.items() if k != "may_be_high_profile"},
        "actions-TOTAL_FORMS": "1",
        "actions-INITIAL_FORMS": "0",
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "20",
        "actions-0-action": "Audit home visits",
        "actions-0-owner": "",
    }
    refused = client.post(url, {**data, "save": ""})
    assert refused.status_code == 200
    assert b"Enter who does this action" in refused.content
    assert b"Missed home visits in the month before the offence." in refused.content
    saved = client.post(url, {**data, "actions-0-owner": "SPO, team 3", "save": ""})
    assert saved.status_code == 302 and saved["Location"] == url
    # The page now renders the saved action as an initial form, as a browser would post it.
    data = {**data, "actions-INITIAL_FORMS": "1", "actions-0-owner": "SPO, team 3"}
    submitted = client.post(url, {**data, "submit": ""})
    assert submitted["Location"] == reverse("reviews:case_detail", args=[case.pk])
    page = client.get(url)
    assert b"Submitted" in page.content and b"Audit home visits" in page.content
    assert b"<textarea" not in page.content  # read-only once submitted
