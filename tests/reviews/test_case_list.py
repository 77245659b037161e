"""The case list: scoped, filtered, searched, sorted, and constant in its number of queries."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reviews import services
from reviews.journeys import advance
from reviews.workflow import CaseState
from sfo.people.roles import Role
from tests.reviews.conftest import actors_of

pytestmark = pytest.mark.django_db


def make_cases(world, offence, count, key="a", state=CaseState.NOTIFIED, hearing=None):
    hearing = hearing or timezone.localdate() - timedelta(days=1)
    people = actors_of(world, key)
    made = []
    for n in range(count):
        case = services.identify_case(
            by=world[key][Role.SFO_REVIEWER],
            crn=f"{key.upper()}{n:06d}",
            person_name=f"Person {key}{n}",
            offence=offence,
            first_hearing_date=hearing,
        )
        made.append(advance(case, state, people, offence=offence))
    return made


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_number_of_queries_does_not_grow_with_the_cases(client, world, murder):
    client.force_login(world["central"][Role.CENTRAL_QA_REVIEWER])
    make_cases(world, murder, 3)
    client.get(reverse("reviews:case_list"))  # warm the per-process caches (content types, …)
    few = queries_for(client, reverse("reviews:case_list"))
    make_cases(world, murder, 30, key="b")
    many = queries_for(client, reverse("reviews:case_list"))
    assert few == many
    # Session, user, roles, alert badge, count, page, access-log insert and the clock policies.
    assert many <= 12


def test_provider_staff_see_only_their_providers_cases(client, world, murder):
    make_cases(world, murder, 2, key="a")
    make_cases(world, murder, 2, key="b")
    client.force_login(world["a"][Role.SFO_REVIEW_MANAGER])
    response = client.get(reverse("reviews:case_list"))
    assert {case.managing_provider for case, _ in response.context["rows"]} == {
        world["a"]["provider"]
    }


def test_search_finds_by_crn_name_and_reference(client, world, murder):
    cases = make_cases(world, murder, 3, state=CaseState.REGISTERED)
    client.force_login(world["central"][Role.CENTRAL_QA_MANAGER])
    for q in (cases[1].crn, cases[1].reference, "person a1"):
        rows = client.get(reverse("reviews:case_list"), {"q": q}).context["rows"]
        assert [case.pk for case, _ in rows] == [cases[1].pk], q


def test_filters_by_state_high_profile_and_deadline(client, world, murder):
    notified = make_cases(world, murder, 2)
    registered = make_cases(world, murder, 1, state=CaseState.REGISTERED)
    overdue = make_cases(world, murder, 1, key="b", hearing=date(2026, 1, 5))  # long past due
    client.force_login(world["central"][Role.CENTRAL_QA_MANAGER])
    url = reverse("reviews:case_list")
    by_state = client.get(url, {"state": ["registered"]}).context["rows"]
    assert [c.pk for c, _ in by_state] == [registered[0].pk]
    red = client.get(url, {"clock": ["red"]}).context["rows"]
    assert [c.pk for c, _ in red] == [overdue[0].pk] and red[0][1] == "red"
    assert client.get(url, {"high_profile": "on"}).context["rows"] == []
    assert len(notified) == 2


def test_a_filter_that_matches_nothing_says_so(client, world, murder):
    client.force_login(world["central"][Role.CENTRAL_QA_MANAGER])
    response = client.get(reverse("reviews:case_list"), {"q": "Z999999"})
    assert b"No case matches these filters" in response.content


def test_each_listing_of_cases_is_recorded_in_the_access_log(client, world, murder):
    from sfo.audit.models import AccessRecord

    cases = make_cases(world, murder, 3)
    manager = world["central"][Role.CENTRAL_QA_MANAGER]
    client.force_login(manager)
    client.get(reverse("reviews:case_list"))
    listed = AccessRecord.objects.filter(user=manager, action="list", object_type="reviews.case")
    assert {r.object_id for r in listed} == {str(c.pk) for c in cases}
