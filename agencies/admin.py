"""Administrators keep the register of agencies: they add agencies, correct them, retire them
(untick "active"), and check those reviewers added from a case's page (filter "added from a
case"). Never deleted: involvements keep them."""

from django.contrib import admin

from agencies.models import Agency


class AddedFromCase(admin.SimpleListFilter):
    title = "added from a case"
    parameter_name = "from_case"

    def lookups(self, request, model_admin):
        return [("yes", "Yes, by a reviewer"), ("no", "No, the register's own")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(added_by__isnull=False)
        if self.value() == "no":
            return queryset.filter(added_by__isnull=True)
        return queryset


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "area", "active", "added_by", "created_at")
    list_filter = ("kind", "active", AddedFromCase, "area")
    search_fields = ("name", "area")
    ordering = ("kind", "name")
    fields = ("name", "kind", "area", "active", "added_by", "created_at")
    readonly_fields = ("added_by", "created_at")
    list_select_related = ("added_by",)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
