"""Pages that belong to the service as a whole."""

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from sfo.access import PUBLIC, access


@access(PUBLIC)
def health(request):
    """For the load balancer: 200 when PostgreSQL and Redis both answer, 503 otherwise."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:  # noqa: BLE001 - any failure means "not ready"
        checks["database"] = "unavailable"
    try:
        cache.set("health-probe", "1", 5)
        checks["redis"] = "ok" if cache.get("health-probe") == "1" else "unavailable"
    except Exception:  # noqa: BLE001
        checks["redis"] = "unavailable"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(checks, status=200 if healthy else 503)


@access(PUBLIC)
def accessibility(request):
    return render(request, "accessibility.html")


def forbidden(request, exception=None):
    return render(request, "errors/403.html", {"reason": str(exception or "")}, status=403)


def not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)
