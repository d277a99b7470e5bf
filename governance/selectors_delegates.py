"""Reads of the delegate pages; each costs a fixed number of queries however many rows."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from governance import selectors_proxies as proxy_reads
from governance.access import registrar_city_ids
from governance.models import (
    OPEN_FOR_PROXIES,
    AssemblySession,
    CertificationStatus,
    DelegateCertification,
)
from governance.selectors_attendance import session_day
from governance.services.delegates import certified_voters
from members.models import CITY_ROLES, PUBLIC_STATUSES, City, Membership, Role
from members.selectors import roles_for


def certifications_of_city(city: City) -> list[DelegateCertification]:
    return list(
        DelegateCertification.objects.filter(city=city)
        .select_related("coalition", "person", "submitted_by")
        .order_by("coalition__name", "-submitted_at", "-id")
    )


def certifications_waiting(coalition_ids) -> list[DelegateCertification]:
    qs = DelegateCertification.objects.filter(status=CertificationStatus.SUBMITTED).for_lists()
    if coalition_ids is not None:
        qs = qs.filter(coalition_id__in=coalition_ids)
    return list(qs.order_by("submitted_at", "id"))


def city_roles_for_bureau(coalition_ids) -> list[Role]:
    """Current and future coordinators and delegates of the member cities of these coalitions."""
    cities = Membership.objects.filter(status__in=PUBLIC_STATUSES)
    if coalition_ids is not None:
        cities = cities.filter(coalition_id__in=coalition_ids)
    today = timezone.localdate()
    return list(
        Role.objects.filter(kind__in=CITY_ROLES, city_id__in=cities.values("city_id"))
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .select_related("user", "city")
        .order_by("city__name", "kind", "starts_on", "id")
    )


def session_proxies_links(user, session: AssemblySession) -> list[dict]:
    """The session page's links to the proxies pages of the cities this person acts for in the
    session, {"label", "url"}: where the statute allows proxies and the session is open to them,
    each of the coalition's member cities whose proxies page they may open (its delegate or its
    coordinator, as the dashboard and the registrations page link it); none for anyone else
    (two queries at most, none when closed)."""
    if session.status not in OPEN_FOR_PROXIES:
        return []
    city_ids = registrar_city_ids(user)
    if not city_ids or not proxy_reads.proxies_allowed(session):
        return []
    voters = certified_voters(session.coalition, session_day(session), city_ids=city_ids)
    return [
        {
            "label": _("Proxies of %(city)s") % {"city": entry.city.name},
            "url": reverse("governance:city_proxies", args=[session.pk, entry.city.pk]),
        }
        for entry in voters
    ]


def _period(certification: DelegateCertification) -> str:
    start = date_format(certification.valid_from, "DATE_FORMAT")
    if certification.valid_until:
        return _("from %(start)s to %(end)s") % {
            "start": start,
            "end": date_format(certification.valid_until, "DATE_FORMAT"),
        }
    return _("from %(start)s until revoked") % {"start": start}


def dashboard_panels(user) -> list[dict]:
    """The person's certifications in force or to come, and the coordinator's delegates page."""
    panels: list[dict] = []
    if not getattr(user, "is_authenticated", False):
        return panels
    today = timezone.localdate()
    mine = list(
        DelegateCertification.objects.filter(person=user, status=CertificationStatus.VALIDATED)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .select_related("city", "coalition")
        .order_by("valid_from", "id")
    )
    if mine:
        panels.append(
            {
                "title": _("Certified to vote for a city"),
                "body": "",
                "facts": [
                    _("%(role)s of %(city)s in %(coalition)s, %(period)s")
                    % {
                        "role": c.get_role_display(),
                        "city": c.city.name,
                        "coalition": c.coalition.short_name,
                        "period": _period(c),
                    }
                    for c in mine
                ],
                "items": [],
            }
        )

    roles = roles_for(user)
    proxies = proxy_reads.dashboard_items(roles.coordinator_of | roles.delegate_of)
    if proxies:
        panels.append(
            {
                "title": _("Proxies"),
                "body": _("Given or held by your city, for the sessions ahead or sitting."),
                "items": proxies,
            }
        )

    city_ids = roles.coordinator_of
    if city_ids:
        panels.append(
            {
                "title": _("Delegates"),
                "body": _("Certify who casts your city's vote, and their substitutes."),
                "items": [
                    {
                        "label": _("Delegates of %(city)s") % {"city": city.name},
                        "url": reverse("governance:city_delegates", kwargs={"city_pk": city.pk}),
                    }
                    for city in City.objects.filter(pk__in=city_ids).order_by("name")
                ],
            }
        )
    return panels
