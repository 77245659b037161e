"""The case state machine: only declared transitions by the people allowed to make them, each
recorded once; two people moving one case at once cannot both win."""

import threading
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from reviews import services
from reviews.journeys import PATHS, advance, complete_notification
from reviews.models import Case, CaseTransition, CourtOutcome
from reviews.workflow import TRANSITIONS, Actor, CaseState
from sfo.people.roles import Role
from tests.reviews.conftest import actors_of

pytestmark = pytest.mark.django_db


def identify(world, offence, key="a"):
    return services.identify_case(
        by=world[key][Role.SFO_REVIEWER],
        crn="A123456",
        person_name="Sam Baker",
        offence=offence,
        first_hearing_date=date(2026, 11, 2),
    )


def expected_allowed(user, spec, case) -> bool:
    """The rules of DOMAIN.md's lifecycle table, written out independently of the services."""
    if spec.actor == Actor.SYSTEM:
        return user is None
    if user is None or not user.roles & spec.roles:
        return False
    return {
        Actor.MANAGING_PROVIDER: user.organisation_id == case.managing_provider_id,
        Actor.REVIEWING_PROVIDER: user.organisation_id == case.review_provider_id,
        Actor.ALLOCATED_REVIEWER: user.pk == case.reviewer_id,
        Actor.CENTRAL_TEAM: user.organisation.kind == "central_team",
    }[spec.actor]


def attempt(case, name, user, reviewer):
    if name == "register":
        return services.register_case(case, by=user)
    if name == "reject":
        return services.reject_case(case, by=user, reason="Outside the catalogue")
    if name == "allocate":
        return services.allocate_reviewer(case, by=user, reviewer=reviewer)
    if name == "discontinue":
        return services.discontinue_case(case, by=user, comment="Acquitted")
    return services.transition_case(case, name, by=user)


