"""Writes about people and their sessions."""

from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
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


def clear_expired_sessions() -> int:
    """Delete the stored sessions past their expiry; returns how many. Django never removes them
    itself, so without this the session table grows by every sign-in for ever."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    expired = store.get_model_class().objects.filter(expire_date__lte=timezone.now())
    deleted, _ = expired.delete()
    return deleted


def end_sessions_of(user: User) -> int:
    """Delete every stored session signed in as `user`; returns how many. Called when an account
    is disabled, so that each browser the person used is signed out at once and switching the
    account back on later does not revive an old session. Sessions live in the database
    (SESSION_ENGINE), the only store in which a person's sessions can be found."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    ours = str(user.pk)
    keys = [
        session.session_key
        for session in store.get_model_class()
        .objects.filter(expire_date__gt=timezone.now())
        .iterator()
        if session.get_decoded().get(SESSION_KEY) == ours
    ]
    for key in keys:
        store(session_key=key).delete()
    return len(keys)
