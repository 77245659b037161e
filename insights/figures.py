"""The national picture (recommendations 2, 12 and 13): the figures of the inspection's
"Contextual facts" and its tables 1.2, 1.3 and 4.2-4.7, computed live from the data, per provider
and nationally. Figures only: no name, reference or other personal detail leaves this module,
but for `versions_submitted_in`, the submitted versions the annual report takes good practice
from (and redacts, `insights.report`).

Every figure set is one aggregate query grouped by provider, each a single pass over its rows
(grouping sets where one pass counts several ways; no subquery run per row), so the number of
queries is the same however many cases there are (`compute_picture` makes 13). The national
figure is the sum of the providers'; a provider's own figures and the benchmarking table are read
from the same counts, so one computation serves every view of a period, and `picture` keeps it in
the cache until the data it counts changes (one query, the data version, when cached).

What is counted, and how (docs/adr/0014-the-national-picture.md gives the reasons):

- **Notifications**: the cases notified to the central team in the period (the local date of
  `Case.notified_at`), by their **managing provider**, the supervising body (table 1.2), except
  those the central team rejected (state rejected): a rejected notification is not an SFO, so it
  is left out of every figure and counted apart (`rejected`). The offence type is the category
  (violent or sexual) of the case's principal charge, its first charged offence. **Automatic**:
  the qualification as registered after any override by the central team
  (`qualification_override`, else `qualification`). RoSH is counted twice: the **highest** risk
  of serious harm assessed during the supervision (`Case.highest_rosh`), as the inspection's
  contextual facts count it for all notifications ("48% high/very high") and its table 1.3 for
  the notifications for murder (the principal charge Annexe 1 entry 1, murder itself, not an
  attempt or other inchoate form); and the risk at the time of the offence
  (`Case.rosh_at_offence`), as its table 4.2 asks of a review. The supervision type is the order
  or licence the person was under.
- **Conviction rate**: of the notifications of the period whose court outcome is known (not
  pending), the share convicted of a qualifying offence.
- **Clocks**: every clock due in the period, cancelled ones left out. Met on time: met on or
  before its due date. Compliance is met on time over the clocks whose outcome is known (met, or
  still open past the due date); clocks still open and not yet due are shown apart. The provider
  of a notification clock is the managing provider; of every other, the review provider.
- **The review provider** (every figure about the review): the provider directed to carry out
  the review, else the managing provider, as in `qa.turnaround`.
- **QA ratings and turnaround**: `qa.turnaround.ratings_distribution` and `qa.turnaround
  .turnaround`, reused as they are: central assessments completed and feedback given in the
  period.
- **The review questions' yes-rates** (tables 4.3-4.5): the answers to each question of the QA
  standards in the central assessments completed in the period.
- **Disclosure take-up**: `victims.take_up.take_up`, reused, for the people whose case had its
  conviction in the period (by managing provider, as there).
- **Themes**: a review counts once for a theme when any of its findings or actions is tagged
  with it. Reviews are dated by their first submission to the central team (the start of their
  first central QA clock). Frequency: the share of the reviews submitted in the period; trend:
  the same share in each of the five calendar years to the end of the period."""

import hashlib
import logging
from collections import defaultdict
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace

from django.core.cache import cache
from django.db import connection
from django.db.models import Case as Choose
from django.db.models import Count, F, OuterRef, Q, Subquery, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from redis.exceptions import RedisError

from offences.models import Category, RoSH
from offences.qualification import Outcome as Qualification
from qa.models import AssessmentStatus, QAAnswer, QAAssessment
from qa.turnaround import TARGET_WORKING_DAYS, ratings_distribution, turnaround
from reviews.models import (
    Answer,
    ChargedOffence,
    CourtOutcome,
    Finding,
    Review,
    ReviewAction,
    ReviewVersion,
    Standard,
    SupervisionType,
    Theme,
    VersionPurpose,
)
from reviews.models import Case as SFOCase
from reviews.workflow import CaseState
from sfo.clocks.calendar import WorkingCalendar
from sfo.clocks.models import OPEN_STATUSES, Clock, ClockKind, ClockStatus
from sfo.people.models import PROVIDER_KINDS, Organisation
from sfo.people.roles import Role
from victims.take_up import take_up

