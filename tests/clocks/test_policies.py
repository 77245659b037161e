"""Clock policies and thresholds are data with an effective date."""

from datetime import date

import pytest

from sfo.clocks.models import (
    ClockKind,
    ClockPolicy,
    CountUnit,
    Threshold,
    ThresholdPolicy,
    amber_threshold,
    post_supervision_tolerance,
)
from sfo.clocks.services import start_clock

pytestmark = pytest.mark.django_db


def test_the_policies_of_pi_06_2018_are_seeded():
    seeded = {
        (p.kind, p.length, p.unit)
        for p in ClockPolicy.objects.filter(effective_from=date(2018, 4, 1))
    }
    assert seeded == {
        (ClockKind.NOTIFICATION, 10, CountUnit.WORKING_DAYS),
        (ClockKind.EARLY_LOOK, 10, CountUnit.WORKING_DAYS),
        (ClockKind.REVIEW, 3, CountUnit.CALENDAR_MONTHS),
        (ClockKind.CENTRAL_QA, 20, CountUnit.WORKING_DAYS),
        # The service's default for telling victims of their entitlement (ADR 0011).
        (ClockKind.VICTIM_ENTITLEMENT, 10, CountUnit.WORKING_DAYS),
    }


def test_the_default_thresholds_are_seeded():
    assert amber_threshold(date(2027, 1, 1)) == 3
    assert post_supervision_tolerance(date(2027, 1, 1)) == 0


def test_a_newer_threshold_applies_from_its_date():
    ThresholdPolicy.objects.create(
        threshold=Threshold.AMBER_WORKING_DAYS, value=5, effective_from=date(2027, 4, 1), source="x"
    )
    assert amber_threshold(date(2027, 3, 31)) == 3
    assert amber_threshold(date(2027, 4, 1)) == 5


def test_a_later_policy_does_not_move_an_open_clock_but_applies_to_the_next(case):
    before = start_clock(case, ClockKind.NOTIFICATION, date(2027, 5, 4))
    assert before.due_on == date(2027, 5, 18)
    newer = ClockPolicy.objects.create(
        kind=ClockKind.NOTIFICATION,
        anchor="first court hearing",
        length=15,
        unit=CountUnit.WORKING_DAYS,
        effective_from=date(2027, 6, 1),
        source="A later instruction",
    )
    before.refresh_from_db()
    assert before.due_on == date(2027, 5, 18)
    assert before.policy != newer

    from tests.factories import CaseFactory

    after = start_clock(CaseFactory(), ClockKind.NOTIFICATION, date(2027, 6, 1))
    assert after.policy == newer
    assert after.due_on == date(2027, 6, 22)


def test_a_clock_started_before_any_policy_is_refused(case):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        start_clock(case, ClockKind.NOTIFICATION, date(2017, 1, 2))
