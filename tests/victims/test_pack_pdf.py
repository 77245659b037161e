# ruff: noqa: F811
"""The disclosure pack made end to end: the senior manager's summary (with acronyms left
unexpanded), the pack asked for, a real Celery worker rendering it with WeasyPrint, and the PDF
read back with pdftotext: the cover letter names the person, the key findings are set apart, the
key events are on a timeline, every acronym used is expanded in the glossary (and at its first
use in the summary), and the pack's version is on every page."""

import re
import subprocess
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from qa.journeys import STEPS
from reviews import authoring
from reviews.journeys import REVIEW_STEPS, write_sample_review
from reviews.models import SectionKey, SectionStatus
from reviews.workflow import CaseState
from sfo.audit.models import AccessRecord
from sfo.documents.models import JobStatus
from sfo.documents.review_pdf import long_date
from sfo.people.roles import Role
from tests.documents.conftest import fresh_queue, media, running_worker  # noqa: F401
from tests.documents.test_jobs import wait_for
from tests.reviews.conftest import case_in, murder, world  # noqa: F401
from tests.victims.conftest import senior_manager, vlo  # noqa: F401
from victims import services
from victims.models import Relationship

RISK_FACTORS = (
    "His RoSH was assessed as high in OASys in the spring. The police shared the arrest, but no "
    "MAPPA referral was made and the MARAC was not told."
)
# The senior manager's summary: RoSH, MAPPA and VLO left unexpanded at first use; OASys expanded.
SUMMARY = {
    "what_happened": "Sam was on probation for ten months. We used the Offender Assessment "
    "System (OASys) to judge his risk. His RoSH went up after an arrest in the spring.",
    "key_findings": "We did not look at his risk again after the arrest. We did not ask for a "
    "MAPPA meeting.",
    "reasonable_steps": "No. We did not take all the steps we should have. The RoSH should have "
    "been checked again.",
    "what_has_changed": "Staff now check risk after every arrest. Your VLO will tell you how this "
    "is going.",
}


def write_review_with_acronyms(world, offence, key="a", crn="V123456"):
    """A case of provider `key` whose review (the sample review, its key risk factors using OASys,
    RoSH, MAPPA and MARAC) went through local QA and a targeted central QA, now complete."""
    case = case_in(world, offence, CaseState.REVIEW_IN_PROGRESS, key=key, crn=crn)
    reviewer = world[key][Role.SFO_REVIEWER]
    write_sample_review(case, reviewer)
    authoring.save_section(
        case,
        SectionKey.KEY_RISK_FACTORS,
        by=reviewer,
        text=RISK_FACTORS,
        status=SectionStatus.COMPLETED,
        expected_version=None,
    )
    authoring.send_for_local_qa(case, by=reviewer)
    case.refresh_from_db()
    people = world[key]
    case = REVIEW_STEPS["pass_local_qa"](case, people[Role.SFO_REVIEW_MANAGER])
    case = REVIEW_STEPS["countersign_and_submit"](case, people[Role.SENIOR_MANAGER])
    qa_reviewer = world["central"][Role.CENTRAL_QA_REVIEWER]
    case = STEPS["complete_qa"](STEPS["take_for_qa"](case, qa_reviewer), qa_reviewer)
    assert case.state == CaseState.QA_COMPLETE
    return case


def complete_full_qa(case, world, key="a"):
    """The full QA a request for disclosure asked for: its first round returns the review for
    amendments (as a full QA's first round does), the provider re-submits, and the next round
    completes it."""
    from reviews import local_qa

    qa_reviewer = world["central"][Role.CENTRAL_QA_REVIEWER]
    for _ in range(3):
        case.refresh_from_db()
        if case.state == CaseState.QA_COMPLETE:
            return case
        if case.state == CaseState.RETURNED_FOR_AMENDMENTS:
            local_qa.resubmit(case, by=world[key][Role.SENIOR_MANAGER])
            case.refresh_from_db()
        if case.state == CaseState.WITH_CENTRAL_TEAM:
            case = STEPS["take_for_qa"](case, qa_reviewer)
        STEPS["complete_qa"](case, qa_reviewer)
    raise AssertionError(f"QA not complete: {case.state}")


def disclosure_request(case, vlo, senior_manager, name="Ann Example"):
    """The victim's mother, her request for disclosure, its assessment signed off to proceed."""
    mother = services.add_victim(
        case,
        by=vlo,
        full_name=name,
        relationship=Relationship.FAMILY,
        relationship_to_victim="mother",
        victim_died=True,
        phone="07700 900123",
        preferred_contact="phone",
        vcs_officer=vlo,
    )
    request = services.record_request(
        mother, by=vlo, requested_on=timezone.localdate(), how_made="phone"
    )
    services.save_assessment(
        request,
        by=vlo,
        complete=True,
        self_harm="low",
        serious_harm="none_known",
        in_relationship="no",
        risk_to_staff="low",
        decision="proceed",
        reasons="She has support from her family and her advocate.",
    )
    services.sign_off_assessment(request, by=senior_manager)
    request.refresh_from_db()
    return request


@pytest.fixture
def acronym_case(world, murder):
    return write_review_with_acronyms(world, murder)


