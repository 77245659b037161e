"""Importing a chronology from a CSV file: reading the file safely, checking every row, adding the
good rows and recording the rest with their reasons, so that nothing in the file is lost.

Reviewers keep chronologies of hundreds of entries in spreadsheets; the import takes the
spreadsheet saved as CSV. A file is read in memory only (never stored), checked by its content
rather than its name (a PDF or a workbook renamed `.csv` is refused), and each row is either added
or reported with its line number, its cells as given and every reason it was refused. The rejected
rows download as a CSV with a `reasons` column, which the import ignores, so they can be fixed and
imported again."""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopFutureHandlers
from django.utils import timezone

from reviews import authoring
from reviews.authoring import EntryFacts
from reviews.models import ChronologyImport, ChronologySource

MAX_BYTES = 2 * 1024 * 1024
MAX_SIZE_LABEL = "2 MB"
REQUIRED_COLUMNS = ("date", "source", "event", "significant", "emerging_issue")
OPTIONAL_COLUMNS = ("finding",)
# The column the rejected-rows download adds; an import ignores it.
REASONS_COLUMN = "reasons"

TOO_LARGE = f"The selected file must be smaller than {MAX_SIZE_LABEL}"
SAVE_AS = "in your spreadsheet, choose “Save as” and “CSV UTF-8 (comma delimited)”"

# The other common ways of naming a source, beyond its value and its label.
SOURCE_ALIASES = {
    "ndelius": ChronologySource.CASE_RECORD,
    "delius": ChronologySource.CASE_RECORD,
    "case record": ChronologySource.CASE_RECORD,
    "case notes": ChronologySource.CASE_RECORD,
    "oasys": ChronologySource.OASYS,
    "police": ChronologySource.POLICE,
    "pnc": ChronologySource.POLICE,
    "childrens services": ChronologySource.CHILDRENS_SERVICES,
    "children's services": ChronologySource.CHILDRENS_SERVICES,
    "children's social care": ChronologySource.CHILDRENS_SERVICES,
    "childrens social care": ChronologySource.CHILDRENS_SERVICES,
    "csc": ChronologySource.CHILDRENS_SERVICES,
    "asc": ChronologySource.ADULT_SOCIAL_CARE,
    "adult social care": ChronologySource.ADULT_SOCIAL_CARE,
    "mental health": ChronologySource.MENTAL_HEALTH,
    "cmht": ChronologySource.MENTAL_HEALTH,
    "health": ChronologySource.HEALTH,
    "gp": ChronologySource.HEALTH,
    "hospital": ChronologySource.HEALTH,
    "prison": ChronologySource.PRISON,
    "nomis": ChronologySource.PRISON,
    "mappa": ChronologySource.MAPPA,
    "court": ChronologySource.COURT,
    "housing": ChronologySource.HOUSING,
    "approved premises": ChronologySource.HOUSING,
    "ap": ChronologySource.HOUSING,
    "interview": ChronologySource.INTERVIEW,
    "other": ChronologySource.OTHER,
}
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}
ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})", re.ASCII)
UK_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})", re.ASCII)
# The first bytes of the files most often renamed .csv by mistake.
BINARY_SIGNATURES = {
    b"%PDF-": "a PDF",
    b"PK\x03\x04": "a spreadsheet workbook or zip file",
    b"\xd0\xcf\x11\xe0": "an older Excel or Word file",
    b"\x89PNG": "an image",
    b"\xff\xd8\xff": "an image",
    b"GIF8": "an image",
    b"{\\rtf": "a Word document",
}
# Control characters other than tab, line feed and carriage return do not occur in text.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# A cell the rejected-rows download protected against formula injection.
PROTECTED = re.compile(r"'(?=[=+\-@\t\r])")


@dataclass
class RejectedRow:
    line: int
    cells: list[str]
    reasons: list[str]

    def as_json(self) -> dict:
        return {"line": self.line, "cells": self.cells, "reasons": self.reasons}


@dataclass
class ImportReport:
    """What a file holds: a problem with the whole file (nothing is imported), or each of its rows
    either accepted or rejected with every reason."""

    problem: str = ""
    columns: list[str] = field(default_factory=list)
    accepted: list[EntryFacts] = field(default_factory=list)
    rejected: list[RejectedRow] = field(default_factory=list)


# --- Reading the file ----------------------------------------------------------------------


def _text_of(data: bytes) -> tuple[str, str]:
    """The file as text, or a problem: it must be UTF-8 text (with or without a byte-order mark),
    whatever its name says."""
    if len(data) > MAX_BYTES:
        return "", TOO_LARGE
    if not data.strip():
        return "", "The selected file is empty"
    for signature, kind in BINARY_SIGNATURES.items():
        if data.startswith(signature):
            return "", f"The selected file is {kind}, not a CSV file: {SAVE_AS}"
    if b"\x00" in data:
        return "", f"The selected file must be a CSV file, not a binary file: {SAVE_AS}"
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return "", f"The selected file must be a CSV file in UTF-8 text: {SAVE_AS}"
    if CONTROL.search(text):
        return "", f"The selected file must be a CSV file of plain text: {SAVE_AS}"
    return text, ""


