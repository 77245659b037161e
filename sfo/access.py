"""Who may do what, in one place.

Every view declares an access Rule with the `access` decorator (function views) or the
`access_rule` attribute of `RuleRequiredMixin` (class-based views); the role × URL matrix test fails
for any URL that does not. Every queryset of cases or victims goes through `visible_cases` or
`visible_victims`, which implement the scoping rules of the domain:

- provider staff see their provider's cases, plus cases their provider was directed to review;
- responsible officers see only the cases they managed;
- independent assessors see only the cases sampled for them;
- the central QA team sees every case; analysts and chief officers see every case's figures and
  lists, never victims' details;
- the structured victim records are seen only by victim liaison officers and senior managers of
  the case's provider and by the central QA team.

A refusal is recorded in the access log, like every look at a case or a victim."""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from sfo.people.roles import (
    ALL_ROLES,
    CENTRAL_QA_ROLES,
    PROVIDER_ROLES,
    READ_ONLY_NATIONAL_ROLES,
    Role,
)


@dataclass(frozen=True)
class Rule:
    """A named set of roles allowed to use a view. A public rule needs no sign-in."""

    name: str
    roles: frozenset[Role] = field(default_factory=frozenset)
    public: bool = False

    def allows(self, user: Any) -> bool:
        if self.public:
            return True
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return False
        return bool(user.roles & self.roles)


PUBLIC = Rule("public", public=True)
SIGNED_IN = Rule("any signed-in member of staff", roles=ALL_ROLES)
CASE_READERS = Rule("anyone who works on or oversees cases", roles=ALL_ROLES - {Role.ADMINISTRATOR})
VICTIM_RECORD_READERS = Rule(
    "victim liaison, senior managers and the central QA team",
    roles=frozenset({Role.VICTIM_LIAISON_OFFICER, Role.SENIOR_MANAGER}) | CENTRAL_QA_ROLES,
)
ADMINISTRATION = Rule("administrators", roles=frozenset({Role.ADMINISTRATOR}))
CENTRAL_QA_MANAGERS = Rule("the central QA manager", roles=frozenset({Role.CENTRAL_QA_MANAGER}))
PROVIDER_CASEWORKERS = Rule(
    "SFO reviewers, review managers and senior managers of a probation provider",
    roles=frozenset({Role.SFO_REVIEWER, Role.SFO_REVIEW_MANAGER, Role.SENIOR_MANAGER}),
)

CENTRAL_QA_TEAM = Rule("the central QA team", roles=CENTRAL_QA_ROLES)
QA_FIGURES_READERS = Rule(
    "the central QA team, analysts and chief officers",
    roles=CENTRAL_QA_ROLES | READ_ONLY_NATIONAL_ROLES,
)
QA_FEEDBACK_READERS = Rule(
    "the SFO staff of the case's providers and the central QA team",
    roles=frozenset({Role.SFO_REVIEWER, Role.SFO_REVIEW_MANAGER, Role.SENIOR_MANAGER})
    | CENTRAL_QA_ROLES,
)
TAKE_UP_READERS = Rule(
    "the central QA team, analysts, chief officers, and victim liaison and senior managers",
    roles=CENTRAL_QA_ROLES
    | READ_ONLY_NATIONAL_ROLES
    | {Role.VICTIM_LIAISON_OFFICER, Role.SENIOR_MANAGER},
)
INDEPENDENT_ASSESSORS = Rule(
    "independent QA assessors", roles=frozenset({Role.INDEPENDENT_ASSESSOR})
)
CONCORDANCE_READERS = Rule(
    "administrators, the central QA team, analysts and chief officers",
    roles=CENTRAL_QA_ROLES | READ_ONLY_NATIONAL_ROLES | {Role.ADMINISTRATOR},
)

