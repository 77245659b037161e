# ruff: noqa: F811
"""The review as a PDF: asked for by a reader of the review, made by a real worker through the
document job, read back with pdftotext (cover, marking and page numbers on every page, contents
with the pages their sections start on, the chronology table's header on every page it runs over),
made from the project's static files alone, and served only to those who may read the review."""

import re
import subprocess
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from reviews import authoring
from reviews.models import ActionLevel, ChronologySource, FindingKind, Judgement, SectionKey
from sfo.audit.models import AccessRecord
from sfo.documents import services
from sfo.documents.models import DocumentJob, JobStatus
from sfo.documents.renderers import render_review
from sfo.documents.review_pdf import short_date
from sfo.pdf import STATIC_PREFIX, StaticFilesOnly
from sfo.people.roles import Role
from tests.documents.conftest import running_worker
from tests.documents.test_jobs import wait_for

# The review's people and case are those of the review tests; their fixtures' names are the
# parameters of the tests below, hence the file-wide F811.
from tests.reviews.conftest import murder, review_case, world  # noqa: F401

EVENT = "Home visit cancelled by the duty officer; nobody checked the new address at Larchfield"
ISSUE = "Address never verified after the move"
HISTORY_EVENT = "Youth caution for criminal damage recorded by the youth offending team"
FINDING = "The change of address was not checked"
ACTION = "Brief every team on checking a new address within five working days"


