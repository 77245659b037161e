"""The entitlement tasks remind the victim contact scheme before they are due and alert the
provider's senior managers once overdue, once each, whatever the number of sweeps; the alerts
name the case and never the person."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sfo.alerts.models import Alert, AlertKind
from sfo.clocks.calendar import WorkingCalendar
from sfo.people.roles import Role
from tests.victims.conftest import convicted
from victims.entitlement_sweep import sweep_entitlement_tasks
from victims.models import EntitlementTask, TaskStatus
from victims.tasks import sweep_entitlement_tasks as sweep_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(qa_complete_case, mother, senior_manager):
    convicted(qa_complete_case, senior_manager)
    return EntitlementTask.objects.get(victim=mother)


def test_the_task_is_due_ten_working_days_after_it_opens(task):
    assert task.status == TaskStatus.OPEN
    assert task.policy.length == 10
    assert task.due_on == WorkingCalendar.current().add_working_days(task.started_on, 10)


def test_a_task_due_soon_reminds_its_vcs_officer_once(task, vlo, senior_manager):
    day = task.due_on - timedelta(days=2)  # within the 3-working-day reminder window
    first = sweep_entitlement_tasks(day)
    again = sweep_entitlement_tasks(day + timedelta(days=1))
    assert (first.reminded, again.reminded) == (1, 0)
    alert = Alert.objects.get()
    assert (alert.recipient, alert.kind) == (vlo, AlertKind.REMINDER)
    assert "Ann" not in alert.message and "Example" not in alert.message
    assert str(task.victim.case) in alert.message


def test_an_overdue_task_alerts_the_vlo_and_senior_managers_once(task, vlo, senior_manager):
    day = task.due_on + timedelta(days=1)
    assert sweep_task.apply(kwargs={"day": day.isoformat()}).get()["overdue"] == 1
    assert sweep_task.apply(kwargs={"day": day.isoformat()}).get()["overdue"] == 0
    overdue = Alert.objects.filter(kind=AlertKind.OVERDUE)
    assert {a.recipient for a in overdue} == {vlo, senior_manager}
    assert all("Ann" not in a.message for a in overdue)


def test_a_task_done_is_not_swept(task, mother, vlo):
    from victims import services

    services.record_contact(
        mother, by=vlo, made_on=timezone.localdate(), method="phone", outcome="informed"
    )
    result = sweep_entitlement_tasks(task.due_on + timedelta(days=5))
    assert (result.reminded, result.overdue) == (0, 0)
    assert not Alert.objects.exists()


def test_a_vcs_officer_who_left_the_provider_is_replaced_by_its_vlos(
    world, qa_complete_case, mother, vlo, senior_manager
):
    """Nobody would be reminded otherwise: the alert goes to the provider's VLOs instead."""
    from tests.factories import UserFactory

    UserFactory(
        username="second-vlo",
        organisation=world["a"]["provider"],
        role=Role.VICTIM_LIAISON_OFFICER,
    )
    convicted(qa_complete_case, senior_manager)
    task = EntitlementTask.objects.get(victim=mother)
    vlo.organisation = world["b"]["provider"]
    vlo.save()
    sweep_entitlement_tasks(task.due_on - timedelta(days=1))
    assert {a.recipient.username for a in Alert.objects.all()} == {"second-vlo"}
