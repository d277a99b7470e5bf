"""Reads of the members app. Each owns its joins so a page costs a fixed number of queries."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Exists, F, Min, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext
from django_countries import countries

from coalition.request_cache import per_request
from members.models import (
    PUBLIC_STATUSES,
    City,
    Coalition,
    LeadCity,
    Membership,
    MembershipStatus,
    MembershipStatusChange,
    PlanOfAction,
    Role,
    RoleKind,
    descendant_ids,
)


@dataclass(frozen=True)
class UserRoles:
    """What a signed-in person currently is, for navigation and access checks."""

    coordinator_of: frozenset[int] = field(default_factory=frozenset)  # city ids
    delegate_of: frozenset[int] = field(default_factory=frozenset)  # city ids
    bureau_of: frozenset[int] = field(default_factory=frozenset)  # coalition ids
    secretariat_of: frozenset[int] = field(default_factory=frozenset)  # coalition ids
    is_admin: bool = False

    @property
    def is_staff_role(self) -> bool:
        return bool(self.bureau_of or self.secretariat_of or self.is_admin)


def roles_for(user) -> UserRoles:
    """The person's current roles, in one query, once per request (coalition.request_cache)."""
    if not getattr(user, "is_authenticated", False):
        return UserRoles()
    return per_request(user, "members.roles", lambda: _read_roles(user))


def _read_roles(user) -> UserRoles:
    by_kind: dict[str, set[int]] = {k: set() for k in RoleKind.values}
    for kind, city_id, coalition_id in (
        Role.objects.current().filter(user=user).values_list("kind", "city_id", "coalition_id")
    ):
        by_kind[kind].add(city_id or coalition_id)
    return UserRoles(
        coordinator_of=frozenset(by_kind[RoleKind.COORDINATOR]),
        delegate_of=frozenset(by_kind[RoleKind.DELEGATE]),
        bureau_of=frozenset(by_kind[RoleKind.BUREAU]),
        secretariat_of=frozenset(by_kind[RoleKind.SECRETARIAT]),
        is_admin=bool(user.is_superuser),
    )


def cities_coordinated_by(user):
    return City.objects.filter(pk__in=roles_for(user).coordinator_of).order_by("name")


def coalitions_staffed_by(user):
    roles = roles_for(user)
    return Coalition.objects.filter(pk__in=roles.bureau_of | roles.secretariat_of)