def pages_of(path) -> list[str]:
    """The text of each page, one pdftotext run per page (-f/-l), laid out as printed."""
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True)
    count = int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.MULTILINE).group(1))
    return [
        subprocess.run(
            ["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(path), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        for n in range(1, count + 1)
    ]


def flat_text(path) -> str:
    """The whole text in reading order (each table cell's lines together), its whitespace
    collapsed, so that a sentence a narrow column wrapped reads as one again."""
    text = subprocess.run(
        ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return " ".join(text.split())


def mark_under(layout: str, day: str) -> str:
    """The first words printed under a chronology entry's date, in the date column."""
    lines = layout.splitlines()
    row = next(n for n, line in enumerate(lines) if line.lstrip().startswith(day))
    column = lines[row].index(day)
    return " ".join(lines[row + 1][column : column + len(day) + 2].split())


def write_review(case, by, *, entries: int = 6) -> None:
    """A review with narrative sections (paragraphs kept), a judgement, two findings, a
    chronology with one entry before the review period and an action plan, written through the
    reviewer's own services."""
    today = timezone.localdate()
    authoring.set_review_period(case, by=by, start=today - timedelta(days=300))
    authoring.save_section(
        case,
        SectionKey.METHODOLOGY,
        by=by,
        text="We read the case record and OASys.\n\nWe interviewed the responsible officer.",
        status="completed",
        expected_version=None,
    )
    authoring.save_section(
        case,
        SectionKey.MULTI_AGENCY,
        by=by,
        text="Police and children's services shared little: no MAPPA referral was made.",
        status="in_progress",
        expected_version=None,
    )
    authoring.save_conclusion(
        case,
        by=by,
        text="The risk was known but not managed.",
        status="completed",
        judgement=Judgement.NO,
        reasons="The address was never checked, so the risk to the new partner was not seen.",
        expected_version=None,
    )
    finding = authoring.add_finding(
        case,
        by=by,
        facts=authoring.FindingFacts(
            title=FINDING,
            analysis="Why: workload.\n\nThe team had no cover.",
            kind="missed_opportunity",
        ),
    )
    authoring.add_finding(
        case,
        by=by,
        facts=authoring.FindingFacts(
            title="Prompt recall when the licence was breached",
            analysis="The recall was made the same day.",
            kind=FindingKind.GOOD_PRACTICE,
            dissemination="national",
        ),
    )
    facts = [
        authoring.EntryFacts(
            occurred_on=today - timedelta(days=2000),
            source=ChronologySource.CASE_RECORD,
            event=HISTORY_EVENT,
        ),
        authoring.EntryFacts(
            occurred_on=today - timedelta(days=30),
            source=ChronologySource.POLICE,
            event=EVENT,
            significant=True,
            emerging_issue=ISSUE,
            finding_id=finding.pk,
        ),
    ]
    facts += [
        authoring.EntryFacts(
            occurred_on=today - timedelta(days=250 - n),
            source=ChronologySource.OASYS,
            event=f"Supervision contact number {n:03d}: reporting as required, no concerns raised "
            "by the person on probation or by the hostel staff about the new relationship.",
            emerging_issue="Self-report relied on",
        )
        for n in range(entries - 2)
    ]
    authoring.add_entries(case, by=by, entries=facts)
    authoring.add_action(
        case,
        by=by,
        facts=authoring.ActionFacts(
            description=ACTION,
            level=ActionLevel.ORGANISATION,
            owner="Head of public protection",
            due_on=today + timedelta(days=60),
            finding_id=finding.pk,
        ),
    )
    authoring.add_action(
        case,
        by=by,
        facts=authoring.ActionFacts(
            description="Share the finding on information sharing with the police",
            level=ActionLevel.EXTERNAL,
            agency="Metropolitan Police Service",
            owner="Area MAPPA coordinator",
            due_on=today + timedelta(days=90),
        ),
    )


@pytest.fixture
def the_reviewer(world):
    return world["a"][Role.SFO_REVIEWER]


@pytest.fixture
def written(review_case, the_reviewer):
    write_review(review_case, the_reviewer)
    return review_case


def made_review(case, by) -> DocumentJob:
    job = services.request_document(kind="review", case=case, by=by)
    services.run_document_job(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    return job


@pytest.mark.django_db(transaction=True)
def test_a_reviewer_asks_for_the_review_and_a_real_worker_makes_it(
    client, written, the_reviewer, fresh_queue
):
    client.force_login(the_reviewer)

    response = client.post(reverse("documents:request_review_pdf", args=[written.pk]))

    job = DocumentJob.objects.get()
    assert (job.kind, job.status) == ("review", JobStatus.QUEUED)
    assert response["Location"] == reverse("documents:job", args=[job.pk])
    page = client.get(response["Location"])
    assert b'<meta http-equiv="refresh" content="2">' in page.content
    assert b"Waiting to start" in page.content
    with running_worker():
        seen = wait_for(job, {JobStatus.DONE, JobStatus.FAILED})
    assert seen[-1] == JobStatus.DONE, (seen, job.error)
    assert job.filename == f"review-{written.reference.lower()}.pdf"

    pages = pages_of(job.file.path)
    text, flat = "\n".join(pages), flat_text(job.file.path)
    cover = pages[0]
    assert "Serious further offence review" in cover
    assert written.person_name in cover and written.reference in cover
    assert the_reviewer.get_full_name() in cover
    assert "Review in progress" in cover
    for number, page in enumerate(pages, start=1):
        assert page.count("OFFICIAL-SENSITIVE") >= 2, f"page {number} lacks the marking"
        assert f"Page {number} of {len(pages)}" in page
    for key in SectionKey:
        assert key.label in text, f"no heading for {key.label}"
    assert "We read the case record and OASys." in text
    assert not [
        line for line in text.splitlines() if "OASys." in line and "We interviewed" in line
    ], "the methodology's two paragraphs are run together"
    assert "Section status: in progress" in text  # multi-agency working is not finished
    assert "No: not all reasonable steps were taken" in text
    assert "the risk to the new partner was not seen" in flat
    for words in (EVENT, ISSUE, HISTORY_EVENT, "Supervision contact number 003"):
        assert words in flat, words
    # Each mark under the date of its own entry, and only there.
    today = timezone.localdate()
    assert mark_under(text, short_date(today - timedelta(days=30))) == "SIGNIFICANT"
    assert mark_under(text, short_date(today - timedelta(days=2000))) == "BEFORE THE"
    assert (text.count("SIGNIFICANT"), text.count("BEFORE THE")) == (1, 1)
    assert f"Finding 1: {FINDING}" in text
    assert "Supported by 1 chronology entry; answered by 1 action." in flat
    assert "Good practice (for national dissemination)" in flat
    assert ACTION in flat
    assert "External agency: Metropolitan Police Service" in flat
    assert "Not written yet." in text  # e.g. the summary of events

    done = client.get(reverse("documents:job", args=[job.pk]))
    assert reverse("documents:download", args=[job.pk]).encode() in done.content


@pytest.mark.django_db
def test_the_renderer_reports_its_progress_as_it_goes(written, the_reviewer):
    job = DocumentJob.objects.create(kind="review", case=written, requested_by=the_reviewer)
    reported = []

    name, content = render_review(job, reported.append)

    assert reported == [10, 20, 70]
    assert content.startswith(b"%PDF-")
    assert name == f"review-{written.reference.lower()}.pdf"


@pytest.mark.django_db
def test_the_contents_give_the_page_each_section_starts_on(written, the_reviewer):
    job = made_review(written, the_reviewer)

    pages = pages_of(job.file.path)

    contents = pages[1]
    assert "Contents" in contents
    for number, key in enumerate(SectionKey, start=1):
        heading = f"{number}. {key.label}"
        listed = re.search(rf"{re.escape(heading)}\s*\.+\s*(\d+)", contents)
        assert listed, f"{heading} is not in the contents with a page number"
        starts = [
            n
            for n, page in enumerate(pages, start=1)
            if n > 2 and re.search(rf"^\s*{re.escape(heading)}\s*$", page, re.MULTILINE)
        ]
        assert starts == [int(listed.group(1))], (heading, starts, listed.group(1))


@pytest.mark.django_db
def test_a_long_chronology_repeats_its_header_row_on_every_page(review_case, the_reviewer):
    write_review(review_case, the_reviewer, entries=120)

    job = made_review(review_case, the_reviewer)

    pages = pages_of(job.file.path)
    header = re.compile(r"Date\s+Source\s+Event\s+Emerging issue\s+Finding")
    with_entries = [n for n, page in enumerate(pages, 1) if "Supervision contact number" in page]
    with_header = [n for n, page in enumerate(pages, 1) if header.search(page)]
    assert len(with_entries) > 1, "120 entries should run over several pages"
    assert with_header == with_entries
    assert "Supervision contact number 117" in pages[with_entries[-1] - 1]


@pytest.mark.django_db
def test_the_renderer_fetches_nothing_but_the_projects_static_files(
    written, the_reviewer, monkeypatch
):
    # Whatever a reviewer types is text, never markup that would make the renderer fetch.
    authoring.save_section(
        written,
        SectionKey.SUMMARY_OF_EVENTS,
        by=the_reviewer,
        text='<img src="http://example.com/tracker.png"> <link rel="stylesheet" '
        'href="file:///etc/passwd">',
        status="in_progress",
        expected_version=None,
    )
    asked = []
    fetch = StaticFilesOnly.fetch

    def recording(self, url, headers=None):
        asked.append(url)
        return fetch(self, url, headers)

    monkeypatch.setattr(StaticFilesOnly, "fetch", recording)

    job = made_review(written, the_reviewer)

    assert sorted(asked) == [STATIC_PREFIX + "css/pdf.css", STATIC_PREFIX + "css/review-pdf.css"]
    assert '<img src="http://example.com/tracker.png">' in flat_text(job.file.path)


# --- Who may have it ------------------------------------------------------------------------

REFUSED_TO_ASK = [
    # (who, status): responsible officers and analysts see the case but not its review; another
    # provider does not see the case at all.
    (("a", Role.RESPONSIBLE_OFFICER), 403),
    (("central", Role.ANALYST), 403),
    (("central", Role.CHIEF_OFFICER), 403),
    (("b", Role.SFO_REVIEWER), 404),
]
READERS = [
    ("a", Role.SFO_REVIEWER),
    ("a", Role.SFO_REVIEW_MANAGER),
    ("a", Role.SENIOR_MANAGER),
    ("central", Role.CENTRAL_QA_REVIEWER),
    ("central", Role.CENTRAL_QA_MANAGER),
]


def ids(value):
    return f"{value[0]}-{value[1].value}" if isinstance(value, tuple) else str(value)


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "status"), REFUSED_TO_ASK, ids=ids)
def test_those_who_may_not_read_the_review_cannot_ask_for_its_pdf(
    client,
    world,
    review_case,
    who,
    status,
):
    user = world[who[0]][who[1]]
    client.force_login(user)

    response = client.post(reverse("documents:request_review_pdf", args=[review_case.pk]))

    assert response.status_code == status
    assert not DocumentJob.objects.exists()
    assert AccessRecord.objects.filter(user=user, allowed=False).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("who", READERS, ids=ids)
def test_readers_of_the_review_may_ask_for_its_pdf(client, world, review_case, who):
    client.force_login(world[who[0]][who[1]])

    response = client.post(reverse("documents:request_review_pdf", args=[review_case.pk]))

    job = DocumentJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("documents:job", args=[job.pk])
    assert (job.kind, job.requested_by) == ("review", world[who[0]][who[1]])


@pytest.mark.django_db
def test_a_pdf_is_only_asked_for_by_post(client, review_case, the_reviewer):
    client.force_login(the_reviewer)

    response = client.get(reverse("documents:request_review_pdf", args=[review_case.pk]))

    assert response.status_code == 405
    assert not DocumentJob.objects.exists()


@pytest.mark.django_db
def test_the_service_refuses_the_review_to_a_responsible_officer_and_records_it(
    world,
    review_case,
):
    officer = world["a"][Role.RESPONSIBLE_OFFICER]

    with pytest.raises(PermissionDenied, match="central QA team"):
        services.request_document(kind="review", case=review_case, by=officer)

    assert AccessRecord.objects.filter(
        user=officer, action="request:review_pdf", allowed=False
    ).exists()
    assert not DocumentJob.objects.exists()


@pytest.fixture
def review_job(written, the_reviewer):
    return made_review(written, the_reviewer)


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["documents:job", "documents:download", "documents:retry"])
@pytest.mark.parametrize(("who", "status"), REFUSED_TO_ASK, ids=ids)
def test_those_who_may_not_read_the_review_cannot_see_or_download_its_pdf(
    client,
    world,
    review_job,
    page,
    who,
    status,
):
    user = world[who[0]][who[1]]
    client.force_login(user)
    url = reverse(page, args=[review_job.pk])

    response = client.post(url) if page == "documents:retry" else client.get(url)

    assert response.status_code == status
    assert AccessRecord.objects.filter(
        user=user,
        object_type="documents.documentjob",
        object_id=str(review_job.pk),
        allowed=False,
    ).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("who", READERS, ids=ids)
def test_readers_of_the_review_may_download_its_pdf(client, world, review_job, who):
    user = world[who[0]][who[1]]
    client.force_login(user)

    page = client.get(reverse("documents:job", args=[review_job.pk]))
    response = client.get(reverse("documents:download", args=[review_job.pk]))

    assert page.status_code == 200
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert AccessRecord.objects.filter(
        user=user, object_id=str(review_job.pk), action="download", allowed=True
    ).exists()


@pytest.mark.django_db
def test_the_case_summary_is_still_for_everyone_who_sees_the_case(
    client,
    world,
    review_case,
):
    officer = world["a"][Role.RESPONSIBLE_OFFICER]
    job = services.request_document(kind="case_summary", case=review_case, by=officer)
    client.force_login(officer)

    assert client.get(reverse("documents:job", args=[job.pk])).status_code == 200


@pytest.mark.django_db
def test_the_button_posts_to_the_request_with_its_csrf_token(review_case, the_reviewer):
    request = RequestFactory().get("/")
    request.user = the_reviewer

    html = render_to_string("documents/_review_pdf_button.html", {"case": review_case}, request)

    action = reverse("documents:request_review_pdf", args=[review_case.pk])
    assert f'<form method="post" action="{action}"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert "Make a PDF of the review" in html
