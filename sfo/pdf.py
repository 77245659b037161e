"""PDF rendering: a pure function from a template and its context to PDF bytes.

WeasyPrint may fetch only the project's own static files (and data: URLs): nothing from the
network, nothing else from the disk. A redacted document is rendered from redacted data, never by
covering text."""

from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher

BASE_URL = "https://sfo.invalid/"
STATIC_PREFIX = BASE_URL + "static/"


class StaticFilesOnly(URLFetcher):
    """Serve /static/… from the project's static folders; refuse every other address."""

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if url.startswith(STATIC_PREFIX):
            path = finders.find(url.removeprefix(STATIC_PREFIX).split("?")[0])
            if path:
                return super().fetch(f"file://{path}", headers)
        raise ValueError(f"PDFs may use only the service's static files, not {url}")


def lay_out(html: str):
    """The HTML laid out in pages (WeasyPrint's document), fetching only the service's static
    files. Layout is the slow step: a renderer that reports progress calls this, then
    `write_pdf()` on the result."""
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesOnly()).render()


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    return lay_out(render_to_string(template, context)).write_pdf()
