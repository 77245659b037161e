# ruff: noqa: F811
"""Redaction and the redacted copy (issue 8, recommendation 11; ADR 0012): a review with a canary
string in every redactable place (each narrative section, the judgement's reasons, each field of a
finding, a chronology entry and an action; spans and whole texts), marked, submitted and shared.
The copy's page, its PDF's text and its PDF's metadata hold none of the canaries, while the text
around them is still there; a member of staff reads their own name, which a colleague's copy
withholds; a span whose words were edited away withholds its whole text; and only the staff
involved, their managers, the case's SFO staff and the central QA team read the copy."""

import json
import re
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, InternalError, transaction
from django.urls import reverse

from reviews import authoring, redaction
from reviews.journeys import REVIEW_STEPS, write_sample_review
from reviews.models import (
    STRUCTURED_SECTIONS,
    ChronologyEntry,
    Redaction,
    RedactionCategory,
    SectionKey,
    SectionStatus,
)
from reviews.redacted_pdf import queue_copy_pdf
from reviews.workflow import CaseState
from sfo.audit.models import AccessRecord
from sfo.documents import services as documents
from sfo.documents.models import JobStatus
from sfo.people.roles import Role
from tests.factories import UserFactory
from tests.reviews.conftest import assert_error_summary, case_in, murder, world  # noqa: F401

C = RedactionCategory
NARRATIVE = [
    key
    for key in SectionKey
    if key not in STRUCTURED_SECTIONS and key not in {SectionKey.CONCLUSION, SectionKey.METHODOLOGY}
]
STAFF_CANARY = "CANARYSTAFF"


class Canaries:
    """The canary review: every canary string (withheld for staff), every kept string, and the
    marks, made on the review of `case` by its reviewer."""

    def __init__(self, world, case, key="a"):
        self.case, self.world = case, world
        self.reviewer = world[key][Role.SFO_REVIEWER]
        self.officer = world[key][Role.RESPONSIBLE_OFFICER]
        # A named member of staff is withheld by their name: the officer's name is the canary.
        self.officer.first_name, self.officer.last_name = "Cecil", STAFF_CANARY
        self.officer.save(update_fields=["first_name", "last_name"])
        self.canaries: dict[str, str] = {}  # canary -> category
        self.kept: list[str] = []
        self.write()

    def section(self, key, text):
        authoring.save_section(
            self.case,
            key,
            by=self.reviewer,
            text=text,
            status=SectionStatus.COMPLETED,
            expected_version=None,
        )

    def mark(self, place, quote, category, canary, staff_member=None):
        redaction.mark_redaction(
            self.case,
            by=self.reviewer,
            place=place,
            quote=quote,
            category=category,
            reason="Not for sharing",
            staff_member=staff_member,
        )
        self.canaries[canary] = category

    def write(self):
        case, by = self.case, self.reviewer
        write_sample_review(case, by)
        for n, key in enumerate(NARRATIVE):
            canary, kept = f"CANARYS{n:02d}", f"KEPTS{n:02d}"
            if n % 2 == 0:  # a span, twice in the text: both withheld
                self.section(key, f"The {kept} part stays. {canary} of Elm Road. Again {canary}.")
                self.mark(f"section:{key.value}", canary, C.THIRD_PARTY, canary)
                self.kept.append(kept)
            else:  # the whole text
                self.section(key, f"{canary} the whole of this section is withheld.")
                self.mark(f"section:{key.value}", "", C.OTHER, canary)
        self.section(
            SectionKey.METHODOLOGY, f"KEPTMETH I interviewed {STAFF_CANARY}, who managed the case."
        )
        self.mark(
            "section:methodology", STAFF_CANARY, C.STAFF, STAFF_CANARY, staff_member=self.officer
        )
        self.kept.append("KEPTMETH")
        authoring.save_conclusion(
            case,
            by=by,
            text="KEPTCONC stays. CANARYCONC goes.",
            status=SectionStatus.COMPLETED,
            judgement="no",
            reasons="KEPTREASONS stays. CANARYREASONS, her sister, goes.",
            expected_version=None,
        )
        self.mark("section:conclusion", "CANARYCONC", C.VICTIM_FAMILY, "CANARYCONC")
        self.mark("judgement_reasons", "CANARYREASONS", C.VICTIM_FAMILY, "CANARYREASONS")
        self.kept += ["KEPTCONC", "KEPTREASONS"]
        finding = authoring.add_finding(
            case,
            by=by,
            facts=authoring.FindingFacts(
                "KEPTFT and CANARYFT", "CANARYFA analysis withheld whole.", "practice_failing"
            ),
        )
        self.finding = finding
        self.mark(f"finding:{finding.pk}:title", "CANARYFT", C.THIRD_PARTY, "CANARYFT")
        self.mark(f"finding:{finding.pk}:analysis", "", C.OTHER, "CANARYFA")
        self.kept.append("KEPTFT")
        (entry,) = authoring.add_entries(
            case,
            by=by,
            entries=[
                authoring.EntryFacts(
                    case.offence_date or finding.review.case.first_hearing_date,
                    "police",
                    "Visited KEPTEV and met CANARYEV at the address.",
                    True,
                    "CANARYEI withheld whole.",
                )
            ],
        )
        self.entry = entry
        self.mark(f"chronology:{entry.pk}:event", "CANARYEV", C.THIRD_PARTY, "CANARYEV")
        self.mark(f"chronology:{entry.pk}:emerging_issue", "", C.VICTIM_FAMILY, "CANARYEI")
        self.kept.append("KEPTEV")
        from datetime import timedelta

        from django.utils import timezone

        action = authoring.add_action(
            case,
            by=by,
            facts=authoring.ActionFacts(
                "KEPTAD then CANARYAD",
                "external",
                "CANARYAO",
                timezone.localdate() + timedelta(days=30),
                agency="CANARYAG",
                finding_id=finding.pk,
            ),
        )
        self.mark(f"action:{action.pk}:description", "CANARYAD", C.OTHER, "CANARYAD")
        self.mark(f"action:{action.pk}:owner", "", C.THIRD_PARTY, "CANARYAO")
        self.mark(f"action:{action.pk}:agency", "", C.OTHER, "CANARYAG")
        self.kept.append("KEPTAD")

    def withheld_from(self, audience):
        return {c for c, cat in self.canaries.items() if cat in redaction.WITHHELD_FROM[audience]}


