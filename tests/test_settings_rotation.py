"""Rotating the secret key must not sign everyone out: the old key is kept as a fallback, read from
SECRET_KEY_FALLBACKS, until the sessions signed with it have ended (docs/operations.md)."""

import os
import subprocess
import sys

import pytest
from django.urls import reverse

from sfo.people.roles import Role

OLD_KEY = "old-" + "o" * 56
NEW_KEY = "new-" + "n" * 56
THIRD_KEY = "third-" + "t" * 54


def production_setting(name: str, **environment: str) -> str:
    """The value of one production setting, in a fresh process with the given environment."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sfo.settings.production",
        "SECRET_KEY": NEW_KEY,
        "DATABASE_URL": "postgres://sfo@db.example/sfo",
        "REDIS_URL": "redis://cache.example:6379/0",
        **environment,
    }
    code = f"import django; django.setup(); from django.conf import settings as s; print(s.{name})"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    return result.stdout.strip()


def test_the_production_settings_read_the_old_keys_from_the_environment():
    keys = f"{OLD_KEY}, {THIRD_KEY}"
    assert production_setting("SECRET_KEY_FALLBACKS", SECRET_KEY_FALLBACKS=keys) == str(
        [OLD_KEY, THIRD_KEY]
    )


def test_without_old_keys_there_are_no_fallbacks():
    assert production_setting("SECRET_KEY_FALLBACKS", SECRET_KEY_FALLBACKS="") == "[]"


@pytest.mark.django_db
@pytest.mark.parametrize(("fallbacks", "still_signed_in"), [([OLD_KEY], True), ([], False)])
def test_a_session_survives_the_new_key_only_while_the_old_one_is_a_fallback(
    client, staff, settings, fallbacks, still_signed_in
):
    settings.SECRET_KEY = OLD_KEY
    settings.SECRET_KEY_FALLBACKS = []
    client.force_login(staff[Role.SFO_REVIEWER])
    assert client.get(reverse("home")).status_code == 200

    settings.SECRET_KEY = NEW_KEY
    settings.SECRET_KEY_FALLBACKS = fallbacks
    response = client.get(reverse("home"))
    assert (response.status_code == 200) is still_signed_in
    if not still_signed_in:
        assert response["Location"].startswith(reverse("login"))
