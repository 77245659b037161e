# ruff: noqa: F811
"""The victims' pack withholds everything the review's marks withhold (ADR 0012): third parties'
details, named staff, other sensitive information, and victims' and families' details too (a pack
goes to one family; the review may hold another's, as in a double homicide), in the printed
review, the timeline of key events, the first draft of the summary and the summary the senior
manager saved (which may predate a mark). Built from redacted data: the PDF's text holds none of
the withheld canaries."""

import json
import subprocess

import pytest
from django.urls import reverse

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

# The summary as saved, written before the marks were looked at: a third party's name marked in
# the chronology (in other capitals) and another family's details marked in the judgement.
MARKED_SUMMARY = {
    **SUMMARY,
    "what_happened": SUMMARY["what_happened"] + " He stayed with canaryev that winter.",
    "reasonable_steps": SUMMARY["reasonable_steps"] + " CANARYREASONS was not asked.",
}


@pytest.fixture
def qa_complete_canaries(world, murder):
    canaries = canary_case(world, murder, crn="V654321")
    qa_reviewer = world["central"][Role.CENTRAL_QA_REVIEWER]
    case = STEPS["complete_qa"](STEPS["take_for_qa"](canaries.case, qa_reviewer), qa_reviewer)
    assert case.state == CaseState.QA_COMPLETE
    canaries.case = case
    return canaries


def test_the_summary_draft_withholds_every_marked_text(qa_complete_canaries):
    canaries = qa_complete_canaries
    draft = json.dumps(pack.prefill(canaries.case))
    assert {"CANARYFT", STAFF_CANARY, "CANARYREASONS"} <= set(canaries.canaries)
    assert sorted(c for c in canaries.canaries if c in draft) == []
    assert "KEPTFT" in draft  # the finding's title, less its third party
    assert "KEPTREASONS" in draft


def test_the_pack_pdf_withholds_every_marked_text_even_the_familys(
    qa_complete_canaries, world, vlo, senior_manager, tmp_path
):
    canaries = qa_complete_canaries
    request = disclosure_request(canaries.case, vlo, senior_manager)
    complete_full_qa(canaries.case, world)  # a request for disclosure asks for full QA
    services.save_summary(canaries.case, by=senior_manager, edit_version=None, **MARKED_SUMMARY)
    made = services.make_pack(request, by=senior_manager)
    assert "canaryev" in made.summary["what_happened"]  # stored as saved, withheld in print
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

    assert canaries.withheld_from("victims") == set(canaries.canaries)
    assert sorted(c for c in canaries.canaries if c.lower() in text.lower()) == []
    assert all(kept in text for kept in canaries.kept)
    assert "He stayed with [withheld: third party details] that winter." in text
    assert "[withheld: victim or family details] was not asked." in text
    assert "[withheld: a named member of staff]" in text
    assert "[withheld: victim or family details]" in text


def test_the_summary_page_lists_the_marked_words_the_summary_uses(
    client, qa_complete_canaries, senior_manager
):
    canaries = qa_complete_canaries
    url = reverse("victims:summary", args=[canaries.case.pk])
    client.force_login(senior_manager)
    assert "The summary uses words the review withholds" not in client.get(url).content.decode()

    services.save_summary(canaries.case, by=senior_manager, edit_version=None, **MARKED_SUMMARY)

    page = client.get(url).content.decode()
    assert "The summary uses words the review withholds: “CANARYREASONS”, “CANARYEV”." in page
