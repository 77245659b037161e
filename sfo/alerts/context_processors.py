"""The unread-alert count for the header badge: one count query per page, for signed-in people."""

from sfo.alerts.selectors import unread_count


def unread_alerts(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Lazy: a page that never shows the header (a PDF, a redirect) never runs the query.
    return {"unread_alerts": _Lazy(lambda: unread_count(user))}


class _Lazy:
    """Computed once, when the template first reads it."""

    def __init__(self, compute):
        self._compute, self._value = compute, None

    def _get(self) -> int:
        if self._value is None:
            self._value = self._compute()
        return self._value

    def __int__(self) -> int:
        return self._get()

    def __bool__(self) -> bool:
        return bool(self._get())

    def __str__(self) -> str:
        return str(self._get())
