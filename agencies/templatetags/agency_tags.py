"""Template helpers of the other agencies' pages, usable by other apps' templates without their
views knowing this app (the case page links here through `may_read_agencies`)."""

from django import template

register = template.Library()


@register.filter
def may_read_agencies(user, case) -> bool:
    """Whether `user` may open the case's agencies page (`agencies.services.may_read`)."""
    from agencies.services import may_read

    return bool(getattr(user, "is_authenticated", False) and may_read(user, case))
