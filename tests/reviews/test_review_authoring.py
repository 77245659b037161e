"""Writing the full review: who may write it, the independence rules, the version check on every
edited part, the mandatory judgement, the action plan's steps, and the pages that do each."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from reviews import authoring, services
from reviews.models import (
    ActionStatus,
    Judgement,
    ReviewVersion,
    SectionKey,
    SectionStatus,
    VersionPurpose,
)
from reviews.workflow import CaseState
from sfo.audit.models import AccessRecord
from sfo.people.roles import Role
from tests.factories import UserFactory
from tests.reviews.conftest import assert_error_summary, case_in

pytestmark = pytest.mark.django_db


def conclude(case, reviewer, judgement=Judgement.NO):
    return authoring.save_conclusion(
        case,
        by=reviewer,
        text="The review concludes.",
        status=SectionStatus.COMPLETED,
        judgement=judgement,
        reasons="The risk was not reassessed after the arrest in March.",
        expected_version=None,
    )


def refused_rows(user, action):
    return AccessRecord.objects.filter(user=user, action=action, allowed=False).count()


# --- Who writes -------------------------------------------------------------------------------


def test_the_allocated_reviewer_writes_a_section(review_case, reviewer):
    section = authoring.save_section(
        review_case,
        SectionKey.METHODOLOGY,
        by=reviewer,
        text="Interviewed the responsible officer and their manager.",
        status=SectionStatus.IN_PROGRESS,
        expected_version=1,
    )
    assert section.version == 2
    assert section.text.startswith("Interviewed")


@pytest.mark.parametrize(
    "role",
    [Role.SFO_REVIEW_MANAGER, Role.SENIOR_MANAGER, Role.RESPONSIBLE_OFFICER],
)
def test_nobody_but_the_allocated_reviewer_writes(world, review_case, role):
    with pytest.raises(PermissionDenied, match="allocated"):
        authoring.save_section(
            review_case,
            SectionKey.METHODOLOGY,
            by=world["a"][role],
            text="x",
            status=SectionStatus.IN_PROGRESS,
            expected_version=None,
        )
    assert refused_rows(world["a"][role], "write:review") == 1


def test_the_review_cannot_change_once_sent_for_local_qa(review_case, reviewer):
    conclude(review_case, reviewer)
    authoring.send_for_local_qa(review_case, by=reviewer)
    with pytest.raises(PermissionDenied, match="local qa"):
        authoring.save_section(
            review_case,
            SectionKey.METHODOLOGY,
            by=reviewer,
            text="late",
            status=SectionStatus.IN_PROGRESS,
            expected_version=None,
        )


# --- Independence -----------------------------------------------------------------------------


@pytest.fixture
def two_levels_up(world, review_case):
    """The responsible officer's manager, and that manager's own manager, who is an SFO reviewer
    of the same provider: two levels of line management above the case."""
    officer = world["a"][Role.RESPONSIBLE_OFFICER]
    provider = world["a"]["provider"]
    grand = UserFactory(username="grand-manager", organisation=provider, role=Role.SFO_REVIEWER)
    middle = UserFactory(username="middle-manager", organisation=provider, role=Role.SENIOR_MANAGER)
    middle.line_manager = grand
    middle.save()
    officer.line_manager = middle
    officer.save()
    return middle, grand


def a_registered_case(world, murder):
    return case_in(world, murder, CaseState.REGISTERED, crn="B765432")


def test_a_reviewer_who_managed_the_case_is_not_allocated(world, murder):
    case = a_registered_case(world, murder)
    officer = world["a"][Role.RESPONSIBLE_OFFICER]
    officer.groups.add(*world["a"][Role.SFO_REVIEWER].groups.all())
    manager = world["a"][Role.SFO_REVIEW_MANAGER]
    with pytest.raises(ValidationError, match="managed this case"):
        services.allocate_reviewer(case, by=manager, reviewer=officer)
    assert refused_rows(manager, "independence:allocate") == 1
    case.refresh_from_db()
    assert case.state == CaseState.REGISTERED


def test_a_reviewer_two_levels_above_the_officer_is_not_allocated(world, murder):
    case = a_registered_case(world, murder)
    officer = world["a"][Role.RESPONSIBLE_OFFICER]
    provider = world["a"]["provider"]
    grand = UserFactory(username="grand", organisation=provider, role=Role.SFO_REVIEWER)
    middle = UserFactory(username="middle", organisation=provider, role=Role.SENIOR_MANAGER)
    middle.line_manager = grand
    middle.save()
    officer.line_manager = middle
    officer.save()
    with pytest.raises(ValidationError, match="line management"):
        services.allocate_reviewer(case, by=world["a"][Role.SFO_REVIEW_MANAGER], reviewer=grand)


def test_an_officer_who_left_before_the_review_period_does_not_count(world, review_case, reviewer):
    """Independence counts the officers who managed the case in the review period."""
    from reviews.independence import responsible_officers
    from reviews.models import ResponsibleOfficerPeriod

    earlier = UserFactory(username="earlier", organisation=world["a"]["provider"])
    ResponsibleOfficerPeriod.objects.create(
        case=review_case,
        officer=earlier,
        started_on=timezone.localdate() - timedelta(days=2000),
        ended_on=timezone.localdate() - timedelta(days=1500),
    )
    assert earlier in responsible_officers(review_case)
    authoring.set_review_period(
        review_case, by=reviewer, start=timezone.localdate() - timedelta(days=700)
    )
    assert earlier not in responsible_officers(review_case)
    assert world["a"][Role.RESPONSIBLE_OFFICER] in responsible_officers(review_case)


def test_a_countersigner_two_levels_above_the_officer_is_refused(world, review_case, two_levels_up):
    middle, _ = two_levels_up
    grand_senior = UserFactory(
        username="grand-senior", organisation=world["a"]["provider"], role=Role.SENIOR_MANAGER
    )
    middle.line_manager = grand_senior
    middle.save()
    reason = services.refusal(grand_senior, review_case, "countersign_and_submit")
    assert reason and "line management" in reason
    # The provider's own senior manager heads the SFO team, outside the officer's line.
    assert (
        services.refusal(world["a"][Role.SENIOR_MANAGER], review_case, "countersign_and_submit")
        is None
    )


def test_a_countersigner_must_be_a_senior_manager(world, review_case):
    from reviews.independence import countersigner_refusal

    assert "senior manager" in countersigner_refusal(
        world["a"][Role.SFO_REVIEW_MANAGER], review_case
    )


# --- The version check ------------------------------------------------------------------------


def test_the_second_save_from_the_same_version_is_a_conflict_that_keeps_both(review_case, reviewer):
    authoring.save_section(
        review_case,
        SectionKey.SUMMARY_OF_EVENTS,
        by=reviewer,
        text="First writer's text",
        status=SectionStatus.IN_PROGRESS,
        expected_version=1,
    )
    with pytest.raises(authoring.EditConflict) as conflict:
        authoring.save_section(
            review_case,
            SectionKey.SUMMARY_OF_EVENTS,
            by=reviewer,
            text="Second writer's text",
            status=SectionStatus.IN_PROGRESS,
            expected_version=1,
        )
    assert conflict.value.current.text == "First writer's text"
    assert conflict.value.mine["text"] == "Second writer's text"


def test_findings_and_actions_are_version_checked_too(review_case, reviewer):
    facts = authoring.FindingFacts("Risk not reassessed", "Because...", "missed_opportunity")
    finding = authoring.add_finding(review_case, by=reviewer, facts=facts)
    authoring.update_finding(review_case, finding.pk, by=reviewer, facts=facts, expected_version=1)
    with pytest.raises(authoring.EditConflict):
        authoring.update_finding(
            review_case, finding.pk, by=reviewer, facts=facts, expected_version=1
        )
    action_facts = authoring.ActionFacts(
        "Brief the team", "team", "SPO", timezone.localdate() + timedelta(days=30)
    )
    action = authoring.add_action(review_case, by=reviewer, facts=action_facts)
    authoring.update_action(
        review_case, action.pk, by=reviewer, facts=action_facts, expected_version=1
    )
    with pytest.raises(authoring.EditConflict):
        authoring.update_action(
            review_case, action.pk, by=reviewer, facts=action_facts, expected_version=1
        )


# --- The judgement and sending for local QA ----------------------------------------------------


def test_the_conclusion_cannot_be_completed_without_the_judgement(review_case, reviewer):
    with pytest.raises(ValidationError, match="reasonable steps"):
        authoring.save_conclusion(
            review_case,
            by=reviewer,
            text="",
            status=SectionStatus.COMPLETED,
            judgement="",
            reasons="",
            expected_version=None,
        )
    # A draft may wait for it.
    authoring.save_conclusion(
        review_case,
        by=reviewer,
        text="Draft",
        status=SectionStatus.IN_PROGRESS,
        judgement="",
        reasons="",
        expected_version=None,
    )


def test_a_review_without_a_judgement_is_not_sent(review_case, reviewer):
    with pytest.raises(ValidationError, match="reasonable steps"):
        authoring.send_for_local_qa(review_case, by=reviewer)
    review_case.refresh_from_db()
    assert review_case.state == CaseState.REVIEW_IN_PROGRESS


def test_sending_for_local_qa_freezes_a_version(review_case, reviewer):
    conclude(review_case, reviewer)
    entry = authoring.EntryFacts(timezone.localdate() - timedelta(days=40), "police", "Arrested")
    authoring.add_entries(review_case, by=reviewer, entries=[entry])
    version = authoring.send_for_local_qa(review_case, by=reviewer)
    review_case.refresh_from_db()
    assert review_case.state == CaseState.LOCAL_QA
    assert version.number == 1 and version.purpose == VersionPurpose.LOCAL_QA
    assert version.snapshot["all_reasonable_steps"] == "no"
    assert version.snapshot["chronology"][0]["event"] == "Arrested"
    assert ReviewVersion.objects.filter(review__case=review_case).count() == 1


@pytest.mark.parametrize(
    "key,role",
    [("a", Role.SFO_REVIEW_MANAGER), ("a", Role.SENIOR_MANAGER), ("b", Role.SFO_REVIEWER)]
    + [("central", role) for role in (Role.CENTRAL_QA_REVIEWER, Role.CENTRAL_QA_MANAGER)],
)
def test_only_the_allocated_reviewer_sends_for_local_qa(world, review_case, reviewer, key, role):
    conclude(review_case, reviewer)
    with pytest.raises(PermissionDenied):
        authoring.send_for_local_qa(review_case, by=world[key][role])
    review_case.refresh_from_db()
    assert review_case.state == CaseState.REVIEW_IN_PROGRESS


# --- The action plan ---------------------------------------------------------------------------


def test_an_external_action_names_its_agency(review_case, reviewer):
    facts = authoring.ActionFacts(
        "Share the finding", "external", "Head of PP", timezone.localdate() + timedelta(days=9)
    )
    with pytest.raises(ValidationError, match="agency"):
        authoring.add_action(review_case, by=reviewer, facts=facts)


def test_an_action_is_verified_with_evidence_by_a_manager(world, review_case, reviewer):
    facts = authoring.ActionFacts(
        "Brief the team on address checks",
        "team",
        "SPO",
        timezone.localdate() + timedelta(days=30),
    )
    action = authoring.add_action(review_case, by=reviewer, facts=facts)
    authoring.progress_action(review_case, action.pk, by=reviewer)
    action = authoring.progress_action(review_case, action.pk, by=reviewer)
    assert action.status == ActionStatus.COMPLETED
    with pytest.raises(PermissionDenied, match="verified by"):
        authoring.progress_action(review_case, action.pk, by=reviewer, evidence="Done")
    manager = world["a"][Role.SFO_REVIEW_MANAGER]
    with pytest.raises(ValidationError, match="evidence"):
        authoring.progress_action(review_case, action.pk, by=manager)
    action = authoring.progress_action(
        review_case, action.pk, by=manager, evidence="Briefed 3 March; audit of 10 cases in June"
    )
    assert action.status == ActionStatus.VERIFIED and action.verified_by == manager


# --- The pages --------------------------------------------------------------------------------


def test_the_task_list_shows_every_section_and_its_status(client, review_case, reviewer):
    authoring.save_section(
        review_case,
        SectionKey.METHODOLOGY,
        by=reviewer,
        text="Done",
        status=SectionStatus.COMPLETED,
        expected_version=None,
    )
    client.force_login(reviewer)
    response = client.get(reverse("reviews:review", args=[review_case.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    for key in SectionKey:
        assert key.label in content.replace("&#x27;", "'")
    assert "You have completed 1 of 17 sections" in content
    assert 'id="section-methodology-status">Completed' in content


def test_a_section_saved_through_its_page(client, review_case, reviewer):
    client.force_login(reviewer)
    url = reverse("reviews:review_section", args=[review_case.pk, "multi_agency"])
    response = client.post(
        url, {"text": "The police shared...", "status": "completed", "version": 1}
    )
    assert response.status_code == 302
    section = authoring.review_of(review_case).sections.get(key="multi_agency")
    assert section.status == SectionStatus.COMPLETED and section.text == "The police shared..."


def test_the_conflict_page_shows_both_versions_and_keeps_what_was_typed(
    client, review_case, reviewer
):
    authoring.save_section(
        review_case,
        SectionKey.PLANNING,
        by=reviewer,
        text="Saved meanwhile in another tab",
        status=SectionStatus.IN_PROGRESS,
        expected_version=1,
    )
    client.force_login(reviewer)
    url = reverse("reviews:review_section", args=[review_case.pk, "planning"])
    response = client.post(
        url, {"text": "Typed here, from version 1", "status": "in_progress", "version": 1}
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved this while you were editing it" in content
    assert "Saved meanwhile in another tab" in content
    assert content.count("Typed here, from version 1") >= 2  # shown, and still in the text box
    assert 'name="version" value="2"' in content
    # Saving again, knowingly, keeps the writer's text.
    client.post(url, {"text": "Typed here, from version 1", "status": "in_progress", "version": 2})
    assert authoring.review_of(review_case).sections.get(key="planning").text.startswith("Typed")


def test_completing_the_conclusion_without_a_judgement_keeps_the_text(
    client, review_case, reviewer
):
    client.force_login(reviewer)
    url = reverse("reviews:review_section", args=[review_case.pk, "conclusion"])
    response = client.post(url, {"text": "My long conclusion", "status": "completed", "version": 1})
    assert_error_summary(
        response,
        "Say whether all reasonable steps were taken before you complete the conclusion",
        "id_all_reasonable_steps_0",
    )
    assert "My long conclusion" in response.content.decode()


def test_the_review_manager_reads_but_cannot_write(client, world, review_case):
    manager = world["a"][Role.SFO_REVIEW_MANAGER]
    client.force_login(manager)
    url = reverse("reviews:review_section", args=[review_case.pk, "methodology"])
    response = client.get(url)
    assert response.status_code == 200
    assert "<textarea" not in response.content.decode()
    assert client.post(url, {"text": "x", "status": "in_progress"}).status_code == 403


@pytest.mark.parametrize(
    "key,role,status",
    [
        ("a", Role.RESPONSIBLE_OFFICER, 403),
        ("a", Role.VICTIM_LIAISON_OFFICER, 403),
        ("b", Role.SFO_REVIEWER, 404),
        ("central", Role.ANALYST, 403),
        ("central", Role.CENTRAL_QA_REVIEWER, 200),
    ],
)
def test_who_reads_the_review(client, world, review_case, key, role, status):
    client.force_login(world[key][role])
    assert client.get(reverse("reviews:review", args=[review_case.pk])).status_code == status


def test_findings_and_actions_through_their_pages(client, review_case, reviewer):
    client.force_login(reviewer)
    response = client.post(
        reverse("reviews:finding_add", args=[review_case.pk]),
        {"title": "Address not checked", "kind": "practice_failing", "analysis": "Because..."},
    )
    assert response.status_code == 302
    finding = authoring.review_of(review_case).findings.get()
    due = timezone.localdate() + timedelta(days=60)
    response = client.post(
        reverse("reviews:action_add", args=[review_case.pk]),
        {
            "description": "Share with the police",
            "level": "external",
            "agency": "",
            "owner": "Head of public protection",
            "due_on_0": due.day,
            "due_on_1": due.month,
            "due_on_2": due.year,
            "finding": finding.pk,
        },
    )
    assert_error_summary(response, "Name the external agency the action is for", "id_agency")
    assert "Share with the police" in response.content.decode()
    response = client.post(
        reverse("reviews:action_add", args=[review_case.pk]),
        {
            "description": "Share with the police",
            "level": "external",
            "agency": "Metropolitan Police",
            "owner": "Head of public protection",
            "due_on_0": due.day,
            "due_on_1": due.month,
            "due_on_2": due.year,
            "finding": finding.pk,
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("reviews:findings", args=[review_case.pk])).content.decode()
    assert "Address not checked" in page and "Share with the police" in page
    plan = client.get(reverse("reviews:action_plan", args=[review_case.pk])).content.decode()
    assert "External agency: Metropolitan Police" in plan


def test_the_case_page_leads_the_reviewer_to_the_review(client, review_case, reviewer):
    client.force_login(reviewer)
    content = client.get(reverse("reviews:case_detail", args=[review_case.pk])).content.decode()
    assert reverse("reviews:review", args=[review_case.pk]) in content
    assert reverse("reviews:send_for_local_qa", args=[review_case.pk]) in content


def test_sending_through_the_page(client, review_case, reviewer):
    conclude(review_case, reviewer)
    client.force_login(reviewer)
    response = client.post(reverse("reviews:send_for_local_qa", args=[review_case.pk]), {})
    assert response.status_code == 302
    review_case.refresh_from_db()
    assert review_case.state == CaseState.LOCAL_QA


def test_a_section_sent_after_the_session_ended_is_kept_and_saved_after_sign_in(
    client, review_case, reviewer
):
    from sfo.people.models import HeldSubmission
    from tests.factories import PASSWORD
    from tests.test_sessions import age_session

    client.force_login(reviewer)
    age_session(client, idle_seconds=45 * 60)
    url = reverse("reviews:review_section", args=[review_case.pk, "summary_of_events"])
    typed = {"text": "An hour of writing", "status": "in_progress", "version": "1"}
    response = client.post(url, typed)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    held = HeldSubmission.objects.get(user=reviewer)
    assert held.data["text"] == ["An hour of writing"]

    signed_in = client.post(
        reverse("login"), {"username": reviewer.username, "password": PASSWORD, "next": url}
    )
    assert signed_in["Location"] == reverse("held_submission", args=[held.pk])
    resent = client.post(signed_in["Location"], typed)
    client.post(resent["Location"], typed)
    section = authoring.review_of(review_case).sections.get(key="summary_of_events")
    assert section.text == "An hour of writing"


def test_the_live_coach_does_not_end_a_timed_out_session_so_the_save_is_kept(
    client, review_case, reviewer
):
    """The coach posts as the reviewer types; after 30 idle minutes its request must not be the
    one that ends the session, or the reviewer's own Save would arrive signed out and be lost."""
    from sfo.people.models import HeldSubmission
    from tests.test_sessions import age_session

    client.force_login(reviewer)
    age_session(client, idle_seconds=45 * 60)
    typed = {"section": "planning", "text": "Typed after lunch", "status": "in_progress"}
    coach = client.post(
        reverse("reviews:coach", args=[review_case.pk]), typed, HTTP_X_SFO_BACKGROUND="coach"
    )
    assert coach.status_code == 401
    assert not HeldSubmission.objects.exists()
    save = client.post(
        reverse("reviews:review_section", args=[review_case.pk, "planning"]),
        {**typed, "version": "1"},
    )
    assert save.status_code == 302 and save["Location"].startswith(reverse("login"))
    assert HeldSubmission.objects.get(user=reviewer).data["text"] == ["Typed after lunch"]


