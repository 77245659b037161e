# ruff: noqa: F811
"""The services of the other agencies: adding an agency (from the register or not), requests and
what came back (with the version check), links to findings and actions, the log of extracts
sent (append-only) and the parallel reviews; who may make each change."""

import threading
import time
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone

from agencies import services
from agencies.models import (
    Agency,
    AgencyKind,
    ContributionOutcome,
    ExtractShare,
    ParallelReviewKind,
    ShareMeans,
)
from reviews.authoring import EditConflict
from sfo.audit.models import AccessRecord
from sfo.people.roles import Role
from tests.agencies.conftest import (
    external_action,
    good_practice,
    involvement,  # noqa: F401
    missed_opportunity,
    police,  # noqa: F401
    review_case,  # noqa: F401
    reviewer,  # noqa: F401
)
from tests.reviews.conftest import murder, world  # noqa: F401

TODAY = timezone.localdate


def test_the_register_is_seeded_with_police_forces_and_local_services(db):
    assert Agency.objects.filter(kind=AgencyKind.POLICE, name="Kent Police").exists()
    assert Agency.objects.filter(kind=AgencyKind.CHILDRENS_SERVICES, area="London").exists()
    assert Agency.objects.filter(added_by__isnull=True).count() >= 50


def test_reviewer_adds_an_agency_from_the_register(involvement, police, review_case):
    assert involvement.case == review_case and involvement.agency == police
    with pytest.raises(ValidationError, match="already recorded"):
        services.add_involvement(review_case, by=involvement.added_by, agency=police, role="Again")


def test_an_agency_not_in_the_register_is_added_to_it_marked_as_added_by_the_reviewer(
    review_case, reviewer
):
    involvement = services.add_involvement(
        review_case,
        by=reviewer,
        new=services.NewAgency("  Hackney   Women's Aid ", AgencyKind.OTHER, "London"),
        role="Supported the partner.",
    )
    agency = involvement.agency
    assert (agency.name, agency.kind, agency.added_by) == (
        "Hackney Women's Aid",
        AgencyKind.OTHER,
        reviewer,
    )
    # The same name again, in other capitals, is that agency: no duplicate in the register.
    other = services.NewAgency("hackney women's aid", AgencyKind.OTHER)
    with pytest.raises(ValidationError, match="already recorded"):
        services.add_involvement(review_case, by=reviewer, new=other, role="x")
    assert Agency.objects.filter(name__iexact="hackney women's aid").count() == 1


def test_an_agency_needs_a_name_and_what_it_did(review_case, reviewer, police):
    with pytest.raises(ValidationError, match="Choose the agency"):
        services.add_involvement(review_case, by=reviewer, role="Something")
    with pytest.raises(ValidationError, match="what the agency did"):
        services.add_involvement(review_case, by=reviewer, agency=police, role="  ")


@pytest.mark.parametrize(
    "who",
    [
        ("b", Role.SFO_REVIEWER),
        ("a", Role.RESPONSIBLE_OFFICER),
        ("a", Role.VICTIM_LIAISON_OFFICER),
        ("central", Role.CENTRAL_QA_REVIEWER),
        ("central", Role.ANALYST),
    ],
)
def test_only_the_cases_sfo_staff_record_agencies_and_refusals_are_recorded(
    world, review_case, police, who
):
    person = world[who[0]][who[1]]
    with pytest.raises(PermissionDenied):
        services.add_involvement(review_case, by=person, agency=police, role="x")
    assert AccessRecord.objects.filter(
        user=person, allowed=False, action="change:agencies"
    ).exists()


@pytest.mark.parametrize("role", [Role.SFO_REVIEW_MANAGER, Role.SENIOR_MANAGER])
def test_the_review_manager_and_senior_manager_record_agencies_too(
    world, review_case, police, role
):
    assert services.add_involvement(review_case, by=world["a"][role], agency=police, role="x")


