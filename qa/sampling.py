"""Drawing the sample of QA-complete reviews that an independent body rates blind (issue 6, item 6).

The population of a period is every case whose central QA is complete (QA complete, or closed)
and whose latest completed central assessment was completed on a day of the period. It is
stratified by the provider that carried out the review, and each provider contributes
round(proportion × its cases), rounded half up, so that each provider is within half a case of
its target. The cases are chosen with `random.Random(seed)` over each provider's cases in the
order of their keys, providers in the order of theirs: the same seed over the same data draws
the same sample, and the seed is stored with the sample so that anyone can draw it again.

A case is never sampled twice: a case already in an earlier sample (for any assessor) is left
out of the population, and the sample's note says how many were left out. The sampled cases are
shared among the assessors round-robin, cases in the order of their keys and assessors in the
order of theirs."""

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from qa.models import (
    AssessmentStatus,
    IndependentSample,
    QAAssessment,
    SampleAssignment,
    ScaleUse,
)
from qa.services import find_scale
from reviews.standards import current_standards
from reviews.workflow import CaseState
from sfo.access import ADMINISTRATION, ensure
from sfo.people.roles import Role

QA_COMPLETE_STATES = (CaseState.QA_COMPLETE, CaseState.CLOSED)
DEFAULT_PROPORTION = Decimal("0.2")
# Two administrators drawing at once must not sample the same case twice.
DRAW_LOCK = 0x5F0_5A3_91E


def target_of(proportion: Decimal, count: int) -> int:
    """round(proportion × count), half up: 0.2 × 12 = 2.4 → 2; 0.2 × 13 = 2.6 → 3; 0.5 × 5 →
    3."""
    return int((Decimal(proportion) * count).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def eligible_assessments(
    period_start: date,
    period_end: date,
    *,
    as_at: datetime | None = None,
    sampled_before: int | None = None,
) -> list[QAAssessment]:
    """The population: for each eligible case, its latest completed central assessment, in the
    order of the cases' keys.

    Drawing now (`as_at` None), the case must be QA complete or closed, and cases in any sample
    are left out. Looking back at a sample (`as_at` its drawing time, `sampled_before` its key),
    only assessments completed by then count, and only cases of earlier samples are left out."""
    completed = QAAssessment.objects.filter(status=AssessmentStatus.COMPLETED)
    if as_at is None:
        completed = completed.filter(case__state__in=QA_COMPLETE_STATES)
    else:
        completed = completed.filter(completed_at__lte=as_at)
    # Postgres DISTINCT ON: the latest completed round of each case.
    latest = completed.order_by("case_id", "-round").distinct("case_id").values("pk")
    already = SampleAssignment.objects.all()
    if sampled_before is not None:
        already = already.filter(Q(sample__isnull=True) | Q(sample_id__lt=sampled_before))
    rows = (
        QAAssessment.objects.filter(pk__in=latest)
        .filter(completed_at__date__gte=period_start, completed_at__date__lte=period_end)
        .select_related("case", "case__managing_provider", "case__reviewing_provider", "version")
        .order_by("case_id")
    )
    left_out = set(already.values_list("case_id", flat=True))
    return [row for row in rows if row.case_id not in left_out]


def already_sampled(period_start: date, period_end: date) -> int:
    """How many cases of the period's population an earlier sample already took."""
    completed = QAAssessment.objects.filter(
        status=AssessmentStatus.COMPLETED, case__state__in=QA_COMPLETE_STATES
    )
    latest = completed.order_by("case_id", "-round").distinct("case_id").values("pk")
    return (
        QAAssessment.objects.filter(pk__in=latest)
        .filter(completed_at__date__gte=period_start, completed_at__date__lte=period_end)
        .filter(case__sample_assignments__isnull=False)
        .values("case_id")
        .distinct()
        .count()
    )


@dataclass
class Stratum:
    """One provider's part of a sample."""

    provider: object
    population: list[QAAssessment] = field(default_factory=list)
    target: Decimal = Decimal(0)
    chosen: list[QAAssessment] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.population)


def stratify(assessments: list[QAAssessment]) -> list[Stratum]:
    """The population grouped by the provider that carried out each review, providers in the
    order of their keys, each provider's cases in the order of theirs."""
    by_provider: dict[int, Stratum] = {}
    for assessment in sorted(assessments, key=lambda a: a.case_id):
        case = assessment.case
        stratum = by_provider.setdefault(
            case.review_provider_id, Stratum(provider=case.review_provider)
        )
        stratum.population.append(assessment)
    return [by_provider[key] for key in sorted(by_provider)]


