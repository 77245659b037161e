"""A request id for every request, carried into the read audit and the write history."""

import uuid
from contextvars import ContextVar

from pghistory.middleware import HistoryMiddleware

# The id of the request being served, for rows written where no request is at hand (a service
# refusing an action records the refusal with the user only).
current_request_id: ContextVar[str] = ContextVar("current_request_id", default="")


class RequestIdMiddleware:
    """Give each request an id of our own, echoed in the X-Request-ID response header so that a
    user's report of a problem can be matched to the audit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = uuid.uuid4().hex
        token = current_request_id.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response["X-Request-ID"] = request.request_id
        return response


class HistoryContextMiddleware(HistoryMiddleware):
    """pghistory's middleware, with the request id added to each write's context."""

    def get_context(self, request):
        context = super().get_context(request)
        context["request_id"] = getattr(request, "request_id", "")
        return context