def test_an_edit_without_its_version_is_a_conflict_not_an_overwrite(client, review_case, reviewer):
    authoring.save_section(
        review_case,
        SectionKey.PLANNING,
        by=reviewer,
        text="Saved by someone",
        status=SectionStatus.IN_PROGRESS,
        expected_version=1,
    )
    client.force_login(reviewer)
    url = reverse("reviews:review_section", args=[review_case.pk, "planning"])
    response = client.post(url, {"text": "No version posted", "status": "in_progress"})
    assert response.status_code == 200
    assert "Someone else saved this" in response.content.decode()
    assert authoring.review_of(review_case).sections.get(key="planning").text == "Saved by someone"


def test_a_double_click_moves_an_action_on_once(client, review_case, reviewer):
    facts = authoring.ActionFacts("Brief", "team", "SPO", timezone.localdate() + timedelta(days=9))
    action = authoring.add_action(review_case, by=reviewer, facts=facts)
    client.force_login(reviewer)
    url = reverse("reviews:action_progress", args=[review_case.pk, action.pk])
    client.post(url, {"seen_status": "open"})
    client.post(url, {"seen_status": "open"})
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS


def test_a_review_cannot_be_countersigned_without_its_judgement(world, review_case, reviewer):
    from reviews import local_qa
    from reviews.models import Review

    conclude(review_case, reviewer)
    authoring.send_for_local_qa(review_case, by=reviewer)
    services.transition_case(review_case, "pass_local_qa", by=world["a"][Role.SFO_REVIEW_MANAGER])
    Review.objects.filter(case=review_case).update(judgement_reasons="")
    with pytest.raises(ValidationError, match="reasonable steps"):
        local_qa.countersign_and_submit(review_case, by=world["a"][Role.SENIOR_MANAGER])


