"""Administrators keep the glossary of acronyms and the review coach's thresholds. A coach policy
is never deleted and, once in force, its thresholds are not edited: a newer policy supersedes it,
so that the history says which thresholds applied when (as for the clock policies)."""

from django.contrib import admin
from django.db.models import Count

from reviews.models import CoachPolicy, GlossaryTerm, Theme
from sfo.clocks.admin import SupersededNotEditedAdmin


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(admin.ModelAdmin):
    """The acronyms the coach asks reviewers to expand, and the victims' pack explains."""

    list_display = ("acronym", "expansion", "explained")
    search_fields = ("acronym", "expansion", "explanation")
    ordering = ("acronym",)

    @admin.display(boolean=True, description="plain-language explanation")
    def explained(self, obj) -> bool:
        return bool(obj.explanation)


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    """The national taxonomy of themes that findings and actions are tagged with. A theme is
    retired (unticked "active"), never deleted: earlier tags keep it, and new ones cannot choose
    it. Its slug names it in frozen versions, so it is not changed once set."""

    list_display = ("name", "slug", "position", "active", "findings_tagged", "actions_tagged")
    list_editable = ("position", "active")
    list_filter = ("active",)
    search_fields = ("name", "slug", "description")
    ordering = ("position", "name")
    prepopulated_fields = {"slug": ("name",)}

    def get_readonly_fields(self, request, obj=None):
        return ("slug",) if obj is not None else ()

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj is not None else self.prepopulated_fields

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                finding_count=Count("findings", distinct=True),
                action_count=Count("actions", distinct=True),
            )
        )

    @admin.display(description="findings tagged", ordering="finding_count")
    def findings_tagged(self, obj) -> int:
        return obj.finding_count

    @admin.display(description="actions tagged", ordering="action_count")
    def actions_tagged(self, obj) -> int:
        return obj.action_count


@admin.register(CoachPolicy)
class CoachPolicyAdmin(SupersededNotEditedAdmin):
    list_display = (
        "effective_from",
        "multi_agency_min_words",
        "history_max_share",
        "history_min_entries",
        "target_words",
    )
    rule_fields = (
        "effective_from",
        "multi_agency_min_words",
        "history_max_share",
        "history_min_entries",
        "target_words",
    )


# The QA standards' admin lives beside their selectors.
from reviews import standards_admin  # noqa: E402, F401
