"""The QA standards in force, and drawing a new version of them.

A version of the standards is never edited once it is in use or has been published before today:
a local QA check (and later a central QA rating) keeps the questions it answered. To change the
questions, an administrator draws a new version from the current one, edits it while it is a draft
and publishes it by giving it a publication date."""

from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from reviews.models import Standard, StandardSet


def current_standards(on: date | None = None) -> StandardSet | None:
    """The latest version published on or before `on` (today by default), its questions fetched
    in order; None when nothing is published yet."""
    on = on or timezone.localdate()
    return (
        StandardSet.objects.filter(published_on__lte=on)
        .order_by("-version")
        .prefetch_related("questions")
        .first()
    )


def in_use(standards: StandardSet) -> bool:
    """Whether any check answered this version: then its questions are history."""
    from reviews.models import LocalQACheck

    return LocalQACheck.objects.filter(standards=standards).exists()


def is_locked(standards: StandardSet, today: date | None = None) -> bool:
    """A version in use, or published before today, is read-only: a new one is drawn instead."""
    if standards.pk is None:
        return False
    today = today or timezone.localdate()
    published_earlier = standards.published_on is not None and standards.published_on < today
    return published_earlier or in_use(standards)


@transaction.atomic
def draw_new_version(source: StandardSet, note: str = "") -> StandardSet:
    """Copy a version and its questions into a new draft (unpublished) version, numbered after the
    highest, for an administrator to edit and publish."""
    # Lock the highest version, so that two drafts drawn at once get different numbers.
    StandardSet.objects.select_for_update().order_by("-version").first()
    number = (StandardSet.objects.aggregate(top=Max("version"))["top"] or 0) + 1
    draft = StandardSet.objects.create(
        version=number,
        published_on=None,
        note=note or f"Drawn from version {source.version}",
    )
    Standard.objects.bulk_create(
        Standard(
            standards=draft,
            position=question.position,
            question=question.question,
            scope=question.scope,
            targeted=question.targeted,
        )
        for question in source.questions.order_by("position")
    )
    return draft