def canary_case(world, offence, key="a", crn="R123456"):
    """A case whose canary review is marked and submitted to the central team."""
    case = case_in(world, offence, CaseState.REVIEW_IN_PROGRESS, key=key, crn=crn)
    canaries = Canaries(world, case, key)
    canaries.case = submit(case, world, key)
    return canaries


def submit(case, world, key="a"):
    """Sent for local QA as written (the journeys' step would write the sample review again),
    passed, countersigned and submitted: with the central team, version 2 frozen for it."""
    people = world[key]
    authoring.send_for_local_qa(case, by=people[Role.SFO_REVIEWER])
    case.refresh_from_db()
    case = REVIEW_STEPS["pass_local_qa"](case, people[Role.SFO_REVIEW_MANAGER])
    case = REVIEW_STEPS["countersign_and_submit"](case, people[Role.SENIOR_MANAGER])
    assert case.state == CaseState.WITH_CENTRAL_TEAM
    return case


def line_manager_of(officer, username="om-manager"):
    """An operational manager, line manager of the officer."""
    manager = UserFactory(
        username=username, organisation=officer.organisation, role=Role.RESPONSIBLE_OFFICER
    )
    officer.line_manager = manager
    officer.save(update_fields=["line_manager"])
    return manager


@pytest.fixture
def canaries(world, murder):
    return canary_case(world, murder)


@pytest.fixture
def shared(canaries):
    canaries.copy = redaction.share_copy(canaries.case, by=canaries.reviewer)
    return canaries


@pytest.fixture
def manager(world):
    return line_manager_of(world["a"][Role.RESPONSIBLE_OFFICER])


def absent(text, canaries):
    return sorted(c for c in canaries if c in text)


def pdf_text(content: bytes, tmp_path) -> tuple[str, str]:
    path = tmp_path / "copy.pdf"
    path.write_bytes(content)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    info = "".join(
        subprocess.run(
            ["pdfinfo", *flags, str(path)], check=True, capture_output=True, text=True
        ).stdout
        for flags in ([], ["-meta"])  # the document's information, then any XMP metadata
    )
    return " ".join(text.split()), info


# --- The pure function -------------------------------------------------------------------------


def test_redact_replaces_every_marked_text_and_leaves_its_input_alone(canaries):
    data = canaries.case.review.versions.order_by("-number").first().snapshot
    before = json.dumps(data, sort_keys=True)
    marks = redaction.marks_of(canaries.case.review)

    redacted = json.dumps(redaction.redact(data, marks, audience="agency"))

    assert absent(redacted, canaries.canaries) == []
    assert [kept for kept in canaries.kept if kept not in redacted] == []
    assert "[withheld: third party details]" in redacted
    assert "[withheld: other sensitive information]" in redacted
    assert json.dumps(data, sort_keys=True) == before  # a new snapshot: the version's untouched
    assert all(c in before for c in canaries.canaries)


