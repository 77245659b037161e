"""What changed between two frozen versions of a review: words added and removed in each section,
marked for screen readers; statuses; the judgement; and the chronology entries, findings and
actions added, removed and changed. Only the review's readers see the versions."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from reviews import authoring, local_qa
from reviews.authoring import ActionFacts, EntryFacts, FindingFacts
from reviews.models import SectionKey, SectionStatus
from reviews.versions import compare, text_changes, text_diff
from sfo.audit.models import AccessRecord
from sfo.people.roles import Role
from tests.factories import SampleAssignmentFactory

pytestmark = pytest.mark.django_db


# --- The text diff ---------------------------------------------------------------------------


def test_words_added_and_removed_are_marked_and_announced():
    html = text_diff(
        "The officer did not visit the home.\nThe hostel was told.",
        "The officer visited the home twice.\nThe hostel was told.",
    )
    assert (
        '<del class="sfo-diff__removed"><span class="govuk-visually-hidden">removed: </span>'
        "did not visit</del>"
    ) in html
    assert (
        '<ins class="sfo-diff__added"><span class="govuk-visually-hidden">added: </span>'
        "visited</ins>"
    ) in html
    assert "twice" in html and "\nThe hostel was told." in html
    assert html.count("<ins") == 2 and html.count("<del") == 1  # "twice" added before the stop


def test_the_diff_escapes_what_was_written():
    html = text_diff("Risk <b>low</b>", "Risk <script>alert(1)</script>")
    assert "<script" not in html and "<b>" not in html
    assert "&lt;" in html and "script" in html


def test_unchanged_text_has_no_marks_and_a_new_paragraph_is_one_addition():
    assert text_changes("Same words.", "Same words.") == [("equal", "Same words.")]
    pieces = text_changes("First.\nSecond.\n", "First.\nSecond.\nA third paragraph.\n")
    assert pieces == [("equal", "First.\nSecond.\n"), ("insert", "A third paragraph.\n")]


REVIEW_TEXT = st.lists(
    st.sampled_from([*"abc de.\n!?’'<&", "officer ", "risk. ", "did not visit"]), max_size=60
).map("".join)


@given(old=REVIEW_TEXT, new=REVIEW_TEXT)
def test_the_pieces_give_back_both_texts_exactly(old, new):
    pieces = text_changes(old, new)
    assert "".join(text for op, text in pieces if op != "insert") == old
    assert "".join(text for op, text in pieces if op != "delete") == new
    assert all(text for _, text in pieces)


def test_a_rewrite_too_large_to_compare_word_by_word_is_compared_sentence_by_sentence():
    old = " ".join(f"Sentence {n} says the officer visited." for n in range(400))
    new = old.replace("visited", "did not visit")
    pieces = text_changes(old, new)
    assert [text for op, text in pieces if op == "insert"][:1] == ["did not visit"]
    assert sum(1 for op, _ in pieces if op == "delete") == 400


# --- Comparing snapshots ---------------------------------------------------------------------


def snapshot(**changes):
    base = {
        "review_period_start": "2025-01-06",
        "all_reasonable_steps": "yes",
        "judgement_reasons": "The plan was followed.",
        "sections": {key.value: {"text": "", "status": "not_started"} for key in SectionKey},
        "findings": [
            {
                "id": 1,
                "title": "Home visits missed",
                "analysis": "Two visits were missed.",
                "kind": "practice_failing",
                "dissemination": "",
            },
            {
                "id": 2,
                "title": "Police shared quickly",
                "analysis": "Same day.",
                "kind": "good_practice",
                "dissemination": "local",
            },
        ],
        "chronology": [
            {
                "id": 10,
                "occurred_on": "2025-03-01",
                "source": "police",
                "event": "Arrested for a public order offence",
                "significant": True,
                "emerging_issue": "Escalating behaviour",
                "finding_id": 1,
            },
            {
                "id": 11,
                "occurred_on": "2025-04-02",
                "source": "case_record",
                "event": "Missed appointment",
                "significant": False,
                "emerging_issue": "",
                "finding_id": None,
            },
        ],
        "actions": [
            {
                "id": 20,
                "description": "Audit home visits",
                "level": "team",
                "agency": "",
                "owner": "SPO",
                "due_on": "2026-12-01",
                "finding_id": 1,
                "status": "open",
            }
        ],
    }
    base["sections"]["methodology"] = {"text": "We read the file.", "status": "completed"}
    for key, value in changes.items():
        base[key] = value
    return base


def test_unchanged_snapshots_compare_as_no_change():
    comparison = compare(snapshot(), snapshot())
    assert not comparison
    assert comparison.changed_sections == []
    assert len(comparison.unchanged_sections) == len(SectionKey)


def test_section_text_and_status_changes():
    new = snapshot()
    new["sections"] = {**new["sections"]}
    new["sections"]["methodology"] = {"text": "We read the file and interviewed the officer."}
    new["sections"]["methodology"]["status"] = "completed"
    new["sections"]["next_steps"] = {"text": "", "status": "in_progress"}
    comparison = compare(snapshot(), new)
    changed = {s.key: s for s in comparison.changed_sections}
    assert set(changed) == {"methodology", "next_steps"}
    assert "interviewed the officer" in changed["methodology"].diff
    assert "<ins" in changed["methodology"].diff
    assert not changed["methodology"].status_changed
    assert changed["next_steps"].diff is None
    assert (changed["next_steps"].old_status, changed["next_steps"].new_status) == (
        "Not started",
        "In progress",
    )


def test_the_judgement_change_is_shown():
    comparison = compare(
        snapshot(),
        snapshot(all_reasonable_steps="no", judgement_reasons="The plan was not followed."),
    )
    assert comparison.judgement.old.startswith("Yes")
    assert comparison.judgement.new.startswith("No")
    assert "<ins" in comparison.reasons.diff and "not" in comparison.reasons.diff


def test_chronology_entries_added_removed_and_changed_are_matched_by_id():
    old = snapshot()
    new = snapshot()
    new["chronology"] = [
        {**old["chronology"][0], "event": "Arrested for a serious public order offence"},
        {
            "id": 12,
            "occurred_on": "2025-05-05",
            "source": "mental_health",
            "event": "Referred to the crisis team",
            "significant": True,
            "emerging_issue": "",
            "finding_id": None,
        },
    ]
    new["chronology"][0]["significant"] = False
    new["chronology"][0]["finding_id"] = 2
    changes = compare(old, new).chronology
    assert [label for _, label in changes.added] == ["5 May 2025: Referred to the crisis team"]
    assert [label for _, label in changes.removed] == ["2 April 2025: Missed appointment"]
    (changed,) = changes.changed
    assert changed.id == 10
    fields = {f.label: f for f in changed.fields}
    assert set(fields) == {"Event", "Significant", "Key finding it supports"}
    assert "<ins" in fields["Event"].diff and "serious" in fields["Event"].diff
    assert (fields["Significant"].old, fields["Significant"].new) == ("Yes", "No")
    assert fields["Key finding it supports"].new == "Police shared quickly"


def test_findings_and_actions_added_removed_and_changed():
    old = snapshot()
    new = snapshot()
    new["findings"] = [
        {**old["findings"][0], "kind": "missed_opportunity"},
        {
            "id": 3,
            "title": "Workload",
            "analysis": "Caseloads were high.",
            "kind": "systemic_factor",
            "dissemination": "",
        },
    ]
    new["actions"] = [
        {**old["actions"][0], "level": "organisation", "due_on": "2027-01-15"},
        {
            "id": 21,
            "description": "Share the finding with the police",
            "level": "external",
            "agency": "Metropolitan Police",
            "owner": "Head of public protection",
            "due_on": "2026-11-01",
            "finding_id": None,
            "status": "open",
        },
    ]
    comparison = compare(old, new)
    assert [label for _, label in comparison.findings.added] == ["Workload"]
    assert [label for _, label in comparison.findings.removed] == ["Police shared quickly"]
    (finding,) = comparison.findings.changed
    assert [(f.label, f.old, f.new) for f in finding.fields] == [
        ("Kind", "Practice failing", "Missed opportunity")
    ]
    assert comparison.actions.added[0][1].startswith("Share the finding with the police")
    assert comparison.actions.removed == []
    (action,) = comparison.actions.changed
    assert {(f.label, f.old, f.new) for f in action.fields} == {
        ("Level", "Team or unit", "Organisation"),
        ("Due date", "1 December 2026", "15 January 2027"),
    }
    assert not comparison.chronology


# --- Through the services and the pages ------------------------------------------------------


@pytest.fixture
def two_versions(world, review_case, reviewer):
    """Version 1 sent for local QA, returned with comments, amended and sent as version 2."""
    case = review_case
    authoring.save_section(
        case,
        SectionKey.METHODOLOGY,
        by=reviewer,
        text="We read the case record.",
        status=SectionStatus.IN_PROGRESS,
        expected_version=None,
    )
    finding = authoring.add_finding(
        case,
        by=reviewer,
        facts=FindingFacts("Home visits missed", "Two visits were missed.", "practice_failing"),
    )
    kept, dropped = authoring.add_entries(
        case,
        by=reviewer,
        entries=[
            EntryFacts(date(2025, 3, 1), "police", "Arrested for a public order offence"),
            EntryFacts(date(2025, 4, 2), "case_record", "Missed appointment"),
        ],
    )
    authoring.add_action(
        case,
        by=reviewer,
        facts=ActionFacts(
            "Audit home visits",
            "individual",
            "SPO",
            timezone.localdate() + timedelta(days=60),
            finding_id=finding.pk,
        ),
    )
    authoring.save_conclusion(
        case,
        by=reviewer,
        text="Conclusion.",
        status=SectionStatus.COMPLETED,
        judgement="yes",
        reasons="The plan was followed.",
        expected_version=None,
    )
    authoring.send_for_local_qa(case, by=reviewer)
    local_qa.return_from_local_qa(
        case,
        by=world["a"][Role.SFO_REVIEW_MANAGER],
        answers={},
        section_comments={SectionKey.METHODOLOGY: "Who did you interview?"},
        comment="",
    )
    authoring.save_section(
        case,
        SectionKey.METHODOLOGY,
        by=reviewer,
        text="We read the case record and interviewed the officer.",
        status=SectionStatus.COMPLETED,
        expected_version=None,
    )
    authoring.update_entry(
        case,
        kept.pk,
        by=reviewer,
        facts=EntryFacts(
            date(2025, 3, 1), "police", "Arrested for a public order offence", significant=True
        ),
        expected_version=None,
    )
    authoring.delete_entry(case, dropped.pk, by=reviewer)
    authoring.add_entries(
        case,
        by=reviewer,
        entries=[EntryFacts(date(2025, 5, 5), "mental_health", "Referred to the crisis team")],
    )
    authoring.save_conclusion(
        case,
        by=reviewer,
        text="Conclusion.",
        status=SectionStatus.COMPLETED,
        judgement="no",
        reasons="The plan was not followed after the arrest.",
        expected_version=None,
    )
    authoring.send_for_local_qa(case, by=reviewer)
    return case


def test_the_compare_page_shows_what_changed(client, world, two_versions):
    client.force_login(world["a"][Role.SFO_REVIEW_MANAGER])
    url = reverse("reviews:version_compare", args=[two_versions.pk])
    page = client.get(url, {"from": 1, "to": 2})
    assert page.status_code == 200
    html = page.content.decode()
    assert "What changed from version 1 to version 2" in html
    assert "interviewed the officer" in html and "<ins" in html
    assert '<span class="govuk-visually-hidden">added: </span>' in html
    assert '<span class="govuk-!-font-weight-bold">Summary of events</span>: No change' in html
    assert "Changed from “Yes: all reasonable steps were taken”" in html
    assert "Referred to the crisis team" in html  # added
    assert "Missed appointment" in html  # removed
    assert "Changed from “No” to “Yes”" in html  # the entry marked significant
    # Without a choice, the page compares the last two versions.
    assert "What changed from version 1 to version 2" in client.get(url).content.decode()


def test_the_compare_page_refuses_the_same_version_twice_and_keeps_the_choice(
    client, world, two_versions
):
    client.force_login(world["a"][Role.SFO_REVIEWER])
    page = client.get(
        reverse("reviews:version_compare", args=[two_versions.pk]), {"from": 2, "to": 2}
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "There is a problem" in html
    assert '<a href="#id_to">Choose two different versions</a>' in html
    assert '<option value="2" selected>' in html


def test_the_version_pages_show_the_frozen_text_and_the_check(client, world, two_versions):
    client.force_login(world["a"][Role.SFO_REVIEWER])
    listing = client.get(reverse("reviews:versions", args=[two_versions.pk]))
    assert listing.status_code == 200
    assert b">Returned</strong>" in listing.content
    first = client.get(reverse("reviews:version", args=[two_versions.pk, 1]))
    assert first.status_code == 200
    html = first.content.decode()
    assert "We read the case record." in html and "interviewed" not in html
    assert "Who did you interview?" in html
    assert "Missed appointment" in html
    assert client.get(reverse("reviews:version", args=[two_versions.pk, 9])).status_code == 404


@pytest.mark.parametrize(
    ("key", "role", "status"),
    [
        ("a", Role.SFO_REVIEWER, 200),
        ("a", Role.SFO_REVIEW_MANAGER, 200),
        ("a", Role.SENIOR_MANAGER, 200),
        ("central", Role.CENTRAL_QA_REVIEWER, 200),
        ("central", Role.CENTRAL_QA_MANAGER, 200),
        ("a", Role.RESPONSIBLE_OFFICER, 403),  # reads only the redacted copy
        ("a", Role.VICTIM_LIAISON_OFFICER, 403),
        ("central", Role.ANALYST, 403),
        ("central", Role.CHIEF_OFFICER, 403),
        ("central", Role.ADMINISTRATOR, 403),
        ("b", Role.SFO_REVIEWER, 404),  # another provider's case is not there at all
    ],
    ids=lambda value: getattr(value, "value", str(value)),
)
def test_who_may_read_the_versions(client, world, two_versions, key, role, status):
    who = world[key][role]
    client.force_login(who)
    for url in (
        reverse("reviews:versions", args=[two_versions.pk]),
        reverse("reviews:version", args=[two_versions.pk, 1]),
        reverse("reviews:version_compare", args=[two_versions.pk]),
    ):
        assert client.get(url).status_code == status, url
    if status == 403 and role != Role.ADMINISTRATOR:
        assert (
            AccessRecord.objects.filter(
                user=who, action="read:review", object_id=str(two_versions.pk), allowed=False
            ).count()
            == 3
        )


def test_an_assessor_reads_the_versions_of_a_case_sampled_for_them(client, world, two_versions):
    from tests.factories import UserFactory

    assessor = UserFactory(username="assessor", role=Role.INDEPENDENT_ASSESSOR)
    client.force_login(assessor)
    url = reverse("reviews:versions", args=[two_versions.pk])
    assert client.get(url).status_code == 404
    SampleAssignmentFactory(case=two_versions, assessor=assessor)
    assert client.get(url).status_code == 200


def test_a_version_page_before_any_version(client, world, review_case):
    client.force_login(world["a"][Role.SFO_REVIEWER])
    listing = client.get(reverse("reviews:versions", args=[review_case.pk]))
    assert b"No version yet" in listing.content
    compare_page = client.get(reverse("reviews:version_compare", args=[review_case.pk]))
    assert compare_page.status_code == 200 and b"nothing to compare" in compare_page.content


def test_the_version_pages_make_as_many_queries_however_long_the_review(
    client, world, two_versions, reviewer
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world["a"][Role.SFO_REVIEW_MANAGER])
    pages = [
        reverse("reviews:versions", args=[two_versions.pk]),
        reverse("reviews:version", args=[two_versions.pk, 2]),
        reverse("reviews:version_compare", args=[two_versions.pk]) + "?from=1&to=2",
    ]

    def counts():
        found = []
        for url in pages:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    counts()  # the first request warms the caches (content types, the session)
    before = counts()
    local_qa.return_from_local_qa(
        two_versions,
        by=world["a"][Role.SFO_REVIEW_MANAGER],
        answers={},
        section_comments={SectionKey.CHRONOLOGY: "More detail"},
        comment="",
    )
    authoring.add_entries(
        two_versions,
        by=reviewer,
        entries=[
            EntryFacts(date(2025, 6, 1) + timedelta(days=n), "police", f"Event {n}")
            for n in range(60)
        ],
    )
    authoring.send_for_local_qa(two_versions, by=reviewer)
    pages[1] = reverse("reviews:version", args=[two_versions.pk, 3])
    pages[2] = reverse("reviews:version_compare", args=[two_versions.pk]) + "?from=1&to=3"
    assert counts() == before
