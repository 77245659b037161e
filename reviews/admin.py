"""Administrators keep the glossary of acronyms and the review coach's thresholds. A coach policy
is never deleted and, once in force, its thresholds are not edited: a newer policy supersedes it,
so that the history says which thresholds applied when (as for the clock policies)."""

from django.contrib import admin

from reviews.models import CoachPolicy, GlossaryTerm
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
