"""The role × URL matrix of the victims' record and request pages: every role of the provider of
a case with a victim and an open request (the staff of `tests/conftest.py`), with what each gets.
The central matrix (`tests/test_access_matrix.py`) covers every URL by rule; this one adds the
object-level answers of these pages: a page that records is for the provider's VLOs and senior
managers, sign-off for its senior managers, and a step the request's state does not allow sends
them back to the request (302)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from sfo.people.roles import Role
from victims.models import DisclosureRequest

pytestmark = pytest.mark.django_db

READERS = {Role.VICTIM_LIAISON_OFFICER, Role.SENIOR_MANAGER}
CENTRAL = {Role.CENTRAL_QA_REVIEWER, Role.CENTRAL_QA_MANAGER}

# name: (argument kind, who may use it beyond reading, status when allowed)
PAGES = {
    "case_victims": ("case", "read", 200),
    "entitlement_tasks": (None, "read", 200),
    "victim": ("victim", "read", 200),
    "request": ("request", "read", 200),
    "add_victim": ("case", "record", 200),
    "edit_victim": ("victim", "record", 200),
    "record_contact": ("victim", "record", 200),
    "vcs_choice": ("victim", "record", 200),
    "record_request": ("victim", "record", 200),
    "assessment": ("request", "record", 200),
    "decline": ("request", "record", 200),
    "meeting": ("request", "record", 200),  # shows why no meeting can be recorded yet
    "feedback": ("request", "record", 302),  # only once the meeting is held
    "release": ("request", "record", 302),
    "sign_off": ("request", "sign", 302),  # only once the assessment is complete
}


@pytest.fixture
def request_world(staff, shared_case):
    victim = shared_case.victims.get()
    request = DisclosureRequest.objects.create(
        victim=victim,
        requested_on=timezone.localdate(),
        how_made="phone",
        recorded_by=staff[Role.VICTIM_LIAISON_OFFICER],
    )
    return staff, {"case": shared_case.pk, "victim": victim.pk, "request": request.pk}


def expected(role, who, status):
    if who == "read":
        return status if role in READERS | CENTRAL else 403
    if who == "sign":
        return status if role == Role.SENIOR_MANAGER else 403
    return status if role in READERS else 403


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_each_role_gets_what_the_victims_pages_allow(client, request_world, role):
    staff, pks = request_world
    client.force_login(staff[role])
    wrong = []
    for name, (kind, who, status) in PAGES.items():
        url = reverse(f"victims:{name}", args=[pks[kind]] if kind else [])
        got = client.get(url).status_code
        if got != expected(role, who, status):
            wrong.append(f"{name}: expected {expected(role, who, status)}, got {got}")
    assert wrong == []


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(client, request_world):
    _, pks = request_world
    for name, (kind, _, _) in PAGES.items():
        response = client.get(reverse(f"victims:{name}", args=[pks[kind]] if kind else []))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
