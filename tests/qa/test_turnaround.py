"""Turnaround and backlog of central QA against a hand-computed fixture (issue 6, item 5).

The England and Wales bank holidays the fixture crosses: Thursday 25 and Friday 26 December 2025,
Thursday 1 January 2026, Good Friday 3 April and Easter Monday 6 April 2026, and the early May
bank holiday, Monday 4 May 2026. Working days count from the day after submission ("the next
working day counts as day 1"), so feedback on the 20th working day after submission took 20.

Feedback given from 1 December 2025 to 30 April 2026 (provider a is NPS London, b NPS Wales):

| # | by | submitted     | feedback      | working days                        | calendar days |
|---|----|---------------|---------------|-------------------------------------|---------------|
| 1 | a  | Mon 22 Dec 25 | Fri 2 Jan 26  | 23, 24, 29, 30, 31 Dec, 2 Jan = 6   | 11            |
| 2 | a  | Wed 24 Dec 25 | Mon 26 Jan 26 | 29-31 Dec 3, 2 Jan 4 ... 26 Jan 20  | 33            |
| 3 | b  | Fri 19 Dec 25 | Tue 27 Jan 26 | 22-24 Dec 3, 29-31 Dec 6 ... = 24   | 39            |
| 4 | b  | Thu 2 Apr 26  | Tue 7 Apr 26  | (3 and 6 April are holidays) = 1    | 5             |
| 5 | a* | Mon 2 Mar 26  | Mon 13 Apr 26 | 31 Mar 21, 2 Apr 23 ... 13 Apr 28   | 42            |
| 6 | b  | Mon 1 Dec 25  | Fri 12 Dec 25 | 9                                   | 11            |

(* managed by b, which the central team directed a to review.) Outside the period: feedback on
28 November 2025 and on 1 May 2026; a cancelled clock.

Waiting on Tuesday 5 May 2026 (4 May is a bank holiday):

| by | submitted     | status  | due             | working days waiting | beyond 20 | past due |
|----|---------------|---------|-----------------|----------------------|-----------|----------|
| a  | Thu 2 Apr 26  | running | Tue 5 May 26    | 20                   | no        | no       |
| b  | Wed 1 Apr 26  | running | Fri 1 May 26    | 21                   | yes       | yes      |
| a  | Mon 2 Mar 26  | stopped | 29 May, extended | 43                  | yes       | no       |
| b  | Mon 27 Apr 26 | running | 26 May 26       | 5                    | no        | no       |
"""

import csv
import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qa.models import AssessmentStatus, QAAssessment, RatingLevel, RatingScale
from qa.turnaround import Provider, WorkingDayIndex, percentile, turnaround_figures
from reviews.models import Review, ReviewVersion, VersionPurpose
from reviews.standards import current_standards
from sfo.clocks.calendar import WorkingCalendar
from sfo.clocks.models import Clock, ClockKind, ClockPolicy, ClockStatus
from sfo.people.roles import Role
from tests.factories import CaseFactory
from tests.reviews.conftest import assert_error_summary

LONDON = ZoneInfo("Europe/London")
START, END = date(2025, 12, 1), date(2026, 4, 30)
TODAY = date(2026, 5, 5)
GOOD, SATISFACTORY, RI = "Good", "Satisfactory", "Requires improvement"


