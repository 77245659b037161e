"""Extensions, stops and restarts from the case page: recorded events, never edited dates."""

from datetime import date

import pytest
from django.urls import reverse

from reviews import services
from sfo.clocks.calendar import add_working_days
from sfo.clocks.models import ClockEventKind, ExtensionRequest
from sfo.people.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world, murder):
    return services.identify_case(
        by=world["a"][Role.SFO_REVIEWER],
        crn="A100001",
        person_name="Sam Baker",
        offence=murder,
        first_hearing_date=date(2026, 11, 20),
    )


def notification_clock(case):
    return case.clocks.get(kind="notification")


def test_the_provider_asks_for_more_time_and_the_manager_grants_it(client, world, case):
    clock = notification_clock(case)
    due = clock.due_on
    client.force_login(world["a"][Role.SFO_REVIEW_MANAGER])
    url = reverse("reviews:request_extension", args=[case.pk, clock.pk])
    response = client.post(url, {"days": "3", "reason": "Waiting for the police report"})
    assert response.status_code == 302
    extension = ExtensionRequest.objects.get(clock=clock)
    clock.refresh_from_db()
    assert clock.due_on == due  # nothing moves until the decision

    client.force_login(world["central"][Role.CENTRAL_QA_MANAGER])
    page = client.get(reverse("reviews:case_detail", args=[case.pk]))
    assert b"Waiting for the police report" in page.content
    decide = reverse("reviews:decide_extension", args=[case.pk, extension.pk])
    response = client.post(decide, {"decision": "approve", "days_granted": "", "note": ""})
    assert response.status_code == 302
    clock.refresh_from_db()
    assert clock.due_on == add_working_days(due, 3)
    assert clock.events.filter(kind=ClockEventKind.EXTENDED).count() == 1


def test_a_reason_is_needed_and_what_was_typed_is_kept(client, world, case):
    clock = notification_clock(case)
    client.force_login(world["a"][Role.SFO_REVIEWER])
    url = reverse("reviews:request_extension", args=[case.pk, clock.pk])
    response = client.post(url, {"days": "4", "reason": ""})
    assert response.status_code == 200
    assert b"There is a problem" in response.content and b'value="4"' in response.content
    assert not ExtensionRequest.objects.exists()


@pytest.mark.parametrize("role", [Role.ANALYST, Role.CENTRAL_QA_REVIEWER, Role.SFO_REVIEWER])
def test_only_the_central_qa_manager_decides(client, world, case, role):
    clock = notification_clock(case)
    extension = ExtensionRequest.objects.create(
        clock=clock,
        days_requested=2,
        reason="Advice awaited",
        requested_by=world["a"][Role.SFO_REVIEWER],
    )
    user = world["central"].get(role) or world["a"][role]
    client.force_login(user)
    url = reverse("reviews:decide_extension", args=[case.pk, extension.pk])
    assert client.post(url, {"decision": "approve"}).status_code == 403


def test_another_providers_staff_cannot_ask_for_more_time(client, world, case):
    clock = notification_clock(case)
    client.force_login(world["b"][Role.SFO_REVIEW_MANAGER])
    url = reverse("reviews:request_extension", args=[case.pk, clock.pk])
    assert client.get(url).status_code == 404  # the case is outside their scope


def test_the_manager_stops_and_restarts_a_clock_with_a_reason(client, world, case):
    clock = notification_clock(case)
    client.force_login(world["central"][Role.CENTRAL_QA_MANAGER])
    stop = reverse("reviews:stop_clock", args=[case.pk, clock.pk])
    assert b"There is a problem" in client.post(stop, {"reason": ""}).content
    assert client.post(stop, {"reason": "Awaiting CPS advice"}).status_code == 302
    clock.refresh_from_db()
    assert clock.status == "stopped"
    restart = reverse("reviews:restart_clock", args=[case.pk, clock.pk])
    assert client.post(restart, {"reason": "CPS advice received"}).status_code == 302
    clock.refresh_from_db()
    assert clock.status == "running"
    kinds = list(clock.events.order_by("pk").values_list("kind", flat=True))
    assert kinds[-2:] == [ClockEventKind.STOPPED, ClockEventKind.RESTARTED]


def test_the_manager_sees_extension_requests_waiting_on_their_home_page(client, world, case):
    clock = notification_clock(case)
    ExtensionRequest.objects.create(
        clock=clock,
        days_requested=2,
        reason="Advice awaited",
        requested_by=world["a"][Role.SFO_REVIEWER],
    )
    client.force_login(world["central"][Role.CENTRAL_QA_MANAGER])
    queues = {q["title"]: q["cases"] for q in client.get(reverse("home")).context["queues"]}
    assert queues["Extension requests to decide"] == [case]
