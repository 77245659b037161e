"""The synthetic national dataset grows its central QA and an independent sample: a round of
central QA for every submitted review (completed where the feedback was given, in draft while the
case is in central QA, waiting before it is taken), with the inspection's rating shares; and the
most recent full year of QA-complete reviews sampled for the independent body, mostly rated."""

import io
from collections import Counter
from datetime import date

import pytest
from django.core.management import call_command
from django.utils import timezone

from qa.models import (
    IndependentAssessment,
    IndependentSample,
    QAAssessment,
    RatingScale,
    SampleAssignment,
)
from reviews.models import STRUCTURED_SECTIONS, Case, CaseTransition, VersionPurpose
from reviews.standards import current_standards
from sfo.people.models import OrganisationKind
from sfo.people.roles import Role

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year - 1
# Last year and this: cases in every state from identification to closure, and a full year of
# QA-complete reviews to sample.
YEARS = [str(YEAR), str(YEAR + 1)]


def generate(*args: str) -> str:
    out = io.StringIO()
    call_command("generate_national_dataset", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(db):
    call_command("load_demo_data", no_logins=True, stdout=io.StringIO())


def synthetic():
    return Case.objects.filter(crn__startswith="S")


def steps(name):
    """{case id: transition} for the synthetic cases that made transition `name`."""
    return {
        t.case_id: t
        for t in CaseTransition.objects.filter(case__in=synthetic(), name=name).select_related("by")
    }


def drawn_for_the_dataset():
    """The samples the command drew (the demo data may have drawn one of its own)."""
    return IndependentSample.objects.filter(note__contains="(synthetic national dataset")


def local(moment) -> date:
    return timezone.localtime(moment).date()


def qa_listing():
    """The central QA and the sample, without database ids, in a stable order."""
    rounds = [
        (
            a.case.crn,
            a.round,
            a.version.number,
            a.status,
            a.mode,
            a.full_qa_reasons,
            a.qa_reviewer.username if a.qa_reviewer else None,
            a.review_rating.label if a.review_rating else None,
            a.action_plan_rating.label if a.action_plan_rating else None,
            a.feedback,
            a.resubmission_required,
            a.started_at,
            a.completed_at,
            [(x.standard.position, x.answer, x.comment) for x in a.answers.all()],
            [(f.section, f.comment) for f in a.section_feedback.all()],
        )
        for a in QAAssessment.objects.filter(case__in=synthetic())
        .select_related("case", "version", "qa_reviewer", "review_rating", "action_plan_rating")
        .prefetch_related("answers__standard", "section_feedback")
        .order_by("case__crn", "round")
    ]
    sampled = [
        (
            s.case.crn,
            s.assessor.username,
            s.sampled_on,
            s.version.number,
            getattr(s, "assessment", None) and s.assessment.status,
            getattr(s, "assessment", None)
            and (
                s.assessment.review_rating_id and s.assessment.review_rating.label,
                s.assessment.action_plan_rating_id and s.assessment.action_plan_rating.label,
                s.assessment.submitted_at,
                sorted((x.standard.position, x.answer) for x in s.assessment.answers.all()),
            ),
        )
        for s in SampleAssignment.objects.filter(case__in=synthetic())
        .select_related("case", "assessor", "version")
        .order_by("case__crn")
    ]
    samples = list(
        drawn_for_the_dataset().values_list("period_start", "period_end", "seed", "population")
    )
    return rounds, sampled, samples


def test_every_submitted_review_has_its_round_of_central_qa(demo):
    summary = generate("--years", *YEARS, "--per-year", "60", "--seed", "2018")
    submitted = steps("countersign_and_submit")
    taken = steps("take_for_qa")
    feedback = {**steps("complete_qa"), **steps("return_for_amendments")}
    assessments = QAAssessment.objects.filter(case__in=synthetic()).select_related(
        "case", "version", "scale", "review_rating", "action_plan_rating"
    )
    by_case = {a.case_id: a for a in assessments}
    # One round per submission, on the version frozen when the review was submitted.
    assert set(by_case) == set(submitted) and len(by_case) == assessments.count()
    for case_id, assessment in by_case.items():
        assert assessment.round == 1
        assert assessment.version.purpose == VersionPurpose.CENTRAL
        assert assessment.version.created_at == submitted[case_id].at

    # Completed for every case whose feedback was given, in draft in central QA, waiting before.
    states = dict(synthetic().values_list("pk", "state"))
    for case_id, assessment in by_case.items():
        state = states[case_id]
        if state in ("returned_for_amendments", "qa_complete", "closed"):
            assert assessment.status == "completed"
            assert assessment.completed_at == feedback[case_id].at
        elif state == "central_qa":
            assert assessment.status == "draft" and assessment.completed_at is None
        else:
            assert state == "with_central_team" and assessment.status == "waiting"
            assert assessment.qa_reviewer is None and not assessment.answers.exists()
    statuses = {a.status for a in by_case.values()}
    assert {"completed", "draft"} <= statuses

    # Taken by whoever made take_for_qa, then, on the standards and central scale of that day.
    central_scales = RatingScale.objects.filter(use="central")
    for case_id, step in taken.items():
        assessment, day = by_case[case_id], local(step.at)
        assert assessment.qa_reviewer == step.by and assessment.started_at == step.at
        assert assessment.standards == current_standards(day)
        assert assessment.scale == central_scales.filter(in_force_from__lte=day).first()

    # Full for high-profile cases and for the reviews returned as incomplete; targeted for most.
    completed = [a for a in by_case.values() if a.status == "completed"]
    for assessment in by_case.values():
        if assessment.case.high_profile:
            assert assessment.mode == "full" and assessment.full_qa_reasons
    targeted = [a for a in completed if a.mode == "targeted"]
    assert len(targeted) > len(completed) / 2
    for assessment in completed:
        questions = assessment.standards.questions.all()
        if assessment.mode == "full":
            asked = set(questions)
        else:
            asked = {q for q in questions if q.targeted}
        assert {a.standard for a in assessment.answers.all()} == asked
        assert assessment.feedback and assessment.review_rating and assessment.action_plan_rating
        sections = {f.section for f in assessment.section_feedback.all()}
        assert 1 <= len(sections) <= 2
        if assessment.mode == "targeted":
            assert sections <= STRUCTURED_SECTIONS
    answers = {x.answer for a in completed for x in a.answers.all()}
    assert answers == {"yes", "partly", "no"}

    # Re-submission is required of the returned reviews, which the case says while returned.
    for assessment in completed:
        returned = assessment.case.state == "returned_for_amendments"
        if returned:  # judged incomplete, if nothing else required it: so its QA was full
            assert assessment.resubmission_required and assessment.mode == "full"
            assert assessment.marked_incomplete or assessment.case.high_profile
        # One round a case: a full QA that completed QA stands for the round after the
        # re-submission its first round required, so only the returned require it.
        assert assessment.resubmission_required == returned
        assert assessment.case.resubmission_required == (
            returned and assessment.resubmission_required
        )
    assert synthetic().filter(state="returned_for_amendments").exists()

    # Both ratings in the inspection's shares, drawn as quotas: exact to one review.
    n = len(completed)
    for field, shares in (
        ("review_rating", {"Requires improvement": 48, "Satisfactory": 15, "Good": 37}),
        ("action_plan_rating", {"Requires improvement": 52, "Satisfactory": 24, "Good": 24}),
    ):
        given = Counter(getattr(a, field).label for a in completed)
        assert set(given) == set(shares)
        for label, expected in shares.items():
            assert 100 * given[label] / n == pytest.approx(expected, abs=100 / n + 0.5)
    assert f"Central QA: {len(by_case)} assessments" in summary


def test_the_independent_body_rates_a_sample_and_the_same_seed_gives_the_same(demo):
    summary = generate("--years", *YEARS, "--per-year", "60", "--seed", "7")
    sample = drawn_for_the_dataset().get()
    assert (sample.period_start, sample.period_end) == (date(YEAR, 1, 1), date(YEAR, 12, 31))
    assert sample.drawn_by.has_role(Role.ADMINISTRATOR)
    assert sample.seed == 7 * 10_000 + YEAR
    assignments = sample.assignments.select_related("case", "central_assessment", "assessor")
    assert assignments.exists() and sample.population >= assignments.count()
    for assignment in assignments:
        assert assignment.case.state in ("qa_complete", "closed")
        assert local(assignment.central_assessment.completed_at).year == YEAR
        assert assignment.version == assignment.central_assessment.version
        assert assignment.assessor.has_role(Role.INDEPENDENT_ASSESSOR)
        assert assignment.assessor.organisation.kind == OrganisationKind.INDEPENDENT_BODY
    submitted = IndependentAssessment.objects.filter(assignment__sample=sample, status="submitted")
    assert submitted.exists()
    for assessment in submitted.select_related("review_rating", "action_plan_rating"):
        assert assessment.review_rating.scale == sample.scale
        assert assessment.action_plan_rating.scale == sample.scale
        assert assessment.submitted_at.date() >= sample.period_end
        assert assessment.answers.count() == sample.standards.questions.count()
    assert "Independent sample of" in summary

    # The same seed gives the same assessments and the same sample: replacing deletes the QA too
    # (it refers to the versions) and makes it again.
    first = qa_listing()
    generate("--years", *YEARS, "--per-year", "60", "--seed", "7", "--replace")
    assert qa_listing() == first
    rounds, sampled, samples = first
    assert len(rounds) > 30 and any(row[4] == "submitted" for row in sampled)
    assert len(samples) == 1 and drawn_for_the_dataset().count() == 1
