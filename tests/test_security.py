"""The security baseline: headers, caching, lockout, client addresses, deploy checks."""

import os
import subprocess
import sys

import pytest
from django.test import RequestFactory
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from sfo.people.client_ip import client_ip
from sfo.people.roles import Role
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_content_security_policy_allows_no_inline_script_and_no_framing(client):
    policy = client.get(reverse("login"))["Content-Security-Policy"]
    directives = dict(
        (part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";") if part.strip()
    )
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    for name in ("object-src", "base-uri", "frame-ancestors"):
        assert directives[name] == "'none'", name


def test_pages_for_signed_in_staff_are_never_stored(client, staff, shared_case):
    client.force_login(staff[Role.SFO_REVIEWER])
    for url in (reverse("home"), reverse("reviews:case_detail", args=[shared_case.pk])):
        cache_control = client.get(url)["Cache-Control"]
        assert "no-store" in cache_control and "private" in cache_control, url


def test_every_response_carries_a_request_id(client):
    first = client.get(reverse("login"))["X-Request-ID"]
    second = client.get(reverse("login"))["X-Request-ID"]
    assert len(first) == 32 and first != second


@given(forwarded=st.lists(st.ip_addresses().map(str), max_size=5))
def test_a_client_supplied_x_forwarded_for_is_ignored_by_default(forwarded):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR=", ".join(forwarded)
    )
    assert client_ip(request) == "198.51.100.7"


def test_behind_one_trusted_proxy_the_address_that_proxy_saw_is_used(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9, 192.0.2.44"
    )
    # The client may have written 203.0.113.9 itself; the proxy appended what it saw.
    assert client_ip(request) == "192.0.2.44"


def sign_in(client, username, password, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(client, staff):
    username = staff[Role.SFO_REVIEWER].username
    for _ in range(5):
        response = sign_in(client, username, "wrong-password", REMOTE_ADDR="198.51.100.7")
        assert response.status_code in (200, 429)
    locked = sign_in(client, username, PASSWORD, REMOTE_ADDR="198.51.100.7")
    assert locked.status_code == 429
    assert b"Your account is locked" in locked.content
    assert "_auth_user_id" not in client.session


def test_a_forged_x_forwarded_for_does_not_escape_the_lockout(client, staff):
    username = staff[Role.SFO_REVIEWER].username
    for n in range(6):
        response = sign_in(
            client,
            username,
            "wrong-password",
            REMOTE_ADDR="198.51.100.7",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        )
    assert response.status_code == 429


def test_a_wrong_password_is_explained_and_the_username_kept(client, staff):
    username = staff[Role.SFO_REVIEWER].username
    response = sign_in(client, username, "wrong-password")
    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert f'value="{username}"'.encode() in response.content


def test_the_production_settings_pass_the_deploy_checks_with_nothing_silenced():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sfo.settings.production",
        "SECRET_KEY": "x" * 20 + "-a-long-and-random-production-secret-key-0123456789",
        "ALLOWED_HOSTS": "sfo.example.gov.uk",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)" in result.stdout


def test_the_production_settings_are_strict():
    from importlib import import_module

    production = import_module("sfo.settings.production")
    assert production.DEBUG is False
    assert production.SESSION_COOKIE_SECURE and production.CSRF_COOKIE_SECURE
    assert production.SECURE_HSTS_SECONDS >= 31536000
    assert production.DEMO_DATA_ALLOWED is False
    assert not hasattr(production, "SILENCED_SYSTEM_CHECKS")


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL", "REDIS_URL"])
def test_the_production_settings_refuse_to_start_without_their_configuration(missing):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sfo.settings.production",
        "SECRET_KEY": "x" * 60,
        "DATABASE_URL": "postgres://sfo@db.example/sfo",
        "REDIS_URL": "redis://cache.example:6379/0",
    }
    del env[missing]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], capture_output=True, text=True, env=env, check=False
    )
    assert result.returncode != 0
    assert f"{missing} is not set" in result.stderr
