"""The demo data gives the demo's victim liaison officer work: a case of their provider with a
qualifying conviction, the entitlement tasks of its victim and two family members, a contact, and
a request for disclosure awaiting its vulnerability assessment."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from sfo.access import visible_victims
from sfo.people.models import User
from victims.models import (
    ContactAttempt,
    DisclosureRequest,
    EntitlementTask,
    Relationship,
    RequestState,
    TaskStatus,
    Victim,
)
from victims.services import is_entitled

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("load_demo_data", no_logins=True, stdout=io.StringIO())


def test_the_demo_vlo_has_an_entitled_case_with_a_request_awaiting_assessment(demo, client):
    vlo = User.objects.get(username="vlo.nps-north-east")
    request = DisclosureRequest.objects.select_related("victim__case").get()
    case = request.victim.case
    assert case.managing_provider == vlo.organisation
    assert is_entitled(case) and case.disclosure_requested_on == request.requested_on
    assert request.state == RequestState.REQUESTED and not request.assessments.exists()

    family = case.victims.filter(relationship=Relationship.FAMILY, created_by=vlo)
    assert sorted(family.values_list("relationship_to_victim", flat=True)) == [
        "mother",
        "partner",
    ]
    # Every person of the case has their task: the mother told (and asking), the others open.
    tasks = EntitlementTask.objects.filter(victim__case=case)
    assert tasks.count() == case.victims.count() >= 2
    assert tasks.get(victim=request.victim).status == TaskStatus.DONE
    assert tasks.filter(status=TaskStatus.OPEN).exists()
    assert ContactAttempt.objects.filter(victim__case=case).count() == 2

    # The VLO of the provider sees them; another provider's VLO does not.
    assert set(family) <= set(visible_victims(vlo))
    other = User.objects.get(username="vlo.nps-london")
    assert not visible_victims(other).filter(case=case).exists()
    # Victims' records on other demo cases have no task: their cases do not entitle them.
    assert not EntitlementTask.objects.exclude(victim__case=case).exists()

    client.force_login(vlo)
    assert client.get(reverse("victims:case_victims", args=[case.pk])).status_code == 200
    figures = client.get(reverse("victims:take_up")).context["figures"]
    assert (figures.total.eligible, figures.total.informed, figures.total.requested) == (
        tasks.count(),
        1,
        1,
    )


def test_loading_twice_adds_no_second_set(demo):
    before = Victim.objects.count(), DisclosureRequest.objects.count()
    call_command("load_demo_data", no_logins=True, stdout=io.StringIO())
    assert (Victim.objects.count(), DisclosureRequest.objects.count()) == before