def _column_name(cell: str) -> str:
    return re.sub(r"[\s\-]+", "_", cell.strip().lstrip("\ufeff").casefold())


def _records(text: str, delimiter: str):
    """(first line, cells) of each record, blank lines skipped."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    previous = 0
    for cells in reader:
        start, previous = previous + 1, reader.line_num
        if any(cell.strip() for cell in cells):
            yield start, cells


def _delimiter(text: str) -> str:
    """Commas, or the semicolons or tabs some spreadsheets save with, judged from the header."""
    for delimiter in (",", ";", "\t"):
        try:
            first = next(_records(text, delimiter), None)
        except csv.Error:
            return ","
        if first and {"date", "event"} <= {_column_name(c) for c in first[1]}:
            return delimiter
    return ","


def _header_problem(columns: list[str]) -> str:
    names = [_column_name(c) for c in columns]
    known = set(REQUIRED_COLUMNS) | set(OPTIONAL_COLUMNS) | {REASONS_COLUMN, ""}
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    expected = ", ".join(REQUIRED_COLUMNS)
    if missing and not set(names) & set(REQUIRED_COLUMNS):
        return (
            f"The first row of the file must name the columns: {expected} "
            "(and, if you link entries to key findings, finding)"
        )
    if missing:
        return (
            f"The first row of the file must name the columns {expected}. "
            f"Missing: {', '.join(missing)}"
        )
    unknown = [c.strip() for c, n in zip(columns, names, strict=True) if n not in known]
    if unknown:
        return (
            f"The file has columns the chronology does not have: {', '.join(unknown)}. "
            f"Use only {expected} and finding"
        )
    repeated = sorted({n for n in names if n and names.count(n) > 1})
    if repeated:
        return f"The file names these columns more than once: {', '.join(repeated)}"
    return ""


# --- Checking a row ------------------------------------------------------------------------


def _date(value: str, today: date, reasons: list[str]) -> date | None:
    value = value.strip()
    if not value:
        reasons.append("Enter the date of the event")
        return None
    if match := ISO_DATE.fullmatch(value):
        year, month, day = match.groups()
    elif match := UK_DATE.fullmatch(value):
        day, month, year = match.groups()
    else:
        reasons.append(f"The date “{value}” must be written as YYYY-MM-DD or DD/MM/YYYY")
        return None
    try:
        when = date(int(year), int(month), int(day))
    except ValueError:
        reasons.append(f"The date “{value}” must be a real date")
        return None
    if when > today:
        reasons.append(f"The date “{value}” is in the future")
        return None
    return when


def _normal(value: str) -> str:
    return " ".join(value.replace("’", "'").casefold().split())


SOURCES = {
    **{_normal(v): v for v in ChronologySource.values},
    **{_normal(label): v for v, label in ChronologySource.choices},
    **{_normal(v.replace("_", " ")): v for v in ChronologySource.values},
    **SOURCE_ALIASES,
}


def _source(value: str, reasons: list[str]) -> str:
    if not value.strip():
        reasons.append("Enter the source of the entry")
        return ""
    source = SOURCES.get(_normal(value))
    if source is not None:
        return str(source)
    reasons.append(
        f"The source “{value.strip()}” is not one the chronology knows: use one of "
        + ", ".join(str(label) for label in ChronologySource.labels)
    )
    return ""


def _significant(value: str, reasons: list[str]) -> bool:
    answer = _normal(value)
    if answer in YES:
        return True
    if answer not in NO:
        reasons.append(f"Significant must be yes or no (or left empty), not “{value.strip()}”")
    return False


def _unprotected(cell: str) -> str:
    """The cell without the quote the rejected-rows download put before a formula character."""
    return PROTECTED.sub("", cell, count=1) if cell.startswith("'") else cell


def _row(cells, positions, kept, findings, today) -> tuple[EntryFacts | None, list[str]]:
    reasons: list[str] = []
    if any(cell.strip() for i, cell in enumerate(cells) if i not in kept):
        reasons.append(
            "The row has something in a column the header does not name: move it under the "
            "right column"
        )

    def cell(name: str) -> str:
        index = positions.get(name)
        return _unprotected(cells[index]) if index is not None and index < len(cells) else ""

    occurred_on = _date(cell("date"), today, reasons)
    source = _source(cell("source"), reasons)
    event = cell("event").strip()
    if not event:
        reasons.append("Enter the event: what happened")
    significant = _significant(cell("significant"), reasons)
    finding_id = None
    title = cell("finding").strip()
    if title:
        finding_id = findings.get(_normal(title))
        if finding_id is None:
            reasons.append(f"No key finding of this review is titled “{title}”")
    if reasons:
        return None, reasons
    facts = EntryFacts(
        occurred_on=occurred_on,
        source=source,
        event=event,
        significant=significant,
        emerging_issue=cell("emerging_issue").strip(),
        finding_id=finding_id,
    )
    return facts, []


def parse_chronology(data: bytes, *, findings: dict[str, int], today: date) -> ImportReport:
    """Read a CSV file of chronology entries. Never raises: a file that cannot be read at all comes
    back with its `problem`; otherwise every row that has anything in it is either accepted or
    rejected with every reason. `findings` maps the review's finding titles to their ids."""
    text, problem = _text_of(data)
    if problem:
        return ImportReport(problem=problem)
    findings = {_normal(title): pk for title, pk in findings.items()}
    delimiter = _delimiter(text)
    report = ImportReport()
    try:
        records = _records(text, delimiter)
        header = next(records, None)
        if header is None:
            return ImportReport(problem="The selected file is empty")
        report.columns = [c.strip().lstrip("\ufeff") for c in header[1]]
        report.problem = _header_problem(header[1])
        if report.problem:
            return report
        names = {_column_name(c): i for i, c in enumerate(header[1])}
        positions = {n: i for n, i in names.items() if n in REQUIRED_COLUMNS + OPTIONAL_COLUMNS}
        # Cells under these columns are read or deliberately ignored; anything elsewhere is not.
        kept = {*positions.values(), *([names[REASONS_COLUMN]] if REASONS_COLUMN in names else [])}
        for line, cells in records:
            facts, reasons = _row(cells, positions, kept, findings, today)
            if facts is None:
                report.rejected.append(RejectedRow(line, cells, reasons))
            else:
                report.accepted.append(facts)
    except csv.Error as error:
        return ImportReport(problem=f"The file could not be read as CSV: {error}")
    if not (report.accepted or report.rejected):
        report.problem = "The file has a header row but no entries"
    return report


