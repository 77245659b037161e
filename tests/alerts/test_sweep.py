"""The clock sweep: exactly the expected alerts, once, however often and however concurrently it
runs; e-mailed once each; never to someone who may not see the case."""

import threading
from datetime import date

import pytest
from django.core import mail
from django.db import connection

from sfo.alerts.models import Alert, AlertPolicy, SweepRun
from sfo.alerts.services import sweep_clocks
from sfo.people.roles import Role
from tests.alerts.conftest import TODAY, alerts_now, expected_alerts, make_case, make_clock


@pytest.mark.django_db
def test_the_sweep_creates_exactly_the_expected_alerts(world, clocks):
    result = sweep_clocks(TODAY)

    assert alerts_now() == expected_alerts(world, clocks)
    assert result.clocks == 5  # the running clocks due by Monday 19 January
    assert result.counts == {"reminder": 2, "due_today": 1, "overdue": 2, "escalation": 3}
    assert (result.created, result.skipped) == (8, 0)
    assert set(Alert.objects.values_list("day", flat=True)) == {TODAY}


@pytest.mark.django_db
def test_the_messages_name_the_case_and_its_deadline_and_never_a_victim(world, clocks):
    from tests.factories import VictimFactory

    victim = VictimFactory(case=clocks["overdue"].case, full_name="Victoria Unseen")
    sweep_clocks(TODAY)

    overdue = Alert.objects.get(clock=clocks["overdue"], kind="overdue")
    assert overdue.message == (
        f"The early look clock of {clocks['overdue'].case} "
        f"({clocks['overdue'].case.person_name}) was due on Monday 12 January 2026 and is "
        "2 working days overdue."
    )
    reminder = Alert.objects.get(clock=clocks["reminder"])
    assert "due on Friday 16 January 2026: 2 working days left" in reminder.message
    assert all(victim.full_name not in a.message for a in Alert.objects.all())
    assert all(victim.full_name not in m.body for m in mail.outbox)


@pytest.mark.django_db
def test_running_it_twice_creates_and_sends_nothing_more(world, clocks):
    first = sweep_clocks(TODAY)
    sent = len(mail.outbox)
    second = sweep_clocks(TODAY)

    assert alerts_now() == expected_alerts(world, clocks)
    assert (second.created, second.skipped, second.emails_sent) == (0, first.created, 0)
    assert len(mail.outbox) == sent == first.created
    assert list(SweepRun.objects.order_by("pk").values_list("created", "skipped")) == [
        (8, 0),
        (0, 8),
    ]


@pytest.mark.django_db
def test_the_next_day_raises_overdue_clocks_again(world, clocks):
    sweep_clocks(TODAY)
    result = sweep_clocks(date(2026, 1, 15))
    # Thursday: the overdue ones again, Friday's reminder again, Monday's and Tuesday's now due
    # within the window; the review clock due yesterday is overdue now.
    assert result.counts["overdue"] == 3
    assert Alert.objects.filter(day=date(2026, 1, 15), clock=clocks["beyond"]).exists()


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_give_exactly_the_same_set(world, clocks):
    started = threading.Barrier(2)
    outcomes: list[object] = [None, None]

    def sweep(index):
        try:
            started.wait(timeout=10)
            outcomes[index] = sweep_clocks(TODAY)
        except Exception as error:  # noqa: BLE001 - the test inspects it
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert all(not isinstance(o, Exception) for o in outcomes), outcomes
    assert alerts_now() == expected_alerts(world, clocks)
    assert sum(o.created for o in outcomes) == 8
    assert sum(o.emails_sent for o in outcomes) == 8
    assert len(mail.outbox) == 8
    assert Alert.objects.filter(emailed_at__isnull=True).count() == 0


@pytest.mark.django_db
def test_one_email_per_alert_created_with_a_link_to_the_case(world, clocks, settings):
    settings.SERVICE_BASE_URL = "https://sfo.example.gov.uk/"
    result = sweep_clocks(TODAY)

    assert result.emails_sent == len(mail.outbox) == 8
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted(f"{u}@example.gov.uk" for _, _, u in expected_alerts(world, clocks))
    reminder = next(m for m in mail.outbox if str(clocks["reminder"].case) in m.subject)
    assert reminder.subject == f"Reminder: {clocks['reminder'].case}"
    assert f"https://sfo.example.gov.uk/cases/{clocks['reminder'].case_id}/" in reminder.body
    assert Alert.objects.filter(emailed_at__isnull=True).count() == 0


@pytest.mark.django_db
def test_a_person_without_an_email_address_gets_the_alert_in_the_service_only(world, clocks):
    reviewer = world["a"][Role.SFO_REVIEWER]
    type(reviewer).objects.filter(pk=reviewer.pk).update(email="")
    result = sweep_clocks(TODAY)
    assert result.created == 8
    assert result.emails_sent == len(mail.outbox) == 5
    assert Alert.objects.filter(recipient=reviewer, emailed_at__isnull=True).count() == 3


@pytest.mark.django_db
def test_a_mail_server_failure_leaves_the_emails_for_the_next_sweep(world, clocks, settings):
    settings.EMAIL_BACKEND = "tests.alerts.failing_mail.Backend"
    with pytest.raises(ConnectionRefusedError):
        sweep_clocks(TODAY)
    assert Alert.objects.count() == 8  # the alerts themselves are there
    assert SweepRun.objects.get().error.startswith("ConnectionRefusedError")

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    result = sweep_clocks(TODAY)
    assert (result.created, result.emails_sent, len(mail.outbox)) == (0, 8, 8)


@pytest.mark.django_db
def test_nobody_is_alerted_about_a_case_they_may_not_see(world, policies):
    # The reviewer who identified the case has moved to provider b since.
    reviewer = world["a"][Role.SFO_REVIEWER]
    case = make_case(world)
    reviewer.organisation = world["b"]["provider"]
    reviewer.save()
    clock = make_clock(case, "notification", date(2026, 1, 16))

    sweep_clocks(TODAY)
    assert not Alert.objects.filter(clock=clock, recipient=reviewer).exists()


@pytest.mark.django_db
def test_the_reminder_window_is_policy_data(world, clocks):
    AlertPolicy.objects.create(
        effective_from=date(2026, 1, 1), reminder_working_days=1, source="Test: one day"
    )
    result = sweep_clocks(TODAY)
    assert "reminder" not in result.counts  # Friday is two working days away
    assert result.clocks == 3


@pytest.mark.django_db
def test_the_sweep_reads_the_clocks_in_a_fixed_number_of_queries(
    world, clocks, django_assert_max_num_queries
):
    for n in range(20):
        make_clock(make_case(world), "early_look", date(2026, 1, 5 + n % 5))
    # Sweep bookkeeping, calendar, policy, clocks, directory (2), roles, visibility per provider
    # recipient, insert, counts, e-mails (select, update) and the run's update: not per clock.
    with django_assert_max_num_queries(20):
        result = sweep_clocks(TODAY)
    assert result.clocks == 25
