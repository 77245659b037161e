# ruff: noqa: F811
"""The annual report's good practice is printed from the review as last submitted to the central
team, redacted with the review's marks as for another agency, then with the case's names removed:
never from the live findings, which may have been edited since, marked for dissemination since,
or never submitted. Canary strings marked with `reviews.redaction.mark_redaction` must not reach
it, while the text around them does."""

import pytest
from django.utils import timezone

from insights import report
from reviews import authoring, redaction
from reviews.models import Finding, RedactionCategory, ReviewVersion, VersionPurpose
from reviews.workflow import CaseState
from sfo.people.roles import Role
from tests.qa.conftest import advance_from_review
from tests.reviews.conftest import case_in, murder, world  # noqa: F401

pytestmark = pytest.mark.django_db

C = RedactionCategory


def good_practice(case, by, title, analysis, dissemination="national"):
    return authoring.add_finding(
        case,
        by=by,
        facts=authoring.FindingFacts(title, analysis, "good_practice", dissemination),
    )


def mark(case, by, place, quote, category):
    redaction.mark_redaction(
        case, by=by, place=place, quote=quote, category=category, reason="Not for publication"
    )


def texts(items) -> str:
    return " | ".join(f"{item['title']} :: {item['analysis']}" for item in items)


def test_good_practice_is_the_last_submitted_version_redacted_and_without_names(world, murder):
    case = case_in(world, murder, CaseState.REVIEW_IN_PROGRESS)
    reviewer = world["a"][Role.SFO_REVIEWER]
    spans = good_practice(
        case,
        reviewer,
        "KEPTTITLE joint home visits with CANARYTITLE",
        "KEPTANALYSIS The officer visited Sam Baker at CANARYSPAN with the police, twice.",
    )
    whole = good_practice(
        case, reviewer, "KEPTWHOLE title", "CANARYWHOLE: the whole analysis is withheld."
    )
    local = good_practice(case, reviewer, "LOCALONLY title", "Shared locally.", "local")
    mark(case, reviewer, f"finding:{spans.pk}:title", "CANARYTITLE", C.THIRD_PARTY)
    mark(case, reviewer, f"finding:{spans.pk}:analysis", "CANARYSPAN", C.VICTIM_FAMILY)
    mark(case, reviewer, f"finding:{whole.pk}:analysis", "", C.OTHER)
    case = advance_from_review(case, world, murder)
    year = timezone.localdate().year  # submitted today: its first central QA clock starts now

    # The live rows change after the submission: none of it is in a submitted version.
    Finding.objects.filter(pk=local.pk).update(dissemination="national")
    Finding.objects.filter(pk=spans.pk).update(analysis="LIVEEDIT of the analysis")
    Finding.objects.create(
        review=spans.review,
        position=99,
        title="LIVEONLY good practice",
        analysis="Never submitted.",
        kind="good_practice",
        dissemination="national",
    )

    printed = texts(report.good_practice(year))
    for canary in ("CANARYTITLE", "CANARYSPAN", "CANARYWHOLE", "LIVEEDIT", "LIVEONLY"):
        assert canary not in printed, canary
    assert "LOCALONLY" not in printed  # local in the version submitted
    for kept in ("KEPTTITLE joint home visits with", "KEPTANALYSIS", "with the police, twice"):
        assert kept in printed, kept
    assert "KEPTWHOLE title :: [withheld" in printed  # the whole analysis withheld
    assert "Baker" not in printed and report.REMOVED in printed  # the person's name removed
    assert printed.count("::") == 2  # the two national findings, and nothing else

    # Resubmitted after amendments: the latest version submitted is printed, redacted alike.
    first = ReviewVersion.objects.filter(
        review=spans.review, purpose=VersionPurpose.CENTRAL
    ).latest("number")
    snapshot = first.snapshot
    for finding in snapshot["findings"]:
        if finding["id"] == spans.pk:
            finding["title"] = "KEPTV2 joint home visits with CANARYTITLE"
    number = ReviewVersion.objects.filter(review=spans.review).latest("number").number + 1
    ReviewVersion.objects.create(
        review=spans.review,
        number=number,
        purpose=VersionPurpose.CENTRAL,
        snapshot=snapshot,
        created_by=reviewer,
    )
    printed = texts(report.good_practice(year))
    assert "KEPTV2 joint home visits with" in printed and "KEPTTITLE" not in printed
    assert "CANARYTITLE" not in printed
    assert printed.count("::") == 2
    assert report.good_practice(year - 1) == []