def test_a_request_and_what_came_back(involvement, reviewer):
    asked = services.record_request(
        involvement,
        by=reviewer,
        asked="Its records of call-outs to the address in 2024",
        requested_on=TODAY() - timedelta(days=20),
        due_on=TODAY() - timedelta(days=5),
    )
    assert asked.outcome == ContributionOutcome.AWAITED
    with pytest.raises(ValidationError, match="Summarise"):
        services.record_reply(
            asked,
            by=reviewer,
            outcome=ContributionOutcome.RECEIVED,
            received_on=TODAY(),
            summary="",
            expected_version=asked.version,
        )
    done = services.record_reply(
        asked,
        by=reviewer,
        outcome=ContributionOutcome.RECEIVED,
        received_on=TODAY() - timedelta(days=2),
        summary="Three call-outs; a DASH assessment rated high risk.",
        expected_version=asked.version,
    )
    assert done.outcome == ContributionOutcome.RECEIVED and done.version == 2
    # A save from a page opened before this one is a conflict, not an overwrite.
    with pytest.raises(EditConflict):
        services.record_reply(
            asked,
            by=reviewer,
            outcome=ContributionOutcome.DECLINED,
            received_on=None,
            summary="",
            expected_version=1,
        )
    # Declined or no reply keeps no date of receipt.
    declined = services.record_reply(
        done,
        by=reviewer,
        outcome=ContributionOutcome.NO_REPLY,
        received_on=TODAY(),
        summary="Chased twice.",
        expected_version=2,
    )
    assert declined.received_on is None


def test_a_request_is_not_due_before_it_was_made_nor_made_in_the_future(involvement, reviewer):
    with pytest.raises(ValidationError, match="due before"):
        services.record_request(
            involvement, by=reviewer, asked="x", requested_on=TODAY(), due_on=TODAY() - timedelta(1)
        )
    with pytest.raises(ValidationError, match="future"):
        services.record_request(
            involvement,
            by=reviewer,
            asked="x",
            requested_on=TODAY() + timedelta(1),
            due_on=TODAY() + timedelta(9),
        )


def test_findings_and_actions_are_linked_and_unlinked(involvement, reviewer, review_case):
    finding, action = good_practice(review_case), external_action(review_case)
    services.link_concerns(
        involvement, by=reviewer, finding_ids=[finding.pk], action_ids=[action.pk]
    )
    assert list(involvement.findings.all()) == [finding]
    assert list(involvement.actions.all()) == [action]
    services.link_concerns(involvement, by=reviewer, finding_ids=[], action_ids=[action.pk])
    assert not involvement.findings.exists()


def test_only_the_cases_own_findings_can_be_linked(world, murder, involvement, reviewer):
    from reviews.workflow import CaseState
    from tests.agencies.conftest import write_review
    from tests.reviews.conftest import case_in

    other = write_review(
        case_in(world, murder, CaseState.REVIEW_IN_PROGRESS, crn="A654321"), reviewer
    )
    with pytest.raises(ValidationError, match="this case's review"):
        services.link_concerns(
            involvement,
            by=reviewer,
            finding_ids=[missed_opportunity(other).pk],
            action_ids=[],
        )


def test_an_external_action_naming_another_agency_is_flagged(review_case, police):
    action = external_action(review_case)
    assert not services.names_differ(action, police)
    action.agency = "Kent Police"
    assert services.names_differ(action, police)


def test_the_log_of_extracts_sent_is_append_only(involvement, reviewer):
    share = services.record_share(
        involvement,
        by=reviewer,
        facts=services.ShareFacts(
            recipient_name="DI Jo Khan",
            recipient_role="Public protection unit",
            recipient_agency="Metropolitan Police Service",
            means=ShareMeans.SECURE_EMAIL,
            sent_on=TODAY(),
        ),
    )
    assert share.recorded_by == reviewer and share.job is None
    with pytest.raises(DatabaseError), transaction.atomic():
        ExtractShare.objects.filter(pk=share.pk).update(recipient_name="Someone else")
    with pytest.raises(DatabaseError), transaction.atomic():
        ExtractShare.objects.filter(pk=share.pk).delete()


def test_a_share_names_only_an_extract_made_for_this_agency(involvement, reviewer):
    with pytest.raises(ValidationError, match="extract made for this agency"):
        services.record_share(
            involvement,
            by=reviewer,
            facts=services.ShareFacts(
                recipient_name="DI Jo Khan",
                recipient_role="PPU",
                recipient_agency="Met",
                means=ShareMeans.POST,
                sent_on=TODAY(),
                job_id=999999,
            ),
        )


def test_parallel_reviews_keep_their_own_dates(review_case, reviewer):
    facts = services.ParallelFacts(
        kind=ParallelReviewKind.DHR,
        lead_body="Community safety partnership of Hackney",
        commissioned_on=TODAY() - timedelta(days=30),
        expected_on=TODAY() + timedelta(days=150),
        sharing="The SFO chronology is shared with the panel.",
    )
    review = services.add_parallel_review(review_case, by=reviewer, facts=facts)
    assert review.version == 1 and review.get_kind_display() == "Domestic homicide review"
    facts.completed_on = TODAY()
    changed = services.update_parallel_review(review, by=reviewer, facts=facts, expected_version=1)
    assert changed.completed_on == TODAY() and changed.version == 2
    with pytest.raises(EditConflict):
        services.update_parallel_review(review, by=reviewer, facts=facts, expected_version=1)
    facts.expected_on = TODAY() - timedelta(days=60)
    with pytest.raises(ValidationError, match="before it was commissioned"):
        services.update_parallel_review(review, by=reviewer, facts=facts, expected_version=2)


