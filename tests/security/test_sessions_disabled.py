"""Disabling a person's account ends every session they have, at once: the browser they were using
and any other is signed out on its next request, and switching the account back on later does not
bring an old session back. The idle and absolute timeouts are tested in tests/test_sessions.py."""

from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.forms import CheckboxInput, MultiWidget
from django.test import Client
from django.urls import reverse

from sfo.people.roles import Role

pytestmark = pytest.mark.django_db


def session_store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def sessions_of(user) -> list[str]:
    """The keys of the stored sessions signed in as `user`."""
    model = session_store().get_model_class()
    return [
        session.session_key
        for session in model.objects.all()
        if session.get_decoded().get(SESSION_KEY) == str(user.pk)
    ]


def signed_in_browser(user) -> Client:
    browser = Client()
    browser.force_login(user)
    assert browser.get(reverse("home")).status_code == 200
    return browser


def assert_signed_out(browser: Client) -> None:
    response = browser.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def admin_form_data(form) -> dict:
    """What the browser posts back for an admin change form left as it was shown."""
    data = {}
    for field in form:
        if field.field.disabled:
            continue
        widget = getattr(field.field.widget, "widget", field.field.widget)
        value = field.value()
        if isinstance(widget, MultiWidget):
            parts = value if isinstance(value, list) else widget.decompress(value)
            for index, (sub, part) in enumerate(zip(widget.widgets, parts, strict=True)):
                data[f"{field.html_name}_{index}"] = sub.format_value(part) or ""
        elif isinstance(widget, CheckboxInput):
            if value:
                data[field.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[field.html_name] = [str(v) for v in value]
        elif value is not None:
            data[field.html_name] = str(value)
    return data


def set_active_in_the_admin(administrator, person, active: bool):
    admin = Client()
    admin.force_login(administrator)
    url = reverse("admin:people_user_change", args=[person.pk])
    data = admin_form_data(admin.get(url).context["adminform"].form)
    data.pop("is_active", None)
    if active:
        data["is_active"] = "on"
    response = admin.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    person.refresh_from_db()
    assert person.is_active is active


def test_sessions_are_kept_where_they_can_be_ended():
    # Sessions in signed cookies or a cache alone could not be found and ended by person.
    assert hasattr(session_store(), "get_model_class"), settings.SESSION_ENGINE


def test_disabling_a_person_in_the_admin_signs_out_each_of_their_browsers(staff):
    reviewer = staff[Role.SFO_REVIEWER]
    office, laptop = signed_in_browser(reviewer), signed_in_browser(reviewer)
    colleague = signed_in_browser(staff[Role.SFO_REVIEW_MANAGER])
    assert len(sessions_of(reviewer)) == 2

    set_active_in_the_admin(staff[Role.ADMINISTRATOR], reviewer, active=False)

    assert sessions_of(reviewer) == []
    assert_signed_out(office)
    assert_signed_out(laptop)
    # Nobody else is signed out.
    assert colleague.get(reverse("home")).status_code == 200


def test_switching_the_account_back_on_does_not_revive_an_old_session(staff):
    reviewer = staff[Role.SFO_REVIEWER]
    browser = signed_in_browser(reviewer)

    set_active_in_the_admin(staff[Role.ADMINISTRATOR], reviewer, active=False)
    set_active_in_the_admin(staff[Role.ADMINISTRATOR], reviewer, active=True)

    assert_signed_out(browser)
    assert_signed_out(browser)
    # They sign in again, as anyone would.
    assert signed_in_browser(reviewer).get(reverse("home")).status_code == 200


def test_an_account_disabled_outside_the_admin_is_signed_out_too(staff):
    reviewer = staff[Role.SFO_REVIEWER]
    browser = signed_in_browser(reviewer)

    reviewer.is_active = False
    reviewer.save()

    assert sessions_of(reviewer) == []
    reviewer.is_active = True
    reviewer.save()
    assert_signed_out(browser)


def test_a_form_sent_from_a_disabled_account_is_neither_saved_nor_kept(staff):
    from sfo.people.models import HeldSubmission, Team

    administrator = staff[Role.ADMINISTRATOR]
    other_admin = signed_in_browser(administrator)
    set_active_in_the_admin(staff[Role.ADMINISTRATOR], administrator, active=False)

    response = other_admin.post(reverse("admin:people_team_add"), {"name": "Planted"})

    assert response.status_code == 302
    assert not Team.objects.filter(name="Planted").exists()
    assert not HeldSubmission.objects.exists()