def test_an_upload_after_the_session_ended_is_not_read_or_kept(client, review_case, reviewer):
    """The CSV import checks its own CSRF token after setting its in-memory upload handler: the
    timeout must not read its body first, nor keep a post whose token nobody checked."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sfo.people.models import HeldSubmission
    from tests.test_sessions import age_session

    client.force_login(reviewer)
    age_session(client, idle_seconds=45 * 60)
    upload = SimpleUploadedFile("chronology.csv", b"date,source,event\n", "text/csv")
    response = client.post(
        reverse("reviews:chronology_import", args=[review_case.pk]), {"file": upload}
    )
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not HeldSubmission.objects.exists()


def test_text_typed_after_the_review_was_sent_from_another_tab_stays_on_the_page(
    client, review_case, reviewer
):
    conclude(review_case, reviewer)
    authoring.send_for_local_qa(review_case, by=reviewer)
    client.force_login(reviewer)
    url = reverse("reviews:review_section", args=[review_case.pk, "planning"])
    response = client.post(url, {"text": "Typed in the other tab", "status": "in_progress"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Your text was not saved" in content and "Typed in the other tab" in content
    assert authoring.review_of(review_case).sections.get(key="planning").text == ""
    assert refused_rows(reviewer, "write:review") == 1


def test_a_finding_removed_while_it_was_edited_keeps_the_text_and_can_be_added_again(
    client, review_case, reviewer
):
    facts = authoring.FindingFacts("Old title", "Old analysis", "practice_failing")
    finding = authoring.add_finding(review_case, by=reviewer, facts=facts)
    authoring.delete_finding(review_case, finding.pk, by=reviewer)
    client.force_login(reviewer)
    url = reverse("reviews:finding_edit", args=[review_case.pk, finding.pk])
    assert client.get(url).status_code == 404
    typed = {
        "title": "Rewritten title",
        "kind": "practice_failing",
        "analysis": "New",
        "version": 1,
    }
    response = client.post(url, typed)
    content = response.content.decode()
    assert response.status_code == 200
    assert "was removed while you were editing it" in content and "Rewritten title" in content
    assert f'action="{reverse("reviews:finding_add", args=[review_case.pk])}"' in content
    assert (
        client.post(reverse("reviews:finding_add", args=[review_case.pk]), typed).status_code == 302
    )
    assert authoring.review_of(review_case).findings.get().title == "Rewritten title"
