import pytest
from django.utils.html import escape

from offences.models import Offence
from sfo.people.roles import Role
from tests.factories import CentralTeamFactory, OrganisationFactory, TeamFactory, UserFactory


@pytest.fixture
def murder(db):
    return Offence.objects.get(title="Murder")


@pytest.fixture
def world(db):
    """Two providers with one person in each provider role, and the central team. The senior
    manager of each provider heads its SFO review team, outside the offender managers' line."""
    central = CentralTeamFactory()
    people = {"central": {}, "a": {}, "b": {}}
    for key, name in (("a", "NPS London"), ("b", "NPS Wales")):
        provider = OrganisationFactory(name=name, code=f"test-{key}")
        TeamFactory(organisation=provider, name="Offender management")
        people[key]["provider"] = provider
        for role in (
            Role.SFO_REVIEWER,
            Role.SFO_REVIEW_MANAGER,
            Role.SENIOR_MANAGER,
            Role.RESPONSIBLE_OFFICER,
            Role.VICTIM_LIAISON_OFFICER,
        ):
            people[key][role] = UserFactory(
                username=f"{role.value}-{key}", organisation=provider, role=role
            )
        people[key][Role.SFO_REVIEWER].line_manager = people[key][Role.SFO_REVIEW_MANAGER]
        people[key][Role.SFO_REVIEWER].save()
        people[key][Role.SFO_REVIEW_MANAGER].line_manager = people[key][Role.SENIOR_MANAGER]
        people[key][Role.SFO_REVIEW_MANAGER].save()
    for role in (
        Role.CENTRAL_QA_REVIEWER,
        Role.CENTRAL_QA_MANAGER,
        Role.ANALYST,
        Role.CHIEF_OFFICER,
        Role.ADMINISTRATOR,
    ):
        people["central"][role] = UserFactory(username=role.value, organisation=central, role=role)
    return people


def actors_of(world, key="a"):
    """The people who act on a case of provider `key`: its provider roles and the central ones."""
    return {**{r: u for r, u in world[key].items() if r != "provider"}, **world["central"]}


def assert_error_summary(response, message, target):
    """The GOV.UK error summary says `message`, links to `#target`, and that element exists."""
    content = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in content
    summary = content[content.index("govuk-error-summary__list") :]
    summary = summary[: summary.index("</ul>")]
    assert f'<a href="#{target}">{escape(message)}</a>' in summary, summary
    assert f'id="{target}"' in content
    assert "<title>Error:" in content or "Error: " in content


def case_in(world, offence, state, key="a", crn="A123456"):
    """A case of provider `key` moved to `state` by the people who make each step; its responsible
    officer is the provider's, and its reviewer (once allocated) the provider's SFO reviewer."""
    from datetime import timedelta

    from django.utils import timezone

    from reviews import services
    from reviews.journeys import advance
    from reviews.models import ResponsibleOfficerPeriod

    case = services.identify_case(
        by=world[key][Role.SFO_REVIEWER],
        crn=crn,
        person_name="Sam Baker",
        offence=offence,
        first_hearing_date=timezone.localdate() - timedelta(days=21),
    )
    ResponsibleOfficerPeriod.objects.create(
        case=case,
        officer=world[key][Role.RESPONSIBLE_OFFICER],
        started_on=timezone.localdate() - timedelta(days=400),
    )
    return advance(case, state, actors_of(world, key), offence=offence)


@pytest.fixture
def review_case(world, murder):
    """A case whose review is in progress, written by provider a's SFO reviewer."""
    from reviews.workflow import CaseState

    return case_in(world, murder, CaseState.REVIEW_IN_PROGRESS)


@pytest.fixture
def reviewer(world):
    return world["a"][Role.SFO_REVIEWER]
