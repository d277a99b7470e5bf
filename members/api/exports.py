"""The exports, streamed and unpaginated: the members as CSV (the import's columns) and as
GeoJSON."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator

from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from coalition.csvcells import neutralise
from members import selectors
from members.api_schema import OpenDataSchema
from members.filters import CityFilter
from members.importer import CSV_HEADER
from members.models import City, Membership


class _PassthroughRenderer(BaseRenderer):
    """Lets any Accept header reach the export; errors are still written as JSON."""

    media_type = "*/*"
    format = "export"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return json.dumps(data).encode()


class _Echo:
    def write(self, value: str) -> str:
        return value


# The format suffix only picks a renderer: every export has one format.
EXPORT_PARAMETERS = [OpenApiParameter("format", exclude=True)]


class _ExportView(APIView):
    schema = OpenDataSchema()
    renderer_classes = [JSONRenderer, _PassthroughRenderer]
    # The directory's filters, documented from the same filter set (sorting aside: the
    # exports keep their own order).
    queryset = City.objects.none()
    filterset_class = CityFilter
    undocumented_filters = ("sort",)

    def criteria(self, request: Request) -> dict | Response:
        filterset = CityFilter(request.query_params, queryset=City.objects.all())
        if not filterset.is_valid():
            return Response(filterset.errors, status=400)
        return filterset.criteria

    def finalize_response(self, request, response, *args, **kwargs):
        # Errors are JSON whatever the client accepts (the passthrough renderer would
        # label them with the Accept header's type).
        if isinstance(response, Response) and response.status_code >= 400:
            response.content_type = "application/json"
        return super().finalize_response(request, response, *args, **kwargs)


def csv_rows(memberships: Iterable[Membership]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_HEADER)
    for m in memberships:
        city = m.city
        row = [
            city.name,
            city.country.code,  # type: ignore[attr-defined]  # a Country: django-countries has no stubs
            city.region,
            m.coalition.short_name,
            "" if city.latitude is None else f"{city.latitude.normalize():f}",
            "" if city.longitude is None else f"{city.longitude.normalize():f}",
            "" if city.population is None else city.population,
            m.signed_on.isoformat() if m.signed_on else "",
            m.status,
            city.website,
            city.local_name,
        ]
        yield writer.writerow([neutralise(cell) for cell in row])


CSV_DESCRIPTION = (
    "Every matching public membership as CSV (UTF-8), one row each, with the header "
    f"`{','.join(CSV_HEADER)}`: the format `manage.py import_cities` reads.\n\n"
    "**Cells that a spreadsheet would run as a formula are neutralised**, as OWASP advises "
    "against CSV injection: a text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage "
    "return is written with a single quote (`'`) before it, so that Excel, LibreOffice or "
    "Google Sheets show it as text. A cell that already starts with quotes followed by one of "
    "those characters gets one more quote. Plain numbers (a longitude such as `-0.1278`) are "
    "left as they are. To read the original value, remove one leading quote from exactly "
    "those cells; the import does so."
)
GEOJSON_DESCRIPTION = (
    "Every matching member city as a GeoJSON FeatureCollection (RFC 7946), one Point feature "
    "each, with the coordinates as `[longitude, latitude]`. The properties hold the CSV "
    "columns (`name`, `local_name`, `country`, `region`, `population`, `website`) and the "
    "city's public memberships (`coalition`, `status`, `joined_on`): the format the import "
    "reads, so an export can be imported again unchanged.\n\n"
    "**A city without coordinates is left out** (a GeoJSON reader cannot place it); the CSV "
    "export holds every city."
)


class CityCSVExport(_ExportView):
    """Every matching public membership as CSV, one row each, in the import's format."""

    @extend_schema(
        summary="Member cities as CSV",
        description=CSV_DESCRIPTION,
        parameters=EXPORT_PARAMETERS,
        responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR)},
    )
    def get(self, request: Request):
        criteria = self.criteria(request)
        if isinstance(criteria, Response):
            return criteria
        rows = selectors.export_memberships(**criteria).iterator(chunk_size=2000)
        response = StreamingHttpResponse(csv_rows(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="cities.csv"'
        return response


def geojson_feature(city: City, request: Request) -> dict:
    """The city as a Point feature ([longitude, latitude]); it must have coordinates."""
    assert city.latitude is not None and city.longitude is not None
    return {
        "type": "Feature",
        "id": city.slug,
        "geometry": {
            "type": "Point",
            "coordinates": [float(city.longitude), float(city.latitude)],
        },
        "properties": {
            "name": city.name,
            "local_name": city.local_name,
            "country": city.country.code,  # type: ignore[attr-defined]  # a Country: django-countries has no stubs
            "region": city.region,
            "population": city.population,
            "website": city.website,
            "profile_url": request.build_absolute_uri(city.get_absolute_url()),
            "memberships": [
                {
                    "coalition": m.coalition.short_name,
                    "status": m.status,
                    "joined_on": m.signed_on.isoformat() if m.signed_on else None,
                }
                for m in city.public_memberships  # type: ignore[attr-defined]  # prefetched to_attr
            ],
        },
    }


def geojson_chunks(cities: Iterable[City], request: Request) -> Iterator[str]:
    yield '{"type": "FeatureCollection", "features": ['
    separator = ""
    for city in cities:
        if city.latitude is None or city.longitude is None:
            continue  # unplaceable: left out, as GEOJSON_DESCRIPTION says
        yield separator + json.dumps(geojson_feature(city, request), ensure_ascii=False)
        separator = ",\n"
    yield "]}\n"


class CityGeoJSONExport(_ExportView):
    """Every matching member city as a GeoJSON FeatureCollection (RFC 7946)."""

    @extend_schema(
        summary="Member cities as GeoJSON",
        description=GEOJSON_DESCRIPTION,
        parameters=EXPORT_PARAMETERS,
        responses={(200, "application/geo+json"): OpenApiResponse(OpenApiTypes.OBJECT)},
    )
    def get(self, request: Request):
        criteria = self.criteria(request)
        if isinstance(criteria, Response):
            return criteria
        cities = selectors.directory_cities(**criteria).iterator(chunk_size=1000)
        response = StreamingHttpResponse(
            geojson_chunks(cities, request), content_type="application/geo+json"
        )
        response["Content-Disposition"] = 'attachment; filename="cities.geojson"'
        return response
