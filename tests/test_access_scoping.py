"""Who sees which cases and which victims' records: the scoping rules of the domain."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from sfo.access import may_see_victims_of, visible_cases, visible_victims
from sfo.audit.models import AccessRecord
from sfo.people.roles import PROVIDER_ROLES, Role
from tests.factories import (
    CaseFactory,
    OfficerPeriodFactory,
    SampleAssignmentFactory,
    UserFactory,
    VictimFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(provider, other_provider, staff):
    """own: managed by `provider`; directed: another provider's case that `provider` was directed
    to review; foreign: another provider's case with nothing to do with `provider`."""
    own = CaseFactory(managing_provider=provider)
    directed = CaseFactory(managing_provider=other_provider, reviewing_provider=provider)
    foreign = CaseFactory(managing_provider=other_provider)
    for case in (own, directed, foreign):
        VictimFactory(case=case)
    return {"own": own, "directed": directed, "foreign": foreign}


@pytest.mark.parametrize(
    "role",
    [Role.SFO_REVIEWER, Role.SFO_REVIEW_MANAGER, Role.SENIOR_MANAGER, Role.VICTIM_LIAISON_OFFICER],
)
def test_provider_staff_see_their_cases_and_those_they_were_directed_to_review(staff, cases, role):
    seen = set(visible_cases(staff[role]))
    assert seen == {cases["own"], cases["directed"]}


def test_a_responsible_officer_sees_only_the_cases_they_managed(staff, cases, provider):
    officer = staff[Role.RESPONSIBLE_OFFICER]
    assert list(visible_cases(officer)) == []
    OfficerPeriodFactory(case=cases["own"], officer=officer)
    # Managing a case in the past counts too: every officer of the review period.
    OfficerPeriodFactory(case=cases["foreign"], officer=officer, ended_on="2025-06-30")
    assert set(visible_cases(officer)) == {cases["own"], cases["foreign"]}


def test_an_independent_assessor_sees_only_the_cases_sampled_for_them(staff, cases):
    assessor = staff[Role.INDEPENDENT_ASSESSOR]
    assert list(visible_cases(assessor)) == []
    SampleAssignmentFactory(case=cases["foreign"], assessor=assessor)
    SampleAssignmentFactory(case=cases["own"])  # sampled for another assessor
    assert list(visible_cases(assessor)) == [cases["foreign"]]


@pytest.mark.parametrize(
    "role", [Role.CENTRAL_QA_REVIEWER, Role.CENTRAL_QA_MANAGER, Role.ANALYST, Role.CHIEF_OFFICER]
)
def test_the_central_team_analysts_and_chief_officers_see_every_case(staff, cases, role):
    assert set(visible_cases(staff[role])) == set(cases.values())


def test_an_administrator_sees_no_case(staff, cases):
    assert list(visible_cases(staff[Role.ADMINISTRATOR])) == []


def test_a_user_with_no_role_sees_nothing(provider, cases):
    nobody = UserFactory(organisation=provider)
    assert list(visible_cases(nobody)) == []
    assert list(visible_victims(nobody)) == []


def test_several_officer_periods_do_not_duplicate_a_case(staff, cases):
    officer = staff[Role.RESPONSIBLE_OFFICER]
    OfficerPeriodFactory(case=cases["own"], officer=officer, started_on="2024-01-01")
    OfficerPeriodFactory(case=cases["own"], officer=officer, started_on="2025-01-01")
    assert visible_cases(officer).count() == 1


@pytest.mark.parametrize("role", [Role.VICTIM_LIAISON_OFFICER, Role.SENIOR_MANAGER])
def test_victim_records_are_seen_by_the_case_providers_vlo_and_senior_manager(staff, cases, role):
    user = staff[role]
    assert {v.case for v in visible_victims(user)} == {cases["own"]}
    assert may_see_victims_of(user, cases["own"])
    # Directed to review another provider's case: the victims stay with the managing provider.
    assert not may_see_victims_of(user, cases["directed"])


@pytest.mark.parametrize("role", [Role.CENTRAL_QA_REVIEWER, Role.CENTRAL_QA_MANAGER])
def test_the_central_qa_team_sees_every_victim_record(staff, cases, role):
    assert {v.case for v in visible_victims(staff[role])} == set(cases.values())


@pytest.mark.parametrize(
    "role",
    [
        Role.SFO_REVIEWER,
        Role.SFO_REVIEW_MANAGER,
        Role.RESPONSIBLE_OFFICER,
        Role.INDEPENDENT_ASSESSOR,
        Role.ANALYST,
        Role.CHIEF_OFFICER,
        Role.ADMINISTRATOR,
    ],
)
def test_no_other_role_sees_a_victim_record(staff, cases, role):
    user = staff[role]
    OfficerPeriodFactory(case=cases["own"], officer=staff[Role.RESPONSIBLE_OFFICER])
    SampleAssignmentFactory(case=cases["own"], assessor=staff[Role.INDEPENDENT_ASSESSOR])
    assert list(visible_victims(user)) == []
    assert not may_see_victims_of(user, cases["own"])


def test_another_providers_case_is_not_found_and_the_attempt_is_recorded(client, staff, cases):
    client.force_login(staff[Role.SFO_REVIEWER])
    response = client.get(reverse("reviews:case_detail", args=[cases["foreign"].pk]))
    assert response.status_code == 404
    record = AccessRecord.objects.get(object_id=str(cases["foreign"].pk))
    assert (record.user, record.allowed, record.object_type) == (
        staff[Role.SFO_REVIEWER],
        False,
        "reviews.case",
    )


def test_a_vlo_of_the_reviewing_provider_is_refused_the_victims_and_it_is_recorded(
    client, staff, cases
):
    vlo = staff[Role.VICTIM_LIAISON_OFFICER]
    client.force_login(vlo)
    response = client.get(reverse("victims:case_victims", args=[cases["directed"].pk]))
    assert response.status_code == 403
    assert AccessRecord.objects.filter(
        user=vlo,
        object_type="victims.victim",
        allowed=False,
        object_id=f"case:{cases['directed'].pk}",
    ).exists()


def test_a_look_at_the_victims_of_a_case_is_recorded_once_without_their_names(client, staff, cases):
    VictimFactory(case=cases["own"])
    vlo = staff[Role.VICTIM_LIAISON_OFFICER]
    client.force_login(vlo)
    response = client.get(reverse("victims:case_victims", args=[cases["own"].pk]))
    assert response.status_code == 200
    for victim in cases["own"].victims.all():
        assert escape(victim.full_name) in response.content.decode()  # O'Brien is O&#x27;Brien
    recorded = list(
        AccessRecord.objects.filter(user=vlo).values_list(
            "object_type", "object_id", "action", "allowed"
        )
    )
    assert recorded == [("victims.case_victims", f"case:{cases['own'].pk}", "list", True)]


def test_the_case_list_shows_only_what_the_user_may_see(client, staff, cases):
    client.force_login(staff[Role.SFO_REVIEWER])
    response = client.get(reverse("reviews:case_list"))
    shown = {case.pk for case in response.context["page"]}
    assert shown == {cases["own"].pk, cases["directed"].pk}


def test_provider_roles_are_the_five_provider_roles():
    assert {
        Role.SFO_REVIEWER,
        Role.SFO_REVIEW_MANAGER,
        Role.SENIOR_MANAGER,
        Role.RESPONSIBLE_OFFICER,
        Role.VICTIM_LIAISON_OFFICER,
    } == PROVIDER_ROLES