# --- Redacted copies and staff responses (rules) ---
# Marks what is withheld and shares the copy: beyond the role, the case's allocated reviewer or a
# review manager or senior manager of its providers (`reviews.redaction.refusal_to_mark`).
REDACTION_MARKERS = Rule(
    "the SFO reviewer allocated and the SFO review managers and senior managers of the case",
    roles=frozenset({Role.SFO_REVIEWER, Role.SFO_REVIEW_MANAGER, Role.SENIOR_MANAGER}),
)
# Reads the redacted copy: beyond the role, the officers who managed the case and their line
# managers, the case's SFO staff, the central QA team (`reviews.redaction.may_read_copy`).
REDACTED_COPY_READERS = Rule(
    "the staff who managed the case, their line managers, its SFO staff and the central QA team",
    roles=frozenset(
        {
            Role.RESPONSIBLE_OFFICER,
            Role.SFO_REVIEWER,
            Role.SFO_REVIEW_MANAGER,
            Role.SENIOR_MANAGER,
        }
    )
    | CENTRAL_QA_ROLES,
)
# Reads the staff's responses to the findings: the case's SFO staff and the central QA team.
STAFF_RESPONSE_READERS = Rule(
    "the SFO staff of the case's providers and the central QA team",
    roles=frozenset({Role.SFO_REVIEWER, Role.SFO_REVIEW_MANAGER, Role.SENIOR_MANAGER})
    | CENTRAL_QA_ROLES,
)

# --- Other agencies (rules) ---
AGENCY_READERS = Rule(
    "the SFO staff of the case's providers and the central QA team",
    roles=frozenset({Role.SFO_REVIEWER, Role.SFO_REVIEW_MANAGER, Role.SENIOR_MANAGER})
    | CENTRAL_QA_ROLES,
)

# --- The national picture (rules) ---
INSIGHTS_READERS = Rule(
    "the central QA team, analysts, chief officers, and providers' senior and review managers",
    roles=CENTRAL_QA_ROLES
    | READ_ONLY_NATIONAL_ROLES
    | {Role.SENIOR_MANAGER, Role.SFO_REVIEW_MANAGER},
)
ANNUAL_REPORT_READERS = Rule(
    "the central QA team, analysts and chief officers",
    roles=CENTRAL_QA_ROLES | READ_ONLY_NATIONAL_ROLES,
)

# Roles that see victims' structured records only for their own provider's cases.
PROVIDER_VICTIM_ROLES = frozenset({Role.VICTIM_LIAISON_OFFICER, Role.SENIOR_MANAGER})
# Provider roles that see every case of their provider; responsible officers do not.
PROVIDER_CASEWORK_ROLES = PROVIDER_ROLES - {Role.RESPONSIBLE_OFFICER}


def rule_of(view: Callable) -> Rule | None:
    """The rule a resolved view declared, whether function- or class-based."""
    rule = getattr(view, "access_rule", None)
    if rule is None and hasattr(view, "view_class"):
        rule = getattr(view.view_class, "access_rule", None)
    site = (
        getattr(view, "admin_site", None)
        or getattr(getattr(view, "model_admin", None), "admin_site", None)
        or getattr(view, "__self__", None)  # a bound method of the admin site, e.g. its login
    )
    if rule is None and site is not None:
        rule = getattr(site, "access_rule", None)
    return rule


def refuse(request: HttpRequest, rule: Rule) -> None:
    from sfo.audit.services import record_access

    match = getattr(request, "resolver_match", None)
    record_access(
        request,
        object_type="view",
        object_id=match.view_name if match else request.path[:200],
        action="open",
        allowed=False,
    )
    raise PermissionDenied(f"This page is for {rule.name}.")


def check(request: HttpRequest, rule: Rule) -> HttpResponse | None:
    """Apply a rule to a request: a redirect to sign in, a refusal, or None to carry on."""
    if rule.public:
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not rule.allows(request.user):
        refuse(request, rule)
    return None


def record_refusal_once(request: HttpRequest) -> None:
    """Record a refusal (403 or 404) that the view raised without recording it itself: an id out
    of the user's scope (another person's alert or kept form, say) then leaves a row like every
    other refusal. A row the view wrote inside a transaction that the refusal rolled back does not
    count, so it is written again here, outside that transaction."""
    from sfo.audit.models import AccessRecord
    from sfo.audit.services import record_access

    request_id = getattr(request, "request_id", "")
    if request_id and AccessRecord.objects.filter(request_id=request_id, allowed=False).exists():
        return
    match = getattr(request, "resolver_match", None)
    if match:
        ids = ",".join(f"{key}={value}" for key, value in sorted(match.kwargs.items()))
        where = f"{match.view_name}:{ids}" if ids else match.view_name
    else:
        where = request.path
    record_access(request, object_type="view", object_id=where, action="open", allowed=False)


