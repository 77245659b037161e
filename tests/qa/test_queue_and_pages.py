"""The central QA queue and the pages of a round and of its feedback, as the people who use them."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from qa import services
from qa.models import QAAssessment
from reviews.models import Case
from reviews.workflow import CaseState
from sfo.clocks.models import Clock, ClockKind
from sfo.documents.models import DocumentJob
from sfo.people.roles import Role
from tests.qa.conftest import submitted_case
from tests.qa.test_central_qa import rate

S = CaseState


def submitted_days_ago(case, days):
    """Back-date the case's central QA clock, as if it had been submitted `days` ago."""
    day = timezone.localdate() - timedelta(days=days)
    Clock.objects.filter(case=case, kind=ClockKind.CENTRAL_QA).update(
        started_on=day, due_on=day + timedelta(days=28)
    )


@pytest.fixture
def four(world, murder):
    """Four submitted cases: an old ordinary one, a newer ordinary one, a newer high-profile one
    and the newest, with a victim's disclosure request."""
    old = submitted_case(world, murder, crn="A100001")
    new = submitted_case(world, murder, crn="A100002", key="b")
    high = submitted_case(world, murder, crn="A100003", high_profile=True)
    disclosure = submitted_case(
        world, murder, crn="A100004", disclosure_requested_on=timezone.localdate()
    )
    for case, days in ((old, 40), (new, 10), (high, 5), (disclosure, 1)):
        submitted_days_ago(case, days)
    return old, new, high, disclosure


def test_the_queue_puts_expedited_cases_first_then_the_oldest(client, four, qa_reviewer):
    old, new, high, disclosure = four
    client.force_login(qa_reviewer)
    response = client.get("/qa/queue/")
    assert response.status_code == 200
    rows = [row.case for row in response.context["rows"]]
    assert rows == [high, disclosure, old, new]
    content = response.content.decode()
    assert "High-profile" in content and "Victim disclosure" in content
    # The old one is overdue (red), the new ones are not.
    rag = {row.case: row.rag for row in response.context["rows"]}
    assert rag[old] == "red" and rag[new] == "green"


def test_the_queue_filters_by_provider_mode_state_and_reviewer(client, world, four, qa_reviewer):
    old, new, high, disclosure = four
    client.force_login(qa_reviewer)

    def shown(query):
        return [row.case for row in client.get(f"/qa/queue/?{query}").context["rows"]]

    assert shown(f"provider={world['b']['provider'].pk}") == [new]
    assert shown("mode=full") == [high, disclosure]
    assert shown("mode=targeted") == [old, new]
    services.take_for_qa(old, by=qa_reviewer)
    assert shown("state=central_qa") == [old]
    assert shown(f"qa_reviewer={qa_reviewer.pk}") == [old]
    assert shown("qa_reviewer=none") == [high, disclosure, new]
    rate(QAAssessment.objects.get(case=old), qa_reviewer)
    assert shown("state=qa_complete&rating=Satisfactory") == [old]
    assert shown("rating=Satisfactory") == []  # nothing waiting has been rated before


def test_the_queue_keeps_its_query_count_as_cases_are_added(client, world, murder, qa_reviewer):
    client.force_login(qa_reviewer)
    submitted_case(world, murder, crn="A200001")
    client.get("/qa/queue/")
    with CaptureQueriesContext(connection) as few:
        client.get("/qa/queue/")
    for n in range(2, 6):
        submitted_case(world, murder, crn=f"A20000{n}", key="ab"[n % 2])
    with CaptureQueriesContext(connection) as more:
        response = client.get("/qa/queue/")
    assert len(response.context["rows"]) == 5
    assert len(more) == len(few)


@pytest.mark.parametrize(
    "role, status",
    [
        (Role.CENTRAL_QA_REVIEWER, 200),
        (Role.CENTRAL_QA_MANAGER, 200),
        (Role.SFO_REVIEW_MANAGER, 403),
        (Role.ANALYST, 403),
        (Role.ADMINISTRATOR, 403),
    ],
)
def test_the_queue_is_for_the_central_team(client, world, role, status):
    key = "central" if role not in {Role.SFO_REVIEW_MANAGER} else "a"
    client.force_login(world[key][role])
    assert client.get("/qa/queue/").status_code == status


