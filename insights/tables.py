"""The national picture laid out as tables: each with a name (its CSV's), a caption, its column
headers, its rows (the first cell heads the row) and the bars of its chart. The page, the CSV and
the annual report all print these, so that a chart and its data table never disagree.

A table shows one or two scopes side by side: the provider chosen (or the user's own) and the
national figure; the national figure alone when no provider is chosen. The benchmarking tables
show every provider, one row each, and the national figure.

Small numbers: in the benchmarking tables shown to a provider's managers, the other providers'
counts from 1 to 4, and their shares that would give back such a count (part, whole or rest from
1 to 4), are suppressed (`SUPPRESSED`), and where a column would then hold a single suppressed
figure, the smallest other one is suppressed too, so that the national figure less those shown
does not give it back: the figures are aggregates, but a handful of serious offences in one area
in one period can be recognised from the news. The central team, analysts and chief officers,
who may see every case, see every figure; so does a provider for its own row."""

from dataclasses import dataclass, field

from insights.figures import Picture, Rate
from offences.models import Category, RoSH
from qa.turnaround import TARGET_WORKING_DAYS
from reviews.models import Answer, CourtOutcome, StandardScope, SupervisionType
from sfo.clocks.models import ClockKind
from sfo.people.models import OrganisationKind

SMALL_NUMBER = 5
HIGHEST_HIGH = "High or very high risk of serious harm at its highest during supervision"
REJECTED = "Rejected by the central team (of all received; left out of every other figure)"


class Suppressed:
    """A figure withheld because it is too small to show safely."""

    label = "fewer than 5"

    def __str__(self) -> str:
        return self.label


SUPPRESSED = Suppressed()


@dataclass
class Bar:
    label: str  # the row
    values: list[tuple[str, float | None]]  # (scope, percent) for each scope


@dataclass
class Table:
    name: str
    title: str
    caption: str
    columns: list[str]
    rows: list[list]
    chart: list[Bar] = field(default_factory=list)
    chart_title: str = ""
    note: str = ""

    @property
    def is_empty(self) -> bool:
        return not self.rows


@dataclass(frozen=True)
class Scope:
    label: str
    pk: int | None  # None: national


def scopes_for(picture: Picture, provider_pk: int | None) -> list[Scope]:
    national = Scope("National", None)
    provider = picture.provider(provider_pk) if provider_pk else None
    return [Scope(provider.name, provider.pk), national] if provider else [national]


def _bars(rows: list[list], scopes: list[Scope], rate_columns: list[int]) -> list[Bar]:
    """A bar for each row and scope, from the Rate in each scope's column."""
    return [
        Bar(
            str(row[0]),
            [
                (scope.label, row[col].percent if isinstance(row[col], Rate) else None)
                for scope, col in zip(scopes, rate_columns, strict=True)
            ],
        )
        for row in rows
    ]


def _distribution(
    name: str,
    title: str,
    caption: str,
    picture: Picture,
    scopes: list[Scope],
    counts,
    labels: list[tuple[str, str]],
) -> Table:
    """Rows of a single dimension (RoSH, supervision, outcome): number and share per scope."""
    columns = ["Category"]
    for scope in scopes:
        columns += [f"Number ({scope.label})", f"Percentage ({scope.label})"]
    per_scope = [picture.of(counts, scope.pk) for scope in scopes]
    rows = []
    for key, label in labels:
        row: list = [label]
        for mine in per_scope:
            total = sum(mine.values())
            row += [mine.get(key, 0), Rate(mine.get(key, 0), total)]
        rows.append(row)
    total_row: list = ["Total"]
    for mine in per_scope:
        total = sum(mine.values())
        total_row += [total, Rate(total, total)]
    rows.append(total_row)
    rate_cols = [2 + 2 * i for i in range(len(scopes))]
    return Table(name, title, caption, columns, rows, _bars(rows[:-1], scopes, rate_cols), title)


