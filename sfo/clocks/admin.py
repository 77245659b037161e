"""Administrators keep the clock policies, thresholds and one-off holidays. None is ever deleted:
a policy is superseded by one with a later effective date. Clocks themselves are not edited here;
they move only through the services, which record why."""

from django.contrib import admin, messages
from django.utils import timezone

from sfo.clocks.models import ClockPolicy, ExtraNonWorkingDay, ThresholdPolicy
from sfo.clocks.services import recompute_open_clocks


class SupersededNotEditedAdmin(admin.ModelAdmin):
    """Once a policy is in force its rule is read-only: add a newer one instead, so that the
    history says which rule applied when."""

    rule_fields: tuple[str, ...] = ()

    def in_force(self, obj) -> bool:
        return obj.effective_from <= timezone.localdate()

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and self.in_force(obj):
            return self.rule_fields
        return ()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ClockPolicy)
class ClockPolicyAdmin(SupersededNotEditedAdmin):
    list_display = ("kind", "length", "unit", "anchor", "effective_from", "source")
    list_filter = ("kind", "unit")
    rule_fields = ("kind", "anchor", "length", "unit", "effective_from")

    def in_force(self, obj) -> bool:
        return super().in_force(obj) or obj.clocks.exists()


@admin.register(ThresholdPolicy)
class ThresholdPolicyAdmin(SupersededNotEditedAdmin):
    list_display = ("threshold", "value", "effective_from", "source")
    list_filter = ("threshold",)
    rule_fields = ("threshold", "value", "effective_from")


@admin.register(ExtraNonWorkingDay)
class ExtraNonWorkingDayAdmin(admin.ModelAdmin):
    list_display = ("date", "reason")
    date_hierarchy = "date"
    actions = ["recompute_open_clocks"]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        messages.warning(
            request,
            "Open clocks keep their due dates until you recompute them: select the day in the "
            "list and choose “Recompute the due dates of open clocks”.",
        )

    @admin.action(description="Recompute the due dates of open clocks", permissions=["change"])
    def recompute_open_clocks(self, request, queryset):
        days = ", ".join(str(day) for day in queryset)
        moved = recompute_open_clocks(request.user, f"Non-working days changed: {days}")
        self.message_user(request, f"{moved} open clock(s) had their due date moved.")
