"""Reads of cases, always through the access scope."""

from django.http import Http404

from sfo.access import visible_cases
from sfo.audit.services import record_access


def case_list_for(user):
    """The cases a user may see, with what the list shows fetched in the same query."""
    return visible_cases(user).select_related("managing_provider", "reviewing_provider")


def case_for(request, pk: int):
    """One case the user may see, its viewing recorded; 404 (also recorded) if they may not."""
    case = case_list_for(request.user).filter(pk=pk).first()
    if case is None:
        record_access(request, object_type="reviews.case", object_id=str(pk), allowed=False)
        raise Http404("No case found")
    record_access(request, case, action="view")
    return case
