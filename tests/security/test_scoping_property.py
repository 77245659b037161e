"""Lists, searches and exports show exactly what the scoping rules allow, for any assignment.

Hypothesis draws a small world: cases managed by one of three providers, some directed to another
for review, managed in the past or now by the viewer or by another officer, sampled for the viewer
or for another assessor, with victims; and a viewer holding one or two roles at one provider. What
the viewer may see is worked out here from that assignment by the domain's rules, not by the
product's scope, and compared with what the pages and files show:

- the case list, plain, searched by name and filtered by provider;
- the victim liaison worklist of entitlement tasks (one row per victim or family member);
- the take-up export (CSV), which counts each provider's victims: the provider's own for its staff,
  every provider for the national roles."""

import csv
import io
from dataclasses import dataclass
from datetime import timedelta
from itertools import count

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from reviews.models import CourtOutcome, Qualification
from sfo.people.roles import Role
from tests.factories import (
    CaseFactory,
    CentralTeamFactory,
    IndependentBodyFactory,
    OfficerPeriodFactory,
    OrganisationFactory,
    SampleAssignmentFactory,
    UserFactory,
    VictimFactory,
)
from victims.services import open_entitlement_tasks

pytestmark = pytest.mark.django_db

PROVIDERS = 3
NAMES = ["Ada Stone", "Ben Stone", "Cara Marsh", "Dev Marsh", "Eve Hill"]
SURNAMES = ["stone", "marsh", "hill"]

# The rules, as the domain states them (DOMAIN.md, "who sees which cases").
SEE_EVERY_CASE = {
    Role.CENTRAL_QA_REVIEWER,
    Role.CENTRAL_QA_MANAGER,
    Role.ANALYST,
    Role.CHIEF_OFFICER,
}
SEE_PROVIDER_CASES = {
    Role.SFO_REVIEWER,
    Role.SFO_REVIEW_MANAGER,
    Role.SENIOR_MANAGER,
    Role.VICTIM_LIAISON_OFFICER,
}
PROVIDER_STAFF = SEE_PROVIDER_CASES | {Role.RESPONSIBLE_OFFICER}
SEE_EVERY_VICTIM = {Role.CENTRAL_QA_REVIEWER, Role.CENTRAL_QA_MANAGER}
SEE_OWN_VICTIMS = {Role.VICTIM_LIAISON_OFFICER, Role.SENIOR_MANAGER}
NATIONAL_FIGURES = SEE_EVERY_CASE


@dataclass(frozen=True)
class Drawn:
    managing: int
    reviewing: int | None
    viewer_managed: str | None  # "now", "before" or None
    other_managed: bool
    sampled_for: str | None  # "viewer", "other" or None
    victims: int
    name: str


drawn_cases = st.builds(
    Drawn,
    managing=st.integers(0, PROVIDERS - 1),
    reviewing=st.none() | st.integers(0, PROVIDERS - 1),
    viewer_managed=st.sampled_from([None, "now", "before"]),
    other_managed=st.booleans(),
    sampled_for=st.sampled_from([None, "viewer", "other"]),
    victims=st.integers(0, 2),
    name=st.sampled_from(NAMES),
)
worlds = st.fixed_dictionaries(
    {
        "roles": st.sets(st.sampled_from(list(Role)), min_size=1, max_size=2),
        "home": st.integers(0, PROVIDERS - 1),
        "cases": st.lists(drawn_cases, min_size=1, max_size=6),
        "search": st.sampled_from(SURNAMES),
        "filter_by": st.integers(0, PROVIDERS - 1),
    }
)

numbers = count(1)


def expected_cases(world) -> set[int]:
    """Indexes of the drawn cases the viewer may see."""
    roles, home = world["roles"], world["home"]
    seen = set()
    for i, c in enumerate(world["cases"]):
        if (
            roles & SEE_EVERY_CASE
            or (roles & SEE_PROVIDER_CASES and home in (c.managing, c.reviewing))
            or (Role.RESPONSIBLE_OFFICER in roles and c.viewer_managed)
            or (Role.INDEPENDENT_ASSESSOR in roles and c.sampled_for == "viewer")
        ):
            seen.add(i)
    return seen


def expected_victim_cases(world) -> set[int]:
    """Indexes of the drawn cases whose victims' records the viewer may see."""
    roles, home = world["roles"], world["home"]
    if roles & SEE_EVERY_VICTIM:
        return set(range(len(world["cases"])))
    if roles & SEE_OWN_VICTIMS:
        return {i for i, c in enumerate(world["cases"]) if c.managing == home}
    return set()


