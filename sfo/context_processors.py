"""What every page's layout needs: the service name, the marking and the signed-in user's
navigation, which depends on their roles."""

from django.conf import settings
from django.urls import reverse

from sfo.access import (
    ADMINISTRATION,
    CASE_READERS,
    CENTRAL_QA_TEAM,
    CONCORDANCE_READERS,
    INDEPENDENT_ASSESSORS,
    QA_FIGURES_READERS,
    SIGNED_IN,
)

NAVIGATION = [
    ("Home", "home", SIGNED_IN),
    ("Cases", "reviews:case_list", CASE_READERS),
    ("QA queue", "qa:queue", CENTRAL_QA_TEAM),
    ("QA figures", "qa:turnaround", QA_FIGURES_READERS),
    ("Independent QA", "qa:samples", CONCORDANCE_READERS),
    ("Your sampled reviews", "qa:my_samples", INDEPENDENT_ASSESSORS),
    ("Alerts", "alerts:inbox", SIGNED_IN),
    ("Operations", "operations", ADMINISTRATION),
    ("Administration", "admin:index", ADMINISTRATION),
]


def service(request):
    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated:
        path = request.path
        for label, url_name, rule in NAVIGATION:
            if rule.allows(user):
                url = reverse(url_name)
                current = path == url if url == "/" else path.startswith(url)
                items.append({"label": label, "url": url, "current": current})
    return {
        "service_name": settings.SERVICE_NAME,
        "protective_marking": settings.PROTECTIVE_MARKING,
        "navigation": items,
    }
