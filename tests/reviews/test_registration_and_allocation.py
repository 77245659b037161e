"""Registering or rejecting a notified case, allocating its reviewer, and recording the court
outcome, as the central team and the providers meet them in the browser; and the home page
queues that lead them there."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from reviews import services
from reviews.journeys import advance
from reviews.models import Case, CourtOutcome
from reviews.workflow import CaseState
from sfo.people.roles import Role
from tests.factories import UserFactory
from tests.reviews.conftest import actors_of, assert_error_summary

pytestmark = pytest.mark.django_db


def a_case(world, offence, state, key="a", crn="A123456"):
    """A case of provider `key` moved to `state` by the people who make each step."""
    case = services.identify_case(
        by=world[key][Role.SFO_REVIEWER],
        crn=crn,
        person_name="Sam Baker",
        offence=offence,
        first_hearing_date=timezone.localdate() - timedelta(days=21),
    )
    return advance(case, state, actors_of(world, key), offence=offence)


def timeline_of(client, case):
    content = client.get(reverse("reviews:case_detail", args=[case.pk])).content.decode()
    return content, content[content.index('class="moj-timeline"') :]


def queue_section(response, title):
    content = response.content.decode()
    start = content.index(f">{title}</h2>")
    return content[start : content.index("</section>", start)]


def date_boxes(name, day):
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


# --- Registration -----------------------------------------------------------------------------


def test_a_central_qa_reviewer_registers_a_notified_case(client, world, murder):
    case = a_case(world, murder, CaseState.NOTIFIED)
    qa = world["central"][Role.CENTRAL_QA_REVIEWER]
    client.force_login(qa)

    page = client.get(reverse("reviews:registration", args=[case.pk]))
    assert page.status_code == 200
    assert "automatic sfo" in page.content.decode()

    response = client.post(
        reverse("reviews:registration", args=[case.pk]),
        {"decision": "register", "comment": "Murder: automatic"},
    )

    assert response.status_code == 302
    assert response.url == reverse("reviews:case_detail", args=[case.pk])
    case.refresh_from_db()
    year = timezone.localdate().year
    assert case.state == CaseState.REGISTERED
    assert case.reference == f"SFO-{year}-0001"
    assert re.fullmatch(r"SFO-\d{4}-\d{4}", case.reference)
    assert not case.high_profile and case.reviewing_provider is None
    content, timeline = timeline_of(client, case)
    assert f"SFO-{year}-0001" in content
    assert f"Registered as SFO-{year}-0001" in content
    assert "Registered" in timeline
    assert "Murder: automatic" in timeline
    assert escape(qa.get_full_name()) in timeline


def test_rejecting_needs_a_reason(client, world, murder):
    case = a_case(world, murder, CaseState.NOTIFIED)
    client.force_login(world["central"][Role.CENTRAL_QA_REVIEWER])

    response = client.post(
        reverse("reviews:registration", args=[case.pk]),
        {"decision": "reject", "rejection_reason": "  ", "comment": "Typed comment"},
    )

    assert_error_summary(response, "Enter why the notification is rejected", "id_rejection_reason")
    content = response.content.decode()
    assert 'value="reject" checked' in content
    assert "Typed comment" in content
    assert Case.objects.get(pk=case.pk).state == CaseState.NOTIFIED


def test_a_rejected_case_shows_why_on_its_page(client, world, murder):
    case = a_case(world, murder, CaseState.NOTIFIED)
    client.force_login(world["central"][Role.CENTRAL_QA_REVIEWER])
    reason = "The offence was committed before the licence began"

    response = client.post(
        reverse("reviews:registration", args=[case.pk]),
        {"decision": "reject", "rejection_reason": reason},
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.state, case.rejection_reason) == (CaseState.REJECTED, reason)
    assert not case.reference
    assert not case.clocks.filter(status="running").exists()
    content, timeline = timeline_of(client, case)
    assert "Why it was rejected" in content
    assert reason in content
    assert "Rejected" in timeline


def test_a_qa_reviewer_is_not_offered_high_profile_or_another_provider(client, world, murder):
    case = a_case(world, murder, CaseState.NOTIFIED)
    client.force_login(world["central"][Role.CENTRAL_QA_REVIEWER])

    content = client.get(reverse("reviews:registration", args=[case.pk])).content.decode()

    assert 'name="high_profile"' not in content
    assert 'name="reviewing_provider"' not in content
    assert "Only the central QA manager decides" in content


def test_a_qa_reviewer_cannot_make_a_case_high_profile_by_posting_the_fields(client, world, murder):
    case = a_case(world, murder, CaseState.NOTIFIED)
    client.force_login(world["central"][Role.CENTRAL_QA_REVIEWER])

    client.post(
        reverse("reviews:registration", args=[case.pk]),
        {
            "decision": "register",
            "high_profile": "on",
            "reviewing_provider": str(world["b"]["provider"].pk),
        },
    )

    case.refresh_from_db()
    assert case.state == CaseState.REGISTERED
    assert not case.high_profile
    assert case.reviewing_provider is None


def test_the_qa_manager_makes_a_case_high_profile_and_directs_another_provider(
    client, world, murder
):
    case = a_case(world, murder, CaseState.NOTIFIED)
    client.force_login(world["central"][Role.CENTRAL_QA_MANAGER])

    page = client.get(reverse("reviews:registration", args=[case.pk])).content.decode()
    assert 'name="high_profile"' in page
    assert 'name="reviewing_provider"' in page
    response = client.post(
        reverse("reviews:registration", args=[case.pk]),
        {
            "decision": "register",
            "high_profile": "on",
            "reviewing_provider": str(world["b"]["provider"].pk),
        },
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.high_profile
    assert case.reviewing_provider == world["b"]["provider"]
    content = client.get(response.url).content.decode()
    assert "High-profile" in content
    assert "NPS Wales" in content


def test_an_override_of_the_qualification_needs_a_justification(client, world, murder):
    case = a_case(world, murder, CaseState.NOTIFIED)
    client.force_login(world["central"][Role.CENTRAL_QA_REVIEWER])
    url = reverse("reviews:registration", args=[case.pk])

    refused = client.post(url, {"decision": "register", "qualification_override": "conditional"})

    assert_error_summary(
        refused, "Enter why the qualification is overridden", "id_override_justification"
    )
    assert '<option value="conditional" selected>' in refused.content.decode()
    assert Case.objects.get(pk=case.pk).state == CaseState.NOTIFIED

    why = "Charged as murder but the facts support only manslaughter"
    client.post(
        url,
        {
            "decision": "register",
            "qualification_override": "conditional",
            "override_justification": why,
        },
    )

    case.refresh_from_db()
    assert case.state == CaseState.REGISTERED
    assert (case.qualification_override, case.override_justification) == ("conditional", why)
    content = client.get(reverse("reviews:case_detail", args=[case.pk])).content.decode()
    assert "Overridden by the central team" in content
    assert why in content


def test_a_missing_decision_is_refused(client, world, murder):
    case = a_case(world, murder, CaseState.NOTIFIED)
    client.force_login(world["central"][Role.CENTRAL_QA_REVIEWER])

    # A browser always sends the text areas, even empty, so the form is bound.
    response = client.post(
        reverse("reviews:registration", args=[case.pk]),
        {"rejection_reason": "", "override_justification": "", "comment": ""},
    )

    assert_error_summary(response, "This field is required.", "id_decision_0")
    assert Case.objects.get(pk=case.pk).state == CaseState.NOTIFIED


@pytest.mark.parametrize(
    "role", [Role.SFO_REVIEWER, Role.SFO_REVIEW_MANAGER, Role.SENIOR_MANAGER], ids=str
)
def test_provider_staff_cannot_register_their_own_case(client, world, murder, role):
    case = a_case(world, murder, CaseState.NOTIFIED)
    client.force_login(world["a"][role])
    url = reverse("reviews:registration", args=[case.pk])

    assert client.get(url).status_code == 403
    assert client.post(url, {"decision": "register"}).status_code == 403
    assert Case.objects.get(pk=case.pk).state == CaseState.NOTIFIED


def test_an_analyst_cannot_register(client, world, murder):
    case = a_case(world, murder, CaseState.NOTIFIED)
    client.force_login(world["central"][Role.ANALYST])
    url = reverse("reviews:registration", args=[case.pk])
    assert client.post(url, {"decision": "register"}).status_code == 403
    assert Case.objects.get(pk=case.pk).state == CaseState.NOTIFIED


@pytest.mark.parametrize("state", [CaseState.REGISTERED, CaseState.IDENTIFIED], ids=str)
def test_a_case_not_waiting_for_registration_cannot_be_registered(client, world, murder, state):
    case = a_case(world, murder, state)
    client.force_login(world["central"][Role.CENTRAL_QA_REVIEWER])
    url = reverse("reviews:registration", args=[case.pk])
    reference = case.reference

    assert client.get(url).status_code == 403
    assert client.post(url, {"decision": "register"}).status_code == 403
    case.refresh_from_db()
    assert (case.state, case.reference) == (state, reference)


def test_a_central_qa_reviewer_finds_a_notified_case_under_notifications_to_register(
    client, world, murder
):
    notified = a_case(world, murder, CaseState.NOTIFIED, key="b", crn="B123456")
    identified = a_case(world, murder, CaseState.IDENTIFIED, crn="C123456")
    client.force_login(world["central"][Role.CENTRAL_QA_REVIEWER])

    section = queue_section(client.get("/"), "Notifications to register")

    assert reverse("reviews:case_detail", args=[notified.pk]) in section
    assert reverse("reviews:case_detail", args=[identified.pk]) not in section


# --- Allocation -------------------------------------------------------------------------------


def test_the_review_manager_allocates_one_of_the_providers_reviewers(client, world, murder):
    case = a_case(world, murder, CaseState.REGISTERED)
    reviewer = world["a"][Role.SFO_REVIEWER]
    client.force_login(world["a"][Role.SFO_REVIEW_MANAGER])

    response = client.post(
        reverse("reviews:allocation", args=[case.pk]), {"reviewer": str(reviewer.pk)}
    )

    assert response.status_code == 302
    assert response.url == reverse("reviews:case_detail", args=[case.pk])
    case.refresh_from_db()
    assert case.state == CaseState.REVIEW_IN_PROGRESS
    assert case.reviewer == reviewer
    content, timeline = timeline_of(client, case)
    assert escape(f"{reviewer.get_full_name()} is reviewing this case") in content
    reviewer_row = content[content.index(">Reviewer</dt>") :]
    assert escape(reviewer.get_full_name()) in reviewer_row[: reviewer_row.index("</div>")]
    assert "Review in progress" in timeline


def test_only_the_reviewing_providers_sfo_reviewers_are_offered(client, world, murder):
    case = a_case(world, murder, CaseState.REGISTERED)
    second = UserFactory(
        username="second-reviewer-a", organisation=world["a"]["provider"], role=Role.SFO_REVIEWER
    )
    gone = UserFactory(
        username="departed-reviewer-a",
        organisation=world["a"]["provider"],
        role=Role.SFO_REVIEWER,
        is_active=False,
    )
    client.force_login(world["a"][Role.SFO_REVIEW_MANAGER])

    content = client.get(reverse("reviews:allocation", args=[case.pk])).content.decode()

    select = content[content.index('name="reviewer"') :]
    select = select[: select.index("</select>")]
    offered = set(re.findall(r'<option value="(\d+)"', select))
    assert offered == {str(world["a"][Role.SFO_REVIEWER].pk), str(second.pk)}
    assert str(gone.pk) not in offered
    assert str(world["b"][Role.SFO_REVIEWER].pk) not in offered


def test_a_reviewer_of_another_provider_posted_by_hand_is_refused(client, world, murder):
    case = a_case(world, murder, CaseState.REGISTERED)
    client.force_login(world["a"][Role.SFO_REVIEW_MANAGER])

    response = client.post(
        reverse("reviews:allocation", args=[case.pk]),
        {"reviewer": str(world["b"][Role.SFO_REVIEWER].pk)},
    )

    assert_error_summary(
        response,
        "Select a valid choice. That choice is not one of the available choices.",
        "id_reviewer",
    )
    case.refresh_from_db()
    assert (case.state, case.reviewer) == (CaseState.REGISTERED, None)


def test_a_provider_colleague_who_is_not_an_sfo_reviewer_is_refused(client, world, murder):
    case = a_case(world, murder, CaseState.REGISTERED)
    client.force_login(world["a"][Role.SFO_REVIEW_MANAGER])

    response = client.post(
        reverse("reviews:allocation", args=[case.pk]),
        {"reviewer": str(world["a"][Role.RESPONSIBLE_OFFICER].pk)},
    )

    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert Case.objects.get(pk=case.pk).state == CaseState.REGISTERED


def test_the_directed_providers_manager_allocates_from_its_own_reviewers(client, world, murder):
    case = a_case(world, murder, CaseState.NOTIFIED)
    services.register_case(
        case,
        by=world["central"][Role.CENTRAL_QA_MANAGER],
        reviewing_provider=world["b"]["provider"],
    )
    url = reverse("reviews:allocation", args=[case.pk])

    client.force_login(world["a"][Role.SFO_REVIEW_MANAGER])
    assert client.get(url).status_code == 403

    client.force_login(world["b"][Role.SFO_REVIEW_MANAGER])
    content = client.get(url).content.decode()
    assert f'<option value="{world["b"][Role.SFO_REVIEWER].pk}"' in content
    assert f'<option value="{world["a"][Role.SFO_REVIEWER].pk}"' not in content
    response = client.post(url, {"reviewer": str(world["b"][Role.SFO_REVIEWER].pk)})
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).reviewer == world["b"][Role.SFO_REVIEWER]


@pytest.mark.parametrize(
    ("key", "role"),
    [
        ("a", Role.SFO_REVIEWER),
        ("a", Role.SENIOR_MANAGER),
        ("central", Role.CENTRAL_QA_REVIEWER),
        ("central", Role.CENTRAL_QA_MANAGER),
        ("central", Role.ANALYST),
    ],
    ids=lambda value: str(value),
)
def test_no_one_but_the_review_manager_allocates(client, world, murder, key, role):
    case = a_case(world, murder, CaseState.REGISTERED)
    client.force_login(world[key][role])
    url = reverse("reviews:allocation", args=[case.pk])

    assert client.get(url).status_code == 403
    assert client.post(url, {"reviewer": str(world["a"][Role.SFO_REVIEWER].pk)}).status_code == 403
    assert Case.objects.get(pk=case.pk).state == CaseState.REGISTERED


def test_another_providers_review_manager_cannot_see_the_case_to_allocate(client, world, murder):
    case = a_case(world, murder, CaseState.REGISTERED)
    client.force_login(world["b"][Role.SFO_REVIEW_MANAGER])
    assert client.get(reverse("reviews:allocation", args=[case.pk])).status_code == 404


def test_a_case_already_allocated_cannot_be_allocated_again(client, world, murder):
    case = a_case(world, murder, CaseState.REVIEW_IN_PROGRESS)
    client.force_login(world["a"][Role.SFO_REVIEW_MANAGER])
    assert client.get(reverse("reviews:allocation", args=[case.pk])).status_code == 403


def test_a_review_manager_finds_a_registered_case_waiting_for_a_reviewer(client, world, murder):
    own = a_case(world, murder, CaseState.REGISTERED)
    directed = a_case(world, murder, CaseState.NOTIFIED, crn="E123456")
    services.register_case(
        directed,
        by=world["central"][Role.CENTRAL_QA_MANAGER],
        reviewing_provider=world["b"]["provider"],
    )

    client.force_login(world["a"][Role.SFO_REVIEW_MANAGER])
    section = queue_section(client.get("/"), "Registered cases waiting for a reviewer")
    assert reverse("reviews:case_detail", args=[own.pk]) in section
    assert own.reference in section
    assert reverse("reviews:case_detail", args=[directed.pk]) not in section

    client.force_login(world["b"][Role.SFO_REVIEW_MANAGER])
    section = queue_section(client.get("/"), "Registered cases waiting for a reviewer")
    assert reverse("reviews:case_detail", args=[directed.pk]) in section
    assert reverse("reviews:case_detail", args=[own.pk]) not in section


# --- Court outcome ----------------------------------------------------------------------------


def test_an_outcome_other_than_pending_needs_a_date(client, world, murder):
    case = a_case(world, murder, CaseState.REGISTERED)
    client.force_login(world["a"][Role.SFO_REVIEW_MANAGER])

    response = client.post(
        reverse("reviews:court_outcome", args=[case.pk]),
        {"outcome": CourtOutcome.ACQUITTED, "outcome_date_0": "", "outcome_date_1": ""},
    )

    assert_error_summary(response, "Enter the date of the outcome", "id_outcome_date_0")
    assert f'value="{CourtOutcome.ACQUITTED}" checked' in response.content.decode()
    assert Case.objects.get(pk=case.pk).court_outcome == CourtOutcome.PENDING


def test_a_court_outcome_in_the_future_is_refused(client, world, murder):
    case = a_case(world, murder, CaseState.REGISTERED)
    client.force_login(world["central"][Role.CENTRAL_QA_REVIEWER])
    tomorrow = timezone.localdate() + timedelta(days=1)

    response = client.post(
        reverse("reviews:court_outcome", args=[case.pk]),
        {"outcome": CourtOutcome.CONVICTED_QUALIFYING, **date_boxes("outcome_date", tomorrow)},
    )

    assert_error_summary(
        response, "Date of the outcome must be today or in the past", "id_outcome_date_0"
    )
    assert f'id="id_outcome_date_2" value="{tomorrow.year}"' in response.content.decode()
    case.refresh_from_db()
    assert (case.court_outcome, case.court_outcome_date) == (CourtOutcome.PENDING, None)


def test_a_court_outcome_with_its_date_is_recorded_and_shown(client, world, murder):
    case = a_case(world, murder, CaseState.REGISTERED)
    client.force_login(world["a"][Role.SFO_REVIEWER])
    day = timezone.localdate() - timedelta(days=2)

    response = client.post(
        reverse("reviews:court_outcome", args=[case.pk]),
        {"outcome": CourtOutcome.ACQUITTED, **date_boxes("outcome_date", day)},
        follow=True,
    )

    case.refresh_from_db()
    assert (case.court_outcome, case.court_outcome_date) == (CourtOutcome.ACQUITTED, day)
    content = response.content.decode()
    assert "Court outcome recorded" in content
    assert f"Acquitted on {day.day} {day:%B %Y}" in content


def test_a_pending_outcome_needs_no_date(client, world, murder):
    case = a_case(world, murder, CaseState.REGISTERED)
    client.force_login(world["a"][Role.SFO_REVIEWER])

    response = client.post(
        reverse("reviews:court_outcome", args=[case.pk]), {"outcome": CourtOutcome.PENDING}
    )

    assert response.status_code == 302


def test_an_analyst_cannot_record_a_court_outcome(client, world, murder):
    case = a_case(world, murder, CaseState.REGISTERED)
    client.force_login(world["central"][Role.ANALYST])
    url = reverse("reviews:court_outcome", args=[case.pk])
    day = timezone.localdate() - timedelta(days=2)

    assert client.get(url).status_code == 403
    posted = client.post(
        url, {"outcome": CourtOutcome.ACQUITTED, **date_boxes("outcome_date", day)}
    )
    assert posted.status_code == 403
    assert Case.objects.get(pk=case.pk).court_outcome == CourtOutcome.PENDING


def test_an_analyst_posting_an_incomplete_outcome_is_refused_not_shown_the_form(
    client, world, murder
):
    case = a_case(world, murder, CaseState.REGISTERED)
    client.force_login(world["central"][Role.ANALYST])

    response = client.post(
        reverse("reviews:court_outcome", args=[case.pk]), {"outcome": CourtOutcome.ACQUITTED}
    )

    assert response.status_code == 403