# --- Importing -----------------------------------------------------------------------------


@authoring.writing("write:chronology")
def import_chronology(case, *, by, filename: str, data: bytes) -> ChronologyImport:
    """Add a file's good rows to the case's chronology and record the import with every row
    refused and why, in one transaction. Only the review's writer imports; a file that cannot be
    read at all is refused whole (ValidationError) and nothing is recorded."""
    review = authoring.review_of(case)
    # The first finding of a title wins, as it does on the page's list of findings.
    titles = {}
    for finding in review.findings.all():
        titles.setdefault(finding.title, finding.pk)
    report = parse_chronology(data, findings=titles, today=timezone.localdate())
    if report.problem:
        raise ValidationError(report.problem)
    if report.accepted:
        authoring.add_entries(case, by=by, entries=report.accepted)
    return ChronologyImport.objects.create(
        review=review,
        by=by,
        filename=filename[:255],
        columns=report.columns,
        accepted_count=len(report.accepted),
        rejected_rows=[row.as_json() for row in report.rejected],
    )


# --- The rejected rows as a file -----------------------------------------------------------


def safe_cell(value: str) -> str:
    """A cell a spreadsheet will not run as a formula: one starting = + - @ (or a tab or carriage
    return) is prefixed with a quote, which the import takes off again."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def figure_cell(value) -> str | int:
    """A cell of a CSV of figures: numbers as numbers (one decimal at most), dates in ISO, yes or
    no, and text made safe from formula injection (`safe_cell`)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return f"{value:.1f}".removesuffix(".0")
    if isinstance(value, date):
        return value.isoformat()
    return safe_cell(str(value))


def rejected_rows_csv(record: ChronologyImport) -> str:
    """The rejected rows of an import, as typed, with a `reasons` column: fixed, the file imports
    again as it is."""
    width = max([len(record.columns), *(len(r["cells"]) for r in record.rejected_rows)])
    reasons_at = next(
        (i for i, c in enumerate(record.columns) if _column_name(c) == REASONS_COLUMN), None
    )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    header = [*record.columns, *[""] * (width - len(record.columns))]
    if reasons_at is None:
        header.append(REASONS_COLUMN)
    writer.writerow([safe_cell(c) for c in header])
    for row in record.rejected_rows:
        cells = [*row["cells"], *[""] * (width - len(row["cells"]))]
        reasons = "; ".join(row["reasons"])
        if reasons_at is None:
            cells.append(reasons)
        else:
            cells[reasons_at] = reasons
        writer.writerow([safe_cell(c) for c in cells])
    return "\ufeff" + out.getvalue()


# --- Receiving the upload ------------------------------------------------------------------


class InMemoryLimitedUpload(FileUploadHandler):
    """Keeps an uploaded file in memory, never on disk, and stops keeping it once it passes the
    size limit: the file then arrives empty, marked `too_large`, for the form to refuse."""

    def __init__(self, request=None, limit: int = MAX_BYTES):
        super().__init__(request)
        self.limit = limit

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.buffer, self.size, self.too_large = io.BytesIO(), 0, False
        raise StopFutureHandlers()

    def receive_data_chunk(self, raw_data, start):
        self.size += len(raw_data)
        if self.size > self.limit:
            self.too_large = True
            self.buffer = io.BytesIO()
        else:
            self.buffer.write(raw_data)
        return None

    def file_complete(self, file_size):
        self.buffer.seek(0)
        upload = InMemoryUploadedFile(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )
        upload.too_large = self.too_large
        return upload
