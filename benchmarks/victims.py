"""The victims' pages over the national dataset of `case_list.py` (about 6,000 cases, with their
victims, entitlement tasks, requests and disclosures): the take-up figures for the last 12 months
and for eight years, their CSV, the entitlement worklist, and the victims of the case with the most
of them. Median response time and query count, as ratios against the bare view of `pages.py`.

Measured as the central QA manager (every provider) and as a provider's victim liaison officer
(one provider). A dataset generated before victims were added is generated again."""

from _measure import FLOOR_URL, RUNS, measure, with_floor
from case_list import PER_YEAR, SEED, YEARS, ensure_data
from django.core.management import call_command
from django.db.models import Count
from django.test import Client
from django.urls import reverse

from reviews.management.commands.generate_national_dataset import synthetic_cases
from sfo.people.models import OrganisationKind, User
from victims.models import DisclosureMeeting, DisclosureRequest, EntitlementTask, Victim

USERS = ["qa-manager.hmpps-sfo", "vlo.nps-london"]


def ensure_victims() -> None:
    ensure_data()
    if Victim.objects.filter(case__in=synthetic_cases()).exists():
        return
    print("The dataset has no victims yet: generating it again…")
    call_command(
        "generate_national_dataset",
        "--years",
        *YEARS,
        "--per-year",
        str(PER_YEAR),
        "--seed",
        SEED,
        "--replace",
    )


def main() -> None:
    ensure_victims()
    print(
        f"Victims and family members: {Victim.objects.count()}, entitlement tasks: "
        f"{EntitlementTask.objects.count()}, requests: {DisclosureRequest.objects.count()}, "
        f"meetings: {DisclosureMeeting.objects.count()}"
    )
    take_up = reverse("victims:take_up")
    eight_years = "?start_0=1&start_1=1&start_2=2019&end_0=31&end_1=12&end_2=2026"
    with with_floor():
        for name in USERS:
            user = User.objects.get(username=name)
            client = Client()
            client.force_login(user)
            floor_ms, floor_queries = measure(client, FLOOR_URL)
            scope = Victim.objects.all()
            if user.organisation.kind != OrganisationKind.CENTRAL_TEAM:
                scope = scope.filter(case__managing_provider=user.organisation)
            busiest = scope.values("case").annotate(n=Count("pk")).order_by("-n").first()
            pages = {
                "take-up, last 12 months": take_up,
                "take-up, eight years": take_up + eight_years,
                "take-up CSV, eight years": reverse("victims:take_up_csv") + eight_years,
                "entitlement worklist": reverse("victims:entitlement_tasks"),
                f"victims of a case ({busiest['n']})": reverse(
                    "victims:case_victims", args=[busiest["case"]]
                ),
            }
            print(f"\n{name}: floor {floor_ms:.2f} ms median of {RUNS}, {floor_queries} queries")
            for label, url in pages.items():
                ms, queries = measure(client, url)
                print(
                    f"  {label:<32} {ms:8.2f} ms  {ms / floor_ms:6.1f}x floor  "
                    f"{queries:3d} queries  ({queries - floor_queries:+d} on the floor)"
                )


if __name__ == "__main__":
    main()
