"""The entitlement: who gets an "inform of entitlement" task, when, with which due date, and what
closes or cancels it (DOMAIN.md, step 6; `victims.services`)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from reviews import services as case_services
from reviews.models import Case, CourtOutcome
from sfo.clocks.calendar import WorkingCalendar
from sfo.clocks.models import ClockKind, ClockPolicy
from sfo.people.roles import Role
from tests.victims.conftest import *  # noqa: F403
from tests.victims.conftest import convicted
from victims import services
from victims.models import EntitlementTask, Relationship, TaskStatus, VCSChoice

pytestmark = pytest.mark.django_db


def test_a_conviction_of_an_automatic_registered_case_opens_a_task_per_person(
    qa_complete_case, mother, vlo, senior_manager
):
    brother = services.add_victim(
        qa_complete_case,
        by=vlo,
        full_name="Ben Example",
        relationship=Relationship.FAMILY,
        relationship_to_victim="brother",
    )
    assert not EntitlementTask.objects.exists()
    assert not services.is_entitled(qa_complete_case)

    convicted(qa_complete_case, senior_manager)

    tasks = {task.victim_id: task for task in EntitlementTask.objects.all()}
    assert set(tasks) == {mother.pk, brother.pk}
    today = timezone.localdate()
    policy = ClockPolicy.applying_to(ClockKind.VICTIM_ENTITLEMENT, today)
    for task in tasks.values():
        assert task.status == TaskStatus.OPEN
        assert task.started_on == today
        assert task.due_on == policy.due_from(today, WorkingCalendar.current())
        assert task.policy == policy


def test_a_person_added_after_the_conviction_gets_their_task_at_once(
    qa_complete_case, vlo, senior_manager
):
    convicted(qa_complete_case, senior_manager)
    son = services.add_victim(
        qa_complete_case,
        by=vlo,
        full_name="Sid Example",
        relationship=Relationship.FAMILY,
        relationship_to_victim="son",
    )
    assert son.entitlement.status == TaskStatus.OPEN


def test_a_conviction_twice_opens_one_task(qa_complete_case, mother, senior_manager):
    convicted(qa_complete_case, senior_manager)
    convicted(qa_complete_case, senior_manager, days_ago=4)
    assert EntitlementTask.objects.filter(victim=mother).count() == 1


def test_no_task_for_a_conditional_sfo(qa_complete_case, mother, senior_manager):
    Case.objects.filter(pk=qa_complete_case.pk).update(qualification="conditional")
    qa_complete_case.refresh_from_db()
    convicted(qa_complete_case, senior_manager)
    assert not EntitlementTask.objects.exists()
    assert not services.is_entitled(qa_complete_case)


def test_no_task_for_an_automatic_case_overridden_to_conditional(
    qa_complete_case, mother, senior_manager
):
    Case.objects.filter(pk=qa_complete_case.pk).update(
        qualification_override="conditional", override_justification="Review of the facts"
    )
    qa_complete_case.refresh_from_db()
    convicted(qa_complete_case, senior_manager)
    assert not EntitlementTask.objects.exists()


def test_no_task_for_a_conviction_of_another_offence(qa_complete_case, mother, senior_manager):
    case_services.record_court_outcome(
        qa_complete_case,
        by=senior_manager,
        outcome=CourtOutcome.CONVICTED_OTHER,
        on=timezone.localdate() - timedelta(days=1),
    )
    assert not EntitlementTask.objects.exists()


def test_a_corrected_outcome_cancels_the_open_tasks_and_a_new_conviction_reopens_them(
    qa_complete_case, mother, senior_manager
):
    convicted(qa_complete_case, senior_manager)
    case_services.record_court_outcome(
        qa_complete_case, by=senior_manager, outcome=CourtOutcome.PENDING, on=None
    )
    task = EntitlementTask.objects.get(victim=mother)
    assert task.status == TaskStatus.CANCELLED
    assert task.cancelled_reason

    convicted(qa_complete_case, senior_manager)
    assert EntitlementTask.objects.get(victim=mother).status == TaskStatus.OPEN


def test_a_corrected_outcome_leaves_a_task_already_done(
    qa_complete_case, mother, vlo, senior_manager
):
    convicted(qa_complete_case, senior_manager)
    services.record_contact(
        mother, by=vlo, made_on=timezone.localdate(), method="phone", outcome="informed"
    )
    case_services.record_court_outcome(
        qa_complete_case, by=senior_manager, outcome=CourtOutcome.PENDING, on=None
    )
    assert EntitlementTask.objects.get(victim=mother).status == TaskStatus.DONE


@pytest.mark.parametrize("outcome", ["informed", "letter_sent"])
def test_a_contact_that_informs_closes_the_task_on_its_date(
    qa_complete_case, mother, vlo, senior_manager, outcome
):
    convicted(qa_complete_case, senior_manager)
    yesterday = timezone.localdate() - timedelta(days=1)
    services.record_contact(mother, by=vlo, made_on=yesterday, method="letter", outcome=outcome)
    task = EntitlementTask.objects.get(victim=mother)
    assert (task.status, task.informed_on) == (TaskStatus.DONE, yesterday)


@pytest.mark.parametrize("outcome", ["no_answer", "message_left", "wrong_details", "not_now"])
def test_a_contact_that_does_not_inform_leaves_the_task_open(
    qa_complete_case, mother, vlo, senior_manager, outcome
):
    convicted(qa_complete_case, senior_manager)
    services.record_contact(
        mother, by=vlo, made_on=timezone.localdate(), method="phone", outcome=outcome
    )
    assert EntitlementTask.objects.get(victim=mother).status == TaskStatus.OPEN
    assert mother.contacts.count() == 1


def test_a_contact_cannot_be_in_the_future(mother, vlo):
    with pytest.raises(ValidationError) as error:
        services.record_contact(
            mother,
            by=vlo,
            made_on=timezone.localdate() + timedelta(days=1),
            method="phone",
            outcome="informed",
        )
    assert "made_on" in error.value.message_dict


def test_the_vcs_choice_is_recorded(mother, vlo):
    services.record_vcs_choice(mother, by=vlo, choice=VCSChoice.OPTED_IN, on=timezone.localdate())
    mother.refresh_from_db()
    assert (mother.vcs, mother.vcs_decided_on) == (VCSChoice.OPTED_IN, timezone.localdate())
    with pytest.raises(ValidationError):
        services.record_vcs_choice(
            mother, by=vlo, choice=VCSChoice.NOT_ASKED, on=timezone.localdate()
        )


def test_only_the_providers_vlos_and_senior_managers_record(world, qa_complete_case, mother):
    for user in (
        world["b"][Role.VICTIM_LIAISON_OFFICER],
        world["a"][Role.SFO_REVIEWER],
        world["central"][Role.CENTRAL_QA_MANAGER],
    ):
        with pytest.raises(PermissionDenied):
            services.record_contact(
                mother, by=user, made_on=timezone.localdate(), method="phone", outcome="informed"
            )
        with pytest.raises(PermissionDenied):
            services.add_victim(
                qa_complete_case, by=user, full_name="X Y", relationship=Relationship.VICTIM
            )


def test_the_vcs_officer_is_a_vlo_of_the_cases_provider(world, qa_complete_case, vlo):
    with pytest.raises(ValidationError) as error:
        services.add_victim(
            qa_complete_case,
            by=vlo,
            full_name="X Y",
            relationship=Relationship.VICTIM,
            vcs_officer=world["b"][Role.VICTIM_LIAISON_OFFICER],
        )
    assert "vcs_officer" in error.value.message_dict


def test_a_victims_str_never_holds_the_name(mother):
    assert "Ann" not in str(mother) and "Example" not in str(mother)


# --- Told before the task opened ----------------------------------------------------------------


def test_a_person_who_asked_before_the_conviction_gets_a_task_already_done(
    qa_complete_case, mother, vlo, senior_manager
):
    """A family may ask early; when the conviction comes, nobody is to be told again."""
    asked_on = timezone.localdate() - timedelta(days=5)
    services.record_request(mother, by=vlo, requested_on=asked_on, how_made="phone")
    convicted(qa_complete_case, senior_manager)
    task = EntitlementTask.objects.get(victim=mother)
    assert (task.status, task.informed_on) == (TaskStatus.DONE, asked_on)


def test_a_person_told_before_the_conviction_gets_a_task_already_done(
    qa_complete_case, mother, vlo, senior_manager
):
    told_on = timezone.localdate() - timedelta(days=8)
    services.record_contact(mother, by=vlo, made_on=told_on, method="letter", outcome="letter_sent")
    services.record_contact(
        mother, by=vlo, made_on=told_on + timedelta(days=1), method="phone", outcome="no_answer"
    )
    convicted(qa_complete_case, senior_manager)
    task = EntitlementTask.objects.get(victim=mother)
    assert (task.status, task.informed_on) == (TaskStatus.DONE, told_on)
