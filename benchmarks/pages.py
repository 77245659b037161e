"""Response time and query count of the main pages, as ratios against a bare Django view.

Runs against the database the environment names (the demo data must be loaded: `make run` does,
or `manage.py load_demo_data`). Prints one line per page."""

import os

from _measure import FLOOR_URL, RUNS, measure, with_floor
from django.test import Client

from sfo.people.models import User


def main() -> None:
    with with_floor():
        client = Client()
        user = User.objects.get(username=os.environ.get("AS_USER", "qa-reviewer.hmpps-sfo"))
        client.force_login(user)
        # The floor goes through the same middleware, signed in as the same user.
        floor_ms, floor_queries = measure(client, FLOOR_URL)
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