def test_a_span_is_withheld_wherever_its_words_occur_in_its_place(canaries):
    data = canaries.case.review.versions.order_by("-number").first().snapshot
    text = redaction.redact(data, redaction.marks_of(canaries.case.review), audience="staff")
    section = text["sections"][NARRATIVE[0].value]["text"]
    assert section == (
        "The KEPTS00 part stays. [withheld: third party details] of Elm Road. "
        "Again [withheld: third party details]."
    )


def test_the_readers_own_name_is_shown_to_them_and_withheld_from_a_colleague(canaries, manager):
    data = canaries.case.review.versions.order_by("-number").first().snapshot
    marks = redaction.marks_of(canaries.case.review)
    own = redaction.redact(data, marks, audience="staff", reader=canaries.officer)
    colleague = redaction.redact(data, marks, audience="staff", reader=manager)

    assert STAFF_CANARY in own["sections"]["methodology"]["text"]
    assert absent(json.dumps(own), canaries.canaries) == [STAFF_CANARY]
    assert colleague["sections"]["methodology"]["text"] == (
        "KEPTMETH I interviewed [withheld: a named member of staff], who managed the case."
    )
    # The exception is the staff copy's alone: an extract or a pack never names them.
    assert STAFF_CANARY not in json.dumps(
        redaction.redact(data, marks, audience="agency", reader=canaries.officer)
    )


def test_the_victims_audience_withholds_every_category(canaries):
    """A pack goes to one family: the review may hold another family's details (a double
    homicide), so victims' and families' details are withheld from it too."""
    data = canaries.case.review.versions.order_by("-number").first().snapshot
    text = json.dumps(
        redaction.redact(data, redaction.marks_of(canaries.case.review), audience="victims")
    )
    family = {c for c, cat in canaries.canaries.items() if cat == C.VICTIM_FAMILY}
    assert family == {"CANARYCONC", "CANARYREASONS", "CANARYEI"}
    assert canaries.withheld_from("victims") == set(canaries.canaries)
    assert absent(text, canaries.canaries) == []
    assert "[withheld: victim or family details]" in text
    assert all(kept in text for kept in canaries.kept)


def test_an_edited_span_fails_safe_and_a_moved_one_is_still_found(world, murder):
    case = case_in(world, murder, CaseState.REVIEW_IN_PROGRESS, crn="R555555")
    reviewer = world["a"][Role.SFO_REVIEWER]
    write_sample_review(case, reviewer)
    for key, text in (
        (SectionKey.SUMMARY_OF_EVENTS, "He lived with Jo Bloggs at 4 Elm Road. KEPT01."),
        (SectionKey.MULTI_AGENCY, "The police told Ann Other. KEPT02."),
    ):
        authoring.save_section(
            case, key, by=reviewer, text=text, status="completed", expected_version=None
        )
    for key, quote in (("summary_of_events", "Jo Bloggs"), ("multi_agency", "Ann Other")):
        redaction.mark_redaction(
            case,
            by=reviewer,
            place=f"section:{key}",
            quote=quote,
            category=C.THIRD_PARTY,
            reason="A third party",
        )
    # One span's words edited away ("Jo Bloggs" became "Jo Blogs"); the other's moved.
    for key, text in (
        (SectionKey.SUMMARY_OF_EVENTS, "He lived with Jo Blogs at 4 Elm Road. KEPT01."),
        (SectionKey.MULTI_AGENCY, "KEPT02. Later, the police told Ann Other."),
    ):
        authoring.save_section(
            case, key, by=reviewer, text=text, status="completed", expected_version=None
        )
    data = redaction.live_snapshot(case)
    marks = redaction.marks_of(case.review)

    out = redaction.redact(data, marks, audience="staff")

    assert out["sections"]["summary_of_events"]["text"] == "[withheld: third party details]"
    assert out["sections"]["multi_agency"]["text"] == (
        "KEPT02. Later, the police told [withheld: third party details]."
    )
    assert [m.place for m in redaction.unmatched_marks(data, marks)] == [
        "section:summary_of_events"
    ]
    # The marking page shows it needs marking again.
    from django.test import Client

    client = Client()
    client.force_login(reviewer)
    page = client.get(reverse("reviews:redactions", args=[case.pk])).content.decode()
    assert page.count("Needs re-marking") == 1