@pytest.fixture
def ready_request(acronym_case, world, vlo, senior_manager):
    """A signed-off request on a case whose full QA is complete, its summary written."""
    request = disclosure_request(acronym_case, vlo, senior_manager)
    complete_full_qa(acronym_case, world)
    services.save_summary(acronym_case, by=senior_manager, edit_version=None, **SUMMARY)
    return request


def pages_of(path) -> list[str]:
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


def flat(text: str) -> str:
    return " ".join(text.split())


def reading_order(path) -> str:
    """The whole text with each table cell's lines together (pdftotext without -layout)."""
    return subprocess.run(
        ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def unwrapped(text: str) -> str:
    """Whitespace collapsed, and a word broken at its own hyphen at a line's end joined again."""
    return re.sub(r"(\w)- (\w)", r"\1-\2", flat(text))


@pytest.mark.django_db(transaction=True)
def test_the_senior_manager_makes_the_pack_and_a_real_worker_prints_it(
    client, ready_request, senior_manager, vlo, fresh_queue
):
    from reviews.coach import acronyms_used
    from reviews.models import GlossaryTerm
    from victims.models import DisclosurePack

    case = ready_request.victim.case
    client.force_login(senior_manager)
    before = client.get(reverse("victims:packs", args=[ready_request.pk])).content.decode()
    assert "Make the pack" in before and "Flesch reading ease" in before
    for acronym in ("RoSH", "MAPPA", "VLO"):  # left unexpanded in the summary
        assert f"<strong>{acronym}</strong>" in before

    response = client.post(reverse("victims:make_pack", args=[ready_request.pk]))

    pack = DisclosurePack.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("documents:job", args=[pack.job_id])
    job = pack.job
    assert (job.kind, job.status, job.case_id) == ("disclosure_pack", JobStatus.QUEUED, case.pk)
    assert pack.unexpanded == ["RoSH", "MAPPA", "VLO"]
    with running_worker():
        seen = wait_for(job, {JobStatus.DONE, JobStatus.FAILED})
    assert seen[-1] == JobStatus.DONE, (seen, job.error)
    assert (
        job.filename
        == f"disclosure-pack-{case.reference.lower()}-request-{ready_request.pk}-v1.pdf"
    )

    pages = pages_of(job.file.path)
    whole = unwrapped(reading_order(job.file.path))
    # The cover letter, to the person, from the senior manager.
    letter = flat(pages[0])
    assert "Ann Example" in letter and "Mother of the victim" in letter
    assert "Dear Ann Example," in letter
    assert senior_manager.get_full_name() in letter and vlo.get_full_name() in letter
    # The summary as stored on the pack, the key findings set apart, the key events in words.
    summary = unwrapped(pages[1])
    assert "A summary of the review" in summary
    assert "What the review found We did not look at his risk again after the arrest." in summary
    assert "Key events" in summary
    arrest = next(
        e
        for e in pack.review_version.snapshot["chronology"]
        if e["event"].startswith("Arrested for assault")
    )
    assert f"{long_date(date.fromisoformat(arrest['occurred_on']))} {arrest['event']}" in summary
    # Every glossary acronym left unexpanded is expanded at its first use, and only there.
    assert "His risk of serious harm (RoSH) went up" in summary
    assert "The RoSH should have been checked again." in summary
    assert "ask for a Multi-Agency Public Protection Arrangements (MAPPA) meeting" in summary
    assert "Your victim liaison officer (VLO) will tell you" in summary
    assert "Offender Assessment System (OASys) to judge" in summary  # already expanded: kept
    # The glossary: every acronym the pack prints, outside the glossary, that the glossary knows.
    start, end = (
        whole.index("Short forms used in this pack"),
        whole.index("The full review that follows"),
    )
    glossary_text, rest = whole[start:end], whole[:start] + whole[end:]
    terms = dict(GlossaryTerm.objects.values_list("acronym", "expansion"))
    used = [a for a in acronyms_used([rest], terms) if a in terms]
    assert {"OASys", "MAPPA", "RoSH", "MARAC", "VLO", "CRN"} <= set(used)
    for acronym in used:
        assert f"{acronym} {terms[acronym]}" in glossary_text, acronym
    assert "HMPPS" not in glossary_text and "NOMS" not in glossary_text  # not used: not listed
    # The full review as central QA completed it, after the glossary.
    assert f"version {pack.review_version.number} of the review" in whole
    assert whole.index("Serious further offence review", end) > end
    assert "no MAPPA referral was made and the MARAC was not told" in whole
    # The pack's version and date at the foot of every page.
    footer = f"Disclosure pack version 1, {long_date(timezone.localdate(pack.created_at))}"
    for number, page in enumerate(pages, start=1):
        assert footer in page, f"page {number} lacks the version and date"
        assert f"Page {number} of {len(pages)}" in page

    # The download: one row of the read audit, with the job's id and nothing personal.
    seen_before = AccessRecord.objects.order_by("-pk").values_list("pk", flat=True).first()
    download = client.get(reverse("documents:download", args=[job.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert "Ann" not in download["Content-Disposition"]
    row = AccessRecord.objects.get(pk__gt=seen_before)
    assert (row.object_type, row.object_id, row.action, row.allowed) == (
        "documents.documentjob",
        str(job.pk),
        "download",
        True,
    )
    assert "Ann" not in f"{row.object_type} {row.object_id} {row.action}"