def notifications(picture: Picture, scopes: list[Scope]) -> Table:
    """The contextual facts: how many, violent or sexual, automatic, convicted."""
    columns = ["Measure"]
    for scope in scopes:
        columns += [f"Number ({scope.label})", f"Percentage ({scope.label})"]
    measures = [
        ("Violent offence", picture.violent),
        ("Sexual offence", picture.sexual),
        ("Automatically qualified for a review", picture.automatic),
        (HIGHEST_HIGH, picture.high_rosh),
        ("Convicted of a qualifying offence (of the outcomes known)", picture.conviction_rate),
    ]
    rows: list[list] = [
        ["Notifications"] + [x for scope in scopes for x in (picture.notified(scope.pk), None)]
    ]
    for label, rate_of in measures:
        row: list = [label]
        for scope in scopes:
            rate = rate_of(scope.pk)
            row += [rate.part, rate]
        rows.append(row)
    rejected: list = [REJECTED]
    for scope in scopes:
        n = picture.rejected_count(scope.pk)
        rejected += [n, Rate(n, n + picture.notified(scope.pk))]
    rows.append(rejected)
    rate_cols = [2 + 2 * i for i in range(len(scopes))]
    return Table(
        "notifications",
        "Notifications",
        "Notifications received in the period: offence type, qualification, risk and conviction",
        columns,
        rows,
        _bars(rows[1:-1], scopes, rate_cols),
        "Notifications: shares",
        note="Notifications the central team rejected are not SFOs: they are left out of every "
        "figure, and shown apart as a share of all the notifications received. The other shares "
        "are of the notifications, except the conviction rate: the share of those whose court "
        "outcome is known. RoSH: the highest risk of serious harm assessed during the "
        "supervision.",
    )


def by_year(picture: Picture, scopes: list[Scope]) -> Table:
    columns = ["Year"]
    for scope in scopes:
        columns += [
            f"Notifications ({scope.label})",
            f"Violent ({scope.label})",
            f"Sexual ({scope.label})",
            f"Automatic ({scope.label})",
        ]
    per_scope = [picture.of(picture.notifications, scope.pk) for scope in scopes]
    years = sorted({key[0] for mine in per_scope for key in mine})
    rows = []
    for year in years:
        row: list = [str(year)]
        for mine in per_scope:
            of_year = {k: n for k, n in mine.items() if k[0] == year}
            total = sum(of_year.values())
            row += [
                total,
                sum(n for k, n in of_year.items() if k[1] == Category.VIOLENT),
                sum(n for k, n in of_year.items() if k[1] == Category.SEXUAL),
                sum(n for k, n in of_year.items() if k[2]),
            ]
        rows.append(row)
    return Table(
        "notifications-by-year",
        "Notifications by year and offence type",
        "Notifications by calendar year of notification, violent or sexual and automatic",
        columns,
        rows,
    )


ROSH_LABELS = [(level.value, level.label) for level in RoSH] + [("", "Not recorded")]


def highest_rosh(picture: Picture, scopes: list[Scope]) -> Table:
    """The inspection's contextual facts: every notification by its highest RoSH."""
    return _distribution(
        "highest-rosh",
        "Highest risk of serious harm during supervision",
        "Notifications by the highest risk of serious harm assessed during the supervision",
        picture,
        scopes,
        picture.highest_rosh_by_level(),
        ROSH_LABELS,
    )


def highest_rosh_murder(picture: Picture, scopes: list[Scope]) -> Table:
    """The inspection's table 1.3: the notifications for murder by their highest RoSH."""
    return _distribution(
        "highest-rosh-murder",
        "Notifications for murder: highest risk of serious harm",
        "Notifications for murder (the principal charge, not an attempt or other inchoate form) "
        "by the highest risk of serious harm assessed during the supervision",
        picture,
        scopes,
        picture.highest_rosh_by_level(murder_only=True),
        ROSH_LABELS,
    )


def rosh(picture: Picture, scopes: list[Scope]) -> Table:
    """The risk at the time of the offence, as the inspection's table 4.2 asks of a review."""
    return _distribution(
        "rosh",
        "Risk of serious harm at the time of the offence",
        "Notifications by the risk of serious harm assessed at the time of the offence (not the "
        "highest during the supervision)",
        picture,
        scopes,
        picture.rosh,
        ROSH_LABELS,
    )