TREND_YEARS = 5
NONE = ""  # the key of a blank category, RoSH or supervision type


@dataclass(frozen=True)
class Rate:
    """A share: `part` of `whole`, as a percentage (None when there is nothing to divide)."""

    part: int
    whole: int

    @property
    def percent(self) -> float | None:
        return 100 * self.part / self.whole if self.whole else None


@dataclass(frozen=True)
class Provider:
    pk: int
    name: str
    area: str
    kind: str


Counts = dict[int, dict]  # {provider id: {key: count}}


def _sum(counts: Counts) -> dict:
    """The national figure: the providers' counts added up, key by key."""
    total: dict = defaultdict(int)
    for per_key in counts.values():
        for key, n in per_key.items():
            total[key] += n
    return dict(total)


def _int_counts() -> defaultdict:
    return defaultdict(int)


def _counts() -> Counts:
    """Counts to fill: {provider id: {key: count}}, zero where nothing was added."""
    return defaultdict(_int_counts)


@dataclass
class Picture:
    """Every figure of a period, per provider (by id) and nationally. The national roles see it
    all; a provider's managers see their provider's beside the national figure."""

    start: date
    end: date
    today: date
    providers: list[Provider]
    # Notifications: {provider: {(year, category, automatic): n}} and per single dimension;
    # RoSH at the offence {level: n}, highest RoSH {(level, for murder): n}. Rejected
    # notifications are in none of them: {provider: {"rejected": n}}.
    notifications: Counts
    rosh: Counts
    highest_rosh: Counts
    supervision: Counts
    outcomes: Counts
    rejected: Counts
    # Clocks: {provider: {(kind, measure): n}}.
    clocks: Counts
    # QA: `qa.turnaround` rows (labelled by provider name).
    ratings: object
    turnaround_overall: object
    turnaround_by_provider: dict[str, object]
    # Standards: {provider: {(position, question, scope, answer): n}}.
    standards: Counts
    take_up: object
    # Themes: {provider: {(theme id, in period or year): reviews}}; reviews submitted likewise.
    themes: list[Theme]
    theme_counts: Counts
    submitted: Counts
    trend_years: list[int] = field(default_factory=list)

    def provider(self, pk: int | None) -> Provider | None:
        return next((p for p in self.providers if p.pk == pk), None)

    def of(self, counts: Counts, pk: int | None) -> dict:
        """One provider's counts, or the national ones for None."""
        return _sum(counts) if pk is None else dict(counts.get(pk, {}))

    # --- The main rates, per provider or national (the benchmarking table) ------------------

    def notified(self, pk: int | None) -> int:
        return sum(self.of(self.notifications, pk).values())

    def share_of(self, counts: Counts, pk: int | None, wanted) -> Rate:
        mine = self.of(counts, pk)
        return Rate(sum(n for k, n in mine.items() if wanted(k)), sum(mine.values()))

    def violent(self, pk: int | None) -> Rate:
        return self.share_of(self.notifications, pk, lambda k: k[1] == Category.VIOLENT)

    def sexual(self, pk: int | None) -> Rate:
        return self.share_of(self.notifications, pk, lambda k: k[1] == Category.SEXUAL)

    def automatic(self, pk: int | None) -> Rate:
        return self.share_of(self.notifications, pk, lambda k: k[2])

    def high_rosh(self, pk: int | None) -> Rate:
        """The share whose highest RoSH during supervision was high or very high (the
        inspection's contextual facts)."""
        return self.share_of(self.highest_rosh, pk, lambda k: k[0] in (RoSH.HIGH, RoSH.VERY_HIGH))

    def highest_rosh_by_level(self, *, murder_only: bool = False) -> Counts:
        """{provider: {highest RoSH level: n}}, of every notification or of those for murder
        (table 1.3)."""
        out = _counts()
        for provider, per_key in self.highest_rosh.items():
            for (level, murder), n in per_key.items():
                if murder or not murder_only:
                    out[provider][level] += n
        return out

    def rejected_count(self, pk: int | None) -> int:
        return self.of(self.rejected, pk).get("rejected", 0)

    def conviction_rate(self, pk: int | None) -> Rate:
        mine = self.of(self.outcomes, pk)
        known = sum(n for k, n in mine.items() if k != CourtOutcome.PENDING)
        return Rate(mine.get(CourtOutcome.CONVICTED_QUALIFYING, 0), known)

    def clock_compliance(self, pk: int | None, kind: str | None = None) -> Rate:
        mine = self.of(self.clocks, pk)
        kinds = [kind] if kind else [k.value for k in ClockKind]
        on_time = sum(mine.get((k, "on_time"), 0) for k in kinds)
        known = sum(mine.get((k, m), 0) for k in kinds for m in ("on_time", "late", "overdue"))
        return Rate(on_time, known)

    def top_rating(self, pk: int | None) -> Rate:
        ratings = self.ratings
        if pk is None:
            row = ratings.review_overall
        else:
            provider = self.provider(pk)
            row = next((r for r in ratings.review_by_provider if r.label == provider.name), None)
        if row is None or not row.levels:
            return Rate(0, 0)
        return Rate(row.levels[0].count, row.total)

    def feedback_in_time(self, pk: int | None) -> Rate:
        if pk is None:
            row = self.turnaround_overall
        else:
            row = self.turnaround_by_provider.get(self.provider(pk).name)
        if row is None:
            return Rate(0, 0)
        return Rate(row.within_target, row.count)

    def standards_yes(self, pk: int | None) -> Rate:
        return self.share_of(self.standards, pk, lambda k: k[3] == Answer.YES)

    def take_up_row(self, pk: int | None):
        if pk is None:
            return self.take_up.total
        return next((r for r in self.take_up.rows if r.provider_id == pk), None)

    def requested(self, pk: int | None) -> Rate:
        row = self.take_up_row(pk)
        return Rate(row.requested, row.informed) if row else Rate(0, 0)

    def reviews_submitted(self, pk: int | None) -> int:
        return self.of(self.submitted, pk).get("period", 0)


