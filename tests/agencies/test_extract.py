# ruff: noqa: F811
"""The extract for an agency: its page and its PDF (read back with pdftotext) hold the findings
and actions that concern the agency and not the others, are built from redacted data, are taken
from the version submitted to the central team once there is one, and are for the case's SFO
staff and the central team only; and the log of who was sent which extract."""

import subprocess

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from agencies import services
from agencies.models import AgencyInvolvement, ShareMeans
from reviews.models import ReviewVersion
from reviews.redaction import mark_redaction
from sfo.documents.models import DocumentJob, DocumentKind, JobStatus
from sfo.documents.services import may_see_job, run_document_job
from sfo.people.roles import Role
from tests.agencies.conftest import (
    EXTERNAL_ACTION,
    external_action,
    good_practice,
    involvement,  # noqa: F401
    missed_opportunity,
    police,  # noqa: F401
    review_case,  # noqa: F401
    reviewer,  # noqa: F401
    submitted_case,
)
from tests.documents.conftest import media  # noqa: F401
from tests.reviews.conftest import murder, world  # noqa: F401

# Words of the good-practice finding's analysis that the reviewer marks as a third party's.
THIRD_PARTY = "the change of address"


@pytest.fixture
def linked(involvement, reviewer, review_case):
    services.link_concerns(
        involvement,
        by=reviewer,
        finding_ids=[good_practice(review_case).pk],
        action_ids=[external_action(review_case).pk],
    )
    return involvement


def pdf_text(job: DocumentJob) -> str:
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    return subprocess.run(
        ["pdftotext", job.file.path, "-"], capture_output=True, check=True, text=True
    ).stdout


def test_the_page_shows_what_concerns_the_agency_and_nothing_else(client, reviewer, linked):
    case = linked.case
    client.force_login(reviewer)
    page = client.get(reverse("agencies:extract", args=[case.pk, linked.pk])).content.decode()
    assert good_practice(case).title in page
    assert EXTERNAL_ACTION in page
    assert missed_opportunity(case).title not in page
    assert "Team briefing on enforcement" not in page
    assert "this is a draft" in page  # not yet submitted to the central team


def test_the_pdf_holds_what_concerns_the_agency_and_withholds_what_is_marked(
    reviewer, linked, media
):
    case = linked.case
    mark_redaction(
        case,
        by=reviewer,
        place=f"finding:{good_practice(case).pk}:analysis",
        quote=THIRD_PARTY,
        category="third_party",
        reason="The new address is a third party's home",
    )
    job = services.make_extract(linked, by=reviewer)
    assert job.kind == DocumentKind.AGENCY_EXTRACT and job.params["involvement"] == linked.pk
    run_document_job(job.pk)
    text = " ".join(pdf_text(job).split())
    assert "Extract of a serious further offence review for Metropolitan Police Service" in text
    assert good_practice(case).title in text
    assert "same-day alert of every arrest" in text
    assert missed_opportunity(case).title not in text
    assert "Team briefing on enforcement" not in text
    assert THIRD_PARTY not in text and "[withheld: third party details]" in text
    job.refresh_from_db()
    assert case.person_name not in job.file.name


def test_no_extract_before_anything_is_linked(involvement, reviewer):
    with pytest.raises(ValidationError, match="link them first"):
        services.make_extract(involvement, by=reviewer)


def test_once_submitted_the_extract_is_the_submitted_version(world, murder, client):
    case = submitted_case(world, murder, crn="A765432")
    reviewer = world["a"][Role.SFO_REVIEWER]
    involvement = services.add_involvement(
        case,
        by=reviewer,
        agency=police_of(),
        role="Arrested him in the spring",
    )
    services.link_concerns(
        involvement, by=reviewer, finding_ids=[missed_opportunity(case).pk], action_ids=[]
    )
    client.force_login(reviewer)
    page = client.get(reverse("agencies:extract", args=[case.pk, involvement.pk])).content.decode()
    assert "submitted to the central team on" in page and "this is a draft" not in page
    assert missed_opportunity(case).title in page
    job = services.make_extract(involvement, by=reviewer)
    assert job.params["version"] is not None


def police_of():
    from agencies.models import Agency

    return Agency.objects.get(name="Metropolitan Police Service")