def supervision(picture: Picture, scopes: list[Scope]) -> Table:
    labels = [(kind.value, kind.label) for kind in SupervisionType] + [("", "Not recorded")]
    return _distribution(
        "supervision",
        "Supervision type",
        "Notifications by the order or licence the person was supervised under",
        picture,
        scopes,
        picture.supervision,
        labels,
    )


def outcomes(picture: Picture, scopes: list[Scope]) -> Table:
    labels = [(outcome.value, outcome.label) for outcome in CourtOutcome]
    return _distribution(
        "court-outcomes",
        "Court outcomes",
        "Notifications by the outcome at court",
        picture,
        scopes,
        picture.outcomes,
        labels,
    )


CLOCK_MEASURES = [
    ("on_time", "Met on time"),
    ("late", "Met late"),
    ("overdue", "Open past due"),
    ("pending", "Open, not yet due"),
]


def clocks(picture: Picture, scopes: list[Scope]) -> Table:
    columns = ["Clock"]
    for scope in scopes:
        columns += [f"{label} ({scope.label})" for _, label in CLOCK_MEASURES]
        columns.append(f"Compliance ({scope.label})")
    rows = []
    per_scope = [picture.of(picture.clocks, scope.pk) for scope in scopes]
    for kind in ClockKind:
        row: list = [kind.label]
        for scope, mine in zip(scopes, per_scope, strict=True):
            row += [mine.get((kind.value, m), 0) for m, _ in CLOCK_MEASURES]
            row.append(picture.clock_compliance(scope.pk, kind.value))
        rows.append(row)
    total: list = ["Every clock"]
    for scope, mine in zip(scopes, per_scope, strict=True):
        total += [sum(n for k, n in mine.items() if k[1] == m) for m, _ in CLOCK_MEASURES]
        total.append(picture.clock_compliance(scope.pk))
    rows.append(total)
    step = len(CLOCK_MEASURES) + 1
    rate_cols = [step * (i + 1) for i in range(len(scopes))]
    return Table(
        "clocks",
        "Compliance with the clocks",
        "Clocks due in the period, by kind: met on or before the due date, late, or still open",
        columns,
        rows,
        _bars(rows, scopes, rate_cols),
        "Clocks met on time",
        note="Compliance: clocks met on or before their due date, of those met or past due. "
        "Cancelled clocks are left out.",
    )


def ratings(picture: Picture, scopes: list[Scope], which: str) -> Table:
    distribution = picture.ratings
    overall = getattr(distribution, f"{which}_overall")
    by_provider = {row.label: row for row in getattr(distribution, f"{which}_by_provider")}
    columns = ["Rating"]
    for scope in scopes:
        columns += [f"Number ({scope.label})", f"Percentage ({scope.label})"]
    per_scope = [overall if scope.pk is None else by_provider.get(scope.label) for scope in scopes]
    rows = []
    for i, level in enumerate(distribution.levels):
        row: list = [level]
        for mine in per_scope:
            count = mine.levels[i].count if mine else 0
            row += [count, Rate(count, mine.total if mine else 0)]
        rows.append(row)
    rate_cols = [2 + 2 * i for i in range(len(scopes))]
    what = "review" if which == "review" else "action plan"
    slug = "review" if which == "review" else "action-plan"
    return Table(
        f"qa-ratings-{slug}",
        f"Central QA ratings of the {what}",
        f"Ratings of the {what} in the central QA assessments completed in the period",
        columns,
        rows,
        _bars(rows, scopes, rate_cols),
        f"Ratings of the {what}",
    )


