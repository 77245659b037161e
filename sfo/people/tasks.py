from celery import shared_task

from sfo.people.services import clear_expired_sessions as _clear_sessions
from sfo.people.services import discard_expired_held_submissions as _discard


@shared_task(name="sfo.people.tasks.discard_expired_held_submissions")
def discard_expired_held_submissions() -> int:
    """Hourly: forget forms kept after a session timeout once their holding period is over."""
    return _discard()


@shared_task(name="sfo.people.tasks.clear_expired_sessions")
def clear_expired_sessions() -> int:
    """Hourly: delete the sessions past their expiry (what `manage.py clearsessions` does)."""
    return _clear_sessions()
