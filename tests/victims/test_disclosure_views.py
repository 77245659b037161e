"""The pages of a request for disclosure: the request, the vulnerability assessment, its
sign-off, ending the request, the meeting, the feedback and a later release. Who gets each page
in the state that allows it, the one read-audit row of each look, the next steps each person is
offered, the gate as the meeting page shows it, and forms that keep what was typed."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sfo.audit.models import AccessRecord
from tests.reviews.conftest import assert_error_summary
from tests.victims.conftest import *  # noqa: F403
from tests.victims.test_disclosure_services import (
    PROCEED,
    assessed,
    meeting_facts,
    ready_pack,
    requested,
    signed_off,
)
from tests.victims.test_records_views import assert_one_clean_row, date_data, people
from victims import services
from victims.models import DisclosureMeeting, PackRelease, RequestState

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def in_state(state, mother, vlo, senior_manager):
    """The mother's request moved to `state` by the people who make each step."""
    request = requested(mother, vlo)
    if state == "requested":
        return request
    if state == "assessed":
        return assessed(request, vlo)
    request = signed_off(request, vlo, senior_manager)
    if state == "signed_off":
        return request
    pack = ready_pack(request, senior_manager)
    services.record_meeting(request, by=vlo, **meeting_facts(request, vlo, senior_manager, pack))
    request.refresh_from_db()
    return request


# The state each page is used in, and whether the central team may read it.
PAGES = {
    "request": "requested",
    "assessment": "requested",
    "sign_off": "assessed",
    "decline": "requested",
    "meeting": "signed_off",
    "feedback": "disclosed",
    "release": "disclosed",
}


def expected_status(name, who):
    if who == "vlo":
        return 403 if name == "sign_off" else 200
    if who == "senior_manager":
        return 200
    if who == "central_qa":
        return 200 if name == "request" else 403
    if who in {"other_vlo", "other_senior_manager"}:
        return 404  # another provider's request is not theirs to find, as if there were none
    return 403  # the rule: SFO staff, responsible officers, analysts, chief officers


@pytest.mark.parametrize("name", list(PAGES))
def test_each_page_answers_each_role_and_each_look_is_recorded_once(
    client, world, mother, vlo, senior_manager, name
):
    request = in_state(PAGES[name], mother, vlo, senior_manager)
    url = reverse(f"victims:{name}", args=[request.pk])
    for who, user in people(world).items():
        client.force_login(user)
        before = AccessRecord.objects.count()
        response = client.get(url)
        expected = expected_status(name, who)
        assert response.status_code == expected, (who, response.status_code)
        if expected == 200:
            assert_one_clean_row(before, user, "victims.disclosurerequest", str(request.pk))
        else:
            refused = AccessRecord.objects.order_by("pk")[before:]
            assert refused and not any(r.allowed for r in refused)


