from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group

from sfo.people.models import Organisation, Team, User

# Roles are groups managed in code (sfo.people.roles); administrators give people roles on the
# user page, and never edit what a role may do.
admin.site.unregister(Group)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "kind", "area", "active")
    list_filter = ("kind", "active")
    search_fields = ("name", "code")


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "organisation")
    list_filter = ("organisation",)
    search_fields = ("name",)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "first_name", "last_name", "organisation", "team", "is_active")
    list_filter = ("organisation", "groups", "is_active")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("Organisation", {"fields": ("organisation", "team", "line_manager", "job_title")}),
    )
    raw_id_fields = ("line_manager",)
