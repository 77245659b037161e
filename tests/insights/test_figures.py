"""With one year of the synthetic national dataset, the dashboard's figures (read from its CSVs,
which print the same tables as the page) equal those computed here by independent raw SQL,
written from the table definitions, nationally and for one provider."""

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reviews.management.commands._theme_content import ThemeContent
from reviews.models import Case
from sfo.people.models import Organisation, User
from tests.insights.conftest import YEAR, csv_table, one, pct, sql

pytestmark = pytest.mark.django_db

START, END = date(YEAR, 1, 1), date(YEAR, 12, 31)
PERIOD = {"start": START, "end": END, "tz": "Europe/London"}
NOTIFIED = (
    "(c.notified_at AT TIME ZONE %(tz)s)::date BETWEEN %(start)s AND %(end)s"
    " AND c.state <> 'rejected'"  # the central team rejected it: not an SFO
)
REJECTED = "(c.notified_at AT TIME ZONE %(tz)s)::date BETWEEN %(start)s AND %(end)s"
REJECTED += " AND c.state = 'rejected'"
ROSH_LABELS = {
    "low": "Low",
    "medium": "Medium",
    "high": "High",
    "very_high": "Very high",
    "not_known": "Not known",
    "": "Not recorded",
}
REVIEW_PROVIDER = "COALESCE(c.reviewing_provider_id, c.managing_provider_id)"


def table(client, name, **query):
    return csv_table(client.get(reverse("insights:table_csv", args=[name]), query))


def provider_filter(column: str, provider: int | None) -> str:
    return f" AND {column} = {int(provider)}" if provider else ""


def expected_notifications(provider):
    mine = provider_filter("c.managing_provider_id", provider)
    return one(
        f"""
        SELECT count(*),
               count(*) FILTER (WHERE p.category = 'violent'),
               count(*) FILTER (WHERE p.category = 'sexual'),
               count(*) FILTER (WHERE COALESCE(NULLIF(c.qualification_override, ''),
                                               c.qualification) = 'automatic'),
               count(*) FILTER (WHERE c.highest_rosh IN ('high', 'very_high')),
               count(*) FILTER (WHERE c.court_outcome = 'convicted_qualifying'),
               count(*) FILTER (WHERE c.court_outcome <> 'pending')
        FROM reviews_case c
        LEFT JOIN LATERAL (
            SELECT o.category FROM reviews_chargedoffence co
            JOIN offences_offence o ON o.id = co.offence_id
            WHERE co.case_id = c.id ORDER BY co.id LIMIT 1
        ) p ON true
        WHERE {NOTIFIED}{mine}
        """,
        PERIOD,
    )


def expected_rejected(provider):
    mine = provider_filter("c.managing_provider_id", provider)
    return one(f"SELECT count(*) FROM reviews_case c WHERE {REJECTED}{mine}", PERIOD)[0]


def expected_rosh(provider, column, *, murder_only=False):
    """{RoSH level: notifications} of `column` (highest_rosh or rosh_at_offence), of every
    notification or of those whose first charge is murder itself (Annexe 1 entry 1, no
    inchoate form)."""
    mine = provider_filter("c.managing_provider_id", provider)
    murder = " AND p.number = 1 AND p.form = ''" if murder_only else ""
    return dict(
        sql(
            f"""
            SELECT c.{column}, count(*) FROM reviews_case c
            LEFT JOIN LATERAL (
                SELECT o.number, co.form FROM reviews_chargedoffence co
                JOIN offences_offence o ON o.id = co.offence_id
                WHERE co.case_id = c.id ORDER BY co.id LIMIT 1
            ) p ON true
            WHERE {NOTIFIED}{murder}{mine}
            GROUP BY 1
            """,
            PERIOD,
        )
    )


