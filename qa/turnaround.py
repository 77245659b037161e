"""Turnaround and backlog of central QA: the figures the inspection could not get (issue 6, item 5).

Pure reads, in a constant number of queries however many cases there are: the rows each figure
needs are pulled in one query (or aggregated in SQL) and the working days counted in Python
against one snapshot of the working calendar.

What is counted, and how:

- **A submission** is a central QA clock (`Clock` of kind "central_qa"): each submission and
  re-submission to the central team starts one, on the day of submission (`started_on`), and
  giving the feedback meets it (`met_on`). A cancelled clock is not counted anywhere.
- **Waiting (the backlog)**: central QA clocks still open (running, or stopped awaiting
  something) today, whatever the period: submissions not yet given feedback. A stopped clock is
  still waiting from the provider's point of view, so its days keep counting.
  *Beyond 20 working days*: more than 20 working days since submission (21 or more). *Past its
  due date*: its stored due date, which extensions and stops move, is before today.
- **Working days from submission to feedback** follow the clocks' own rule (DOMAIN.md, "the next
  working day counts as day 1"): the day of submission does not count, the day of feedback does.
  Feedback on the 20th working day after submission is 20, and so within the 20 working days;
  feedback the day of submission is 0. `WorkingCalendar.working_days_between(started_on,
  met_on)` is exactly that count. Calendar days are `met_on - started_on`. Time a clock was
  stopped is included: it is how long the provider waited for feedback.
- **Turnaround** counts the submissions whose feedback was given in the period (by `met_on`),
  per month of feedback and per provider.
- **The provider** of a case is its review provider: the provider directed to carry out the
  review (`reviewing_provider`), else the managing provider.
- **Ratings distribution** (shadow ratings): every completed central assessment (every round)
  whose feedback was given in the period (by the local date of `completed_at`), the review
  rating and the action plan rating apart, per level of the central scale in force, per
  provider and overall. Levels of an older central scale, if any were used, follow as extra
  columns.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from math import floor

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from qa.models import AssessmentStatus, QAAssessment, RatingLevel, RatingScale, ScaleUse
from sfo.clocks.calendar import WorkingCalendar
from sfo.clocks.models import OPEN_STATUSES, Clock, ClockKind, ClockStatus

TARGET_WORKING_DAYS = 20


# --- Arithmetic -----------------------------------------------------------------------------


def percentile(values: Sequence[float], p: float) -> float | None:
    """The p-th percentile (0 <= p <= 100) of the values, by linear interpolation between the
    closest ranks: the definition of PostgreSQL's `percentile_cont` and of numpy's default.

    Sort the n values x[0] <= ... <= x[n-1]; take h = (n - 1) * p / 100; the percentile is
    x[floor(h)] + (h - floor(h)) * (x[floor(h) + 1] - x[floor(h)]). So the median (p = 50) of an
    even number of values is the mean of the middle two, and the 90th percentile of [6, 20, 24]
    is 20 + 0.8 * (24 - 20) = 23.2. None when there are no values."""
    if not 0 <= p <= 100:
        raise ValueError("A percentile is between 0 and 100")
    ordered = sorted(values)
    if not ordered:
        return None
    h = (len(ordered) - 1) * p / 100
    low = floor(h)
    if low + 1 >= len(ordered):
        return float(ordered[low])
    return ordered[low] + (h - low) * (ordered[low + 1] - ordered[low])


class WorkingDayIndex:
    """Working days between any two dates of a range, each in constant time: one pass over the
    range instead of one per pair. Agrees with `WorkingCalendar.working_days_between`."""

    def __init__(self, calendar: WorkingCalendar, first: date, last: date):
        self.first = first
        self._count: list[int] = [0]
        day, count = first, 0
        while day < last:
            day += timedelta(days=1)
            count += calendar.is_working_day(day)
            self._count.append(count)

    def _at(self, day: date) -> int:
        return self._count[(day - self.first).days]

    def between(self, a: date, b: date) -> int:
        """Working days after `a` up to and including `b` (negative when b is before a)."""
        return self._at(b) - self._at(a)


def _index_for(calendar: WorkingCalendar, days: Iterable[date]) -> WorkingDayIndex:
    days = list(days)
    if not days:
        today = timezone.localdate()
        return WorkingDayIndex(calendar, today, today)
    return WorkingDayIndex(calendar, min(days), max(days))


# --- The figures ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Provider:
    pk: int
    name: str


@dataclass
class BacklogRow:
    """Submissions waiting for feedback today, for one provider or overall."""

    label: str
    waiting: int = 0
    beyond_target: int = 0
    past_due: int = 0
    oldest_started_on: date | None = None
    oldest_working_days: int | None = None
    oldest_case_id: int | None = None
    oldest_reference: str = ""


@dataclass
class TurnaroundRow:
    """Submissions given feedback in a month, by a provider, or overall."""

    label: str
    working_days: list[int] = field(default_factory=list)
    calendar_days: list[int] = field(default_factory=list)

    def add(self, working: int, calendar: int) -> None:
        self.working_days.append(working)
        self.calendar_days.append(calendar)

    @property
    def count(self) -> int:
        return len(self.working_days)

    @property
    def within_target(self) -> int:
        return sum(1 for days in self.working_days if days <= TARGET_WORKING_DAYS)

    @property
    def share_within_target(self) -> float | None:
        """Percentage of the submissions given feedback within 20 working days."""
        return 100 * self.within_target / self.count if self.count else None

    @property
    def median_working_days(self) -> float | None:
        return percentile(self.working_days, 50)

    @property
    def p90_working_days(self) -> float | None:
        return percentile(self.working_days, 90)

    @property
    def median_calendar_days(self) -> float | None:
        return percentile(self.calendar_days, 50)

    @property
    def p90_calendar_days(self) -> float | None:
        return percentile(self.calendar_days, 90)


@dataclass
class LevelCount:
    label: str
    count: int
    share: float | None  # percentage of the row's total


@dataclass
class RatingRow:
    """How often each level was given, for one provider or overall."""

    label: str
    total: int
    levels: list[LevelCount]


@dataclass
class RatingsDistribution:
    levels: list[str]
    review_overall: RatingRow
    review_by_provider: list[RatingRow]
    action_plan_overall: RatingRow
    action_plan_by_provider: list[RatingRow]

    @property
    def is_empty(self) -> bool:
        return self.review_overall.total == 0


@dataclass
class Figures:
    start: date
    end: date
    today: date
    provider: Provider | None
    backlog: BacklogRow
    backlog_by_provider: list[BacklogRow]
    turnaround: TurnaroundRow
    turnaround_by_month: list[TurnaroundRow]
    turnaround_by_provider: list[TurnaroundRow]
    ratings: RatingsDistribution

    @property
    def is_empty(self) -> bool:
        return not self.backlog.waiting and not self.turnaround.count and self.ratings.is_empty


# --- Queries --------------------------------------------------------------------------------


def _provider_q(provider: int | None, prefix: str = "case__") -> Q:
    if provider is None:
        return Q()
    return Q(**{f"{prefix}reviewing_provider_id": provider}) | Q(
        **{f"{prefix}reviewing_provider__isnull": True, f"{prefix}managing_provider_id": provider}
    )


def _scoped(queryset: QuerySet, provider: int | None, cases: QuerySet | None) -> QuerySet:
    queryset = queryset.filter(_provider_q(provider))
    if cases is not None:
        queryset = queryset.filter(case__in=cases.values("pk"))
    return queryset.annotate(
        provider_id=Coalesce("case__reviewing_provider_id", "case__managing_provider_id"),
        provider_name=Coalesce("case__reviewing_provider__name", "case__managing_provider__name"),
    )


def backlog(
    *,
    today: date,
    provider: int | None = None,
    cases: QuerySet | None = None,
    calendar: WorkingCalendar,
) -> tuple[BacklogRow, list[BacklogRow]]:
    """Submissions waiting for feedback today, overall and per provider (by name). One query."""
    rows = list(
        _scoped(
            Clock.objects.filter(kind=ClockKind.CENTRAL_QA, status__in=OPEN_STATUSES),
            provider,
            cases,
        )
        .order_by("started_on", "pk")
        .values(
            "started_on", "due_on", "case_id", "case__reference", "provider_id", "provider_name"
        )
    )
    index = _index_for(calendar, [today, *(r["started_on"] for r in rows)])
    overall = BacklogRow("All providers")
    per_provider: dict[int, BacklogRow] = {}
    for row in rows:
        mine = per_provider.setdefault(row["provider_id"], BacklogRow(row["provider_name"]))
        waited = index.between(row["started_on"], today)
        for tally in (overall, mine):
            tally.waiting += 1
            tally.beyond_target += waited > TARGET_WORKING_DAYS
            tally.past_due += row["due_on"] < today
            if tally.oldest_started_on is None:  # rows come oldest first
                tally.oldest_started_on = row["started_on"]
                tally.oldest_working_days = waited
                tally.oldest_case_id = row["case_id"]
                tally.oldest_reference = row["case__reference"] or ""
    return overall, sorted(per_provider.values(), key=lambda r: r.label)


def _months(start: date, end: date) -> list[date]:
    """The first day of each month the period touches."""
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def turnaround(
    *,
    start: date,
    end: date,
    provider: int | None = None,
    cases: QuerySet | None = None,
    calendar: WorkingCalendar,
) -> tuple[TurnaroundRow, list[TurnaroundRow], list[TurnaroundRow]]:
    """Submission to feedback for the feedback given from `start` to `end` inclusive: overall,
    per month of feedback (every month of the period, empty ones included) and per provider (by
    name). One query."""
    rows = list(
        _scoped(
            Clock.objects.filter(
                kind=ClockKind.CENTRAL_QA, status=ClockStatus.MET, met_on__range=(start, end)
            ),
            provider,
            cases,
        ).values_list("started_on", "met_on", "provider_id", "provider_name")
    )
    index = _index_for(calendar, [day for row in rows for day in row[:2]])
    overall = TurnaroundRow("All months")
    by_month = {month: TurnaroundRow(f"{month:%B %Y}") for month in _months(start, end)}
    by_provider: dict[int, TurnaroundRow] = {}
    for started_on, met_on, provider_id, provider_name in rows:
        working, days = index.between(started_on, met_on), (met_on - started_on).days
        overall.add(working, days)
        by_month[met_on.replace(day=1)].add(working, days)
        by_provider.setdefault(provider_id, TurnaroundRow(provider_name)).add(working, days)
    return overall, list(by_month.values()), sorted(by_provider.values(), key=lambda r: r.label)


def _central_levels(today: date) -> list[str]:
    """The labels of the central scale in force today, best first. One query."""
    in_force = (
        RatingScale.objects.filter(use=ScaleUse.CENTRAL, in_force_from__lte=today)
        .order_by("-in_force_from", "-pk")
        .values("pk")[:1]
    )
    return list(
        RatingLevel.objects.filter(scale__in=in_force)
        .order_by("position")
        .values_list("label", flat=True)
    )


def _distribution(counts: dict[str, int], levels: list[str], label: str) -> RatingRow:
    total = sum(counts.values())
    return RatingRow(
        label,
        total,
        [
            LevelCount(
                level, counts.get(level, 0), 100 * counts.get(level, 0) / total if total else None
            )
            for level in levels
        ],
    )


def ratings_distribution(
    *,
    start: date,
    end: date,
    today: date,
    provider: int | None = None,
    cases: QuerySet | None = None,
) -> RatingsDistribution:
    """The review and action plan ratings of the central assessments completed from `start` to
    `end` inclusive (local dates), per level, per provider (by name) and overall. Three queries,
    counted in SQL."""
    levels = _central_levels(today)
    completed = _scoped(
        QAAssessment.objects.filter(
            status=AssessmentStatus.COMPLETED,
            completed_at__date__gte=start,
            completed_at__date__lte=end,
        ),
        provider,
        cases,
    )
    result = {}
    names: dict[int, str] = {}
    extra: dict[str, tuple[int, int]] = {}
    for which in ("review_rating", "action_plan_rating"):
        counts: dict[int, dict[str, int]] = defaultdict(dict)
        for row in (
            completed.values("provider_id", "provider_name")
            .annotate(
                level=F(f"{which}__label"),
                position=F(f"{which}__position"),
                scale_id=F(f"{which}__scale_id"),
                n=Count("pk"),
            )
            .order_by()
        ):
            names[row["provider_id"]] = row["provider_name"]
            counts[row["provider_id"]][row["level"]] = row["n"]
            if row["level"] not in levels:
                extra[row["level"]] = (row["scale_id"], row["position"])
        result[which] = counts
    levels = levels + sorted(extra, key=lambda label: extra[label])

    def rows(counts: dict[int, dict[str, int]]) -> tuple[RatingRow, list[RatingRow]]:
        overall: dict[str, int] = defaultdict(int)
        for per_level in counts.values():
            for level, n in per_level.items():
                overall[level] += n
        per_provider = sorted(
            (_distribution(counts[pk], levels, names[pk]) for pk in counts),
            key=lambda r: r.label,
        )
        return _distribution(overall, levels, "All providers"), per_provider

    review_overall, review_by_provider = rows(result["review_rating"])
    plan_overall, plan_by_provider = rows(result["action_plan_rating"])
    return RatingsDistribution(
        levels, review_overall, review_by_provider, plan_overall, plan_by_provider
    )


def turnaround_figures(
    *,
    start: date,
    end: date,
    provider: Provider | None = None,
    cases: QuerySet | None = None,
    today: date | None = None,
    calendar: WorkingCalendar | None = None,
) -> Figures:
    """Every figure of the turnaround page, for a period and optionally one provider. `cases`
    narrows the cases counted (pass `visible_cases(user)`). Six queries, whatever the number of
    cases: the calendar, the backlog, the turnaround, the central scale and two rating counts."""
    today = today or timezone.localdate()
    calendar = calendar or WorkingCalendar.current()
    provider_pk = provider.pk if provider else None
    waiting, waiting_by_provider = backlog(
        today=today, provider=provider_pk, cases=cases, calendar=calendar
    )
    overall, by_month, by_provider = turnaround(
        start=start, end=end, provider=provider_pk, cases=cases, calendar=calendar
    )
    ratings = ratings_distribution(
        start=start, end=end, today=today, provider=provider_pk, cases=cases
    )
    return Figures(
        start=start,
        end=end,
        today=today,
        provider=provider,
        backlog=waiting,
        backlog_by_provider=waiting_by_provider,
        turnaround=overall,
        turnaround_by_month=by_month,
        turnaround_by_provider=by_provider,
        ratings=ratings,
    )
