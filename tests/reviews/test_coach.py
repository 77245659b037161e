"""The review-quality coach: each flag raised and not raised at its threshold, acronyms and their
expansions, thresholds read from the policy in force, the live panel fed by an unsaved draft,
who may use it, and the administrators' glossary and policies."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reviews import authoring, coach
from reviews.coach import CaseFacts, acronyms_used, advise, unexpanded_acronyms
from reviews.defaults import GLOSSARY
from reviews.models import (
    ActionLevel,
    ChronologySource,
    CoachPolicy,
    FindingKind,
    GlossaryTerm,
    Judgement,
    SectionKey,
)
from sfo.audit.models import AccessRecord
from sfo.people.roles import Role
from tests.factories import UserFactory

TERMS = {acronym: expansion for acronym, expansion, _ in GLOSSARY}
POLICY = CoachPolicy(
    effective_from=date(2018, 4, 1),
    multi_agency_min_words=150,
    history_max_share=Decimal("0.50"),
    history_min_entries=10,
    target_words=9000,
)
NO_AGENCIES = CaseFacts()


def words(n: int) -> str:
    return " ".join(["word"] * n)


def snap(
    *,
    sections: dict | None = None,
    judgement: str = Judgement.NO,
    reasons: str = "The risk was not reassessed after the arrest in March.",
    findings: list | None = None,
    chronology: list | None = None,
    actions: list | None = None,
    period: str | None = None,
) -> dict:
    """A snapshot shaped like `reviews.authoring.snapshot`, with the good practice section written
    so that each test raises only the flag it is about."""
    texts = {"good_practice": "The officer's home visits were thorough."} | (sections or {})
    return {
        "review_period_start": period,
        "all_reasonable_steps": judgement,
        "judgement_reasons": reasons,
        "sections": {key: {"text": texts.get(key, ""), "status": ""} for key in SectionKey},
        "findings": findings or [],
        "chronology": chronology or [],
        "actions": actions or [],
    }


def codes(snapshot, facts=NO_AGENCIES, policy=POLICY, glossary=TERMS) -> list[str]:
    return [f.code for f in advise(snapshot, case_facts=facts, policy=policy, glossary=glossary)]


def flag(code, snapshot, facts=NO_AGENCIES, policy=POLICY, glossary=TERMS):
    flags = advise(snapshot, case_facts=facts, policy=policy, glossary=glossary)
    return next(f for f in flags if f.code == code)


def test_a_complete_review_has_nothing_to_flag():
    assert codes(snap()) == []


# --- No clear judgement: the only mandatory one ---------------------------------------------


def test_no_judgement_is_flagged_as_the_one_mandatory_thing():
    flagged = flag("no_judgement", snap(judgement="", reasons=""))
    assert flagged.mandatory and flagged.section == "conclusion"
    assert "cannot be sent without" in flagged.advice


def test_a_judgement_without_reasons_is_flagged():
    assert codes(snap(judgement=Judgement.YES, reasons="  \n")) == ["no_judgement"]


def test_a_judgement_with_reasons_is_not_flagged():
    assert "no_judgement" not in codes(snap(judgement=Judgement.YES, reasons="Because."))


def test_only_the_judgement_is_mandatory():
    snapshot = snap(judgement="", sections={"good_practice": ""}, actions=[action()])
    flags = advise(snapshot, case_facts=NO_AGENCIES, policy=POLICY, glossary=TERMS)
    assert [f.code for f in flags if f.mandatory] == ["no_judgement"]
    assert len(flags) == 3


# --- Multi-agency working thin --------------------------------------------------------------


@pytest.mark.parametrize(
    ("facts", "named"),
    [
        (CaseFacts(mappa=True), "MAPPA"),
        (CaseFacts(iom=True), "IOM"),
        (CaseFacts(agencies=("the police", "mental health services")), "the police and mental"),
    ],
)
def test_a_thin_multi_agency_section_is_flagged_naming_the_agencies(facts, named):
    flagged = flag("multi_agency_thin", snap(sections={"multi_agency": words(149)}), facts)
    assert named in flagged.advice
    assert flagged.section == "multi_agency"
    assert flagged.details == ["149 words against at least 150."]


def test_a_multi_agency_section_at_the_threshold_is_not_flagged():
    snapshot = snap(sections={"multi_agency": words(150)})
    assert "multi_agency_thin" not in codes(snapshot, CaseFacts(mappa=True, iom=True))


def test_a_case_with_no_other_agency_needs_no_multi_agency_section():
    assert "multi_agency_thin" not in codes(snap(), CaseFacts())


def test_other_agencies_are_read_from_the_chronology_and_mappa_from_the_case():
    class Case:
        mappa_category, mappa_level, iom = "none", "", False

    snapshot = snap(
        chronology=[entry("2026-01-05", ChronologySource.POLICE), entry("2026-01-06", "oasys")]
    )
    assert coach.case_facts(Case(), snapshot) == CaseFacts(agencies=("the police",))
    Case.mappa_level = "2"
    assert coach.case_facts(Case(), snap()).mappa
    Case.mappa_level, Case.mappa_category = "", "1"
    assert coach.case_facts(Case(), snap()).involvement() == ["MAPPA"]
    minutes = snap(chronology=[entry("2026-01-05", ChronologySource.MAPPA)])
    assert coach.case_facts(Case(), minutes).involvement() == ["MAPPA"]  # named once


# --- Every action individual ----------------------------------------------------------------


def action(level=ActionLevel.INDIVIDUAL):
    return {"description": "Supervision to cover home visits", "level": level, "agency": ""}


def test_an_action_plan_of_individual_actions_only_is_flagged():
    flagged = flag("every_action_individual", snap(actions=[action(), action()]))
    assert flagged.section == "action_plan"
    assert "aimed at individuals" in flagged.advice
    assert flagged.details == ["All 2 actions are individual."]


def test_one_organisational_action_clears_the_flag():
    actions = [action(), action(ActionLevel.TEAM)]
    assert "every_action_individual" not in codes(snap(actions=actions))


def test_an_empty_action_plan_is_not_flagged():
    # An unfinished plan shows on the task list; the coach does not nag every early draft.
    assert "every_action_individual" not in codes(snap(actions=[]))


# --- No good practice -----------------------------------------------------------------------


def finding(kind=FindingKind.MISSED_OPPORTUNITY, analysis="Recall was not considered."):
    return {"title": "A finding", "analysis": analysis, "kind": kind, "dissemination": ""}


@pytest.mark.parametrize("text", ["", "  \n "])
def test_no_good_practice_anywhere_is_flagged(text):
    snapshot = snap(sections={"good_practice": text}, findings=[finding()])
    assert codes(snapshot) == ["no_good_practice"]
    assert flag("no_good_practice", snapshot).section == "good_practice"


def test_a_good_practice_finding_clears_the_flag():
    snapshot = snap(sections={"good_practice": ""}, findings=[finding(FindingKind.GOOD_PRACTICE)])
    assert codes(snapshot) == []


def test_a_good_practice_section_clears_the_flag():
    assert codes(snap(sections={"good_practice": "Thorough home visits."})) == []


# --- Chronology weighted to history ---------------------------------------------------------


def entry(on: str, source=ChronologySource.CASE_RECORD):
    return {"occurred_on": on, "source": source, "event": "Seen", "finding_id": None}


def chronology(before: int, within: int) -> list:
    return [entry("2019-06-01")] * before + [entry("2025-03-01")] * within


def test_a_chronology_mostly_before_the_review_period_is_flagged_with_its_share():
    snapshot = snap(chronology=chronology(6, 4), period="2025-01-01")
    flagged = flag("history_weighted", snapshot)
    assert flagged.section == "chronology"
    assert flagged.details == [
        "60% of the entries (6 of 10) are from before the review period started on "
        "1 January 2025, against at most 50%."
    ]


def test_a_chronology_at_the_largest_share_is_not_flagged():
    assert codes(snap(chronology=chronology(5, 5), period="2025-01-01")) == []


def test_an_entry_on_the_first_day_of_the_period_is_within_it():
    snapshot = snap(chronology=chronology(5, 4) + [entry("2025-01-01")], period="2025-01-01")
    assert codes(snapshot) == []


def test_a_short_chronology_is_not_judged():
    assert codes(snap(chronology=chronology(9, 0), period="2025-01-01")) == []
    assert codes(snap(chronology=chronology(10, 0), period="2025-01-01")) == ["history_weighted"]


def test_without_a_review_period_the_weighting_is_not_judged():
    assert codes(snap(chronology=chronology(10, 0), period=None)) == []


# --- Length ---------------------------------------------------------------------------------


FIXED_WORDS = coach.narrative_words(snap())  # the good practice and the judgement's reasons


def test_a_review_longer_than_the_target_is_flagged_in_words_and_pages():
    snapshot = snap(sections={"summary_of_events": words(9001 - FIXED_WORDS)})
    assert coach.narrative_words(snapshot) == 9001
    flagged = flag("too_long", snapshot)
    assert flagged.details == [
        "About 9,001 words, about 16 pages, against a target of 9,000 words (about 15 pages)."
    ]


def test_a_review_at_the_target_is_not_flagged():
    snapshot = snap(sections={"summary_of_events": words(9000 - FIXED_WORDS)})
    assert coach.narrative_words(snapshot) == 9000
    assert codes(snapshot) == []


def test_the_length_counts_sections_findings_and_the_judgement_but_not_the_tables():
    snapshot = snap(
        sections={"methodology": words(100), "good_practice": words(20)},
        findings=[finding(analysis=words(50))],
        reasons=words(30),
        chronology=[{**entry("2025-01-01"), "event": words(500)}],
        actions=[{**action(), "description": words(500)}],
    )
    assert coach.narrative_words(snapshot) == 100 + 20 + 2 + 50 + 30  # finding title: 2 words


def test_the_panel_always_shows_the_length():
    result = coach.CoachResult(flags=[], words=1250, target_words=9000)
    assert result.length == (
        "About 1,250 words (about 3 pages) against a target of 9,000 (about 15 pages)."
    )
    assert result.summary == "Nothing to flag"


# --- Acronyms -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Multi-Agency Public Protection Arrangements (MAPPA) met twice. MAPPA level 2.",
        "MAPPA (Multi-Agency Public Protection Arrangements) met twice. MAPPA level 2.",
        "The risk of serious harm (RoSH) was high; RoSH was not reviewed.",
        "A request under Freedom of Information (FOI) was made.",
        "She lived in approved premises (AP) for a month.",
    ],
)
def test_an_acronym_expanded_at_first_use_is_not_flagged(text):
    assert unexpanded_acronyms([text], TERMS) == []


def test_an_expansion_later_than_the_first_use_is_flagged():
    texts = ["MAPPA met twice.", "Multi-Agency Public Protection Arrangements (MAPPA) minutes."]
    assert unexpanded_acronyms(texts, TERMS) == [
        ("MAPPA", "Multi-Agency Public Protection Arrangements")
    ]


def test_the_glossary_expansion_is_suggested_where_the_acronym_is_first_used():
    snapshot = snap(
        sections={
            "methodology": "Records of the OASys assessments were read.",
            "summary_of_events": "The Offender Assessment System (OASys) was out of date.",
        }
    )
    flagged = flag("acronyms", snapshot)
    assert flagged.section == "methodology"
    assert flagged.details == [
        "OASys, first used in Methodology: write “Offender Assessment System (OASys)”."
    ]


def test_an_unknown_acronym_is_flagged_without_a_suggestion():
    assert unexpanded_acronyms(["The DWP was not told."], TERMS) == [("DWP", None)]
    assert unexpanded_acronyms(["The Department for Work and Pensions (DWP)."], TERMS) == []
    flagged = flag("acronyms", snap(sections={"methodology": "The DWP was not told."}))
    assert flagged.details == ["DWP, first used in Methodology: spell it out at first use."]


def test_single_capitals_roman_numerals_and_everyday_abbreviations_are_not_acronyms():
    text = "I met A and B. A Part II hearing in the UK. HM Inspectorate of Probation."
    assert acronyms_used([text], TERMS) == []


def test_glossary_acronyms_are_matched_as_written_and_as_whole_words():
    assert acronyms_used(["mappa, Oasys and PROBATION"], TERMS) == []  # not "PO" in PROBATION
    assert acronyms_used(["Two ROs and the OASys."], TERMS) == ["RO", "OASys"]


def test_acronyms_used_lists_each_once_in_the_order_first_used():
    texts = ["The NPS and the CRC.", "Then MAPPA, the NPS again, and the DWP."]
    assert acronyms_used(texts, TERMS) == ["NPS", "CRC", "MAPPA", "DWP"]


def test_findings_and_the_judgement_are_read_for_acronyms_in_their_place():
    snapshot = snap(
        findings=[finding(analysis="The IOM team was not told.")],
        sections={"next_steps": "Integrated Offender Management (IOM) will be told."},
    )
    assert flag("acronyms", snapshot).section == "key_findings"


# --- The data: policy in force, glossary, the case ------------------------------------------


@pytest.mark.django_db
def test_the_policy_in_force_is_the_latest_whose_date_has_come():
    today = timezone.localdate()
    seeded = CoachPolicy.objects.get(effective_from=date(2018, 4, 1))
    assert coach.current_policy() == seeded
    newer = CoachPolicy.objects.create(effective_from=today, target_words=6000)
    CoachPolicy.objects.create(effective_from=today + timedelta(days=1), target_words=3000)
    assert coach.current_policy() == newer


@pytest.mark.django_db
def test_the_thresholds_follow_the_policy_row(review_case, reviewer):
    review_case.iom = True
    review_case.save(update_fields=["iom"])
    authoring.save_section(
        review_case, "multi_agency", by=reviewer, text=words(40), status="in_progress",
        expected_version=None,
    )  # fmt: skip
    result = coach.coach_for(review_case)
    assert "multi_agency_thin" in [f.code for f in result.flags]
    assert result.target_words == 9000
    CoachPolicy.objects.create(
        effective_from=timezone.localdate(), multi_agency_min_words=40, target_words=30
    )
    result = coach.coach_for(review_case)
    assert "multi_agency_thin" not in [f.code for f in result.flags]
    assert "too_long" in [f.code for f in result.flags]
    assert result.target_words == 30


@pytest.mark.django_db
def test_a_glossary_term_added_by_an_administrator_is_suggested(review_case, reviewer):
    GlossaryTerm.objects.create(acronym="DWP", expansion="Department for Work and Pensions")
    authoring.save_section(
        review_case, "methodology", by=reviewer, text="The DWP was not told.",
        status="in_progress", expected_version=None,
    )  # fmt: skip
    result = coach.coach_for(review_case)
    acronyms = next(f for f in result.flags if f.code == "acronyms")
    assert "write “Department for Work and Pensions (DWP)”" in acronyms.details[0]


@pytest.mark.django_db
def test_the_coach_reads_the_review_in_a_few_queries_however_long_the_chronology(
    review_case, reviewer
):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            coach.coach_for(review_case, {"multi_agency": "draft"})
        return len(captured)

    facts = authoring.EntryFacts(date(2025, 1, 1), ChronologySource.POLICE, "Arrested")
    authoring.add_entries(review_case, by=reviewer, entries=[facts] * 3)
    few = queries()
    authoring.add_entries(review_case, by=reviewer, entries=[facts] * 60)
    assert queries() == few <= 8


# --- The panel, live and on its own page ----------------------------------------------------


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client


def panel_codes(response) -> list[str]:
    import re

    return re.findall(r'data-coach-flag="([a-z_]+)"', response.content.decode())


@pytest.mark.django_db
def test_typing_a_long_multi_agency_section_clears_its_flag_before_it_is_saved(
    reviewer_client, review_case
):
    review_case.mappa_category = "2"
    review_case.save(update_fields=["mappa_category"])
    url = reverse("reviews:coach", kwargs={"pk": review_case.pk})
    short = reviewer_client.post(url, {"section": "multi_agency", "text": words(10)})
    assert "multi_agency_thin" in panel_codes(short)
    assert "MAPPA" in short.content.decode()
    # No link to the page being typed on (following it would lose the text), but to the others.
    here = reverse("reviews:review_section", kwargs={"pk": review_case.pk, "key": "multi_agency"})
    there = reverse("reviews:review_section", kwargs={"pk": review_case.pk, "key": "conclusion"})
    assert f'href="{here}"' not in short.content.decode()
    assert f'href="{there}"' in short.content.decode()
    long = reviewer_client.post(url, {"section": "multi_agency", "text": words(200)})
    assert long.status_code == 200
    assert "multi_agency_thin" not in panel_codes(long)
    assert "<html" not in long.content.decode()  # the panel alone, for the page to swap in
    assert "About 200 words" in long.content.decode()
    # Nothing was saved: the saved review still has an empty multi-agency section.
    assert authoring.review_of(review_case).sections.get(key="multi_agency").text == ""
    saved = reviewer_client.get(url)
    assert "multi_agency_thin" in panel_codes(saved)


@pytest.mark.django_db
def test_typing_the_judgement_clears_the_mandatory_flag(reviewer_client, review_case):
    url = reverse("reviews:coach", kwargs={"pk": review_case.pk})
    assert "no_judgement" in panel_codes(reviewer_client.post(url, {"section": "conclusion"}))
    response = reviewer_client.post(
        url,
        {
            "section": "conclusion",
            "text": "",
            "all_reasonable_steps": "no",
            "judgement_reasons": "Recall was not considered after two missed visits.",
        },
    )
    assert "no_judgement" not in panel_codes(response)


@pytest.mark.django_db
def test_the_coach_page_works_without_javascript(reviewer_client, review_case):
    response = reviewer_client.get(reverse("reviews:coach", kwargs={"pk": review_case.pk}))
    content = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="govuk-heading-l">Review coach</h1>' in content
    assert 'aria-live="polite"' in content
    assert "Advice, not a block" in content
    assert panel_codes(response) == ["no_judgement", "no_good_practice"]
    link = reverse("reviews:review_section", kwargs={"pk": review_case.pk, "key": "conclusion"})
    assert f'href="{link}"' in content


@pytest.mark.django_db
def test_nothing_to_flag_is_said_plainly(reviewer_client, review_case, reviewer):
    authoring.save_conclusion(
        review_case, by=reviewer, text="", status="in_progress", judgement="yes",
        reasons="Every risk was managed.", expected_version=None,
    )  # fmt: skip
    authoring.save_section(
        review_case, "good_practice", by=reviewer, text="Thorough home visits.",
        status="in_progress", expected_version=None,
    )  # fmt: skip
    response = reviewer_client.get(reverse("reviews:coach", kwargs={"pk": review_case.pk}))
    assert panel_codes(response) == []
    assert "Nothing to flag" in response.content.decode()
    assert "About 7 words" in response.content.decode()


@pytest.mark.django_db
def test_the_live_panel_needs_the_forms_csrf_token(reviewer, review_case):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reviewer)
    url = reverse("reviews:coach", kwargs={"pk": review_case.pk})
    assert client.post(url, {"section": "methodology", "text": "x"}).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("key", "role", "status"),
    [
        ("a", Role.SFO_REVIEWER, 200),
        ("a", Role.SFO_REVIEW_MANAGER, 200),
        ("a", Role.SENIOR_MANAGER, 200),
        ("central", Role.CENTRAL_QA_REVIEWER, 200),
        ("central", Role.CENTRAL_QA_MANAGER, 200),
        ("a", Role.RESPONSIBLE_OFFICER, 403),
        ("a", Role.VICTIM_LIAISON_OFFICER, 403),
        ("central", Role.ANALYST, 403),
        ("central", Role.CHIEF_OFFICER, 403),
        ("central", Role.ADMINISTRATOR, 403),
    ],
)
def test_who_reads_the_coach(client, world, review_case, key, role, status):
    client.force_login(world[key][role])
    assert client.get(reverse("reviews:coach", kwargs={"pk": review_case.pk})).status_code == status


@pytest.mark.django_db
def test_a_responsible_officer_is_refused_and_the_refusal_recorded(client, world, review_case):
    officer = world["a"][Role.RESPONSIBLE_OFFICER]
    client.force_login(officer)
    url = reverse("reviews:coach", kwargs={"pk": review_case.pk})
    assert client.get(url).status_code == 403
    assert client.post(url, {"section": "methodology", "text": "x"}).status_code == 403
    assert AccessRecord.objects.filter(
        user=officer, object_id=str(review_case.pk), allowed=False
    ).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.SFO_REVIEWER, Role.SENIOR_MANAGER])
def test_another_provider_does_not_find_the_case(client, world, review_case, role):
    other = world["b"][role]
    client.force_login(other)
    url = reverse("reviews:coach", kwargs={"pk": review_case.pk})
    assert client.post(url, {"section": "methodology", "text": "x"}).status_code == 404
    assert AccessRecord.objects.filter(
        user=other, object_type="reviews.case", object_id=str(review_case.pk), allowed=False
    ).exists()


# --- Administration -------------------------------------------------------------------------


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    return client


@pytest.mark.django_db
def test_an_administrator_finds_and_adds_glossary_terms(admin_client):
    found = admin_client.get(reverse("admin:reviews_glossaryterm_changelist"), {"q": "MAPPA"})
    assert "Multi-Agency Public Protection Arrangements" in found.content.decode()
    admin_client.post(
        reverse("admin:reviews_glossaryterm_add"),
        {"acronym": "DWP", "expansion": "Department for Work and Pensions", "explanation": ""},
    )
    assert GlossaryTerm.objects.filter(acronym="DWP").exists()


@pytest.mark.django_db
def test_a_coach_policy_is_superseded_never_deleted_nor_changed_once_in_force(admin_client):
    policy = CoachPolicy.objects.get(effective_from=date(2018, 4, 1))
    delete = reverse("admin:reviews_coachpolicy_delete", args=[policy.pk])
    assert admin_client.get(delete).status_code == 403
    admin_client.post(
        reverse("admin:reviews_coachpolicy_change", args=[policy.pk]),
        {"note": "Checked", "target_words": 100},
    )
    policy.refresh_from_db()
    assert (policy.target_words, policy.note) == (9000, "Checked")
    admin_client.post(
        reverse("admin:reviews_coachpolicy_add"),
        {
            "effective_from": timezone.localdate().isoformat(),
            "multi_agency_min_words": 200,
            "history_max_share": "0.40",
            "history_min_entries": 12,
            "target_words": 7500,
            "note": "Shorter reviews",
        },
    )
    assert coach.current_policy().target_words == 7500


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.SFO_REVIEWER, Role.CENTRAL_QA_MANAGER])
def test_only_administrators_keep_the_glossary(client, role):
    client.force_login(UserFactory(role=role))
    assert client.get(reverse("admin:reviews_glossaryterm_changelist")).status_code == 403
