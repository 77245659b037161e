"""Administrators keep the policies and one-off holidays, and recompute open clocks."""

from datetime import date

import pytest
from django.urls import reverse

from sfo.clocks.models import ClockEventKind, ClockKind, ClockPolicy, ExtraNonWorkingDay
from sfo.clocks.services import start_clock

pytestmark = pytest.mark.django_db


def test_an_administrator_adds_a_one_off_holiday_and_is_told_clocks_do_not_move(
    client, administrator
):
    client.force_login(administrator)
    response = client.post(
        reverse("admin:clocks_extranonworkingday_add"),
        {"date": "2027-06-04", "reason": "One-off holiday"},
        follow=True,
    )
    assert response.status_code == 200
    assert ExtraNonWorkingDay.objects.filter(date=date(2027, 6, 4)).exists()
    assert "Open clocks keep their due dates" in response.content.decode()


def test_a_weekend_is_not_taken_as_an_extra_non_working_day(client, administrator):
    client.force_login(administrator)
    client.post(
        reverse("admin:clocks_extranonworkingday_add"),
        {"date": "2027-06-05", "reason": "A Saturday"},
    )
    assert not ExtraNonWorkingDay.objects.exists()


def test_the_admin_action_recomputes_open_clocks(client, administrator, case):
    clock = start_clock(case, ClockKind.NOTIFICATION, date(2027, 6, 1))
    day = ExtraNonWorkingDay.objects.create(date=date(2027, 6, 4), reason="One-off holiday")
    client.force_login(administrator)
    client.post(
        reverse("admin:clocks_extranonworkingday_changelist"),
        {"action": "recompute_open_clocks", "_selected_action": [day.pk]},
    )
    clock.refresh_from_db()
    assert clock.due_on == date(2027, 6, 16)
    recomputed = clock.events.get(kind=ClockEventKind.RECOMPUTED)
    assert recomputed.by == administrator


def test_a_policy_in_force_cannot_have_its_rule_changed(client, administrator):
    policy = ClockPolicy.objects.get(kind=ClockKind.NOTIFICATION, effective_from=date(2018, 4, 1))
    client.force_login(administrator)
    client.post(
        reverse("admin:clocks_clockpolicy_change", args=[policy.pk]),
        {"source": policy.source, "notes": "Checked against PI 06/2018", "length": 20},
    )
    policy.refresh_from_db()
    assert (policy.length, policy.notes) == (10, "Checked against PI 06/2018")
