# ruff: noqa: F811
"""Two-way learning (issue 8; ADR 0012): the officers who managed the case and their line managers
respond to each finding of the redacted copy (agree; disagree, with reasons; add context); a later
response replaces theirs visibly, the earlier kept; the reviewer is alerted, and the reviewer and
managers read the responses by finding. Nobody else responds."""

import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from reviews import redaction
from reviews.models import FindingResponse, Stance
from sfo.alerts.models import Alert
from sfo.audit.models import AccessRecord
from sfo.people.roles import Role
from tests.reviews.conftest import assert_error_summary, murder, world  # noqa: F401
from tests.reviews.test_redaction import canary_case, line_manager_of


@pytest.fixture
def shared(world, murder):
    canaries = canary_case(world, murder)
    canaries.copy = redaction.share_copy(canaries.case, by=canaries.reviewer)
    return canaries


@pytest.fixture
def manager(world):
    return line_manager_of(world["a"][Role.RESPONSIBLE_OFFICER])


def respond_url(shared, finding_id=None):
    return reverse(
        "reviews:finding_response",
        args=[shared.case.pk, shared.copy.pk, finding_id or shared.finding.pk],
    )


def number_of(shared) -> int:
    ids = [f["id"] for f in shared.copy.snapshot["findings"]]
    return ids.index(shared.finding.pk) + 1


def test_the_officer_disagrees_with_reasons_and_the_reviewer_is_alerted(client, shared):
    client.force_login(shared.officer)
    url = respond_url(shared)
    page = client.get(url).content.decode()
    assert "KEPTFT and [withheld: third party details]" in page
    assert "CANARYFT" not in page and "CANARYFA" not in page

    response = client.post(url, {"stance": Stance.DISAGREE, "text": ""})

    assert_error_summary(response, "Say why you disagree with this finding", "id_text")
    assert 'value="disagree" checked' in response.content.decode()
    assert not FindingResponse.objects.exists()

    response = client.post(
        url, {"stance": Stance.DISAGREE, "text": "My caseload was 70 cases that spring."}
    )
    number = number_of(shared)
    assert response["Location"] == (
        reverse("reviews:redacted_copy", args=[shared.case.pk, shared.copy.pk])
        + f"#finding-{number}"
    )
    saved = FindingResponse.objects.get()
    assert (saved.by, saved.stance, saved.text, saved.finding_id, saved.copy) == (
        shared.officer,
        Stance.DISAGREE,
        "My caseload was 70 cases that spring.",
        shared.finding.pk,
        shared.copy,
    )
    alert = Alert.objects.get(recipient=shared.reviewer)
    assert alert.kind == redaction.STAFF_RESPONSE_ALERT
    assert f"finding {number}" in alert.message and shared.officer.last_name not in alert.message

    copy_page = client.get(
        reverse("reviews:redacted_copy", args=[shared.case.pk, shared.copy.pk])
    ).content.decode()
    assert "Your response:" in copy_page and "My caseload was 70 cases that spring." in copy_page


def test_a_later_response_replaces_the_earlier_which_is_kept(client, shared):
    redaction.respond_to_finding(
        shared.copy, by=shared.officer, finding_id=shared.finding.pk, stance="agree", text=""
    )
    client.force_login(shared.officer)
    client.post(
        respond_url(shared), {"stance": Stance.CONTEXT, "text": "Two colleagues were off sick."}
    )

    responses = list(FindingResponse.objects.order_by("pk"))
    assert [(r.stance, r.replaced_at is None) for r in responses] == [
        ("agree", False),
        ("context", True),
    ]
    page = client.get(respond_url(shared)).content.decode()
    assert "Your earlier responses" in page and "I agree with this finding" in page
    # One current response per person, finding and copy, whatever the code path.
    with pytest.raises(IntegrityError), transaction.atomic():
        FindingResponse.objects.create(
            copy=shared.copy, finding_id=shared.finding.pk, by=shared.officer, stance="agree"
        )


def test_a_disagreement_without_reasons_is_refused_by_the_database(shared):
    with pytest.raises(IntegrityError), transaction.atomic():
        FindingResponse.objects.create(
            copy=shared.copy, finding_id=shared.finding.pk, by=shared.officer, stance="disagree"
        )


