# ruff: noqa: F811
"""The independent assessor rates a sampled review blind: they save a draft, then submit their
answers to the standards and their two ratings; only then do they see the central team's rating,
answers and feedback, on no page, PDF or export before. Administrators draw samples, follow them,
map the scales and keep the scales in the admin, where a scale in use is read-only."""

import subprocess
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from qa import concordance_pdf, independent
from qa import services as central_qa
from qa.models import (
    IndependentAssessment,
    IndependentSample,
    RatingScale,
    ScaleMapping,
    ScaleUse,
)
from reviews.models import Answer
from reviews.workflow import CaseState
from sfo.audit.models import AccessRecord
from sfo.documents import services as documents
from sfo.documents.models import DocumentJob, JobStatus
from sfo.people.roles import Role
from tests.factories import UserFactory
from tests.qa.conftest import submitted_case
from tests.qa.test_sampling import assessors, level
from tests.reviews.conftest import murder, world  # noqa: F401

CENTRAL_FEEDBACK = "Central verdict: the chronology misses the MAPPA level 2 meeting of March"
CENTRAL_ANSWER = "Central note on this standard: thin on the risk of serious harm"
CENTRAL_SECTION = "Central remark on the chronology: add the police intelligence"
CENTRAL_LABEL = "Satisfactory"  # on the central scale only: the independent one has no such level
SECRETS = (CENTRAL_FEEDBACK, CENTRAL_ANSWER, CENTRAL_SECTION, CENTRAL_LABEL)


@pytest.fixture
def rated(world, murder):
    """A review submitted, rated Satisfactory (review and action plan) by the central team
    through its services, its QA complete."""
    case = submitted_case(world, murder)
    reviewer = world["central"][Role.CENTRAL_QA_REVIEWER]
    assessment = central_qa.take_for_qa(case, by=reviewer)
    questions = central_qa.questions_of(assessment)
    satisfactory = level(ScaleUse.CENTRAL, CENTRAL_LABEL).pk
    central_qa.complete_assessment(
        assessment,
        by=reviewer,
        data=central_qa.AssessmentInput(
            mode=assessment.mode,
            answers={q.pk: (Answer.PARTLY, CENTRAL_ANSWER) for q in questions},
            sections={"chronology": CENTRAL_SECTION},
            review_rating=satisfactory,
            action_plan_rating=satisfactory,
            feedback=CENTRAL_FEEDBACK,
        ),
        expected_version=None,
    )
    case.refresh_from_db()
    assert case.state == CaseState.QA_COMPLETE
    return case


@pytest.fixture
def admin(world):
    return world["central"][Role.ADMINISTRATOR]


@pytest.fixture
def assessor(db):
    return assessors(1, prefix="panel")[0]


@pytest.fixture
def sample(rated, admin, assessor):
    today = timezone.localdate()
    return IndependentSample.objects.get(
        pk=independent_sample(admin, [assessor], today - timedelta(days=1), today).pk
    )


def independent_sample(admin, people, start, end):
    from qa import sampling

    return sampling.draw_sample(
        by=admin, period_start=start, period_end=end, assessors=people, proportion=1, seed=42
    )


@pytest.fixture
def assignment(sample):
    return sample.assignments.select_related("case", "version", "sample").get()


def full_draft(assignment, review="Good", plan="Requires improvement"):
    questions = assignment.sample.standards.questions.all()
    return independent.Draft(
        answers={q.pk: (Answer.YES, f"Independent note {q.position}") for q in questions},
        review_rating=level(ScaleUse.INDEPENDENT, review),
        action_plan_rating=level(ScaleUse.INDEPENDENT, plan),
        comment="A careful review, let down by its action plan.",
    )


def form_data(assignment, decision, review="Good", plan="Requires improvement", version=1):
    data = {"decision": decision, "edit_version": version, "comment": "Independent overall view"}
    for q in assignment.sample.standards.questions.all():
        data[f"answer_{q.pk}"] = Answer.YES
        data[f"comment_{q.pk}"] = ""
    data["review_rating"] = level(ScaleUse.INDEPENDENT, review).pk
    data["action_plan_rating"] = level(ScaleUse.INDEPENDENT, plan).pk
    return data


# --- The services ---------------------------------------------------------------------------------


