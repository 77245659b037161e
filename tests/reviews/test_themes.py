"""Themes on findings and actions (recommendation 12): chosen on the finding's and the action's
forms from the active themes (a retired one already on the row kept), saved in the same service
call as the row and under its version check, frozen with the versions, compared between them,
printed in the review's PDF; good practice marked for dissemination only as good practice; the
taxonomy administered as data, never deleted."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from reviews import authoring
from reviews.models import Theme
from reviews.versions import compare
from sfo.documents.review_pdf import review_print_context
from sfo.people.roles import Role
from tests.reviews.conftest import assert_error_summary


def _finding(case, by, themes=None, **extra):
    return authoring.add_finding(
        case,
        by=by,
        facts=authoring.FindingFacts(
            title=extra.get("title", "Address not checked"),
            analysis="Because the team relied on what he said.",
            kind=extra.get("kind", "practice_failing"),
            themes=themes,
        ),
    )


def _slugs(row) -> list[str]:
    return sorted(row.themes.values_list("slug", flat=True))


def test_the_finding_form_offers_the_active_themes(client, review_case, reviewer):
    Theme.objects.filter(slug="recall").update(active=False)
    client.force_login(reviewer)
    page = client.get(reverse("reviews:finding_add", args=[review_case.pk])).content.decode()
    assert 'value="address-checks"' in page and "Address checks" in page
    assert 'value="recall"' not in page
    assert 'type="checkbox"' in page and "govuk-checkboxes" in page


def test_a_retired_theme_stays_on_the_finding_that_has_it(client, review_case, reviewer):
    finding = _finding(review_case, reviewer, themes=["recall", "enforcement"])
    Theme.objects.filter(slug="recall").update(active=False)
    client.force_login(reviewer)
    url = reverse("reviews:finding_edit", args=[review_case.pk, finding.pk])
    page = client.get(url).content.decode()
    assert 'value="recall" checked' in page
    response = client.post(
        url,
        {
            "title": finding.title,
            "kind": finding.kind,
            "analysis": finding.analysis,
            "themes": ["recall", "address-checks"],
            "version": finding.version,
        },
    )
    assert response.status_code == 302
    assert _slugs(finding) == ["address-checks", "recall"]


def test_a_retired_theme_cannot_be_newly_chosen(review_case, reviewer):
    Theme.objects.filter(slug="recall").update(active=False)
    with pytest.raises(ValidationError, match="retired"):
        _finding(review_case, reviewer, themes=["recall"])
    with pytest.raises(ValidationError, match="from the list"):
        _finding(review_case, reviewer, themes=["no-such-theme"])


def test_themes_are_saved_with_the_finding_and_kept_on_an_error(client, review_case, reviewer):
    client.force_login(reviewer)
    url = reverse("reviews:finding_add", args=[review_case.pk])
    posted = {
        "title": "Address not checked",
        "kind": "practice_failing",
        "analysis": "",
        "themes": ["address-checks", "professional-curiosity"],
    }
    response = client.post(url, posted)
    assert_error_summary(response, "Enter the analysis", "id_analysis")
    content = response.content.decode()
    assert 'value="address-checks" checked' in content
    assert 'value="professional-curiosity" checked' in content
    response = client.post(url, {**posted, "analysis": "He was believed."})
    assert response.status_code == 302
    finding = authoring.review_of(review_case).findings.get()
    assert _slugs(finding) == ["address-checks", "professional-curiosity"]
    page = client.get(reverse("reviews:findings", args=[review_case.pk])).content.decode()
    assert "Professional curiosity" in page


def test_a_stale_save_changes_neither_the_text_nor_the_tags(review_case, reviewer):
    finding = _finding(review_case, reviewer, themes=["enforcement"])
    authoring.update_finding(
        review_case,
        finding.pk,
        by=reviewer,
        facts=authoring.FindingFacts(
            finding.title, finding.analysis, finding.kind, themes=["recall"]
        ),
        expected_version=1,
    )
    with pytest.raises(authoring.EditConflict):
        authoring.update_finding(
            review_case,
            finding.pk,
            by=reviewer,
            facts=authoring.FindingFacts("Other", "Other", finding.kind, themes=["workload"]),
            expected_version=1,
        )
    finding.refresh_from_db()
    assert finding.version == 2 and _slugs(finding) == ["recall"]


def test_an_edit_without_themes_leaves_the_tags_as_they_are(review_case, reviewer):
    finding = _finding(review_case, reviewer, themes=["enforcement"])
    authoring.update_finding(
        review_case,
        finding.pk,
        by=reviewer,
        facts=authoring.FindingFacts("New title", finding.analysis, finding.kind),
        expected_version=finding.version,
    )
    assert _slugs(finding) == ["enforcement"]


def test_an_action_is_tagged_on_its_page(client, review_case, reviewer):
    client.force_login(reviewer)
    due = timezone.localdate() + timedelta(days=30)
    response = client.post(
        reverse("reviews:action_add", args=[review_case.pk]),
        {
            "description": "Check addresses at every home visit",
            "level": "team",
            "owner": "Team manager",
            "due_on_0": due.day,
            "due_on_1": due.month,
            "due_on_2": due.year,
            "themes": ["address-checks"],
        },
    )
    assert response.status_code == 302
    action = authoring.review_of(review_case).actions.get()
    assert _slugs(action) == ["address-checks"]
    plan = client.get(reverse("reviews:action_plan", args=[review_case.pk])).content.decode()
    assert "Address checks" in plan


def test_dissemination_is_only_for_good_practice(client, review_case, reviewer):
    client.force_login(reviewer)
    url = reverse("reviews:finding_add", args=[review_case.pk])
    page = client.get(url).content.decode()
    assert "If this is good practice: should it be shared?" in page
    response = client.post(
        url,
        {
            "title": "Address not checked",
            "kind": "practice_failing",
            "analysis": "He was believed.",
            "dissemination": "national",
        },
    )
    assert_error_summary(
        response, "Only good practice is marked for dissemination", "id_dissemination_0"
    )
    response = client.post(
        url,
        {
            "title": "Prompt sharing",
            "kind": "good_practice",
            "analysis": "Shared the same day.",
            "dissemination": "national",
        },
    )
    assert response.status_code == 302


def test_versions_keep_the_themes_and_the_comparison_shows_a_change(review_case, reviewer):
    finding = _finding(review_case, reviewer, themes=["enforcement"])
    old = authoring.snapshot(authoring.review_of(review_case))
    assert old["findings"][0]["themes"] == ["enforcement"]
    authoring.update_finding(
        review_case,
        finding.pk,
        by=reviewer,
        facts=authoring.FindingFacts(
            finding.title, finding.analysis, finding.kind, themes=["enforcement", "recall"]
        ),
        expected_version=finding.version,
    )
    new = authoring.snapshot(authoring.review_of(review_case))
    change = compare(old, new).findings.changed[0].fields[0]
    assert (change.label, change.old, change.new) == (
        "Themes",
        "Enforcement",
        "Enforcement, Recall",
    )


def test_a_version_frozen_before_themes_compares_and_prints(review_case, reviewer):
    _finding(review_case, reviewer, themes=[])
    new = authoring.snapshot(authoring.review_of(review_case))
    old = {
        **new,
        "findings": [{k: v for k, v in f.items() if k != "themes"} for f in new["findings"]],
    }
    assert not compare(old, new)
    context = review_print_context(review_case, reviewer, old)
    assert context["findings"][0]["themes"] == ""


def test_the_printed_review_names_the_themes(review_case, reviewer):
    _finding(review_case, reviewer, themes=["address-checks", "self-disclosure"])
    context = review_print_context(review_case, reviewer)
    assert context["findings"][0]["themes"] == "Over-reliance on self-disclosure, Address checks"


def test_administrators_keep_the_themes_but_never_delete_one(client, world):
    admin = world["central"][Role.ADMINISTRATOR]
    for codename in ("add_theme", "change_theme", "view_theme"):
        assert admin.has_perm(f"reviews.{codename}")
    assert not admin.has_perm("reviews.delete_theme")
    client.force_login(admin)
    theme = Theme.objects.get(slug="recall")
    assert client.get(reverse("admin:reviews_theme_changelist")).status_code == 200
    response = client.post(
        reverse("admin:reviews_theme_change", args=[theme.pk]),
        {"name": theme.name, "description": theme.description, "position": 99},
    )
    assert response.status_code == 302
    theme.refresh_from_db()
    assert not theme.active and theme.slug == "recall"
    assert client.get(reverse("admin:reviews_theme_delete", args=[theme.pk])).status_code == 403
