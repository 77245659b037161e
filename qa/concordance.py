"""How far the independent assessors agree with the central team (issue 6, item 6; the
inspection's tables 4.6 and 4.7): each rater's distribution, the agreement rate and Cohen's kappa,
for the review ratings and, separately, the action plan ratings, per provider and overall.

The two raters use different scales. An administrator maps each independent level onto a central
one (`ScaleMapping`); agreement and kappa are computed on the central scale's categories, with
each independent rating replaced by the level it maps to:

    agreement = pairs whose mapped independent level is the central level / pairs
    po = agreement,  pe = Σ over central levels k of (central share of k × mapped share of k)
    kappa = (po − pe) / (1 − pe)

Where no mapping is defined, or a rating used has no mapping, agreement and kappa are not
applicable (None) and `reason` says why; the distributions are still shown. `concordance` is a
pure function; `sample_concordance` builds its pairs from a sample's submitted assessments."""

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

NO_MAPPING = "No mapping between the independent and the central scale is defined."


@dataclass(frozen=True)
class Share:
    label: str
    count: int
    percent: float | None  # None when there are no pairs


@dataclass
class Concordance:
    pairs: int
    central: list[Share]
    independent: list[Share]
    agreeing: int | None = None
    agreement: float | None = None  # a fraction, 0 to 1
    kappa: float | None = None
    reason: str = ""  # why agreement or kappa is not applicable
    # Central level (rows) × mapped independent level (columns), on the central scale; None
    # when not applicable.
    matrix: list[list[int]] | None = None
    expected: float | None = None  # pe
    labels: list[str] = field(default_factory=list)  # the central levels, the matrix's order

    @property
    def applicable(self) -> bool:
        return self.agreement is not None

    @property
    def mapped(self) -> list[Share]:
        """The independent ratings mapped onto the central scale: the matrix's columns."""
        if self.matrix is None:
            return []
        return [
            Share(
                label,
                sum(row[j] for row in self.matrix),
                100 * sum(row[j] for row in self.matrix) / self.pairs if self.pairs else None,
            )
            for j, label in enumerate(self.labels)
        ]

    @property
    def central_and_mapped(self) -> list[tuple[Share, Share]]:
        return list(zip(self.central, self.mapped, strict=True)) if self.matrix else []

    @property
    def matrix_rows(self) -> list[tuple[str, list[int], int]]:
        """(central level, counts by mapped independent level, row total) for the template."""
        if self.matrix is None:
            return []
        return [(label, row, sum(row)) for label, row in zip(self.labels, self.matrix, strict=True)]

    @property
    def agreement_percent(self) -> float | None:
        return None if self.agreement is None else 100 * self.agreement


def _key(level: Any) -> Hashable:
    return getattr(level, "pk", level)


def _label(level: Any) -> str:
    return str(getattr(level, "label", level))


def _shares(levels: Sequence[Any], counts: Counter, total: int) -> list[Share]:
    return [
        Share(
            _label(level),
            counts[_key(level)],
            100 * counts[_key(level)] / total if total else None,
        )
        for level in levels
    ]


def concordance(
    pairs: Iterable[tuple[Hashable, Hashable]],
    central_levels: Sequence[Any],
    independent_levels: Sequence[Any],
    mapping: Mapping[Hashable, Hashable] | None,
) -> Concordance:
    """The concordance of (central level, independent level) pairs, each level given by its key
    (a RatingLevel's pk, or anything hashable). `central_levels` and `independent_levels` are the
    scales' levels best first (objects with `pk` and `label`, or plain labels used as keys);
    `mapping` maps an independent level's key to a central level's key."""
    pairs = list(pairs)
    n = len(pairs)
    central_counts = Counter(c for c, _ in pairs)
    independent_counts = Counter(i for _, i in pairs)
    labels = {_key(level): _label(level) for level in independent_levels}
    result = Concordance(
        pairs=n,
        central=_shares(central_levels, central_counts, n),
        independent=_shares(independent_levels, independent_counts, n),
        labels=[_label(level) for level in central_levels],
    )
    central_keys = [_key(level) for level in central_levels]
    if not mapping:
        result.reason = NO_MAPPING
        return result
    unmapped = [
        labels.get(key, str(key))
        for key in independent_counts
        if mapping.get(key) not in central_keys
    ]
    if unmapped:
        result.reason = (
            f"{', '.join(sorted(unmapped))} {'has' if len(unmapped) == 1 else 'have'} no level "
            "on the central scale: define the mapping to compare the ratings."
        )
        return result
    if n == 0:
        result.reason = "No independent assessment has been submitted yet."
        return result
    index = {key: i for i, key in enumerate(central_keys)}
    matrix = [[0] * len(central_keys) for _ in central_keys]
    for central, independent in pairs:
        matrix[index[central]][index[mapping[independent]]] += 1
    agreeing = sum(matrix[i][i] for i in range(len(central_keys)))
    rows = [sum(row) for row in matrix]
    columns = [sum(row[j] for row in matrix) for j in range(len(central_keys))]
    po = agreeing / n
    pe = sum(r * c for r, c in zip(rows, columns, strict=True)) / (n * n)
    result.matrix, result.agreeing, result.agreement, result.expected = matrix, agreeing, po, pe
    if pe == 1:
        result.reason = (
            "Cohen's kappa is not defined when both raters put every review in one and the same "
            "level."
        )
    else:
        result.kappa = (po - pe) / (1 - pe)
    return result


