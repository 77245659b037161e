"""The national picture is counted once per period and data version and then read from the cache
(Redis): any change to the data it counts, however made, gives a new version and fresh figures;
a transaction that has itself changed data never caches what it sees; without Redis the page
still answers. These tests commit (transaction=True), as a running service does."""

import dataclasses
import io
from datetime import date

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from insights import figures
from reviews.models import Case, CourtOutcome
from sfo.people.models import User
from tests.insights.conftest import YEAR, csv_table

pytestmark = pytest.mark.django_db(transaction=True)

START, END = date(YEAR, 1, 1), date(YEAR, 12, 31)


def outcomes_csv(client):
    """The court outcomes table of the year, nationally, and the queries it took."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(
            reverse("insights:table_csv", args=["court-outcomes"]), {"year": YEAR}
        )
    _header, rows = csv_table(response)
    return rows, len(queries)


@pytest.fixture
def analyst(client):
    call_command("load_demo_data", no_logins=True, stdout=io.StringIO())
    call_command(
        "generate_national_dataset", "--years", str(YEAR), "--per-year", "30", stdout=io.StringIO()
    )
    client.force_login(User.objects.get(username="analyst.hmpps-sfo"))
    return client


def test_figures_are_counted_once_then_read_until_the_data_changes(analyst):
    counted, counting_queries = outcomes_csv(analyst)
    cached, cached_queries = outcomes_csv(analyst)
    assert cached == counted
    assert cached_queries < counting_queries - 8  # every figure query skipped

    # A bulk update, which no model signal would see, still moves the data version on.
    version = figures.data_version()
    pending = Case.objects.filter(crn__startswith="S", court_outcome=CourtOutcome.PENDING)
    assert pending.exists()
    changed = pending.order_by("pk")[:1].values_list("pk", flat=True)
    Case.objects.filter(pk__in=list(changed)).update(court_outcome=CourtOutcome.ACQUITTED)
    assert figures.data_version() != version

    fresh, fresh_queries = outcomes_csv(analyst)
    assert fresh_queries > cached_queries + 8  # counted again
    acquitted, waiting = CourtOutcome.ACQUITTED.label, CourtOutcome.PENDING.label
    assert int(fresh[acquitted][1]) == int(counted[acquitted][1]) + 1  # Number (National)
    assert int(fresh[waiting][1]) == int(counted[waiting][1]) - 1
    # The fresh figures equal those counted without the cache.
    live = figures.compute_picture(start=START, end=END, today=timezone.localdate())
    assert (
        live.outcomes == figures.picture(start=START, end=END, today=timezone.localdate()).outcomes
    )


def test_a_transaction_that_changed_data_counts_without_the_cache(analyst):
    assert figures.data_version() is not None
    with transaction.atomic():
        Case.objects.filter(crn__startswith="S").update(court_outcome=CourtOutcome.ACQUITTED)
        assert figures.data_version() is None
        inside = figures.picture(start=START, end=END, today=timezone.localdate())
        assert set(figures._sum(inside.outcomes)) == {CourtOutcome.ACQUITTED}
        transaction.set_rollback(True)
    after = figures.picture(start=START, end=END, today=timezone.localdate())
    assert set(figures._sum(after.outcomes)) != {CourtOutcome.ACQUITTED}


def test_without_redis_the_dashboard_still_answers(analyst, settings):
    expected, _ = outcomes_csv(analyst)
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "LOCATION": "redis://127.0.0.1:1/0"}
    }
    rows, _ = outcomes_csv(analyst)
    assert rows == expected
    assert analyst.get(reverse("insights:dashboard"), {"year": YEAR}).status_code == 200


def test_figures_cached_by_an_earlier_release_are_never_read(analyst):
    """A release that counts by other rules, or whose figures have another shape, must not read
    what an earlier one cached for the same period, day and data version (a Picture without a
    field of this release would fail the page; one counted by other rules would be wrong): the
    key carries the revision and the shape of the figures."""
    today, version = timezone.localdate(), figures.data_version()
    live = figures.compute_picture(start=START, end=END, today=today)
    stale = dataclasses.replace(live, outcomes={live.providers[0].pk: {"acquitted": 999}})
    current = figures.cache_key(START, END, today, version)
    before = current.replace(f"r{figures.FIGURES_REVISION}-", f"r{figures.FIGURES_REVISION - 1}-")
    for key in (f"insights:picture:{START}:{END}:{today}:{version}", before):
        assert key != current
        cache.set(key, stale, 60)
    rows, _ = outcomes_csv(analyst)
    assert rows[CourtOutcome.ACQUITTED.label][1] != "999"
    assert figures.data_version() == version and cache.get(current) is not None