class Builder:
    """Cases with their central QA clock and, once feedback is given, their assessment."""

    def __init__(self, world):
        self.world = world
        self.count = 0
        self.scale = RatingScale.objects.get(use="central")
        self.levels = {level.label: level for level in RatingLevel.objects.filter(scale=self.scale)}
        self.standards = current_standards()
        self.calendar = WorkingCalendar.current()
        self.by = world["central"][Role.CENTRAL_QA_REVIEWER]

    def case(self, key, reviewed_by=None):
        self.count += 1
        return CaseFactory(
            managing_provider=self.world[key]["provider"],
            reviewing_provider=self.world[reviewed_by]["provider"] if reviewed_by else None,
            reference=f"SFO-2025-{self.count:04d}",
        )

    def clock(self, case, started_on, status=ClockStatus.RUNNING, **fields):
        return Clock.objects.create(
            case=case,
            kind=ClockKind.CENTRAL_QA,
            sequence=Clock.objects.filter(case=case, kind=ClockKind.CENTRAL_QA).count() + 1,
            policy=ClockPolicy.applying_to(ClockKind.CENTRAL_QA, started_on),
            status=status,
            started_on=started_on,
            due_on=fields.pop("due_on", None) or self.calendar.add_working_days(started_on, 20),
            **fields,
        )

    def given_feedback(self, key, submitted, feedback, review, plan, *, reviewed_by=None, at=None):
        case = self.case(key, reviewed_by)
        self.clock(case, submitted, ClockStatus.MET, met_on=feedback)
        self.assessment(
            case, review, plan, at or datetime(*feedback.timetuple()[:3], 15, tzinfo=LONDON)
        )
        return case

    def assessment(self, case, review, plan, completed_at, status=AssessmentStatus.COMPLETED):
        record = Review.objects.create(case=case)
        rounds = QAAssessment.objects.filter(case=case).count() + 1
        version = ReviewVersion.objects.create(
            review=record,
            number=rounds,
            purpose=VersionPurpose.CENTRAL,
            snapshot={},
            created_by=self.by,
        )
        return QAAssessment.objects.create(
            case=case,
            round=rounds,
            version=version,
            status=status,
            standards=self.standards,
            scale=self.scale,
            review_rating=self.levels[review] if review else None,
            action_plan_rating=self.levels[plan] if plan else None,
            completed_at=completed_at if status == AssessmentStatus.COMPLETED else None,
        )

    def waiting(self, key, submitted, **fields):
        case = self.case(key)
        return self.clock(case, submitted, **fields)


@pytest.fixture
def builder(world):
    return Builder(world)


@pytest.fixture
def fixture(builder):
    """The submissions of the module docstring."""
    b = builder
    b.given_feedback("a", date(2025, 12, 22), date(2026, 1, 2), GOOD, SATISFACTORY)
    b.given_feedback("a", date(2025, 12, 24), date(2026, 1, 26), RI, RI)
    b.given_feedback("b", date(2025, 12, 19), date(2026, 1, 27), SATISFACTORY, RI)
    b.given_feedback("b", date(2026, 4, 2), date(2026, 4, 7), GOOD, GOOD)
    b.given_feedback("b", date(2026, 3, 2), date(2026, 4, 13), RI, SATISFACTORY, reviewed_by="a")
    b.given_feedback("b", date(2025, 12, 1), date(2025, 12, 12), RI, RI)
    # Outside the period: feedback the day before it starts, and the evening after it ends
    # (30 April 23:30 UTC is 1 May 00:30 in London: the local day decides).
    b.given_feedback("a", date(2025, 11, 3), date(2025, 11, 28), GOOD, GOOD)
    b.given_feedback(
        "a",
        date(2026, 4, 20),
        date(2026, 5, 1),
        GOOD,
        GOOD,
        at=datetime(2026, 4, 30, 23, 30, tzinfo=ZoneInfo("UTC")),
    )
    # Neither waiting nor given feedback: a cancelled clock; nor rated: a draft assessment.
    cancelled = b.case("a")
    b.clock(cancelled, date(2026, 1, 5), ClockStatus.CANCELLED)
    b.assessment(cancelled, None, None, None, status=AssessmentStatus.DRAFT)
    # Waiting on 5 May 2026.
    b.waiting("a", date(2026, 4, 2))
    b.waiting("b", date(2026, 4, 1))
    b.waiting(
        "a",
        date(2026, 3, 2),
        status=ClockStatus.STOPPED,
        stopped_on=date(2026, 4, 20),
        due_on=date(2026, 5, 29),
    )
    b.waiting("b", date(2026, 4, 27))
    return b


def provider(world, key):
    org = world[key]["provider"]
    return Provider(org.pk, org.name)


def figures_for(**kwargs):
    return turnaround_figures(start=START, end=END, today=TODAY, **kwargs)


def numbers(row):
    return (
        row.count,
        row.median_working_days,
        row.p90_working_days,
        row.median_calendar_days,
        row.p90_calendar_days,
        row.within_target,
    )


# --- Arithmetic -----------------------------------------------------------------------------


def test_percentiles_interpolate_between_closest_ranks_as_percentile_cont_does():
    assert percentile([], 50) is None
    assert percentile([7], 90) == 7
    assert percentile([6, 20, 24], 50) == 20
    assert percentile([24, 6, 20], 90) == pytest.approx(23.2)  # 20 + 0.8 * 4
    assert percentile([1, 6, 9, 20, 24, 28], 50) == pytest.approx(14.5)  # 9 + 0.5 * 11
    assert percentile([1, 6, 9, 20, 24, 28], 90) == pytest.approx(26)  # 24 + 0.5 * 4
    assert percentile([1, 2, 3, 4], 0) == 1
    assert percentile([1, 2, 3, 4], 100) == 4
    with pytest.raises(ValueError):
        percentile([1], 101)