@pytest.mark.parametrize(
    "name,state",
    [
        ("assessment", "assessed"),
        ("sign_off", "requested"),
        ("decline", "disclosed"),
        ("feedback", "signed_off"),
        ("release", "signed_off"),
        ("meeting", "disclosed"),
    ],
)
def test_a_page_whose_step_the_state_does_not_allow_goes_back_to_the_request(
    client, mother, vlo, senior_manager, name, state
):
    request = in_state(state, mother, vlo, senior_manager)
    client.force_login(senior_manager)
    response = client.get(reverse(f"victims:{name}", args=[request.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("victims:request", args=[request.pk])
    assert "cannot be" in response.content.decode()


# --- The request page ----------------------------------------------------------------------------


def test_the_request_page_offers_each_person_their_next_step(
    client, world, mother, vlo, senior_manager
):
    request = requested(mother, vlo)
    url = reverse("victims:request", args=[request.pk])
    client.force_login(vlo)
    content = client.get(url).content.decode()
    assert reverse("victims:assessment", args=[request.pk]) in content
    assert reverse("victims:decline", args=[request.pk]) in content
    assert "Requested" in content and "moj-timeline" in content
    assert "Not complete: the pack waits for it" in content

    assessed(request, vlo)
    content = client.get(url).content.decode()
    assert reverse("victims:sign_off", args=[request.pk]) not in content
    assert "a senior manager of the provider signs it off" in content
    client.force_login(senior_manager)
    content = client.get(url).content.decode()
    assert reverse("victims:sign_off", args=[request.pk]) in content
    assert "Low risk; she wants to know what happened." in content

    services.sign_off_assessment(request, by=senior_manager)
    content = client.get(url).content.decode()
    assert reverse("victims:meeting", args=[request.pk]) in content
    assert "Signed off" in content

    client.force_login(world["central"]["central_qa_manager"])
    content = client.get(url).content.decode()
    for name in ("assessment", "sign_off", "meeting", "decline", "feedback", "release"):
        assert reverse(f"victims:{name}", args=[request.pk]) not in content


def test_the_request_page_shows_the_meeting_the_feedback_and_the_releases(
    client, mother, vlo, senior_manager
):
    request = in_state("disclosed", mother, vlo, senior_manager)
    services.record_feedback(request, by=vlo, what_helped="The timeline")
    client.force_login(vlo)
    content = client.get(reverse("victims:request", args=[request.pk])).content.decode()
    assert "The probation office" in content
    assert "The timeline" in content
    assert "Handed over at the meeting" in content and "The mother" in content
    assert "Feedback recorded" in content
    assert reverse("victims:release", args=[request.pk]) in content


# --- The assessment ------------------------------------------------------------------------------


def test_completing_an_incomplete_assessment_shows_each_missing_answer_and_keeps_the_rest(
    client, mother, vlo
):
    request = requested(mother, vlo)
    client.force_login(vlo)
    response = client.post(
        reverse("victims:assessment", args=[request.pk]),
        {
            "action": "complete",
            "self_harm": "medium",
            "risk_details": "Her ex-partner is a friend of the perpetrator.",
            "decision": "defer",
            **date_data("review_on", today() - timedelta(days=1)),
        },
    )
    assert_error_summary(
        response,
        "Say what the risk of serious harm to or from the person is.",
        "id_serious_harm_0",
    )
    content = response.content.decode()
    assert "The review date must be in the future." in content
    assert "Give the reasons for the decision." in content
    assert "Her ex-partner is a friend of the perpetrator." in content
    assert 'value="medium" checked' in content and 'value="defer" checked' in content
    request.refresh_from_db()
    assert request.state == RequestState.REQUESTED


def test_a_draft_is_saved_then_completed(client, mother, vlo):
    request = requested(mother, vlo)
    url = reverse("victims:assessment", args=[request.pk])
    client.force_login(vlo)
    response = client.post(url, {"action": "save", "self_harm": "low", "support": "An advocate"})
    assert response.status_code == 302 and response["Location"] == url
    draft = services.current_assessment(request)
    assert (draft.self_harm, draft.support, draft.assessed_at) == ("low", "An advocate", None)
    assert 'value="low" checked' in client.get(url).content.decode()

    response = client.post(url, {"action": "complete", **PROCEED, "support": "An advocate"})
    assert response["Location"] == reverse("victims:request", args=[request.pk])
    request.refresh_from_db()
    assert request.state == RequestState.ASSESSED


def test_a_returned_assessment_shows_why(client, mother, vlo, senior_manager):
    request = assessed(requested(mother, vlo), vlo)
    services.return_assessment(request, by=senior_manager, note="Check the bail conditions.")
    client.force_login(vlo)
    content = client.get(reverse("victims:assessment", args=[request.pk])).content.decode()
    assert "Check the bail conditions." in content
    assert 'value="low" checked' in content


def test_a_deferred_request_is_assessed_afresh_with_the_risks_prefilled(
    client, mother, vlo, senior_manager
):
    request = signed_off(
        requested(mother, vlo),
        vlo,
        senior_manager,
        decision="defer",
        review_on=today() + timedelta(days=14),
    )
    client.force_login(vlo)
    response = client.get(reverse("victims:assessment", args=[request.pk]))
    content = response.content.decode()
    assert "This is a fresh assessment" in content
    assert 'value="low" checked' in content
    assert 'value="defer" checked' not in content


# --- Sign-off ------------------------------------------------------------------------------------


def test_the_senior_manager_signs_off(client, mother, vlo, senior_manager):
    request = assessed(requested(mother, vlo), vlo)
    client.force_login(senior_manager)
    url = reverse("victims:sign_off", args=[request.pk])
    assert "Low risk; she wants to know what happened." in client.get(url).content.decode()
    response = client.post(url, {"action": "sign_off", "note": "Agreed."})
    assert response["Location"] == reverse("victims:request", args=[request.pk])
    request.refresh_from_db()
    assert request.state == RequestState.SIGNED_OFF


def test_a_deferral_signed_off_is_deferred(client, mother, vlo, senior_manager):
    review_on = today() + timedelta(days=21)
    request = assessed(requested(mother, vlo), vlo, decision="defer", review_on=review_on)
    client.force_login(senior_manager)
    client.post(reverse("victims:sign_off", args=[request.pk]), {"action": "sign_off"})
    request.refresh_from_db()
    assert (request.state, request.review_on) == (RequestState.DEFERRED, review_on)


def test_sending_back_needs_a_note(client, mother, vlo, senior_manager):
    request = assessed(requested(mother, vlo), vlo)
    client.force_login(senior_manager)
    url = reverse("victims:sign_off", args=[request.pk])
    response = client.post(url, {"action": "return", "note": ""})
    assert_error_summary(response, "Say what needs looking at again.", "id_note")
    response = client.post(url, {"action": "return", "note": "Ask the police."})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.state == RequestState.REQUESTED


def test_a_vlo_cannot_post_a_sign_off(client, mother, vlo):
    request = assessed(requested(mother, vlo), vlo)
    client.force_login(vlo)
    response = client.post(reverse("victims:sign_off", args=[request.pk]), {"action": "sign_off"})
    assert response.status_code == 403
    request.refresh_from_db()
    assert request.state == RequestState.ASSESSED


# --- Ending the request --------------------------------------------------------------------------


def test_ending_a_request_needs_a_reason(client, mother, vlo):
    request = requested(mother, vlo)
    client.force_login(vlo)
    url = reverse("victims:decline", args=[request.pk])
    response = client.post(url, {"reason": ""})
    assert_error_summary(response, "Say why the request ends", "id_reason")
    response = client.post(url, {"reason": "She withdrew it."})
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.state, request.declined_reason) == (RequestState.DECLINED, "She withdrew it.")


# --- The meeting, its gate, the feedback and later releases --------------------------------------


def meeting_data(vlo, senior_manager, pack, **changes):
    return {
        **date_data("held_on", today()),
        "place": "The probation office",
        "senior_manager": senior_manager.pk,
        "liaison_officer": vlo.pk,
        "outcome": "The review was explained.",
        "adjustments": "A quiet room",
        "pack": pack.pk,
        "received_by": "The mother",
        **changes,
    }


@pytest.mark.parametrize("state", ["requested", "assessed"])
def test_the_meeting_page_refuses_before_sign_off_and_says_why(
    client, mother, vlo, senior_manager, state
):
    request = in_state(state, mother, vlo, senior_manager)
    pack = ready_pack(request, senior_manager)
    client.force_login(vlo)
    url = reverse("victims:meeting", args=[request.pk])
    content = client.get(url).content.decode()
    assert "The vulnerability assessment is not signed off" in content
    assert 'name="place"' not in content  # no form to fill in that cannot be saved

    response = client.post(url, meeting_data(vlo, senior_manager, pack))
    assert response.status_code == 200
    content = response.content.decode()
    assert "There is a problem" in content
    assert "no pack is released and no meeting held before it is" in content
    assert 'value="The probation office"' in content and "A quiet room" in content
    assert not DisclosureMeeting.objects.exists() and not PackRelease.objects.exists()
    request.refresh_from_db()
    assert request.state == state


def test_the_meeting_is_recorded_after_sign_off(client, world, mother, vlo, senior_manager):
    request = in_state("signed_off", mother, vlo, senior_manager)
    pack = ready_pack(request, senior_manager)
    client.force_login(vlo)
    url = reverse("victims:meeting", args=[request.pk])
    form = client.get(url).context["form"]
    assert list(form.fields["pack"].queryset) == [pack]
    assert list(form.fields["senior_manager"].queryset) == [senior_manager]
    assert list(form.fields["liaison_officer"].queryset) == [vlo]

    response = client.post(url, meeting_data(vlo, senior_manager, pack))
    assert response["Location"] == reverse("victims:request", args=[request.pk])
    request.refresh_from_db()
    assert request.state == RequestState.DISCLOSED
    meeting = DisclosureMeeting.objects.get()
    assert (meeting.senior_manager, meeting.liaison_officer, meeting.adjustments) == (
        senior_manager,
        vlo,
        "A quiet room",
    )
    assert PackRelease.objects.get().pack == pack


def test_the_meeting_form_keeps_what_was_typed_when_refused(client, mother, vlo, senior_manager):
    request = in_state("signed_off", mother, vlo, senior_manager)
    pack = ready_pack(request, senior_manager)
    client.force_login(vlo)
    response = client.post(
        reverse("victims:meeting", args=[request.pk]),
        meeting_data(
            vlo, senior_manager, pack, place="", **date_data("held_on", today() + timedelta(days=3))
        ),
    )
    assert_error_summary(response, "Enter where it was held", "id_place")
    content = response.content.decode()
    assert "Date of the meeting cannot be in the future" in content
    assert "The review was explained." in content
    assert not DisclosureMeeting.objects.exists()


def test_only_a_pack_whose_job_is_done_may_be_handed_over(client, mother, vlo, senior_manager):
    request = in_state("signed_off", mother, vlo, senior_manager)
    pack = ready_pack(request, senior_manager)
    pack.job.status = "running"
    pack.job.sha256 = ""
    pack.job.save()
    client.force_login(vlo)
    url = reverse("victims:meeting", args=[request.pk])
    response = client.get(url)
    assert list(response.context["form"].fields["pack"].queryset) == []
    assert "No version of the pack is ready yet" in response.content.decode()
    response = client.post(url, meeting_data(vlo, senior_manager, pack))
    assert response.status_code == 200
    assert not DisclosureMeeting.objects.exists()


def test_the_feedback_form(client, mother, vlo, senior_manager):
    request = in_state("disclosed", mother, vlo, senior_manager)
    client.force_login(vlo)
    url = reverse("victims:feedback", args=[request.pk])
    response = client.post(url, {"what_helped": "  ", "questions_raised": ""})
    assert response.status_code == 200
    assert "Write at least one answer of the feedback form." in response.content.decode()
    response = client.post(
        url, {"what_helped": "Seeing the timeline", "follow_up_agreed": "A call in a month"}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.state == RequestState.FEEDBACK_RECORDED
    assert request.meeting.follow_up_agreed == "A call in a month"


def test_a_later_version_is_released(client, mother, vlo, senior_manager):
    request = in_state("disclosed", mother, vlo, senior_manager)
    second = ready_pack(request, senior_manager, number=2)
    client.force_login(senior_manager)
    url = reverse("victims:release", args=[request.pk])
    response = client.post(
        url,
        {
            "pack": second.pk,
            "received_by": "Her solicitor",
            "how": "post",
            **date_data("received_on", today() + timedelta(days=5)),
        },
    )
    assert_error_summary(
        response, "Date they received it cannot be in the future", "id_received_on_0"
    )
    assert 'value="Her solicitor"' in response.content.decode()
    response = client.post(
        url,
        {
            "pack": second.pk,
            "received_by": "Her solicitor",
            "how": "secure_email",
            **date_data("received_on", today()),
        },
    )
    assert response.status_code == 302
    assert list(request.releases.values_list("pack__number", "received_by")) == [
        (1, "The mother"),
        (2, "Her solicitor"),
    ]
