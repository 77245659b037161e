"""The sweep as a command, as `make run` runs it at start."""

from io import StringIO

import pytest
from django.core.management import call_command

from sfo.alerts.models import Alert

pytestmark = pytest.mark.django_db


def test_the_command_sweeps_once_a_day_however_often_it_runs():
    call_command("load_demo_data", "--no-logins", stdout=StringIO())
    first, second = StringIO(), StringIO()
    call_command("sweep_clocks", stdout=first)
    created = Alert.objects.count()
    call_command("sweep_clocks", stdout=second)
    assert created > 0 and Alert.objects.count() == created
    assert f"{created} alerts created" in first.getvalue()
    assert "0 alerts created" in second.getvalue()
