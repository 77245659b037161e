"""Victims' fixtures: an automatic SFO whose targeted central QA is complete, convicted of the
qualifying offence, and the provider's VLO and senior manager who work with its victims."""

from datetime import timedelta

import pytest
from django.utils import timezone

from reviews import services as case_services
from reviews.models import CourtOutcome
from reviews.workflow import CaseState
from sfo.people.roles import Role
from tests.reviews.conftest import actors_of, murder, world  # noqa: F401
from victims import services
from victims.models import Relationship


def convicted(case, by, days_ago=3):
    """Records the qualifying conviction, `days_ago` days back."""
    return case_services.record_court_outcome(
        case,
        by=by,
        outcome=CourtOutcome.CONVICTED_QUALIFYING,
        on=timezone.localdate() - timedelta(days=days_ago),
    )


@pytest.fixture
def vlo(world):  # noqa: F811
    return world["a"][Role.VICTIM_LIAISON_OFFICER]


@pytest.fixture
def senior_manager(world):  # noqa: F811
    return world["a"][Role.SENIOR_MANAGER]


@pytest.fixture
def qa_complete_case(world, murder):  # noqa: F811
    """Provider a's murder case, its targeted central QA complete, not yet convicted."""
    return qa_completed(world, murder, key="a", crn="V123456")


def qa_completed(world, offence, key="a", crn="V123456"):  # noqa: F811
    """A case of provider `key` written, submitted and given a targeted central QA, complete."""
    from qa.journeys import STEPS
    from tests.qa.conftest import submitted_case

    case = submitted_case(world, offence, key=key, crn=crn)
    qa_reviewer = world["central"][Role.CENTRAL_QA_REVIEWER]
    case = STEPS["complete_qa"](STEPS["take_for_qa"](case, qa_reviewer), qa_reviewer)
    assert case.state == CaseState.QA_COMPLETE
    return case


@pytest.fixture
def mother(qa_complete_case, vlo):
    """The victim's mother, recorded by the VLO before the conviction."""
    return services.add_victim(
        qa_complete_case,
        by=vlo,
        full_name="Ann Example",
        relationship=Relationship.FAMILY,
        relationship_to_victim="mother",
        victim_died=True,
        phone="07700 900123",
        preferred_contact="phone",
        vcs_officer=vlo,
    )
