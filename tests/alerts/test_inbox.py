"""The inbox: one's own alerts only, newest first; marking read; the badge in the header."""

import pytest
from django.urls import reverse
from django.utils import timezone

from sfo.alerts.models import Alert
from sfo.alerts.services import sweep_clocks
from sfo.people.roles import Role
from tests.alerts.conftest import TODAY


@pytest.fixture
def swept(world, clocks):
    sweep_clocks(TODAY)
    return world


@pytest.mark.django_db
def test_the_inbox_lists_only_ones_own_alerts_newest_first(client, swept):
    reviewer = swept["a"][Role.SFO_REVIEWER]
    client.force_login(reviewer)
    response = client.get(reverse("alerts:inbox"))

    assert response.status_code == 200
    shown = list(response.context["alerts"])
    assert shown == list(Alert.objects.filter(recipient=reviewer).order_by("-created_at", "-pk"))
    assert len(shown) == 3
    page = response.content.decode()
    for alert in Alert.objects.exclude(recipient=reviewer):
        assert alert.message not in page or alert.recipient_id == reviewer.pk
    assert reverse("reviews:case_detail", args=[shown[0].case_id]) in page


@pytest.mark.django_db
def test_mark_one_as_read(client, swept):
    reviewer = swept["a"][Role.SFO_REVIEWER]
    alert = Alert.objects.filter(recipient=reviewer).first()
    client.force_login(reviewer)

    response = client.post(reverse("alerts:mark_read", args=[alert.pk]))

    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.read_at is not None
    assert Alert.objects.filter(recipient=reviewer, read_at__isnull=True).count() == 2


@pytest.mark.django_db
def test_someone_elses_alert_is_not_found(client, swept):
    theirs = Alert.objects.filter(recipient=swept["central"][Role.CENTRAL_QA_MANAGER]).first()
    client.force_login(swept["a"][Role.SFO_REVIEWER])

    assert client.post(reverse("alerts:mark_read", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.django_db
def test_mark_all_as_read_touches_only_ones_own(client, swept):
    reviewer = swept["a"][Role.SFO_REVIEWER]
    client.force_login(reviewer)

    response = client.post(reverse("alerts:mark_all_read"), follow=True)

    assert "3 alerts marked as read" in response.content.decode()
    assert not Alert.objects.filter(recipient=reviewer, read_at__isnull=True).exists()
    assert Alert.objects.exclude(recipient=reviewer).filter(read_at__isnull=True).count() == 5


@pytest.mark.django_db
def test_reading_by_get_is_refused(client, swept):
    reviewer = swept["a"][Role.SFO_REVIEWER]
    alert = Alert.objects.filter(recipient=reviewer).first()
    client.force_login(reviewer)
    assert client.get(reverse("alerts:mark_read", args=[alert.pk])).status_code == 405


@pytest.mark.django_db
def test_the_empty_inbox_says_so(client, world, policies):
    client.force_login(world["a"][Role.SENIOR_MANAGER])
    page = client.get(reverse("alerts:inbox")).content.decode()
    assert "You have no alerts" in page
    assert "moj-notification-badge" not in page


@pytest.mark.django_db
def test_the_header_badge_counts_the_unread_in_one_query(client, swept, django_assert_num_queries):
    manager = swept["central"][Role.CENTRAL_QA_MANAGER]
    client.force_login(manager)
    page = client.get(reverse("home")).content.decode()
    assert '<span class="moj-notification-badge">2</span>' in page

    Alert.objects.filter(recipient=manager).update(read_at=timezone.now())
    page = client.get(reverse("home")).content.decode()
    assert "moj-notification-badge" not in page

    from django.test import RequestFactory

    from sfo.alerts.context_processors import unread_alerts

    request = RequestFactory().get("/")
    request.user = manager
    context = unread_alerts(request)
    with django_assert_num_queries(1):
        assert int(context["unread_alerts"]) == 0
        assert str(context["unread_alerts"]) == "0"


@pytest.mark.django_db
def test_alerts_is_in_everyones_navigation(client, world, policies):
    for role in (Role.ADMINISTRATOR, Role.RESPONSIBLE_OFFICER):
        user = world["central"].get(role) or world["a"][role]
        client.force_login(user)
        navigation = client.get(reverse("home")).context["navigation"]
        assert "Alerts" in [item["label"] for item in navigation]


@pytest.mark.django_db
def test_an_administrator_runs_the_sweep_from_the_admin(client, world, clocks):
    client.force_login(world["central"][Role.ADMINISTRATOR])
    page = client.get(reverse("admin:alerts_sweeprun_changelist")).content.decode()
    assert "Run the clock sweep now" in page

    response = client.post(reverse("admin:alerts_sweeprun_run"), follow=True)

    assert response.status_code == 200
    assert "Sweep for" in response.content.decode()


@pytest.mark.django_db
def test_nobody_else_may_run_the_sweep(client, world, clocks):
    client.force_login(world["central"][Role.CENTRAL_QA_MANAGER])
    assert client.post(reverse("admin:alerts_sweeprun_run")).status_code == 403