def test_marked_words_are_withheld_in_any_spelling_and_everywhere_in_the_review(
    client, world, murder
):
    """A name marked once, as a double-click selects it (with the space after it), is withheld
    in capitals, across a line break, two spaces or a no-break space, and in every other part
    of the review; a longer word that ends with it is not the name."""
    case = case_in(world, murder, CaseState.REVIEW_IN_PROGRESS, crn="R888888")
    reviewer = world["a"][Role.SFO_REVIEWER]
    write_sample_review(case, reviewer)
    texts = [
        "KEPTA0 He lived with Mary Quistorp.",
        "KEPTA1 The police called MARY QUISTORP twice.",
        "KEPTA2 A letter to Mary  Quistorp went unanswered.",
        "KEPTA3 The hostel named Mary\nQuistorp as his partner.",
        "KEPTA4 Mary\u00a0Quistorp was not seen. Rosemary Quistorp, a neighbour, was.",
    ]
    for key, text in zip(NARRATIVE, texts, strict=False):
        authoring.save_section(
            case, key, by=reviewer, text=text, status="completed", expected_version=None
        )
    finding = authoring.add_finding(
        case,
        by=reviewer,
        facts=authoring.FindingFacts(
            "KEPTA5 mary quistorp's account was not checked", "KEPTA6", "practice_failing"
        ),
    )
    client.force_login(reviewer)
    response = client.post(
        reverse("reviews:redaction_add", args=[case.pk]),
        {
            "place": f"section:{NARRATIVE[0].value}",
            "extent": "part",
            "quote": "Mary Quistorp ",
            "category": C.THIRD_PARTY,
            "reason": "His partner, not part of the review",
        },
    )
    assert response.status_code == 302
    assert Redaction.objects.get().quote == "Mary Quistorp"
    data = redaction.live_snapshot(case)
    marks = redaction.marks_of(case.review)

    for audience in ("staff", "victims", "agency"):
        out = redaction.redact(data, marks, audience=audience)
        every = json.dumps(out)
        assert "quistorp" not in every.lower().replace("rosemary quistorp", ""), audience
        assert "Rosemary Quistorp, a neighbour" in every
        assert all(f"KEPTA{n}" in every for n in range(7))
        for key in NARRATIVE[:5]:
            assert "[withheld: third party details]" in out["sections"][key.value]["text"]
        (title,) = [f["title"] for f in out["findings"] if f["id"] == finding.pk]
        assert title == "KEPTA5 [withheld: third party details]'s account was not checked"
    assert redaction.unmatched_marks(data, marks) == []
    # The place stays the one where it was marked: its words edited away, it withholds that
    # place whole, and the words wherever else they still are.
    authoring.save_section(
        case,
        NARRATIVE[0],
        by=reviewer,
        text="KEPTA0 He lived with M. Quistorp.",
        status="completed",
        expected_version=None,
    )
    data = redaction.live_snapshot(case)
    out = redaction.redact(data, marks, audience="staff")
    assert out["sections"][NARRATIVE[0].value]["text"] == "[withheld: third party details]"
    assert "MARY QUISTORP" not in out["sections"][NARRATIVE[1].value]["text"]
    assert [m.place for m in redaction.unmatched_marks(data, marks)] == [
        f"section:{NARRATIVE[0].value}"
    ]


# --- Marking -----------------------------------------------------------------------------------


def test_words_not_in_the_text_are_refused_and_what_was_typed_is_kept(client, world, murder):
    case = case_in(world, murder, CaseState.REVIEW_IN_PROGRESS, crn="R222222")
    reviewer = world["a"][Role.SFO_REVIEWER]
    write_sample_review(case, reviewer)
    client.force_login(reviewer)
    url = reverse("reviews:redaction_add", args=[case.pk])
    form = {
        "place": "section:summary_of_events",
        "extent": "part",
        "quote": "Mrs Nobody Here",
        "category": C.THIRD_PARTY,
        "reason": "Named neighbour",
    }

    response = client.post(url, form)

    assert_error_summary(
        response,
        "The text to withhold was not found in that part of the review: copy it exactly as it "
        "is written there.",
        "id_quote",
    )
    content = response.content.decode()
    assert "Mrs Nobody Here</textarea>" in content and "Named neighbour</textarea>" in content
    assert not Redaction.objects.exists()

    response = client.post(url, {**form, "quote": "An arrest for assault on his partner"})
    assert response.status_code == 302
    mark = Redaction.objects.get()
    assert (mark.place, mark.quote, mark.marked_by) == (
        "section:summary_of_events",
        "An arrest for assault on his partner",
        reviewer,
    )
    assert mark.offset == redaction.live_snapshot(case)["sections"]["summary_of_events"][
        "text"
    ].index("An arrest")


