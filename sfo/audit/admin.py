from django.contrib import admin

from sfo.audit.models import AccessRecord


@admin.register(AccessRecord)
class AccessRecordAdmin(admin.ModelAdmin):
    list_display = ("at", "user", "action", "object_type", "object_id", "allowed", "request_id")
    list_filter = ("allowed", "action", "object_type")
    search_fields = ("object_id", "request_id", "user__username")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
