"""Administrators keep the alert policy and see the sweeps; they can run a sweep now. Alerts
themselves are not shown here: they name people on probation, and administrators do not read
cases."""

from django.contrib import admin, messages
from django.shortcuts import redirect
from django.urls import path
from django.views.decorators.http import require_POST

from sfo.access import ADMINISTRATION
from sfo.admin import ReadOnlyAdminMixin
from sfo.alerts.models import AlertPolicy, SweepRun
from sfo.alerts.services import sweep_clocks
from sfo.clocks.admin import SupersededNotEditedAdmin


class AdministratorsOnly:
    """The permissions follow the access rule rather than per-model Django permissions, so that
    the Administrator role's grants in sfo.people.roles need no entry for this app."""

    def has_module_permission(self, request):
        return ADMINISTRATION.allows(request.user)

    def has_view_permission(self, request, obj=None):
        return ADMINISTRATION.allows(request.user)


@admin.register(AlertPolicy)
class AlertPolicyAdmin(AdministratorsOnly, SupersededNotEditedAdmin):
    list_display = ("reminder_working_days", "effective_from", "source")
    rule_fields = ("reminder_working_days", "effective_from")

    def has_add_permission(self, request):
        return ADMINISTRATION.allows(request.user)

    def has_change_permission(self, request, obj=None):
        return ADMINISTRATION.allows(request.user)


@admin.register(SweepRun)
class SweepRunAdmin(ReadOnlyAdminMixin, AdministratorsOnly, admin.ModelAdmin):
    """A read-only log of the sweeps, with a button that runs one now."""

    list_display = ("started_at", "day", "finished_at", "clocks", "created", "skipped", "error")
    readonly_fields = [f.name for f in SweepRun._meta.fields]

    def get_urls(self):
        run = self.admin_site.admin_view(require_POST(self.run_sweep))
        return [path("run/", run, name="alerts_sweeprun_run"), *super().get_urls()]

    def run_sweep(self, request):
        """The administrators' button: run the sweep for today in this request (a few seconds at
        most) so that they see what it did. Idempotent, like the hourly run."""
        result = sweep_clocks()
        created = ", ".join(f"{n} {kind}" for kind, n in sorted(result.counts.items()))
        self.message_user(
            request,
            f"Sweep for {result.day}: {result.clocks} clock(s) due within the window; "
            f"{result.created} alert(s) created ({created or 'none new'}), {result.skipped} "
            f"already there; {result.emails_sent} e-mail(s) sent.",
            messages.SUCCESS,
        )
        return redirect("admin:alerts_sweeprun_changelist")
