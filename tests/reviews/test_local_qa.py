"""Local QA and countersignature (issue 5, item 8): the review manager checks the version sent
against the QA standards and returns it with comments or passes it; a senior manager outside the
case's line management countersigns and submits it, freezing an immutable version and starting
the central QA clock. Old checks keep their questions when the standards change."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils import timezone

from reviews import authoring, local_qa
from reviews.models import (
    Answer,
    LocalQACheck,
    LocalQAOutcome,
    ReviewVersion,
    SectionKey,
    SectionStatus,
    Standard,
    StandardSet,
    VersionPurpose,
)
from reviews.standards import current_standards, draw_new_version, is_locked
from reviews.workflow import CaseState
from sfo.audit.models import AccessRecord
from sfo.clocks.models import Clock, ClockKind
from sfo.people.roles import Role
from tests.factories import UserFactory
from tests.reviews.conftest import assert_error_summary, case_in

pytestmark = pytest.mark.django_db


def write_and_send(case, reviewer, reasons="The home visits were missed, and nobody asked why."):
    """The reviewer completes the conclusion with its judgement and sends the review."""
    authoring.save_conclusion(
        case,
        by=reviewer,
        text="Not all reasonable steps were taken.",
        status=SectionStatus.COMPLETED,
        judgement="no",
        reasons=reasons,
        expected_version=None,
    )
    return authoring.send_for_local_qa(case, by=reviewer)


def judged(case):
    """A case moved along the workflow without writing: its review given the judgement that
    every submission to the central team needs."""
    from reviews.models import Review

    Review.objects.update_or_create(
        case=case,
        defaults={"all_reasonable_steps": "no", "judgement_reasons": "Visits were missed."},
    )
    return case


def all_answers(standards, answer=Answer.YES):
    return {q.pk: (answer, "") for q in standards.questions.all()}


@pytest.fixture
def sent(review_case, reviewer):
    """A case in local QA, its version 1 frozen when the reviewer sent it."""
    write_and_send(review_case, reviewer)
    review_case.refresh_from_db()
    assert review_case.state == CaseState.LOCAL_QA
    return review_case


@pytest.fixture
def passed(sent, world):
    local_qa.pass_local_qa(
        sent,
        by=world["a"][Role.SFO_REVIEW_MANAGER],
        answers=all_answers(current_standards()),
        section_comments={},
        comment="Clear and well evidenced.",
    )
    sent.refresh_from_db()
    return sent


# Everyone who might try, by provider ("a" reviews the case, "b" does not) and role.
PEOPLE = [
    ("a", Role.SFO_REVIEWER),
    ("a", Role.SFO_REVIEW_MANAGER),
    ("a", Role.SENIOR_MANAGER),
    ("a", Role.RESPONSIBLE_OFFICER),
    ("a", Role.VICTIM_LIAISON_OFFICER),
    ("b", Role.SFO_REVIEW_MANAGER),
    ("b", Role.SENIOR_MANAGER),
    ("central", Role.CENTRAL_QA_REVIEWER),
    ("central", Role.CENTRAL_QA_MANAGER),
    ("central", Role.ANALYST),
    ("central", Role.ADMINISTRATOR),
]
IDS = [f"{key}-{role.value}" for key, role in PEOPLE]


def refused_and_recorded(who, case, name, state, call):
    with pytest.raises(PermissionDenied) as refusal:
        call()
    assert str(refusal.value).strip(), "a refusal says why"
    case.refresh_from_db()
    assert case.state == state
    assert AccessRecord.objects.filter(
        user=who, object_id=str(case.pk), action=f"transition:{name}", allowed=False
    ).exists()
    return str(refusal.value)


# --- Each transition by each role ------------------------------------------------------------


@pytest.mark.parametrize(("key", "role"), PEOPLE, ids=IDS)
def test_only_the_reviewing_providers_review_manager_returns_a_review(world, sent, key, role):
    who = world[key][role]
    call = lambda: local_qa.return_from_local_qa(  # noqa: E731
        sent,
        by=who,
        answers={},
        section_comments={SectionKey.MULTI_AGENCY: "Say what the police knew."},
        comment="",
    )
    if (key, role) == ("a", Role.SFO_REVIEW_MANAGER):
        check = call()
        sent.refresh_from_db()
        assert sent.state == CaseState.REVIEW_IN_PROGRESS
        assert check.outcome == LocalQAOutcome.RETURNED
        assert check.version.number == 1 and check.version.purpose == VersionPurpose.LOCAL_QA
        assert sent.transitions.filter(name="return_from_local_qa", by=who).exists()
    else:
        refused_and_recorded(who, sent, "return_from_local_qa", CaseState.LOCAL_QA, call)
        assert not LocalQACheck.objects.exists()


@pytest.mark.parametrize(("key", "role"), PEOPLE, ids=IDS)
def test_only_the_reviewing_providers_review_manager_passes_a_review(world, sent, key, role):
    who = world[key][role]
    answers = all_answers(current_standards())
    call = lambda: local_qa.pass_local_qa(  # noqa: E731
        sent, by=who, answers=answers, section_comments={}, comment=""
    )
    if (key, role) == ("a", Role.SFO_REVIEW_MANAGER):
        check = call()
        sent.refresh_from_db()
        assert sent.state == CaseState.AWAITING_COUNTERSIGNATURE
        assert check.outcome == LocalQAOutcome.PASSED
        assert check.answers.count() == current_standards().questions.count()
    else:
        refused_and_recorded(who, sent, "pass_local_qa", CaseState.LOCAL_QA, call)


@pytest.mark.parametrize(("key", "role"), PEOPLE, ids=IDS)
def test_only_a_senior_manager_of_the_reviewing_provider_countersigns(world, passed, key, role):
    who = world[key][role]
    call = lambda: local_qa.countersign_and_submit(passed, by=who, comment="")  # noqa: E731
    if (key, role) == ("a", Role.SENIOR_MANAGER):
        version = call()
        passed.refresh_from_db()
        assert passed.state == CaseState.WITH_CENTRAL_TEAM
        assert version.purpose == VersionPurpose.CENTRAL and version.created_by == who
    else:
        refused_and_recorded(
            who, passed, "countersign_and_submit", CaseState.AWAITING_COUNTERSIGNATURE, call
        )
        assert not ReviewVersion.objects.filter(purpose=VersionPurpose.CENTRAL).exists()


@pytest.mark.parametrize(("key", "role"), PEOPLE, ids=IDS)
def test_only_a_senior_manager_of_the_reviewing_provider_resubmits(world, murder, key, role):
    case = judged(case_in(world, murder, CaseState.RETURNED_FOR_AMENDMENTS, crn="R123456"))
    who = world[key][role]
    call = lambda: local_qa.resubmit(case, by=who, comment="Amended as asked")  # noqa: E731
    if (key, role) == ("a", Role.SENIOR_MANAGER):
        version = call()
        case.refresh_from_db()
        assert case.state == CaseState.WITH_CENTRAL_TEAM
        assert version.purpose == VersionPurpose.CENTRAL
        assert case.clocks.filter(kind=ClockKind.CENTRAL_QA).count() == 2  # a new QA clock
    else:
        refused_and_recorded(who, case, "resubmit", CaseState.RETURNED_FOR_AMENDMENTS, call)


@pytest.mark.parametrize(
    ("name", "state"),
    [
        ("return_from_local_qa", CaseState.REVIEW_IN_PROGRESS),
        ("pass_local_qa", CaseState.AWAITING_COUNTERSIGNATURE),
        ("countersign_and_submit", CaseState.LOCAL_QA),
        ("resubmit", CaseState.AWAITING_COUNTERSIGNATURE),
    ],
)
def test_nothing_is_done_from_a_state_it_cannot_be_done_from(world, murder, name, state):
    case = case_in(world, murder, state, crn="S123456")
    maker = Role.SFO_REVIEW_MANAGER if "local_qa" in name else Role.SENIOR_MANAGER
    who = world["a"][maker]
    calls = {
        "return_from_local_qa": lambda: local_qa.return_from_local_qa(
            case, by=who, answers={}, section_comments={}, comment="Change it"
        ),
        "pass_local_qa": lambda: local_qa.pass_local_qa(
            case, by=who, answers=all_answers(current_standards()), section_comments={}
        ),
        "countersign_and_submit": lambda: local_qa.countersign_and_submit(case, by=who),
        "resubmit": lambda: local_qa.resubmit(case, by=who),
    }
    with pytest.raises(PermissionDenied, match="not possible now"):
        calls[name]()
    case.refresh_from_db()
    assert case.state == state


# --- What each check needs -------------------------------------------------------------------


def test_a_return_says_what_to_change(world, sent):
    manager = world["a"][Role.SFO_REVIEW_MANAGER]
    with pytest.raises(ValidationError, match="comment on a section, or give an overall"):
        local_qa.return_from_local_qa(
            sent, by=manager, answers={}, section_comments={"methodology": "  "}, comment=" "
        )
    sent.refresh_from_db()
    assert sent.state == CaseState.LOCAL_QA


def test_a_pass_answers_every_standard(world, sent):
    manager = world["a"][Role.SFO_REVIEW_MANAGER]
    standards = current_standards()
    answers = all_answers(standards)
    last = standards.questions.order_by("position").last()
    del answers[last.pk]
    with pytest.raises(ValidationError, match="Answer every standard") as refusal:
        local_qa.pass_local_qa(sent, by=manager, answers=answers, section_comments={})
    assert last.question in str(refusal.value)
    sent.refresh_from_db()
    assert sent.state == CaseState.LOCAL_QA


def test_an_answer_must_be_one_of_the_standards_in_force(world, sent):
    manager = world["a"][Role.SFO_REVIEW_MANAGER]
    draft = draw_new_version(current_standards())
    stray = draft.questions.first()
    with pytest.raises(ValidationError, match="not one of"):
        local_qa.pass_local_qa(
            sent,
            by=manager,
            answers={**all_answers(current_standards()), stray.pk: ("yes", "")},
            section_comments={},
        )


# --- The journey -----------------------------------------------------------------------------


def test_send_return_amend_send_pass_countersign(world, sent, reviewer):
    manager, senior = world["a"][Role.SFO_REVIEW_MANAGER], world["a"][Role.SENIOR_MANAGER]
    standards = current_standards()
    first = standards.questions.order_by("position").first()
    returned = local_qa.return_from_local_qa(
        sent,
        by=manager,
        answers={first.pk: (Answer.PARTLY, "Areas from the chronology are missing")},
        section_comments={
            SectionKey.MULTI_AGENCY: "What did the police share, and when?",
            SectionKey.CONCLUSION: "Say why, not only what.",
        },
        comment="Nearly there.",
    )
    # The reviewer sees the comments against the sections.
    comments = local_qa.latest_comments(sent)
    assert comments.check == returned and comments.comment == "Nearly there."
    assert [c.comment for c in comments.sections[SectionKey.MULTI_AGENCY]] == [
        "What did the police share, and when?"
    ]
    assert SectionKey.METHODOLOGY not in comments.sections
    # The reviewer amends and sends again: a second version is frozen.
    authoring.save_section(
        sent,
        SectionKey.MULTI_AGENCY,
        by=reviewer,
        text="The police shared the intelligence report on 3 March.",
        status=SectionStatus.COMPLETED,
        expected_version=None,
    )
    second = authoring.send_for_local_qa(sent, by=reviewer)
    assert second.number == 2
    assert local_qa.latest_comments(sent), "still shown until a later check"
    passed = local_qa.pass_local_qa(
        sent, by=manager, answers=all_answers(standards), section_comments={}, comment="Good"
    )
    assert passed.version == second
    assert not local_qa.latest_comments(sent), "answered comments are no longer shown"
    sent.refresh_from_db()
    version = local_qa.countersign_and_submit(sent, by=senior, comment="Countersigned")
    sent.refresh_from_db()
    assert sent.state == CaseState.WITH_CENTRAL_TEAM
    assert version.number == 3 and version.purpose == VersionPurpose.CENTRAL
    assert version.snapshot["sections"][SectionKey.MULTI_AGENCY]["text"].startswith("The police")
    clock = Clock.objects.get(case=sent, kind=ClockKind.CENTRAL_QA)
    assert clock.status == "running" and clock.started_on == timezone.localdate()
    assert list(sent.transitions.values_list("name", flat=True))[-5:] == [
        "send_to_local_qa",
        "return_from_local_qa",
        "send_to_local_qa",
        "pass_local_qa",
        "countersign_and_submit",
    ]


def test_a_case_sent_without_a_version_has_one_frozen_in_the_senders_name(world, murder):
    case = case_in(world, murder, CaseState.LOCAL_QA, crn="V123456")
    assert not ReviewVersion.objects.filter(review__case=case).exists()
    check = local_qa.return_from_local_qa(
        case,
        by=world["a"][Role.SFO_REVIEW_MANAGER],
        answers={},
        section_comments={},
        comment="Nothing is written yet.",
    )
    assert check.version.number == 1
    assert check.version.created_by == world["a"][Role.SFO_REVIEWER]


# --- Independence of the countersigner ---------------------------------------------------------


def line_above_the_officer(world):
    """The responsible officer's line: officer -> operational manager -> senior manager."""
    officer, senior = world["a"][Role.RESPONSIBLE_OFFICER], world["a"][Role.SENIOR_MANAGER]
    middle = UserFactory(
        username="operational-manager-a",
        organisation=world["a"]["provider"],
        role=Role.RESPONSIBLE_OFFICER,
        line_manager=senior,
    )
    officer.line_manager = middle
    officer.save()
    return senior