def check_rosh(rows, counts, column):
    total = sum(counts.values())
    assert total > 0
    for level, label in ROSH_LABELS.items():
        n = counts.get(level, 0)
        assert rows[label][column : column + 2] == [str(n), pct(n, total)], label
    assert rows["Total"][column] == str(total)


def expected_clocks(provider, today):
    who = (
        f"CASE WHEN k.kind = 'notification' THEN c.managing_provider_id ELSE {REVIEW_PROVIDER} END"
    )
    mine = provider_filter(who, provider)
    return {
        kind: (on_time, known)
        for kind, on_time, known in sql(
            f"""
            SELECT k.kind,
                   count(*) FILTER (WHERE k.status = 'met' AND k.met_on <= k.due_on),
                   count(*) FILTER (
                       WHERE k.status = 'met'
                          OR (k.status IN ('running', 'stopped') AND k.due_on < %(today)s))
            FROM clocks_clock k JOIN reviews_case c ON c.id = k.case_id
            WHERE k.due_on BETWEEN %(start)s AND %(end)s AND k.status <> 'cancelled'{mine}
            GROUP BY k.kind
            """,
            {**PERIOD, "today": today},
        )
    }


def expected_ratings(provider, which):
    mine = provider_filter(REVIEW_PROVIDER, provider)
    return dict(
        sql(
            f"""
            SELECT l.label, count(*) FROM qa_qaassessment a
            JOIN reviews_case c ON c.id = a.case_id
            JOIN qa_ratinglevel l ON l.id = a.{which}_id
            WHERE a.status = 'completed'
              AND (a.completed_at AT TIME ZONE %(tz)s)::date BETWEEN %(start)s AND %(end)s{mine}
            GROUP BY l.label
            """,
            PERIOD,
        )
    )


def expected_yes(provider):
    mine = provider_filter(REVIEW_PROVIDER, provider)
    return {
        question: (yes, total)
        for question, yes, total in sql(
            f"""
            SELECT s.question, count(*) FILTER (WHERE ans.answer = 'yes'), count(*)
            FROM qa_qaanswer ans
            JOIN qa_qaassessment a ON a.id = ans.assessment_id
            JOIN reviews_standard s ON s.id = ans.standard_id
            JOIN reviews_case c ON c.id = a.case_id
            WHERE a.status = 'completed'
              AND (a.completed_at AT TIME ZONE %(tz)s)::date BETWEEN %(start)s AND %(end)s{mine}
            GROUP BY s.question
            """,
            PERIOD,
        )
    }


def expected_take_up(provider):
    mine = provider_filter("c.managing_provider_id", provider)
    return one(
        f"""
        SELECT count(*) FILTER (WHERE t.status = 'done'),
               count(*) FILTER (WHERE t.status = 'done' AND EXISTS (
                   SELECT 1 FROM victims_disclosurerequest r WHERE r.victim_id = v.id))
        FROM victims_victim v
        JOIN reviews_case c ON c.id = v.case_id
        LEFT JOIN victims_entitlementtask t ON t.victim_id = v.id
        WHERE c.reference IS NOT NULL AND c.court_outcome = 'convicted_qualifying'
          AND COALESCE(NULLIF(c.qualification_override, ''), c.qualification) = 'automatic'
          AND c.court_outcome_date BETWEEN %(start)s AND %(end)s{mine}
        """,
        PERIOD,
    )