def test_the_queue_is_empty_with_a_message(client, world, qa_reviewer):
    client.force_login(qa_reviewer)
    assert "No review is waiting for central QA" in client.get("/qa/queue/").content.decode()


def test_a_qa_reviewer_takes_rates_and_gives_feedback_through_the_pages(
    client, submitted, qa_reviewer
):
    client.force_login(qa_reviewer)
    page = client.get(f"/qa/cases/{submitted.pk}/")
    assert "Take for central QA" in page.content.decode()
    assert client.post(f"/qa/cases/{submitted.pk}/take/").status_code == 302
    round_ = QAAssessment.objects.get(case=submitted)
    questions = services.questions_of(round_)
    data = {
        "mode": "targeted",
        "edit_version": round_.edit_version,
        "feedback": "Good analysis.",
        "section_chronology": "Too long before the review period.",
        "action": "complete",
    }
    # Nothing rated: errors, and what was typed is still there.
    response = client.post(f"/qa/cases/{submitted.pk}/", data)
    content = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in content
    assert "Rate the review." in content and "Too long before the review period." in content
    levels = {level.label: level.pk for level in round_.scale.levels.all()}
    data |= {f"answer_{q.pk}": "yes" for q in questions}
    data |= {"review_rating": levels["Good"], "action_plan_rating": levels["Satisfactory"]}
    response = client.post(f"/qa/cases/{submitted.pk}/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    submitted.refresh_from_db()
    assert submitted.state == S.QA_COMPLETE


def test_a_stale_draft_keeps_what_was_typed(client, submitted, qa_reviewer):
    client.force_login(qa_reviewer)
    services.take_for_qa(submitted, by=qa_reviewer)
    response = client.post(
        f"/qa/cases/{submitted.pk}/",
        {"mode": "targeted", "edit_version": 0, "feedback": "My words", "action": "save"},
    )
    content = response.content.decode()
    assert "Someone else saved this assessment" in content and "My words" in content


def test_the_provider_reads_feedback_and_accepts_it(client, world, submitted, qa_reviewer):
    rate(services.take_for_qa(submitted, by=qa_reviewer), qa_reviewer)
    manager = world["a"][Role.SFO_REVIEW_MANAGER]
    client.force_login(manager)
    page = client.get(f"/qa/cases/{submitted.pk}/feedback/").content.decode()
    assert "Focus the chronology on the last year." in page
    assert "Satisfactory" in page and "Accept the feedback" in page
    client.post(f"/qa/cases/{submitted.pk}/feedback/accept/")
    assert QAAssessment.objects.get(case=submitted).feedback_accepted_by == manager
    # The other provider's staff cannot see it.
    client.force_login(world["b"][Role.SFO_REVIEW_MANAGER])
    assert client.get(f"/qa/cases/{submitted.pk}/feedback/").status_code == 404


def test_the_feedback_letter_is_made_for_the_provider(client, world, submitted, qa_reviewer):
    from sfo.documents.services import run_document_job

    rate(services.take_for_qa(submitted, by=qa_reviewer), qa_reviewer)
    client.force_login(world["a"][Role.SENIOR_MANAGER])
    response = client.post(f"/qa/cases/{submitted.pk}/feedback/1/letter/")
    job = DocumentJob.objects.get(kind="qa_feedback")
    assert response.status_code == 302 and response["Location"] == f"/documents/{job.pk}/"
    run_document_job(job.pk)
    job.refresh_from_db()
    assert job.status == "done", job.error
    assert client.get(f"/documents/{job.pk}/download/").status_code == 200
    client.force_login(world["b"][Role.SENIOR_MANAGER])
    assert client.get(f"/documents/{job.pk}/download/").status_code in (403, 404)


def test_an_independent_assessor_cannot_reach_the_central_rating(client, world, submitted):
    from qa.models import SampleAssignment
    from tests.factories import IndependentBodyFactory, UserFactory

    qa_reviewer = world["central"][Role.CENTRAL_QA_REVIEWER]
    rate(services.take_for_qa(submitted, by=qa_reviewer), qa_reviewer)
    assessor = UserFactory(
        username="assessor", organisation=IndependentBodyFactory(), role=Role.INDEPENDENT_ASSESSOR
    )
    SampleAssignment.objects.create(
        case=submitted, assessor=assessor, sampled_on=timezone.localdate()
    )
    client.force_login(assessor)
    for url in (
        f"/qa/cases/{submitted.pk}/",
        f"/qa/cases/{submitted.pk}/feedback/",
        "/qa/queue/",
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/qa/cases/{submitted.pk}/feedback/1/letter/").status_code == 403
    case_page = client.get(f"/cases/{submitted.pk}/").content.decode()
    assert "Satisfactory" not in case_page
    assert "Read the central QA feedback" not in case_page
    assert Case.objects.get(pk=submitted.pk).state == S.QA_COMPLETE


def test_the_reviewer_amends_against_the_feedback_shown_beside_the_sections(
    client, world, submitted, qa_reviewer
):
    assessment = services.take_for_qa(submitted, by=qa_reviewer)
    every = {q.pk: ("no", "") for q in assessment.standards.questions.all()}
    methodology = "Say who was interviewed and which records were read."
    rate(
        assessment,
        qa_reviewer,
        marked_incomplete=True,
        answers=every,
        sections={"methodology": methodology},
    )
    client.force_login(world["a"][Role.SFO_REVIEWER])
    task_list = client.get(f"/cases/{submitted.pk}/review/").content.decode()
    assert "Returned for amendments" in task_list
    assert "A clear judgement; the action plan needs organisational actions." in task_list
    assert task_list.count("Central QA gave feedback on this section") == 1
    section = client.get(f"/cases/{submitted.pk}/review/sections/methodology/").content.decode()
    assert methodology in section
    other = client.get(f"/cases/{submitted.pk}/review/sections/planning/").content.decode()
    assert methodology not in other and "Central QA feedback, round 1" not in other
    assert "Central QA feedback" in client.get(f"/cases/{submitted.pk}/").content.decode()


def test_the_assessor_meets_no_trace_of_central_qa_in_the_case_history_or_other_versions(
    client, world, murder, qa_reviewer
):
    """A returned and re-submitted review, then sampled: the case page shows no central QA step
    or comment, and only the version sampled can be read."""
    from qa import sampling
    from reviews import local_qa
    from tests.factories import IndependentBodyFactory, UserFactory

    case = submitted_case(world, murder)
    first = services.take_for_qa(case, by=qa_reviewer)
    every = {q.pk: ("partly", "") for q in first.standards.questions.all()}
    rate(first, qa_reviewer, marked_incomplete=True, answers=every)
    case.refresh_from_db()
    said = "Amended as central QA asked: the action plan was rated Requires improvement."
    local_qa.resubmit(case, by=world["a"][Role.SENIOR_MANAGER], comment=said)
    case.refresh_from_db()
    rate(services.take_for_qa(case, by=qa_reviewer), qa_reviewer)
    assessor = UserFactory(
        username="panel", organisation=IndependentBodyFactory(), role=Role.INDEPENDENT_ASSESSOR
    )
    today = timezone.localdate()
    sample = sampling.draw_sample(
        by=world["central"][Role.ADMINISTRATOR],
        period_start=today,
        period_end=today,
        assessors=[assessor],
        proportion=1,
        seed=1,
    )
    sampled = sample.assignments.get().version
    client.force_login(assessor)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    for trace in (said, "Round 1 of central QA", "Returned for amendments"):
        assert trace not in page, trace
    versions = client.get(f"/cases/{case.pk}/review/versions/")
    assert versions.status_code == 200
    numbers = [v.number for v in versions.context["versions"]]
    assert numbers == [sampled.number]
    assert client.get(f"/cases/{case.pk}/review/versions/1/").status_code == 404
    compare = client.get(f"/cases/{case.pk}/review/versions/compare/?from=2&to=3")
    assert compare.context["comparison"] is None
    # Central QA's own people still see the whole history.
    client.force_login(qa_reviewer)
    assert said in client.get(f"/cases/{case.pk}/").content.decode()
