"""The home page's figures and the members app's panels on a person's dashboard."""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from members.models import (
    PUBLIC_STATUSES,
    Membership,
    Role,
    RoleKind,
)

from .directory import public_figures
from .pages import coalitions_for_pages


def home_figures() -> dict:
    """Live figures and lists for the home page, in a fixed number of queries."""
    public = Membership.objects.filter(status__in=PUBLIC_STATUSES)
    figures = public_figures()
    coalitions = coalitions_for_pages()
    recent = list(
        public.filter(signed_on__isnull=False)
        .select_related("city", "coalition")
        .order_by("-signed_on", "-id")[:6]
    )
    return {
        "figures": {
            "cities": figures["cities"],
            "countries": figures["countries"],
            "coalitions": len(coalitions),
        },
        "coalitions": coalitions,
        "recent_memberships": recent,
    }


def dashboard_panels(user) -> list[dict]:
    """Panels for the personal dashboard, one per city or coalition the person has a role in.

    A person may hold several roles for one place (a city's coordinator and delegate, or
    a delegate role per coalition the city certified them for): the place has one panel,
    which names each role once. A city's panel also says where the city stands in each
    coalition and who else acts for it on the portal (its coordinators and delegates, each
    once): three queries whatever the number of roles.
    """
    roles = list(
        Role.objects.current()
        .filter(user=user)
        .select_related("city", "coalition")
        .order_by("kind", "city__name")
    )
    city_ids = {role.city_id for role in roles if role.city_id}
    memberships: dict[int, list[Membership]] = {}
    colleagues: dict[int, dict[tuple[str, int], Role]] = {}
    if city_ids:
        for membership in (
            Membership.objects.current()
            .filter(city_id__in=city_ids)
            .select_related("coalition")
            .order_by("coalition__short_name")
        ):
            memberships.setdefault(membership.city_id, []).append(membership)
        for colleague in (
            Role.objects.current()
            .filter(city_id__in=city_ids, kind__in=[RoleKind.COORDINATOR, RoleKind.DELEGATE])
            .select_related("user")
            .order_by("kind", "user__full_name", "user__email")
        ):
            # One line per person and role, however many delegate roles certify them.
            colleagues.setdefault(colleague.city_id, {}).setdefault(
                (colleague.kind, colleague.user_id), colleague
            )
    places: dict[tuple[str, int], list[Role]] = {}
    for role in roles:
        key = ("city", role.city_id) if role.city_id else ("coalition", role.coalition_id)
        places.setdefault(key, []).append(role)
    panels = []
    for (scope, pk), held in places.items():
        place = held[0].city or held[0].coalition
        assert place is not None  # role_scope_matches_kind: a city or a coalition
        kinds = list(dict.fromkeys(role.get_kind_display() for role in held))
        facts = []
        if scope == "city":
            facts += [_membership_fact(m) for m in memberships.get(pk, [])]
            facts += [
                gettext("%(role)s: %(name)s (%(email)s)")
                % {
                    "role": other.get_kind_display(),
                    "name": other.user.get_full_name() or other.user.email,
                    "email": other.user.email,
                }
                for other in colleagues.get(pk, {}).values()
            ]
        panels.append(
            {
                "title": str(place),
                "body": ngettext("Your role: %(roles)s", "Your roles: %(roles)s", len(kinds))
                % {"roles": ", ".join(kinds)},
                "facts": facts,
                "items": [
                    {
                        "label": gettext("Public page of %(place)s") % {"place": place},
                        "url": place.get_absolute_url(),
                    }
                ],
            }
        )
    return panels


def _membership_fact(membership: Membership) -> str:
    values = {
        "coalition": membership.coalition.short_name,
        "status": membership.get_status_display(),
    }
    if membership.signed_on:
        fact = gettext("%(coalition)s: %(status)s since %(date)s") % {
            **values,
            "date": date_format(membership.signed_on, "DATE_FORMAT"),
        }
    else:
        fact = gettext("%(coalition)s: %(status)s") % values
    if membership.report_overdue_since:
        fact += " " + gettext("(annual report overdue since %(date)s)") % {
            "date": date_format(membership.report_overdue_since, "DATE_FORMAT")
        }
    return fact


# --- Public directory, coalition pages and open data ------------------------
#
# A city is public when it holds a public membership (member or suspended) or
# leads, or has led, a coalition. Applicants stay private and withdrawn or
# excluded cities never appear as members.
