"""The demo data loads, and every demo login reaches its role's home page."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from sfo.people.demo import DEMO_PASSWORD, ORGANISATIONS, roles_for, username
from sfo.people.models import Organisation, User
from sfo.people.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("load_demo_data", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_it_loads_every_organisation_and_a_login_per_role_per_organisation(demo):
    assert Organisation.objects.count() == len(ORGANISATIONS)
    expected = {
        username(role, spec.code) for spec in ORGANISATIONS for role in roles_for(spec.kind)
    }
    assert set(User.objects.values_list("username", flat=True)) == expected
    for spec in ORGANISATIONS:
        for role in roles_for(spec.kind):
            assert User.objects.get(username=username(role, spec.code)).roles == {role}


def test_every_role_has_a_demo_login(demo):
    roles = {role for spec in ORGANISATIONS for role in roles_for(spec.kind)}
    assert roles == set(Role)


def test_it_can_be_loaded_twice(demo):
    before = User.objects.count()
    call_command("load_demo_data", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert User.objects.count() == before


def test_reviewers_report_to_review_managers_who_report_to_senior_managers(demo):
    reviewer = User.objects.get(username="reviewer.nps-london")
    chain = [m.username for m in reviewer.line_management_chain()]
    assert chain == ["review-manager.nps-london", "senior-manager.nps-london"]
    officer = User.objects.get(username="officer.nps-london")
    senior = User.objects.get(username="senior-manager.nps-london")
    assert not senior.is_in_line_management_of(officer)


DEMO_LOGINS = [
    username(role, spec.code)
    for spec in ORGANISATIONS
    if spec.active
    for role in roles_for(spec.kind)
]


def test_every_demo_login_reaches_its_home_page(client, demo):
    """Every login in turn, on one load of the demo data (a load per login took minutes)."""
    for login in DEMO_LOGINS:
        response = client.post(
            reverse("login"), {"username": login, "password": DEMO_PASSWORD}, follow=True
        )
        assert response.status_code == 200, login
        assert response.redirect_chain[-1][0] == reverse("home"), login
        user = User.objects.get(username=login)
        for role in user.roles:
            assert f'id="role-{role.value}"'.encode() in response.content, login
            assert role.label.encode() in response.content, login
        client.logout()


def test_demo_data_is_refused_in_production_settings(settings, db):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="refused"):
        call_command("load_demo_data")
    assert not User.objects.exists()


def test_the_demo_holds_a_case_in_every_state_some_overdue_and_some_high_profile(demo):
    from django.utils import timezone

    from reviews.models import Case
    from reviews.workflow import CaseState
    from sfo.clocks.models import Clock

    assert set(Case.objects.values_list("state", flat=True)) == set(CaseState.values)
    assert Case.objects.filter(high_profile=True).exists()
    assert Clock.objects.filter(status="running", due_on__lt=timezone.localdate()).exists()
