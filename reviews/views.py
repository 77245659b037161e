from django.core.paginator import Paginator
from django.shortcuts import render

from reviews.selectors import case_for, case_list_for
from sfo.access import CASE_READERS, access, may_see_victims_of


@access(CASE_READERS)
def case_list(request):
    """Every case the user may see, newest first, 25 to a page."""
    page = Paginator(case_list_for(request.user), 25).get_page(request.GET.get("page"))
    return render(request, "reviews/case_list.html", {"page": page})


@access(CASE_READERS)
def case_detail(request, pk):
    case = case_for(request, pk)
    return render(
        request,
        "reviews/case_detail.html",
        {"case": case, "may_see_victims": may_see_victims_of(request.user, case)},
    )
