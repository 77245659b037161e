"""The national picture's pages: who sees what, the filters and their errors, a CSV of every
table, the read audit, small numbers withheld from other providers, and the annual report made
by a real worker."""

import io
import re
import subprocess

import pytest
from django.core.management import call_command
from django.urls import reverse

from insights.tables import TABLE_NAMES
from sfo.audit.models import AccessRecord
from sfo.documents.models import DocumentJob, DocumentKind, JobStatus
from sfo.people.demo import username
from sfo.people.models import Organisation, User
from sfo.people.roles import Role
from tests.documents.conftest import fresh_queue, media, running_worker  # noqa: F401
from tests.documents.test_jobs import wait_for
from tests.insights.conftest import YEAR, csv_table, generate_national, sql

NATIONAL = [Role.ANALYST, Role.CHIEF_OFFICER, Role.CENTRAL_QA_REVIEWER, Role.CENTRAL_QA_MANAGER]
PROVIDER_MANAGERS = [Role.SENIOR_MANAGER, Role.SFO_REVIEW_MANAGER]
REFUSED = [
    Role.RESPONSIBLE_OFFICER,
    Role.SFO_REVIEWER,
    Role.VICTIM_LIAISON_OFFICER,
    Role.INDEPENDENT_ASSESSOR,
    Role.ADMINISTRATOR,
]
PAGES = ["insights:dashboard", "insights:benchmarking", "insights:annual_report"]


def user(role, code=None):
    if code is None:
        code = {
            Role.INDEPENDENT_ASSESSOR: "independent-qa",
        }.get(role, "hmpps-sfo" if role in NATIONAL + [Role.ADMINISTRATOR] else "nps-london")
    return User.objects.get(username=username(role, code))


@pytest.fixture
def demo(db):
    call_command("load_demo_data", no_logins=True, stdout=io.StringIO())


@pytest.mark.django_db
@pytest.mark.parametrize("role", NATIONAL)
def test_the_national_roles_see_every_page(client, demo, role):
    client.force_login(user(role))
    for name in PAGES:
        assert client.get(reverse(name)).status_code == 200, name
    response = client.get(reverse("insights:table_csv", args=["notifications"]))
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("role", PROVIDER_MANAGERS)
def test_a_providers_managers_see_their_own_beside_the_national(client, demo, role):
    me = user(role)
    other = Organisation.objects.get(code="nps-wales")
    client.force_login(me)
    page = client.get(reverse("insights:dashboard"), {"year": YEAR, "provider": other.pk})
    text = page.content.decode()
    assert page.status_code == 200
    assert "NPS London beside the national figure" in text  # their own, whatever was asked
    assert 'name="provider"' not in text  # no provider to choose
    header, _ = csv_table(
        client.get(
            reverse("insights:table_csv", args=["rosh"]), {"year": YEAR, "provider": other.pk}
        )
    )
    assert "Number (NPS London)" in header and "Number (NPS Wales)" not in header
    assert client.get(reverse("insights:benchmarking")).status_code == 200
    assert client.get(reverse("insights:annual_report")).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("role", REFUSED)
def test_everyone_else_is_refused_and_the_refusal_recorded(client, demo, role):
    client.force_login(user(role))
    for name in PAGES:
        assert client.get(reverse(name)).status_code == 403, name
    assert client.get(reverse("insights:table_csv", args=["themes"])).status_code == 403
    assert AccessRecord.objects.filter(user=user(role), allowed=False).count() >= 4


@pytest.mark.django_db
def test_signed_out_people_are_sent_to_sign_in(client, demo):
    response = client.get(reverse("insights:dashboard"))
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