@pytest.fixture
def line_of_the_officer(world):
    return line_above_the_officer(world)


def test_a_senior_manager_two_levels_above_the_officer_cannot_countersign(
    world, passed, line_of_the_officer
):
    message = refused_and_recorded(
        line_of_the_officer,
        passed,
        "countersign_and_submit",
        CaseState.AWAITING_COUNTERSIGNATURE,
        lambda: local_qa.countersign_and_submit(passed, by=line_of_the_officer),
    )
    assert "line management" in message and "countersigns its review" in message
    # Another senior manager of the provider, outside that line, may.
    other = UserFactory(
        username="head-of-public-protection-a",
        organisation=world["a"]["provider"],
        role=Role.SENIOR_MANAGER,
    )
    local_qa.countersign_and_submit(passed, by=other)
    passed.refresh_from_db()
    assert passed.state == CaseState.WITH_CENTRAL_TEAM


def test_the_same_rule_holds_for_a_resubmission(world, murder):
    case = case_in(world, murder, CaseState.RETURNED_FOR_AMENDMENTS, crn="L123456")
    senior = line_above_the_officer(world)
    message = refused_and_recorded(
        senior,
        case,
        "resubmit",
        CaseState.RETURNED_FOR_AMENDMENTS,
        lambda: local_qa.resubmit(case, by=senior),
    )
    assert "line management" in message


