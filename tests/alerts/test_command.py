"""The sweep as a command, as `make run` runs it at start."""

from io import StringIO

import pytest
from django.core.management import call_command

from sfo.alerts.models import Alert

pytestmark = pytest.mark.django_db


def test_the_command_sweeps_once_a_day_however_often_it_runs():
    call_command("load_demo_data", "--no-logins", stdout=StringIO())
    # The demo data has alerts of its own (the central team told that a victim's request needs
    # a full QA): count the sweep's.
    before = Alert.objects.count()
    first, second = StringIO(), StringIO()
    call_command("sweep_clocks", stdout=first)
    created = Alert.objects.count() - before
    call_command("sweep_clocks", stdout=second)
    assert created > 0 and Alert.objects.count() == before + created
    assert f"{created} alerts created" in first.getvalue()
    assert "0 alerts created" in second.getvalue()