# --- From a sample ----------------------------------------------------------------------------


RATINGS = (
    ("review_rating", "Review ratings", "Table 4.6"),
    ("action_plan_rating", "Action plan ratings", "Table 4.7"),
)


def sample_pairs(sample) -> list[dict]:
    """One row per submitted independent assessment of the sample: its provider and both raters'
    levels of each rating."""
    from qa.models import IndependentAssessment, IndependentStatus

    assessments = (
        IndependentAssessment.objects.filter(
            assignment__sample=sample,
            status=IndependentStatus.SUBMITTED,
            assignment__central_assessment__isnull=False,
        )
        .select_related(
            "assignment__central_assessment",
            "assignment__case__managing_provider",
            "assignment__case__reviewing_provider",
        )
        .order_by("assignment__case_id")
    )
    return [
        {
            "provider": a.assignment.case.review_provider,
            "central_scale": a.assignment.central_assessment.scale_id,
            **{
                name: (
                    getattr(a.assignment.central_assessment, f"{name}_id"),
                    getattr(a, f"{name}_id"),
                )
                for name, _, _ in RATINGS
            },
        }
        for a in assessments
    ]


def sample_concordance(sample) -> dict:
    """The report of a sample: overall and per provider, for each rating, a Concordance; with the
    scales and the mapping it used."""
    from qa.models import RatingLevel, RatingScale, ScaleMapping, ScaleUse
    from qa.services import find_scale

    rows = sample_pairs(sample)
    central_scales = {row["central_scale"] for row in rows}
    reason = ""
    if len(central_scales) > 1:
        central_scale = None
        reason = "The central ratings of this sample were given on more than one scale."
    elif central_scales:
        central_scale = RatingScale.objects.get(pk=central_scales.pop())
    else:
        central_scale = find_scale(ScaleUse.CENTRAL)
    central_levels = (
        list(RatingLevel.objects.filter(scale=central_scale).order_by("position"))
        if central_scale
        else []
    )
    independent_levels = list(RatingLevel.objects.filter(scale=sample.scale).order_by("position"))
    mapping = dict(
        ScaleMapping.objects.filter(independent_level__scale=sample.scale).values_list(
            "independent_level_id", "central_level_id"
        )
    )
    if reason:
        mapping = {}

    def tables(subset):
        out = []
        for name, title, table in RATINGS:
            result = concordance(
                [row[name] for row in subset], central_levels, independent_levels, mapping
            )
            if reason:
                result.reason = reason
            out.append({"name": name, "title": title, "table": table, "result": result})
        return out

    providers: dict[int, dict] = {}
    for row in rows:
        providers.setdefault(row["provider"].pk, {"provider": row["provider"], "rows": []})
        providers[row["provider"].pk]["rows"].append(row)
    return {
        "sample": sample,
        "central_scale": central_scale,
        "central_levels": central_levels,
        "independent_levels": independent_levels,
        "mapping": [
            (level, next((c for c in central_levels if c.pk == mapping.get(level.pk)), None))
            for level in independent_levels
        ],
        "mapped": bool(mapping),
        "pairs": len(rows),
        "overall": tables(rows),
        "providers": [
            {"provider": p["provider"], "tables": tables(p["rows"])}
            for _, p in sorted(providers.items(), key=lambda item: item[1]["provider"].name)
        ],
    }
