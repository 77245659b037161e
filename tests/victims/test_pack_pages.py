# ruff: noqa: F811
"""The senior manager's pages: the summary, prefilled from the review, saved with its readability
and unexpanded acronyms recomputed (or only checked, unsaved), an edit over someone else's shown
beside theirs with nothing lost; and the packs page, which says what stands in the way, shows the
summary's readability before the pack is made, makes it, and lists the versions and who received
which."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from sfo.audit.models import AccessRecord
from sfo.documents import services as documents
from tests.reviews.conftest import murder, world  # noqa: F401
from tests.victims.conftest import senior_manager, vlo  # noqa: F401
from tests.victims.test_pack_pdf import (  # noqa: F401
    SUMMARY,
    acronym_case,
    disclosure_request,
    ready_request,
)
from victims import services
from victims.models import DisclosurePack, PlainSummary

pytestmark = pytest.mark.django_db


def hidden_version(content: str) -> str:
    return re.search(r'name="edit_version" value="(\d*)"', content).group(1)


def test_the_form_is_prefilled_from_the_review_until_first_saved(
    client, qa_complete_case, senior_manager
):
    client.force_login(senior_manager)
    url = reverse("victims:summary", args=[qa_complete_case.pk])
    mark = AccessRecord.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    page = client.get(url).content.decode()

    assert "This first draft was made from the review" in page
    assert "The person was supervised for ten months" in page  # its summary of events
    assert "Risk was not reassessed after the arrest." in page  # a key finding's title
    assert hidden_version(page) == "0"
    assert "Flesch reading ease" in page and "target 60 or more" in page
    assert not PlainSummary.objects.exists(), "opening the page saves nothing"
    assert AccessRecord.objects.filter(pk__gt=mark).count() == 1

    response = client.post(url, {**SUMMARY, "edit_version": "0"})

    assert response.status_code == 302 and response["Location"] == url
    saved = PlainSummary.objects.get(case=qa_complete_case)
    assert (saved.what_happened, saved.edit_version, saved.updated_by) == (
        SUMMARY["what_happened"],
        1,
        senior_manager,
    )
    page = client.get(url).content.decode()
    assert "This first draft" not in page
    assert hidden_version(page) == "1"
    # Beside it, recomputed from what was saved: the score and the acronyms left unexpanded.
    from victims.pack import summary_check

    check = summary_check(SUMMARY)
    assert f">{check.readability.reading_ease}<" in page
    assert f'<dd class="govuk-summary-list__value">{check.readability.words}</dd>' in page
    assert "<strong>RoSH</strong>: write “Risk of serious harm (RoSH)”" in page
    assert "<strong>MAPPA</strong>" in page and "<strong>OASys</strong>" not in page


def test_checking_readability_saves_nothing_and_keeps_the_text(
    client, qa_complete_case, senior_manager
):
    client.force_login(senior_manager)
    url = reverse("victims:summary", args=[qa_complete_case.pk])
    typed = {**SUMMARY, "key_findings": "The cat sat on the mat. The dog ran.", "edit_version": "0"}

    response = client.post(url, {**typed, "check": "1"})

    assert response.status_code == 200
    assert not PlainSummary.objects.exists()
    page = response.content.decode()
    assert "The cat sat on the mat. The dog ran." in page
    from victims.pack import summary_check

    assert f">{summary_check(typed).readability.reading_ease}<" in page


def test_a_save_over_someone_elses_shows_both_and_loses_nothing(
    client, qa_complete_case, senior_manager
):
    case = qa_complete_case
    services.save_summary(case, by=senior_manager, edit_version=None, **SUMMARY)
    client.force_login(senior_manager)
    url = reverse("victims:summary", args=[case.pk])
    opened = hidden_version(client.get(url).content.decode())
    # Meanwhile, in another tab, the summary is saved again.
    services.save_summary(
        case,
        by=senior_manager,
        edit_version=int(opened),
        **{**SUMMARY, "what_has_changed": "Theirs: staff check risk after every arrest."},
    )
    mine = {
        **SUMMARY,
        "what_has_changed": "Mine: a new checklist is in use.",
        "edit_version": opened,
    }

    response = client.post(url, mine)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else saved this while you were editing it." in page
    assert "Theirs: staff check risk after every arrest." in page
    assert "Mine: a new checklist is in use." in page
    saved = PlainSummary.objects.get(case=case)
    assert saved.what_has_changed.startswith("Theirs")
    assert hidden_version(page) == str(saved.edit_version)
    # Saving again, having seen theirs, replaces it.
    response = client.post(url, {**mine, "edit_version": hidden_version(page)})
    assert response.status_code == 302
    assert PlainSummary.objects.get(case=case).what_has_changed.startswith("Mine")


def test_the_packs_page_says_what_stands_in_the_way(client, acronym_case, vlo, senior_manager):
    request = disclosure_request(acronym_case, vlo, senior_manager)
    client.force_login(senior_manager)
    url = reverse("victims:packs", args=[request.pk])

    page = client.get(url).content.decode()

    assert "The pack cannot be made yet." in page
    assert "Central QA of the review is not complete" in page
    assert "Write every part of the plain-language summary first." in page
    assert 'action="' + reverse("victims:make_pack", args=[request.pk]) not in page
    assert "No pack has been made yet." in page
    assert "Ann Example" in page  # the person, for those who may see them

    response = client.post(reverse("victims:make_pack", args=[request.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert '<a href="#readiness">Central QA of the review is not complete' in page
    assert 'id="readiness"' in page
    assert not DisclosurePack.objects.exists()


def test_the_senior_manager_makes_versions_and_sees_who_received_which(
    client, ready_request, senior_manager, vlo
):
    client.force_login(senior_manager)
    url = reverse("victims:packs", args=[ready_request.pk])
    page = client.get(url).content.decode()
    assert "Make the pack" in page and "Flesch reading ease" in page
    assert "<strong>RoSH</strong>" in page  # unexpanded, shown before the pack is made

    response = client.post(reverse("victims:make_pack", args=[ready_request.pk]), follow=True)
    first = DisclosurePack.objects.get()
    job_url = reverse("documents:job", args=[first.job.pk])
    assert response.redirect_chain == [(job_url, 302)]  # the job's page follows its progress
    assert "Version 1 of the pack is being made" in response.content.decode()
    page = client.get(url).content.decode()
    assert job_url in page
    assert "Make the pack (version 2)" in page

    documents.run_document_job(first.job.pk)
    first.job.refresh_from_db()
    client.post(reverse("victims:make_pack", args=[ready_request.pk]))
    second = DisclosurePack.objects.get(number=2)
    services.record_meeting(
        ready_request,
        by=vlo,
        held_on=timezone.localdate(),
        place="The family's home",
        senior_manager=senior_manager,
        liaison_officer=vlo,
        outcome="The review was explained; questions were answered.",
        pack=first,
        received_by="Ann Example",
    )

    page = client.get(url).content.decode()
    assert reverse("documents:download", args=[first.job.pk]) in page
    assert reverse("documents:job", args=[second.job.pk]) in page
    releases = page[page.index("Who received which version") :]
    assert "Ann Example" in releases and "Handed over at the meeting" in releases
    assert timezone.localdate().strftime("%-d %B %Y") in releases
