"""The product's URLs plus the floor every load figure is divided by: a bare Django template
view, signed in, through the same middleware (sessions, the read audit's request id, the
security headers), that renders a one-line template naming the user."""

from django.http import HttpResponse
from django.template import Context, Template
from django.urls import include, path

from sfo.access import PUBLIC, access

FLOOR_URL = "/__floor__/"
_TEMPLATE = Template("<!doctype html><title>Floor</title><p>Signed in as {{ user.username }}</p>")


@access(PUBLIC)
def floor(request):
    return HttpResponse(_TEMPLATE.render(Context({"user": request.user})))


urlpatterns = [path(FLOOR_URL.strip("/") + "/", floor), path("", include("sfo.urls"))]
