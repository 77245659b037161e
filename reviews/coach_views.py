"""The review coach on its own: the panel for the saved review (a page that works without
JavaScript), and the panel alone for a section page's unsaved form, which `static/js/coach.js`
posts while the reviewer types. Reading only: nothing is saved here."""

from django.shortcuts import render
from django.urls import path

from reviews.coach import coach_for
from reviews.models import SectionKey
from reviews.selectors import review_case_for
from sfo.access import CASE_READERS, access


def draft_of(data) -> dict[str, str]:
    """The unsaved texts of a section page's form: its section's text and, on the conclusion, the
    judgement. The section is named by the form's `section` field (or the URL's query)."""
    draft: dict[str, str] = {}
    key = data.get("section", "")
    if key in SectionKey.values and "text" in data:
        draft[key] = data["text"]
    for name in ("all_reasonable_steps", "judgement_reasons"):
        if name in data:
            draft[name] = data[name]
    return draft


@access(CASE_READERS)
def coach(request, pk):
    """GET: the coach's advice on the review as saved. POST (from a section page's form): the
    panel alone, with the form's unsaved text laid over the saved review."""
    case = review_case_for(request, pk)
    if request.method == "POST":
        data = request.POST.copy()
        if "section" not in data and "section" in request.GET:
            data["section"] = request.GET["section"]
        result = coach_for(case, draft_of(data))
        # `key` names the section being typed on, to which the panel does not link.
        context = {"case": case, "coach": result, "key": data.get("section", "")}
        return render(request, "reviews/review/_coach_panel.html", context)
    return render(request, "reviews/review/coach.html", {"case": case, "coach": coach_for(case)})


urlpatterns = [
    path("<int:pk>/review/coach/", coach, name="coach"),
]