# --- The queries ---------------------------------------------------------------------------------


def review_provider(prefix: str = "") -> Coalesce:
    return Coalesce(f"{prefix}reviewing_provider_id", f"{prefix}managing_provider_id")


def notified_in(start: date, end: date):
    """The cases notified to the central team from `start` to `end` inclusive (local dates),
    less those the central team rejected (not SFOs)."""
    return (
        SFOCase.objects.filter(notified_at__date__gte=start, notified_at__date__lte=end)
        .exclude(state=CaseState.REJECTED)
        .order_by()
    )


def _day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The instants from the local midnight starting `start` to the one ending `end`: a filter
    on a time that can use its index, equal to comparing its local date."""
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )


def _notification_sql() -> str:
    """One pass over the notifications of the period, counted five ways at once (grouping
    sets): by year, offence type and automatic; by RoSH at the offence; by highest RoSH and
    whether the notification is for murder; by supervision; by court outcome. The principal
    charge (a case's first charged offence) is found once per case, in one sorted pass, rather
    than by a subquery per case. The notifications the central team rejected are in none of
    these, and are counted per provider apart (the last branch, GROUPING -1)."""
    case, charged = SFOCase._meta.db_table, ChargedOffence._meta.db_table
    offence = ChargedOffence._meta.get_field("offence").related_model._meta.db_table
    # Table names come from the models; every value is a query parameter.
    return f"""
        WITH notified AS (
            SELECT c.id, c.managing_provider_id AS provider,
                   EXTRACT(YEAR FROM c.notified_at AT TIME ZONE %(zone)s)::int AS year,
                   (c.qualification_override = %(automatic)s
                    OR (c.qualification_override = '' AND c.qualification = %(automatic)s))
                       AS automatic,
                   c.rosh_at_offence, c.highest_rosh, c.supervision_type, c.court_outcome,
                   c.state = %(rejected)s AS rejected
            FROM {case} c
            WHERE c.notified_at >= %(from)s AND c.notified_at < %(until)s
        ),
        principal AS (
            SELECT DISTINCT ON (co.case_id) co.case_id, o.category,
                   (o.number = %(murder)s AND co.form = '') AS murder
            FROM {charged} co JOIN {offence} o ON o.id = co.offence_id
            WHERE co.case_id IN (SELECT id FROM notified WHERE NOT rejected)
            ORDER BY co.case_id, co.id
        ),
        counted AS (
            SELECT n.provider, n.year, COALESCE(p.category, %(none)s) AS category, n.automatic,
                   n.rosh_at_offence, n.highest_rosh, COALESCE(p.murder, false) AS murder,
                   n.supervision_type, n.court_outcome
            FROM notified n LEFT JOIN principal p ON p.case_id = n.id
            WHERE NOT n.rejected
        )
        SELECT provider,
               GROUPING(year, rosh_at_offence, highest_rosh, supervision_type, court_outcome),
               year, category, automatic, rosh_at_offence, highest_rosh, murder,
               supervision_type, court_outcome, COUNT(*)
        FROM counted
        GROUP BY GROUPING SETS (
            (provider, year, category, automatic),
            (provider, rosh_at_offence),
            (provider, highest_rosh, murder),
            (provider, supervision_type),
            (provider, court_outcome)
        )
        UNION ALL
        SELECT provider, -1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, COUNT(*)
        FROM notified WHERE rejected
        GROUP BY provider
    """  # noqa: S608


# GROUPING(year, rosh, highest rosh, supervision, outcome) of each grouping set: a bit set for
# each column left out of the set, the first column the highest bit; -1 the rejected ones.
_BY_TYPE, _BY_ROSH, _BY_HIGHEST = 0b01111, 0b10111, 0b11011
_BY_SUPERVISION, _BY_OUTCOME, _REJECTED = 0b11101, 0b11110, -1
MURDER = 1  # the entry of murder in Annexe 1 (`Offence.number`)


def _notification_counts(start: date, end: date) -> tuple[Counts, ...]:
    """One query: by year, offence type and automatic; by RoSH at the offence; by highest RoSH
    (and murder); by supervision; by outcome; and the rejected notifications."""
    since, until = _day_bounds(start, end)
    params = {
        "zone": timezone.get_current_timezone_name(),
        "automatic": Qualification.AUTOMATIC.value,
        "rejected": CaseState.REJECTED.value,
        "murder": MURDER,
        "none": NONE,
        "from": since,
        "until": until,
    }
    by_type, rosh, highest, supervision, outcomes, rejected = (_counts() for _ in range(6))
    with connection.cursor() as cursor:
        cursor.execute(_notification_sql(), params)
        for row in cursor.fetchall():
            provider, grouping, year, category, automatic, at_offence, top, murder, *rest = row
            kind, outcome, n = rest
            if grouping == _BY_TYPE:
                by_type[provider][(year, category, automatic)] += n
            elif grouping == _BY_ROSH:
                rosh[provider][at_offence] += n
            elif grouping == _BY_HIGHEST:
                highest[provider][(top, murder)] += n
            elif grouping == _BY_SUPERVISION:
                supervision[provider][kind] += n
            elif grouping == _BY_OUTCOME:
                outcomes[provider][outcome] += n
            elif grouping == _REJECTED:
                rejected[provider]["rejected"] += n
    return by_type, rosh, highest, supervision, outcomes, rejected


def _clock_counts(start: date, end: date, today: date) -> Counts:
    """Clocks due in the period by provider and kind: met on time, met late, open past due, open
    not yet due. One query."""
    met = Q(status=ClockStatus.MET)
    open_ = Q(status__in=OPEN_STATUSES)
    rows = (
        Clock.objects.filter(due_on__range=(start, end))
        .exclude(status=ClockStatus.CANCELLED)
        .annotate(
            provider=Choose(
                When(kind=ClockKind.NOTIFICATION, then=F("case__managing_provider_id")),
                default=review_provider("case__"),
            )
        )
        .values("provider", "kind")
        .annotate(
            on_time=Count("pk", filter=met & Q(met_on__lte=F("due_on"))),
            late=Count("pk", filter=met & Q(met_on__gt=F("due_on"))),
            overdue=Count("pk", filter=open_ & Q(due_on__lt=today)),
            pending=Count("pk", filter=open_ & Q(due_on__gte=today)),
        )
        .order_by()
    )
    out: Counts = defaultdict(dict)
    for row in rows:
        for measure in ("on_time", "late", "overdue", "pending"):
            out[row["provider"]][(row["kind"], measure)] = row[measure]
    return out


def _standard_counts(start: date, end: date) -> Counts:
    """The answers to each QA standard in the central assessments completed in the period. One
    query: the answers are counted per standard first, and only then labelled with the question
    (a question asked in several sets of standards is one row, at its first position)."""
    answer, assessment = QAAnswer._meta.db_table, QAAssessment._meta.db_table
    case, standard = SFOCase._meta.db_table, Standard._meta.db_table
    sql = f"""
        WITH counted AS (
            SELECT COALESCE(c.reviewing_provider_id, c.managing_provider_id) AS provider,
                   a.standard_id, a.answer, COUNT(*) AS n
            FROM {answer} a
            JOIN {assessment} s ON s.id = a.assessment_id
            JOIN {case} c ON c.id = s.case_id
            WHERE s.status = %(completed)s
              AND s.completed_at >= %(from)s AND s.completed_at < %(until)s
            GROUP BY 1, 2, 3
        )
        SELECT x.provider, st.question, st.scope, x.answer, SUM(x.n)::int, MIN(st.position)
        FROM counted x JOIN {standard} st ON st.id = x.standard_id
        GROUP BY 1, 2, 3, 4
    """  # noqa: S608
    since, until = _day_bounds(start, end)
    out = _counts()
    with connection.cursor() as cursor:
        cursor.execute(
            sql, {"completed": AssessmentStatus.COMPLETED.value, "from": since, "until": until}
        )
        for provider, question, scope, answer_, n, position in cursor.fetchall():
            out[provider][(position, question, scope, answer_)] += n
    return out


def _theme_sql() -> str:
    """Reviews per provider and theme, and reviews submitted per provider (theme NULL), each in
    the period and per year of the trend, in one query. A review is dated by its first
    submission to the central team."""
    case, review, clock = (
        SFOCase._meta.db_table,
        Review._meta.db_table,
        Clock._meta.db_table,
    )
    finding, action = Finding._meta.db_table, ReviewAction._meta.db_table
    finding_themes = Finding.themes.through._meta.db_table
    action_themes = ReviewAction.themes.through._meta.db_table
    # Table names come from the models; every value is a query parameter. A case has at most one
    # review, so its first central QA clock dates its review.
    return f"""
        WITH submitted AS (
            SELECT r.id AS review_id,
                   COALESCE(c.reviewing_provider_id, c.managing_provider_id) AS provider_id,
                   CASE WHEN k.submitted_on BETWEEN %(start)s AND %(end)s
                        THEN 'period' END AS in_period,
                   CASE WHEN EXTRACT(YEAR FROM k.submitted_on) BETWEEN %(first)s AND %(last)s
                        THEN EXTRACT(YEAR FROM k.submitted_on)::int END AS year
            FROM (
                SELECT case_id, MIN(started_on) AS submitted_on FROM {clock}
                WHERE kind = %(central_qa)s GROUP BY case_id
            ) k
            JOIN {case} c ON c.id = k.case_id
            JOIN {review} r ON r.case_id = k.case_id
            WHERE k.submitted_on BETWEEN %(start)s AND %(end)s
               OR EXTRACT(YEAR FROM k.submitted_on) BETWEEN %(first)s AND %(last)s
        ),
        tagged AS (
            SELECT f.review_id, ft.theme_id FROM {finding_themes} ft
            JOIN {finding} f ON f.id = ft.finding_id
            UNION
            SELECT a.review_id, at.theme_id FROM {action_themes} at
            JOIN {action} a ON a.id = at.reviewaction_id
        )
        SELECT s.provider_id, NULL, s.in_period, s.year, COUNT(*)
        FROM submitted s
        GROUP BY 1, 3, 4
        UNION ALL
        SELECT s.provider_id, t.theme_id, s.in_period, s.year, COUNT(*)
        FROM submitted s JOIN tagged t ON t.review_id = s.review_id
        GROUP BY 1, 2, 3, 4
    """  # noqa: S608


def _theme_counts(start: date, end: date, years: list[int]) -> tuple[Counts, Counts]:
    """One query: reviews with each theme, and reviews submitted; per provider, keyed by
    "period" or a year of the trend."""
    params = {
        "central_qa": ClockKind.CENTRAL_QA.value,
        "start": start,
        "end": end,
        "first": years[0],
        "last": years[-1],
    }
    tagged, submitted = _counts(), _counts()
    with connection.cursor() as cursor:
        cursor.execute(_theme_sql(), params)
        for provider, theme, in_period, year, n in cursor.fetchall():
            counts, key = (submitted, ()) if theme is None else (tagged, (theme,))
            if in_period:
                counts[provider][(*key, "period") if key else "period"] += n
            if year:
                counts[provider][(*key, year) if key else year] += n
    return tagged, submitted


# A reader of every provider's take-up: `victims.take_up` scopes by its caller's roles, and the
# dashboard has already decided, by its own rule, what its user sees of the figures.
NATIONAL_READER = SimpleNamespace(
    is_authenticated=True, is_active=True, roles=frozenset({Role.ANALYST}), organisation_id=None
)


# --- Cached figures -------------------------------------------------------------------------------

CACHE_SECONDS = 300
DATA_VERSION = "insights_data_version"  # the sequence of migration 0001
# What a cached Picture means: raise it whenever what is counted changes (a release that counts
# by other rules must not read the figures an earlier one cached). Its fields are in the key too,
# so that a Picture of another shape is never read back (its missing fields would fail a page).
FIGURES_REVISION = 2  # 2: rejected notifications left out; highest RoSH counted
VERSION_SQL = f"SELECT last_value, txid_current_if_assigned() FROM {DATA_VERSION}"  # noqa: S608

logger = logging.getLogger(__name__)


def data_version() -> int | None:
    """The version of the data the picture counts from: a sequence moved on by every statement
    that changes one of its tables (migration 0001). None inside a transaction that has itself
    changed something, since what it sees may yet be rolled back: its figures are counted, not
    cached. One query."""
    with connection.cursor() as cursor:
        cursor.execute(VERSION_SQL)
        version, writing = cursor.fetchone()
    return None if writing is not None else version


def cache_key(start: date, end: date, today: date, version: int) -> str:
    """The period, the day and the data version, under the revision and shape of the figures."""
    shape = hashlib.sha256(",".join(f.name for f in fields(Picture)).encode()).hexdigest()[:8]
    return f"insights:picture:r{FIGURES_REVISION}-{shape}:{start}:{end}:{today}:{version}"


def picture(*, start: date, end: date, today: date) -> Picture:
    """Every figure of the period, for every provider and nationally: counted once per period,
    day and data version and kept in the cache (Redis) for `CACHE_SECONDS`, so that the views of
    a period, whoever looks and at which provider, read one computation until the data changes.
    One query when cached (the data version); `compute_picture`'s otherwise. Without Redis the
    figures are counted on each request, as the service keeps answering (ADR 0008)."""
    version = data_version()
    if version is None:
        return compute_picture(start=start, end=end, today=today)
    key = cache_key(start, end, today, version)
    try:
        found = cache.get(key)
    except RedisError:  # Redis down: count the figures, and do not wait on it twice
        logger.warning("The national picture's cache is unavailable", exc_info=True)
        return compute_picture(start=start, end=end, today=today)
    if found is not None:
        return found
    figures = compute_picture(start=start, end=end, today=today)
    try:
        cache.set(key, figures, CACHE_SECONDS)
    except RedisError:
        logger.warning("The national picture's cache is unavailable", exc_info=True)
    return figures


def compute_picture(*, start: date, end: date, today: date) -> Picture:
    """Every figure of the period, for every provider and nationally. A constant number of
    queries (13): providers 1, notifications 1, clocks 1, calendar 1, turnaround 1, ratings 3,
    standards 1, take-up 2 (its counts only), themes 2 (the taxonomy, and the counts)."""
    organisations = list(
        Organisation.objects.filter(kind__in=PROVIDER_KINDS)
        .order_by("name")
        .values_list("pk", "name", "area", "kind", "active")
    )
    notifications, rosh, highest, supervision, outcomes, rejected = _notification_counts(start, end)
    clocks = _clock_counts(start, end, today)
    calendar = WorkingCalendar.current()
    overall, _months, by_provider = turnaround(start=start, end=end, calendar=calendar)
    ratings = ratings_distribution(start=start, end=end, today=today)
    standards = _standard_counts(start, end)
    take_up_figures = take_up(NATIONAL_READER, start=start, end=end, days=False)
    years = list(range(end.year - TREND_YEARS + 1, end.year + 1))
    themes = list(Theme.objects.order_by("position", "name"))
    theme_counts, submitted = _theme_counts(start, end, years)
    # Providers no longer active drop out of the list unless they have figures in the period.
    seen = set(notifications) | set(rejected) | set(clocks) | set(submitted) | set(standards)
    providers = [
        Provider(pk, name, area, kind)
        for pk, name, area, kind, active in organisations
        if active or pk in seen
    ]
    return Picture(
        start=start,
        end=end,
        today=today,
        providers=providers,
        notifications=notifications,
        rosh=rosh,
        highest_rosh=highest,
        supervision=supervision,
        outcomes=outcomes,
        rejected=rejected,
        clocks=clocks,
        ratings=ratings,
        turnaround_overall=overall,
        turnaround_by_provider={row.label: row for row in by_provider},
        standards=standards,
        take_up=take_up_figures,
        themes=themes,
        theme_counts=theme_counts,
        submitted=submitted,
        trend_years=years,
    )


def versions_submitted_in(start: date, end: date) -> list[ReviewVersion]:
    """The latest version submitted to the central team (`VersionPurpose.CENTRAL`) of each review
    first submitted in the period (the start of its first central QA clock, as for the themes),
    in the order they were first submitted; each with `case_pk` and `submitted_on`. What the
    annual report prints good practice from: the review as the provider signed it off, never
    the live rows, which may have been edited since or not yet be sent. One query."""
    first_submission = (
        Clock.objects.filter(case=OuterRef("review__case"), kind=ClockKind.CENTRAL_QA)
        .order_by("started_on")
        .values("started_on")[:1]
    )
    latest = (
        ReviewVersion.objects.filter(purpose=VersionPurpose.CENTRAL)
        .annotate(submitted_on=Subquery(first_submission), case_pk=F("review__case_id"))
        .filter(submitted_on__range=(start, end))
        .order_by("review_id", "-number")
        .distinct("review_id")
    )
    return sorted(latest, key=lambda version: (version.submitted_on, version.review_id))


__all__ = [
    "Rate",
    "Provider",
    "Picture",
    "picture",
    "compute_picture",
    "data_version",
    "notified_in",
    "versions_submitted_in",
    "TARGET_WORKING_DAYS",
    "SupervisionType",
]
