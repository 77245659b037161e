# ruff: noqa: F811
"""Agencies' fixtures: provider a's case with its review written (two findings, two actions and
an external action for the police), the Metropolitan Police from the register, and the people."""

from datetime import timedelta

import pytest
from django.utils import timezone

from agencies import services
from agencies.models import Agency
from reviews import authoring
from reviews.journeys import write_sample_review
from reviews.models import ActionLevel, Finding, ReviewAction
from reviews.workflow import CaseState
from sfo.people.roles import Role
from tests.qa.conftest import advance_from_review, submitted_case  # noqa: F401
from tests.reviews.conftest import actors_of, assert_error_summary, case_in, murder, world  # noqa: F401

EXTERNAL_ACTION = "Agree with the police a same-day alert of every arrest of a person on probation"


def write_review(case, reviewer):
    """The sample review, with one more action: an external one for the police."""
    write_sample_review(case, reviewer)
    authoring.add_action(
        case,
        by=reviewer,
        facts=authoring.ActionFacts(
            description=EXTERNAL_ACTION,
            level=ActionLevel.EXTERNAL,
            agency="Metropolitan Police Service",
            owner="Head of public protection",
            due_on=timezone.localdate() + timedelta(days=60),
        ),
    )
    return case


@pytest.fixture
def reviewer(world):
    return world["a"][Role.SFO_REVIEWER]


@pytest.fixture
def review_case(world, murder, reviewer):
    """Provider a's case, its review in progress and written."""
    case = case_in(world, murder, CaseState.REVIEW_IN_PROGRESS)
    return write_review(case, reviewer)


@pytest.fixture
def police(db):
    return Agency.objects.get(name="Metropolitan Police Service")


@pytest.fixture
def involvement(review_case, reviewer, police):
    return services.add_involvement(
        review_case,
        by=reviewer,
        agency=police,
        role="Domestic abuse call-outs in the year before the offence.",
    )


def good_practice(case) -> Finding:
    return Finding.objects.get(review__case=case, kind="good_practice")


def missed_opportunity(case) -> Finding:
    return Finding.objects.get(review__case=case, kind="missed_opportunity")


def external_action(case) -> ReviewAction:
    return ReviewAction.objects.get(review__case=case, level=ActionLevel.EXTERNAL)
