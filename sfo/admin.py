"""The administrators' site: organisations, teams, users and the access log. Only the
Administrator role may use it; everyone else is refused (and the refusal recorded)."""

from functools import update_wrapper

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse

from sfo.access import ADMINISTRATION, refuse


class SFOAdminSite(admin.AdminSite):
    site_header = "Serious Further Offence reviews: administration"
    site_title = "SFO reviews administration"
    index_title = "Administration"
    access_rule = ADMINISTRATION

    def has_permission(self, request):
        return ADMINISTRATION.allows(request.user)

    def admin_view(self, view, cacheable=False):
        """A signed-in person without the Administrator role is refused outright (403, recorded),
        rather than sent round to a sign-in page they have already passed."""
        inner = super().admin_view(view, cacheable)

        def guarded(request, *args, **kwargs):
            if request.user.is_authenticated and not self.has_permission(request):
                refuse(request, ADMINISTRATION)
            return inner(request, *args, **kwargs)

        guarded = update_wrapper(guarded, inner)
        guarded.admin_site = self
        return guarded

    def login(self, request, extra_context=None):
        """Sign-in happens on the service's own page; a signed-in non-administrator is refused."""
        if request.user.is_authenticated:
            if self.has_permission(request):
                return redirect("admin:index")
            refuse(request, ADMINISTRATION)
        return redirect_to_login(request.GET.get("next") or reverse("admin:index"))


class ReadOnlyAdminMixin:
    """For logs that only the service writes (the access log, the sweep log): administrators read
    them, nobody adds, edits or deletes a row."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LockedWithParentInline:
    """An inline whose rows are edited only while their parent may be: `editable(obj)` says
    whether the parent (None when being added) is still open to change."""

    extra_when_editable = 1

    def editable(self, obj) -> bool:  # pragma: no cover - every inline says
        raise NotImplementedError

    def get_extra(self, request, obj=None, **kwargs):
        return self.extra_when_editable if self.editable(obj) else 0

    def has_add_permission(self, request, obj=None):
        return self.editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self.editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.editable(obj) and super().has_delete_permission(request, obj)