def feedback_turnaround(picture: Picture, scopes: list[Scope]) -> Table:
    columns = ["Measure"] + [scope.label for scope in scopes]
    per_scope = [
        picture.turnaround_overall
        if scope.pk is None
        else picture.turnaround_by_provider.get(scope.label)
        for scope in scopes
    ]

    def value(row, name):
        return getattr(row, name) if row else None

    rows = [
        ["Feedback given"] + [value(r, "count") or 0 for r in per_scope],
        [f"Within {TARGET_WORKING_DAYS} working days"]
        + [picture.feedback_in_time(scope.pk) for scope in scopes],
        ["Median working days"] + [value(r, "median_working_days") for r in per_scope],
        ["90th percentile, working days"] + [value(r, "p90_working_days") for r in per_scope],
        ["Median calendar days"] + [value(r, "median_calendar_days") for r in per_scope],
    ]
    return Table(
        "qa-turnaround",
        "Central QA turnaround",
        "From submission to the central team's feedback, for the feedback given in the period",
        columns,
        rows,
        _bars(rows[1:2], scopes, list(range(1, len(scopes) + 1))),
        f"Feedback within {TARGET_WORKING_DAYS} working days",
    )


def standards(picture: Picture, scopes: list[Scope]) -> Table:
    columns = ["Question"]
    for scope in scopes:
        columns += [
            f"Answered ({scope.label})",
            f"Yes ({scope.label})",
            f"Partly ({scope.label})",
            f"No ({scope.label})",
            f"Yes rate ({scope.label})",
        ]
    per_scope = [picture.of(picture.standards, scope.pk) for scope in scopes]
    questions = sorted(
        {key[:3] for mine in per_scope for key in mine}, key=lambda q: (q[2] != "review", q[0])
    )
    rows = []
    for position, question, scope_key in questions:
        label = f"{question} ({StandardScope(scope_key).label.lower()})"
        row: list = [label]
        for mine in per_scope:
            n = {a: mine.get((position, question, scope_key, a), 0) for a in Answer.values}
            total = sum(n.values())
            row += [total, n[Answer.YES], n[Answer.PARTLY], n[Answer.NO], Rate(n["yes"], total)]
        rows.append(row)
    rate_cols = [5 * (i + 1) for i in range(len(scopes))]
    return Table(
        "review-questions",
        "The review questions: how often the answer was yes",
        "Answers to each question of the QA standards in the central assessments completed in "
        "the period",
        columns,
        rows,
        _bars(rows, scopes, rate_cols),
        "Answered yes",
    )


def take_up_table(picture: Picture, scopes: list[Scope]) -> Table:
    columns = ["Measure"] + [scope.label for scope in scopes]
    per_scope = [picture.take_up_row(scope.pk) for scope in scopes]
    names = [
        ("eligible", "Victims and family members entitled"),
        ("informed", "Told of the entitlement"),
        ("requested", "Asked to see the review"),
        ("assessed", "Assessed"),
        ("disclosed", "Review disclosed at a meeting"),
        ("declined", "Request ended without disclosure"),
    ]
    rows = [[label] + [getattr(r, name, 0) if r else 0 for r in per_scope] for name, label in names]
    rows.append(["Asked, of those told"] + [picture.requested(scope.pk) for scope in scopes])
    return Table(
        "disclosure-take-up",
        "Disclosure take-up",
        "Victims and family members whose case had its conviction for a qualifying offence in "
        "the period (by managing provider)",
        columns,
        rows,
        _bars(rows[-1:], scopes, list(range(1, len(scopes) + 1))),
        "Asked to see the review, of those told",
    )


def themes(picture: Picture, scopes: list[Scope]) -> Table:
    columns = ["Theme"]
    for scope in scopes:
        columns += [f"Reviews ({scope.label})", f"Percentage of reviews ({scope.label})"]
    per_scope = [
        (picture.of(picture.theme_counts, s.pk), picture.reviews_submitted(s.pk)) for s in scopes
    ]
    national = per_scope[-1][0]
    ordered = sorted(picture.themes, key=lambda t: (-national.get((t.pk, "period"), 0), t.position))
    rows = []
    for theme in ordered:
        row: list = [theme.name]
        for counts, submitted in per_scope:
            n = counts.get((theme.pk, "period"), 0)
            row += [n, Rate(n, submitted)]
        if any(row[1::2]) or theme.active:
            rows.append(row)
    rate_cols = [2 + 2 * i for i in range(len(scopes))]
    submitted_row: list = ["Reviews submitted in the period"]
    for _counts, submitted in per_scope:
        submitted_row += [submitted, None]
    return Table(
        "themes",
        "Themes",
        "Reviews submitted in the period with a finding or action tagged with each theme, most "
        "frequent first",
        columns,
        [*rows, submitted_row],
        _bars(rows, scopes, rate_cols),
        "Reviews with the theme",
        note="A review counts once for a theme, however many of its findings and actions carry "
        "it. Reviews are dated by their first submission to the central team.",
    )