@pytest.mark.django_db
def test_each_look_is_one_read_audit_row_with_no_personal_data(client, demo):
    analyst = user(Role.ANALYST)
    london = Organisation.objects.get(code="nps-london")
    client.force_login(analyst)
    client.get(reverse("insights:dashboard"), {"year": YEAR, "provider": london.pk})
    client.get(reverse("insights:dashboard"))
    client.get(reverse("insights:benchmarking"))
    client.get(reverse("insights:table_csv", args=["themes"]), {"year": YEAR})
    rows = list(
        AccessRecord.objects.filter(user=analyst, allowed=True)
        .order_by("pk")
        .values_list("object_type", "object_id", "action")
    )
    assert rows == [
        ("insights.dashboard", f"dashboard:{london.pk}", "view"),
        ("insights.dashboard", "dashboard:national", "view"),
        ("insights.dashboard", "benchmarking:national", "view"),
        ("insights.dashboard", "themes:national", "download"),
    ]


@pytest.mark.django_db
def test_the_filters_keep_what_was_typed_and_say_what_is_wrong(client, demo):
    client.force_login(user(Role.ANALYST))
    url = reverse("insights:dashboard")
    bad = {"start_0": "1", "start_1": "6", "start_2": str(YEAR), "end_0": "1", "end_1": "2"}
    bad["end_2"] = str(YEAR)
    text = client.get(url, bad).content.decode()
    assert "There is a problem" in text
    assert "End of the period must be the same as or after its start" in text
    assert 'value="6"' in text and 'value="2"' in text  # kept
    assert "<title>Error:" in text
    assert "table-notifications" not in text  # no figures for a wrong period

    both = client.get(url, {"year": YEAR, "start_0": "1", "start_1": "1", "start_2": str(YEAR)})
    assert "Choose a year or a period, not both" in both.content.decode()
    assert "Year must be between" in client.get(url, {"year": "1999"}).content.decode()
    assert "Year must be a whole number" in client.get(url, {"year": "last"}).content.decode()

    period = {"start_0": "1", "start_1": "4", "start_2": str(YEAR)}
    period |= {"end_0": "30", "end_1": "9", "end_2": str(YEAR)}
    text = client.get(url, period).content.decode()
    assert f"From 1 April {YEAR} to 30 September {YEAR}" in text
    text = client.get(url).content.decode()  # nothing chosen: last year, nationally
    assert f"From 1 January {YEAR} to 31 December {YEAR}: every provider" in text


@pytest.mark.django_db
def test_every_table_is_a_chart_with_an_accessible_table_and_a_csv(client, national):
    client.force_login(user(Role.CENTRAL_QA_MANAGER))
    london = Organisation.objects.get(code="nps-london")
    page = client.get(reverse("insights:dashboard"), {"year": YEAR, "provider": london.pk})
    bench = client.get(reverse("insights:benchmarking"), {"year": YEAR})
    html = page.content.decode() + bench.content.decode()
    for name in TABLE_NAMES:
        assert f'id="table-{name}"' in html, name
        assert reverse("insights:table_csv", args=[name]) in html, name
        header, rows = csv_table(
            client.get(
                reverse("insights:table_csv", args=[name]), {"year": YEAR, "provider": london.pk}
            )
        )
        assert len(header) >= 2 and rows, name
    # Every chart is hidden from assistive technology; its table has a caption and headers.
    assert html.count("<svg") == html.count('aria-hidden="true" focusable="false"') > 5
    assert html.count("<caption") == len(TABLE_NAMES)
    assert 'scope="row"' in html and 'scope="col"' in html
    assert client.get(reverse("insights:table_csv", args=["nothing"])).status_code == 404


@pytest.mark.django_db
def test_other_providers_small_numbers_are_withheld_from_a_provider(client, national):
    """One month: some providers have a handful of notifications. The senior manager sees their
    own; another provider's count below 5 is withheld; the analyst sees every figure."""
    period = {"start_0": "1", "start_1": "3", "start_2": str(YEAR)}
    period |= {"end_0": "31", "end_1": "3", "end_2": str(YEAR)}
    url = reverse("insights:table_csv", args=["benchmarking"])
    client.force_login(user(Role.ANALYST))
    _, every = csv_table(client.get(url, period))
    london = Organisation.objects.get(code="nps-london")
    small = [
        name
        for name, row in every.items()
        if len(row) > 3 and name not in ("National", london.name) and 0 < int(row[3]) < 5
    ]
    assert small, "a month of 60 cases a year leaves providers with fewer than 5"
    client.force_login(user(Role.SENIOR_MANAGER))
    _, seen = csv_table(client.get(url, period))
    for name in small:
        assert seen[name][3] == "fewer than 5", name
    assert seen[london.name] == every[london.name]
    assert seen["National"] == every["National"]


