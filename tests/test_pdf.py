"""The PDF renderer: real WeasyPrint, read back with pdftotext."""

import subprocess

import pytest

from sfo.pdf import StaticFilesOnly, render_pdf


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_every_page_carries_the_protective_marking_and_its_number(tmp_path, settings):
    # A long document on the shared print layout, as later documents will extend it.
    templates = tmp_path / "templates"
    (templates / "t").mkdir(parents=True)
    (templates / "t" / "doc.html").write_text(
        '{% extends "pdf/base.html" %}{% block content %}<h1>Chronology</h1>'
        "{% for n in rows %}<p>Entry {{ n }}: contact with the person on probation.</p>"
        "{% endfor %}{% endblock %}"
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [templates, *settings.TEMPLATES[0]["DIRS"]]}
    ]

    data = render_pdf("t/doc.html", {"title": "Chronology", "rows": range(120)})

    assert data.startswith(b"%PDF-")
    text = pdf_text(data, tmp_path)
    pages = text.split("\f")
    pages = [page for page in pages if page.strip()]
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert page.count("OFFICIAL-SENSITIVE") == 2, f"page {number} lacks the marking"
        assert f"Page {number} of {len(pages)}" in page
    assert "Entry 119: contact" in text


@pytest.mark.parametrize(
    "url",
    ["http://example.com/tracker.png", "file:///etc/passwd", "https://sfo.invalid/media/x.png"],
)
def test_the_renderer_fetches_nothing_but_static_files(url):
    with pytest.raises(ValueError, match="only the service's static files"):
        StaticFilesOnly().fetch(url)


def test_the_renderer_serves_the_projects_static_files():
    response = StaticFilesOnly().fetch("https://sfo.invalid/static/css/pdf.css")
    assert b"@page" in response.read()
