"""The request for disclosure and its state machine (requested → vulnerability assessed → signed
off → pack released and meeting held → feedback recorded; or declined; or deferred), the
expedited QA it asks for, and the gate: no meeting and no released pack before the assessment is
signed off to proceed, whether through the service or by a raw insert (the database refuses)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from qa.models import QAAssessment, QAMode
from reviews.workflow import CaseState
from sfo.people.roles import Role
from tests.victims.conftest import *  # noqa: F403
from tests.victims.conftest import convicted
from victims import services
from victims.models import (
    DisclosureMeeting,
    DisclosurePack,
    EntitlementTask,
    PackRelease,
    RequestState,
    RequestStep,
    TaskStatus,
)

pytestmark = pytest.mark.django_db

PROCEED = {
    "self_harm": "low",
    "serious_harm": "none_known",
    "in_relationship": "no",
    "risk_to_staff": "low",
    "decision": "proceed",
    "reasons": "Low risk; she wants to know what happened.",
}


def today():
    return timezone.localdate()


def requested(victim, by):
    return services.record_request(victim, by=by, requested_on=today(), how_made="phone")


def assessed(request, by, **changes):
    services.save_assessment(request, by=by, complete=True, **{**PROCEED, **changes})
    request.refresh_from_db()
    return request


def signed_off(request, vlo, senior_manager, **changes):
    assessed(request, vlo, **changes)
    services.sign_off_assessment(request, by=senior_manager)
    request.refresh_from_db()
    return request


def ready_pack(request, by, number=1):
    """A version of the pack whose document job is done, printing the case's latest version."""
    from sfo.documents.models import DocumentJob

    case = request.victim.case
    job = DocumentJob.objects.create(
        kind="disclosure_pack", case=case, status="done", sha256="0" * 64, requested_by=by
    )
    return DisclosurePack.objects.create(
        request=request,
        number=number,
        review_version=case.review.versions.order_by("-number").first(),
        summary={"what_happened": "A summary."},
        reading_ease=65,
        job=job,
        created_by=by,
    )


def meeting_facts(request, vlo, senior_manager, pack):
    return {
        "held_on": today(),
        "place": "The probation office",
        "senior_manager": senior_manager,
        "liaison_officer": vlo,
        "outcome": "The review was explained; she took the pack home.",
        "pack": pack,
        "received_by": "The mother",
    }


# --- The request and the expedited QA ------------------------------------------------------------


def test_a_request_flags_the_case_and_makes_a_completed_targeted_qa_full(
    qa_complete_case, mother, vlo, senior_manager
):
    convicted(qa_complete_case, senior_manager)
    assert services.qa_complete_version(qa_complete_case) is not None
    request = requested(mother, vlo)

    assert request.state == RequestState.REQUESTED
    assert list(request.steps.values_list("from_state", "to_state")) == [("", "requested")]
    qa_complete_case.refresh_from_db()
    assert qa_complete_case.disclosure_requested_on == today()
    assert qa_complete_case.full_qa_reason
    assert qa_complete_case.state == CaseState.CENTRAL_QA
    latest = QAAssessment.objects.filter(case=qa_complete_case).order_by("-round").first()
    assert (latest.round, latest.mode) == (2, QAMode.FULL)
    assert services.qa_complete_version(qa_complete_case) is None
    # Asking shows they know of the entitlement: the task closes.
    assert EntitlementTask.objects.get(victim=mother).status == TaskStatus.DONE


def test_a_second_request_keeps_the_first_date_and_asks_for_no_more_qa(
    qa_complete_case, mother, vlo
):
    from victims.models import Relationship

    requested(mother, vlo)
    father = services.add_victim(
        qa_complete_case,
        by=vlo,
        full_name="Fred Example",
        relationship=Relationship.FAMILY,
        relationship_to_victim="father",
    )
    services.record_request(
        father, by=vlo, requested_on=today() - timedelta(days=1), how_made="letter"
    )
    qa_complete_case.refresh_from_db()
    assert qa_complete_case.disclosure_requested_on == today()
    assert QAAssessment.objects.filter(case=qa_complete_case).count() == 2


def test_one_open_request_per_person(mother, vlo):
    requested(mother, vlo)
    with pytest.raises(ValidationError, match="open already"):
        requested(mother, vlo)


