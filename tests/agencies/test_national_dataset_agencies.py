"""The synthetic national dataset grows other agencies: `AgencyContent`, which
`generate_national_dataset.handle` calls after the victims, run again over the cases the
command made, with the plans rebuilt from the written cases: police nearly always, requests with
their outcomes, external actions linked to the agency they name, extracts sent, parallel reviews;
the same again from the same seed."""

import io
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.utils import timezone

from agencies.models import (
    ActionConcern,
    AgencyInvolvement,
    ContributionRequest,
    ExtractShare,
    ParallelReview,
)
from reviews.management.commands._agency_content import AgencyContent, delete_agencies
from reviews.models import ActionLevel, Case, CaseTransition, ReviewAction

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year - 1


@pytest.fixture
def dataset(db):
    call_command("load_demo_data", no_logins=True, stdout=io.StringIO())
    call_command(
        "generate_national_dataset",
        "--years",
        str(YEAR),
        "--per-year",
        "150",
        "--seed",
        "2018",
        stdout=io.StringIO(),
    )


def plans():
    """What the command's plans hold that `AgencyContent` reads: the case, its allocation day
    and its own random stream."""
    allocated = dict(CaseTransition.objects.filter(name="allocate").values_list("case_id", "at"))
    cases = Case.objects.filter(crn__startswith="S").select_related("managing_provider")
    return [
        SimpleNamespace(
            case=case,
            days={"allocate": timezone.localdate(allocated[case.pk])},
            content_seed=int(case.crn[1:]) * 7919,
        )
        for case in cases.order_by("crn")
        if case.pk in allocated
    ]


def listing():
    synthetic = Case.objects.filter(crn__startswith="S")
    return (
        sorted(
            AgencyInvolvement.objects.filter(case__in=synthetic).values_list(
                "case__crn", "agency__name", "role", "added_at"
            )
        ),
        sorted(
            ContributionRequest.objects.filter(involvement__case__in=synthetic).values_list(
                "involvement__case__crn", "requested_on", "due_on", "outcome", "received_on"
            )
        ),
        sorted(ParallelReview.objects.filter(case__in=synthetic).values_list("case__crn", "kind")),
        ExtractShare.objects.count(),
    )


def test_the_dataset_grows_agencies_requests_links_shares_and_parallel_reviews(dataset):
    # The command wrote some; they are deleted, and written again here from plans rebuilt.
    made = listing()
    assert made[0] and made[1] and made[2] and made[3]
    assert delete_agencies([p.case.pk for p in plans()]) > 0
    content = AgencyContent(seed=2018, today=timezone.localdate())
    written = content.write(plans(), batch=500)
    cases = {p.case.pk for p in plans()}
    assert written["agencies involved"] > len(cases)
    involvements = AgencyInvolvement.objects.filter(case__in=cases)
    with_police = set(involvements.filter(agency__kind="police").values_list("case_id", flat=True))
    assert 0.85 * len(cases) <= len(with_police) < len(cases) + 1
    assert involvements.filter(agency__kind="childrens_services").exists()

    requests = ContributionRequest.objects.filter(involvement__case__in=cases)
    outcomes = set(requests.values_list("outcome", flat=True))
    assert {"received", "declined", "no_reply"} <= outcomes
    assert not requests.filter(outcome="received", received_on__isnull=True).exists()
    assert not requests.filter(requested_on__gt=timezone.localdate()).exists()

    # Every external action of the reviews is linked to an agency involved in its case.
    external = ReviewAction.objects.filter(review__case__in=cases, level=ActionLevel.EXTERNAL)
    assert external.exists()
    linked = ActionConcern.objects.filter(action__in=external)
    assert set(linked.values_list("action_id", flat=True)) == set(
        external.values_list("pk", flat=True)
    )
    assert all(c.involvement.case_id == c.action.review.case_id for c in linked)
    assert ExtractShare.objects.filter(involvement__case__in=cases).exists()

    parallel = ParallelReview.objects.filter(case__in=cases)
    mappa = parallel.filter(kind="mappa_scr").count()
    assert 0.05 * len(cases) <= mappa <= 0.10 * len(cases)
    assert parallel.filter(kind="dhr").exists()
    assert content.summary()[0].startswith("Other agencies:")

    # The same rows again from the same seed, once the earlier ones are deleted.
    first = listing()
    assert delete_agencies(list(cases)) > 0
    assert not AgencyInvolvement.objects.filter(case__in=cases).exists()
    AgencyContent(seed=2018, today=timezone.localdate()).write(plans(), batch=500)
    assert listing() == first