def test_a_named_member_of_staff_must_be_chosen_for_that_category(client, world, murder):
    case = case_in(world, murder, CaseState.REVIEW_IN_PROGRESS, crn="R333333")
    reviewer = world["a"][Role.SFO_REVIEWER]
    write_sample_review(case, reviewer)
    client.force_login(reviewer)
    response = client.post(
        reverse("reviews:redaction_add", args=[case.pk]),
        {"place": "judgement_reasons", "extent": "whole", "category": C.STAFF, "reason": "x"},
    )
    assert_error_summary(response, "Choose the member of staff named", "id_staff_member")


METHOD = (
    "KEPTM I interviewed Amy Adeyemi, who managed the case, Ben Brook, who covered it, and "
    "Cara Cole, a neighbour."
)


def test_a_named_member_of_staff_is_withheld_by_their_name_alone(client, world, murder):
    """Their own copy lifts the mark that names them: so the mark may hold their name and
    nothing else (never a whole part, never a colleague's or a third party's details)."""
    case = case_in(world, murder, CaseState.REVIEW_IN_PROGRESS, crn="R919191")
    reviewer = world["a"][Role.SFO_REVIEWER]
    officer = world["a"][Role.RESPONSIBLE_OFFICER]
    officer.first_name, officer.last_name = "Amy", "Adeyemi"
    officer.save(update_fields=["first_name", "last_name"])
    colleague = UserFactory(
        username="ben-brook",
        first_name="Ben",
        last_name="Brook",
        organisation=officer.organisation,
        role=Role.RESPONSIBLE_OFFICER,
    )
    write_sample_review(case, reviewer)
    authoring.save_section(
        case,
        SectionKey.METHODOLOGY,
        by=reviewer,
        text=METHOD,
        status="completed",
        expected_version=None,
    )
    client.force_login(reviewer)
    url = reverse("reviews:redaction_add", args=[case.pk])
    form = {
        "place": "section:methodology",
        "category": C.STAFF,
        "staff_member": officer.pk,
        "reason": "Names the officer",
    }

    response = client.post(url, {**form, "extent": "whole"})
    assert_error_summary(
        response,
        "A named member of staff is withheld by their name: choose to withhold only the words "
        "you copy, and copy their name",
        "id_extent_0",
    )
    response = client.post(url, {**form, "extent": "part", "quote": "Amy Adeyemi, who managed"})
    assert_error_summary(response, redaction.STAFF_NAME_ONLY, "id_quote")
    assert "Amy Adeyemi, who managed</textarea>" in response.content.decode()
    for quote in ("", "Amy Adeyemi, who managed the case, Ben Brook", "Cara Cole"):
        with pytest.raises(ValidationError) as refused:
            redaction.mark_redaction(
                case,
                by=reviewer,
                place="section:methodology",
                quote=quote,
                category=C.STAFF,
                reason="Names the officer",
                staff_member=officer,
            )
        assert refused.value.message_dict == {"quote": [redaction.STAFF_NAME_ONLY]}, quote
    assert not Redaction.objects.exists()

    # Their name, in other capitals and spacing: first, last or full name.
    response = client.post(url, {**form, "extent": "part", "quote": "amy  ADEYEMI"})
    assert response.status_code == 302
    assert Redaction.objects.get().quote == "amy ADEYEMI"
    for quote, category, named in (
        ("Brook", C.STAFF, colleague),
        ("Cara Cole", C.THIRD_PARTY, None),
    ):
        redaction.mark_redaction(
            case,
            by=reviewer,
            place="section:methodology",
            quote=quote,
            category=category,
            reason="Not theirs to read",
            staff_member=named,
        )
    data = redaction.live_snapshot(case)
    marks = redaction.marks_of(case.review)
    assert redaction.redact(data, marks, audience="staff", reader=officer)["sections"][
        "methodology"
    ]["text"] == (
        "KEPTM I interviewed Amy Adeyemi, who managed the case, Ben "
        "[withheld: a named member of staff], who covered it, and "
        "[withheld: third party details], a neighbour."
    )

    # Marks made before this rule are never lifted beyond the reader's name: the whole part, or
    # words longer than the name, stay withheld from the person they name.
    whole, longer = (
        Redaction.objects.create(
            review=case.review,
            place="section:methodology",
            quote=quote,
            category=C.STAFF,
            staff_member=officer,
            reason="Marked before the rule",
            marked_by=reviewer,
        )
        for quote in (
            "",
            "Amy Adeyemi, who managed the case, Ben Brook, who covered it, and Cara Cole",
        )
    )
    for mark in (whole, longer):
        own = redaction.redact(data, [mark], audience="staff", reader=officer)
        text = own["sections"]["methodology"]["text"]
        assert "Ben Brook" not in text and "Cara Cole" not in text, mark.quote
        assert "[withheld: a named member of staff]" in text
    assert (
        redaction.redact(data, [whole], audience="staff", reader=officer)["sections"][
            "methodology"
        ]["text"]
        == "[withheld: a named member of staff]"
    )