def test_a_request_needs_an_automatic_sfo(qa_complete_case, mother, vlo):
    from reviews.models import Case

    Case.objects.filter(pk=qa_complete_case.pk).update(qualification="conditional")
    mother.case.refresh_from_db()
    with pytest.raises(ValidationError, match="automatic"):
        requested(mother, vlo)


# --- The assessment, its sign-off, return and deferral -------------------------------------------


def test_a_draft_is_saved_and_completing_it_checks_every_answer(mother, vlo):
    request = requested(mother, vlo)
    draft = services.save_assessment(request, by=vlo, self_harm="low")
    assert draft.assessed_at is None
    request.refresh_from_db()
    assert request.state == RequestState.REQUESTED

    with pytest.raises(services.AssessmentIncomplete) as error:
        services.save_assessment(request, by=vlo, complete=True, self_harm="low")
    assert {"serious_harm", "in_relationship", "risk_to_staff", "decision", "reasons"} <= set(
        error.value.message_dict
    )
    with pytest.raises(services.AssessmentIncomplete) as error:
        services.save_assessment(
            request, by=vlo, complete=True, **{**PROCEED, "decision": "adjust", "support": ""}
        )
    assert set(error.value.message_dict) == {"support"}


def test_sign_off_lets_disclosure_go_ahead(mother, vlo, senior_manager):
    request = assessed(requested(mother, vlo), vlo)
    assert request.state == RequestState.ASSESSED
    services.sign_off_assessment(request, by=senior_manager, note="Agreed.")
    request.refresh_from_db()
    assert request.state == RequestState.SIGNED_OFF and request.signed_off
    assessment = services.current_assessment(request)
    assert (assessment.signed_off_by, assessment.sign_off_note) == (senior_manager, "Agreed.")
    assert request.steps.last().name == "sign_off"


def test_only_a_senior_manager_of_the_provider_signs_off(world, mother, vlo):
    request = assessed(requested(mother, vlo), vlo)
    for user in (vlo, world["b"][Role.SENIOR_MANAGER], world["central"][Role.CENTRAL_QA_MANAGER]):
        with pytest.raises(PermissionDenied):
            services.sign_off_assessment(request, by=user)


def test_a_deferral_waits_for_its_review_date_then_is_assessed_afresh(mother, vlo, senior_manager):
    review_on = today() + timedelta(days=28)
    request = signed_off(
        requested(mother, vlo), vlo, senior_manager, decision="defer", review_on=review_on
    )
    assert (request.state, request.review_on) == (RequestState.DEFERRED, review_on)
    first = services.current_assessment(request)
    assert first.signed_off_at is not None

    again = services.save_assessment(request, by=vlo, complete=True, **PROCEED)
    assert again.pk != first.pk
    request.refresh_from_db()
    assert request.state == RequestState.ASSESSED
    services.sign_off_assessment(request, by=senior_manager)
    request.refresh_from_db()
    assert (request.state, request.review_on) == (RequestState.SIGNED_OFF, None)
    assert [s.to_state for s in request.steps.all()] == [
        "requested",
        "assessed",
        "deferred",
        "assessed",
        "signed_off",
    ]


def test_a_deferral_needs_a_future_review_date(mother, vlo):
    request = requested(mother, vlo)
    with pytest.raises(services.AssessmentIncomplete) as error:
        services.save_assessment(request, by=vlo, complete=True, **{**PROCEED, "decision": "defer"})
    assert "review_on" in error.value.message_dict


def test_a_returned_assessment_goes_back_to_be_assessed(mother, vlo, senior_manager):
    request = assessed(requested(mother, vlo), vlo)
    with pytest.raises(ValidationError) as error:
        services.return_assessment(request, by=senior_manager, note="  ")
    assert "note" in error.value.message_dict

    services.return_assessment(request, by=senior_manager, note="Ask the police about contact.")
    request.refresh_from_db()
    assert request.state == RequestState.REQUESTED
    assessment = services.current_assessment(request)
    assert assessment.assessed_at is None
    assert assessment.sign_off_note == "Ask the police about contact."
    # Corrected and completed again: the same assessment, ready for sign-off.
    again = services.save_assessment(request, by=vlo, complete=True, **PROCEED)
    assert again.pk == assessment.pk


