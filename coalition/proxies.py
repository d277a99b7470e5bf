"""The client's address, as the proxies the deployment names report it.

`X-Forwarded-For` is whatever the client wrote, followed by one entry per proxy it passed.
Only entries written by our own proxies can be trusted, so the deployment says how many
there are (`TRUSTED_PROXY_COUNT`): with N proxies, the client is the N-th entry from the
right; with none (the default), the header is ignored and the peer address is the client.

Every rate limit uses `client_ip`: the API's anonymous throttle (`ClientAnonRateThrottle`)
and allauth's login, sign-up and reset limits (`coalition.adapters.AccountAdapter`).
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest
from rest_framework.throttling import AnonRateThrottle


def _clean(value: str) -> str | None:
    """The address in one header entry (ports and IPv6 brackets dropped), or None."""
    value = value.strip()
    if value.startswith("["):  # [2001:db8::1]:443
        value = value[1 : value.find("]")] if "]" in value else ""
    elif value.count(":") == 1:  # 203.0.113.5:443
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The address of the client that sent the request, for rate limits and logs."""
    remote_addr = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies > 0 and forwarded:
        entries = forwarded.split(",")
        # Fewer entries than proxies: the request did not come through all of them, so
        # nothing in the header is ours; the peer is all we know.
        if len(entries) >= proxies:
            address = _clean(entries[-proxies])
            if address:
                return address
    return _clean(remote_addr) or remote_addr


class ClientAnonRateThrottle(AnonRateThrottle):
    """DRF's anonymous throttle, keyed on `client_ip` instead of DRF's own header parsing."""

    def get_ident(self, request) -> str:
        return client_ip(request)