def theme_trend(picture: Picture, scope: Scope) -> Table:
    counts = picture.of(picture.theme_counts, scope.pk)
    submitted = picture.of(picture.submitted, scope.pk)
    years = picture.trend_years
    where = "national" if scope.pk is None else scope.label
    columns = ["Theme"] + [f"{year} (% of reviews)" for year in years]
    ordered = sorted(picture.themes, key=lambda t: (-counts.get((t.pk, years[-1]), 0), t.position))
    rows = [
        [theme.name] + [Rate(counts.get((theme.pk, y), 0), submitted.get(y, 0)) for y in years]
        for theme in ordered
        if theme.active or any(counts.get((theme.pk, y)) for y in years)
    ]
    rows.append(["Reviews submitted"] + [submitted.get(y, 0) for y in years])
    return Table(
        "theme-trend",
        f"Themes over {len(years)} years ({where})",
        f"Share of the reviews submitted each year with each theme, {years[0]} to {years[-1]}, "
        f"{scope.label}",
        columns,
        rows,
    )


# --- Benchmarking --------------------------------------------------------------------------------


def _small(n: int) -> bool:
    return 0 < n < SMALL_NUMBER


def _suppress(value, hide: bool):
    """A figure of another provider, withheld if it would tell a count from 1 to 4: a count, or
    a share whose part, whole or rest (whole less part) is one. Notifications 12 and violent
    16.7% would otherwise give back 2 violent, and violent 83.3% the 2 others."""
    if not hide:
        return value
    if isinstance(value, int) and _small(value):
        return SUPPRESSED
    if isinstance(value, Rate) and (
        _small(value.part) or _small(value.whole) or _small(value.whole - value.part)
    ):
        return SUPPRESSED
    return value


def _rank(value) -> tuple | None:
    """Which cell to withhold second, smallest first: one whose part is not nought (which would
    give back the first cell's part just as well), else one whose whole is not; None for a cell
    that hides nothing (nought, or nothing to divide)."""
    if isinstance(value, Rate):
        return (value.part == 0, value.part, value.whole) if value.whole else None
    if isinstance(value, int) and value:
        return (False, value, value)
    return None


def _protect(rows: list[list], hidden: list[bool], first: int) -> None:
    """Secondary suppression. The national figure is never withheld, so where a column holds a
    single withheld figure among the other providers, the national figure less the ones shown
    (and the reader's own) would give it back: withhold the smallest other figure of that column
    too."""
    others = [i for i, hide in enumerate(hidden) if hide]
    for col in range(first, len(rows[0]) if rows else 0):
        if sum(rows[i][col] is SUPPRESSED for i in others) != 1:
            continue
        ranked = [(_rank(rows[i][col]), i) for i in others if rows[i][col] is not SUPPRESSED]
        ranked = [(rank, i) for rank, i in ranked if rank is not None]
        if ranked:
            rows[min(ranked)[1]][col] = SUPPRESSED


