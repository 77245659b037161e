"""The central QA queue and the turnaround figures over a national dataset of about 6,000 cases:
query count and median response time, as ratios against a bare view through the same middleware.

Uses the dataset of `case_list.py` (loaded when missing). Measured as the central QA manager and a
central QA reviewer, who see every case."""

from _measure import FLOOR_URL, RUNS, measure, with_floor
from case_list import ensure_data
from django.test import Client
from django.urls import reverse

from qa.models import QAAssessment
from qa.selectors import queue
from sfo.people.models import User

USERS = ["qa-manager.hmpps-sfo", "qa-reviewer.hmpps-sfo"]


def main() -> None:
    ensure_data()
    print(f"Central QA rounds in the database: {QAAssessment.objects.count()}")
    queue_url, figures = reverse("qa:queue"), reverse("qa:turnaround")
    pages = {
        "queue, first page": queue_url,
        "queue, full QA only": f"{queue_url}?mode=full",
        "queue, being rated": f"{queue_url}?state=central_qa",
        "queue, QA complete, rated RI": f"{queue_url}?state=qa_complete"
        "&rating=Requires+improvement",
        "queue, QA complete, page 5": f"{queue_url}?state=qa_complete&page=5",
        "turnaround, last 12 months": figures,
        "turnaround, ten years": f"{figures}?start_0=1&start_1=1&start_2=2019"
        "&end_0=31&end_1=12&end_2=2026",
    }
    with with_floor():
        for name in USERS:
            user = User.objects.get(username=name)
            client = Client()
            client.force_login(user)
            floor_ms, floor_queries = measure(client, FLOOR_URL)
            waiting = queue(user).count()
            print(
                f"\n{name} ({waiting} reviews with the central team): floor {floor_ms:.2f} ms "
                f"median of {RUNS}, {floor_queries} queries"
            )
            for label, url in pages.items():
                ms, queries = measure(client, url)
                print(
                    f"  {label:<32} {ms:8.2f} ms  {ms / floor_ms:6.1f}x floor  "
                    f"{queries:3d} queries  ({queries - floor_queries:+d} on the floor)"
                )


if __name__ == "__main__":
    main()
