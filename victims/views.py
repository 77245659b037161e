from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from reviews.selectors import case_for
from sfo.access import VICTIM_RECORD_READERS, access, may_see_victims_of, visible_victims
from sfo.audit.services import record_access, record_views


@access(VICTIM_RECORD_READERS)
def case_victims(request, pk):
    """The victims and family members of a case. Each record shown is recorded as viewed."""
    case = case_for(request, pk)
    if not may_see_victims_of(request.user, case):
        record_access(
            request,
            object_type="victims.victim",
            object_id=f"case:{case.pk}",
            action="list",
            allowed=False,
        )
        raise PermissionDenied("Victims' records of this case are for its own provider's staff")
    victims = list(visible_victims(request.user, case.victims.all()))
    record_views(request, victims)
    return render(request, "victims/case_victims.html", {"case": case, "victims": victims})
