"""The chronology editor: its writer adds, edits and deletes entries in date order, sets the review
period and the section's status, and imports entries from CSV with every refused row reported and
downloadable; other people read it or are refused; two edits from the same version meet on a
conflict page that loses nothing; the page's queries do not grow with the chronology."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from hypothesis import given
from hypothesis import strategies as st

from reviews import authoring
from reviews.authoring import EntryFacts, FindingFacts
from reviews.chronology_import import (
    CONTROL,
    MAX_BYTES,
    TOO_LARGE,
    ImportReport,
    parse_chronology,
    rejected_rows_csv,
    safe_cell,
)
from reviews.models import (
    ChronologyEntry,
    ChronologyImport,
    ChronologySource,
    FindingKind,
    ReviewSection,
    SectionKey,
    SectionStatus,
)
from sfo.audit.models import AccessRecord
from sfo.people.roles import Role
from tests.reviews.conftest import assert_error_summary

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def url(name, case, **kwargs):
    return reverse(f"reviews:{name}", kwargs={"pk": case.pk, **kwargs})


def entry_post(occurred_on: date, **fields) -> dict:
    return {
        "occurred_on_0": str(occurred_on.day),
        "occurred_on_1": str(occurred_on.month),
        "occurred_on_2": str(occurred_on.year),
        "source": ChronologySource.CASE_RECORD,
        "event": "Missed appointment; no follow-up",
        "emerging_issue": "",
        "finding": "",
        **fields,
    }


def add(case, by, *entries: EntryFacts):
    return authoring.add_entries(case, by=by, entries=list(entries))


def facts(days_ago: int, event: str = "An event", **kwargs) -> EntryFacts:
    return EntryFacts(
        occurred_on=TODAY - timedelta(days=days_ago),
        source=kwargs.pop("source", ChronologySource.POLICE),
        event=event,
        **kwargs,
    )


def refusals(user, action):
    return AccessRecord.objects.filter(user=user, action=action, allowed=False).count()


# --- The writer's pages ----------------------------------------------------------------------


def test_the_reviewer_adds_edits_and_deletes_entries(client, review_case, reviewer):
    client.force_login(reviewer)
    day = TODAY - timedelta(days=40)
    response = client.post(
        url("chronology_add", review_case),
        entry_post(day, significant="on", emerging_issue="No curiosity about the new partner"),
    )
    entry = ChronologyEntry.objects.get(review__case=review_case)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#entry-{entry.pk}")
    assert (entry.occurred_on, entry.significant) == (day, True)
    assert entry.emerging_issue == "No curiosity about the new partner"
    # Adding a chronology entry starts the section.
    section = ReviewSection.objects.get(review__case=review_case, key=SectionKey.CHRONOLOGY)
    assert section.status == SectionStatus.IN_PROGRESS

    page = client.get(url("chronology_edit", review_case, entry_pk=entry.pk)).content.decode()
    assert "Missed appointment; no follow-up" in page
    assert f'name="version" value="{entry.version}"' in page
    response = client.post(
        url("chronology_edit", review_case, entry_pk=entry.pk),
        entry_post(day, event="Missed appointment; warning letter sent", version=entry.version),
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.event, entry.significant, entry.version) == (
        "Missed appointment; warning letter sent",
        False,
        2,
    )

    confirm = client.get(url("chronology_delete", review_case, entry_pk=entry.pk))
    assert "Are you sure you want to delete this entry?" in confirm.content.decode()
    assert ChronologyEntry.objects.filter(pk=entry.pk).exists()
    response = client.post(url("chronology_delete", review_case, entry_pk=entry.pk))
    assert response.status_code == 302
    assert not ChronologyEntry.objects.filter(pk=entry.pk).exists()


def test_save_and_add_another_comes_back_to_an_empty_form(client, review_case, reviewer):
    client.force_login(reviewer)
    response = client.post(url("chronology_add", review_case), {**entry_post(TODAY), "another": ""})
    assert response["Location"] == url("chronology_add", review_case)
    assert ChronologyEntry.objects.filter(review__case=review_case).count() == 1


def test_the_editor_lists_entries_by_date_and_marks_those_before_the_review_period(
    client, review_case, reviewer
):
    finding = authoring.add_finding(
        review_case,
        by=reviewer,
        facts=FindingFacts("Home visits stopped", "Why they stopped", FindingKind.PRACTICE_FAILING),
    )
    add(
        review_case,
        reviewer,
        facts(10, "Third, supports the finding", finding_id=finding.pk, significant=True),
        facts(400, "First, long before"),
        facts(100, "Second, within the period", source=ChronologySource.OASYS),
    )
    authoring.set_review_period(review_case, by=reviewer, start=TODAY - timedelta(days=200))
    client.force_login(reviewer)
    page = client.get(url("chronology", review_case)).content.decode()
    assert page.index("First, long before") < page.index("Second, within") < page.index("Third")
    assert "3 entries, 1 significant, 1 before the review period" in page
    assert page.count("Before the review period</strong>") == 1
    first_row = page[page.index("First, long before") - 700 : page.index("First, long before")]
    assert "Before the review period" in first_row
    assert "Home visits stopped" in page
    assert "OASys assessment" in page
    assert "Add an entry" in page and "Import entries from a CSV file" in page


def test_errors_are_summarised_and_nothing_typed_is_lost(client, review_case, reviewer):
    client.force_login(reviewer)
    typed = "Police told probation of a call-out; not recorded"
    response = client.post(
        url("chronology_add", review_case),
        entry_post(TODAY + timedelta(days=3), event="", emerging_issue=typed),
    )
    assert_error_summary(
        response, "The date of the event must be today or in the past", "id_occurred_on_0"
    )
    assert_error_summary(response, "Enter the event: what happened", "id_event")
    assert escape(typed) in response.content.decode()
    assert not ChronologyEntry.objects.filter(review__case=review_case).exists()

    response = client.post(url("chronology_add", review_case), entry_post(TODAY, occurred_on_1=""))
    assert_error_summary(response, "Date of the event must include a month", "id_occurred_on_0")


def test_setting_the_review_period_marks_earlier_entries(client, review_case, reviewer):
    add(review_case, reviewer, facts(300, "Old"), facts(20, "Recent"))
    client.force_login(reviewer)
    start = TODAY - timedelta(days=100)
    response = client.post(
        url("review_period", review_case),
        {"start_0": start.day, "start_1": start.month, "start_2": start.year},
    )
    assert response.status_code == 302
    review_case.review.refresh_from_db()
    assert review_case.review.review_period_start == start
    page = client.get(url("chronology", review_case)).content.decode()
    assert "2 entries, 0 significant, 1 before the review period" in page
    assert start.strftime("%-d %B %Y") in page

    future = TODAY + timedelta(days=1)
    response = client.post(
        url("review_period", review_case),
        {"start_0": future.day, "start_1": future.month, "start_2": future.year},
    )
    assert_error_summary(
        response, "The start of the review period must be today or in the past", "id_start_0"
    )
    review_case.review.refresh_from_db()
    assert review_case.review.review_period_start == start


def test_the_reviewer_marks_the_chronology_completed(client, review_case, reviewer):
    client.force_login(reviewer)
    client.get(url("chronology", review_case))  # the writer's first visit makes the review
    response = client.post(url("chronology_status", review_case), {"status": "completed"})
    assert response.status_code == 302
    section = ReviewSection.objects.get(review__case=review_case, key=SectionKey.CHRONOLOGY)
    assert section.status == SectionStatus.COMPLETED
    assert "Completed</strong>" in client.get(url("chronology", review_case)).content.decode()

    response = client.post(url("chronology_status", review_case), {})
    assert_error_summary(
        response, "Choose whether you have completed the chronology", "id_status_0"
    )


# --- Who may read and write ------------------------------------------------------------------


def test_the_review_manager_reads_the_chronology_but_cannot_change_it(client, world, review_case):
    (entry,) = add(review_case, world["a"][Role.SFO_REVIEWER], facts(5, "Seen by the manager"))
    manager = world["a"][Role.SFO_REVIEW_MANAGER]
    client.force_login(manager)
    page = client.get(url("chronology", review_case))
    assert page.status_code == 200
    content = page.content.decode()
    assert "Seen by the manager" in content
    assert "Add an entry" not in content and "/edit/" not in content
    assert "Save the status" not in content
    refused = [
        client.get(url("chronology_add", review_case)),
        client.post(url("chronology_add", review_case), entry_post(TODAY)),
        client.post(
            url("chronology_edit", review_case, entry_pk=entry.pk),
            entry_post(TODAY, event="Changed by the manager", version=entry.version),
        ),
        client.post(url("chronology_delete", review_case, entry_pk=entry.pk)),
        client.post(url("review_period", review_case), {"start_0": "1"}),
        client.post(url("chronology_status", review_case), {"status": "completed"}),
        client.post(
            url("chronology_import", review_case),
            {"file": SimpleUploadedFile("c.csv", b"date,source,event,significant,emerging_issue")},
        ),
    ]
    assert [r.status_code for r in refused] == [403] * len(refused)
    assert "Only the reviewer allocated to this case" in refused[0].content.decode()
    assert refusals(manager, "write:chronology") == len(refused)
    entry.refresh_from_db()
    assert entry.event == "Seen by the manager"
    assert ChronologyEntry.objects.filter(review__case=review_case).count() == 1


def test_the_import_service_refuses_anyone_but_the_writer_and_records_it(world, review_case):
    from django.core.exceptions import PermissionDenied

    from reviews.chronology_import import import_chronology

    manager = world["a"][Role.SFO_REVIEW_MANAGER]
    data = b"date,source,event,significant,emerging_issue\n2025-01-06,police,Arrest,yes,\n"
    with pytest.raises(PermissionDenied, match="Only the reviewer allocated"):
        import_chronology(review_case, by=manager, filename="c.csv", data=data)
    assert refusals(manager, "write:chronology") == 1
    assert not ChronologyImport.objects.exists() and not ChronologyEntry.objects.exists()


def test_the_central_qa_team_reads_it_and_a_chief_officer_does_not(client, world, review_case):
    client.force_login(world["central"][Role.CENTRAL_QA_REVIEWER])
    assert client.get(url("chronology", review_case)).status_code == 200
    chief = world["central"][Role.CHIEF_OFFICER]
    client.force_login(chief)
    assert client.get(url("chronology", review_case)).status_code == 403
    assert refusals(chief, "read:review") == 1


def test_a_responsible_officer_of_the_case_cannot_read_its_review(client, world, review_case):
    officer = world["a"][Role.RESPONSIBLE_OFFICER]
    client.force_login(officer)
    response = client.get(url("chronology", review_case))
    assert response.status_code == 403
    assert "The review is read by the SFO staff" in response.content.decode()
    assert refusals(officer, "read:review") == 1


def test_another_provider_is_told_the_case_does_not_exist(client, world, review_case):
    (entry,) = add(review_case, world["a"][Role.SFO_REVIEWER], facts(5))
    client.force_login(world["b"][Role.SFO_REVIEWER])
    for page in (
        url("chronology", review_case),
        url("chronology_edit", review_case, entry_pk=entry.pk),
        url("chronology_import", review_case),
    ):
        assert client.get(page).status_code == 404


def test_an_entry_of_another_case_is_not_found(client, world, murder, review_case, reviewer):
    from tests.reviews.conftest import case_in

    other = case_in(world, murder, "review_in_progress", crn="B765432")
    (entry,) = add(other, reviewer, facts(5))
    client.force_login(reviewer)
    assert client.get(url("chronology_edit", review_case, entry_pk=entry.pk)).status_code == 404
    assert client.post(url("chronology_delete", review_case, entry_pk=entry.pk)).status_code == 404
    assert ChronologyEntry.objects.filter(pk=entry.pk).exists()


# --- Editing safety --------------------------------------------------------------------------


def test_the_second_of_two_edits_from_one_version_sees_both_and_loses_nothing(
    client, review_case, reviewer
):
    day = TODAY - timedelta(days=30)
    (entry,) = add(review_case, reviewer, facts(30, "Home visit cancelled"))
    client.force_login(reviewer)
    edit = url("chronology_edit", review_case, entry_pk=entry.pk)
    started_from = entry.version
    # Two tabs opened at the same version; the first saves.
    first = client.post(
        edit, entry_post(day, event="FIRST: visit cancelled by the officer", version=started_from)
    )
    assert first.status_code == 302
    mine = "SECOND: visit cancelled, no reason recorded"
    second = client.post(edit, entry_post(day, event=mine, significant="on", version=started_from))
    assert second.status_code == 409
    page = second.content.decode()
    assert "Someone else changed this entry" in page
    yours, saved = page.index('id="your-version"'), page.index('id="saved-version"')
    assert yours < page.index(mine) < saved
    assert saved < page.index("FIRST: visit cancelled by the officer")
    # The form holds what was typed, set to save over the version now saved.
    form = page[page.index("<form", saved) :]
    assert f">{mine}</textarea>" in form
    assert f'name="version" value="{started_from + 1}"' in form
    entry.refresh_from_db()
    assert entry.event == "FIRST: visit cancelled by the officer"

    again = client.post(
        edit, entry_post(day, event=mine, significant="on", version=started_from + 1)
    )
    assert again.status_code == 302
    entry.refresh_from_db()
    assert (entry.event, entry.significant, entry.version) == (mine, True, started_from + 2)


# --- Importing from CSV ----------------------------------------------------------------------


def csv_file(rows, name="chronology.csv") -> SimpleUploadedFile:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode("utf-8-sig"), "text/csv")


def test_an_import_keeps_the_good_rows_and_reports_every_bad_one(client, review_case, reviewer):
    finding = authoring.add_finding(
        review_case,
        by=reviewer,
        facts=FindingFacts("Recall not considered", "Why", FindingKind.MISSED_OPPORTUNITY),
    )
    future = (TODAY + timedelta(days=10)).isoformat()
    rows = [
        ["Date", "Source", "Event", "Significant", "Emerging issue", "Finding"],
        ["2025-01-06", "nDelius", "Induction", "yes", "", ""],  # line 2
        [
            "07/02/2025",
            "OASys",
            "Assessment: RoSH high",
            "no",
            "RoSH rising",
            "recall NOT considered",
        ],
        ["2025-02-30", "police", "Arrested for assault", "yes", "", ""],  # line 4: no such day
        [future, "Martians", "", "perhaps", "", "No such finding"],  # line 5: everything wrong
        ["", "", "", "", "", ""],  # blank: skipped, nothing to lose
        ["2025-03-01", "Police", '=HYPERLINK("http://x")', "maybe", "", ""],  # line 7
        ["2025-03-02", "court", "Sentenced", "1", "", ""],  # line 8
    ]
    client.force_login(reviewer)
    response = client.post(url("chronology_import", review_case), {"file": csv_file(rows)})
    record = ChronologyImport.objects.get(review__case=review_case)
    assert response["Location"] == url("chronology_import_report", review_case, import_pk=record.pk)
    entries = list(ChronologyEntry.objects.filter(review__case=review_case))
    assert [(e.event, e.source, e.significant) for e in entries] == [
        ("Induction", "case_record", True),
        ("Assessment: RoSH high", "oasys", False),
        ("Sentenced", "court", True),
    ]
    assert entries[1].finding_id == finding.pk and entries[1].emerging_issue == "RoSH rising"
    assert record.accepted_count == 3 and record.by == reviewer
    assert [row["line"] for row in record.rejected_rows] == [4, 5, 7]
    assert record.rejected_rows[1]["cells"] == rows[4]
    assert record.rejected_rows[1]["reasons"] == [
        f"The date “{future}” is in the future",
        record.rejected_rows[1]["reasons"][1],
        "Enter the event: what happened",
        "Significant must be yes or no (or left empty), not “perhaps”",
        "No key finding of this review is titled “No such finding”",
    ]
    assert record.rejected_rows[1]["reasons"][1].startswith(
        "The source “Martians” is not one the chronology knows"
    )

    report = client.get(response["Location"]).content.decode()
    assert "3 entries added to the chronology; 3 rows rejected" in report
    assert escape("The date “2025-02-30” must be a real date") in report
    assert escape("Significant must be yes or no (or left empty), not “maybe”") in report
    assert '<th scope="row" class="govuk-table__header">7</th>' in report

    download = client.get(url("chronology_import_rejected", review_case, import_pk=record.pk))
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in download["Content-Disposition"]
    text = download.content.decode("utf-8-sig")
    back = list(csv.reader(io.StringIO(text)))
    assert back[0] == [*rows[0], "reasons"]
    assert [r[:6] for r in back[1:]] == [
        rows[3],
        rows[4],
        [*rows[6][:2], "'" + rows[6][2], *rows[6][3:]],
    ]
    assert back[1][6] == "The date “2025-02-30” must be a real date"
    # The rows fixed in the downloaded file import again, the reasons column ignored.
    back[1][0], back[3][3] = "2025-02-28", "no"
    again = client.post(url("chronology_import", review_case), {"file": csv_file(back)})
    latest = ChronologyImport.objects.get(pk=int(again["Location"].rstrip("/").split("/")[-1]))
    assert latest.accepted_count == 2
    assert [row["line"] for row in latest.rejected_rows] == [3]
    assert ChronologyEntry.objects.filter(event='=HYPERLINK("http://x")').count() == 1


def test_the_rejected_rows_download_cannot_run_formulas():
    assert [safe_cell(v) for v in ["=1+2", "+44", "-5", "@SUM(A1)", "\tx", "ok", ""]] == [
        "'=1+2",
        "'+44",
        "'-5",
        "'@SUM(A1)",
        "'\tx",
        "ok",
        "",
    ]
    record = ChronologyImport(
        columns=["date", "source", "event", "significant", "emerging_issue"],
        rejected_rows=[
            {"line": 2, "cells": ["=cmd|' /C calc'!A0", "-x", "@y", "+z", ""], "reasons": ["=no"]}
        ],
    )
    rows = list(csv.reader(io.StringIO(rejected_rows_csv(record).lstrip("\ufeff"))))
    assert not any(cell[:1] in ("=", "+", "-", "@") for row in rows for cell in row)
    assert rows[1] == ["'=cmd|' /C calc'!A0", "'-x", "'@y", "'+z", "", "'=no"]


@pytest.mark.parametrize(
    "content, message",
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "PDF"),
        (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00", "spreadsheet workbook"),
        (b"date,source,event\x00\x00\x01\x02binary", "not a binary file"),
        ("date,source,event\n2025-01-01,police,Café".encode("latin-1"), "UTF-8"),
    ],
    ids=["pdf", "xlsx", "nul-bytes", "latin-1"],
)
def test_a_file_that_is_not_csv_text_is_refused_whatever_its_name(
    client, review_case, reviewer, content, message
):
    client.force_login(reviewer)
    upload = SimpleUploadedFile("chronology.csv", content, "text/csv")
    response = client.post(url("chronology_import", review_case), {"file": upload})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and message in page
    assert 'href="#id_file"' in page
    assert not ChronologyImport.objects.exists()
    assert not ChronologyEntry.objects.exists()


def test_a_file_over_the_size_limit_is_refused(client, review_case, reviewer):
    client.force_login(reviewer)
    header = b"date,source,event,significant,emerging_issue\n"
    row = b"2025-01-01,police,An event,no,\n"
    content = header + row * ((MAX_BYTES - len(header)) // len(row) + 1)
    assert len(content) > MAX_BYTES
    upload = SimpleUploadedFile("big.csv", content, "text/csv")
    response = client.post(url("chronology_import", review_case), {"file": upload})
    assert_error_summary(response, TOO_LARGE, "id_file")
    assert "smaller than 2 MB" in TOO_LARGE
    assert not ChronologyEntry.objects.exists()
    # A file of exactly the limit (its blank lines skipped) is imported.
    fits = header + row * 3
    fits += b"\n" * (MAX_BYTES - len(fits))
    upload = SimpleUploadedFile("fits.csv", fits, "text/csv")
    assert client.post(url("chronology_import", review_case), {"file": upload}).status_code == 302
    assert ChronologyImport.objects.get().accepted_count == 3


def test_an_uploaded_file_is_never_written_to_disk(
    client, review_case, reviewer, settings, tmp_path
):
    # Django would write any upload over this size to the temporary directory, which is missing:
    # the import succeeds only because the file stays in memory.
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "missing")
    client.force_login(reviewer)
    rows = [["date", "source", "event", "significant", "emerging_issue"]]
    rows += [["2025-01-06", "police", f"Event {n}", "no", ""] for n in range(200)]
    response = client.post(url("chronology_import", review_case), {"file": csv_file(rows)})
    assert response.status_code == 302
    assert ChronologyImport.objects.get().accepted_count == 200
    assert not (tmp_path / "missing").exists()


def test_a_file_with_no_header_or_no_file_is_refused(client, review_case, reviewer):
    client.force_login(reviewer)
    response = client.post(url("chronology_import", review_case), {})
    assert_error_summary(response, "Select a CSV file", "id_file")
    upload = SimpleUploadedFile("c.csv", b"2025-01-01,police,An event,no,\n", "text/csv")
    response = client.post(url("chronology_import", review_case), {"file": upload})
    assert "The first row of the file must name the columns" in response.content.decode()
    assert not ChronologyImport.objects.exists()


# --- The parser, fuzzed ----------------------------------------------------------------------

FINDINGS = {"Recall not considered": 1, "Home visits": 2}


def _well_formed(report: ImportReport, data_rows: int | None = None) -> None:
    assert isinstance(report, ImportReport)
    if report.problem:
        assert isinstance(report.problem, str)
        assert not (report.accepted or report.rejected)
        return
    for row in report.rejected:
        assert row.line >= 2 and row.reasons and all(isinstance(c, str) for c in row.cells)
    lines = [row.line for row in report.rejected]
    assert lines == sorted(set(lines))
    for entry in report.accepted:
        assert entry.event.strip() and entry.occurred_on <= TODAY
        assert entry.source in ChronologySource.values
        assert entry.finding_id in (None, *FINDINGS.values())
    if data_rows is not None:
        assert len(report.accepted) + len(report.rejected) == data_rows


@given(st.text(max_size=2000))
def test_any_text_gives_a_clean_report(text):
    _well_formed(parse_chronology(text.encode("utf-8"), findings=FINDINGS, today=TODAY))


@given(st.binary(max_size=2000))
def test_any_bytes_give_a_clean_report(data):
    _well_formed(parse_chronology(data, findings=FINDINGS, today=TODAY))


CELL = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "2025-01-06",
            "06/01/2025",
            "1/2/2024",
            "2099-01-01",
            "2025-02-30",
            "yes",
            "no",
            "Y",
            "nDelius",
            "police",
            "OASys assessment",
            "Children’s services",
            "Home visits",
            "",
            "'=1",
        ]
    ),
)


@given(
    header=st.permutations(["date", "source", "event", "significant", "emerging_issue", "finding"]),
    rows=st.lists(st.lists(CELL, min_size=0, max_size=8), max_size=20),
)
def test_every_row_of_a_file_with_a_header_is_either_added_or_reported(header, rows):
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    text = out.getvalue()
    report = parse_chronology(text.encode(), findings=FINDINGS, today=TODAY)
    _well_formed(report)
    non_blank = sum(1 for row in rows if any(c.strip() for c in row))
    if CONTROL.search(text):
        assert report.problem.startswith("The selected file must be a CSV file")
    elif non_blank:
        assert report.problem == ""
        assert len(report.accepted) + len(report.rejected) == non_blank
    else:
        assert report.problem == "The file has a header row but no entries"


# --- Performance -----------------------------------------------------------------------------


def test_the_editor_page_queries_do_not_grow_with_the_chronology(client, review_case, reviewer):
    finding = authoring.add_finding(
        review_case,
        by=reviewer,
        facts=FindingFacts("A finding", "Why", FindingKind.SYSTEMIC_FACTOR),
    )
    authoring.set_review_period(review_case, by=reviewer, start=TODAY - timedelta(days=50))
    client.force_login(reviewer)

    def queries_with(total: int) -> int:
        have = ChronologyEntry.objects.filter(review__case=review_case).count()
        add(
            review_case,
            reviewer,
            *[
                facts(i, f"Event {i}", finding_id=finding.pk, significant=i % 3 == 0)
                for i in range(have, total)
            ],
        )
        client.get(url("chronology", review_case))  # warm: sessions, the review made
        with CaptureQueriesContext(connection) as captured:
            page = client.get(url("chronology", review_case))
        assert f"{total} entries" in page.content.decode()
        return len(captured)

    five = queries_with(5)
    assert queries_with(50) == five


def test_an_entry_removed_while_it_was_edited_keeps_the_text_and_can_be_added_again(
    client, review_case, reviewer
):
    day = timezone.localdate() - timedelta(days=40)
    (entry,) = authoring.add_entries(
        review_case, by=reviewer, entries=[authoring.EntryFacts(day, "police", "Arrested")]
    )
    authoring.delete_entry(review_case, entry.pk, by=reviewer)
    client.force_login(reviewer)
    url = reverse("reviews:chronology_edit", args=[review_case.pk, entry.pk])
    typed = {
        "occurred_on_0": day.day,
        "occurred_on_1": day.month,
        "occurred_on_2": day.year,
        "source": "police",
        "event": "Arrested, and the typed correction",
        "version": 1,
    }
    response = client.post(url, typed)
    content = response.content.decode()
    assert response.status_code == 200
    assert "was removed while you were editing it" in content
    assert "Arrested, and the typed correction" in content
    assert f'action="{reverse("reviews:chronology_add", args=[review_case.pk])}"' in content
