"""Whatever arrives, the two forms that take the most from outside answer as a form should: the
chronology's CSV import (any bytes, and CSV-like text with odd delimiters, quotes, encodings,
byte-order marks and very long fields) and the notification (any text or value in any field).
Each answer is the page again with its error summary, or the redirect of a success; never a 500,
which the test client would raise here. The examples are bounded by the Hypothesis profile of
tests/conftest.py (60 in CI), so that the run stays well under a minute."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from offences.models import Offence
from reviews import services
from reviews.workflow import CaseState
from sfo.people.roles import Role
from tests.factories import TeamFactory
from tests.reviews.test_identification_and_notification import notification
from tests.test_access_matrix import review_in_progress

pytestmark = pytest.mark.django_db

# The examples share the test's database and signed-in browser: each one only adds to the case.
fuzz = settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def signed_in(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


def assert_form_answer(response, success_prefix: str) -> None:
    """The page again, saying what is wrong; or a redirect to where success leads."""
    if response.status_code == 302:
        assert response["Location"].startswith(success_prefix), response["Location"]
    else:
        assert response.status_code == 200, response.status_code
        assert "There is a problem" in response.content.decode(), "an error with no summary"


# --- The chronology's CSV import -------------------------------------------------------------


@pytest.fixture
def importing(staff, shared_case):
    """The shared case's review being written by its SFO reviewer, in a browser of theirs."""
    reviewer = staff[Role.SFO_REVIEWER]
    review_in_progress(shared_case, reviewer)
    url = reverse("reviews:chronology_import", args=[shared_case.pk])
    report = reverse("reviews:chronology", args=[shared_case.pk]) + "imports/"
    return signed_in(reviewer), url, report


def send(importing, content: bytes, name: str = "chronology.csv"):
    browser, url, report = importing
    response = browser.post(url, {"file": SimpleUploadedFile(name, content, "text/csv")})
    assert_form_answer(response, report)
    if response.status_code == 302:
        assert browser.get(response["Location"]).status_code == 200
    event(f"answer {response.status_code}")


BOMS = [b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf\xef\xbb\xbf"]


@fuzz
@given(data=st.binary(max_size=3000), bom=st.sampled_from(BOMS))
def test_any_bytes_sent_as_the_chronology_get_a_form_answer(importing, data, bom):
    send(importing, bom + data)


COLUMNS = ["date", "source", "event", "significant", "emerging_issue", "finding", "reasons"]
HEADER_NAME = st.one_of(
    st.sampled_from(COLUMNS),
    st.sampled_from(["Date", " EVENT ", "Emerging-issue", "emerging issue", "\ufeffdate"]),
    st.text(max_size=12),
)
CELL = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "2025-01-06",
            "06/01/2025",
            "2025-02-30",
            "9999-99-99",
            "0000-01-01",
            "police",
            "nDelius",
            "yes",
            "perhaps",
            '\'=HYPERLINK("http://x")',
            '"',
            '""',
            '"unclosed',
            "a,b;c\td|e",
            "line\nbreak",
            "\r",
            "\u202etext",
            "\ufeff",
        ]
    ),
    # Longer than the csv module's field limit (131,072 characters) once repeated.
    st.integers(min_value=1, max_value=160_000).map(lambda n: "x" * n),
)
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "latin-1", "cp1252", "ascii"]


@st.composite
def csv_like(draw) -> bytes:
    """A header and rows, written with an odd delimiter, quoting and line ending, encoded in
    one of the encodings spreadsheets save in (or cut short mid-way)."""
    delimiter = draw(st.sampled_from([",", ";", "\t", "|", " ", ":", '"']))
    quotechar = draw(st.sampled_from(['"', "'", "|", "#"]).filter(lambda q: q != delimiter))
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONE]))
    terminator = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    header = draw(
        st.one_of(
            st.permutations(COLUMNS).map(lambda names: names[: len(COLUMNS) - 1]),
            st.lists(HEADER_NAME, min_size=1, max_size=8),
        )
    )
    rows = draw(st.lists(st.lists(CELL, max_size=9), max_size=8))
    out = io.StringIO()
    writer = csv.writer(
        out,
        delimiter=delimiter,
        quotechar=quotechar,
        quoting=quoting,
        escapechar="\\",
        lineterminator=terminator,
    )
    for row in [header, *rows]:
        try:
            writer.writerow(row)
        except csv.Error:
            out.write(delimiter.join(row) + terminator)
    encoding = draw(st.sampled_from(ENCODINGS))
    data = out.getvalue().encode(encoding, errors="replace")
    if draw(st.integers(min_value=0, max_value=3)) == 0:
        data = data[: draw(st.integers(min_value=0, max_value=len(data)))]
    return draw(st.sampled_from(BOMS[:2])) + data


