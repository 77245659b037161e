"""Signing in and out, the home page of each role, and forms kept across a session timeout."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from sfo.access import PUBLIC, SIGNED_IN, RuleRequiredMixin, access, visible_cases
from sfo.audit.services import record_views
from sfo.people.middleware import mark_signed_in
from sfo.people.roles import Role
from sfo.people.services import held_submissions_for, release_held_submission


class SignInView(RuleRequiredMixin, auth_views.LoginView):
    access_rule = PUBLIC
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        mark_signed_in(self.request)
        held = held_submissions_for(self.request.user).first()
        if held is not None:
            return redirect("held_submission", pk=held.pk)
        return response


class SignOutView(RuleRequiredMixin, auth_views.LogoutView):
    access_rule = SIGNED_IN


@access(SIGNED_IN)
def home(request):
    """What needs this person's attention, one section per role they hold."""
    from reviews.selectors import action_queues
    from sfo.access import PROVIDER_CASEWORKERS

    user = request.user
    queues = action_queues(user)
    shared = []
    if Role.RESPONSIBLE_OFFICER in user.roles:
        from reviews.redaction import copies_shared_with

        shared = list(copies_shared_with(user)[:10])
    listed = [case for queue in queues for case in queue["cases"]]
    record_views(request, listed + [copy.review.case for copy in shared], action="list")
    return render(
        request,
        "home/home.html",
        {
            "roles": [role for role in user.roles],
            "case_count": visible_cases(user).count(),
            "held": held_submissions_for(user),
            "queues": queues,
            "may_identify": PROVIDER_CASEWORKERS.allows(user),
            "shared_copies": shared,
        },
    )


@access(SIGNED_IN)
def held_submission(request, pk):
    """Show a form kept across a session timeout; sending it re-posts it where it was going."""
    held = get_object_or_404(held_submissions_for(request.user), pk=pk)
    if request.method == "POST":
        release_held_submission(held=held, by=request.user)
        # 307 makes the browser send this same form body, with its fresh token, to the original
        # address: the kept fields arrive exactly as if the session had never ended.
        return HttpResponseRedirect(held.path, status=307)
    fields = [(name, values) for name, values in held.data.items()]
    return render(request, "home/held_submission.html", {"held": held, "fields": fields})


@require_POST
@access(SIGNED_IN)
def discard_held_submission(request, pk):
    held = get_object_or_404(held_submissions_for(request.user), pk=pk)
    release_held_submission(held=held, by=request.user)
    messages.success(request, "The kept form was discarded")
    return redirect(reverse("home"))
