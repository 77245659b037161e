"""Reminders for the entitlement tasks: the victim contact scheme is told when a person's task is
due soon (within the reminder window of the alert policy, as for the case clocks) and once it is
overdue, when the provider's senior managers are told too. Each task is alerted about once per
kind: the day is stored on the task, so the hourly sweep is idempotent. Messages name the case and
never the person."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from sfo.alerts.models import AlertKind, AlertPolicy
from sfo.alerts.services import send_alert
from sfo.clocks.calendar import WorkingCalendar
from sfo.people.models import User
from sfo.people.roles import Role
from victims.models import EntitlementTask, TaskStatus


@dataclass(frozen=True)
class EntitlementSweep:
    day: date
    reminded: int
    overdue: int


def _liaison_officers(task: EntitlementTask) -> list[User]:
    """The person's VCS officer, or every VLO of the provider when none is named (or the one named
    has left the provider or the role)."""
    officer = task.victim.vcs_officer
    if (
        officer is not None
        and officer.is_active
        and officer.organisation_id == task.victim.case.managing_provider_id
        and officer.has_role(Role.VICTIM_LIAISON_OFFICER)
    ):
        return [officer]
    return list(
        User.objects.filter(
            is_active=True,
            organisation_id=task.victim.case.managing_provider_id,
            groups__name=Role.VICTIM_LIAISON_OFFICER.value,
        ).distinct()
    )


def _senior_managers(task: EntitlementTask) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            organisation_id=task.victim.case.managing_provider_id,
            groups__name=Role.SENIOR_MANAGER.value,
        ).distinct()
    )


def _due(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def sweep_entitlement_tasks(today: date | None = None) -> EntitlementSweep:
    """One indexed query over the open tasks due within the reminder window; each task is locked
    (skipping one a concurrent sweep holds) while its alert is written."""
    today = today or timezone.localdate()
    calendar = WorkingCalendar.current()
    horizon = calendar.add_working_days(today, AlertPolicy.reminder_days_on(today))
    reminded = overdue = 0
    pending = EntitlementTask.objects.filter(
        Q(reminded_on__isnull=True) | Q(overdue_alerted_on__isnull=True, due_on__lt=today),
        status=TaskStatus.OPEN,
        due_on__lte=horizon,
    ).values_list("pk", flat=True)
    for pk in list(pending):
        with transaction.atomic():
            task = (
                EntitlementTask.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("victim__case", "victim__vcs_officer")
                .filter(pk=pk, status=TaskStatus.OPEN)
                .first()
            )
            if task is None:
                continue
            case = task.victim.case
            who = task.victim.get_relationship_display().lower()
            if task.due_on < today and task.overdue_alerted_on is None:
                send_alert(
                    recipients=_liaison_officers(task) + _senior_managers(task),
                    case=case,
                    kind=AlertKind.OVERDUE,
                    message=(
                        f"A {who} of {case} has not been told of their entitlement to ask for "
                        f"the review: it was due on {_due(task.due_on)}."
                    ),
                )
                task.overdue_alerted_on = today
                task.reminded_on = task.reminded_on or today
                overdue += 1
            elif task.reminded_on is None and task.due_on >= today:
                send_alert(
                    recipients=_liaison_officers(task),
                    case=case,
                    kind=AlertKind.REMINDER,
                    message=(
                        f"Tell a {who} of {case} of their entitlement to ask for the review by "
                        f"{_due(task.due_on)}."
                    ),
                )
                task.reminded_on = today
                reminded += 1
            else:
                continue
            task.save(update_fields=["reminded_on", "overdue_alerted_on"])
    return EntitlementSweep(today, reminded, overdue)
