"""What people send the service, and the files it makes, cannot be turned against it: the only
upload (the chronology's CSV import) is judged by its content, never by its name or the type the
browser claims, and its size is limited before it is read; the generated documents are stored
outside every folder the web server serves, under names the service makes, and reach people only
through the download view that checks who is asking.

tests/reviews/test_chronology.py already refuses a PDF, a workbook, NUL bytes and Latin-1 text,
refuses a file just over the limit and shows that an upload never touches the disk; these tests
add the other disguises and the limits around them."""

import gzip
import io
import struct
import zipfile
import zlib
from importlib import import_module
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import StopFutureHandlers
from django.test import Client
from django.urls import reverse
from django.views.static import serve

from reviews.chronology_import import MAX_BYTES, SAVE_AS, TOO_LARGE, InMemoryLimitedUpload
from reviews.models import ChronologyEntry, ChronologyImport
from sfo.documents import services as documents
from sfo.documents.models import JobStatus
from sfo.people.roles import Role
from tests.factories import CaseFactory
from tests.reviews.conftest import assert_error_summary
from tests.test_access_matrix import ALL_URLS, review_in_progress

pytestmark = pytest.mark.django_db

HEADER = "date,source,event,significant,emerging_issue\n"
GOOD_CSV = HEADER + "2025-01-06,police,Arrested at home,yes,\n2025-01-07,court,Remanded,no,\n"


@pytest.fixture
def writer(client, staff, shared_case, settings, tmp_path):
    """The shared case's review being written by its SFO reviewer, signed in; documents (if any)
    go to a folder of this test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    reviewer = staff[Role.SFO_REVIEWER]
    review_in_progress(shared_case, reviewer)
    client.force_login(reviewer)
    return client, shared_case


def import_url(case) -> str:
    return reverse("reviews:chronology_import", args=[case.pk])


def send(client, case, content: bytes, name="chronology.csv", content_type="text/csv"):
    upload = SimpleUploadedFile(name, content, content_type)
    return client.post(import_url(case), {"file": upload})


def png() -> bytes:
    """A real one-pixel PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )


def zipped(text: str) -> bytes:
    """The CSV file compressed into a zip, as a mail client or a file share hands it over."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("chronology.csv", text)
    return out.getvalue()


BINARY = f"The selected file must be a CSV file, not a binary file: {SAVE_AS}"
DISGUISES = {
    "png-renamed-csv": (png(), f"The selected file is an image, not a CSV file: {SAVE_AS}"),
    "zip-renamed-csv": (
        zipped(GOOD_CSV),
        f"The selected file is a spreadsheet workbook or zip file, not a CSV file: {SAVE_AS}",
    ),
    "gzip-renamed-csv": (gzip.compress(GOOD_CSV.encode(), mtime=0), BINARY),
    # What a spreadsheet saves as "Unicode text": readable, but not UTF-8.
    "utf-16": (GOOD_CSV.encode("utf-16"), BINARY),
    "utf-8-cut-mid-character": (
        (HEADER + "2025-01-06,police,Caf").encode() + b"\xc3" + b",no,\n",
        f"The selected file must be a CSV file in UTF-8 text: {SAVE_AS}",
    ),
    "terminal-escapes": (
        (HEADER + "2025-01-06,police,\x1b[2J\x1b[31mCleared,no,\n").encode(),
        f"The selected file must be a CSV file of plain text: {SAVE_AS}",
    ),
}


@pytest.mark.parametrize("content, message", DISGUISES.values(), ids=DISGUISES.keys())
def test_a_file_that_is_not_csv_text_is_refused_by_its_content(writer, content, message):
    client, case = writer
    entries = list(ChronologyEntry.objects.filter(review__case=case).values())
    imports = ChronologyImport.objects.count()

    response = send(client, case, content)

    assert_error_summary(response, message, "id_file")
    # The chronology is as it was, and the page still lists the earlier imports.
    assert list(ChronologyEntry.objects.filter(review__case=case).values()) == entries
    assert ChronologyImport.objects.count() == imports
    assert "chronology.csv" in response.content.decode()


def test_a_csv_file_is_taken_whatever_its_name_or_claimed_type(writer, settings):
    client, case = writer
    before = ChronologyEntry.objects.filter(review__case=case).count()

    response = send(
        client, case, GOOD_CSV.encode("utf-8-sig"), name="export.txt", content_type="image/png"
    )

    assert response.status_code == 302
    assert ChronologyEntry.objects.filter(review__case=case).count() == before + 2
    # Nothing of the upload is stored: the file's name is only a label on the import's record.
    assert not Path(settings.MEDIA_ROOT).exists() or not any(Path(settings.MEDIA_ROOT).rglob("*"))
    assert ChronologyImport.objects.latest("pk").filename == "export.txt"


# --- Size ------------------------------------------------------------------------------------


def test_the_request_limits_of_the_settings_are_sensible(settings):
    # Form fields beyond the file are held in memory up to this: set, and a few MB at most.
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE is not None
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 5 * 1024 * 1024
    # Any other upload is spooled to disk beyond this, never held whole in memory.
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 5 * 1024 * 1024
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS is not None
    assert settings.DATA_UPLOAD_MAX_NUMBER_FILES is not None
    # The import's own limit is what its page tells people.
    assert MAX_BYTES == 2 * 1024 * 1024 and "2 MB" in TOO_LARGE


def test_a_file_many_times_the_limit_is_refused_and_never_held_whole(writer):
    client, case = writer
    before = ChronologyEntry.objects.filter(review__case=case).count()
    content = (HEADER + "2025-01-06,police,An event,no,\n" * 300_000).encode()
    assert len(content) > 4 * MAX_BYTES

    response = send(client, case, content)

    assert_error_summary(response, TOO_LARGE, "id_file")
    assert ChronologyEntry.objects.filter(review__case=case).count() == before


def test_the_upload_handler_keeps_no_more_than_the_limit_in_memory():
    handler = InMemoryLimitedUpload(limit=1000)
    with pytest.raises(StopFutureHandlers):  # no other handler sees the file
        handler.new_file("file", "big.csv", "text/csv", None)
    held = []
    for start in range(0, 10_000, 100):
        handler.receive_data_chunk(b"x" * 100, start)
        held.append(handler.buffer.getbuffer().nbytes)
    upload = handler.file_complete(10_000)

    assert max(held) <= 1000
    assert upload.too_large and upload.size == 10_000 and upload.read() == b""


def test_form_fields_over_the_memory_limit_are_refused_before_anything_is_read(writer, settings):
    client, case = writer
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
    before = ChronologyEntry.objects.filter(review__case=case).count()
    upload = SimpleUploadedFile("chronology.csv", GOOD_CSV.encode(), "text/csv")

    response = client.post(import_url(case), {"file": upload, "padding": "x" * 200_000})

    assert response.status_code == 400
    assert ChronologyEntry.objects.filter(review__case=case).count() == before


# --- Where files are kept --------------------------------------------------------------------


def served_folders(module) -> list[Path]:
    """Every folder whose files the web server hands out: the collected static files, their
    sources (which WhiteNoise serves in development), and WhiteNoise's site root."""
    folders = [module.STATIC_ROOT, *module.STATICFILES_DIRS, module.WHITENOISE_ROOT]
    for finder in finders.get_finders():
        for storage in getattr(finder, "storages", {}).values():
            folders.append(storage.location)
    return [Path(folder).resolve() for folder in folders if folder]


@pytest.mark.parametrize("name", ["sfo.settings.base", "sfo.settings.production"])
def test_stored_documents_are_outside_every_served_folder(name):
    module = import_module(name)
    media = Path(module.MEDIA_ROOT).resolve()
    for folder in served_folders(module):
        assert not media.is_relative_to(folder), f"MEDIA_ROOT {media} is served from {folder}"
        assert not folder.is_relative_to(media), f"{folder} is inside MEDIA_ROOT {media}"


def test_no_address_serves_the_stored_files_directly():
    from django.conf import settings

    media_prefix = settings.MEDIA_URL.strip("/")
    for name, pattern in ALL_URLS:
        assert pattern.callback is not serve, name
    assert not any(str(p.pattern).startswith(media_prefix) for _, p in ALL_URLS)


def test_a_document_is_stored_under_a_name_the_service_makes_and_served_only_by_its_view(
    staff, provider, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    reviewer = staff[Role.SFO_REVIEWER]
    # What people type about the case never becomes a path.
    case = CaseFactory(managing_provider=provider, person_name="../../etc/passwd <Sam>")
    assert case.reference is None
    job = documents.request_document(kind="case_summary", case=case, by=reviewer)
    documents.run_document_job(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE

    assert job.file.name == f"documents/{job.pk}/case-summary-case-{case.pk}.pdf"
    stored = Path(job.file.path).resolve()
    assert stored.is_relative_to(Path(settings.MEDIA_ROOT).resolve()) and stored.is_file()

    browser = Client()
    browser.force_login(reviewer)
    for address in (f"{settings.MEDIA_URL}{job.file.name}", f"/{job.file.name}"):
        assert browser.get(address).status_code == 404, address
    assert browser.get(reverse("documents:download", args=[job.pk])).status_code == 200
    # Someone who may not see the case is told the document does not exist.
    outsider = Client()
    outsider.force_login(staff[Role.ADMINISTRATOR])
    assert outsider.get(reverse("documents:download", args=[job.pk])).status_code == 404