def expected_themes(provider):
    """{theme name: (reviews with it, reviews submitted)} for the reviews first submitted in the
    period."""
    mine = provider_filter(REVIEW_PROVIDER, provider)
    submitted_sql = f"""
        SELECT r.id FROM reviews_review r JOIN reviews_case c ON c.id = r.case_id
        WHERE (SELECT min(k.started_on) FROM clocks_clock k
               WHERE k.case_id = c.id AND k.kind = 'central_qa')
              BETWEEN %(start)s AND %(end)s{mine}
    """
    (submitted,) = one(f"SELECT count(*) FROM ({submitted_sql}) s", PERIOD)
    rows = sql(
        f"""
        SELECT t.name, count(DISTINCT x.review_id) FROM (
            SELECT f.review_id, ft.theme_id FROM reviews_finding_themes ft
            JOIN reviews_finding f ON f.id = ft.finding_id
            UNION ALL
            SELECT a.review_id, at.theme_id FROM reviews_reviewaction_themes at
            JOIN reviews_reviewaction a ON a.id = at.reviewaction_id
        ) x JOIN reviews_theme t ON t.id = x.theme_id
        WHERE x.review_id IN ({submitted_sql})
        GROUP BY t.name
        """,
        PERIOD,
    )
    return {name: (n, submitted) for name, n in rows}


def check_scope(client, provider, column):
    """The figures of one scope (a provider, or national) in CSV column `column` (1: the first
    scope's number, 2: its percentage)."""
    query = {"year": YEAR, **({"provider": provider} if provider else {})}
    today = timezone.localdate()

    n, violent, sexual, automatic, high, convicted, known = expected_notifications(provider)
    assert n > 0
    _, rows = table(client, "notifications", **query)
    assert rows["Notifications"][column] == str(n)
    assert rows["Violent offence"][column + 1] == pct(violent, n)
    assert rows["Sexual offence"][column + 1] == pct(sexual, n)
    assert rows["Automatically qualified for a review"][column + 1] == pct(automatic, n)
    high_row = rows["High or very high risk of serious harm at its highest during supervision"]
    assert high_row[column : column + 2] == [str(high), pct(high, n)]
    conviction = rows["Convicted of a qualifying offence (of the outcomes known)"]
    assert conviction[column : column + 2] == [str(convicted), pct(convicted, known)]
    rejected = expected_rejected(provider)
    rejected_row = rows[
        "Rejected by the central team (of all received; left out of every other figure)"
    ]
    assert rejected_row[column : column + 2] == [str(rejected), pct(rejected, rejected + n)]
    if provider is None:
        assert rejected > 0, "the dataset has notifications the central team rejected"

    # RoSH: the highest during supervision (contextual facts), the same for the notifications
    # for murder (table 1.3), and at the offence (table 4.2).
    highest = expected_rosh(provider, "highest_rosh")
    check_rosh(table(client, "highest-rosh", **query)[1], highest, column)
    murders = expected_rosh(provider, "highest_rosh", murder_only=True)
    check_rosh(table(client, "highest-rosh-murder", **query)[1], murders, column)
    at_offence = expected_rosh(provider, "rosh_at_offence")
    check_rosh(table(client, "rosh", **query)[1], at_offence, column)
    if provider is None:
        assert highest != at_offence, "the dataset's risk at the offence is not always the highest"

    # Every clock: compliance is the last column of each scope's five.
    header, rows = table(client, "clocks", **query)
    clocks = expected_clocks(provider, today)
    assert clocks, "the dataset has clocks due in the year"
    labels = {
        "notification": "Notification",
        "early_look": "Early look",
        "review": "Review, chronology and action plan",
        "central_qa": "Central QA feedback",
    }
    compliance = 4 + (column - 1) // 2 * 5 + 1
    for kind, (on_time, known) in clocks.items():
        if kind in labels:
            assert rows[labels[kind]][compliance] == pct(on_time, known), kind
    every = (sum(v[0] for v in clocks.values()), sum(v[1] for v in clocks.values()))
    assert rows["Every clock"][compliance] == pct(*every)

    for which, name in (("review_rating", "review"), ("action_plan_rating", "action-plan")):
        counts = expected_ratings(provider, which)
        _, rows = table(client, f"qa-ratings-{name}", **query)
        total = sum(counts.values())
        assert total > 0
        for label in ("Good", "Satisfactory", "Requires improvement"):
            got = rows[label][column : column + 2]
            assert got == [str(counts.get(label, 0)), pct(counts.get(label, 0), total)], label

    _, rows = table(client, "review-questions", **query)
    by_question = {label.rsplit(" (", 1)[0]: row for label, row in rows.items()}
    yes_rates = expected_yes(provider)
    assert yes_rates
    yes_column = 5 + (column - 1) // 2 * 5
    for question, (yes, total) in yes_rates.items():
        assert by_question[question][yes_column] == pct(yes, total), question

    informed, requested = expected_take_up(provider)
    _, rows = table(client, "disclosure-take-up", **query)
    scope_column = 1 + (column - 1) // 2
    assert rows["Told of the entitlement"][scope_column] == str(informed)
    assert rows["Asked, of those told"][scope_column] == pct(requested, informed)

    _, rows = table(client, "themes", **query)
    themes = expected_themes(provider)
    assert themes
    for name, (with_theme, submitted) in themes.items():
        assert rows[name][column : column + 2] == [str(with_theme), pct(with_theme, submitted)]


