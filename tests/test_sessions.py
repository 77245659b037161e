"""Sessions end after 30 idle minutes or 12 hours, and a form sent after that is not lost."""

import time

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from sfo.people.models import HeldSubmission, Organisation
from sfo.people.roles import Role
from sfo.people.services import discard_expired_held_submissions
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def age_session(client, *, idle_seconds=0, signed_in_seconds_ago=0):
    session = client.session
    now = int(time.time())
    session["sfo_last_seen"] = now - idle_seconds
    session["sfo_signed_in_at"] = now - max(idle_seconds, signed_in_seconds_ago)
    session.save()


def test_a_session_used_within_30_minutes_continues(client, staff):
    client.force_login(staff[Role.SFO_REVIEWER])
    age_session(client, idle_seconds=29 * 60)
    assert client.get(reverse("home")).status_code == 200


def test_30_minutes_without_a_request_signs_the_user_out(client, staff):
    client.force_login(staff[Role.SFO_REVIEWER])
    age_session(client, idle_seconds=31 * 60)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
    assert any("30 minutes" in str(m) for m in get_messages(response.wsgi_request))


def test_12_hours_after_signing_in_the_user_is_signed_out_however_active(client, staff):
    client.force_login(staff[Role.SFO_REVIEWER])
    age_session(client, idle_seconds=60, signed_in_seconds_ago=12 * 3600 + 1)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.fixture
def administrator(staff):
    return staff[Role.ADMINISTRATOR]


def post_after_timeout(client, user, path, data):
    client.force_login(user)
    age_session(client, idle_seconds=45 * 60)
    return client.post(path, data)


def test_a_form_sent_after_the_timeout_is_kept_and_sent_again_after_sign_in(client, administrator):
    path = reverse("admin:people_organisation_add")
    typed = {
        "name": "Probation Service North East Region",
        "code": "pdu-ne",
        "kind": "probation_division",
        "area": "North East",
        "active": "on",
    }
    response = post_after_timeout(client, administrator, path, typed)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not Organisation.objects.filter(code="pdu-ne").exists()
    held = HeldSubmission.objects.get(user=administrator)
    assert held.path == path
    assert held.data["name"] == ["Probation Service North East Region"]
    assert "csrfmiddlewaretoken" not in held.data

    signed_in = client.post(
        reverse("login"), {"username": administrator.username, "password": PASSWORD, "next": path}
    )
    assert signed_in["Location"] == reverse("held_submission", args=[held.pk])
    page = client.get(signed_in["Location"])
    assert b"Probation Service North East Region" in page.content

    resent = client.post(reverse("held_submission", args=[held.pk]), typed)
    assert resent.status_code == 307 and resent["Location"] == path
    created = client.post(resent["Location"], typed)
    assert created.status_code == 302
    assert Organisation.objects.filter(
        code="pdu-ne", name="Probation Service North East Region"
    ).exists()
    assert not HeldSubmission.objects.exists()


def test_a_kept_form_is_only_ever_offered_to_the_person_who_sent_it(
    client, administrator, provider
):
    post_after_timeout(client, administrator, reverse("admin:people_team_add"), {"name": "X"})
    held = HeldSubmission.objects.get()
    other = UserFactory(organisation=provider, role=Role.SFO_REVIEWER)
    client.force_login(other)
    assert client.get(reverse("held_submission", args=[held.pk])).status_code == 404
    assert client.post(reverse("discard_held_submission", args=[held.pk])).status_code == 404
    assert HeldSubmission.objects.filter(pk=held.pk).exists()


def test_a_kept_form_can_be_discarded(client, administrator):
    post_after_timeout(client, administrator, reverse("admin:people_team_add"), {"name": "X"})
    held = HeldSubmission.objects.get()
    client.force_login(administrator)
    response = client.post(reverse("discard_held_submission", args=[held.pk]))
    assert response.status_code == 302
    assert not HeldSubmission.objects.exists()


def test_a_forged_form_without_its_token_is_refused_and_not_kept(administrator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(administrator)
    age_session(client, idle_seconds=45 * 60)
    response = client.post(reverse("admin:people_team_add"), {"name": "Planted"})
    assert response.status_code == 403
    assert not HeldSubmission.objects.exists()


def test_a_genuine_form_with_its_token_is_kept(administrator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(administrator)
    page = client.get(reverse("admin:people_team_add"))
    token = page.context["csrf_token"]
    age_session(client, idle_seconds=45 * 60)
    response = client.post(
        reverse("admin:people_team_add"), {"name": "Kept", "csrfmiddlewaretoken": str(token)}
    )
    assert response.status_code == 302
    assert HeldSubmission.objects.get().data == {"name": ["Kept"]}


def test_kept_forms_are_forgotten_after_24_hours(administrator):
    held = HeldSubmission.objects.create(user=administrator, path="/", data={"a": ["b"]})
    HeldSubmission.objects.filter(pk=held.pk).update(
        created_at=held.created_at.replace(year=held.created_at.year - 1)
    )
    fresh = HeldSubmission.objects.create(user=administrator, path="/", data={"a": ["c"]})
    assert discard_expired_held_submissions() == 1
    assert list(HeldSubmission.objects.all()) == [fresh]