def test_a_declined_request_ends_with_its_reason(mother, vlo):
    request = requested(mother, vlo)
    with pytest.raises(ValidationError):
        services.decline_request(request, by=vlo, reason="")
    services.decline_request(request, by=vlo, reason="She withdrew the request.")
    request.refresh_from_db()
    assert (request.state, request.declined_reason) == (
        RequestState.DECLINED,
        "She withdrew the request.",
    )
    assert not request.is_open
    # A new request may follow a closed one.
    assert requested(mother, vlo).pk != request.pk


# --- The gate ------------------------------------------------------------------------------------


@pytest.mark.parametrize("stage", ["requested", "assessed", "deferred"])
def test_no_meeting_and_no_release_before_sign_off_through_the_service(
    mother, vlo, senior_manager, stage
):
    request = requested(mother, vlo)
    if stage == "assessed":
        request = assessed(request, vlo)
    elif stage == "deferred":
        request = signed_off(
            request, vlo, senior_manager, decision="defer", review_on=today() + timedelta(days=9)
        )
    pack = ready_pack(request, senior_manager)
    with pytest.raises(ValidationError, match="not signed off"):
        services.record_meeting(
            request, by=vlo, **meeting_facts(request, vlo, senior_manager, pack)
        )
    assert not DisclosureMeeting.objects.exists() and not PackRelease.objects.exists()
    with pytest.raises(ValidationError):
        services.record_release(
            request,
            by=vlo,
            pack=pack,
            received_by="The mother",
            received_on=today(),
            how=PackRelease.How.POST,
        )
    assert not PackRelease.objects.exists()


def _raw_meeting(request, vlo, senior_manager):
    return DisclosureMeeting.objects.create(
        request=request,
        held_on=today(),
        place="Anywhere",
        senior_manager=senior_manager,
        liaison_officer=vlo,
        outcome="Held",
        recorded_by=vlo,
    )


def _raw_release(request, pack, vlo):
    return PackRelease.objects.create(
        pack=pack,
        request=request,
        received_by="The mother",
        received_on=today(),
        how=PackRelease.How.POST,
        recorded_by=vlo,
    )


@pytest.mark.parametrize("stage", ["requested", "assessed", "deferred"])
def test_the_database_refuses_a_raw_meeting_or_release_before_sign_off(
    mother, vlo, senior_manager, stage
):
    request = requested(mother, vlo)
    if stage == "assessed":
        request = assessed(request, vlo)
    elif stage == "deferred":
        request = signed_off(
            request, vlo, senior_manager, decision="defer", review_on=today() + timedelta(days=9)
        )
    pack = ready_pack(request, senior_manager)
    with pytest.raises(IntegrityError, match="disclosure gate"), transaction.atomic():
        _raw_meeting(request, vlo, senior_manager)
    with pytest.raises(IntegrityError, match="disclosure gate"), transaction.atomic():
        _raw_release(request, pack, vlo)
    assert not DisclosureMeeting.objects.exists() and not PackRelease.objects.exists()


def test_the_database_allows_a_raw_meeting_and_release_once_signed_off(mother, vlo, senior_manager):
    request = signed_off(requested(mother, vlo), vlo, senior_manager)
    pack = ready_pack(request, senior_manager)
    _raw_meeting(request, vlo, senior_manager)
    _raw_release(request, pack, vlo)
    assert DisclosureMeeting.objects.count() == PackRelease.objects.count() == 1


def test_the_database_refuses_once_a_fresh_assessment_follows_a_signed_off_one(
    mother, vlo, senior_manager
):
    """The latest assessment counts: a deferred request assessed again is not signed off."""
    request = signed_off(
        requested(mother, vlo),
        vlo,
        senior_manager,
        decision="defer",
        review_on=today() + timedelta(days=9),
    )
    services.save_assessment(request, by=vlo, **PROCEED)  # a fresh draft
    with pytest.raises(IntegrityError, match="disclosure gate"), transaction.atomic():
        _raw_meeting(request, vlo, senior_manager)