def test_the_national_figures_equal_independent_sql(client, national):
    client.force_login(User.objects.get(username="analyst.hmpps-sfo"))
    check_scope(client, None, 1)


def test_a_providers_figures_equal_independent_sql_with_the_national_beside(client, national):
    client.force_login(User.objects.get(username="analyst.hmpps-sfo"))
    provider = Organisation.objects.get(code="nps-london").pk
    check_scope(client, provider, 1)  # the provider first
    check_scope(client, None, 1)  # and nationally, without a provider chosen
    header, rows = table(client, "notifications", year=YEAR, provider=provider)
    assert header[1:5] == [
        "Number (NPS London)",
        "Percentage (NPS London)",
        "Number (National)",
        "Percentage (National)",
    ]
    (national_count,) = one(f"SELECT count(*) FROM reviews_case c WHERE {NOTIFIED}", PERIOD)
    assert rows["Notifications"][3] == str(national_count)


def test_benchmarking_has_every_provider_and_the_national_figure(client, national):
    client.force_login(User.objects.get(username="chief-officer.hmpps-sfo"))
    header, rows = table(client, "benchmarking", year=YEAR)
    assert header[:4] == ["Provider", "Area", "Kind", "Notifications"]
    for code in ("nps-london", "nps-wales", "london-crc"):
        org = Organisation.objects.get(code=code)
        n, violent, *_ = expected_notifications(org.pk)
        assert rows[org.name][1] == org.area
        assert rows[org.name][3:5] == [str(n), pct(violent, n)]
    n, violent, *_ = expected_notifications(None)
    assert rows["National"][3:5] == [str(n), pct(violent, n)]


def test_the_number_of_queries_does_not_grow_with_the_data(client, db):
    """The dashboard (national and one provider) and the benchmarking page, with no cases and
    then with a year of them: the same number of queries."""
    call_command("load_demo_data", no_logins=True, stdout=io.StringIO())
    client.force_login(User.objects.get(username="analyst.hmpps-sfo"))
    provider = Organisation.objects.get(code="nps-london").pk

    def counts():
        out = []
        for url, query in (
            (reverse("insights:dashboard"), {"year": YEAR}),
            (reverse("insights:dashboard"), {"year": YEAR, "provider": provider}),
            (reverse("insights:benchmarking"), {"year": YEAR}),
            (reverse("insights:table_csv", args=["themes"]), {"year": YEAR}),
        ):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url, query).status_code == 200
            out.append(len(queries))
        return out

    counts()  # the first request of a session loads what later ones find cached
    empty = counts()
    call_command(
        "generate_national_dataset",
        "--years",
        str(YEAR),
        "--per-year",
        "40",
        stdout=io.StringIO(),
    )
    ThemeContent(seed=1).write(
        list(Case.objects.filter(crn__startswith="S").values_list("pk", flat=True))
    )
    assert Case.objects.filter(crn__startswith="S").count() == 40
    assert counts() == empty
    assert max(empty) <= 40, empty