def test_the_day_of_submission_does_not_count_and_the_day_of_feedback_does(db):
    calendar = WorkingCalendar.current()
    # Feedback on the 20th working day after submission took 20 working days.
    assert calendar.working_days_between(date(2025, 12, 24), date(2026, 1, 26)) == 20
    assert calendar.add_working_days(date(2025, 12, 24), 20) == date(2026, 1, 26)
    # The index used for batches agrees with the calendar, across Christmas and Easter.
    first = date(2025, 12, 15)
    index = WorkingDayIndex(calendar, first, date(2026, 4, 30))
    for offset in range(0, 130, 3):
        a = first + timedelta(days=offset)
        for b in (a, a + timedelta(days=1), a + timedelta(days=11), date(2026, 4, 30)):
            if b <= date(2026, 4, 30):
                assert index.between(a, b) == calendar.working_days_between(a, b), (a, b)


# --- The figures ----------------------------------------------------------------------------


def test_backlog_counts_waiting_beyond_20_working_days_and_past_due(world, fixture):
    figures = figures_for()
    backlog = figures.backlog
    assert (backlog.waiting, backlog.beyond_target, backlog.past_due) == (4, 2, 1)
    # The oldest is the stopped one: stopped clocks still wait for feedback.
    assert backlog.oldest_started_on == date(2026, 3, 2)
    assert backlog.oldest_working_days == 43
    london, wales = figures.backlog_by_provider
    assert london.label == "NPS London"
    assert (london.waiting, london.beyond_target, london.past_due) == (2, 1, 0)
    assert (london.oldest_started_on, london.oldest_working_days) == (date(2026, 3, 2), 43)
    assert (wales.waiting, wales.beyond_target, wales.past_due) == (2, 1, 1)
    assert (wales.oldest_started_on, wales.oldest_working_days) == (date(2026, 4, 1), 21)


def test_turnaround_overall_median_and_90th_percentile_across_bank_holidays(fixture):
    overall = figures_for().turnaround
    # Working days 1, 6, 9, 20, 24, 28; calendar days 5, 11, 11, 33, 39, 42.
    assert sorted(overall.working_days) == [1, 6, 9, 20, 24, 28]
    assert sorted(overall.calendar_days) == [5, 11, 11, 33, 39, 42]
    assert numbers(overall) == (6, 14.5, 26, 22, 40.5, 4)
    assert overall.share_within_target == pytest.approx(200 / 3)


def test_turnaround_per_month_of_feedback_includes_empty_months(fixture):
    by_month = {row.label: row for row in figures_for().turnaround_by_month}
    assert list(by_month) == [
        "December 2025",
        "January 2026",
        "February 2026",
        "March 2026",
        "April 2026",
    ]
    assert numbers(by_month["December 2025"]) == (1, 9, 9, 11, 11, 1)
    january = numbers(by_month["January 2026"])
    assert january[:2] == (3, 20) and january[3] == 33 and january[5] == 2
    assert january[2] == pytest.approx(23.2) and january[4] == pytest.approx(37.8)
    assert by_month["February 2026"].count == 0
    assert by_month["February 2026"].median_working_days is None
    assert by_month["February 2026"].share_within_target is None
    april = numbers(by_month["April 2026"])
    assert (april[0], april[1], april[3], april[5]) == (2, 14.5, 23.5, 1)
    assert april[2] == pytest.approx(25.3) and april[4] == pytest.approx(38.3)


def test_turnaround_per_provider_counts_the_provider_directed_to_review(world, fixture):
    london, wales = figures_for().turnaround_by_provider
    assert london.label == "NPS London"  # #5 is managed by Wales, reviewed by London
    assert sorted(london.working_days) == [6, 20, 28]
    assert numbers(london)[:2] == (3, 20) and numbers(london)[3] == 33
    assert london.p90_working_days == pytest.approx(26.4)
    assert london.p90_calendar_days == pytest.approx(40.2)
    assert wales.label == "NPS Wales"
    assert numbers(wales)[:2] == (3, 9) and numbers(wales)[3] == 11
    assert wales.p90_working_days == pytest.approx(21)
    assert wales.p90_calendar_days == pytest.approx(33.4)
    assert (london.within_target, wales.within_target) == (2, 2)


