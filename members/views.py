"""Public pages of the members app: coalitions, the city directory and city profiles."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.translation import gettext

from coalition.pagecache import normalised_query, public_content, public_page
from members import selectors
from members.filters import PUBLIC_STATUS_CHOICES, SORT_CHOICES, CityFilter
from members.models import City


@public_page
def coalition_list(request: HttpRequest) -> HttpResponse:
    body = public_content("coalitions", (), _coalition_list_body)
    return render(request, "members/coalition_list.html", {"body": body})


def _coalition_list_body() -> str:
    return render_to_string(
        "members/includes/coalition_list_body.html",
        {"coalitions": selectors.coalitions_for_pages()},
    )


@public_page
def coalition_detail(request: HttpRequest, slug: str) -> HttpResponse:
    page = public_content("coalition", (slug,), lambda: _coalition_profile(slug))
    return render(request, "members/coalition_detail.html", page)


def _coalition_profile(slug: str) -> dict:
    """The coalition page's body, rendered without the request (the same for every visitor)."""
    context = selectors.coalition_page(slug)
    coalition = context["coalition"]
    return {
        "name": coalition.name,
        "short_name": coalition.short_name,
        "url": coalition.get_absolute_url(),
        "profile": render_to_string("members/includes/coalition_profile.html", context),
    }


def map_settings() -> dict:
    return {
        "tiles": settings.MAP_TILE_URL,
        "attribution": settings.MAP_TILE_ATTRIBUTION,
        # Without a tile server: the countries' outlines (Natural Earth 1:110m, public domain).
        "basemap": static("vendor/world-atlas/countries-110m.json"),
        "basemapAttribution": gettext("Country outlines: Natural Earth"),
        "memberOf": gettext("Member of"),
        "profile": gettext("City profile"),
        # Leaflet's own control labels, in the page's language.
        "zoomInTitle": gettext("Zoom in"),
        "zoomOutTitle": gettext("Zoom out"),
    }


@public_page
def city_list(request: HttpRequest) -> HttpResponse:
    """The directory: search, filters, sort and pages are plain GET parameters."""
    query = request.GET.copy()
    body = public_content("directory", (normalised_query(query),), lambda: _directory_body(query))
    return render(
        request, "members/city_list.html", {"body": body, "selected": {"q": query.get("q", "")}}
    )


def _directory_body(query: QueryDict) -> str:
    """The directory's body for these GET parameters (the same for every visitor)."""
    filterset = CityFilter(query, queryset=City.objects.all())
    cities = filterset.qs
    listing = selectors.directory_page(cities, query.get("page"))
    page = listing["page_obj"]
    criteria = filterset.criteria
    form = filterset.form
    export_query = query.copy()
    for ignored in ("page", "sort"):
        export_query.pop(ignored, None)
    context = {
        "query": query,
        "form": form,
        "page_obj": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "cities": page.object_list,
        "choices": selectors.directory_choices(country=criteria["country"]),
        "status_choices": PUBLIC_STATUS_CHOICES,
        "sort_choices": SORT_CHOICES,
        "selected": {
            "q": query.get("q", ""),
            "coalition": query.get("coalition", ""),
            "country": criteria["country"] or query.get("country", "").upper(),
            "region": query.get("region", ""),
            "status": query.get("status", ""),
            "sort": form.cleaned_data.get("sort") or "name",
        },
        "filtered": any(criteria.values()),
        "map_points": listing["map_points"],
        "map_shows_all": listing["map_shows_all"],
        "map_settings": map_settings(),
        "export_query": export_query.urlencode(),
    }
    return render_to_string("members/includes/directory_body.html", context)


@public_page
def city_detail(request: HttpRequest, slug: str) -> HttpResponse:
    page = public_content("city", (slug,), lambda: _city_profile(slug))
    return render(request, "members/city_detail.html", page)


def _city_profile(slug: str) -> dict:
    """The city page's body, rendered without the request (the same for every visitor)."""
    city = selectors.public_city(slug)
    context = {
        "city": city,
        "membership_history": selectors.public_membership_history(city),
        "map_points": selectors.map_points([city]),
        "map_settings": map_settings(),
    }
    return {
        "name": city.name,
        "url": city.get_absolute_url(),
        "profile": render_to_string("members/includes/city_profile.html", context),
    }
