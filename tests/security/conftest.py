"""People outside the matrix's shared case, for the security pass.

The matrix's world (`tests/test_access_matrix.matrix_world`) puts one of every object on one case
of `provider`, which every member of `staff` may see. The outsiders below hold the same roles but
the case is not theirs: another provider's staff, a responsible officer of the same provider who
never managed it, and an independent assessor for whom it was not sampled."""

import pytest

from sfo.people.roles import PROVIDER_ROLES, Role
from tests.factories import IndependentBodyFactory, UserFactory
from tests.test_access_matrix import matrix_world  # noqa: F401  (a fixture, used by name)


@pytest.fixture
def outsiders(other_provider, provider):
    """name -> user, each of a role that may use case pages but not of this case."""
    people = {
        f"other provider's {role.label.lower()}": UserFactory(
            username=f"other-{role.value}", organisation=other_provider, role=role
        )
        for role in sorted(PROVIDER_ROLES)
    }
    people["officer who never managed the case"] = UserFactory(
        username="unrelated-officer", organisation=provider, role=Role.RESPONSIBLE_OFFICER
    )
    people["assessor the case was not sampled for"] = UserFactory(
        username="unsampled-assessor",
        organisation=IndependentBodyFactory(),
        role=Role.INDEPENDENT_ASSESSOR,
    )
    return people