def test_the_countersign_page_refuses_the_officers_line_manager(
    client, passed, line_of_the_officer
):
    client.force_login(line_of_the_officer)
    response = client.get(reverse("reviews:countersign", args=[passed.pk]))
    assert response.status_code == 403
    assert b"line management" in response.content
    assert AccessRecord.objects.filter(
        user=line_of_the_officer, action="transition:countersign_and_submit", allowed=False
    ).exists()


# --- The immutable version -------------------------------------------------------------------


def test_a_version_cannot_be_changed_or_deleted(sent):
    version = ReviewVersion.objects.get(review__case=sent)
    version.snapshot = {"sections": {}}
    with pytest.raises(DatabaseError, match="Cannot update"), transaction.atomic():
        version.save()
    with pytest.raises(DatabaseError, match="Cannot update"), transaction.atomic():
        ReviewVersion.objects.filter(pk=version.pk).update(number=99)
    with pytest.raises(DatabaseError, match="Cannot delete"), transaction.atomic():
        ReviewVersion.objects.filter(pk=version.pk).delete()
    version.refresh_from_db()
    assert version.number == 1 and version.snapshot["all_reasonable_steps"] == "no"


def test_countersigning_freezes_a_central_version_and_starts_the_qa_clock(world, passed):
    assert not Clock.objects.filter(case=passed, kind=ClockKind.CENTRAL_QA).exists()
    version = local_qa.countersign_and_submit(passed, by=world["a"][Role.SENIOR_MANAGER])
    assert version.purpose == VersionPurpose.CENTRAL and version.number == 2
    assert version.snapshot == ReviewVersion.objects.get(number=1).snapshot  # nothing changed
    clock = Clock.objects.get(case=passed, kind=ClockKind.CENTRAL_QA)
    assert clock.status == "running" and clock.due_on > clock.started_on


