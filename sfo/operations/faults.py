"""What a page answers when PostgreSQL is unreachable: 503 with a plain message.

Django turns an exception anywhere in the middleware or the view into a call of the 500 handler,
still inside the `except` block, so the handler sees the exception. A database that cannot be
reached (OperationalError, InterfaceError) becomes 503 from a static template rendered without
the request: no context processor, no session, no user, nothing that would touch the database
again. Nothing is half-written: every service is one transaction, rolled back by the error."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template.loader import render_to_string

UNAVAILABLE_TEMPLATE = "operations/503.html"
RETRY_AFTER_SECONDS = 30


def database_unreachable(error: BaseException | None) -> bool:
    return isinstance(error, (OperationalError, InterfaceError))


def unavailable_response() -> HttpResponse:
    response = HttpResponse(render_to_string(UNAVAILABLE_TEMPLATE), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request, *args, **kwargs):
    """handler500: 503 when the database is unreachable, else Django's plain 500 (no context)."""
    if database_unreachable(sys.exc_info()[1]):
        return unavailable_response()
    return HttpResponseServerError(render_to_string("operations/500.html"))
