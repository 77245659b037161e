# ruff: noqa: F811
"""Small numbers in the benchmarking CSV shown to a provider's managers: no figure of another
provider gives back a count from 1 to 4, neither a count, nor a share through its part, its whole
or its rest (notifications 12 and violent 16.7% is 2 violent), nor the national figure less the
providers shown (a column never holds a single withheld figure)."""

from datetime import datetime, time

import pytest
from django.urls import reverse
from django.utils import timezone

from offences.models import Category, Offence
from reviews.models import ChargedOffence
from sfo.people.roles import Role
from tests.factories import CaseFactory, OrganisationFactory
from tests.insights.conftest import YEAR, csv_table
from tests.reviews.conftest import world  # noqa: F401

pytestmark = pytest.mark.django_db

SUPPRESSED = "fewer than 5"
# Provider: (violent, sexual) notifications in March.
NOTIFIED = {"a": (4, 2), "b": (2, 10), "c": (3, 0), "d": (15, 5), "e": (6, 1)}


@pytest.fixture
def providers(world):
    out = {"a": world["a"]["provider"], "b": world["b"]["provider"]}
    for key in ("c", "d", "e"):
        out[key] = OrganisationFactory(name=f"Provider {key.upper()}", code=f"test-{key}")
    offences = {
        category: Offence.objects.filter(category=category).order_by("number").first()
        for category in (Category.VIOLENT, Category.SEXUAL)
    }
    at = datetime.combine(
        timezone.datetime(YEAR, 3, 10).date(), time(12), tzinfo=timezone.get_current_timezone()
    )
    for key, (violent, sexual) in NOTIFIED.items():
        for category, n in ((Category.VIOLENT, violent), (Category.SEXUAL, sexual)):
            for _ in range(n):
                case = CaseFactory(managing_provider=out[key], notified_at=at)
                ChargedOffence.objects.create(case=case, offence=offences[category])
    return out


def benchmarking(client, user):
    client.force_login(user)
    period = {"start_0": "1", "start_1": "3", "start_2": str(YEAR)}
    period |= {"end_0": "31", "end_1": "3", "end_2": str(YEAR)}
    return csv_table(client.get(reverse("insights:table_csv", args=["benchmarking"]), period))


def test_no_figure_of_another_provider_gives_back_a_small_count(client, world, providers):
    header, every = benchmarking(client, world["central"][Role.ANALYST])
    notifications, violent = header.index("Notifications"), header.index("Violent")
    names = {key: org.name for key, org in providers.items()}
    assert every[names["b"]][notifications : violent + 1] == ["12", "16.7"]
    assert SUPPRESSED not in str(every)  # the national roles see every figure

    header, seen = benchmarking(client, world["a"][Role.SENIOR_MANAGER])
    # A share whose part is small: 2 violent of 12.
    assert seen[names["b"]][violent] == SUPPRESSED
    # A share whose rest is small: 6 violent of 7 is 1 sexual.
    assert seen[names["e"]][violent] == SUPPRESSED
    # A small count, and a share of it.
    assert seen[names["c"]][notifications] == seen[names["c"]][violent] == SUPPRESSED
    # C's count is the only small one of its column: the national figure less the others shown
    # would give it back, so the smallest other count (E's 7) is withheld too.
    assert seen[names["e"]][notifications] == SUPPRESSED
    assert seen[names["b"]][notifications] == "12"
    assert seen[names["d"]][notifications : violent + 1] == ["20", "75"]
    # Their own row and the national one are whole.
    assert seen[names["a"]] == every[names["a"]]
    assert seen["National"] == every["National"]
    # No column holds a single withheld figure.
    others = [seen[names[key]] for key in "bcde"]
    for column in range(3, len(header)):
        assert sum(row[column] == SUPPRESSED for row in others) != 1, header[column]
