"""Response time and query count of the main pages, as ratios against a bare Django view.

Runs against the database the environment names (the demo data must be loaded: `make run` does,
or `manage.py load_demo_data`). Prints one line per page."""

import os
import statistics
import sys
import time
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
from sfo.people.models import User  # noqa: E402


@access(PUBLIC)
def floor(request):
    return HttpResponse("ok")


urlpatterns = [path("__floor__/", floor), path("", include("sfo.urls"))]

RUNS = int(os.environ.get("RUNS", "50"))


def measure(client: Client, url: str) -> tuple[float, int]:
    client.get(url)  # warm
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(times) * 1000, len(queries)


def main() -> None:
    with override_settings(ROOT_URLCONF=__name__, ALLOWED_HOSTS=["testserver"]):
        client = Client()
        user = User.objects.get(username=os.environ.get("AS_USER", "qa-reviewer.hmpps-sfo"))
        client.force_login(user)
        # The floor goes through the same middleware, signed in as the same user.
        floor_ms, floor_queries = measure(client, "/__floor__/")
        print(
            f"floor (bare view, signed in): {floor_ms:.2f} ms median of {RUNS}, "
            f"{floor_queries} queries"
        )
        from reviews.selectors import case_list_for

        case = case_list_for(user).first()
        pages = ["/", "/cases/", "/cases/?page=2"] + ([f"/cases/{case.pk}/"] if case else [])
        for url in pages:
            ms, queries = measure(client, url)
            print(f"{url:<24} {ms:7.2f} ms  {ms / floor_ms:6.1f}x floor  {queries} queries")


if __name__ == "__main__":
    main()