def checked(rule: Rule, view: Callable, request: HttpRequest, *args: Any, **kwargs: Any):
    """Run a view under its rule, making sure that any refusal it answers is recorded."""
    try:
        return check(request, rule) or view(request, *args, **kwargs)
    except (Http404, PermissionDenied):
        record_refusal_once(request)
        raise


def access(rule: Rule) -> Callable:
    """Declare and enforce who may use a function view."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            return checked(rule, view, request, *args, **kwargs)

        wrapped.access_rule = rule  # type: ignore[attr-defined]
        return wrapped

    return decorate


class RuleRequiredMixin:
    """Declare and enforce who may use a class-based view: set `access_rule`."""

    access_rule: Rule

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return checked(self.access_rule, super().dispatch, request, *args, **kwargs)


def ensure(user: Any, rule: Rule, request: HttpRequest | None = None) -> None:
    """For services: raise PermissionDenied (recorded) unless the user's roles allow the rule."""
    if rule.allows(user):
        return
    from sfo.audit.services import record_access

    record_access(
        request or user, object_type="rule", object_id=rule.name, action="use", allowed=False
    )
    raise PermissionDenied(f"Only {rule.name} may do this.")


# --- Scoping -------------------------------------------------------------------------------


def case_scope(user: Any) -> Q | None:
    """The filter on cases that a user may see, or None when they may see none."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    roles = user.roles
    if roles & (CENTRAL_QA_ROLES | READ_ONLY_NATIONAL_ROLES):
        return Q()
    scope = Q(pk__in=[])
    granted = False
    if roles & PROVIDER_CASEWORK_ROLES and user.organisation_id:
        scope |= Q(managing_provider_id=user.organisation_id)
        scope |= Q(reviewing_provider_id=user.organisation_id)
        granted = True
    if Role.RESPONSIBLE_OFFICER in roles:
        scope |= Q(officer_periods__officer_id=user.pk)
        granted = True
    if Role.INDEPENDENT_ASSESSOR in roles:
        scope |= Q(sample_assignments__assessor_id=user.pk)
        granted = True
    return scope if granted else None


def visible_cases(user: Any, queryset: QuerySet | None = None) -> QuerySet:
    """Cases the user may see, as a queryset with no duplicates."""
    from reviews.models import Case

    queryset = Case.objects.all() if queryset is None else queryset
    scope = case_scope(user)
    if scope is None:
        return queryset.none()
    if not scope:
        return queryset
    # Through a subquery, so that joins over officers or samples never duplicate a case.
    return queryset.filter(pk__in=Case.objects.filter(scope).values("pk"))


def victim_scope(user: Any) -> Q | None:
    """The filter on victim records a user may see, or None when they may see none."""
    if not VICTIM_RECORD_READERS.allows(user):
        return None
    if user.roles & CENTRAL_QA_ROLES:
        return Q()
    if user.roles & PROVIDER_VICTIM_ROLES and user.organisation_id:
        return Q(case__managing_provider_id=user.organisation_id)
    return None


def visible_victims(user: Any, queryset: QuerySet | None = None) -> QuerySet:
    from victims.models import Victim

    queryset = Victim.objects.all() if queryset is None else queryset
    scope = victim_scope(user)
    if scope is None:
        return queryset.none()
    return queryset.filter(scope)


def may_see_victims_of(user: Any, case: Any) -> bool:
    """Whether the user may see the structured victim records of this case."""
    if not VICTIM_RECORD_READERS.allows(user):
        return False
    if user.roles & CENTRAL_QA_ROLES:
        return True
    return bool(
        user.roles & PROVIDER_VICTIM_ROLES
        and user.organisation_id
        and case.managing_provider_id == user.organisation_id
    )