def home_figures() -> dict:
    """Live figures and lists for the home page, in a fixed number of queries."""
    public = Membership.objects.filter(status__in=PUBLIC_STATUSES)
    figures = _cached_by_directory(
        "home-figures",
        lambda: public.aggregate(
            cities=Count("city", distinct=True), countries=Count("city__country", distinct=True)
        ),
    )
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
    """Panels for the personal dashboard, one per city or coalition role.

    A city role's panel also says where the city stands in each coalition and who
    else acts for it on the portal (its coordinators and delegates): three queries
    whatever the number of roles.
    """
    roles = list(
        Role.objects.current()
        .filter(user=user)
        .select_related("city", "coalition")
        .order_by("kind", "city__name")
    )
    city_ids = {role.city_id for role in roles if role.city_id}
    memberships: dict[int, list[Membership]] = {}
    colleagues: dict[int, list[Role]] = {}
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
            colleagues.setdefault(colleague.city_id, []).append(colleague)
    panels = []
    for role in roles:
        facts = []
        if role.city_id:
            facts += [_membership_fact(m) for m in memberships.get(role.city_id, [])]
            facts += [
                gettext("%(role)s: %(name)s (%(email)s)")
                % {
                    "role": other.get_kind_display(),
                    "name": other.user.get_full_name() or other.user.email,
                    "email": other.user.email,
                }
                for other in colleagues.get(role.city_id, [])
            ]
        place = role.city or role.coalition
        panels.append(
            {
                "title": role.get_kind_display(),
                "body": str(place),
                "facts": facts,
                "items": [{"label": str(place), "url": place.get_absolute_url()}],
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

DIRECTORY_PAGE_SIZE = 50
#: Up to this many matches, the directory's map shows all of them (one light query);
#: beyond it, the cities of the page, and the GeoJSON export holds the rest.
MAP_ALL_LIMIT = 1000
SORTS = ("name", "country", "joined", "-joined")


#: Where an application ends when the city is not admitted (never shown in public).
NOT_ADMITTED = (MembershipStatus.WITHDRAWN, MembershipStatus.EXCLUDED)


def _public_memberships_prefetch():

    return Prefetch(
        "memberships",
        queryset=Membership.objects.public()
        .select_related("coalition")
        .order_by("coalition__short_name", "id"),
        to_attr="public_memberships",
    )


def matching_memberships(*, coalition=None, status: str = "", network: list[int] | None = None):
    """Public memberships, narrowed to one coalition and/or one public status.

    A coalition stands for its network: itself and the coalitions under it (ECCAR's national
    coalitions, ICCAR's regional ones), as its card and its page count its members.
    """

    qs = Membership.objects.public()
    if coalition is not None:
        network = descendant_ids(coalition.pk) if network is None else network
        qs = qs.filter(coalition_id__in=network)
    if status:
        qs = qs.filter(status=status)
    return qs


def public_cities():
    """Cities the public may see: public members, and lead cities of a coalition."""

    return City.objects.filter(
        Q(Exists(matching_memberships().filter(city=OuterRef("pk"))))
        | Q(Exists(LeadCity.objects.filter(city=OuterRef("pk"))))
    )


def directory_cities(
    queryset=None,
    *,
    q: str = "",
    coalition=None,
    country: str = "",
    region: str = "",
    status: str = "",
    sort: str = "name",
):
    """The member cities matching the directory's criteria, in a stable order.

    `coalition` and `status` apply to one and the same membership: "suspended
    in ECCAR" does not match a city suspended elsewhere and member of ECCAR.
    """

    network = descendant_ids(coalition.pk) if coalition is not None else None
    memberships = matching_memberships(coalition=coalition, status=status, network=network).filter(
        city=OuterRef("pk")
    )
    base = City.objects.all() if queryset is None else queryset
    qs = base.filter(Exists(memberships)).search(q)
    if country:
        qs = qs.filter(country=country)
    if region:
        qs = qs.filter(region=region)
    if sort in ("joined", "-joined"):
        # One grouped join, not a subquery per city: the earliest signing among the
        # memberships that match the same criteria as the filter.
        matching = Q(memberships__status__in=PUBLIC_STATUSES)
        if coalition is not None:
            matching &= Q(memberships__coalition_id__in=network)
        if status:
            matching &= Q(memberships__status=status)
        qs = qs.annotate(joined_on=Min("memberships__signed_on", filter=matching))
        joined = F("joined_on").asc(nulls_last=True)
        if sort == "-joined":
            joined = F("joined_on").desc(nulls_last=True)
        qs = qs.order_by(joined, "name", "id")
    elif sort == "country":
        qs = qs.order_by("country", "name", "id")
    else:
        qs = qs.order_by("name", "country", "id")
    return qs.prefetch_related(_public_memberships_prefetch())


@dataclass(frozen=True, slots=True)
class DirectoryMembership:
    """One public membership as the directory's table shows it, its texts ready."""

    url: str
    name: str
    short_name: str
    since: str  # "since 2004", or "" when the signing date is unknown
    suspended_label: str  # the status' label for a suspended membership, else ""
    overdue_title: str  # "Annual report overdue since …", or ""


@dataclass(frozen=True, slots=True)
class DirectoryRow:
    """One city of the directory's table: plain values, so that the page's loop costs what
    printing them costs (no reverse(), translation or date formatting per row)."""

    name: str
    local_name: str
    url: str
    country_name: str
    region: str
    memberships: list[DirectoryMembership]


def directory_page(cities: QuerySet[City], page_number) -> dict:
    """The directory's page of `cities` (directory_cities' queryset) and its map, in four
    queries however many cities match: how many, the cities, their public memberships and
    the coalitions.

    While the matches are few enough for the map to show them all (MAP_ALL_LIMIT), one query
    reads all of them, for the map and the table's page at once; beyond, only the page's.
    """
    paginator = Paginator(cities, DIRECTORY_PAGE_SIZE)
    total = cities.count()
    paginator.__dict__["count"] = total  # counted once (Paginator.count is a cached_property)
    page = paginator.get_page(page_number)
    shows_all = total <= MAP_ALL_LIMIT
    start = (page.number - 1) * DIRECTORY_PAGE_SIZE
    source = cities if shows_all else cities[start : start + DIRECTORY_PAGE_SIZE]
    rows = list(
        source.prefetch_related(None).values_list(
            "pk", "name", "slug", "local_name", "country", "region", "latitude", "longitude"
        )
    )
    listed = rows[start : start + DIRECTORY_PAGE_SIZE] if shows_all else rows
    coalitions = {c.pk: c for c in Coalition.objects.all()}
    held: dict[int, list[tuple]] = {}
    for membership in (
        Membership.objects.public()
        .filter(city_id__in=[row[0] for row in rows])
        .order_by("coalition__short_name", "id")
        .values_list("city_id", "coalition_id", "status", "signed_on", "report_overdue_since")
    ):
        held.setdefault(membership[0], []).append(membership)
    city_url = reverse("members:city_detail", kwargs={"slug": "SLUG"}).replace("SLUG", "{}")
    page.object_list = _directory_rows(listed, held, coalitions, city_url)  # type: ignore[assignment]  # rows, not cities
    points = [
        _map_point(name, city_url.format(slug), lat, lon, _short_names(held, pk, coalitions))
        for pk, name, slug, _local, _country, _region, lat, lon in rows
        if lat is not None and lon is not None
    ]
    return {"page_obj": page, "map_points": points, "map_shows_all": shows_all}


def _short_names(held: dict, city_id: int, coalitions: dict) -> list[str]:
    return sorted({coalitions[m[1]].short_name for m in held.get(city_id, ())})


def _directory_rows(rows, held, coalitions, city_url: str) -> list[DirectoryRow]:
    coalition_url = reverse("members:coalition_detail", kwargs={"slug": "SLUG"}).replace(
        "SLUG", "{}"
    )
    suspended = str(MembershipStatus.SUSPENDED.label)
    country_names: dict[str, str] = {}
    result = []
    for pk, name, slug, local_name, country, region, _lat, _lon in rows:
        memberships = []
        for _city, coalition_id, status, signed_on, overdue_since in held.get(pk, ()):
            coalition = coalitions[coalition_id]
            memberships.append(
                DirectoryMembership(
                    url=coalition_url.format(coalition.slug),
                    name=coalition.name,
                    short_name=coalition.short_name,
                    since=gettext("since %(year)s") % {"year": signed_on.year} if signed_on else "",
                    suspended_label=suspended if status == MembershipStatus.SUSPENDED else "",
                    overdue_title=gettext("Annual report overdue since %(date)s")
                    % {"date": date_format(overdue_since, "DATE_FORMAT")}
                    if overdue_since
                    else "",
                )
            )
        if country not in country_names:
            country_names[country] = str(countries.name(country))
        result.append(
            DirectoryRow(
                name=name,
                local_name=local_name,
                url=city_url.format(slug),
                country_name=country_names[country],
                region=region,
                memberships=memberships,
            )
        )
    return result


DIRECTORY_CHOICES_SECONDS = 600
_GENERATION_KEY = "members:directory:generation"


def directory_changed() -> None:
    """Forget the cached filter options (services call this after a city or membership change)."""
    try:
        cache.incr(_GENERATION_KEY)
    except ValueError:
        cache.set(_GENERATION_KEY, time.time_ns(), None)


#: This process's copies of the values cached by generation: {key: (value, expires at)}.
_LOCAL: dict[str, tuple[Any, float]] = {}
_LOCAL_MAX = 512


def _by_generation(key: str, compute):
    """compute(), cached under the directory's current generation (`key` names the rest) until
    the next directory_changed() or for ten minutes at most.

    One cache round trip when this process has the value already (the generation, read on
    every call so that a change is seen at once), two when another process computed it."""
    # A lost generation restarts at the clock's nanoseconds, never at a number under which
    # this process may still hold copies.
    generation = cache.get_or_set(_GENERATION_KEY, time.time_ns, None)
    full_key = f"members:directory:{generation}:{key}"
    local = _LOCAL.get(full_key)
    if local is not None and local[1] > time.monotonic():
        return local[0]
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, DIRECTORY_CHOICES_SECONDS)
    if len(_LOCAL) >= _LOCAL_MAX:
        _LOCAL.clear()  # older generations' copies, or many countries' options: start again
    _LOCAL[full_key] = (value, time.monotonic() + DIRECTORY_CHOICES_SECONDS)
    return value


def _cached_by_directory(name: str, compute):
    """compute(), cached until the next directory_changed() or for ten minutes at most."""
    return _by_generation(name, compute)


def directory_choices(*, country: str = "") -> dict:
    """Options of the directory's filters: what the public cities actually have.

    Three queries, which grow with the directory (distinct over every city), so
    the result is cached until the next change or for ten minutes at most.
    """
    return _by_generation(
        f"choices:{get_language()}:{country}", lambda: _directory_choices(country)
    )


def _directory_choices(country: str) -> dict:
    listed = City.objects.filter(pk__in=matching_memberships().values("city_id"))
    codes = listed.order_by().values_list("country", flat=True).distinct()
    regions_qs = listed.exclude(region="")
    if country:
        regions_qs = regions_qs.filter(country=country)
    regions = sorted(set(regions_qs.order_by().values_list("region", flat=True).distinct()))
    coalitions = Coalition.objects.order_by("name").values("slug", "name", "short_name")
    return {
        "coalitions": list(coalitions),
        "countries": sorted(((c, str(countries.name(c))) for c in set(codes)), key=lambda x: x[1]),
        "regions": regions,
    }


def export_memberships(
    *, q: str = "", coalition=None, country: str = "", region: str = "", status: str = ""
):
    """One row per public membership of the matching cities, for the CSV export."""

    cities = directory_cities(q=q, country=country, region=region).order_by().values("pk")
    return (
        matching_memberships(coalition=coalition, status=status)
        .filter(city__in=cities)
        .select_related("city", "coalition")
        .order_by("city__name", "city__country", "coalition__short_name", "id")
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
    plan = coalition.plan_in_force()
    commitments = list(plan.commitments.order_by("number")) if plan else []
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
    how many per country, and the first `first` by name (four queries).

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
    listed = list(cities.order_by("name", "country", "id")[:first])
    chosen: dict[int, Membership] = {}
    for membership in (
        in_network.filter(city__in=listed).select_related("coalition").order_by("signed_on", "id")
    ):
        held = chosen.get(membership.city_id)
        if held is None or (
            held.coalition_id != coalition.pk and membership.coalition_id == coalition.pk
        ):
            chosen[membership.city_id] = membership
    city_url = reverse("members:city_detail", kwargs={"slug": "SLUG"}).replace("SLUG", "{}")
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


def api_cities():
    """Cities for the open-data API: public members with their public memberships."""
    return City.objects.filter(pk__in=matching_memberships().values("city_id")).prefetch_related(
        _public_memberships_prefetch()
    )


def api_coalitions():

    return (
        coalitions_for_listing()
        .prefetch_related(
            Prefetch(
                "lead_cities",
                queryset=LeadCity.objects.select_related("city").order_by("-starts_on", "id"),
            ),
            # Newest first: the serializer's plan_in_force takes the first one adopted by today.
            Prefetch("plans", queryset=PlanOfAction.objects.order_by("-adopted_on", "-id")),
        )
        .order_by("name", "id")
    )


def api_plans():

    return (
        PlanOfAction.objects.select_related("coalition")
        .prefetch_related("commitments")
        .order_by("coalition__short_name", "-adopted_on", "id")
    )


def map_points(cities: Iterable[City]) -> list[dict]:
    """Name, profile link, position and public coalitions of each city that has coordinates,
    for the map script. The cities come with `public_memberships` prefetched, or cost one
    query each for their coalitions."""
    points = []
    for city in cities:
        if city.latitude is None or city.longitude is None:
            continue
        memberships = getattr(city, "public_memberships", None)
        if memberships is None:
            memberships = list(
                Membership.objects.public()
                .filter(city=city)
                .select_related("coalition")
                .order_by("coalition__short_name", "id")
            )
        coalitions = sorted({m.coalition.short_name for m in memberships})
        url = city.get_absolute_url()
        points.append(_map_point(city.name, url, city.latitude, city.longitude, coalitions))
    return points


def _map_point(name: str, url: str, latitude, longitude, coalitions: list[str]) -> dict:
    return {
        "name": name,
        "url": url,
        "lat": float(latitude),
        "lon": float(longitude),
        "coalitions": coalitions,
    }
