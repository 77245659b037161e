"""The read audit: every look at a victim's or an offender's details, and every refusal.

Writes are audited separately, by django-pghistory's triggers. A row here holds who looked, at
what (type and id), doing what, whether it was allowed, when (UTC) and in which request. It never
holds personal data: no names, no addresses, no free text about the person."""

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q


class AccessRecord(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="access_records",
        null=True,
        blank=True,
    )
    object_type = models.CharField(max_length=100, help_text="e.g. reviews.case, or view")
    object_id = models.CharField(max_length=200)
    action = models.CharField(max_length=40, help_text="e.g. view, download, open")
    allowed = models.BooleanField()
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    request_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "at"]),
            # Whether a request's refusal is already recorded (sfo.access.record_refusal_once),
            # without reading the whole log: refusals are a small part of it.
            models.Index(
                fields=["request_id"], condition=Q(allowed=False), name="audit_refusal_request"
            ),
        ]
        triggers = [
            # The record is append-only. This trigger can be skipped by a session that sets
            # `pgtrigger.ignore`; migration 0003 adds a plain one that cannot. Only the table's
            # owner or a superuser can still switch both off (docs/operations.md).
            pgtrigger.Protect(
                name="access_record_append_only",
                operation=pgtrigger.Update | pgtrigger.Delete,
            )
        ]

    def __str__(self) -> str:
        verdict = "allowed" if self.allowed else "refused"
        return f"{self.action} {self.object_type}:{self.object_id} {verdict}"
