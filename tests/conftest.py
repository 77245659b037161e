import os

import pytest
from hypothesis import HealthCheck, settings

from sfo.people.roles import PROVIDER_ROLES, Role
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

# Property tests are bounded in CI so that they cannot run away with the time budget.
settings.register_profile(
    "ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=30, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


def _transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


def pytest_collection_modifyitems(items):
    """Browser journeys run last: Playwright keeps an event loop in the main thread from its first
    test to the end of the session, and the other tests' ORM calls must not run beside it.
    Before them, the tests that commit (transactional_db): each ends by flushing every table,
    data migrations' rows (the offence catalogue) included, so the other tests run first, as
    Django's own runner orders TransactionTestCase after TestCase, and each committing test starts
    from the migrated contents again (serialized_rollback)."""
    browser, committing, others = [], [], []
    for item in items:
        if "e2e" in item.path.parts:
            item.add_marker(pytest.mark.e2e)
            browser.append(item)
        elif _transactional(item):
            marker = item.get_closest_marker("django_db")
            kwargs = {**(marker.kwargs if marker else {}), "transaction": True}
            item.add_marker(pytest.mark.django_db(**kwargs, serialized_rollback=True), append=False)
            committing.append(item)
        else:
            others.append(item)
    items[:] = others + committing + browser


@pytest.fixture(autouse=True)
def _role_groups_for_browser_journeys(request):
    """A flush before a serialized test skips post_migrate, and a browser journey cannot restore
    the serialized contents itself (Playwright's event loop gives it another connection object),
    so the role groups post_migrate makes are made again here when they are missing."""
    if "e2e" in request.node.path.parts and _transactional(request.node):
        request.getfixturevalue("transactional_db")
        from django.contrib.auth.models import Group
        from django.core.management.sql import emit_post_migrate_signal

        if not Group.objects.exists():
            emit_post_migrate_signal(verbosity=0, interactive=False, db="default")


@pytest.fixture
def provider(db):
    return OrganisationFactory(name="NPS London", code="nps-london")


@pytest.fixture
def other_provider(db):
    return OrganisationFactory(name="NPS Wales", code="nps-wales")


@pytest.fixture
def staff(db, provider):
    """One user per role: provider roles at `provider`, the rest at their own organisations."""
    central = CentralTeamFactory()
    independent = IndependentBodyFactory()
    people = {}
    for role in Role:
        if role in PROVIDER_ROLES:
            organisation = provider
        elif role == Role.INDEPENDENT_ASSESSOR:
            organisation = independent
        else:
            organisation = central
        people[role] = UserFactory(username=f"{role.value}", organisation=organisation, role=role)
    return people


@pytest.fixture
def shared_case(db, provider, staff):
    """A case of `provider` that every role in `staff` may see: managed by the staff's responsible
    officer, sampled for the staff's assessor, with a victim recorded."""
    case = CaseFactory(managing_provider=provider, reference="SFO-2026-0001")
    OfficerPeriodFactory(case=case, officer=staff[Role.RESPONSIBLE_OFFICER])
    SampleAssignmentFactory(case=case, assessor=staff[Role.INDEPENDENT_ASSESSOR])
    VictimFactory(case=case)
    return case
