# ruff: noqa: F811
"""Drawing the sample for independent QA: the QA-complete reviews of a period, stratified by the
provider that carried out each review, a proportion of each (rounded half up, so each provider is
within one case of its target), reproducible from the stored seed, shared among the assessors
round-robin, and never taking a case twice."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from qa import sampling
from qa.models import (
    AssessmentStatus,
    IndependentSample,
    QAAssessment,
    RatingLevel,
    SampleAssignment,
    ScaleUse,
)
from qa.services import find_scale
from reviews.models import Case
from reviews.workflow import CaseState
from sfo.audit.models import AccessRecord
from sfo.people.roles import Role
from tests.factories import CaseFactory, UserFactory
from tests.qa.conftest import submitted_case
from tests.reviews.conftest import murder, world  # noqa: F401

PERIOD = (date(2026, 4, 1), date(2026, 6, 30))
IN_PERIOD = date(2026, 5, 12)


def noon(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


def level(use: str, label: str) -> RatingLevel:
    return RatingLevel.objects.get(scale=find_scale(use), label=label)


def complete_central_qa(
    case: Case,
    *,
    on: date = IN_PERIOD,
    review: str = "Good",
    plan: str = "Good",
    feedback: str = "",
    state: str = CaseState.QA_COMPLETE,
) -> QAAssessment:
    """The latest round of central QA completed on `on` with these ratings, the case QA complete.
    Written directly: the central QA services are not what these tests are about."""
    assessment = QAAssessment.objects.filter(case=case).order_by("-round").first()
    assessment.status = AssessmentStatus.COMPLETED
    assessment.review_rating = level(ScaleUse.CENTRAL, review)
    assessment.action_plan_rating = level(ScaleUse.CENTRAL, plan)
    assessment.feedback = feedback
    assessment.completed_at = noon(on)
    assessment.save()
    Case.objects.filter(pk=case.pk).update(state=state)
    case.refresh_from_db()
    return assessment


def another_case_rated_like(template: Case, provider, *, on: date = IN_PERIOD, **ratings):
    """A further QA-complete case of `provider`, its central round on the template's submitted
    version: enough for sampling, which reads only the round, its date and the provider."""
    case = CaseFactory(managing_provider=provider, state=CaseState.QA_COMPLETE)
    first = QAAssessment.objects.filter(case=template).order_by("round").first()
    QAAssessment.objects.create(
        case=case,
        round=1,
        version=first.version,
        standards=first.standards,
        scale=first.scale,
        status=AssessmentStatus.COMPLETED,
        review_rating=level(ScaleUse.CENTRAL, ratings.get("review", "Good")),
        action_plan_rating=level(ScaleUse.CENTRAL, ratings.get("plan", "Good")),
        completed_at=noon(on),
    )
    return case


def assessors(n: int = 2, prefix: str = "assessor") -> list:
    return [UserFactory(username=f"{prefix}-{i}", role=Role.INDEPENDENT_ASSESSOR) for i in range(n)]


@pytest.fixture
def admin(world):
    return world["central"][Role.ADMINISTRATOR]


@pytest.fixture
def population(world, murder):
    """QA-complete reviews of the period: 7 of provider a (NPS London), 13 of provider b (NPS
    Wales), the b ones including a case managed by a but whose review b was directed to do."""
    a, b = world["a"]["provider"], world["b"]["provider"]
    template = submitted_case(world, murder)
    complete_central_qa(template)
    cases = {"a": [template], "b": []}
    cases["a"] += [another_case_rated_like(template, a) for _ in range(6)]
    cases["b"] += [another_case_rated_like(template, b) for _ in range(12)]
    directed = another_case_rated_like(template, a)
    Case.objects.filter(pk=directed.pk).update(reviewing_provider=b)
    cases["b"].append(directed)
    return cases


def draw(admin, people, **kwargs):
    kwargs.setdefault("proportion", Decimal("0.2"))
    return sampling.draw_sample(
        by=admin, period_start=PERIOD[0], period_end=PERIOD[1], assessors=people, **kwargs
    )


def drawn(sample) -> list[tuple[int, int]]:
    return list(
        SampleAssignment.objects.filter(sample=sample)
        .order_by("case_id")
        .values_list("case_id", "assessor_id")
    )


# --- Reproducible -------------------------------------------------------------------------------


def test_the_same_seed_over_the_same_data_draws_the_same_sample(admin, population):
    people = assessors(2)
    first = draw(admin, people, seed=20260701)
    cases_and_assessors = drawn(first)
    assert first.seed == 20260701

    first.delete()  # the same data again: nothing sampled yet
    again = draw(admin, people, seed=20260701)

    assert drawn(again) == cases_and_assessors
    again.delete()
    other = draw(admin, people, seed=7)
    assert [c for c, _ in drawn(other)] != [c for c, _ in cases_and_assessors]


def test_a_sample_drawn_without_a_seed_stores_a_fresh_63_bit_one(admin, population):
    sample = draw(admin, assessors(1))
    assert 0 <= sample.seed < 2**63
    same = sampling.choose(
        sampling.eligible_assessments(*PERIOD, as_at=sample.drawn_at, sampled_before=sample.pk),
        sample.proportion,
        sample.seed,
    )
    assert sorted(a.case_id for s in same for a in s.chosen) == [c for c, _ in drawn(sample)]


# --- Stratified by provider ---------------------------------------------------------------------


def test_each_provider_gives_its_proportion_within_one_case_of_the_target(admin, population, world):
    sample = draw(admin, assessors(2), seed=1)

    by_provider = {}
    for assignment in sample.assignments.select_related("case"):
        key = assignment.case.review_provider_id
        by_provider[key] = by_provider.get(key, 0) + 1
    a, b = world["a"]["provider"].pk, world["b"]["provider"].pk
    # a: 0.2 × 7 = 1.4 → 1; b: 0.2 × 13 = 2.6 → 3 (the directed case counts for b).
    assert by_provider == {a: 1, b: 3}
    for key, size in ((a, 7), (b, 13)):
        assert abs(by_provider[key] - Decimal("0.2") * size) <= 1
    assert sample.population == 20

    rows = {row["provider"].pk: row for row in sampling.strata_of(sample)}
    assert (rows[a]["population"], rows[a]["rounded_target"], len(rows[a]["assignments"])) == (
        7,
        1,
        1,
    )
    assert (rows[b]["population"], rows[b]["rounded_target"], len(rows[b]["assignments"])) == (
        13,
        3,
        3,
    )


def test_halves_round_up():
    assert [sampling.target_of(Decimal("0.5"), n) for n in (1, 3, 5)] == [1, 2, 3]
    assert sampling.target_of(Decimal("0.2"), 12) == 2  # 2.4
    assert sampling.target_of(Decimal("0.2"), 13) == 3  # 2.6
    assert sampling.target_of(Decimal("0.25"), 2) == 1  # 0.5


@settings(max_examples=200, deadline=None)
@given(
    sizes=st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=6),
    percent=st.integers(min_value=1, max_value=100),
    seed=st.integers(min_value=0, max_value=2**63 - 1),
)
def test_any_population_is_sampled_within_one_case_of_each_providers_target(sizes, percent, seed):
    proportion = Decimal(percent) / 100
    rows, pk = [], 0
    for provider_pk, size in enumerate(sizes, start=1):
        provider = SimpleNamespace(pk=provider_pk, name=f"P{provider_pk}")
        for _ in range(size):
            pk += 1
            case = SimpleNamespace(review_provider_id=provider_pk, review_provider=provider)
            rows.append(SimpleNamespace(case_id=pk, case=case))

    strata = sampling.choose(rows, proportion, seed)

    for stratum in strata:
        assert abs(len(stratum.chosen) - proportion * stratum.size) <= Decimal("0.5")
        assert len({a.case_id for a in stratum.chosen}) == len(stratum.chosen)
    assert [[a.case_id for a in s.chosen] for s in sampling.choose(rows, proportion, seed)] == [
        [a.case_id for a in s.chosen] for s in strata
    ]


# --- The population ------------------------------------------------------------------------------


def test_the_population_is_qa_complete_cases_by_their_latest_completed_round(admin, world, murder):
    a = world["a"]["provider"]
    template = submitted_case(world, murder)
    complete_central_qa(template)
    closed = another_case_rated_like(template, a)
    Case.objects.filter(pk=closed.pk).update(state=CaseState.CLOSED)
    before = another_case_rated_like(template, a, on=PERIOD[0] - timedelta(days=1))
    after = another_case_rated_like(template, a, on=PERIOD[1] + timedelta(days=1))
    last_day = another_case_rated_like(template, a, on=PERIOD[1])
    back_with_the_team = another_case_rated_like(template, a)
    Case.objects.filter(pk=back_with_the_team.pk).update(state=CaseState.CENTRAL_QA)
    # Rated in the period, re-submitted and rated again after it: its latest round is outside.
    re_rated = another_case_rated_like(template, a)
    first = QAAssessment.objects.get(case=re_rated)
    QAAssessment.objects.create(
        case=re_rated,
        round=2,
        version=first.version,
        standards=first.standards,
        scale=first.scale,
        status=AssessmentStatus.COMPLETED,
        review_rating=first.review_rating,
        action_plan_rating=first.action_plan_rating,
        completed_at=noon(PERIOD[1] + timedelta(days=3)),
    )

    eligible = {a.case_id for a in sampling.eligible_assessments(*PERIOD)}

    assert eligible == {template.pk, closed.pk, last_day.pk}
    assert not {before.pk, after.pk, back_with_the_team.pk, re_rated.pk} & eligible
    sample = draw(admin, assessors(1), proportion=Decimal(1), seed=3)
    assignment = sample.assignments.get(case=template)
    central = QAAssessment.objects.get(case=template, round=1)
    assert assignment.central_assessment == central
    assert assignment.version == central.version
    assert assignment.sampled_on == timezone.localdate()
    assert sample.scale == find_scale(ScaleUse.INDEPENDENT)


def test_a_case_already_sampled_is_never_sampled_twice(admin, population):
    people = assessors(2)
    everything = draw(admin, people, proportion=Decimal(1), seed=5)
    assert everything.assignments.count() == 20

    again = draw(admin, people, proportion=Decimal(1), seed=5)

    assert again.assignments.count() == 0
    assert again.population == 0
    assert "20 case(s) already in an earlier sample were left out" in again.note
    assert SampleAssignment.objects.count() == 20


# --- Shared among the assessors ------------------------------------------------------------------


def test_the_sample_is_shared_round_robin_in_a_fixed_order(admin, population):
    people = assessors(3)
    sample = draw(admin, list(reversed(people)), proportion=Decimal(1), seed=9)

    rows = drawn(sample)
    by_key = sorted(p.pk for p in people)
    assert [assessor for _, assessor in rows] == [by_key[i % 3] for i in range(len(rows))]


def test_only_active_independent_assessors_share_a_sample(admin, population, world):
    with pytest.raises(ValidationError, match="not an active independent QA assessor"):
        draw(admin, [world["central"][Role.CENTRAL_QA_REVIEWER]])
    gone = UserFactory(username="left", role=Role.INDEPENDENT_ASSESSOR, is_active=False)
    with pytest.raises(ValidationError, match="not an active independent QA assessor"):
        draw(admin, [gone])
    with pytest.raises(ValidationError, match="at least one"):
        draw(admin, [])
    assert not IndependentSample.objects.exists()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"proportion": Decimal(0)}, "more than 0%"),
        ({"proportion": Decimal("1.5")}, "at most 100%"),
        ({"period_end": PERIOD[0] - timedelta(days=1)}, "on or after its start"),
    ],
)
def test_a_request_that_makes_no_sense_is_refused(admin, population, kwargs, message):
    args = {"period_start": PERIOD[0], "period_end": PERIOD[1], "proportion": Decimal("0.2")}
    args.update(kwargs)
    with pytest.raises(ValidationError, match=message):
        sampling.draw_sample(by=admin, assessors=assessors(1), **args)


@pytest.mark.parametrize(
    "role", [Role.CENTRAL_QA_MANAGER, Role.ANALYST, Role.INDEPENDENT_ASSESSOR, Role.SFO_REVIEWER]
)
def test_only_administrators_draw_a_sample(world, population, role):
    someone = UserFactory(username=f"not-admin-{role.value}", role=role)
    with pytest.raises(PermissionDenied):
        draw(someone, assessors(1))
    assert not IndependentSample.objects.exists()
    assert AccessRecord.objects.filter(user=someone, allowed=False).exists()
