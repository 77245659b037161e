"""What the benchmark scripts share: Django set up for a script run from the repository, a bare
view through the same middleware (the floor every figure is divided by), and the median of many
requests with the query count of one.

Importing this module sets Django up, so a script imports it before anything from the project."""

import os
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sfo.settings.dev")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import include, path  # noqa: E402

from sfo.access import PUBLIC, access  # noqa: E402

RUNS = int(os.environ.get("RUNS", "50"))
FLOOR_URL = "/__floor__/"


@access(PUBLIC)
def floor(request):
    return HttpResponse("ok")


urlpatterns = [path(FLOOR_URL.strip("/") + "/", floor), path("", include("sfo.urls"))]


@contextmanager
def with_floor() -> Iterator[None]:
    """The project's URLs plus the floor view, for the test client."""
    with override_settings(ROOT_URLCONF=__name__, ALLOWED_HOSTS=["testserver"]):
        yield


def measure(client: Client, url: str, runs: int = RUNS) -> tuple[float, int]:
    """The median response time in milliseconds over `runs` requests (after one to warm the
    caches), and the number of queries of one more request."""
    client.get(url)  # warm
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(times) * 1000, len(queries)
