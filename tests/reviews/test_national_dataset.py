"""The synthetic national dataset: the 2018/19 mix, reproducible from its seed, with references
and clocks that later real work can live beside."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Q
from django.utils import timezone

from reviews.journeys import PATHS
from reviews.models import Case, ReferenceCounter
from sfo.clocks.models import OPEN_STATUSES, Clock

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year - 1


def generate(*args: str) -> str:
    out = io.StringIO()
    call_command("generate_national_dataset", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(db):
    call_command("load_demo_data", no_logins=True, stdout=io.StringIO())


def synthetic():
    return Case.objects.filter(crn__startswith="S")


def share(part, whole) -> float:
    return 100 * part.count() / whole.count()


def test_it_generates_the_cases_in_the_2018_19_mix(demo):
    demo_cases = set(Case.objects.values_list("pk", flat=True))
    summary = generate("--years", str(YEAR), "--per-year", "300", "--seed", "2018")
    cases = synthetic()
    assert cases.count() == 300
    assert "Synthetic national dataset: 300 cases" in summary
    assert share(cases.filter(charged_offences__offence__category="violent"), cases) == (
        pytest.approx(68, abs=3)
    )
    assert share(cases.filter(managing_provider__kind="probation_division"), cases) == (
        pytest.approx(60, abs=3)
    )
    notified = cases.exclude(qualification="")
    assert share(notified.filter(qualification="automatic"), notified) == pytest.approx(77, abs=3)
    registered = cases.exclude(reference=None)
    assert share(registered.filter(high_profile=True), registered) == pytest.approx(14, abs=3)
    # Old enough to have moved on: no case of last year is still waiting for its notification.
    assert not cases.filter(state="identified").exists()
    assert set(Case.objects.exclude(crn__startswith="S").values_list("pk", flat=True)) == (
        demo_cases
    )

    # Each case went along the path of its state, one transition after another.
    for case in cases.prefetch_related("transitions")[:60]:
        names = [t.name for t in case.transitions.all()]
        assert names == ["identify", *PATHS[case.state]]

    # References are unique, and the counters are past them, so a real registration is safe.
    references = list(Case.objects.exclude(reference=None).values_list("reference", flat=True))
    assert len(references) == len(set(references))
    counters = dict(ReferenceCounter.objects.values_list("year", "last"))
    for reference in references:
        _, year, number = reference.split("-")
        assert counters[int(year)] >= int(number)

    # One open clock per case and kind at most (the database refuses more; this says so).
    doubled = (
        Clock.objects.filter(status__in=OPEN_STATUSES)
        .values("case", "kind")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    assert not doubled.exists()
    # Ended cases have no clock running; open ones keep theirs.
    assert not Clock.objects.filter(
        Q(case__state__in=["closed", "rejected", "discontinued"]), status__in=OPEN_STATUSES
    ).exists()


def test_the_same_seed_gives_the_same_cases(demo):
    def listing():
        return list(
            synthetic()
            .order_by("crn")
            .values_list("crn", "state", "managing_provider__code", "charged_offences__offence")
        )

    generate("--years", str(YEAR), "--per-year", "120", "--seed", "7")
    first = listing()
    with pytest.raises(CommandError, match="--replace"):
        generate("--years", str(YEAR), "--per-year", "120", "--seed", "7")
    generate("--years", str(YEAR), "--per-year", "120", "--seed", "7", "--replace")
    assert listing() == first
    assert len(first) == 120
    generate("--years", str(YEAR), "--per-year", "120", "--seed", "8", "--replace")
    assert listing() != first


def test_it_needs_the_demo_organisations_and_people(db):
    with pytest.raises(CommandError, match="load_demo_data"):
        generate("--years", str(YEAR), "--per-year", "10")