def test_who_marks_and_that_a_removed_mark_is_kept_and_recorded(client, world, murder):
    case = case_in(world, murder, CaseState.REVIEW_IN_PROGRESS, crn="R444444")
    reviewer = world["a"][Role.SFO_REVIEWER]
    write_sample_review(case, reviewer)
    colleague = UserFactory(
        username="other-reviewer", organisation=reviewer.organisation, role=Role.SFO_REVIEWER
    )
    elsewhere = world["b"][Role.SFO_REVIEW_MANAGER]
    review_manager = world["a"][Role.SFO_REVIEW_MANAGER]
    url = reverse("reviews:redactions", args=[case.pk])
    for user, status in (
        (reviewer, 200),
        (review_manager, 200),
        (world["a"][Role.SENIOR_MANAGER], 200),
        (colleague, 403),  # a reviewer not allocated to the case
        (elsewhere, 404),
        (world["a"][Role.RESPONSIBLE_OFFICER], 403),
        (world["central"][Role.CENTRAL_QA_REVIEWER], 403),
    ):
        client.force_login(user)
        assert client.get(url).status_code == status, user
    assert AccessRecord.objects.filter(
        user=colleague, action="mark:redaction", allowed=False, object_id=str(case.pk)
    ).exists()

    mark = redaction.mark_redaction(
        case,
        by=review_manager,
        place="judgement_reasons",
        quote="",
        category=C.OTHER,
        reason="Sensitive",
    )
    client.force_login(reviewer)
    response = client.post(reverse("reviews:redaction_remove", args=[case.pk, mark.pk]))
    assert response.status_code == 302
    mark.refresh_from_db()
    assert mark.removed_by == reviewer and mark.removed_at is not None
    assert redaction.marks_of(case.review) == []
    events = mark.events.order_by("pgh_id")
    assert [e.pgh_label for e in events] == ["insert", "update"]
    assert "Marks removed" in client.get(url).content.decode()
    # Nobody deletes a mark, even past the service.
    with pytest.raises(InternalError), transaction.atomic():
        Redaction.objects.filter(pk=mark.pk).delete()


def test_a_mark_of_a_named_member_of_staff_needs_the_person(canaries):
    with pytest.raises(IntegrityError), transaction.atomic():
        Redaction.objects.create(
            review=canaries.case.review,
            place="judgement_reasons",
            category=C.STAFF,
            reason="x",
            marked_by=canaries.reviewer,
        )


# --- Sharing and reading the copy --------------------------------------------------------------


def test_the_copy_stores_the_redacted_version_and_its_marks(shared):
    copy = shared.copy
    assert copy.version.purpose == "central"
    assert copy.version == shared.case.review.versions.order_by("-number").first()
    assert absent(json.dumps(copy.snapshot), shared.canaries) == []
    assert sorted(copy.mark_ids) == sorted(m.pk for m in redaction.marks_of(shared.case.review))
    assert copy.unmatched == 0
    with pytest.raises(Exception, match="already been shared"):
        redaction.share_copy(shared.case, by=shared.reviewer)


def test_the_copy_cannot_be_shared_before_the_review_is_submitted(world, murder):
    case = case_in(world, murder, CaseState.REVIEW_IN_PROGRESS, crn="R666666")
    write_sample_review(case, world["a"][Role.SFO_REVIEWER])
    with pytest.raises(Exception, match="not been submitted"):
        redaction.share_copy(case, by=world["a"][Role.SFO_REVIEWER])


