"""The client's address, as far as we can trust it.

Behind a reverse proxy every request comes from the proxy. X-Forwarded-For is believed only
when the direct peer is listed in settings.TRUSTED_PROXIES; then the right-most address that is
not itself a trusted proxy is the client (the left-most entries can be forged by the client).
"""

import ipaddress

from django.conf import settings


def _is_trusted(address):
    return address in settings.TRUSTED_PROXIES


def client_address(peer, forwarded_for=None):
    """Return the client address given the direct peer and the X-Forwarded-For header value."""
    peer = (peer or "").strip()
    if not forwarded_for or not _is_trusted(peer):
        return peer or "unknown"
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return peer  # a malformed header: fall back to the peer we actually saw
        if not _is_trusted(hop):
            return hop
    return hops[0] if hops else peer


def request_address(request):
    return client_address(request.META.get("REMOTE_ADDR"), request.META.get("HTTP_X_FORWARDED_FOR"))


def scope_address(scope):
    """The same for an ASGI scope (WebSocket consumers)."""
    peer = (scope.get("client") or [None])[0]
    forwarded = None
    for name, value in scope.get("headers", []):
        if name == b"x-forwarded-for":
            forwarded = value.decode("latin-1")
    return client_address(peer, forwarded)
