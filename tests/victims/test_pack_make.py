# ruff: noqa: F811
"""Making the pack: refused before central QA is complete and without every part of the summary,
by anyone but the provider's senior manager; each pack is the next version, keeping the summary
as it stood. And the pack's content: the summary's first draft from the review, its check, the
acronyms expanded at first use, the glossary of the acronyms used, and the timeline."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string

from reviews.journeys import write_sample_review
from reviews.models import SectionKey
from reviews.workflow import CaseState
from sfo.documents import services as documents
from sfo.documents.models import DocumentJob, JobStatus
from tests.reviews.conftest import case_in, murder, world  # noqa: F401
from tests.victims.conftest import senior_manager, vlo  # noqa: F401
from tests.victims.test_pack_pdf import (  # noqa: F401
    SUMMARY,
    acronym_case,
    complete_full_qa,
    disclosure_request,
    ready_request,
)
from victims import pack as pack_content
from victims import services
from victims.models import DisclosurePack

pytestmark = pytest.mark.django_db


# --- Making the pack -----------------------------------------------------------------------------


def test_no_pack_before_central_qa_is_complete(acronym_case, vlo, senior_manager):
    request = disclosure_request(acronym_case, vlo, senior_manager)
    acronym_case.refresh_from_db()
    # The request asked for a full QA: the targeted one no longer suffices.
    assert acronym_case.state == CaseState.CENTRAL_QA
    services.save_summary(acronym_case, by=senior_manager, edit_version=None, **SUMMARY)

    with pytest.raises(ValidationError) as refused:
        services.make_pack(request, by=senior_manager)

    assert any("Central QA of the review is not complete" in m for m in refused.value.messages)
    assert not DisclosurePack.objects.exists()
    assert not DocumentJob.objects.exists()


def test_no_pack_without_every_part_of_the_summary(acronym_case, world, vlo, senior_manager):
    request = disclosure_request(acronym_case, vlo, senior_manager)
    complete_full_qa(acronym_case, world)
    with pytest.raises(ValidationError, match="Write every part"):
        services.make_pack(request, by=senior_manager)  # no summary at all
    services.save_summary(
        acronym_case, by=senior_manager, edit_version=None, **{**SUMMARY, "what_has_changed": ""}
    )
    with pytest.raises(ValidationError, match="Write every part"):
        services.make_pack(request, by=senior_manager)
    assert not DisclosurePack.objects.exists()


def test_only_the_providers_senior_manager_makes_the_pack(ready_request, vlo, world):
    from sfo.people.roles import Role

    for who in (
        vlo,
        world["b"][Role.SENIOR_MANAGER],
        world["central"][Role.CENTRAL_QA_MANAGER],
        world["a"][Role.SFO_REVIEW_MANAGER],
    ):
        with pytest.raises(PermissionDenied):
            services.make_pack(ready_request, by=who)
    assert not DisclosurePack.objects.exists()


def test_each_pack_is_the_next_version_and_keeps_the_summary_as_it_stood(
    ready_request, senior_manager
):
    first = services.make_pack(ready_request, by=senior_manager)
    summary = services.save_summary(
        ready_request.victim.case,
        by=senior_manager,
        edit_version=None,
        **{**SUMMARY, "what_has_changed": "Staff check risk after every arrest."},
    )
    second = services.make_pack(ready_request, by=senior_manager)

    assert (first.number, second.number) == (1, 2)
    assert first.job != second.job
    assert first.summary == SUMMARY
    assert second.summary["what_has_changed"] == summary.what_has_changed
    assert first.unexpanded == ["RoSH", "MAPPA", "VLO"]
    assert second.unexpanded == ["RoSH", "MAPPA"]
    assert (
        first.review_version
        == second.review_version
        == services.qa_complete_version(ready_request.victim.case)
    )
    assert float(first.reading_ease) == pack_content.summary_check(SUMMARY).readability.reading_ease
    for pack in (first, second):
        job = pack.job
        assert (job.kind, job.status, job.params) == (
            "disclosure_pack",
            "queued",
            {"pack": pack.pk},
        )


def test_the_renderer_prints_the_stored_version_and_reports_its_progress(
    ready_request, senior_manager
):
    pack = services.make_pack(ready_request, by=senior_manager)
    reported = []

    name, content = pack_content.render_pack(pack.job, reported.append)

    assert reported == [20, 40, 70]
    assert content.startswith(b"%PDF-")
    assert name == f"disclosure-pack-sfo-2026-0001-request-{ready_request.pk}-v1.pdf"
    documents.run_document_job(pack.job.pk)
    pack.job.refresh_from_db()
    assert pack.job.status == JobStatus.DONE


def test_the_key_findings_are_set_apart_in_the_printed_summary(ready_request, senior_manager):
    pack = services.make_pack(ready_request, by=senior_manager)
    html = render_to_string(pack_content.PACK_TEMPLATE, pack_content.pack_context(pack))

    box = html[html.index('<div class="pack-key-findings">') :]
    box = box[: box.index("</div>")]
    assert "What the review found" in box
    assert "We did not look at his risk again after the arrest." in box
    assert '<ol class="pack-timeline">' in html
    assert html.index("pack-letter") < html.index("pack-summary") < html.index("pack-glossary")
    assert html.index("pack-glossary") < html.index('<section class="cover">')  # then the review


# --- The summary's first draft and its check -----------------------------------------------------


def test_the_draft_comes_from_the_version_qa_completed(ready_request):
    case = ready_request.victim.case
    data = services.qa_complete_version(case).snapshot

    draft = pack_content.prefill(case)

    assert set(draft) == set(services.SUMMARY_FIELDS)
    assert draft["what_happened"] == data["sections"][SectionKey.SUMMARY_OF_EVENTS]["text"]
    assert draft["key_findings"].splitlines() == [
        "Risk was not reassessed after the arrest.",
        "Good practice: Prompt information sharing with the police.",
    ]
    assert draft["reasonable_steps"].startswith(
        "The review asked if we took all reasonable steps to manage the risk. "
        "It found that we did not.\n\n"
    )
    assert draft["reasonable_steps"].endswith(data["judgement_reasons"])
    assert draft["what_has_changed"].splitlines() == [
        "Reassess risk after every arrest: add the check to the police-information procedure. "
        "This has not started yet.",
        "Team briefing on enforcement after missed appointments. This has not started yet.",
    ]


def test_the_draft_comes_from_the_current_review_while_qa_is_not_complete(world, murder):
    from sfo.people.roles import Role

    case = case_in(world, murder, CaseState.REVIEW_IN_PROGRESS)
    write_sample_review(case, world["a"][Role.SFO_REVIEWER])

    draft = pack_content.prefill(case)

    assert draft["what_happened"].startswith("The person was supervised for ten months")
    assert "Risk was not reassessed after the arrest." in draft["key_findings"]


def test_the_check_gives_readability_and_the_acronyms_left_unexpanded(db):
    check = pack_content.summary_check(
        {
            "what_happened": "The Offender Assessment System (OASys) said so. His RoSH was high.",
            "key_findings": "The XYZ team did not act. The RoSH went up.",
            "reasonable_steps": "No.",
            "what_has_changed": "",
        }
    )
    assert check.unexpanded == [("RoSH", "Risk of serious harm"), ("XYZ", None)]
    assert (check.readability.words, check.readability.sentences) == (22, 5)


def test_acronyms_left_unexpanded_are_expanded_at_their_first_use_only():
    expansions = {
        "RoSH": "Risk of serious harm",
        "OASys": "Offender Assessment System",
        "VLO": "Victim liaison officer",
    }
    texts = [
        "RoSH was high. OASys (Offender Assessment System) said so.",
        "Your VLO will call. The RoSH fell. The ABC team met.",
    ]
    assert pack_content.with_expansions(texts, expansions) == [
        "Risk of serious harm (RoSH) was high. OASys (Offender Assessment System) said so.",
        "Your victim liaison officer (VLO) will call. The RoSH fell. The ABC team met.",
    ]
    # A name keeps its capitals inside a sentence.
    assert pack_content.with_expansions(["We used OASys."], expansions) == [
        "We used Offender Assessment System (OASys)."
    ]


def test_the_glossary_lists_the_acronyms_used_that_it_knows_alphabetically(
    ready_request, senior_manager
):
    pack = services.make_pack(ready_request, by=senior_manager)

    glossary = pack_content.glossary_for(pack)

    acronyms = [acronym for acronym, _, _ in glossary]
    assert acronyms == sorted(acronyms, key=str.upper)
    # The summary's (RoSH, MAPPA, OASys, VLO), the review's (MARAC in its text; CRN, NPS and SFO
    # on its cover): each with its expansion and the glossary's explanation.
    assert {"CRN", "MAPPA", "MARAC", "NPS", "OASys", "RoSH", "SFO", "VLO"} <= set(acronyms)
    assert "HMPPS" not in acronyms and "XYZ" not in acronyms
    assert dict((a, e) for a, e, _ in glossary)["RoSH"] == "Risk of serious harm"
    assert all(explanation is not None for _, _, explanation in glossary)


def test_an_unknown_acronym_is_left_out_of_the_glossary(ready_request, senior_manager):
    case = ready_request.victim.case
    services.save_summary(
        case,
        by=senior_manager,
        edit_version=None,
        **{**SUMMARY, "what_has_changed": "The QQX panel meets monthly."},
    )
    pack = services.make_pack(ready_request, by=senior_manager)
    assert "QQX" in pack.unexpanded
    assert "QQX" not in [acronym for acronym, _, _ in pack_content.glossary_for(pack)]


# --- The timeline --------------------------------------------------------------------------------


def test_the_timeline_shows_at_most_twelve_significant_events_of_the_review_period():
    start = date(2025, 1, 1)

    def entry(n, day, significant=True):
        return {
            "id": n,
            "occurred_on": day.isoformat(),
            "event": f"Event {n}",
            "significant": significant,
        }

    chronology = [entry(0, start - timedelta(days=10))]  # before the review period
    chronology += [
        entry(n, start + timedelta(days=n), significant=n % 2 == 0) for n in range(1, 31)
    ]
    data = {"review_period_start": start.isoformat(), "chronology": chronology}

    events, more = pack_content.key_events(data)

    # Fifteen significant entries in the period (2, 4, … 30): the twelve latest are shown.
    assert [e["event"] for e in events] == [f"Event {n}" for n in range(8, 31, 2)]
    assert more == 3
    assert events[0]["date"] == "9 January 2025"  # the date in words


def test_the_letter_names_the_persons_relationship(mother):
    from victims.models import Relationship

    assert pack_content.addressee_relationship(mother) == "Mother of the victim"
    mother.relationship, mother.relationship_to_victim = Relationship.VICTIM, ""
    assert pack_content.addressee_relationship(mother) == "The victim"
    mother.relationship = Relationship.FAMILY
    assert pack_content.addressee_relationship(mother) == "Family member of the victim"
