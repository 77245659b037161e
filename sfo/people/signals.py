"""Reactions to changes of people."""

from sfo.people.services import end_sessions_of


def end_sessions_of_disabled_account(sender, instance, created, update_fields=None, **kwargs):
    """Whenever an account is saved disabled (the admin's change form, or a script that saves the
    user), its sessions end. A queryset `update(is_active=False)` sends no signal: call
    `end_sessions_of` after it."""
    if created or instance.is_active:
        return
    if update_fields is not None and "is_active" not in update_fields:
        return
    end_sessions_of(instance)