def test_random_transitions_by_random_roles_never_break_the_lifecycle(world, murder):
    people = actors_of(world, "a") | {("b", r): u for r, u in world["b"].items() if r != "provider"}
    actors = [None, *people.values()]
    reviewer = world["a"][Role.SFO_REVIEWER]

    class Lifecycle(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self.case = identify(world, murder)
            complete_notification(self.case, by=reviewer, offence=murder)
            services.record_court_outcome(
                self.case,
                by=world["central"][Role.CENTRAL_QA_MANAGER],
                outcome=CourtOutcome.CONVICTED_OTHER,
                on=date(2026, 11, 20),
            )

        @rule(name=st.sampled_from(sorted(TRANSITIONS)), actor=st.sampled_from(actors))
        def try_a_transition(self, name, actor):
            case = Case.objects.get(pk=self.case.pk)
            spec = TRANSITIONS[name]
            legal = case.state in spec.sources and expected_allowed(actor, spec, case)
            before_state, before_count = case.state, case.transitions.count()
            try:
                attempt(case, name, actor, reviewer)
                succeeded = True
            except (PermissionDenied, ValidationError):
                succeeded = False
            after = Case.objects.get(pk=case.pk)
            assert succeeded == legal, (name, actor, before_state)
            if succeeded:
                assert after.state == spec.target
                log = list(after.transitions.order_by("pk"))[before_count:]
                assert [(t.name, t.from_state, t.to_state, t.by) for t in log] == [
                    (name, before_state, spec.target, actor)
                ]
            else:
                assert after.state == before_state
                assert after.transitions.count() == before_count

        @invariant()
        def every_state_in_the_log_is_the_next_ones_origin(self):
            log = list(CaseTransition.objects.filter(case=self.case).order_by("pk"))
            for earlier, later in zip(log, log[1:], strict=False):
                assert earlier.to_state == later.from_state

    run_state_machine_as_test(Lifecycle)


def test_the_state_cannot_be_set_by_hand(world, murder):
    case = identify(world, murder)
    with pytest.raises(AttributeError):
        case.state = CaseState.CLOSED


@pytest.mark.parametrize("target", list(PATHS), ids=str)
def test_every_state_is_reachable_by_its_people(world, murder, target):
    case = identify(world, murder)
    case = advance(case, target, actors_of(world, "a"), offence=murder)
    assert case.state == target
    assert [t.name for t in case.transitions.order_by("pk")][1:] == PATHS[target]


def test_a_senior_manager_in_the_line_management_of_the_case_cannot_countersign(world, murder):
    people = actors_of(world, "a")
    case = advance(
        identify(world, murder), CaseState.AWAITING_COUNTERSIGNATURE, people, offence=murder
    )
    officer = world["a"][Role.RESPONSIBLE_OFFICER]
    officer.line_manager = world["a"][Role.SENIOR_MANAGER]
    officer.save()
    with pytest.raises(PermissionDenied, match="line management"):
        services.transition_case(case, "countersign_and_submit", by=world["a"][Role.SENIOR_MANAGER])
    assert Case.objects.get(pk=case.pk).state == CaseState.AWAITING_COUNTERSIGNATURE


def test_registration_gives_yearly_references_in_order(world, murder):
    people = actors_of(world, "a")
    first = advance(identify(world, murder), CaseState.REGISTERED, people, offence=murder)
    second = advance(identify(world, murder), CaseState.REGISTERED, people, offence=murder)
    year = first.registered_at.year
    assert (first.reference, second.reference) == (f"SFO-{year}-0001", f"SFO-{year}-0002")


def test_only_the_manager_decides_high_profile_or_directs_another_provider(world, murder):
    people = actors_of(world, "a")
    case = advance(identify(world, murder), CaseState.NOTIFIED, people, offence=murder)
    with pytest.raises(PermissionDenied, match="high-profile"):
        services.register_case(
            case, by=world["central"][Role.CENTRAL_QA_REVIEWER], high_profile=True
        )
    case = services.register_case(
        Case.objects.get(pk=case.pk),
        by=world["central"][Role.CENTRAL_QA_MANAGER],
        high_profile=True,
        reviewing_provider=world["b"]["provider"],
    )
    assert case.high_profile and case.review_provider == world["b"]["provider"]
    # Now the directed provider's review manager allocates, from its own reviewers.
    with pytest.raises(PermissionDenied):
        services.allocate_reviewer(
            case, by=world["a"][Role.SFO_REVIEW_MANAGER], reviewer=world["a"][Role.SFO_REVIEWER]
        )
    with pytest.raises(ValidationError):
        services.allocate_reviewer(
            case, by=world["b"][Role.SFO_REVIEW_MANAGER], reviewer=world["a"][Role.SFO_REVIEWER]
        )
    case = services.allocate_reviewer(
        case, by=world["b"][Role.SFO_REVIEW_MANAGER], reviewer=world["b"][Role.SFO_REVIEWER]
    )
    assert case.state == CaseState.REVIEW_IN_PROGRESS


def test_an_override_of_the_qualification_needs_a_justification(world, murder):
    case = advance(
        identify(world, murder), CaseState.NOTIFIED, actors_of(world, "a"), offence=murder
    )
    with pytest.raises(ValidationError, match="reason"):
        services.register_case(
            case,
            by=world["central"][Role.CENTRAL_QA_REVIEWER],
            qualification_override="conditional",
        )


def test_discontinuing_needs_an_outcome_that_is_not_a_qualifying_conviction(world, murder):
    case = advance(
        identify(world, murder), CaseState.REGISTERED, actors_of(world, "a"), offence=murder
    )
    manager = world["central"][Role.CENTRAL_QA_MANAGER]
    with pytest.raises(ValidationError, match="court outcome"):
        services.discontinue_case(case, by=manager, comment="")
    services.record_court_outcome(
        case, by=manager, outcome=CourtOutcome.ACQUITTED, on=date(2026, 11, 20)
    )
    assert (
        services.discontinue_case(case, by=manager, comment="Acquitted").state
        == CaseState.DISCONTINUED
    )


@pytest.mark.django_db(transaction=True)
def test_two_people_registering_one_case_at_once_exactly_one_wins(world, murder):
    case = advance(
        identify(world, murder), CaseState.NOTIFIED, actors_of(world, "a"), offence=murder
    )
    registrars = [
        world["central"][Role.CENTRAL_QA_REVIEWER],
        world["central"][Role.CENTRAL_QA_MANAGER],
    ]
    loaded = threading.Barrier(2)
    outcomes: list[object] = [None, None]

    def register(index):
        try:
            mine = Case.objects.get(pk=case.pk)
            loaded.wait(timeout=10)
            services.register_case(mine, by=registrars[index])
            outcomes[index] = "registered"
        except Exception as error:  # noqa: BLE001 - the test inspects it
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert outcomes.count("registered") == 1, outcomes
    loser = next(o for o in outcomes if o != "registered")
    assert isinstance(loser, services.CaseChangedMeanwhile)
    assert "Someone else changed" in str(loser)
    case.refresh_from_db()
    assert case.state == CaseState.REGISTERED
    assert case.transitions.filter(name="register").count() == 1
    assert case.reference.endswith("-0001")
