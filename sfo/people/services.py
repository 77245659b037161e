"""Writes about people and their sessions."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone

from sfo.people.models import HeldSubmission, User

_NOT_KEPT = {"csrfmiddlewaretoken"}


def hold_submission(*, user_id: int, path: str, post: QueryDict) -> HeldSubmission:
    """Keep a form that arrived after the session ended, for its sender only."""
    data = {key: post.getlist(key) for key in post if key not in _NOT_KEPT}
    return HeldSubmission.objects.create(user_id=user_id, path=path[:500], data=data)


def held_submissions_for(user: User):
    """Forms kept for this user that have not yet expired, newest first."""
    cutoff = timezone.now() - timedelta(hours=settings.HELD_SUBMISSION_HOURS)
    return HeldSubmission.objects.filter(user=user, created_at__gte=cutoff)


@transaction.atomic
def release_held_submission(*, held: HeldSubmission, by: User) -> HeldSubmission:
    """The user sends a kept form again (or discards it): it is removed, so it is sent once."""
    if held.user_id != by.pk:
        raise PermissionError("A kept form belongs to the person who sent it")
    HeldSubmission.objects.filter(pk=held.pk).delete()
    return held


def discard_expired_held_submissions() -> int:
    """Remove kept forms older than the holding period; returns how many."""
    cutoff = timezone.now() - timedelta(hours=settings.HELD_SUBMISSION_HOURS)
    deleted, _ = HeldSubmission.objects.filter(created_at__lt=cutoff).delete()
    return deleted