def test_filtering_by_provider_narrows_every_figure(world, fixture):
    figures = figures_for(provider=provider(world, "a"))
    assert sorted(figures.turnaround.working_days) == [6, 20, 28]
    assert [r.label for r in figures.turnaround_by_provider] == ["NPS London"]
    assert (figures.backlog.waiting, figures.backlog.beyond_target) == (2, 1)
    assert figures.ratings.review_overall.total == 3


def counts(row):
    return {level.label: (level.count, level.share) for level in row.levels}


def test_ratings_distribution_per_provider_and_overall(fixture):
    ratings = figures_for().ratings
    assert ratings.levels == [GOOD, SATISFACTORY, RI]
    third = pytest.approx(100 / 3)
    london, wales = ratings.review_by_provider
    assert (london.label, london.total) == ("NPS London", 3)
    assert counts(london) == {
        GOOD: (1, third),
        SATISFACTORY: (0, 0),
        RI: (2, pytest.approx(200 / 3)),
    }
    assert counts(wales) == {GOOD: (1, third), SATISFACTORY: (1, third), RI: (1, third)}
    assert ratings.review_overall.total == 6
    assert counts(ratings.review_overall) == {
        GOOD: (2, third),
        SATISFACTORY: (1, pytest.approx(100 / 6)),
        RI: (3, 50),
    }
    plan_london, plan_wales = ratings.action_plan_by_provider
    assert {k: v[0] for k, v in counts(plan_london).items()} == {GOOD: 0, SATISFACTORY: 2, RI: 1}
    assert {k: v[0] for k, v in counts(plan_wales).items()} == {GOOD: 1, SATISFACTORY: 0, RI: 2}
    overall = counts(ratings.action_plan_overall)
    assert overall == {
        GOOD: (1, pytest.approx(100 / 6)),
        SATISFACTORY: (2, third),
        RI: (3, 50),
    }


def test_nothing_to_count_is_an_empty_state(world):
    figures = figures_for()
    assert figures.is_empty
    assert figures.backlog.waiting == 0 and figures.backlog.oldest_started_on is None
    assert figures.turnaround.count == 0 and figures.turnaround.median_working_days is None
    assert [level.share for level in figures.ratings.review_overall.levels] == [None] * 3


def test_query_count_does_not_grow_with_the_cases(world, builder):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            figures = figures_for()
        return len(captured), figures

    def more(n):
        for i in range(n):
            key = "ab"[i % 2]
            builder.given_feedback(key, date(2026, 1, 5), date(2026, 2, 2 + i % 3), GOOD, RI)
            builder.waiting(key, date(2026, 4, 1 + i % 20))

    more(2)
    few, figures = queries()
    assert figures.turnaround.count == 2
    more(10)
    many, figures = queries()
    assert figures.turnaround.count == 12 and figures.backlog.waiting == 12
    assert few == many == 6


# --- The page and the CSV -------------------------------------------------------------------


ALLOWED = [Role.CENTRAL_QA_REVIEWER, Role.CENTRAL_QA_MANAGER, Role.ANALYST, Role.CHIEF_OFFICER]
PERIOD = {
    "start_0": "1",
    "start_1": "12",
    "start_2": "2025",
    "end_0": "30",
    "end_1": "4",
    "end_2": "2026",
}


