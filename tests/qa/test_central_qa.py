"""Central QA: rounds, the forced full QA, the feedback loop, and `require_full_qa`."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qa import services
from qa.models import AssessmentStatus, QAAssessment, QAMode
from reviews import local_qa
from reviews.models import ReviewSection, SectionKey, SectionStatus
from reviews.workflow import CaseState
from sfo.alerts.models import Alert
from sfo.audit.models import AccessRecord
from sfo.clocks.models import Clock, ClockKind
from sfo.people.roles import Role
from tests.qa.conftest import submitted_case

S = CaseState


def answers_for(assessment, answer="yes"):
    return {q.pk: (answer, "") for q in services.questions_of(assessment)}


def rating(assessment, label):
    return assessment.scale.levels.get(label=label).pk


def full_input(assessment, **overrides):
    data = services.AssessmentInput(
        mode=assessment.mode,
        answers=answers_for(assessment),
        sections={"chronology": "Focus the chronology on the last year."},
        review_rating=rating(assessment, "Satisfactory"),
        action_plan_rating=rating(assessment, "Requires improvement"),
        feedback="A clear judgement; the action plan needs organisational actions.",
    )
    for name, value in overrides.items():
        setattr(data, name, value)
    return data


def rate(assessment, by, **overrides):
    assessment.refresh_from_db()
    return services.complete_assessment(
        assessment,
        by=by,
        data=full_input(assessment, **overrides),
        expected_version=assessment.edit_version,
    )


def test_each_submission_opens_a_targeted_round_waiting_in_the_queue(submitted, qa_reviewer):
    round_ = QAAssessment.objects.get(case=submitted)
    assert (round_.round, round_.status, round_.mode) == (1, AssessmentStatus.WAITING, "targeted")
    assert round_.version.purpose == "central"
    assert round_.qa_reviewer is None
    assert round_.scale.levels.count() == 3


def test_targeted_qa_asks_the_targeted_standards_and_the_structured_sections(submitted):
    round_ = QAAssessment.objects.get(case=submitted)
    asked = services.questions_of(round_)
    assert asked and all(q.targeted for q in asked)
    assert len(asked) < round_.standards.questions.count()
    assert services.feedback_sections_of(round_) == ["chronology", "key_findings", "action_plan"]


@pytest.mark.parametrize(
    "flag, reason",
    [
        ({"high_profile": True}, "high-profile"),
        ({"disclosure_requested_on": "2026-11-02"}, "asked for disclosure"),
    ],
)
def test_high_profile_and_disclosure_cases_get_full_qa_and_must_be_resubmitted(
    world, murder, qa_reviewer, flag, reason
):
    case = submitted_case(world, murder, **flag)
    round_ = QAAssessment.objects.get(case=case)
    assert round_.mode == QAMode.FULL and reason in " ".join(round_.full_qa_reasons)
    services.take_for_qa(case, by=qa_reviewer)
    # The QA reviewer cannot make it targeted, and the feedback requires re-submission.
    done = rate(round_, qa_reviewer, mode=QAMode.TARGETED)
    assert done.mode == QAMode.FULL and done.resubmission_required
    case.refresh_from_db()
    assert case.state == S.RETURNED_FOR_AMENDMENTS and case.resubmission_required


def test_a_section_left_incomplete_makes_the_round_full(world, murder, qa_reviewer):
    from reviews.journeys import MAKER, REVIEW_STEPS
    from tests.reviews.conftest import actors_of, case_in

    case = case_in(world, murder, S.REVIEW_IN_PROGRESS)
    people = actors_of(world)
    REVIEW_STEPS["send_to_local_qa"](case, people[MAKER["send_to_local_qa"]])
    # The sample review completes every section; reopen one before local QA passes it.
    version = case.review.versions.get()
    ReviewSection.objects.filter(review=case.review, key=SectionKey.METHODOLOGY).update(
        status=SectionStatus.IN_PROGRESS
    )
    assert version.snapshot["sections"]["methodology"]["status"] == SectionStatus.COMPLETED
    REVIEW_STEPS["pass_local_qa"](case, people[MAKER["pass_local_qa"]])
    REVIEW_STEPS["countersign_and_submit"](case, people[MAKER["countersign_and_submit"]])
    round_ = QAAssessment.objects.get(case=case)
    assert round_.mode == QAMode.FULL
    assert "Methodology" in " ".join(round_.full_qa_reasons)


def test_targeted_qa_without_resubmission_completes_qa_and_meets_the_clock(submitted, qa_reviewer):
    assessment = services.take_for_qa(submitted, by=qa_reviewer)
    assert assessment.qa_reviewer == qa_reviewer and assessment.status == AssessmentStatus.DRAFT
    done = rate(assessment, qa_reviewer)
    submitted.refresh_from_db()
    assert submitted.state == S.QA_COMPLETE and not done.resubmission_required
    clock = Clock.objects.get(case=submitted, kind=ClockKind.CENTRAL_QA)
    assert clock.status == "met"
    assert [a.standard.targeted for a in done.answers.all()] == [True] * done.answers.count()
    assert list(done.section_feedback.values_list("section", flat=True)) == ["chronology"]


def test_marking_the_review_incomplete_requires_resubmission(submitted, qa_reviewer):
    assessment = services.take_for_qa(submitted, by=qa_reviewer)
    # An incomplete review gets a full QA: every standard is answered.
    every = {q.pk: ("partly", "") for q in assessment.standards.questions.all()}
    done = rate(assessment, qa_reviewer, marked_incomplete=True, answers=every)
    assert done.mode == QAMode.FULL and done.resubmission_required
    assert "incomplete" in " ".join(done.full_qa_reasons)


def test_completing_needs_every_standard_both_ratings_and_feedback(submitted, qa_reviewer):
    assessment = services.take_for_qa(submitted, by=qa_reviewer)
    with pytest.raises(services.AssessmentInvalid) as raised:
        services.complete_assessment(
            assessment,
            by=qa_reviewer,
            data=services.AssessmentInput(mode="targeted"),
            expected_version=assessment.edit_version,
        )
    errors = raised.value.error_dict
    assert {"review_rating", "action_plan_rating", "feedback"} <= set(errors)
    assert sum(key.startswith("answer-") for key in errors) == len(
        services.questions_of(assessment)
    )
    submitted.refresh_from_db()
    assert submitted.state == S.CENTRAL_QA


def test_a_draft_is_saved_without_moving_the_case_and_a_stale_save_is_refused(
    submitted, qa_reviewer
):
    assessment = services.take_for_qa(submitted, by=qa_reviewer)
    seen = assessment.edit_version
    draft = services.save_assessment(
        assessment,
        by=qa_reviewer,
        data=services.AssessmentInput(mode="targeted", feedback="So far, so good."),
        expected_version=seen,
    )
    assert draft.feedback == "So far, so good." and draft.status == AssessmentStatus.DRAFT
    with pytest.raises(services.AssessmentChanged):
        services.save_assessment(
            assessment,
            by=qa_reviewer,
            data=services.AssessmentInput(mode="targeted", feedback="Overwrite"),
            expected_version=seen,
        )
    assert QAAssessment.objects.get(pk=assessment.pk).feedback == "So far, so good."


def test_only_the_allocated_qa_reviewer_rates(world, submitted, qa_reviewer, qa_manager):
    services.allocate(submitted, by=qa_manager, qa_reviewer=qa_reviewer)
    assert Alert.objects.filter(recipient=qa_reviewer, case=submitted, kind="allocated").exists()
    with pytest.raises(PermissionDenied, match="allocated to"):
        services.take_for_qa(submitted, by=qa_manager)
    assessment = services.take_for_qa(submitted, by=qa_reviewer)
    with pytest.raises(PermissionDenied):
        rate(assessment, qa_manager)
    with pytest.raises(PermissionDenied):
        rate(assessment, world["a"][Role.SENIOR_MANAGER])
    assert AccessRecord.objects.filter(allowed=False, action="qa:complete_assessment").count() == 2


def test_a_qa_reviewer_cannot_allocate_to_someone_else(world, submitted, qa_reviewer, qa_manager):
    with pytest.raises(PermissionDenied):
        services.allocate(submitted, by=qa_reviewer, qa_reviewer=qa_manager)
    services.allocate(submitted, by=qa_reviewer, qa_reviewer=qa_reviewer)
    assert QAAssessment.objects.get(case=submitted).qa_reviewer == qa_reviewer


def test_the_loop_returns_amends_resubmits_and_the_next_round_compares(world, murder, qa_reviewer):
    case = submitted_case(world, murder, high_profile=True)
    first = services.take_for_qa(case, by=qa_reviewer)
    rate(first, qa_reviewer)
    case.refresh_from_db()
    assert case.state == S.RETURNED_FOR_AMENDMENTS
    # The provider may not accept feedback that requires re-submission.
    manager = world["a"][Role.SFO_REVIEW_MANAGER]
    with pytest.raises((ValidationError, PermissionDenied)):
        services.accept_feedback(case, by=manager)
    version = local_qa.resubmit(case, by=world["a"][Role.SENIOR_MANAGER])
    case.refresh_from_db()
    assert case.state == S.WITH_CENTRAL_TEAM
    second = QAAssessment.objects.get(case=case, round=2)
    assert second.version == version and second.qa_reviewer == qa_reviewer  # the same rater
    from qa.selectors import previously_rated

    assert previously_rated(second) == first
    assert Clock.objects.filter(case=case, kind=ClockKind.CENTRAL_QA).count() == 2
    services.take_for_qa(case, by=qa_reviewer)
    # Still incomplete in the QA reviewer's judgement: returned again, and the loop repeats.
    every = {q.pk: ("partly", "") for q in second.standards.questions.all()}
    again = rate(second, qa_reviewer, marked_incomplete=True, answers=every)
    case.refresh_from_db()
    assert again.resubmission_required and case.state == S.RETURNED_FOR_AMENDMENTS
    local_qa.resubmit(case, by=world["a"][Role.SENIOR_MANAGER])
    case.refresh_from_db()
    third = QAAssessment.objects.get(case=case, round=3)
    assert third.mode == QAMode.FULL
    services.take_for_qa(case, by=qa_reviewer)
    # The amendments answer the feedback: QA completes, although the case is high-profile.
    done = rate(third, qa_reviewer)
    case.refresh_from_db()
    assert not done.resubmission_required and case.state == S.QA_COMPLETE


def test_the_provider_chooses_to_amend_or_accepts_feedback_not_requiring_resubmission(
    world, submitted, qa_reviewer
):
    rate(services.take_for_qa(submitted, by=qa_reviewer), qa_reviewer)
    submitted.refresh_from_db()
    manager = world["a"][Role.SFO_REVIEW_MANAGER]
    services.choose_to_amend(submitted, by=manager)
    submitted.refresh_from_db()
    assert submitted.state == S.RETURNED_FOR_AMENDMENTS
    accepted = services.accept_feedback(submitted, by=manager)
    submitted.refresh_from_db()
    assert submitted.state == S.QA_COMPLETE and accepted.feedback_accepted_by == manager
    with pytest.raises(PermissionDenied):
        services.accept_feedback(submitted, by=world["b"][Role.SFO_REVIEW_MANAGER])


def test_require_full_qa_reopens_a_targeted_qa_complete_case(world, submitted, qa_reviewer):
    rate(services.take_for_qa(submitted, by=qa_reviewer), qa_reviewer)
    submitted.refresh_from_db()
    assert submitted.state == S.QA_COMPLETE
    reopened = services.require_full_qa(submitted, "A victim's family asked for disclosure.")
    submitted.refresh_from_db()
    assert submitted.state == S.CENTRAL_QA
    assert reopened.round == 2 and reopened.mode == QAMode.FULL
    assert reopened.version == QAAssessment.objects.get(case=submitted, round=1).version
    assert reopened.qa_reviewer == qa_reviewer
    clocks = Clock.objects.filter(case=submitted, kind=ClockKind.CENTRAL_QA).order_by("sequence")
    assert [c.status for c in clocks] == ["met", "running"]
    told = Alert.objects.filter(case=submitted, kind="full_qa_needed")
    assert {a.recipient for a in told} == {qa_reviewer, world["central"][Role.CENTRAL_QA_MANAGER]}
    assert "asked for disclosure" in told.first().message
    # Rated again in full: re-submission is now required.
    done = rate(reopened, qa_reviewer)
    assert done.resubmission_required


def test_require_full_qa_makes_an_open_targeted_round_full(submitted, qa_reviewer):
    services.take_for_qa(submitted, by=qa_reviewer)
    round_ = services.require_full_qa(submitted, "Disclosure requested.")
    assert round_.round == 1 and round_.mode == QAMode.FULL
    submitted.refresh_from_db()
    assert submitted.state == S.CENTRAL_QA and submitted.full_qa_reason == "Disclosure requested."


def test_require_full_qa_before_submission_makes_the_next_round_full(world, murder):
    from tests.reviews.conftest import case_in

    case = case_in(world, murder, S.REVIEW_IN_PROGRESS)
    assert services.require_full_qa(case, "Disclosure requested.") is None
    from tests.qa.conftest import advance_from_review

    advance_from_review(case, world, murder)
    assert QAAssessment.objects.get(case=case).mode == QAMode.FULL


def test_require_full_qa_needs_a_reason(submitted):
    with pytest.raises(ValidationError):
        services.require_full_qa(submitted, "  ")


def test_the_generic_action_page_does_not_make_qa_transitions(client, submitted, qa_reviewer):
    client.force_login(qa_reviewer)
    response = client.post(f"/cases/{submitted.pk}/actions/take_for_qa/")
    assert response.status_code == 403
    submitted.refresh_from_db()
    assert submitted.state == S.WITH_CENTRAL_TEAM


def test_a_submission_without_a_round_has_one_opened_when_first_taken(submitted, qa_reviewer):
    """A case submitted before rounds existed (or by a path that opened none) is not stuck."""
    QAAssessment.objects.filter(case=submitted).delete()
    assessment = services.take_for_qa(submitted, by=qa_reviewer)
    assert assessment.round == 1 and assessment.version.purpose == "central"
    assert assessment.qa_reviewer == qa_reviewer


def test_a_draft_keeps_full_qa_feedback_typed_while_the_round_is_targeted(submitted, qa_reviewer):
    assessment = services.take_for_qa(submitted, by=qa_reviewer)
    full_only = next(q for q in assessment.standards.questions.all() if not q.targeted)
    draft = services.save_assessment(
        assessment,
        by=qa_reviewer,
        data=services.AssessmentInput(
            mode="targeted",
            answers={full_only.pk: ("no", "Thin on MAPPA")},
            sections={"methodology": "Say who was interviewed."},
        ),
        expected_version=assessment.edit_version,
    )
    assert draft.section_feedback.get().section == "methodology"
    assert draft.answers.get().comment == "Thin on MAPPA"
    # Given as targeted feedback, what only a full QA covers is not sent.
    done = rate(draft, qa_reviewer, sections={"methodology": "Say who was interviewed."})
    assert not done.section_feedback.exists()
    assert full_only.pk not in set(done.answers.values_list("standard_id", flat=True))


def test_a_qa_reviewer_cannot_take_a_colleagues_round_by_allocating_it_to_themselves(
    world, submitted, qa_reviewer, qa_manager
):
    from tests.factories import UserFactory

    colleague = UserFactory(
        username="colleague",
        organisation=qa_reviewer.organisation,
        role=Role.CENTRAL_QA_REVIEWER,
    )
    services.allocate(submitted, by=qa_manager, qa_reviewer=colleague)
    with pytest.raises(PermissionDenied, match="allocated to"):
        services.allocate(submitted, by=qa_reviewer, qa_reviewer=qa_reviewer)
    assert QAAssessment.objects.get(case=submitted).qa_reviewer == colleague
    assert AccessRecord.objects.filter(allowed=False, action="qa:allocate").exists()


def test_full_qa_required_after_choosing_to_amend_stops_the_provider_accepting_instead(
    world, submitted, qa_reviewer
):
    rate(services.take_for_qa(submitted, by=qa_reviewer), qa_reviewer)
    submitted.refresh_from_db()
    manager = world["a"][Role.SFO_REVIEW_MANAGER]
    services.choose_to_amend(submitted, by=manager)
    submitted.refresh_from_db()
    assert services.require_full_qa(submitted, "Disclosure requested.") is None
    submitted.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.accept_feedback(submitted, by=manager)
    local_qa.resubmit(submitted, by=world["a"][Role.SENIOR_MANAGER])
    assert QAAssessment.objects.get(case=submitted, round=2).mode == QAMode.FULL
    told = Alert.objects.get(
        case=submitted, kind="full_qa_needed", recipient__username__contains="manager"
    )
    assert "may no longer accept" in told.message


def test_a_round_sent_back_with_nobody_to_rate_it_is_claimed_by_a_qa_reviewer(
    client, world, submitted, qa_reviewer
):
    rate(services.take_for_qa(submitted, by=qa_reviewer), qa_reviewer)
    type(qa_reviewer).objects.filter(pk=qa_reviewer.pk).update(is_active=False)
    from tests.factories import UserFactory

    other = UserFactory(
        username="other-qa", organisation=qa_reviewer.organisation, role=Role.CENTRAL_QA_REVIEWER
    )
    submitted.refresh_from_db()
    reopened = services.require_full_qa(submitted, "Disclosure requested.")
    assert reopened.qa_reviewer is None
    client.force_login(other)
    page = client.get(f"/qa/cases/{submitted.pk}/").content.decode()
    assert "Allocate it to me" in page
    client.post(f"/qa/cases/{submitted.pk}/allocate/", {"qa_reviewer": other.pk})
    reopened.refresh_from_db()
    assert reopened.qa_reviewer == other
    assert services.refusal_to_rate(other, reopened) is None