def benchmarking(picture: Picture, *, own: int | None = None, suppress: bool = False) -> Table:
    """Every provider side by side, and the national figure, for the main rates. With
    `suppress`, small numbers of providers other than `own` are withheld."""
    top = picture.ratings.levels[0] if picture.ratings.levels else "the top level"
    columns = [
        "Provider",
        "Area",
        "Kind",
        "Notifications",
        "Violent",
        "Automatic",
        "Highest RoSH high or very high",
        "Conviction rate",
        "Clocks met on time",
        f"Reviews rated {top.lower()}",
        f"QA feedback within {TARGET_WORKING_DAYS} working days",
        "QA questions answered yes",
        "Victims told who asked for the review",
        "Reviews submitted",
    ]

    def row(label, area, kind, pk):
        values = [
            picture.notified(pk),
            picture.violent(pk),
            picture.automatic(pk),
            picture.high_rosh(pk),
            picture.conviction_rate(pk),
            picture.clock_compliance(pk),
            picture.top_rating(pk),
            picture.feedback_in_time(pk),
            picture.standards_yes(pk),
            picture.requested(pk),
            picture.reviews_submitted(pk),
        ]
        hide = suppress and pk is not None and pk != own
        return [label, area, kind, *(_suppress(v, hide) for v in values)]

    kinds = dict(OrganisationKind.choices)
    rows = [row(p.name, p.area, kinds.get(p.kind, p.kind), p.pk) for p in picture.providers]
    rows.append(row("National", "England and Wales", "", None))
    if suppress:
        _protect(rows, [p.pk != own for p in picture.providers] + [False], 3)
    chart = [
        Bar(r[0], [("Clocks met on time", r[8].percent if isinstance(r[8], Rate) else None)])
        for r in rows
    ]
    return Table(
        "benchmarking",
        "Providers side by side",
        "The main rates of each provider and the national figure",
        columns,
        rows,
        chart,
        "Clocks met on time, by provider",
        note="Notifications (less those rejected), offence type, RoSH (the highest during the "
        "supervision) and convictions by managing provider; clocks, QA and reviews by the "
        "provider that carried out the review; take-up by managing provider.",
    )


def clock_benchmarking(
    picture: Picture, *, own: int | None = None, suppress: bool = False
) -> Table:
    columns = ["Provider"] + [kind.label for kind in ClockKind] + ["Every clock"]
    rows = []
    for label, pk in [*((p.name, p.pk) for p in picture.providers), ("National", None)]:
        hide = suppress and pk is not None and pk != own
        rates = [picture.clock_compliance(pk, kind.value) for kind in ClockKind]
        rates.append(picture.clock_compliance(pk))
        rows.append([label, *(_suppress(r, hide) for r in rates)])
    if suppress:
        _protect(rows, [p.pk != own for p in picture.providers] + [False], 1)
    return Table(
        "clock-benchmarking",
        "Clocks met on time, by provider and kind",
        "Share of the clocks due in the period met on or before their due date, per provider",
        columns,
        rows,
    )


# --- Which tables a page shows --------------------------------------------------------------------


def dashboard_tables(picture: Picture, provider_pk: int | None) -> list[Table]:
    scopes = scopes_for(picture, provider_pk)
    return [
        notifications(picture, scopes),
        by_year(picture, scopes),
        highest_rosh(picture, scopes),
        highest_rosh_murder(picture, scopes),
        rosh(picture, scopes),
        supervision(picture, scopes),
        outcomes(picture, scopes),
        clocks(picture, scopes),
        ratings(picture, scopes, "review"),
        ratings(picture, scopes, "action_plan"),
        feedback_turnaround(picture, scopes),
        standards(picture, scopes),
        take_up_table(picture, scopes),
        themes(picture, scopes),
        theme_trend(picture, scopes[0]),
    ]


def benchmarking_tables(picture: Picture, *, own: int | None, suppress: bool) -> list[Table]:
    return [
        benchmarking(picture, own=own, suppress=suppress),
        clock_benchmarking(picture, own=own, suppress=suppress),
    ]


def all_tables(
    picture: Picture, provider_pk: int | None, *, own: int | None, suppress: bool
) -> dict[str, Table]:
    tables = dashboard_tables(picture, provider_pk) + benchmarking_tables(
        picture, own=own, suppress=suppress
    )
    return {table.name: table for table in tables}


TABLE_NAMES = [
    "notifications",
    "notifications-by-year",
    "highest-rosh",
    "highest-rosh-murder",
    "rosh",
    "supervision",
    "court-outcomes",
    "clocks",
    "qa-ratings-review",
    "qa-ratings-action-plan",
    "qa-turnaround",
    "review-questions",
    "disclosure-take-up",
    "themes",
    "theme-trend",
    "benchmarking",
    "clock-benchmarking",
]