def test_an_assessor_saves_a_draft_then_submits(assignment, assessor):
    first = full_draft(assignment)
    first.answers = dict(list(first.answers.items())[:2])
    first.action_plan_rating = None

    draft = independent.save_draft(
        assignment=assignment, by=assessor, draft=first, edit_version=None
    )

    assert not draft.is_submitted and draft.answers.count() == 2
    with pytest.raises(ValidationError) as refused:
        independent.submit(
            assignment=assignment, by=assessor, draft=first, edit_version=draft.edit_version
        )
    assert "Rate the action plan before you submit" in refused.value.messages
    assert any(m.startswith("Answer standard ") for m in refused.value.messages)

    done = independent.submit(
        assignment=assignment,
        by=assessor,
        draft=full_draft(assignment),
        edit_version=draft.edit_version,
    )

    assert done.is_submitted and done.submitted_at is not None
    assert done.answers.count() == assignment.sample.standards.questions.count()
    assert done.review_rating.label == "Good"
    with pytest.raises(ValidationError, match="already submitted"):
        independent.save_draft(
            assignment=assignment, by=assessor, draft=first, edit_version=done.edit_version
        )


def test_a_draft_saved_elsewhere_meanwhile_is_not_overwritten(assignment, assessor):
    draft = independent.save_draft(
        assignment=assignment, by=assessor, draft=full_draft(assignment), edit_version=None
    )
    stale = draft.edit_version
    independent.save_draft(
        assignment=assignment, by=assessor, draft=full_draft(assignment), edit_version=stale
    )

    with pytest.raises(independent.EditedMeanwhile):
        independent.save_draft(
            assignment=assignment,
            by=assessor,
            draft=full_draft(assignment, review="Inadequate"),
            edit_version=stale,
        )
    assert IndependentAssessment.objects.get().review_rating.label == "Good"


def test_only_the_assessor_of_the_assignment_assesses_it(assignment, world):
    other = UserFactory(username="other-panel", role=Role.INDEPENDENT_ASSESSOR)
    for someone in (other, world["central"][Role.CENTRAL_QA_MANAGER]):
        with pytest.raises(PermissionDenied):
            independent.save_draft(
                assignment=assignment, by=someone, draft=full_draft(assignment), edit_version=None
            )
        assert AccessRecord.objects.filter(user=someone, allowed=False).exists()
    assert not IndependentAssessment.objects.exists()


def test_ratings_are_on_the_samples_independent_scale(assignment, assessor):
    wrong = full_draft(assignment)
    wrong.review_rating = level(ScaleUse.CENTRAL, "Good")
    with pytest.raises(ValidationError, match="independent scale"):
        independent.save_draft(assignment=assignment, by=assessor, draft=wrong, edit_version=None)


# --- Blind ----------------------------------------------------------------------------------------


