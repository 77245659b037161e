"""One year of the synthetic national dataset, with its themes, for the national picture's tests;
and the independent raw SQL the tests check the dashboard against."""

import csv
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from reviews.management.commands._theme_content import ThemeContent
from reviews.models import Case

YEAR = timezone.localdate().year - 1
PER_YEAR = 60
SEED = 2018


def generate_national(years=(YEAR,), per_year=PER_YEAR) -> list[int]:
    """The demo data, then the synthetic dataset and its themes; the synthetic cases' ids."""
    call_command("load_demo_data", no_logins=True, stdout=io.StringIO())
    call_command(
        "generate_national_dataset",
        "--years",
        *(str(y) for y in years),
        "--per-year",
        str(per_year),
        "--seed",
        str(SEED),
        stdout=io.StringIO(),
    )
    ids = list(Case.objects.filter(crn__startswith="S").values_list("pk", flat=True))
    ThemeContent(seed=SEED).write(ids)
    return ids


@pytest.fixture
def national(db):
    return generate_national()


def sql(query: str, params=None) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(query, params or {})
        return cursor.fetchall()


def one(query: str, params=None):
    return sql(query, params)[0]


def csv_table(response) -> tuple[list[str], dict[str, list[str]]]:
    """A table's CSV: its header and its rows by their first cell."""
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header = rows[3]
    return header, {row[0]: row for row in rows[4:] if row}


def pct(part: int, whole: int) -> str:
    """A percentage as the CSV writes it (`figure_cell`): one decimal, a whole number bare."""
    return f"{100 * part / whole:.1f}".removesuffix(".0") if whole else ""
