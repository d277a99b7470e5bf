"""The public pages of one city and of the coalitions."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django_countries import countries

from members.models import (
    PUBLIC_STATUSES,
    City,
    Coalition,
    Commitment,
    LeadCity,
    Membership,
    MembershipStatus,
    MembershipStatusChange,
    Role,
    RoleKind,
    descendant_ids,
)

from .directory import (
    NOT_ADMITTED,
    _cached_by_directory,
    _public_memberships_prefetch,
    matching_memberships,
    public_cities,
)


def public_city(slug: str) -> City:
    """A city's public profile with everything the page shows, or Http404."""

    coordinators = (
        Role.objects.current()
        .filter(kind=RoleKind.COORDINATOR, contact_public=True)
        .select_related("user")
        .order_by("starts_on", "id")
    )
    return get_object_or_404(
        public_cities().prefetch_related(
            _public_memberships_prefetch(),
            Prefetch(
                "lead_roles",
                queryset=LeadCity.objects.select_related("coalition").order_by("-starts_on", "id"),
                to_attr="lead_terms",
            ),
            Prefetch("roles", queryset=coordinators, to_attr="public_coordinators"),
        ),
        slug=slug,
    )


def public_membership_history(city: City) -> list[MembershipStatusChange]:
    """The dated changes of a public city's memberships, with their reasons and the decisions
    behind them, newest first (three queries, plus one per kind of decision).

    The steps of an application before admission are left out: an application is the
    city's and the bureau's business, and a refused one is never public.
    """
    return list(
        MembershipStatusChange.objects.filter(membership__city=city)
        .exclude(to_status=MembershipStatus.APPLICANT)
        .exclude(from_status=MembershipStatus.APPLICANT, to_status__in=NOT_ADMITTED)
        .select_related("membership__coalition", "decision_type")
        .prefetch_related("decision")
        .order_by("-effective_on", "-changed_at", "-id")
    )


def coalitions_for_listing():
    """Every coalition with its parent and its number of public member cities."""

    return Coalition.objects.for_public_display().annotate(
        member_count=Count("memberships", filter=Q(memberships__status__in=PUBLIC_STATUSES))
    )


def coalitions_for_pages() -> list[Coalition]:
    """Every coalition, with member counts that include the coalitions under it."""
    return with_network_member_counts(list(Coalition.objects.for_public_display()))


def with_network_member_counts(coalitions: list[Coalition]) -> list[Coalition]:
    """Set `member_count`: the public member cities of each coalition and of the coalitions
    under it (ICCAR counts the cities of its regional coalitions), each city once.

    Counting reads every public membership, so the counts are cached until the next change
    of the directory (directory_changed) or for ten minutes at most: no query when cached,
    two when not."""
    counts = _cached_by_directory("network-counts", _network_member_counts)
    for coalition in coalitions:
        counted: Any = coalition  # member_count: annotated for the pages, not a field
        counted.member_count = counts.get(coalition.pk, 0)
    return coalitions


def _network_member_counts() -> dict[int, int]:
    parents = dict(Coalition.objects.values_list("id", "parent_id"))
    cities: dict[int, set[int]] = {}
    pairs = (
        Membership.objects.filter(status__in=PUBLIC_STATUSES)
        .order_by()
        .values_list("coalition_id", "city_id")
        .distinct()
    )
    for member_of, city_id in pairs:
        seen: set[int] = set()
        coalition_id: int | None = member_of
        while coalition_id is not None and coalition_id not in seen:
            seen.add(coalition_id)
            cities.setdefault(coalition_id, set()).add(city_id)
            coalition_id = parents.get(coalition_id)
    return {pk: len(ids) for pk, ids in cities.items()}