def assert_blind(text: str, where: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"{secret!r} shown to the assessor on {where}"


def pdf_text(job) -> str:
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    out = subprocess.run(
        ["pdftotext", job.file.path, "-"], check=True, capture_output=True, text=True
    ).stdout
    return " ".join(out.split())


def test_the_assessor_never_meets_the_central_rating_before_submitting(
    client, assignment, assessor, rated, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    concordance_pdf.register()
    case = rated
    client.force_login(assessor)
    pages = {
        "their list": reverse("qa:my_samples"),
        "the assessment page": reverse("qa:independent_assessment", args=[assignment.pk]),
        "the case page": reverse("reviews:case_detail", args=[case.pk]),
        "the review": reverse("reviews:review", args=[case.pk]),
        "the versions": reverse("reviews:versions", args=[case.pk]),
        "the version assessed": reverse(
            "reviews:version", args=[case.pk, assignment.version.number]
        ),
    }
    for where, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, where
        assert_blind(response.content.decode(), where)

    # The central QA pages, the feedback letter and the concordance report refuse them.
    for url in (
        reverse("qa:queue"),
        reverse("qa:assessment", args=[case.pk]),
        reverse("qa:feedback", args=[case.pk]),
        reverse("qa:feedback_letter", args=[case.pk, 1]),
        reverse("qa:concordance", args=[assignment.sample.pk]),
        reverse("qa:concordance_csv", args=[assignment.sample.pk]),
    ):
        response = client.get(url)
        assert response.status_code in (403, 404, 405), url
        assert_blind(response.content.decode(), url)
    assert (
        client.post(reverse("qa:concordance_pdf", args=[assignment.sample.pk])).status_code == 403
    )

    # The PDFs they may ask for: the review and the case summary.
    for name in ("documents:request_review_pdf", "documents:request_case_summary"):
        response = client.post(reverse(name, args=[case.pk]))
        assert response.status_code == 302, name
        job = DocumentJob.objects.filter(requested_by=assessor).latest("pk")
        documents.run_document_job(job.pk)
        assert_blind(pdf_text(job), name)

    # Submitted, the page shows both assessments side by side.
    response = client.post(
        reverse("qa:independent_assessment", args=[assignment.pk]),
        form_data(assignment, "submit"),
    )
    assert response.status_code == 302
    page = client.get(reverse("qa:independent_assessment", args=[assignment.pk])).content.decode()
    for secret in (CENTRAL_FEEDBACK, CENTRAL_ANSWER, CENTRAL_LABEL):
        assert secret in page
    assert "Requires improvement" in page  # their own action plan rating, beside the central one


def test_the_assessment_page_saves_a_draft_and_says_what_is_missing(client, assignment, assessor):
    client.force_login(assessor)
    url = reverse("qa:independent_assessment", args=[assignment.pk])
    data = form_data(assignment, "save")
    del data["action_plan_rating"]

    response = client.post(url, data)

    assert response.status_code == 302
    saved = IndependentAssessment.objects.get()
    assert not saved.is_submitted and saved.action_plan_rating is None
    page = client.get(url).content.decode()
    assert page.count("<h1") == 1
    assert f'name="edit_version" value="{saved.edit_version}"' in page

    data.update(decision="submit", edit_version=saved.edit_version)
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Rate the action plan before you submit" in response.content.decode()
    assert 'href="#id_action_plan_rating_0"' in response.content.decode()

    stale = form_data(assignment, "save", version=1)
    response = client.post(url, stale)
    assert "saved somewhere else" in response.content.decode()


def test_an_assessor_sees_only_their_own_sampled_reviews(client, assignment, assessor):
    other = UserFactory(username="panel-other", role=Role.INDEPENDENT_ASSESSOR)
    client.force_login(other)
    assert client.get(reverse("qa:independent_assessment", args=[assignment.pk])).status_code == 404
    assert str(assignment.case) not in client.get(reverse("qa:my_samples")).content.decode()
    assert AccessRecord.objects.filter(
        user=other, object_type="qa.sampleassignment", allowed=False
    ).exists()

    client.force_login(assessor)
    assert str(assignment.case) in client.get(reverse("qa:my_samples")).content.decode()


# --- Administrators ---------------------------------------------------------------------------


def test_an_administrator_draws_a_sample_from_the_form(client, rated, admin, assessor):
    client.force_login(admin)
    page = client.get(reverse("qa:draw_sample")).content.decode()
    assert 'value="20"' in page
    assert (assessor.get_full_name() or assessor.username) in page
    today = timezone.localdate()

    response = client.post(
        reverse("qa:draw_sample"),
        {
            "period_start_0": today.day,
            "period_start_1": today.month,
            "period_start_2": today.year,
            "period_end_0": today.day,
            "period_end_1": today.month,
            "period_end_2": today.year,
            "percent": "100",
            "seed": "123",
            "assessors": [assessor.pk],
        },
    )

    sample = IndependentSample.objects.get()
    assert response["Location"] == reverse("qa:sample", args=[sample.pk])
    assert sample.seed == 123 and sample.assignments.get().assessor == assessor
    page = client.get(reverse("qa:sample", args=[sample.pk])).content.decode()
    assert "NPS London" in page and "123" in page and "Not started" in page
    assert CENTRAL_LABEL not in page


def test_the_draw_form_says_what_is_wrong(client, admin):
    client.force_login(admin)
    response = client.post(reverse("qa:draw_sample"), {"percent": "0"})
    text = response.content.decode()
    assert response.status_code == 200
    for message in (
        "Enter the start of the period",
        "The proportion must be at least 0.1%",
        "Choose at least one assessor",
    ):
        assert message in text
    assert not IndependentSample.objects.exists()


def test_an_administrator_maps_the_scales(client, admin):
    client.force_login(admin)
    outstanding = level(ScaleUse.INDEPENDENT, "Outstanding")
    form = {
        f"level_{lvl.pk}": str(lvl.mapped_to.central_level_id)
        for lvl in outstanding.scale.levels.all()
    }
    form[f"level_{outstanding.pk}"] = ""
    good = level(ScaleUse.CENTRAL, "Good")
    inadequate = level(ScaleUse.INDEPENDENT, "Inadequate")
    form[f"level_{inadequate.pk}"] = str(level(ScaleUse.CENTRAL, CENTRAL_LABEL).pk)

    response = client.post(reverse("qa:scale_mapping"), form)

    assert response["Location"] == reverse("qa:scale_mapping")
    assert not ScaleMapping.objects.filter(independent_level=outstanding).exists()
    assert ScaleMapping.objects.get(independent_level=inadequate).central_level.label == (
        CENTRAL_LABEL
    )
    assert ScaleMapping.objects.get(independent_level__label="Good").central_level == good
    assert ScaleMapping.objects.get(independent_level=inadequate).defined_by == admin
    page = client.get(reverse("qa:scale_mapping")).content.decode()
    assert "Not mapped" in page and page.count("<select") == 4


def test_a_scale_used_by_a_rating_is_read_only_in_the_admin(client, rated, admin):
    client.force_login(admin)
    used = RatingScale.objects.get(use=ScaleUse.CENTRAL)
    url = reverse("admin:qa_ratingscale_change", args=[used.pk])

    assert client.get(url).status_code == 200  # readable
    client.post(url, {"name": "Renamed", "use": "central", "in_force_from": "2018-04-01"})
    used.refresh_from_db()
    assert used.name != "Renamed"
    assert client.get(reverse("admin:qa_ratingscale_delete", args=[used.pk])).status_code == 403

    fresh = RatingScale.objects.create(
        name="Draft scale",
        use=ScaleUse.INDEPENDENT,
        in_force_from=timezone.localdate() + timedelta(days=30),
    )
    response = client.post(
        reverse("admin:qa_ratingscale_change", args=[fresh.pk]),
        {
            "name": "Draft scale, renamed",
            "use": "independent",
            "in_force_from": str(fresh.in_force_from),
            "note": "",
            "levels-TOTAL_FORMS": "0",
            "levels-INITIAL_FORMS": "0",
            "levels-MIN_NUM_FORMS": "0",
            "levels-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    fresh.refresh_from_db()
    assert fresh.name == "Draft scale, renamed"
    assert client.get(reverse("admin:qa_scalemapping_changelist")).status_code == 200


# --- Who may use each page ----------------------------------------------------------------------

READERS = {
    Role.ADMINISTRATOR,
    Role.CENTRAL_QA_REVIEWER,
    Role.CENTRAL_QA_MANAGER,
    Role.ANALYST,
    Role.CHIEF_OFFICER,
}


def expected(name: str, role: Role) -> int:
    if name in {"qa:draw_sample", "qa:sample", "qa:scale_mapping"}:
        return 200 if role == Role.ADMINISTRATOR else 403
    if name in {"qa:samples", "qa:concordance", "qa:concordance_csv"}:
        return 200 if role in READERS else 403
    if name == "qa:concordance_pdf":
        return 405 if role in READERS else 403  # POST only
    if name == "qa:my_samples":
        return 200 if role == Role.INDEPENDENT_ASSESSOR else 403
    if name == "qa:independent_assessment":
        return 404 if role == Role.INDEPENDENT_ASSESSOR else 403  # not sampled for this one
    raise AssertionError(name)


@pytest.mark.parametrize("role", list(Role))
def test_who_may_use_each_page(client, sample, assignment, role):
    person = UserFactory(username=f"who-{role.value}", role=role)
    client.force_login(person)
    urls = {
        "qa:samples": [],
        "qa:draw_sample": [],
        "qa:sample": [sample.pk],
        "qa:scale_mapping": [],
        "qa:concordance": [sample.pk],
        "qa:concordance_csv": [sample.pk],
        "qa:concordance_pdf": [sample.pk],
        "qa:my_samples": [],
        "qa:independent_assessment": [assignment.pk],
    }
    for name, args in urls.items():
        status = client.get(reverse(name, args=args)).status_code
        assert status == expected(name, role), (name, role, status)


def test_the_assigned_assessor_may_open_their_assessment(client, assignment, assessor):
    client.force_login(assessor)
    assert client.get(reverse("qa:independent_assessment", args=[assignment.pk])).status_code == 200


def test_signed_out_people_are_sent_to_sign_in(client, sample):
    response = client.get(reverse("qa:samples"))
    assert response.status_code == 302 and "sign-in" in response["Location"]


def test_a_stale_save_keeps_the_text_and_saving_again_replaces_the_answers(
    client, assignment, assessor
):
    """Two tabs: the second, opened before the first saved, keeps what was typed, and saving it
    again (a knowing choice) is not refused a second time."""
    import re

    from django.urls import reverse

    from qa.models import IndependentAssessment

    client.force_login(assessor)
    url = reverse("qa:independent_assessment", args=[assignment.pk])
    assert client.post(url, form_data(assignment, "save", version=1)).status_code == 302
    data = form_data(assignment, "save", version=1)
    data["comment"] = "Typed in the second tab"
    page = client.post(url, data).content.decode()
    assert "Typed in the second tab" in page and "saved somewhere else" in page
    data["edit_version"] = re.search(r'name="edit_version" value="(\d+)"', page).group(1)
    assert client.post(url, data).status_code == 302
    assert IndependentAssessment.objects.get().comment == "Typed in the second tab"