# --- Versioned standards ---------------------------------------------------------------------


def test_old_checks_keep_their_questions_after_a_new_version_is_published(world, sent, reviewer):
    manager = world["a"][Role.SFO_REVIEW_MANAGER]
    first_set = current_standards()
    first_questions = {q.pk: q.question for q in first_set.questions.all()}
    old = local_qa.return_from_local_qa(
        sent,
        by=manager,
        answers=all_answers(first_set, Answer.PARTLY),
        section_comments={},
        comment="Rework the analysis.",
    )
    assert is_locked(first_set)

    draft = draw_new_version(first_set)
    assert draft.version == first_set.version + 1 and draft.published_on is None
    assert draft.questions.count() == len(first_questions)
    changed = draft.questions.get(position=6)
    changed.question = "Does it analyse how the agencies worked together, and why?"
    changed.save()
    draft.questions.filter(position=9).delete()
    assert current_standards() == first_set, "a draft is not in force"
    draft.published_on = timezone.localdate()
    draft.save()
    assert current_standards() == draft

    write_and_send(sent, reviewer, reasons="Reworked: the missed visits were not followed up.")
    new = local_qa.pass_local_qa(
        sent, by=manager, answers=all_answers(draft), section_comments={}, comment=""
    )
    assert new.standards == draft and new.answers.count() == 8
    old.refresh_from_db()
    assert old.standards == first_set
    kept = {a.standard_id: a.standard.question for a in old.answers.select_related("standard")}
    assert kept == first_questions
    assert Standard.objects.get(standards=first_set, position=6).question.startswith(
        "Does it sufficiently address multi-agency"
    )


