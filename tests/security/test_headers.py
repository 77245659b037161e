"""The protective headers are on every page the service serves, not only on the few that
tests/test_security.py opens: every URL of the access matrix (PDFs and CSV files included), opened
with the matrix's example objects by someone allowed to see it, answers with the foundation's
content security policy, `nosniff`, a strict referrer policy and no framing, and never lets a
browser or proxy keep a copy of what a signed-in person was shown. Production adds HSTS."""

from importlib import import_module

import pytest
from csp.constants import NONE, SELF
from django.conf import settings
from django.urls import reverse

from sfo.access import rule_of
from sfo.people.roles import Role
from tests.test_access_matrix import (
    ALL_URLS,
    ALLOWED_STATUS,
    OBJECT_REDIRECT_PREFIX,
    build_url,
    matrix_world,  # noqa: F401  (the matrix's world of example objects, used by name)
    object_level_status,
    request,
)

pytestmark = pytest.mark.django_db

KEYWORDS = {SELF: "'self'", NONE: "'none'"}
STRICT_REFERRER_POLICIES = {"no-referrer", "same-origin", "strict-origin"}


def directives(policy: str) -> dict[str, str]:
    parts = (part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    return {part[0]: part[1] if len(part) > 1 else "" for part in parts}


def foundation_policy() -> dict[str, str]:
    """The policy the settings declare, as the header spells it."""
    return {
        name: " ".join(KEYWORDS.get(source, source) for source in sources)
        for name, sources in settings.CONTENT_SECURITY_POLICY["DIRECTIVES"].items()
    }


def test_the_foundation_policy_forbids_inline_script_and_framing():
    policy = foundation_policy()
    assert policy["script-src"] == "'self'" and policy["default-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"
    assert not any("unsafe" in sources for sources in policy.values())


def expected_status(name, pattern, user, case) -> int:
    allowed = 302 if name in OBJECT_REDIRECT_PREFIX else ALLOWED_STATUS.get(name, 200)
    return object_level_status(name, user, case) or allowed


def viewer_of(name, pattern, staff, case):
    """Someone allowed to see the page, preferring one who gets the page itself rather than a
    refusal of the object; None for a public page, opened by a visitor."""
    rule = rule_of(pattern.callback)
    if rule.public:
        return None
    allowed = [staff[role] for role in Role if rule.allows(staff[role])]
    assert allowed, f"Nobody may open {name}"
    for user in allowed:
        if expected_status(name, pattern, user, case) not in (403, 404):
            return user
    return allowed[0]


def header_problems(response, signed_in: bool) -> list[str]:
    problems = []
    policy = response.get("Content-Security-Policy", "")
    if directives(policy) != foundation_policy():
        problems.append(f"content security policy {policy!r}")
    if response.get("X-Content-Type-Options") != "nosniff":
        problems.append("no nosniff")
    if response.get("Referrer-Policy") not in STRICT_REFERRER_POLICIES:
        problems.append(f"referrer policy {response.get('Referrer-Policy')!r}")
    if response.get("X-Frame-Options") != "DENY":
        problems.append("may be framed")
    cache_control = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    if signed_in and not {"no-store", "private"} <= cache_control:
        problems.append(f"may be stored: Cache-Control {response.get('Cache-Control')!r}")
    if response.get("Content-Type", "").startswith("text/html") and response.status_code == 200:
        problems += inline_script_in(response.content.decode())
    return problems


def inline_script_in(html: str) -> list[str]:
    """Script the policy would block: a <script> without src (JSON data aside) or an on…=
    handler. A page that relied on either would break under the policy."""
    import re

    problems = []
    for tag in re.findall(r"<script\b[^>]*>", html, re.IGNORECASE):
        if "src=" not in tag and 'type="application/json"' not in tag:
            problems.append(f"inline script {tag}")
    problems += [f"event handler {h}" for h in re.findall(r"<[^>]+\son[a-z]+=", html, re.I)]
    return problems


def test_every_page_carries_the_protective_headers(client, matrix_world):  # noqa: F811
    staff, case = matrix_world
    wrong, seen = [], set()
    for name, pattern in ALL_URLS:
        url = build_url(name, pattern, case)
        user = viewer_of(name, pattern, staff, case)
        client.logout()
        if user is not None:
            client.force_login(user)
        response = request(client, name, url)
        seen.add((response.status_code, response.get("Content-Type", "").split(";")[0]))
        for problem in header_problems(response, signed_in=user is not None):
            wrong.append(f"{name} {url} ({response.status_code}): {problem}")
    assert wrong == [], "\n".join(wrong)
    # The run met pages, redirects, refusals, PDFs and CSV files, not only one kind of answer.
    kinds = {kind for _, kind in seen}
    assert {"text/html", "application/pdf", "text/csv"} <= kinds, kinds
    assert {200, 302, 403, 404} <= {status for status, _ in seen}


def test_a_visitor_is_sent_to_sign_in_with_the_same_headers(client, matrix_world):  # noqa: F811
    _, case = matrix_world
    wrong = []
    for name, pattern in ALL_URLS:
        response = request(client, name, build_url(name, pattern, case))
        wrong += [f"{name}: {p}" for p in header_problems(response, signed_in=False)]
    assert wrong == [], "\n".join(wrong)


@pytest.fixture
def production_transport(settings):
    """The production settings' transport security, applied to the test settings."""
    production = import_module("sfo.settings.production")
    for name in (
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
    ):
        setattr(settings, name, getattr(production, name))
    return production


def test_in_production_https_is_required_and_remembered_for_every_subdomain(
    client, staff, production_transport
):
    assert production_transport.SECURE_HSTS_SECONDS >= 365 * 24 * 3600
    assert production_transport.SECURE_HSTS_INCLUDE_SUBDOMAINS is True

    plain = client.get(reverse("login"))
    assert plain.status_code == 301 and plain["Location"].startswith("https://")

    client.force_login(staff[Role.SFO_REVIEWER])
    for url in (reverse("login"), reverse("home")):
        hsts = client.get(url, secure=True)["Strict-Transport-Security"]
        assert (
            hsts == f"max-age={production_transport.SECURE_HSTS_SECONDS}; includeSubDomains; "
            "preload"
        ), url
