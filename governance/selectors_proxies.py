"""Reads of the proxies' pages and panels (ADR 0016): what a city may do with proxies, now.

The services check every rule again under their locks (defence in depth); these reads only
decide what the pages offer, so that a form is shown only where it can succeed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from governance import selectors_attendance as reads
from governance.models import (
    ACTIVE_PROXY_STATUSES,
    OPEN_FOR_PROXIES,
    AssemblySession,
    Proxy,
    ProxyStatus,
)
from members.models import City


def proxies_allowed(session: AssemblySession) -> bool:
    """Whether the session's statute snapshot allows proxies."""
    return bool(reads.snapshot_of(session).get("proxies_allowed"))


def proxy_cap(session: AssemblySession) -> int:
    """How many proxies one holder city may hold in the session (the snapshot's cap)."""
    return int(reads.snapshot_of(session).get("proxy_cap") or 0)


@dataclass(frozen=True)
class CityProxies:
    """One city's proxies in one session, and what it may still do."""

    city: City
    allowed: bool
    cap: int
    open: bool
    #: Every proxy the city gave or holds in the session, newest first (ended ones too).
    proxies: list[Proxy]
    #: The city's own proxy, submitted or validated, if it gave one.
    given: Proxy | None = None
    #: The proxies it holds or is offered (submitted or validated).
    held: list[Proxy] = field(default_factory=list)
    #: Checked in: its delegate or substitute votes, so it gives no proxy.
    present: bool = False
    #: The cities that could hold its proxy now (voting rights, no proxy given, below the cap).
    holder_choices: list[City] = field(default_factory=list)

    @property
    def can_give(self) -> bool:
        """Whether the form to give the city's proxy can succeed now."""
        return (
            self.allowed
            and self.open
            and self.given is None
            and not self.held
            and not self.present
            and bool(self.holder_choices)
        )

    @property
    def has_any(self) -> bool:
        return self.given is not None or bool(self.held)

    @property
    def held_principals(self) -> str:
        """The cities whose proxies it holds: "Munich and Potsdam"."""
        return get_text_list(sorted(p.principal.name for p in self.held), _("and"))


def city_proxies(session: AssemblySession, city: City) -> CityProxies:
    """The city's proxies page: its proxies, and the holders it may choose (six queries)."""
    allowed, cap = proxies_allowed(session), proxy_cap(session)
    mine = list(
        Proxy.objects.filter(Q(principal=city) | Q(holder=city), session=session)
        .select_related("principal", "holder")
        .order_by("-registered_at", "-id")
    )
    active = [p for p in mine if p.status in ACTIVE_PROXY_STATUSES]
    if not allowed:
        return CityProxies(city, allowed, cap, session.status in OPEN_FOR_PROXIES, mine)
    session_active = list(
        Proxy.objects.active().filter(session=session).values_list("principal_id", "holder_id")
    )
    gave = {principal for principal, _holder in session_active}
    held_count: dict[int, int] = {}
    for _principal, holder in session_active:
        held_count[holder] = held_count.get(holder, 0) + 1
    choices = [
        r.city
        for r in reads.session_voting_rights(session)
        if r.has_voting_rights
        and r.city.pk != city.pk
        and r.city.pk not in gave
        and held_count.get(r.city.pk, 0) < cap
    ]
    return CityProxies(
        city,
        allowed,
        cap,
        session.status in OPEN_FOR_PROXIES,
        mine,
        given=next((p for p in active if p.principal_id == city.pk), None),
        held=[p for p in active if p.holder_id == city.pk],
        present=city.pk in reads.present_city_ids(session),
        holder_choices=choices,
    )


def proxy_line(proxy: Proxy) -> str:
    """One sentence for a proxy in a session, the same for both cities."""
    values = {
        "holder": proxy.holder.name,
        "principal": proxy.principal.name,
        "session": proxy.session.title,
    }
    if proxy.status == ProxyStatus.VALIDATED:
        return _("%(holder)s holds the proxy of %(principal)s for %(session)s") % values
    return (
        _("%(principal)s gave its proxy to %(holder)s for %(session)s: it waits for the bureau")
        % values
    )


def dashboard_items(city_ids) -> list[dict]:
    """The proxies, given or held, of these cities in the sessions still to sit or sitting
    (one query): {"label", "url"}, linking to the city's proxies page."""
    if not city_ids:
        return []
    proxies = (
        Proxy.objects.active()
        .filter(Q(principal_id__in=city_ids) | Q(holder_id__in=city_ids))
        .filter(session__status__in=OPEN_FOR_PROXIES)
        .select_related("session", "principal", "holder")
        .order_by("session__starts_at", "session_id", "holder__name", "principal__name", "id")
    )
    return [
        {
            "label": proxy_line(proxy),
            "url": reverse(
                "governance:city_proxies",
                args=[
                    proxy.session_id,
                    proxy.holder_id if proxy.holder_id in city_ids else proxy.principal_id,
                ],
            ),
        }
        for proxy in proxies
    ]


def proxies_link_label(session: AssemblySession, city: City) -> str:
    """The registrations page's link to the city's proxies, saying what it finds there (one
    query): the proxy it gave, the proxies it holds, or the offer to give one."""
    active = list(
        Proxy.objects.active()
        .filter(Q(principal=city) | Q(holder=city), session=session)
        .select_related("principal", "holder")
    )
    given = next((p for p in active if p.principal_id == city.pk), None)
    if given is not None:
        return _("Proxy given by %(city)s to %(holder)s") % {
            "city": city.name,
            "holder": given.holder.name,
        }
    held = [p for p in active if p.holder_id == city.pk]
    if held:
        return ngettext(
            "Proxy held by %(city)s: %(principals)s",
            "Proxies held by %(city)s: %(principals)s",
            len(held),
        ) % {
            "city": city.name,
            "principals": get_text_list(sorted(p.principal.name for p in held), _("and")),
        }
    if session.status in OPEN_FOR_PROXIES:
        return _("Give your city's proxy to another city")
    return _("Proxies of %(city)s") % {"city": city.name}
