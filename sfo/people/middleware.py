"""Session limits, and keeping pages with personal data out of caches."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control

from sfo.access import rule_of

_LAST_SEEN = "sfo_last_seen"
_SIGNED_IN_AT = "sfo_signed_in_at"
_EXPIRED_USER = "sfo_expired_user_id"
BACKGROUND_HEADER = "X-SFO-Background"


def mark_signed_in(request) -> None:
    """Start the idle and absolute clocks of a new session (called on sign-in)."""
    now = int(time.time())
    request.session[_LAST_SEEN] = now
    request.session[_SIGNED_IN_AT] = now


class SessionTimeoutMiddleware:
    """Sign a user out after 30 minutes without a request, or 12 hours after signing in.

    If the request that finds the session ended is a form submission, the form's fields are held
    for that user (`HeldSubmission`) and offered back once they sign in again. The CSRF check runs
    before this middleware's view hook, so only a genuine submission from the user's own browser is
    held."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.session_ended_for_user_id = None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(_LAST_SEEN, now)
            signed_in_at = request.session.get(_SIGNED_IN_AT, now)
            idle = now - last_seen > settings.SESSION_IDLE_TIMEOUT_SECONDS
            too_old = now - signed_in_at > settings.SESSION_ABSOLUTE_TIMEOUT_SECONDS
            if (idle or too_old) and request.headers.get(BACKGROUND_HEADER):
                # A request the page made by itself (the live coach): it must not be the one that
                # ends the session, or the person's next real submission would not be kept.
                return HttpResponse("Your session has ended", status=401)
            if idle or too_old:
                user_id = user.pk
                logout(request)
                request.session[_EXPIRED_USER] = user_id
                request.session_ended_for_user_id = user_id
                messages.info(
                    request,
                    "You were signed out because you had not used the service for 30 minutes"
                    if idle
                    else "You were signed out because you signed in more than 12 hours ago",
                )
            else:
                # Written at most once a minute, so that a busy user's session is not saved on
                # every request; the idle limit is kept to within that minute.
                if now - last_seen >= 60 or _LAST_SEEN not in request.session:
                    request.session[_LAST_SEEN] = now
                request.session.setdefault(_SIGNED_IN_AT, now)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user_id = request.session_ended_for_user_id
        if user_id is None or request.method != "POST":
            return None
        rule = rule_of(view_func)
        if rule is None or rule.public:
            return None
        if getattr(view_func, "csrf_exempt", False):
            # A view that checks its own CSRF token (the CSV upload, which sets its own upload
            # handler) is not read here, before that check; its file is not kept.
            messages.info(request, "Sign in again, then send your file again.")
            return redirect_to_login(request.get_full_path())
        from sfo.people.services import hold_submission

        hold_submission(user_id=user_id, path=request.get_full_path(), post=request.POST)
        messages.info(
            request,
            "We kept what you sent. Sign in again and you can send it from where you left off.",
        )
        return redirect_to_login(request.get_full_path())


class NoStoreForSignedInMiddleware:
    """Every page a signed-in user sees may carry personal data: tell browsers and proxies not to
    keep a copy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            patch_cache_control(response, no_store=True, private=True)
        return response
