# ruff: noqa: F811
"""Who sees the disclosure pack: its job page and its download only for the managing provider's
senior managers and VLOs and the central QA team, never another provider's staff, the case's own
SFO reviewer, an analyst or an independent assessor sampling the case; the summary and packs
pages likewise, each permitted view writing exactly one read-audit row with no personal data."""

import pytest
from django.urls import reverse

from sfo.audit.models import AccessRecord
from sfo.documents import services as documents
from sfo.documents.models import JobStatus
from sfo.people.roles import Role
from tests.factories import IndependentBodyFactory, SampleAssignmentFactory, UserFactory
from tests.reviews.conftest import murder, world  # noqa: F401
from tests.victims.conftest import senior_manager, vlo  # noqa: F401
from tests.victims.test_pack_pdf import SUMMARY, acronym_case, ready_request  # noqa: F401
from victims import services
from victims.models import PlainSummary
from victims.pack import may_see_pack

pytestmark = pytest.mark.django_db

ALLOWED = {
    "provider VLO": True,
    "provider senior manager": True,
    "central QA reviewer": True,
    "central QA manager": True,
    "VLO of another provider": False,
    "senior manager of another provider": False,
    "the case's SFO reviewer": False,
    "SFO review manager": False,
    "responsible officer": False,
    "analyst": False,
    "chief officer": False,
    "administrator": False,
    "independent assessor sampling the case": False,
}


@pytest.fixture
def people(world, ready_request):
    case = ready_request.victim.case
    assessor = UserFactory(
        username="assessor", organisation=IndependentBodyFactory(), role=Role.INDEPENDENT_ASSESSOR
    )
    SampleAssignmentFactory(case=case, assessor=assessor)
    a, b, central = world["a"], world["b"], world["central"]
    return {
        "provider VLO": a[Role.VICTIM_LIAISON_OFFICER],
        "provider senior manager": a[Role.SENIOR_MANAGER],
        "central QA reviewer": central[Role.CENTRAL_QA_REVIEWER],
        "central QA manager": central[Role.CENTRAL_QA_MANAGER],
        "VLO of another provider": b[Role.VICTIM_LIAISON_OFFICER],
        "senior manager of another provider": b[Role.SENIOR_MANAGER],
        "the case's SFO reviewer": a[Role.SFO_REVIEWER],
        "SFO review manager": a[Role.SFO_REVIEW_MANAGER],
        "responsible officer": a[Role.RESPONSIBLE_OFFICER],
        "analyst": central[Role.ANALYST],
        "chief officer": central[Role.CHIEF_OFFICER],
        "administrator": central[Role.ADMINISTRATOR],
        "independent assessor sampling the case": assessor,
    }


@pytest.fixture
def made(ready_request, senior_manager):
    pack = services.make_pack(ready_request, by=senior_manager)
    documents.run_document_job(pack.job.pk)
    pack.job.refresh_from_db()
    assert pack.job.status == JobStatus.DONE, pack.job.error
    return pack


def rows_after(mark):
    return list(AccessRecord.objects.filter(pk__gt=mark or 0).order_by("pk"))


def last_row_pk():
    return AccessRecord.objects.order_by("-pk").values_list("pk", flat=True).first()


def test_only_the_providers_victim_staff_and_the_central_team_may_see_the_pack(people, made):
    seen = {who: may_see_pack(user, made.job) for who, user in people.items()}
    assert seen == ALLOWED


def test_the_job_page_and_download_answer_as_the_rule_says_and_are_audited(client, people, made):
    name = made.request.victim.full_name
    for who, user in people.items():
        client.force_login(user)
        for page in ("documents:job", "documents:download"):
            mark = last_row_pk()
            response = client.get(reverse(page, args=[made.job.pk]))
            expected = 200 if ALLOWED[who] else 403
            assert response.status_code == expected, (who, page, response.status_code)
            rows = rows_after(mark)
            assert len(rows) == 1, (who, page, rows)
            row = rows[0]
            assert (row.object_type, row.object_id, row.allowed) == (
                "documents.documentjob",
                str(made.job.pk),
                ALLOWED[who],
            )
            assert name not in f"{row.object_type} {row.object_id} {row.action}"
            if response.status_code == 200 and page == "documents:download":
                assert name.split()[0] not in response["Content-Disposition"]


# The pages of the summary and the packs: the rule refuses those who never see victims' records
# (403); a provider's staff who may not see the case get a 404; those who see the case but not its
# victims' records a 403.
PAGE_STATUS = {
    **{who: 200 for who, allowed in ALLOWED.items() if allowed},
    "VLO of another provider": 404,
    "senior manager of another provider": 404,
    "the case's SFO reviewer": 403,
    "SFO review manager": 403,
    "responsible officer": 403,
    "analyst": 403,
    "chief officer": 403,
    "administrator": 403,
    "independent assessor sampling the case": 403,
}


def test_the_summary_and_packs_pages_answer_as_the_rule_says_with_one_audit_row_each(
    client, people, made
):
    case = made.request.victim.case
    name = made.request.victim.full_name
    pages = {
        reverse("victims:summary", args=[case.pk]): ("victims.plainsummary", f"case:{case.pk}"),
        reverse("victims:packs", args=[made.request.pk]): (
            "victims.disclosurepack",
            f"request:{made.request.pk}",
        ),
    }
    for who, user in people.items():
        client.force_login(user)
        for url, (object_type, object_id) in pages.items():
            mark = last_row_pk()
            response = client.get(url)
            assert response.status_code == PAGE_STATUS[who], (who, url, response.status_code)
            rows = rows_after(mark)
            assert len(rows) == 1, (who, url, rows)
            if response.status_code == 200:
                assert (rows[0].object_type, rows[0].object_id, rows[0].action) == (
                    object_type,
                    object_id,
                    "view" if "summary" in url else "list",
                )
            assert not rows[0].allowed or response.status_code == 200
            for row in rows:
                assert name not in f"{row.object_type} {row.object_id} {row.action}"
                assert "Ann" not in row.object_id


def test_only_the_senior_manager_changes_the_summary_or_makes_a_pack(client, people, made):
    case = made.request.victim.case
    before = PlainSummary.objects.get(case=case).edit_version
    for who in ("provider VLO", "central QA manager", "central QA reviewer"):
        client.force_login(people[who])
        summary_page = client.get(reverse("victims:summary", args=[case.pk])).content.decode()
        assert 'name="what_happened"' not in summary_page  # read-only
        assert SUMMARY["key_findings"] in summary_page
        response = client.post(
            reverse("victims:summary", args=[case.pk]),
            {**SUMMARY, "what_happened": "Changed", "edit_version": before},
        )
        assert response.status_code == 403, who
        response = client.post(reverse("victims:make_pack", args=[made.request.pk]))
        assert response.status_code == 403, who
        assert (
            "Make the pack"
            not in client.get(reverse("victims:packs", args=[made.request.pk])).content.decode()
        )
    assert PlainSummary.objects.get(case=case).edit_version == before
    assert made.request.packs.count() == 1


def test_a_request_or_case_that_does_not_exist_is_a_404_recorded(client, senior_manager):
    client.force_login(senior_manager)
    for url in (
        reverse("victims:packs", args=[999999]),
        reverse("victims:summary", args=[999999]),
    ):
        mark = last_row_pk()
        assert client.get(url).status_code == 404
        (row,) = rows_after(mark)
        assert not row.allowed and "999999" in row.object_id