@pytest.mark.parametrize(
    "who, sees",
    [
        (("a", Role.SFO_REVIEWER), True),
        (("a", Role.SENIOR_MANAGER), True),
        (("central", Role.CENTRAL_QA_REVIEWER), True),
        (("a", Role.RESPONSIBLE_OFFICER), False),
        (("central", Role.ANALYST), False),
        (("b", Role.SFO_REVIEWER), False),
    ],
)
def test_who_may_see_the_extracts_pdf(world, reviewer, linked, who, sees):
    job = services.make_extract(linked, by=reviewer)
    assert may_see_job(world[who[0]][who[1]], job) is sees


def test_the_central_team_reads_but_does_not_make_an_extract(world, linked):
    with pytest.raises(PermissionDenied):
        services.make_extract(linked, by=world["central"][Role.CENTRAL_QA_REVIEWER])


def test_the_share_log_says_who_sent_which_extract_to_whom_and_when(
    client, reviewer, linked, media
):
    job = services.make_extract(linked, by=reviewer)
    run_document_job(job.pk)
    client.force_login(reviewer)
    url = reverse("agencies:record_share", args=[linked.case_id, linked.pk])
    form = client.get(url).content.decode()
    assert "Metropolitan Police Service" in form  # their agency, filled in
    response = client.post(url, {"job": job.pk, "recipient_name": "", "means": "post"})
    assert response.status_code == 200 and "Enter their name" in response.content.decode()
    today = timezone.localdate()
    response = client.post(
        url,
        {
            "job": job.pk,
            "recipient_name": "DI Jo Khan",
            "recipient_role": "Public protection unit",
            "recipient_agency": "Metropolitan Police Service",
            "means": ShareMeans.SECURE_EMAIL,
            "sent_on_0": today.day,
            "sent_on_1": today.month,
            "sent_on_2": today.year,
        },
    )
    assert response.status_code == 302
    share = AgencyInvolvement.objects.get(pk=linked.pk).shares.get()
    assert (share.job, share.recorded_by, share.means) == (job, reviewer, ShareMeans.SECURE_EMAIL)
    page = client.get(response.url).content.decode()
    assert "DI Jo Khan, Public protection unit, Metropolitan Police Service" in page
    assert "Secure email" in page
    assert reverse("documents:job", args=[job.pk]) in page


def submit(case, world, reviewer):
    """The written review through local QA to the central team: a version is frozen."""
    from reviews import authoring
    from reviews.journeys import MAKER, REVIEW_STEPS
    from tests.reviews.conftest import actors_of

    authoring.send_for_local_qa(case, by=reviewer)
    case.refresh_from_db()
    people = actors_of(world, "a")
    for step in ("pass_local_qa", "countersign_and_submit"):
        case = REVIEW_STEPS[step](case, people[MAKER[step]])
    return case


def test_a_draft_extract_run_after_the_submission_is_refused_not_printed_as_the_version(
    world, reviewer, linked, media
):
    """Asked for from the draft, retried once the review was submitted: it must not print the
    submitted version under a job the log of extracts sent records as a draft's."""
    job = services.make_extract(linked, by=reviewer)
    assert job.params["source"] == "draft" and job.params["version"] is None
    submit(linked.case, world, reviewer)
    run_document_job(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and not job.file
    assert "has since been submitted to the central team" in job.error
    assert "Make the extract again" in job.error
    # Made again, it is taken from the submitted version, and the log records that version.
    again = services.make_extract(linked, by=reviewer)
    assert again.params["source"] == "version" and again.params["version"] is not None
    run_document_job(again.pk)
    version = ReviewVersion.objects.get(pk=again.params["version"])
    text = " ".join(pdf_text(again).split())
    assert f"Version {version.number} of the review, submitted to the central team" in text
    share = services.record_share(
        linked,
        by=reviewer,
        facts=services.ShareFacts(
            recipient_name="DI Jo Khan",
            recipient_role="Public protection unit",
            recipient_agency="Metropolitan Police Service",
            means=ShareMeans.SECURE_EMAIL,
            sent_on=timezone.localdate(),
            job_id=again.pk,
        ),
    )
    assert share.review_version == version


def test_a_job_prints_the_version_it_names_or_nothing(linked):
    from agencies.extract import source

    with pytest.raises(ReviewVersion.DoesNotExist):
        source(linked.case, version_id=999999)
