"""Reactions to changes of people."""

from sfo.people.services import end_sessions_of


def end_sessions_of_disabled_account(sender, instance, created, update_fields=None, **kwargs):
    """However an account is disabled (the admin's change form, a script), its sessions end."""
    if created or instance.is_active:
        return
    if update_fields is not None and "is_active" not in update_fields:
        return
    end_sessions_of(instance)