def pdf_text(path) -> str:
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True)
    return " ".join(text.stdout.decode().split())


@pytest.mark.django_db(transaction=True)
def test_the_annual_report_is_made_by_a_worker_with_the_years_figures(
    client,
    fresh_queue,  # noqa: F811
    media,  # noqa: F811
):
    from reviews.models import Case

    generate_national()
    analyst = user(Role.ANALYST)
    client.force_login(analyst)
    url = reverse("insights:annual_report")
    error = client.post(url, {"year": "20x5"})
    assert error.status_code == 200 and "Year must be a whole number" in error.content.decode()
    assert 'value="20x5"' in error.content.decode()

    response = client.post(url, {"year": str(YEAR)})
    job = DocumentJob.objects.get(kind=DocumentKind.ANNUAL_REPORT)
    assert response["Location"] == reverse("documents:job", args=[job.pk])
    assert (job.case_id, job.params) == (None, {"year": YEAR})
    with running_worker():
        seen = wait_for(job, {JobStatus.DONE, JobStatus.FAILED}, timeout=120)
    assert seen[-1] == JobStatus.DONE, (seen, job.error)
    assert job.filename == f"sfo-annual-report-{YEAR}.pdf"

    text = pdf_text(job.file.path)
    assert f"annual report {YEAR}" in text
    # The year's figures: the notifications table as the dashboard's CSV has it.
    _, rows = csv_table(
        client.get(reverse("insights:table_csv", args=["notifications"]), {"year": YEAR})
    )
    assert f"Notifications {rows['Notifications'][1]}" in text
    assert f"Violent offence {rows['Violent offence'][1]} {rows['Violent offence'][2]}%" in text
    # The good practice for national dissemination, by title, with no name of its case: from
    # the latest version of each review submitted to the central team (first submitted in the
    # year), whose review has no redaction marks (those are tested in test_report).
    national = sql(
        """
        SELECT f.item->>'title', c.person_name
        FROM (
            SELECT DISTINCT ON (v.review_id) v.review_id, v.snapshot
            FROM reviews_reviewversion v WHERE v.purpose = 'central'
            ORDER BY v.review_id, v.number DESC
        ) v
        JOIN reviews_review r ON r.id = v.review_id
        JOIN reviews_case c ON c.id = r.case_id
        CROSS JOIN jsonb_array_elements(v.snapshot->'findings') AS f(item)
        WHERE f.item->>'dissemination' = 'national'
          AND EXTRACT(YEAR FROM (SELECT min(k.started_on) FROM clocks_clock k
                                 WHERE k.case_id = c.id AND k.kind = 'central_qa')) = %(year)s
          AND NOT EXISTS (SELECT 1 FROM reviews_redaction m
                          WHERE m.review_id = r.id AND m.removed_at IS NULL)
        """,
        {"year": YEAR},
    )
    assert national, "the dataset marks some good practice for national dissemination"
    assert any(title in text for title, _person in national)
    surnames = {person.split()[-1] for _title, person in national}
    for surname in surnames:
        assert not re.search(rf"\b{surname}\b", text), surname
    assert "The main themes and their trend" in text
    # The list of reports offers it; the download is the PDF.
    listing = client.get(url).content.decode()
    assert reverse("documents:download", args=[job.pk]) in listing
    download = client.get(reverse("documents:download", args=[job.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    # A provider's senior manager may not download it.
    client.force_login(user(Role.SENIOR_MANAGER))
    assert client.get(reverse("documents:download", args=[job.pk])).status_code == 403
    assert Case.objects.filter(crn__startswith="S").exists()
