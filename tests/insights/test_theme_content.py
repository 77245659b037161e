"""The synthetic national dataset's themes: findings tagged with the theme their text was written
from, actions with their finding's, the same tags for the same data and seed, and good practice
marked for local and national dissemination."""

from collections import Counter

import pytest

from reviews.management.commands._theme_content import ThemeContent
from reviews.models import Finding, FindingKind, ReviewAction

pytestmark = pytest.mark.django_db


def tags():
    return sorted(Finding.themes.through.objects.values_list("finding_id", "theme__slug"))


def test_findings_and_actions_are_tagged_plausibly_and_reproducibly(national):
    findings = Finding.objects.exclude(kind=FindingKind.GOOD_PRACTICE)
    tagged = findings.filter(themes__isnull=False).distinct().count()
    # 8% left untagged, as reviewers would; a few titles the phrase banks do not make, too.
    assert 0.75 <= tagged / findings.count() <= 0.97

    # A finding written from the self-disclosure phrases carries that theme.
    checked = Finding.objects.filter(
        title__startswith="What ", title__endswith=" said was accepted without being checked"
    )
    assert checked.exists()
    for finding in checked:
        slugs = set(finding.themes.values_list("slug", flat=True))
        assert not slugs or "self-disclosure" in slugs

    # Actions answering a finding carry its themes.
    for action in ReviewAction.objects.filter(finding__isnull=False).select_related("finding")[:50]:
        assert set(action.themes.all()) == set(action.finding.themes.all())

    # A few themes dominate.
    counts = Counter(slug for _, slug in tags())
    top = [n for _, n in counts.most_common()]
    assert sum(top[:5]) > sum(top[5:]) * 0.6 and top[0] > 3 * top[-1]

    # Good practice is marked for dissemination, some of it nationally.
    good = Counter(
        Finding.objects.filter(kind=FindingKind.GOOD_PRACTICE).values_list(
            "dissemination", flat=True
        )
    )
    assert good["local"] > good["national"] > 0

    # The same data and seed give the same tags.
    before = tags()
    Finding.themes.through.objects.all().delete()
    ReviewAction.themes.through.objects.all().delete()
    ThemeContent(seed=2018).write(list(national))
    assert tags() == before