def test_a_version_published_in_the_future_is_not_yet_in_force(db):
    first = current_standards()
    later = draw_new_version(first)
    later.published_on = timezone.localdate() + timedelta(days=7)
    later.save()
    assert current_standards() == first
    assert current_standards(on=later.published_on) == later


# --- The standards in the admin --------------------------------------------------------------


def test_the_admin_draws_a_new_version_and_cannot_edit_or_delete_one_in_force(client, world):
    admin = world["central"][Role.ADMINISTRATOR]
    client.force_login(admin)
    first = current_standards()
    changelist = reverse("admin:reviews_standardset_changelist")
    assert client.get(changelist).status_code == 200
    response = client.post(
        changelist, {"action": "draw_new_version", "_selected_action": [first.pk]}
    )
    draft = StandardSet.objects.get(version=first.version + 1)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:reviews_standardset_change", args=[draft.pk])
    assert list(draft.questions.values_list("question", flat=True)) == list(
        first.questions.values_list("question", flat=True)
    )
    # The version in force is read-only: its page shows no save button and a post changes nothing.
    page = client.get(reverse("admin:reviews_standardset_change", args=[first.pk]))
    assert page.status_code == 200 and b'name="_save"' not in page.content
    refused = client.post(
        reverse("admin:reviews_standardset_change", args=[first.pk]), {"note": "Rewritten"}
    )
    assert refused.status_code == 403
    first.refresh_from_db()
    assert first.note != "Rewritten"
    delete = reverse("admin:reviews_standardset_delete", args=[first.pk])
    assert client.get(delete).status_code == 403
    # The draft is editable, and publishing it cannot be backdated.
    page = client.get(reverse("admin:reviews_standardset_change", args=[draft.pk]))
    assert b'name="_save"' in page.content


def test_a_draft_is_published_from_today_not_backdated(client, world):
    client.force_login(world["central"][Role.ADMINISTRATOR])
    draft = draw_new_version(current_standards())
    questions = list(draft.questions.order_by("position"))
    url = reverse("admin:reviews_standardset_change", args=[draft.pk])
    form = {
        "note": "Multi-agency question sharpened",
        "questions-TOTAL_FORMS": str(len(questions)),
        "questions-INITIAL_FORMS": str(len(questions)),
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "1000",
    }
    for index, q in enumerate(questions):
        form.update(
            {
                f"questions-{index}-id": str(q.pk),
                f"questions-{index}-standards": str(draft.pk),
                f"questions-{index}-position": str(q.position),
                f"questions-{index}-question": q.question,
                f"questions-{index}-scope": q.scope,
                f"questions-{index}-targeted": "on" if q.targeted else "",
            }
        )
    yesterday = timezone.localdate() - timedelta(days=1)
    backdated = client.post(url, {**form, "published_on": yesterday.isoformat()})
    assert backdated.status_code == 200 and b"never backdated" in backdated.content
    today = timezone.localdate()
    published = client.post(url, {**form, "published_on": today.isoformat()})
    assert published.status_code == 302
    assert current_standards() == draft


# --- The pages -------------------------------------------------------------------------------