def test_the_line_manager_responds_and_the_reviewer_reads_every_response(
    client, shared, manager, world
):
    redaction.respond_to_finding(
        shared.copy,
        by=shared.officer,
        finding_id=shared.finding.pk,
        stance="disagree",
        text="The address was checked by phone.",
    )
    client.force_login(manager)
    response = client.post(respond_url(shared), {"stance": "agree", "text": ""})
    assert response.status_code == 302

    url = reverse("reviews:staff_responses", args=[shared.case.pk, shared.copy.pk])
    for reader in (
        shared.reviewer,
        world["a"][Role.SFO_REVIEW_MANAGER],
        world["central"][Role.CENTRAL_QA_MANAGER],
    ):
        client.force_login(reader)
        page = client.get(url).content.decode()
        assert "The address was checked by phone." in page, reader
        assert "(officer)" in page and "(line manager)" in page
        assert "2 current responses" in page
        assert "CANARYFT" not in page
    client.force_login(shared.reviewer)
    copy_page = client.get(
        reverse("reviews:redacted_copy", args=[shared.case.pk, shared.copy.pk])
    ).content.decode()
    assert "Responses of the staff involved" in copy_page
    assert "The address was checked by phone." in copy_page


def test_who_may_respond_and_who_reads_the_responses(client, shared, world):
    url = respond_url(shared)
    for user, status in (
        (shared.reviewer, 403),  # reads the copy, but was not involved
        (world["central"][Role.CENTRAL_QA_REVIEWER], 403),
        (world["b"][Role.RESPONSIBLE_OFFICER], 404),
        (world["a"][Role.VICTIM_LIAISON_OFFICER], 403),
    ):
        client.force_login(user)
        assert client.get(url).status_code == status, user
        assert client.post(url, {"stance": "agree"}).status_code == status, user
    assert not FindingResponse.objects.exists()
    assert AccessRecord.objects.filter(
        user=shared.reviewer, action="respond", allowed=False
    ).exists()
    client.force_login(shared.officer)
    assert client.get(respond_url(shared, finding_id=999999)).status_code == 404

    responses = reverse("reviews:staff_responses", args=[shared.case.pk, shared.copy.pk])
    for user, status in (
        (shared.officer, 403),
        (world["a"][Role.VICTIM_LIAISON_OFFICER], 403),
        (world["central"][Role.ANALYST], 403),
        (world["b"][Role.SFO_REVIEWER], 404),
        (world["a"][Role.SENIOR_MANAGER], 200),
    ):
        client.force_login(user)
        assert client.get(responses).status_code == status, user


def test_responses_are_kept_with_the_version_of_the_copy(shared):
    redaction.respond_to_finding(
        shared.copy, by=shared.officer, finding_id=shared.finding.pk, stance="agree", text=""
    )
    response = FindingResponse.objects.get()
    assert response.copy.version.number == 2
    assert [e.pgh_label for e in response.events.order_by("pgh_id")] == ["insert"]


@pytest.mark.django_db(transaction=True)
def test_two_submissions_at_once_both_land_and_one_stays_current(world, murder):
    """A double click or two tabs: the second response waits for the first and replaces it,
    rather than meeting the one-current-response constraint (a server error)."""
    shared = canary_case(world, murder)
    copy = redaction.share_copy(shared.case, by=shared.reviewer)
    first_in, release = threading.Event(), threading.Event()
    outcomes: dict[str, object] = {}

    def respond(name, stance, text, hold):
        try:
            with transaction.atomic():
                redaction.respond_to_finding(
                    copy, by=shared.officer, finding_id=shared.finding.pk, stance=stance, text=text
                )
                if hold:  # the first keeps its transaction open until the second waits
                    first_in.set()
                    release.wait(timeout=30)
            outcomes[name] = "recorded"
        except Exception as error:  # noqa: BLE001 - the test inspects it
            outcomes[name] = error
        finally:
            first_in.set()
            connection.close()

    first = threading.Thread(target=respond, args=("first", "agree", "", True))
    second = threading.Thread(
        target=respond, args=("second", "context", "Two colleagues were off sick.", False)
    )
    first.start()
    assert first_in.wait(timeout=30)
    second.start()
    # Until the second is waiting for a lock the first holds (or has finished, failing).
    with connection.cursor() as cursor:
        for _ in range(300):
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0] or not second.is_alive():
                break
            threading.Event().wait(0.1)
    release.set()
    first.join(timeout=30)
    second.join(timeout=30)

    assert outcomes == {"first": "recorded", "second": "recorded"}, outcomes
    responses = list(FindingResponse.objects.order_by("pk"))
    assert [(r.stance, r.replaced_at is None) for r in responses] == [
        ("agree", False),
        ("context", True),
    ]