def test_after_sign_off_the_meeting_feedback_and_a_later_release_are_recorded(
    mother, vlo, senior_manager
):
    request = signed_off(requested(mother, vlo), vlo, senior_manager)
    first = ready_pack(request, senior_manager)
    meeting = services.record_meeting(
        request, by=vlo, **meeting_facts(request, vlo, senior_manager, first)
    )
    request.refresh_from_db()
    assert request.state == RequestState.DISCLOSED
    release = PackRelease.objects.get()
    assert (release.pack, release.how, release.received_by) == (
        first,
        PackRelease.How.AT_MEETING,
        "The mother",
    )
    assert meeting.senior_manager == senior_manager

    with pytest.raises(ValidationError):
        services.record_feedback(request, by=vlo)
    services.record_feedback(request, by=vlo, what_helped="Seeing the timeline.")
    request.refresh_from_db()
    assert request.state == RequestState.FEEDBACK_RECORDED

    second = ready_pack(request, senior_manager, number=2)
    services.record_release(
        request,
        by=senior_manager,
        pack=second,
        received_by="The mother",
        received_on=today(),
        how=PackRelease.How.SECURE_EMAIL,
    )
    assert list(request.releases.values_list("pack__number", flat=True)) == [1, 2]
    assert RequestStep.objects.filter(request=request).count() == 5


def test_the_meeting_needs_the_providers_people_and_a_ready_pack(
    world, mother, vlo, senior_manager
):
    request = signed_off(requested(mother, vlo), vlo, senior_manager)
    pack = ready_pack(request, senior_manager)
    pack.job.status = "queued"
    pack.job.save()
    facts = meeting_facts(request, vlo, senior_manager, pack)
    with pytest.raises(ValidationError) as error:
        services.record_meeting(request, by=vlo, **facts)
    assert "pack" in error.value.message_dict
    pack.job.status = "done"
    pack.job.save()
    facts["senior_manager"] = world["b"][Role.SENIOR_MANAGER]
    facts["liaison_officer"] = senior_manager
    with pytest.raises(ValidationError) as error:
        services.record_meeting(request, by=vlo, **facts)
    assert {"senior_manager", "liaison_officer"} <= set(error.value.message_dict)
    assert not DisclosureMeeting.objects.exists()


# --- What a second reading found ----------------------------------------------------------------


def test_the_database_refuses_a_meeting_for_a_request_declined_after_sign_off(
    mother, vlo, senior_manager
):
    request = signed_off(requested(mother, vlo), vlo, senior_manager)
    services.decline_request(request, by=vlo, reason="She withdrew her request.")
    with pytest.raises(IntegrityError, match="disclosure gate"), transaction.atomic():
        _raw_meeting(request, vlo, senior_manager)


def test_the_database_refuses_moving_a_meeting_onto_a_request_not_signed_off(
    world, qa_complete_case, mother, vlo, senior_manager
):
    from victims.models import Relationship

    signed = signed_off(requested(mother, vlo), vlo, senior_manager)
    meeting = _raw_meeting(signed, vlo, senior_manager)
    brother = services.add_victim(
        qa_complete_case, by=vlo, full_name="Tom Example", relationship=Relationship.FAMILY
    )
    waiting = requested(brother, vlo)
    with pytest.raises(IntegrityError, match="disclosure gate"), transaction.atomic():
        DisclosureMeeting.objects.filter(pk=meeting.pk).update(request=waiting)


def test_the_database_refuses_releasing_another_requests_pack(
    qa_complete_case, mother, vlo, senior_manager
):
    from victims.models import Relationship

    brother = services.add_victim(
        qa_complete_case, by=vlo, full_name="Tom Example", relationship=Relationship.FAMILY
    )
    hers = signed_off(requested(mother, vlo), vlo, senior_manager)
    his = signed_off(requested(brother, vlo), vlo, senior_manager)
    with pytest.raises(IntegrityError, match="another request"), transaction.atomic():
        _raw_release(hers, ready_pack(his, senior_manager), vlo)


def test_the_assessor_does_not_sign_off_their_own_assessment(world, mother, vlo, senior_manager):
    request = assessed(requested(mother, vlo), senior_manager)
    with pytest.raises(ValidationError, match="second person"):
        services.sign_off_assessment(request, by=senior_manager)
    request.refresh_from_db()
    assert request.state == RequestState.ASSESSED


def test_the_round_names_the_request_once(qa_complete_case, mother, vlo, senior_manager):
    convicted(qa_complete_case, senior_manager)
    requested(mother, vlo)
    latest = QAAssessment.objects.filter(case=qa_complete_case).order_by("-round").first()
    asked = [reason for reason in latest.full_qa_reasons if "asked for disclosure" in reason]
    assert len(asked) == 1, latest.full_qa_reasons
