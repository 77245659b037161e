"""A worker's pool process killed with SIGKILL in the middle of a PDF: the message comes back
(acks_late + task_reject_on_worker_lost), the job left running is taken again, and it ends done
exactly once, with one file.

The worker is a real prefork worker in a subprocess, on a queue of its own. To kill it at a known
point, the test holds the job's row lock once the worker has taken the job: the worker's next
progress report waits on that lock, and the pool process is killed while it waits."""

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from django.conf import settings
from django.db import connection, transaction

from sfo.documents.models import DocumentJob, JobStatus
from sfo.documents.tasks import render_document
from tests.documents.conftest import purge

QUEUE = "sfo-test-kill"
CELERY = Path(sys.executable).with_name("celery")


def wait_until(predicate, timeout=60.0, what="a condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"Timed out waiting for {what}")


@pytest.fixture
def prefork_worker(transactional_db, media, tmp_path):
    purge(QUEUE)
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sfo.settings.test",
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "REDIS_URL": settings.REDIS_URL,
        "MEDIA_ROOT": str(media),
    }
    log = (tmp_path / "worker.log").open("w")
    process = subprocess.Popen(
        [
            str(CELERY),
            "-A",
            "sfo",
            "worker",
            "--pool",
            "prefork",
            "-c",
            "1",
            "-Q",
            QUEUE,
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel",
            "INFO",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until(
            lambda: "ready" in (tmp_path / "worker.log").read_text() or process.poll() is not None,
            what="the worker to start",
        )
        assert process.poll() is None, (tmp_path / "worker.log").read_text()
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def pool_children(process) -> list[psutil.Process]:
    return psutil.Process(process.pid).children()


def worker_waits_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


def test_a_pool_process_killed_mid_pdf_leaves_exactly_one_done_job(
    prefork_worker, staff, shared_case, media
):
    from sfo.people.roles import Role

    job = DocumentJob.objects.create(
        kind="case_summary", case=shared_case, requested_by=staff[Role.SFO_REVIEWER]
    )
    render_document.apply_async((job.pk,), queue=QUEUE)

    wait_until(
        lambda: DocumentJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING).exists(),
        what="the worker to take the job",
    )
    with transaction.atomic():
        locked = DocumentJob.objects.select_for_update().get(pk=job.pk)
        assert locked.status == JobStatus.RUNNING, "the worker finished before it could be killed"
        wait_until(worker_waits_on_a_lock, timeout=30, what="the worker to wait on the lock")
        [child] = pool_children(prefork_worker)
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
    # The lock is released: the replacement pool process takes the redelivered message.

    job.refresh_from_db()
    wait_until(
        lambda: DocumentJob.objects.filter(pk=job.pk, status=JobStatus.DONE).exists(),
        what="the job to end done",
    )
    job.refresh_from_db()
    assert (job.status, job.attempts, job.progress) == (JobStatus.DONE, 2, 100)
    files = list((media / "documents" / str(job.pk)).iterdir())
    assert [f.name for f in files] == [job.filename], "one file, not one per attempt"
    assert job.sha256 == hashlib.sha256(files[0].read_bytes()).hexdigest()
    # Another delivery of the same task does nothing more.
    render_document.apply_async((job.pk,), queue=QUEUE)
    time.sleep(2)
    again = DocumentJob.objects.get(pk=job.pk)
    assert (again.attempts, again.finished_at, again.sha256) == (2, job.finished_at, job.sha256)
