"""The public directory of member cities: filters, pages of rows built from plain values, the
map's points, the cached choices and figures (kept per directory generation), the export."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from asgiref.local import Local
from django.core.cache import cache
from django.core.paginator import Paginator
from django.core.signals import request_finished, request_started
from django.db.models import Count, Exists, F, Min, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext
from django_countries import countries

from members.models import (
    PUBLIC_STATUSES,
    City,
    Coalition,
    LeadCity,
    Membership,
    MembershipStatus,
    descendant_ids,
)

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


def _listed_memberships_prefetch() -> Prefetch:
    """The cities' public memberships as the lists show them (the API's cities, the GeoJSON
    export, the map): their coalitions' slugs and short names only, not every coalition's
    texts in every language once per membership."""
    return Prefetch(
        "memberships",
        queryset=Membership.objects.public()
        .select_related("coalition")
        .only(
            "city_id",
            "status",
            "signed_on",
            "report_overdue_since",
            "coalition__slug",
            "coalition__short_name",
        )
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
    return qs.prefetch_related(_listed_memberships_prefetch())


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
    """The directory's page of `cities` (directory_cities' queryset) and its map, in three
    queries however many cities match: how many, the cities and their public memberships
    (two while the public cities are at most MAP_ALL_LIMIT: the cities are counted as read).

    While the matches are few enough for the map to show them all (MAP_ALL_LIMIT), one query
    reads all of them, for the map and the table's page at once; beyond, only the page's.
    """
    paginator = Paginator(cities, DIRECTORY_PAGE_SIZE)
    fields = ("pk", "name", "slug", "local_name", "country", "region", "latitude", "longitude")
    rows: list[tuple] | None = None
    if public_figures()["cities"] <= MAP_ALL_LIMIT:
        # Every match is a public city, and these are few enough for the map to show them
        # all: one query reads them, and their number is the count (no COUNT query). The
        # figure is only a hint (cached by generation): the count below is what decides.
        rows = list(cities.prefetch_related(None).values_list(*fields))
        total = len(rows)
    else:
        total = cities.count()
    paginator.__dict__["count"] = total  # counted once (Paginator.count is a cached_property)
    page = paginator.get_page(page_number)
    shows_all = total <= MAP_ALL_LIMIT
    start = (page.number - 1) * DIRECTORY_PAGE_SIZE
    if rows is None:
        source = cities if shows_all else cities[start : start + DIRECTORY_PAGE_SIZE]
        rows = list(source.prefetch_related(None).values_list(*fields))
    elif not shows_all:
        rows = rows[start : start + DIRECTORY_PAGE_SIZE]
    listed = rows[start : start + DIRECTORY_PAGE_SIZE] if shows_all else rows
    coalitions = _coalition_index()
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


@dataclass(frozen=True, slots=True)
class _CoalitionLabel:
    url: str
    name: str  # in the current language
    short_name: str


def _coalition_index() -> dict[int, _CoalitionLabel]:
    """Each coalition's address and names in the current language, for the directory's rows
    and map: cached by directory generation (the admin's coalition changes raise it)."""

    def compute() -> dict[int, _CoalitionLabel]:
        url = reverse("members:coalition_detail", kwargs={"slug": "SLUG"}).replace("SLUG", "{}")
        return {
            c.pk: _CoalitionLabel(url.format(c.slug), str(c.name), c.short_name)
            for c in Coalition.objects.only("pk", "slug", "name", "short_name")
        }

    return _by_generation(f"coalition-index:{get_language()}", compute)


def _short_names(held: dict, city_id: int, coalitions: dict) -> list[str]:
    return sorted({coalitions[m[1]].short_name for m in held.get(city_id, ())})


def _directory_rows(rows, held, coalitions, city_url: str) -> list[DirectoryRow]:
    suspended = str(MembershipStatus.SUSPENDED.label)
    country_names: dict[str, str] = {}
    # Formatted once per page for each year and date shown, not once per membership.
    since_texts: dict[int, str] = {}
    overdue_texts: dict[Any, str] = {}
    result = []
    for pk, name, slug, local_name, country, region, _lat, _lon in rows:
        memberships = []
        for _city, coalition_id, status, signed_on, overdue_since in held.get(pk, ()):
            coalition = coalitions[coalition_id]
            since = ""
            if signed_on:
                since = since_texts.get(signed_on.year) or since_texts.setdefault(
                    signed_on.year, gettext("since %(year)s") % {"year": signed_on.year}
                )
            overdue = ""
            if overdue_since:
                overdue = overdue_texts.get(overdue_since) or overdue_texts.setdefault(
                    overdue_since,
                    gettext("Annual report overdue since %(date)s")
                    % {"date": date_format(overdue_since, "DATE_FORMAT")},
                )
            memberships.append(
                DirectoryMembership(
                    url=coalition.url,
                    name=coalition.name,
                    short_name=coalition.short_name,
                    since=since,
                    suspended_label=suspended if status == MembershipStatus.SUSPENDED else "",
                    overdue_title=overdue,
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
    _request_memo.generation = None
    try:
        cache.incr(_GENERATION_KEY)
    except ValueError:
        cache.set(_GENERATION_KEY, time.time_ns(), None)


#: The generation as this request first read it: a page that asks for several cached values
#: (the home page's figures and counts, the directory's options and coalitions) makes one
#: round trip to the cache for it, not one per value. Kept only between request_started and
#: request_finished, so that a task or a shell always reads the current generation.
_request_memo = Local()


def _request_began(**kwargs) -> None:
    _request_memo.active = True
    _request_memo.generation = None


def _request_ended(**kwargs) -> None:
    _request_memo.active = False
    _request_memo.generation = None


request_started.connect(_request_began, dispatch_uid="members.directory.generation")
request_finished.connect(_request_ended, dispatch_uid="members.directory.generation")


def _generation() -> int | None:
    generation = getattr(_request_memo, "generation", None)
    if generation is None:
        # A lost generation restarts at the clock's nanoseconds, never at a number under
        # which this process may still hold copies.
        generation = cache.get_or_set(_GENERATION_KEY, time.time_ns, None)
        if getattr(_request_memo, "active", False):
            _request_memo.generation = generation
    return generation


#: This process's copies of the values cached by generation: {key: (value, expires at)}.
_LOCAL: dict[str, tuple[Any, float]] = {}
_LOCAL_MAX = 512


def _by_generation(key: str, compute):
    """compute(), cached under the directory's current generation (`key` names the rest) until
    the next directory_changed() or for ten minutes at most.

    One cache round trip when this process has the value already (the generation, read once
    per request so that a change is seen at once), two when another process computed it."""
    generation = _generation()
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


def public_figures() -> dict:
    """How many public member cities and countries (the home page's figures, the directory's
    hint), cached by generation."""
    return _cached_by_directory(
        "home-figures",
        lambda: Membership.objects.public().aggregate(
            cities=Count("city", distinct=True), countries=Count("city__country", distinct=True)
        ),
    )


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