def test_the_reviewer_shares_the_copy_from_the_preview(client, canaries):
    client.force_login(canaries.reviewer)
    url = reverse("reviews:share_redacted_copy", args=[canaries.case.pk])
    preview = client.get(url).content.decode()
    assert "Share version 2 with the staff involved" in preview
    assert absent(preview, canaries.canaries) == []
    response = client.post(url)
    copy = canaries.case.review.redacted_copies.get()
    assert response["Location"] == reverse(
        "reviews:redacted_copy", args=[canaries.case.pk, copy.pk]
    )
    assert copy.shared_by == canaries.reviewer


def test_a_later_removal_does_not_change_a_copy_already_shared(shared, manager):
    redaction.remove_redaction(
        shared.case, Redaction.objects.get(place="judgement_reasons").pk, by=shared.reviewer
    )
    assert "CANARYREASONS" not in json.dumps(redaction.copy_data(shared.copy, manager))
    assert "CANARYREASONS" not in json.dumps(redaction.copy_data(shared.copy, shared.officer))


def test_the_copy_page_holds_no_canary_and_the_officer_reads_their_own_name(
    client, shared, manager
):
    url = reverse("reviews:redacted_copy", args=[shared.case.pk, shared.copy.pk])
    client.force_login(shared.officer)
    before = AccessRecord.objects.count()
    page = client.get(url).content.decode()
    assert AccessRecord.objects.count() == before + 1  # one row of the read audit
    record = AccessRecord.objects.latest("pk")
    assert (record.object_type, record.object_id, record.allowed) == (
        "reviews.redactedcopy",
        str(shared.copy.pk),
        True,
    )
    assert absent(page, shared.canaries) == [STAFF_CANARY]
    assert all(kept in page for kept in shared.kept)
    assert "[withheld: third party details]" in page

    client.force_login(manager)
    page = client.get(url).content.decode()
    assert absent(page, shared.canaries) == []
    assert all(kept in page for kept in shared.kept)


def test_the_pdf_text_and_metadata_hold_no_canary(client, shared, manager, tmp_path):
    client.force_login(manager)
    response = client.post(
        reverse("reviews:redacted_copy_pdf", args=[shared.case.pk, shared.copy.pk])
    )
    job = manager.document_jobs.get()
    assert response["Location"] == reverse("documents:job", args=[job.pk])
    documents.run_document_job(job.pk)  # the worker's body, in this process
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert job.filename == f"redacted-review-{shared.case.reference.lower()}-v2.pdf"
    text, info = pdf_text(job.file.read(), tmp_path)

    assert absent(text, shared.canaries) == []
    assert absent(info, shared.canaries) == []
    assert all(kept in text for kept in shared.kept)
    assert "[withheld: third party details]" in text
    title = f"Redacted copy of the SFO review: {shared.case.reference}"
    assert re.search(rf"^Title:\s+{re.escape(title)}$", info, re.MULTILINE), info

    # The officer's own PDF names them; it is theirs alone.
    own = queue_copy_pdf(shared.copy, by=shared.officer)
    documents.run_document_job(own.pk)
    own.refresh_from_db()
    own_text, _ = pdf_text(own.file.read(), tmp_path)
    assert STAFF_CANARY in own_text
    assert client.get(reverse("documents:download", args=[own.pk])).status_code == 403
    client.force_login(shared.officer)
    assert client.get(reverse("documents:download", args=[own.pk])).status_code == 200


# --- Who reads the copy ------------------------------------------------------------------------


def test_who_reads_the_copy(client, shared, manager, world, murder):
    other = case_in(world, murder, CaseState.REVIEW_IN_PROGRESS, key="b", crn="R777777")
    case = shared.case
    copy_url = reverse("reviews:redacted_copy", args=[case.pk, shared.copy.pk])
    list_url = reverse("reviews:redacted_copies", args=[case.pk])
    for user, status in (
        (shared.officer, 200),
        (manager, 200),
        (shared.reviewer, 200),
        (world["a"][Role.SFO_REVIEW_MANAGER], 200),
        (world["a"][Role.SENIOR_MANAGER], 200),
        (world["central"][Role.CENTRAL_QA_REVIEWER], 200),
        (world["central"][Role.CENTRAL_QA_MANAGER], 200),
        (world["b"][Role.RESPONSIBLE_OFFICER], 404),  # the officer of another case
        (world["b"][Role.SFO_REVIEWER], 404),
        (world["a"][Role.VICTIM_LIAISON_OFFICER], 403),
        (world["central"][Role.ANALYST], 403),
        (world["central"][Role.CHIEF_OFFICER], 403),
        (world["central"][Role.ADMINISTRATOR], 403),
    ):
        client.force_login(user)
        assert client.get(copy_url).status_code == status, user
        assert client.get(list_url).status_code == status, user
    assert AccessRecord.objects.filter(
        user=world["b"][Role.RESPONSIBLE_OFFICER],
        object_type="reviews.case",
        object_id=str(case.pk),
        allowed=False,
    ).exists()
    assert other.pk != case.pk


