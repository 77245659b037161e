# ruff: noqa: F811
"""The agencies' pages: forms given back with their errors keep what was typed; who gets which
answer (role and object scope), with one read-audit row per page and refusals recorded."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from agencies import services
from agencies.models import Agency, AgencyInvolvement, ContributionRequest, ParallelReview
from sfo.audit.models import AccessRecord
from sfo.people.roles import Role
from tests.agencies.conftest import (
    external_action,
    good_practice,
    involvement,  # noqa: F401
    police,  # noqa: F401
    review_case,  # noqa: F401
    reviewer,  # noqa: F401
)
from tests.reviews.conftest import assert_error_summary, murder, world  # noqa: F401


def _date(prefix: str, day) -> dict:
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def test_adding_an_agency_with_nothing_chosen_says_so_and_keeps_what_was_typed(
    client, reviewer, review_case
):
    client.force_login(reviewer)
    url = reverse("agencies:add_involvement", args=[review_case.pk])
    response = client.post(url, {"role": "Call-outs to the address"})
    assert_error_summary(
        response, "Choose the agency, or name one that is not in the list", "id_agency"
    )
    assert "Call-outs to the address" in response.content.decode()
    response = client.post(url, {"new_name": "Hackney Women's Aid", "role": "Supported her"})
    assert_error_summary(response, "Choose the kind of agency", "id_new_kind")
    assert "Hackney Women&#x27;s Aid" in response.content.decode()


def test_reviewer_adds_the_police_and_lands_on_its_page(client, reviewer, review_case, police):
    client.force_login(reviewer)
    response = client.post(
        reverse("agencies:add_involvement", args=[review_case.pk]),
        {"agency": police.pk, "role": "Call-outs to the address"},
    )
    involvement = AgencyInvolvement.objects.get(case=review_case)
    assert response.url == reverse("agencies:involvement", args=[review_case.pk, involvement.pk])
    page = client.get(response.url).content.decode()
    assert "Metropolitan Police Service" in page and "Call-outs to the address" in page


def test_request_form_errors_keep_the_input(client, reviewer, involvement):
    client.force_login(reviewer)
    url = reverse("agencies:add_request", args=[involvement.case_id, involvement.pk])
    today = timezone.localdate()
    response = client.post(
        url,
        {"asked": "Its call-out records", **_date("requested_on", today), "due_on_0": "40"},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "There is a problem" in content and "Its call-out records" in content
    assert "Reply due by must include a month and year" in content


def test_an_overdue_request_is_marked_red_on_both_pages(client, reviewer, involvement):
    today = timezone.localdate()
    services.record_request(
        involvement,
        by=reviewer,
        asked="Its call-out records",
        requested_on=today - timedelta(days=30),
        due_on=today - timedelta(days=2),
    )
    client.force_login(reviewer)
    for url in (
        reverse("agencies:case_agencies", args=[involvement.case_id]),
        reverse("agencies:involvement", args=[involvement.case_id, involvement.pk]),
    ):
        content = client.get(url).content.decode()
        assert "govuk-tag--red" in content, url
    assert (
        "1 request for a contribution is overdue"
        in client.get(
            reverse("agencies:case_agencies", args=[involvement.case_id])
        ).content.decode()
    )


def test_recording_what_came_back(client, reviewer, involvement):
    today = timezone.localdate()
    asked = services.record_request(
        involvement,
        by=reviewer,
        asked="Its call-out records",
        requested_on=today - timedelta(days=30),
        due_on=today - timedelta(days=2),
    )
    client.force_login(reviewer)
    url = reverse("agencies:reply", args=[involvement.case_id, involvement.pk, asked.pk])
    response = client.post(url, {"outcome": "received", "summary": "", "version": 1})
    assert_error_summary(
        response, "Enter the date the contribution was received", "id_received_on_0"
    )
    response = client.post(
        url,
        {
            "outcome": "received",
            "summary": "Three call-outs",
            "version": 1,
            **_date("received_on", today),
        },
    )
    assert response.status_code == 302
    asked.refresh_from_db()
    assert (asked.outcome, asked.summary) == ("received", "Three call-outs")


def test_linking_findings_and_actions_on_the_agencys_page(
    client, reviewer, involvement, review_case
):
    finding, action = good_practice(review_case), external_action(review_case)
    client.force_login(reviewer)
    url = reverse("agencies:concerns", args=[review_case.pk, involvement.pk])
    page = client.get(url).content.decode()
    assert finding.title in page and 'type="checkbox"' in page
    response = client.post(
        url, {"findings": [finding.pk], "actions": [action.pk], "version": involvement.version}
    )
    assert response.status_code == 302
    assert list(involvement.findings.all()) == [finding]


def test_adding_a_domestic_homicide_review(client, reviewer, review_case):
    client.force_login(reviewer)
    url = reverse("agencies:add_parallel_review", args=[review_case.pk])
    response = client.post(url, {"kind": "dhr", "lead_body": ""})
    assert_error_summary(response, "Enter the body that leads the review", "id_lead_body")
    today = timezone.localdate()
    response = client.post(
        url,
        {
            "kind": "dhr",
            "lead_body": "Hackney community safety partnership",
            **_date("commissioned_on", today - timedelta(days=10)),
            **_date("expected_on", today + timedelta(days=180)),
            "sharing": "One joint interview",
        },
    )
    assert response.status_code == 302
    review = ParallelReview.objects.get(case=review_case)
    page = client.get(reverse("agencies:case_agencies", args=[review_case.pk])).content.decode()
    assert "Domestic homicide review" in page and review.lead_body in page


# --- Who gets what ---------------------------------------------------------------------------


def _urls(case, involvement):
    asked = ContributionRequest.objects.filter(involvement=involvement).first()
    args = [case.pk, involvement.pk]
    return {
        "read": [
            reverse("agencies:case_agencies", args=[case.pk]),
            reverse("agencies:involvement", args=args),
            reverse("agencies:extract", args=args),
        ],
        "write": [
            reverse("agencies:add_involvement", args=[case.pk]),
            reverse("agencies:edit_involvement", args=args),
            reverse("agencies:add_request", args=args),
            reverse("agencies:reply", args=[*args, asked.pk]),
            reverse("agencies:concerns", args=args),
            reverse("agencies:record_share", args=args),
            reverse("agencies:add_parallel_review", args=[case.pk]),
        ],
    }


@pytest.fixture
def with_request(involvement, reviewer):
    today = timezone.localdate()
    services.record_request(
        involvement, by=reviewer, asked="Records", requested_on=today, due_on=today
    )
    return involvement


@pytest.mark.parametrize(
    "who, read, write",
    [
        (("a", Role.SFO_REVIEWER), 200, 200),
        (("a", Role.SFO_REVIEW_MANAGER), 200, 200),
        (("a", Role.SENIOR_MANAGER), 200, 200),
        (("central", Role.CENTRAL_QA_REVIEWER), 200, 403),
        (("central", Role.CENTRAL_QA_MANAGER), 200, 403),
        (("a", Role.RESPONSIBLE_OFFICER), 403, 403),
        (("a", Role.VICTIM_LIAISON_OFFICER), 403, 403),
        (("central", Role.ANALYST), 403, 403),
        (("central", Role.CHIEF_OFFICER), 403, 403),
        (("central", Role.ADMINISTRATOR), 403, 403),
        (("b", Role.SFO_REVIEWER), 404, 404),
        (("b", Role.SENIOR_MANAGER), 404, 404),
    ],
)
def test_who_gets_what(client, world, review_case, with_request, who, read, write):
    person = world[who[0]][who[1]]
    client.force_login(person)
    urls = _urls(review_case, with_request)
    for kind, expected in (("read", read), ("write", write)):
        for url in urls[kind]:
            last = AccessRecord.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            response = client.get(url)
            assert response.status_code == expected, (url, person.username)
            rows = list(AccessRecord.objects.filter(pk__gt=last))
            assert len(rows) == 1, (url, [(r.object_type, r.action) for r in rows])
            assert rows[0].allowed == (expected == 200)
            assert rows[0].user == person


def test_make_extract_is_post_only(client, reviewer, involvement):
    client.force_login(reviewer)
    url = reverse("agencies:make_extract", args=[involvement.case_id, involvement.pk])
    assert client.get(url).status_code == 405


def test_an_agency_of_another_case_is_not_found(client, world, murder, reviewer, involvement):
    from reviews.workflow import CaseState
    from tests.reviews.conftest import case_in

    other = case_in(world, murder, CaseState.REVIEW_IN_PROGRESS, crn="A654321")
    client.force_login(reviewer)
    url = reverse("agencies:involvement", args=[other.pk, involvement.pk])
    assert client.get(url).status_code == 404
    assert AccessRecord.objects.filter(
        user=reviewer, allowed=False, object_id=str(involvement.pk)
    ).exists()


def test_the_case_page_links_to_the_agencies_page_for_those_who_may_see_it(
    client, world, review_case
):
    link = reverse("agencies:case_agencies", args=[review_case.pk])
    for who, shown in (
        (world["a"][Role.SFO_REVIEWER], True),
        (world["central"][Role.CENTRAL_QA_REVIEWER], True),
        (world["a"][Role.RESPONSIBLE_OFFICER], False),
        (world["central"][Role.ANALYST], False),
    ):
        client.force_login(who)
        page = client.get(reverse("reviews:case_detail", args=[review_case.pk]))
        assert page.status_code == 200
        assert (link in page.content.decode()) is shown, who.username


def test_a_stale_save_of_the_links_shows_both_and_keeps_what_was_ticked(
    client, reviewer, involvement, review_case
):
    finding, action = good_practice(review_case), external_action(review_case)
    opened = involvement.version  # the manager opens the page
    # ... and meanwhile the reviewer links the action only.
    services.link_concerns(
        involvement, by=reviewer, finding_ids=[], action_ids=[action.pk], expected_version=opened
    )
    client.force_login(reviewer)
    url = reverse("agencies:concerns", args=[review_case.pk, involvement.pk])
    response = client.post(url, {"findings": [finding.pk], "version": opened})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Someone else saved this while you were editing it" in content
    saved = content.split('data-version="saved"')
    yours = content.split('data-version="yours"')
    assert finding.title in yours[1].split("</div>")[0]  # the key findings: yours
    assert finding.title not in saved[1].split("</div>")[0]  # not saved
    assert "same-day alert" in saved[2].split("</div>")[0]  # the actions: saved
    assert "same-day alert" not in yours[2].split("</div>")[0]  # not yours
    # What was ticked is still ticked, with the version now saved, and nothing was changed.
    assert f'name="findings" type="checkbox" value="{finding.pk}" checked>' in content
    assert f'name="actions" type="checkbox" value="{action.pk}">' in content
    involvement.refresh_from_db()
    assert f'name="version" value="{involvement.version}"' in content
    assert not involvement.findings.exists()
    assert list(involvement.actions.all()) == [action]
    # Saving again, having compared, is what they meant.
    response = client.post(url, {"findings": [finding.pk], "version": involvement.version})
    assert response.status_code == 302
    assert list(involvement.findings.all()) == [finding] and not involvement.actions.exists()


def test_naming_a_retired_agency_says_so_and_keeps_what_was_typed(client, reviewer, review_case):
    Agency.objects.filter(name="Kent Police").update(active=False)
    client.force_login(reviewer)
    response = client.post(
        reverse("agencies:add_involvement", args=[review_case.pk]),
        {"new_name": "kent police", "new_kind": "police", "role": "Arrested him in May"},
    )
    content = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in content
    assert "Kent Police has been retired from the register" in content
    assert 'value="kent police"' in content and "Arrested him in May" in content
    assert not AgencyInvolvement.objects.filter(case=review_case).exists()
