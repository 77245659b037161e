"""Writing the read audit."""

from typing import Any

from django.db import models
from django.http import HttpRequest

from sfo.audit.middleware import current_request_id
from sfo.audit.models import AccessRecord


def record_access(
    request_or_user: HttpRequest | Any,
    obj: models.Model | None = None,
    *,
    action: str = "view",
    allowed: bool = True,
    object_type: str | None = None,
    object_id: str | None = None,
) -> AccessRecord:
    """Record that someone looked at (or was refused) an object. Pass the request where there is
    one; a service given only the user still writes the id of the request being served."""
    if isinstance(request_or_user, HttpRequest):
        user = getattr(request_or_user, "user", None)
        request_id = getattr(request_or_user, "request_id", "")
    else:
        user = request_or_user
        request_id = current_request_id.get()
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    if not object_type or object_id is None:
        raise ValueError("record_access needs an object, or an object_type and object_id")
    return AccessRecord.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        object_type=object_type,
        object_id=str(object_id)[:200],
        action=action,
        allowed=allowed,
        request_id=request_id,
    )


def record_views(
    request: HttpRequest, objects: list[models.Model], *, action: str = "view"
) -> None:
    """Record in one insert that each of several objects was shown to the user: one row per
    object, however many times the page shows it (a case in two queues, or with two alerts)."""
    distinct = {(obj._meta.label_lower, str(obj.pk)): obj for obj in objects}
    AccessRecord.objects.bulk_create(
        AccessRecord(
            user=request.user,
            object_type=object_type,
            object_id=object_id,
            action=action,
            allowed=True,
            request_id=getattr(request, "request_id", ""),
        )
        for object_type, object_id in distinct
    )