def test_the_officer_reads_the_copy_but_never_the_full_review(client, shared, manager):
    case = shared.case
    assert not authoring.may_read_review(shared.officer, case)
    assert not authoring.may_read_review(manager, case)
    client.force_login(shared.officer)
    assert client.get(reverse("reviews:review", args=[case.pk])).status_code == 403
    assert client.get(reverse("reviews:findings", args=[case.pk])).status_code == 403
    assert client.get(reverse("reviews:redactions", args=[case.pk])).status_code == 403
    assert (
        client.get(
            reverse("reviews:version", args=[case.pk, shared.copy.version.number])
        ).status_code
        == 403
    )
    assert client.post(reverse("documents:request_review_pdf", args=[case.pk])).status_code == 403
    assert (
        client.get(reverse("reviews:redacted_copy", args=[case.pk, shared.copy.pk])).status_code
        == 200
    )


def test_a_copy_of_another_case_is_not_found(client, shared):
    client.force_login(shared.officer)
    url = reverse("reviews:redacted_copy", args=[shared.case.pk, shared.copy.pk + 1000])
    assert client.get(url).status_code == 404


def test_sharing_and_marking_are_audited(shared):
    copy_events = shared.copy.events.order_by("pgh_id")
    assert [e.pgh_label for e in copy_events] == ["insert"]
    mark = Redaction.objects.first()
    assert mark.events.filter(pgh_label="insert").exists()
    entry = ChronologyEntry.objects.get(pk=shared.entry.pk)
    assert entry.event.startswith("Visited KEPTEV")  # marking never changes the review itself


# --- The synthetic national dataset -------------------------------------------------------------


def test_the_dataset_marks_shares_and_responds_deterministically(db):
    """`_learning_redaction_content`, which the national dataset command calls, run again over
    the cases it made."""
    import io
    from types import SimpleNamespace

    from django.core.management import call_command
    from django.utils import timezone

    from reviews.management.commands._learning_redaction_content import (
        LearningRedactionContent,
        delete_learning_redactions,
    )
    from reviews.models import Case, FindingResponse, RedactedCopy

    call_command("load_demo_data", no_logins=True, stdout=io.StringIO())
    year = timezone.localdate().year - 1
    call_command(
        "generate_national_dataset",
        "--years",
        str(year),
        "--per-year",
        "150",
        "--seed",
        "7",
        stdout=io.StringIO(),
    )
    cases = Case.objects.filter(crn__startswith="S").prefetch_related("officer_periods__officer")
    plans = [
        SimpleNamespace(
            case=case, officer=next((p.officer for p in case.officer_periods.all()), None)
        )
        for case in cases
    ]

    now = timezone.now()

    def listing():
        return (
            sorted(
                (place, quote, category, str(removed))
                for place, quote, category, removed in Redaction.objects.values_list(
                    "place", "quote", "category", "removed_at"
                )
            ),
            sorted(RedactedCopy.objects.values_list("review__case__crn", "version__number")),
            sorted(FindingResponse.objects.values_list("finding_id", "stance", "text")),
        )

    def run():
        LearningRedactionContent(seed=7, now=now).write(plans, batch=200)
        return listing()

    # The command wrote some; they are deleted, and written again here from plans rebuilt.
    made = listing()
    assert made[0] and made[1]
    case_ids = list(cases.values_list("pk", flat=True))
    assert delete_learning_redactions(case_ids) > 0
    first = run()
    marks, copies, responses = first
    assert {m[2] for m in marks} == {C.THIRD_PARTY}  # the synthetic reviews name no officer
    assert copies and responses
    for copy in RedactedCopy.objects.all():
        for mark in Redaction.objects.filter(pk__in=copy.mark_ids):
            shown = redaction.text_at(copy.snapshot, mark.place) or ""
            if mark.quote:
                assert redaction.find_quote(shown, mark.quote) is None, (mark.quote, shown)
            else:  # the whole place withheld
                assert shown.startswith("[withheld: ")
    assert delete_learning_redactions(case_ids) > 0
    assert run() == first  # the same seed, the same rows
