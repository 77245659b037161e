import pytest

from reviews.workflow import CaseState
from sfo.people.roles import Role
from tests.reviews.conftest import actors_of, case_in, murder, world  # noqa: F401


def submitted_case(world, offence, key="a", crn="A123456", **flags):  # noqa: F811
    """A case of provider `key` whose review was written, passed local QA and countersigned: with
    the central team, its version frozen and its first round of central QA waiting."""
    case = case_in(world, offence, CaseState.REVIEW_IN_PROGRESS, key=key, crn=crn)
    if flags:
        type(case).objects.filter(pk=case.pk).update(**flags)
        case.refresh_from_db()
    return advance_from_review(case, world, offence, key)


def advance_from_review(case, world, offence, key="a"):  # noqa: F811
    from reviews.journeys import REVIEW_STEPS

    people = actors_of(world, key)
    for step in ("send_to_local_qa", "pass_local_qa", "countersign_and_submit"):
        from reviews.journeys import MAKER

        case = REVIEW_STEPS[step](case, people[MAKER[step]])
    assert case.state == CaseState.WITH_CENTRAL_TEAM
    return case


@pytest.fixture
def submitted(world, murder):  # noqa: F811
    return submitted_case(world, murder)


@pytest.fixture
def qa_reviewer(world):  # noqa: F811
    return world["central"][Role.CENTRAL_QA_REVIEWER]


@pytest.fixture
def qa_manager(world):  # noqa: F811
    return world["central"][Role.CENTRAL_QA_MANAGER]