def choose(assessments: list[QAAssessment], proportion: Decimal, seed: int) -> list[Stratum]:
    """The sample of a population, as a pure function of the population, proportion and seed."""
    rng = random.Random(seed)  # noqa: S311 - reproducible by design, not a secret
    strata = stratify(assessments)
    for stratum in strata:
        stratum.target = Decimal(proportion) * stratum.size
        picked = rng.sample(stratum.population, target_of(proportion, stratum.size))
        stratum.chosen = sorted(picked, key=lambda a: a.case_id)
    return strata


def fresh_seed() -> int:
    """A random non-negative 63-bit seed: it fits a signed 64-bit column."""
    return random.SystemRandom().getrandbits(63)


def _check_assessors(assessors) -> list:
    people = sorted({a.pk: a for a in assessors}.values(), key=lambda a: a.pk)
    if not people:
        raise ValidationError("Choose at least one independent assessor to share the sample.")
    for person in people:
        if not person.is_active or not person.has_role(Role.INDEPENDENT_ASSESSOR):
            raise ValidationError(
                f"{person.get_full_name() or person.username} is not an active independent QA "
                "assessor."
            )
    return people


def draw_sample(
    *,
    by,
    period_start: date,
    period_end: date,
    assessors,
    proportion: Decimal = DEFAULT_PROPORTION,
    seed: int | None = None,
) -> IndependentSample:
    """Draw, store and share out a sample of the period's QA-complete reviews. Administrators
    only. Raises ValidationError when the request cannot be drawn (a period backwards, a
    proportion outside (0, 1], no assessor, no independent scale or standards in force)."""
    ensure(by, ADMINISTRATION)  # outside the transaction, so that a refusal stays recorded
    if period_end < period_start:
        raise ValidationError("The end of the period must be on or after its start.")
    proportion = Decimal(proportion)
    if not (Decimal(0) < proportion <= Decimal(1)):
        raise ValidationError("The proportion must be more than 0% and at most 100%.")
    if seed is not None and not (0 <= int(seed) < 2**63):
        raise ValidationError("The seed must be a whole number from 0 to 2⁶³ − 1.")
    people = _check_assessors(assessors)
    scale = find_scale(ScaleUse.INDEPENDENT)
    if scale is None:
        raise ValidationError("No independent rating scale is in force: an administrator adds one.")
    standards = current_standards()
    if standards is None:
        raise ValidationError("No QA standards are published: an administrator publishes them.")
    with transaction.atomic():
        return _draw(by, period_start, period_end, people, proportion, seed, scale, standards)


def _draw(by, period_start, period_end, people, proportion, seed, scale, standards):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [DRAW_LOCK])
    seed = fresh_seed() if seed is None else int(seed)
    population = eligible_assessments(period_start, period_end)
    strata = choose(population, proportion, seed)
    left_out = already_sampled(period_start, period_end)
    summary = (
        "; ".join(f"{s.provider.name}: {len(s.chosen)} of {s.size}" for s in strata)
        or "No QA-complete review in the period"
    )
    note = f"Drawn by provider: {summary}."
    if left_out:
        note += f" {left_out} case(s) already in an earlier sample were left out."
    sample = IndependentSample.objects.create(
        period_start=period_start,
        period_end=period_end,
        proportion=proportion,
        seed=seed,
        scale=scale,
        standards=standards,
        drawn_by=by,
        population=len(population),
        note=note,
    )
    chosen = sorted((a for s in strata for a in s.chosen), key=lambda a: a.case_id)
    today = timezone.localdate()
    SampleAssignment.objects.bulk_create(
        SampleAssignment(
            case=assessment.case,
            assessor=people[i % len(people)],
            sampled_on=today,
            sample=sample,
            version=assessment.version,
            central_assessment=assessment,
        )
        for i, assessment in enumerate(chosen)
    )
    return sample


def strata_of(sample: IndependentSample) -> list[dict]:
    """A sample's page: per provider, its population as at the drawing, its target and the cases
    drawn, with the assignments' progress."""
    population = eligible_assessments(
        sample.period_start,
        sample.period_end,
        as_at=sample.drawn_at,
        sampled_before=sample.pk,
    )
    strata = {s.provider.pk: s for s in stratify(population)}
    drawn: dict[int, list] = defaultdict(list)
    assignments = sample.assignments.select_related(
        "case",
        "case__managing_provider",
        "case__reviewing_provider",
        "assessor",
        "assessment",
        "version",
    ).order_by("case_id")
    providers = {}
    for assignment in assignments:
        provider = assignment.case.review_provider
        providers[provider.pk] = provider
        drawn[provider.pk].append(assignment)
    rows = []
    for key in sorted(set(strata) | set(drawn)):
        stratum = strata.get(key)
        size = stratum.size if stratum else 0
        rows.append(
            {
                "provider": stratum.provider if stratum else providers[key],
                "population": size,
                "target": Decimal(sample.proportion) * size,
                "rounded_target": target_of(sample.proportion, size),
                "assignments": drawn.get(key, []),
            }
        )
    return rows
