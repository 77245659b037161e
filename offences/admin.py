"""The catalogue in the administrators' site. The rule of each offence is data an administrator
may change as the policy changes; an offence is retired by unticking `active`, never deleted,
because charges recorded against it must keep their meaning."""

from django.contrib import admin

from offences.models import Offence


@admin.register(Offence)
class OffenceAdmin(admin.ModelAdmin):
    list_display = ("number", "title", "category", "statute", "section", "precondition", "rule")
    list_display_links = ("number", "title")
    list_filter = ("category", "rule", "precondition", "active")
    search_fields = ("title", "statute", "section", "notes")
    ordering = ("number",)
    fieldsets = (
        (
            "As printed in the annex",
            {
                "fields": (
                    "number",
                    "title",
                    "category",
                    "statute",
                    "section",
                    "precondition",
                    "source",
                )
            },
        ),
        ("Qualification rule", {"fields": ("rule", "rule_source", "notes", "active")}),
    )

    def has_delete_permission(self, request, obj=None):
        return False
