"""Who owns the next action on each kind of clock, as a table."""

from datetime import date

import pytest

from reviews.workflow import CaseState
from sfo.alerts.owners import Directory, escalation_of, owners_of
from sfo.people.models import User
from sfo.people.roles import Role
from tests.alerts.conftest import make_case, make_clock, taken_for_qa

R, M = Role.SFO_REVIEWER, Role.SFO_REVIEW_MANAGER
QR, QM = Role.CENTRAL_QA_REVIEWER, Role.CENTRAL_QA_MANAGER


def _inactive(world, key, role):
    User.objects.filter(pk=world[key][role].pk).update(is_active=False)
    world[key][role].is_active = False


# (clock kind, how the case is set up, who owns the next action, as (provider, role))
OWNER_TABLE = [
    ("notification", "identified by the reviewer", [("a", R)]),
    ("early_look", "identified by the reviewer", [("a", R)]),
    ("notification", "identified by nobody recorded", [("a", M)]),
    ("early_look", "identified by someone who has left", [("a", M)]),
    ("review", "registered, no reviewer yet", [("a", M)]),
    ("review", "allocated to the reviewer", [("a", R)]),
    ("review", "directed to provider b, no reviewer yet", [("b", M)]),
    ("review", "directed to provider b, allocated", [("b", R)]),
    ("central_qa", "taken for QA by the QA reviewer", [("central", QR)]),
    ("central_qa", "taken for QA by the manager, later by the reviewer", [("central", QR)]),
    ("central_qa", "with the central team, not taken yet", [("central", QR)]),
]


def arrange(world, setup):
    a, b, central = world["a"], world["b"], world["central"]
    if setup == "identified by nobody recorded":
        return make_case(world, identified_by=None)
    if setup == "identified by someone who has left":
        _inactive(world, "a", R)
        return make_case(world)
    if setup == "registered, no reviewer yet":
        return make_case(world, state=CaseState.REGISTERED)
    if setup == "allocated to the reviewer":
        return make_case(world, state=CaseState.REVIEW_IN_PROGRESS, reviewer=a[R])
    if setup == "directed to provider b, no reviewer yet":
        return make_case(world, state=CaseState.REGISTERED, reviewing_provider=b["provider"])
    if setup == "directed to provider b, allocated":
        return make_case(
            world,
            state=CaseState.REVIEW_IN_PROGRESS,
            reviewing_provider=b["provider"],
            reviewer=b[R],
        )
    if setup == "taken for QA by the QA reviewer":
        case = make_case(world, state=CaseState.CENTRAL_QA)
        taken_for_qa(case, central[QR])
        return case
    if setup == "taken for QA by the manager, later by the reviewer":
        case = make_case(world, state=CaseState.CENTRAL_QA)
        taken_for_qa(case, central[QM])
        taken_for_qa(case, central[QR])
        return case
    if setup == "with the central team, not taken yet":
        return make_case(world, state=CaseState.WITH_CENTRAL_TEAM)
    return make_case(world)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "setup", "owners"), OWNER_TABLE, ids=[s for _, s, _ in OWNER_TABLE]
)
def test_the_owner_of_the_next_action(world, policies, kind, setup, owners):
    clock = make_clock(arrange(world, setup), kind, date(2026, 1, 16))
    expected = {world[key][role].username for key, role in owners}
    assert {user.username for user in owners_of(clock)} == expected


@pytest.mark.django_db
def test_a_fallback_owner_is_every_review_manager_of_the_provider(world, policies):
    from tests.factories import UserFactory

    second = UserFactory(username="manager-2-a", organisation=world["a"]["provider"], role=M)
    clock = make_clock(make_case(world, state=CaseState.REGISTERED), "review", date(2026, 1, 16))
    assert {u.username for u in owners_of(clock)} == {world["a"][M].username, second.username}


@pytest.mark.django_db
def test_escalation_goes_to_the_line_manager_and_the_central_qa_manager_never_to_the_owner(
    world, policies
):
    central = world["central"]
    provider_clock = make_clock(make_case(world), "early_look", date(2026, 1, 12))
    directory = Directory.load([provider_clock])
    owners = owners_of(provider_clock, directory)
    assert {u.username for u in escalation_of(provider_clock, owners, directory)} == {
        world["a"][M].username,
        central[QM].username,
    }

    # The manager took the case for QA themselves: they own it, and are not escalated to
    # about their own clock.
    case = make_case(world, state=CaseState.CENTRAL_QA)
    taken_for_qa(case, central[QM])
    qa_clock = make_clock(case, "central_qa", date(2026, 1, 12))
    directory = Directory.load([qa_clock])
    owners = owners_of(qa_clock, directory)
    assert [u.username for u in owners] == [central[QM].username]
    assert escalation_of(qa_clock, owners, directory) == []
