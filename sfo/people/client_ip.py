"""Which address a request came from, for lockouts and nothing else.

X-Forwarded-For is written by whoever sends the request, so it is believed only as far as the
deployment says it has proxies (TRUSTED_PROXY_COUNT): with one proxy, the last address in the
header is the one that proxy saw; with none, the header is ignored and REMOTE_ADDR is used."""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    proxies = settings.TRUSTED_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR")
    if proxies <= 0:
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    if len(hops) < proxies:
        return remote
    return hops[-proxies]
