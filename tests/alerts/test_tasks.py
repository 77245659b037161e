"""The sweep runs on a real Celery worker through the real Redis broker, and beat schedules it."""

from sfo.alerts.tasks import sweep_clocks
from sfo.celery import app
from tests.alerts.conftest import TODAY, alerts_now, expected_alerts
from tests.test_celery import worker  # noqa: F401 - the real worker fixture


def test_the_sweep_runs_on_the_worker_once_however_often_it_is_sent(worker, world, clocks):  # noqa: F811
    first = sweep_clocks.delay(TODAY.isoformat()).get(timeout=20)
    second = sweep_clocks.delay(TODAY.isoformat()).get(timeout=20)

    assert (first["created"], second["created"], second["skipped"]) == (8, 0, 8)
    assert alerts_now() == expected_alerts(world, clocks)


def test_beat_schedules_the_sweep_hourly():
    entry = app.conf.beat_schedule["sweep-clocks"]
    assert entry["task"] == sweep_clocks.name == "sfo.alerts.tasks.sweep_clocks"
    assert entry["schedule"] == 3600.0
