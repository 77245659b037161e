"""Every page about one object, opened with an id outside the user's scope.

The matrix (tests/test_access_matrix.py) proves each role gets what its rules allow on a case it
may see. Here the same URLs, with the same example objects, are asked for by people whose role
passes the page's rule but whose scope does not hold the object: another provider's staff, an
officer who never managed the case, an assessor it was not sampled for, anyone but the owner of a
kept form or an alert. Each must be refused (403, or 404 where an id must not say whether it
exists), by GET and by POST alike, and each refusal must leave a row in the access log naming the
person and the request. A page reached by POST alone answers a GET with 405 whatever the id, in
scope or not: no object is looked up, so nothing is refused and nothing is recorded."""

import pytest
from django.urls import URLPattern

from sfo.access import rule_of
from sfo.audit.models import AccessRecord
from sfo.people.roles import Role
from tests.test_access_matrix import ALL_URLS, POST_ONLY, build_url

# URLs taking an id whose every user sees every such object: nobody with a scope can reach them,
# so there is no out-of-scope id to try. The matrix covers them role by role.
NATIONAL_ONLY = {
    "qa:allocate",  # the central QA team: every case
    "qa:assessment",
    "qa:take",
    "qa:concordance",  # the central team, analysts, chief officers and administrators: figures
    "qa:concordance_csv",
    "qa:concordance_pdf",
    "qa:sample",  # administrators
    "reviews:decide_extension",  # the central QA manager
    "reviews:restart_clock",
    "reviews:stop_clock",
}
# Parameters that do not name an object.
NOT_AN_OBJECT = {"insights:table_csv"}  # a table of national figures, by its slug


def takes_an_object(name: str, pattern: URLPattern) -> bool:
    params = set(pattern.pattern.converters) | set(pattern.pattern.regex.groupindex)
    return bool(params) and not name.startswith("admin:") and name not in NOT_AN_OBJECT


OBJECT_URLS = [(name, pattern) for name, pattern in ALL_URLS if takes_an_object(name, pattern)]
SCOPED_OBJECT_URLS = [(n, p) for n, p in OBJECT_URLS if n not in NATIONAL_ONLY]


def test_only_national_pages_go_untried(outsiders):
    """A new object page that no outsider's role may use must be added to NATIONAL_ONLY on
    purpose, not skipped by accident."""
    untried = {
        name
        for name, pattern in OBJECT_URLS
        if not any(rule_of(pattern.callback).allows(user) for user in outsiders.values())
    }
    assert untried == NATIONAL_ONLY


@pytest.fixture
def world(matrix_world):
    """The matrix's world, with a form kept for its SFO reviewer after a session timeout."""
    from django.http import QueryDict

    from sfo.people.services import hold_submission

    staff, case = matrix_world
    held = hold_submission(
        user_id=staff[Role.SFO_REVIEWER].pk, path=f"/cases/{case.pk}/", post=QueryDict("note=x")
    )
    return staff, case, held


def url_for(name, pattern, case, held):
    if name in {"held_submission", "discard_held_submission"}:
        from django.urls import reverse

        return reverse(name, kwargs={"pk": held.pk})
    return build_url(name, pattern, case)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, pattern", SCOPED_OBJECT_URLS, ids=[name for name, _ in SCOPED_OBJECT_URLS]
)
def test_an_object_out_of_scope_is_refused_and_the_refusal_recorded(
    client, world, outsiders, name, pattern
):
    staff, case, held = world
    url = url_for(name, pattern, case, held)
    rule = rule_of(pattern.callback)
    tried, wrong = 0, []
    for who, user in outsiders.items():
        if not rule.allows(user):
            continue  # refused by role alone: the matrix's business
        client.force_login(user)
        for method in ("get", "post"):
            tried += 1
            response = getattr(client, method)(url)
            said = f"{method.upper()} {url} as the {who}"
            if method == "get" and name in POST_ONLY and response.status_code == 405:
                # The same answer for every id, in scope or not: no object is looked up.
                continue
            if response.status_code not in (403, 404):
                wrong.append(f"{said}: {response.status_code}")
                continue
            refusals = AccessRecord.objects.filter(
                user=user, allowed=False, request_id=response["X-Request-ID"]
            )
            if not refusals.exists():
                wrong.append(f"{said}: {response.status_code} but no refusal in the access log")
    assert tried, f"No outsider's role may use {name}"
    assert wrong == [], "\n".join(wrong)