@fuzz
@given(data=csv_like(), name=st.sampled_from(["chronology.csv", "a.CSV", "x", "../../x.csv"]))
def test_any_csv_like_text_sent_as_the_chronology_gets_a_form_answer(importing, data, name):
    send(importing, data, name)


# --- The notification --------------------------------------------------------------------------


@pytest.fixture
def notifying(staff, provider):
    """A case identified at its first hearing, its notification to be completed by the
    provider's SFO reviewer, who notifies."""
    TeamFactory(organisation=provider, name="Offender management")
    murder = Offence.objects.get(title="Murder")
    reviewer = staff[Role.SFO_REVIEWER]
    case = services.identify_case(
        by=reviewer,
        crn="A123456",
        person_name="Sam Baker",
        offence=murder,
        first_hearing_date=timezone.localdate() - timedelta(days=21),
    )
    valid = notification(case, murder)
    return signed_in(reviewer), case, valid


ODD_VALUES = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "-1",
            "1e10",
            "99999999999999999999",
            "9" * 400,
            "2147483648",
            "١٢",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "\x00",
            "on",
            "true",
            "None",
            "A123456",
            "x" * 5000,
        ]
    ),
)


@st.composite
def notification_posts(draw, valid: dict) -> dict:
    """The valid notification with any of its fields (offences' management form included)
    replaced, repeated, dropped, or joined by a field the form does not have."""
    data = {name: value for name, value in valid.items()}
    for name in draw(st.lists(st.sampled_from(sorted(valid)), unique=True, max_size=len(valid))):
        choice = draw(st.integers(min_value=0, max_value=3))
        if choice == 0:
            del data[name]
        elif choice == 1:
            data[name] = draw(st.lists(ODD_VALUES, min_size=2, max_size=3))
        else:
            data[name] = draw(ODD_VALUES)
    if draw(st.booleans()):
        data[draw(st.text(min_size=1, max_size=20))] = draw(ODD_VALUES)
    return data


@fuzz
@given(data=st.data())
def test_any_values_in_the_notification_get_a_form_answer(notifying, data):
    browser, case, valid = notifying
    post = data.draw(notification_posts(valid))

    response = browser.post(reverse("reviews:notification", args=[case.pk]), post)

    assert_form_answer(response, reverse("reviews:notification_check", args=[case.pk]))
    event(f"answer {response.status_code}")
    case.refresh_from_db()
    assert case.state == CaseState.IDENTIFIED


def test_the_valid_notification_the_fuzz_starts_from_succeeds(notifying):
    browser, case, valid = notifying
    response = browser.post(reverse("reviews:notification", args=[case.pk]), valid)
    assert response.status_code == 302


# --- What the fuzz found, kept as examples ----------------------------------------------------


def test_a_day_too_large_for_any_calendar_is_not_a_real_date(notifying):
    browser, case, valid = notifying
    post = {**valid, "offence_date_0": "99999999999999999999"}

    response = browser.post(reverse("reviews:notification", args=[case.pk]), post)

    assert response.status_code == 200
    assert "Date of the offence must be a real date" in response.content.decode()


def test_offences_sent_without_their_count_are_asked_for_again(notifying):
    browser, case, valid = notifying
    post = {k: v for k, v in valid.items() if k != "offences-INITIAL_FORMS"}

    response = browser.post(reverse("reviews:notification", args=[case.pk]), post)

    content = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in content
    assert "The offences charged could not be read: select them" in content
    # The offences are offered again, the one given at identification chosen, the rest kept.
    assert 'name="offences-0-offence"' in content and 'name="offences-INITIAL_FORMS"' in content
    assert 'value="Leeds Crown Court"' in content