def coalition_page(slug: str) -> dict:
    """A coalition with its plan in force, lead cities, family and members (fixed queries)."""

    # Every coalition in one query (they are few): the page's, its parent, its children and
    # the network under it (coalition_members_summary) all come from it.
    family = list(Coalition.objects.order_by("name", "id"))
    coalition: Coalition | None = next((c for c in family if c.slug == slug), None)
    if coalition is None:
        raise Http404
    if coalition.parent_id is not None:
        coalition.parent = next(c for c in family if c.pk == coalition.parent_id)
    lead_cities = list(
        LeadCity.objects.filter(coalition=coalition)
        .select_related("city")
        .order_by("-starts_on", "city__name")
    )
    # The plan in force comes with its commitments (one query); a plan without any, alone.
    in_force = coalition.plans.filter(adopted_on__lte=timezone.localdate()).order_by("-adopted_on")
    commitments = list(
        Commitment.objects.filter(plan=Subquery(in_force.values("pk")[:1]))
        .select_related("plan")
        .order_by("number")
    )
    plan = commitments[0].plan if commitments else in_force.first()
    groups = [
        {"heading": heading, "commitments": list(items)}
        for heading, items in groupby(commitments, key=lambda c: c.heading)
    ]
    return {
        "coalition": coalition,
        "plan": plan,
        "commitment_groups": groups,
        "has_headings": any(c.heading for c in commitments),
        "current_leads": [lead for lead in lead_cities if lead.is_current],
        "past_leads": [lead for lead in lead_cities if not lead.is_current],
        "children": [c for c in family if c.parent_id == coalition.pk],
        **coalition_members_summary(coalition, network=_network_of(coalition.pk, family)),
    }


#: The coalition page lists this many member cities by name; the directory holds the rest.
COALITION_PAGE_MEMBERS = 30


def _network_of(coalition_id: int, family: list[Coalition]) -> list[int]:
    """descendant_ids(coalition_id), from the coalitions already read."""
    children: dict[int | None, list[int]] = {}
    for c in family:
        children.setdefault(c.parent_id, []).append(c.pk)
    found, todo = [coalition_id], [coalition_id]
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in found:
                found.append(child)
                todo.append(child)
    return found


def coalition_members_summary(
    coalition: Coalition, *, first: int = COALITION_PAGE_MEMBERS, network: list[int] | None = None
) -> dict:
    """The coalition's member cities as its page shows them, whatever their number: how many,
    how many per country, and the first `first` by name (three queries).

    The members are the coalition's own and those of the coalitions under it (a national
    one), each city once, as many as its card counts (with_network_member_counts). Each listed
    city shows its membership of the coalition itself if it has one, else the one through
    which it belongs (`through`).
    """
    network = descendant_ids(coalition.pk) if network is None else network
    in_network = matching_memberships().filter(coalition_id__in=network)
    cities = City.objects.filter(Exists(in_network.filter(city=OuterRef("pk"))))
    per_country = sorted(
        (
            (str(countries.name(code)), code, n)
            for code, n in cities.order_by()
            .values("country")
            .annotate(n=Count("id"))
            .values_list("country", "n")
        ),
        key=lambda row: (-row[2], row[0]),
    )
    # The first cities by name come with their memberships in the network (one query),
    # each city's in the order of signing.
    first_ids = cities.order_by("name", "country", "id").values("pk")[:first]
    by_city: dict[int, City] = {}
    chosen: dict[int, Membership] = {}
    for membership in (
        in_network.filter(city__in=first_ids)
        .select_related("coalition", "city")
        .order_by("city__name", "city__country", "city_id", "signed_on", "id")
    ):
        by_city.setdefault(membership.city_id, membership.city)
        held = chosen.get(membership.city_id)
        if held is None or (
            held.coalition_id != coalition.pk and membership.coalition_id == coalition.pk
        ):
            chosen[membership.city_id] = membership
    city_url = reverse("members:city_detail", kwargs={"slug": "SLUG"}).replace("SLUG", "{}")
    listed = list(by_city.values())  # in the database's order of names
    members = []
    for city in listed:
        membership = chosen[city.pk]
        membership.city = city
        # Where the city belongs through a coalition below: for the page, not a field.
        listed_membership: Any = membership
        listed_membership.through = (
            None if membership.coalition_id == coalition.pk else membership.coalition
        )
        listed_membership.city_url = city_url.format(city.slug)  # one reverse() for all
        members.append(membership)
    total = sum(n for _, _, n in per_country)
    return {
        "memberships": members,
        "member_total": total,
        "member_countries": [
            {"name": name, "code": code, "count": n} for name, code, n in per_country
        ],
        "members_truncated": total > len(members),
    }