# --- A stale save of the links, and naming an agency -----------------------------------------


def test_a_save_of_the_links_from_a_page_opened_earlier_is_a_conflict(
    involvement, reviewer, review_case
):
    """The manager opened the links at version 1; the reviewer then unticked the finding: the
    manager's save must not bring it back (the next extract would print it)."""
    finding, action = good_practice(review_case), external_action(review_case)
    linked = services.link_concerns(
        involvement,
        by=reviewer,
        finding_ids=[finding.pk],
        action_ids=[action.pk],
        expected_version=involvement.version,
    ).version  # the manager opens the page now
    unticked = services.link_concerns(
        involvement, by=reviewer, finding_ids=[], action_ids=[action.pk], expected_version=linked
    ).version
    with pytest.raises(EditConflict) as conflict:
        services.link_concerns(
            involvement,
            by=reviewer,
            finding_ids=[finding.pk],
            action_ids=[action.pk],
            expected_version=linked,
        )
    assert conflict.value.current.version == unticked
    assert conflict.value.mine == {"findings": {finding.pk}, "actions": {action.pk}}
    assert not involvement.findings.exists()
    assert list(involvement.actions.all()) == [action]
    involvement.refresh_from_db()
    assert involvement.version == unticked


def test_the_register_refuses_the_same_name_in_other_capitals(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        Agency.objects.create(name="KENT POLICE", kind=AgencyKind.POLICE)


def test_naming_a_retired_agency_is_refused_not_attached(review_case, reviewer):
    Agency.objects.filter(name="Kent Police").update(active=False)
    with pytest.raises(ValidationError, match="Kent Police has been retired"):
        services.add_involvement(
            review_case,
            by=reviewer,
            new=services.NewAgency(" kent  POLICE ", AgencyKind.POLICE),
            role="Arrested him",
        )
    assert not review_case.agency_involvements.exists()


CONCURRENT_NAME = "Riverside Advocacy Service"


@pytest.fixture
def committed_by_someone_else(django_db_blocker):
    """The agency another person's transaction commits during the test, removed afterwards (it
    is outside the test's own transaction, so the rollback does not take it away)."""
    yield
    with django_db_blocker.unblock():
        from agencies.models import AgencyEvent

        ids = list(Agency.objects.filter(name__iexact=CONCURRENT_NAME).values_list("pk", flat=True))
        Agency.objects.filter(pk__in=ids).delete()
        AgencyEvent.objects.filter(pgh_obj_id__in=ids).delete()


def test_two_people_naming_the_same_new_agency_at_once_make_one(
    committed_by_someone_else, review_case, reviewer
):
    """Someone else's insert of the name (other capitals) is not yet committed when the reviewer
    looks the name up; the reviewer's insert then waits on it, meets the unique index once it
    commits, and takes that agency: no duplicate, no error."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        reviewers_backend = cursor.fetchone()[0]
    inserted, failures = threading.Event(), []

    def someone_else():
        from django.db import connection as own

        try:
            with transaction.atomic():
                Agency.objects.create(name=CONCURRENT_NAME.upper(), kind=AgencyKind.OTHER)
                inserted.set()
                with own.cursor() as cursor:  # commit once the reviewer's insert waits on ours
                    for _ in range(400):
                        cursor.execute(
                            "SELECT 1 FROM pg_locks WHERE pid = %s AND NOT granted",
                            [reviewers_backend],
                        )
                        if cursor.fetchone():
                            break
                        time.sleep(0.05)
        except Exception as error:  # noqa: BLE001 - reported by the test
            failures.append(error)
            inserted.set()
        finally:
            own.close()

    thread = threading.Thread(target=someone_else)
    thread.start()
    assert inserted.wait(30)
    try:
        involvement = services.add_involvement(
            review_case,
            by=reviewer,
            new=services.NewAgency(CONCURRENT_NAME, AgencyKind.OTHER),
            role="Supported the partner.",
        )
    finally:
        thread.join()
    assert not failures
    assert involvement.agency.name == CONCURRENT_NAME.upper()
    assert Agency.objects.filter(name__iexact=CONCURRENT_NAME).count() == 1
