# ruff: noqa: F811
"""The victims' pack withholds what the review's marks withhold from victims (ADR 0012): third
parties' details, named staff and other sensitive information, in the printed review, the
timeline of key events and the first draft of the summary; victims' and families' own details
stay. Built from redacted data: the PDF's text holds none of the withheld canaries."""

import json
import subprocess

import pytest

from qa.journeys import STEPS
from reviews.workflow import CaseState
from sfo.documents import services as documents
from sfo.documents.models import JobStatus
from sfo.people.roles import Role
from tests.reviews.conftest import murder, world  # noqa: F401
from tests.reviews.test_redaction import STAFF_CANARY, canary_case
from tests.victims.conftest import senior_manager, vlo  # noqa: F401
from tests.victims.test_pack_pdf import SUMMARY, complete_full_qa, disclosure_request
from victims import pack, services


@pytest.fixture
def qa_complete_canaries(world, murder):
    canaries = canary_case(world, murder, crn="V654321")
    qa_reviewer = world["central"][Role.CENTRAL_QA_REVIEWER]
    case = STEPS["complete_qa"](STEPS["take_for_qa"](canaries.case, qa_reviewer), qa_reviewer)
    assert case.state == CaseState.QA_COMPLETE
    canaries.case = case
    return canaries


def test_the_summary_draft_withholds_what_victims_may_not_read(qa_complete_canaries):
    canaries = qa_complete_canaries
    draft = json.dumps(pack.prefill(canaries.case))
    withheld = canaries.withheld_from("victims")
    assert "CANARYFT" in withheld and STAFF_CANARY in withheld
    assert sorted(c for c in withheld if c in draft) == []
    assert "KEPTFT" in draft  # the finding's title, less its third party
    assert "CANARYREASONS" in draft  # the family's own details stay theirs


def test_the_pack_pdf_withholds_third_parties_and_staff_but_not_the_family(
    qa_complete_canaries, world, vlo, senior_manager, tmp_path
):
    canaries = qa_complete_canaries
    request = disclosure_request(canaries.case, vlo, senior_manager)
    complete_full_qa(canaries.case, world)  # a request for disclosure asks for full QA
    services.save_summary(canaries.case, by=senior_manager, edit_version=None, **SUMMARY)
    made = services.make_pack(request, by=senior_manager)
    context = pack.pack_context(made)
    events = " ".join(e["event"] for e in context["events"])
    assert "KEPTEV" in events and "CANARYEV" not in events  # the timeline too

    documents.run_document_job(made.job_id)
    made.job.refresh_from_db()
    assert made.job.status == JobStatus.DONE, made.job.error
    path = tmp_path / "pack.pdf"
    path.write_bytes(made.job.file.read())
    text = " ".join(
        subprocess.run(
            ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
        ).stdout.split()
    )

    withheld = canaries.withheld_from("victims")
    assert sorted(c for c in withheld if c in text) == []
    family = set(canaries.canaries) - withheld
    assert family == {"CANARYCONC", "CANARYREASONS", "CANARYEI"}
    assert all(c in text for c in family)
    assert all(kept in text for kept in canaries.kept)
    assert "[withheld: third party details]" in text
    assert "[withheld: a named member of staff]" in text