def build(world):
    """The drawn world in the database: (viewer, providers, cases, victims by case index)."""
    n = next(numbers)
    providers = [
        OrganisationFactory(name=f"Scoped provider {n}-{k}", code=f"scoped-{n}-{k}")
        for k in range(PROVIDERS)
    ]
    roles = world["roles"]
    if roles & PROVIDER_STAFF:
        organisation = providers[world["home"]]
    elif Role.INDEPENDENT_ASSESSOR in roles:
        organisation = IndependentBodyFactory()
    else:
        organisation = CentralTeamFactory()
    viewer = UserFactory(username=f"viewer-{n}", organisation=organisation, role=roles)
    other_officer = UserFactory(
        username=f"officer-{n}", organisation=providers[0], role=Role.RESPONSIBLE_OFFICER
    )
    other_assessor = UserFactory(
        username=f"assessor-{n}",
        organisation=IndependentBodyFactory(),
        role=Role.INDEPENDENT_ASSESSOR,
    )
    today = timezone.localdate()
    cases, victims = [], {}
    for i, c in enumerate(world["cases"]):
        # Every case entitles its victims, so that each is counted and has a task open.
        case = CaseFactory(
            person_name=c.name,
            managing_provider=providers[c.managing],
            reviewing_provider=None if c.reviewing is None else providers[c.reviewing],
            reference=f"SFO-2099-{n % 1000:03d}{i}",
            qualification=Qualification.AUTOMATIC,
            court_outcome=CourtOutcome.CONVICTED_QUALIFYING,
            court_outcome_date=today - timedelta(days=30),
        )
        if c.viewer_managed:
            ended = today - timedelta(days=400) if c.viewer_managed == "before" else None
            OfficerPeriodFactory(
                case=case, officer=viewer, started_on=today - timedelta(days=800), ended_on=ended
            )
        if c.other_managed:
            OfficerPeriodFactory(case=case, officer=other_officer)
        if c.sampled_for:
            assessor = viewer if c.sampled_for == "viewer" else other_assessor
            SampleAssignmentFactory(case=case, assessor=assessor)
        victims[i] = [VictimFactory(case=case).pk for _ in range(c.victims)]
        open_entitlement_tasks(case)
        cases.append(case)
    return viewer, providers, cases, victims


def listed_cases(client, **query) -> tuple[set[int], str]:
    response = client.get(reverse("reviews:case_list"), query)
    assert response.status_code == 200
    return {case.pk for case, _ in response.context["rows"]}, response.content.decode()


def check_case_list(client, world, providers, cases):
    visible = expected_cases(world)
    pk = [case.pk for case in cases]
    shown, html = listed_cases(client)
    assert shown == {pk[i] for i in visible}
    for i, case in enumerate(cases):
        assert (case.crn in html) == (i in visible), case.crn
    searched, _ = listed_cases(client, q=world["search"])
    assert searched == {pk[i] for i in visible if world["search"] in cases[i].person_name.lower()}
    k = world["filter_by"]
    provider_pk = (
        cases[0]
        .managing_provider.__class__.objects.get(
            code=cases[0].managing_provider.code.rsplit("-", 1)[0] + f"-{k}"
        )
        .pk
    )
    filtered, _ = listed_cases(client, provider=provider_pk)
    assert filtered == {
        pk[i] for i in visible if k in (world["cases"][i].managing, world["cases"][i].reviewing)
    }


def check_worklist(client, world, victims):
    response = client.get(reverse("victims:entitlement_tasks"))
    roles = world["roles"]
    if not roles & (SEE_EVERY_VICTIM | SEE_OWN_VICTIMS):
        assert response.status_code == 403
        return
    assert response.status_code == 200
    shown = {row.task.victim_id for row in response.context["rows"]}
    assert shown == {pk for i in expected_victim_cases(world) for pk in victims[i]}


def check_take_up_export(client, world, providers, victims):
    response = client.get(reverse("victims:take_up_csv"))
    roles = world["roles"]
    if not roles & (NATIONAL_FIGURES | SEE_OWN_VICTIMS):
        assert response.status_code == 403
        return
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header = rows.index(next(row for row in rows if row[:2] == ["Provider", "Eligible"]))
    eligible = {row[0]: int(row[1]) for row in rows[header + 1 : -1] if row}
    counted = {
        provider.name: sum(len(victims[i]) for i, c in enumerate(world["cases"]) if c.managing == k)
        for k, provider in enumerate(providers)
    }
    if roles & NATIONAL_FIGURES:
        ours = {name: number for name, number in eligible.items() if name in counted}
        assert ours == counted
    else:
        home = providers[world["home"]].name
        assert eligible == {home: counted[home]}


@given(world=worlds)
def test_lists_searches_and_exports_show_exactly_what_the_rules_allow(world):
    client = Client()
    with transaction.atomic():
        viewer, providers, cases, victims = build(world)
        client.force_login(viewer)
        if world["roles"] == {Role.ADMINISTRATOR}:
            assert client.get(reverse("reviews:case_list")).status_code == 403
        else:
            check_case_list(client, world, providers, cases)
        check_worklist(client, world, victims)
        check_take_up_export(client, world, providers, victims)
        transaction.set_rollback(True)
