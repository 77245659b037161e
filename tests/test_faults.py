"""Faults: Redis unreachable, PostgreSQL unreachable. Never the machine's own servers: the app is
pointed at a local socket that accepts and never answers, or at a closed port, then back."""

import contextlib
import time

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

from sfo.documents.models import DocumentJob, JobStatus, OutboxMessage
from sfo.documents.tasks import drain_outbox
from sfo.people.roles import Role
from tests.documents import conftest as documents
from tests.documents.conftest import celery_broker, running_worker

# The documents tests' fixtures, shared: an unreachable server, an empty test queue, a media root.
unreachable = documents.unreachable
fresh_queue = documents.fresh_queue
media = documents.media

# A guard against a hang, not a speed target.
BOUND_SECONDS = 10


@contextlib.contextmanager
def redis_at(settings, host, port):
    """The cache, the operations page's queue probe and Celery's publishing all at host:port."""
    url = f"redis://{host}:{port}/0"
    caches = {"default": {**settings.CACHES["default"], "LOCATION": url}}
    with celery_broker(url):
        settings.CACHES, settings.REDIS_URL = caches, url
        yield


@contextlib.contextmanager
def database_at(host, port):
    """The default connection pointed at host:port, then restored, whatever happens."""
    connection = connections["default"]
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(HOST=host, PORT=str(port))
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


def timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


@pytest.mark.django_db(transaction=True)
def test_with_redis_unreachable_pages_answer_and_work_waits_in_the_outbox(
    client, settings, staff, shared_case, unreachable, fresh_queue
):
    reviewer, admin = staff[Role.SFO_REVIEWER], staff[Role.ADMINISTRATOR]
    client.force_login(reviewer)

    with redis_at(settings, *unreachable):
        case_page, case_seconds = timed(
            lambda: client.get(reverse("reviews:case_detail", args=[shared_case.pk]))
        )
        asked, asked_seconds = timed(
            lambda: client.post(
                reverse("documents:request_case_summary", args=[shared_case.pk]), follow=True
            )
        )
        client.force_login(admin)
        operations, _ = timed(lambda: client.get(reverse("operations")))

    assert case_page.status_code == 200 and case_seconds < BOUND_SECONDS
    assert asked.status_code == 200 and asked_seconds < BOUND_SECONDS, asked_seconds
    job = DocumentJob.objects.get()
    assert job.status == JobStatus.QUEUED
    message = OutboxMessage.objects.get()
    assert (message.task_name, message.args) == ("sfo.documents.tasks.render_document", [job.pk])
    assert message.sent_at is None and message.attempts == 1 and message.last_error
    assert b"Unavailable" in operations.content
    assert b"Outbox backlog" in operations.content

    # Redis is back: the next drain sends it, and the worker makes the document.
    with running_worker():
        assert drain_outbox() == 1
        deadline = time.monotonic() + 60
        while job.status != JobStatus.DONE and time.monotonic() < deadline:
            time.sleep(0.05)
            job.refresh_from_db()

    message.refresh_from_db()
    assert message.sent_at is not None and message.attempts == 2
    assert (job.status, job.attempts) == (JobStatus.DONE, 1)
    assert drain_outbox() == 0


@pytest.mark.django_db(transaction=True)
def test_with_postgresql_unreachable_a_page_answers_503_plainly(staff, shared_case, unreachable):
    client = Client(raise_request_exception=False)
    client.force_login(staff[Role.SFO_REVIEWER])
    assert connections["default"].settings_dict["OPTIONS"]["connect_timeout"] <= 5

    with database_at(*unreachable):
        response, seconds = timed(
            lambda: client.get(reverse("reviews:case_detail", args=[shared_case.pk]))
        )
        posted, _ = timed(
            lambda: client.post(reverse("documents:request_case_summary", args=[shared_case.pk]))
        )

    assert response.status_code == 503, response.content[:300]
    assert seconds < BOUND_SECONDS
    assert b"Sorry, the service is unavailable" in response.content
    assert response["Retry-After"]
    assert posted.status_code == 503
    # The database is back: nothing was half-written, and the page answers again.
    assert not DocumentJob.objects.exists() and not OutboxMessage.objects.exists()
    assert client.get(reverse("reviews:case_detail", args=[shared_case.pk])).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_an_operations_page_shows_the_machinery(client, staff, fresh_queue):
    client.force_login(staff[Role.ADMINISTRATOR])

    page = client.get(reverse("operations"))

    assert page.status_code == 200
    assert b"No sweep yet" in page.content or b"Last run" in page.content
    assert b"Tasks waiting in the queue" in page.content and b"Unavailable" not in page.content