def test_the_local_qa_page_keeps_what_was_typed_and_says_what_is_missing(client, world, sent):
    manager = world["a"][Role.SFO_REVIEW_MANAGER]
    client.force_login(manager)
    url = reverse("reviews:local_qa", args=[sent.pk])
    page = client.get(url)
    assert page.status_code == 200
    standards = current_standards()
    for q in standards.questions.all():
        assert q.question.encode() in page.content
    assert reverse("reviews:version", args=[sent.pk, 1]).encode() in page.content
    assert b"Multi-agency working" in page.content
    first = standards.questions.order_by("position").first()
    data = {
        "standards": str(standards.pk),
        f"answer_{first.pk}": "partly",
        f"answer_comment_{first.pk}": "The MAPPA meetings are not analysed",
        "section_multi_agency": "Say what the police knew and when",
        "decision": "pass",
    }
    refused = client.post(url, data)
    second = standards.questions.order_by("position")[1]
    assert_error_summary(
        refused,
        "Select yes, partly or no for standard 2 before you pass the review",
        f"id_answer_{second.pk}_0",
    )
    assert b"The MAPPA meetings are not analysed" in refused.content
    assert b"Say what the police knew and when" in refused.content
    assert b'value="partly" checked' in refused.content
    empty_return = client.post(url, {"standards": str(standards.pk), "decision": "return"})
    assert_error_summary(
        empty_return,
        "Say what the reviewer should change: comment on a section, or give an overall comment",
        "id_comment",
    )
    returned = client.post(url, {**data, "decision": "return"})
    assert returned.status_code == 302
    sent.refresh_from_db()
    assert sent.state == CaseState.REVIEW_IN_PROGRESS
    check = LocalQACheck.objects.get()
    assert check.answers.get().comment == "The MAPPA meetings are not analysed"
    assert check.section_comments.get().section == SectionKey.MULTI_AGENCY


def test_the_local_qa_page_passes_a_review(client, world, sent):
    client.force_login(world["a"][Role.SFO_REVIEW_MANAGER])
    standards = current_standards()
    data = {"standards": str(standards.pk), "decision": "pass", "comment": "Well done"}
    data.update({f"answer_{q.pk}": "yes" for q in standards.questions.all()})
    response = client.post(reverse("reviews:local_qa", args=[sent.pk]), data)
    assert response.status_code == 302
    sent.refresh_from_db()
    assert sent.state == CaseState.AWAITING_COUNTERSIGNATURE


@pytest.mark.parametrize(
    ("key", "role"),
    [
        ("a", Role.SFO_REVIEWER),
        ("a", Role.SENIOR_MANAGER),
        ("a", Role.RESPONSIBLE_OFFICER),
        ("b", Role.SFO_REVIEW_MANAGER),
        ("central", Role.CENTRAL_QA_MANAGER),
    ],
    ids=lambda value: getattr(value, "value", value),
)
def test_others_are_refused_the_local_qa_page(client, world, sent, key, role):
    who = world[key][role]
    client.force_login(who)
    response = client.get(reverse("reviews:local_qa", args=[sent.pk]))
    # Provider b's staff do not see provider a's case at all.
    assert response.status_code == (404 if key == "b" else 403)
    if key != "b":
        assert AccessRecord.objects.filter(
            user=who, action="transition:pass_local_qa", allowed=False
        ).exists()


def test_the_countersign_page_shows_the_check_and_asks_for_the_declaration(client, world, passed):
    senior = world["a"][Role.SENIOR_MANAGER]
    client.force_login(senior)
    url = reverse("reviews:countersign", args=[passed.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert b"Clear and well evidenced." in page.content
    assert current_standards().questions.first().question.encode() in page.content
    refused = client.post(url, {"comment": "Ready"})
    assert_error_summary(
        refused, "Confirm the declaration before you countersign the review", "id_declaration"
    )
    assert b"Ready" in refused.content
    done = client.post(url, {"declaration": "on", "comment": "Ready"})
    assert done.status_code == 302
    passed.refresh_from_db()
    assert passed.state == CaseState.WITH_CENTRAL_TEAM
    assert passed.transitions.get(name="countersign_and_submit").comment == "Ready"


def test_the_countersign_page_resubmits_after_amendments(client, world, murder):
    case = judged(case_in(world, murder, CaseState.RETURNED_FOR_AMENDMENTS, crn="P123456"))
    client.force_login(world["a"][Role.SENIOR_MANAGER])
    url = reverse("reviews:countersign", args=[case.pk])
    assert b"re-submit" in client.get(url).content
    assert client.post(url, {"declaration": "on"}).status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.WITH_CENTRAL_TEAM
    assert case.transitions.filter(name="resubmit").exists()


@pytest.mark.parametrize(
    "name",
    [
        "send_to_local_qa",
        "return_from_local_qa",
        "pass_local_qa",
        "countersign_and_submit",
        "resubmit",
    ],
)
def test_the_generic_action_page_leaves_these_to_their_own_pages(client, world, sent, name):
    client.force_login(world["a"][Role.SFO_REVIEW_MANAGER])
    response = client.post(reverse("reviews:case_action", args=[sent.pk, name]))
    assert response.status_code == 403
    sent.refresh_from_db()
    assert sent.state == CaseState.LOCAL_QA
