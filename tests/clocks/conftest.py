import pytest

from sfo.people.roles import Role
from tests.factories import CaseFactory, UserFactory


@pytest.fixture
def case(db):
    return CaseFactory()


@pytest.fixture
def provider_manager(db):
    return UserFactory(role=Role.SFO_REVIEW_MANAGER)


@pytest.fixture
def qa_manager(db):
    return UserFactory(role=Role.CENTRAL_QA_MANAGER)


@pytest.fixture
def administrator(db):
    return UserFactory(role=Role.ADMINISTRATOR)
