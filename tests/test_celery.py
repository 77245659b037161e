"""Tasks run on a real Celery worker through the real Redis broker."""

import pytest
from celery.contrib.testing.worker import start_worker

from sfo.celery import app
from sfo.people.models import HeldSubmission
from sfo.people.tasks import clear_expired_sessions, discard_expired_held_submissions


@pytest.fixture
def worker(transactional_db):
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as running:
        yield running


def test_the_hourly_sweep_runs_on_the_worker_and_forgets_expired_kept_forms(worker, staff):
    from sfo.people.roles import Role

    user = staff[Role.ADMINISTRATOR]
    old = HeldSubmission.objects.create(user=user, path="/", data={})
    HeldSubmission.objects.filter(pk=old.pk).update(created_at=old.created_at.replace(year=2020))
    HeldSubmission.objects.create(user=user, path="/", data={})

    result = discard_expired_held_submissions.delay()

    assert result.get(timeout=20) == 1
    assert HeldSubmission.objects.count() == 1


def test_beat_schedules_the_sweep_hourly():
    entry = app.conf.beat_schedule["discard-expired-held-submissions"]
    assert entry["task"] == discard_expired_held_submissions.name
    assert entry["schedule"] == 3600.0


def test_beat_clears_expired_sessions_hourly_and_keeps_live_ones(client, staff):
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from sfo.people.roles import Role

    client.force_login(staff[Role.ADMINISTRATOR])
    live = Session.objects.get()
    Session.objects.create(
        session_key="expired", session_data="", expire_date=timezone.now() - timedelta(seconds=1)
    )
    assert clear_expired_sessions() == 1
    assert list(Session.objects.all()) == [live]
    entry = app.conf.beat_schedule["clear-expired-sessions"]
    assert (entry["task"], entry["schedule"]) == (clear_expired_sessions.name, 3600.0)
