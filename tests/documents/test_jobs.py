"""Document jobs: the case summary made on a real worker, served only to those who may see the
case, and a job that runs once however often its task is delivered."""

import hashlib
import subprocess
import time

import pytest
from django.urls import reverse

from sfo.audit.models import AccessRecord
from sfo.documents import services
from sfo.documents.models import DocumentJob, JobStatus, OutboxMessage
from sfo.documents.renderers import RENDERERS
from tests.documents.conftest import running_worker


def pdf_text(path) -> str:
    return subprocess.run(
        ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def wait_for(job, statuses, timeout=60.0) -> list[str]:
    """Poll the job until its status is one of `statuses`; returns every status seen."""
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if not seen or seen[-1] != job.status:
            seen.append(job.status)
        if job.status in statuses:
            return seen
        time.sleep(0.02)
    raise AssertionError(f"Job {job.pk} still {job.status} after {timeout} s (seen {seen})")


@pytest.mark.django_db(transaction=True)
def test_a_case_summary_goes_queued_running_done_on_a_real_worker(
    client, reviewer, shared_case, fresh_queue
):
    client.force_login(reviewer)

    response = client.post(reverse("documents:request_case_summary", args=[shared_case.pk]))

    job = DocumentJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("documents:job", args=[job.pk])
    assert job.status == JobStatus.QUEUED
    assert OutboxMessage.objects.get().sent_at is not None, "sent to Redis once committed"
    page = client.get(reverse("documents:job", args=[job.pk]))
    assert b'<meta http-equiv="refresh" content="2">' in page.content

    with running_worker():
        seen = wait_for(job, {JobStatus.DONE, JobStatus.FAILED})

    assert seen[0] == JobStatus.QUEUED and seen[-1] == JobStatus.DONE, seen
    assert set(seen) <= {JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.DONE}
    assert job.started_at <= job.finished_at
    assert (job.attempts, job.progress, job.error) == (1, 100, "")
    content = job.file.read()
    assert content.startswith(b"%PDF-")
    assert job.sha256 == hashlib.sha256(content).hexdigest()
    text = pdf_text(job.file.path)
    assert "SFO-2026-0001" in text
    assert "OFFICIAL-SENSITIVE" in text
    assert shared_case.person_name in text
    victim = shared_case.victims.get()
    assert victim.full_name not in text, "a case summary holds no victims' details"
    done = client.get(reverse("documents:job", args=[job.pk]))
    assert b"http-equiv" not in done.content
    assert reverse("documents:download", args=[job.pk]).encode() in done.content


@pytest.fixture
def done_job(reviewer, shared_case):
    job = services.request_document(kind="case_summary", case=shared_case, by=reviewer)
    services.run_document_job(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    return job


@pytest.mark.django_db
def test_the_download_is_an_audited_attachment_never_cached(client, reviewer, done_job):
    client.force_login(reviewer)

    response = client.get(reverse("documents:download", args=[done_job.pk]))

    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == done_job.sha256
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "case-summary-sfo-2026-0001.pdf" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    assert AccessRecord.objects.filter(
        user=reviewer,
        object_type="documents.documentjob",
        object_id=str(done_job.pk),
        action="download",
        allowed=True,
    ).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["documents:job", "documents:download"])
def test_another_providers_staff_are_refused_the_document(client, outsider, done_job, page):
    client.force_login(outsider)

    response = client.get(reverse(page, args=[done_job.pk]))

    assert response.status_code == 404
    assert AccessRecord.objects.filter(
        user=outsider,
        object_type="documents.documentjob",
        object_id=str(done_job.pk),
        allowed=False,
    ).exists()


@pytest.mark.django_db
def test_another_providers_staff_cannot_ask_for_a_summary_of_the_case(
    client, outsider, shared_case
):
    client.force_login(outsider)

    response = client.post(reverse("documents:request_case_summary", args=[shared_case.pk]))

    assert response.status_code == 404
    assert not DocumentJob.objects.exists()


@pytest.mark.django_db
def test_a_second_run_of_a_done_job_does_nothing(done_job):
    before = (done_job.sha256, done_job.file.name, done_job.finished_at)

    assert services.run_document_job(done_job.pk) is None

    done_job.refresh_from_db()
    assert (done_job.sha256, done_job.file.name, done_job.finished_at) == before
    assert done_job.attempts == 1


@pytest.mark.django_db
def test_a_job_left_running_is_run_again_and_ends_done_once(reviewer, shared_case, media):
    job = services.request_document(kind="case_summary", case=shared_case, by=reviewer)
    services.claim(job.pk)  # a worker took it and died

    services.run_document_job(job.pk)

    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.DONE, 2)
    assert [p.name for p in (media / "documents" / str(job.pk)).iterdir()] == [job.filename]


@pytest.mark.django_db
def test_a_failed_job_shows_the_error_and_can_be_retried(
    client, reviewer, shared_case, monkeypatch
):
    def broken(job, progress):
        raise RuntimeError("fonts missing")

    monkeypatch.setitem(RENDERERS, "case_summary", broken)
    job = services.request_document(kind="case_summary", case=shared_case, by=reviewer)
    services.run_document_job(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    client.force_login(reviewer)

    page = client.get(reverse("documents:job", args=[job.pk]))
    assert b"The document could not be made (RuntimeError)" in page.content
    assert b"Try again" in page.content
    assert b"http-equiv" not in page.content

    response = client.post(reverse("documents:retry", args=[job.pk]))

    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.error, job.attempts) == (JobStatus.QUEUED, "", 1)
    assert OutboxMessage.objects.filter(args=[job.pk]).count() == 2
    monkeypatch.undo()
    services.run_document_job(job.pk)
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.DONE, 2)


@pytest.mark.django_db
def test_a_stale_delivery_for_a_failed_job_does_not_run_it(reviewer, shared_case):
    job = services.request_document(kind="case_summary", case=shared_case, by=reviewer)
    services.claim(job.pk)
    services.fail(job, "broken")

    assert services.run_document_job(job.pk) is None
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED


@pytest.mark.django_db
def test_the_case_page_offers_the_summary(client, reviewer, shared_case):
    client.force_login(reviewer)

    page = client.get(reverse("reviews:case_detail", args=[shared_case.pk]))

    assert b"Download a case summary (PDF)" in page.content
    assert reverse("documents:request_case_summary", args=[shared_case.pk]).encode() in page.content


@pytest.mark.django_db
def test_the_refresh_can_be_turned_off(client, reviewer, shared_case):
    job = services.request_document(kind="case_summary", case=shared_case, by=reviewer)
    client.force_login(reviewer)

    page = client.get(reverse("documents:job", args=[job.pk]) + "?refresh=off")

    assert b"http-equiv" not in page.content
    assert b"Check again" in page.content
