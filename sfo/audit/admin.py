from django.contrib import admin

from sfo.admin import ReadOnlyAdminMixin
from sfo.audit.models import AccessRecord


@admin.register(AccessRecord)
class AccessRecordAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("at", "user", "action", "object_type", "object_id", "allowed", "request_id")
    list_filter = ("allowed", "action", "object_type")
    search_fields = ("object_id", "request_id", "user__username")
    date_hierarchy = "at"