def signed_in(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize("role", ALLOWED)
def test_the_figures_readers_see_the_page(client, world, fixture, role):
    signed_in(client, world["central"][role])
    response = client.get(reverse("qa:turnaround"), PERIOD)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<h1") == 1
    for caption in (
        "Submissions waiting for feedback today, per provider",
        "Submission to feedback, per month of feedback",
        "Submission to feedback, per provider",
        "Review ratings, per provider",
        "Action plan ratings, per provider",
    ):
        assert caption in page
    assert "January 2026" in page and "23.2" in page and "37.8" in page
    assert "SFO-2025-" in page  # the oldest waiting case, linked


@pytest.mark.parametrize(
    "key, role",
    [
        ("a", Role.SFO_REVIEW_MANAGER),
        ("a", Role.SENIOR_MANAGER),
        ("a", Role.RESPONSIBLE_OFFICER),
        ("central", Role.ADMINISTRATOR),
    ],
)
def test_others_are_refused(client, world, key, role):
    signed_in(client, world[key][role])
    assert client.get(reverse("qa:turnaround")).status_code == 403
    assert client.get(reverse("qa:turnaround_csv")).status_code == 403


def test_the_default_period_is_the_last_12_months(client, world, qa_reviewer):
    from django.utils import timezone

    from qa.turnaround_views import default_period

    assert default_period(date(2026, 11, 27)) == (date(2025, 12, 1), date(2026, 11, 27))
    assert default_period(date(2026, 1, 31)) == (date(2025, 2, 1), date(2026, 1, 31))
    signed_in(client, qa_reviewer)
    response = client.get(reverse("qa:turnaround"))
    assert response.status_code == 200
    start, today = default_period(timezone.localdate())
    assert response.context["figures"].start == start
    assert response.context["figures"].end == today
    page = response.content.decode()
    assert "No submission is waiting for feedback, and no feedback was given" in page
    assert f'value="{start.year}"' in page  # the form shows the period it counts


def test_bad_filter_input_shows_the_error_summary_and_keeps_what_was_typed(
    client, world, qa_reviewer
):
    signed_in(client, qa_reviewer)
    response = client.get(
        reverse("qa:turnaround"), {**PERIOD, "start_0": "31", "start_1": "2", "provider": "zz"}
    )
    assert_error_summary(response, "Start of the period must be a real date", "id_start_0")
    assert_error_summary(response, "Select a provider from the list", "id_provider")
    page = response.content.decode()
    assert 'value="31"' in page
    assert response.context["figures"] is None

    response = client.get(reverse("qa:turnaround"), {**PERIOD, "end_2": "2024"})
    assert_error_summary(
        response, "End of the period must be the same as or after its start", "id_end_0"
    )
    assert 'value="2024"' in response.content.decode()


def test_the_csv_has_the_same_tables_and_is_safe_from_formula_injection(client, world, fixture):
    evil = world["b"]["provider"]
    evil.name = '=HYPERLINK("http://example.com")'
    evil.save()
    signed_in(client, world["central"][Role.ANALYST])
    response = client.get(reverse("qa:turnaround_csv"), PERIOD)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert ["Feedback given from", "2025-12-01", "to", "2026-04-30"] in rows
    # Waiting is counted as of the real today, long after every due date of the fixture.
    waiting = rows[rows.index(["Waiting for feedback"]) + 2 :][:3]
    assert [row[:2] for row in waiting] == [
        ["'" + evil.name, "2"],
        ["NPS London", "2"],
        ["All providers", "4"],
    ]
    assert waiting[2][2:5] == ["4", "4", "2026-03-02"] and waiting[2][6] == "SFO-2025-0012"
    january = next(row for row in rows if row[:1] == ["January 2026"])
    assert january == ["January 2026", "3", "20", "23.2", "33", "37.8", "2", "66.7"]
    assert ["All months", "6", "14.5", "26", "22", "40.5", "4", "66.7"] in rows
    assert ["February 2026", "0", "", "", "", "", "0", ""] in rows
    review = rows[rows.index(["Review ratings"]) + 1 :]
    assert review[0] == [
        "Provider",
        "Assessments",
        GOOD,
        f"{GOOD} (%)",
        SATISFACTORY,
        f"{SATISFACTORY} (%)",
        RI,
        f"{RI} (%)",
    ]
    assert ["NPS London", "3", "1", "33.3", "0", "0", "2", "66.7"] in review
    assert ["All providers", "6", "2", "33.3", "1", "16.7", "3", "50"] in review
    # No cell starts with a formula character: the provider's name is quoted.
    assert all(cell[:1] not in "=+@" for row in rows for cell in row if cell)
    assert any(cell == "'" + evil.name for row in rows for cell in row)


def test_the_page_query_count_does_not_grow_with_the_cases(client, world, builder, qa_reviewer):
    signed_in(client, qa_reviewer)

    def page_queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("qa:turnaround"), PERIOD).status_code == 200
        return len(captured)

    page_queries()  # the first request saves the new session
    for i in range(2):
        builder.given_feedback("ab"[i % 2], date(2026, 1, 5), date(2026, 2, 2), GOOD, RI)
        builder.waiting("ab"[i % 2], date(2026, 4, 1))
    few = page_queries()
    for i in range(10):
        builder.given_feedback("ab"[i % 2], date(2026, 1, 5), date(2026, 3, 2), SATISFACTORY, RI)
        builder.waiting("ab"[i % 2], date(2026, 4, 2))
    assert page_queries() == few
