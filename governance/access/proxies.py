"""Proxies between cities (ADR 0016)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from governance.models import (
    Proxy,
)

from .people import is_bureau
from .sessions import registrar_city_ids


def get_proxy_for_user(user, pk: int, write: bool = False) -> Proxy:
    """A proxy: the bureau and the registrars of both cities read it (404 to anyone else).

    With write=True (withdrawing), only the principal city's registrars and the bureau go on.
    """
    proxy = get_object_or_404(
        Proxy.objects.select_related("session__coalition", "principal", "holder"), pk=pk
    )
    if not getattr(user, "is_authenticated", False):
        raise Http404
    bureau = is_bureau(user, proxy.session.coalition_id)
    cities = registrar_city_ids(user)
    if not (bureau or proxy.principal_id in cities or proxy.holder_id in cities):
        raise Http404
    if write and not (bureau or proxy.principal_id in cities):
        raise PermissionDenied
    return proxy


def get_proxy_for_bureau(user, pk: int) -> Proxy:
    proxy = get_object_or_404(
        Proxy.objects.select_related("session__coalition", "principal", "holder"), pk=pk
    )
    if not is_bureau(user, proxy.session.coalition_id):
        raise Http404
    return proxy
