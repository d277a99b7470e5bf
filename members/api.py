"""The open-data API (read-only): cities, coalitions, plans of action, and the exports."""

from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Iterable, Iterator
from typing import Any

import django_filters
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from coalition.csvcells import neutralise
from members import selectors
from members.api_schema import OpenDataSchema
from members.filters import CityFilter
from members.importer import CSV_HEADER
from members.models import City, Coalition, Membership, PlanOfAction

_DIGITS = re.compile(r"[0-9]+")


class Pagination(PageNumberPagination):
    """Pages of 50 by default. A malformed page or page size is a 400 naming it (not a
    silent default); a page past the last is DRF's 404."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    last_page_strings = ()  # only numbers: what the schema documents

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param)
        if raw is None:
            return 1
        digits = raw.lstrip("0") if _DIGITS.fullmatch(raw) else ""
        if not digits:
            raise ValidationError(
                {self.page_query_param: [_("A page number is a whole number from 1.")]}
            )
        # A number this long is past any real page: the paginator answers 404.
        return sys.maxsize if len(digits) > 18 else int(digits)

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not _DIGITS.fullmatch(raw) or len(raw) > 4 or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("The page size is a whole number from 1 to %(max)s.")
                        % {"max": self.max_page_size}
                    ]
                }
            )
        return int(raw)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
        return parameters


# --- Serializers -------------------------------------------------------------


class MembershipSerializer(serializers.ModelSerializer):
    coalition: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    coalition_short_name = serializers.CharField(source="coalition.short_name", read_only=True)
    joined_on = serializers.DateField(source="signed_on", read_only=True)

    class Meta:
        model = Membership
        fields = [
            "coalition",
            "coalition_short_name",
            "status",
            "joined_on",
            "report_overdue_since",
        ]


class CitySerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country.code", read_only=True)
    country_name = serializers.CharField(source="country.name", read_only=True)
    latitude = serializers.FloatField(read_only=True, allow_null=True)
    longitude = serializers.FloatField(read_only=True, allow_null=True)
    profile_url = serializers.SerializerMethodField()
    memberships = MembershipSerializer(source="public_memberships", many=True, read_only=True)

    class Meta:
        model = City
        fields = [
            "slug",
            "name",
            "local_name",
            "country",
            "country_name",
            "region",
            "population",
            "latitude",
            "longitude",
            "website",
            "profile_url",
            "memberships",
        ]

    def get_profile_url(self, city: City) -> str:
        request = self.context.get("request")
        url = city.get_absolute_url()
        return request.build_absolute_uri(url) if request else url

    def to_representation(self, instance: City) -> dict:
        """What the declared fields give (the schema is read from them), written directly:
        a page of 50 cities through DRF's field-by-field path cost more than the rest of
        the request (tests/members/test_api.py compares both)."""
        city: Any = instance  # public_memberships: prefetched to_attr
        return {
            "slug": city.slug,
            "name": city.name,
            "local_name": city.local_name,
            "country": city.country.code,
            "country_name": str(city.country.name),
            "region": city.region,
            "population": city.population,
            "latitude": None if city.latitude is None else float(city.latitude),
            "longitude": None if city.longitude is None else float(city.longitude),
            "website": city.website,
            "profile_url": self._profile_url(city.slug),
            "memberships": [
                {
                    "coalition": m.coalition.slug,
                    "coalition_short_name": m.coalition.short_name,
                    "status": m.status,
                    "joined_on": _iso(m.signed_on),
                    "report_overdue_since": _iso(m.report_overdue_since),
                }
                for m in city.public_memberships
            ],
        }

    def _profile_url(self, slug: str) -> str:
        """get_profile_url's answer, reversed once per page of cities (by its slug's place)."""
        head, tail = getattr(self, "_profile_url_parts", (None, None))
        if head is None:
            request = self.context.get("request")
            url = reverse("members:city_detail", kwargs={"slug": "SLUG"})
            head, tail = (request.build_absolute_uri(url) if request else url).rsplit("SLUG", 1)
            self._profile_url_parts = (head, tail)
        return f"{head}{slug}{tail}"


def _iso(day) -> str | None:
    return None if day is None else day.isoformat()


class LeadCitySerializer(serializers.Serializer):
    city = serializers.CharField(source="city.name")
    city_slug = serializers.CharField(source="city.slug")
    country = serializers.CharField(source="city.country.code")
    starts_on = serializers.DateField(allow_null=True)
    ends_on = serializers.DateField(allow_null=True)
    current = serializers.BooleanField(source="is_current")


class CoalitionSerializer(serializers.ModelSerializer):
    parent: serializers.SlugRelatedField = serializers.SlugRelatedField(  # type: ignore[assignment]  # the field, not the serializer's parent
        slug_field="slug", read_only=True, allow_null=True
    )
    member_count = serializers.IntegerField(read_only=True)
    lead_cities = LeadCitySerializer(many=True, read_only=True)
    plan_in_force = serializers.SerializerMethodField()

    class Meta:
        model = Coalition
        fields = [
            "slug",
            "short_name",
            "name",
            "kind",
            "parent",
            "founded_on",
            "founded_precision",
            "founded_place",
            "office_seat",
            "website",
            "description",
            "member_count",
            "lead_cities",
            "plan_in_force",
        ]

    def get_plan_in_force(self, coalition: Coalition) -> int | None:
        """Id of the plan version in force today (plans are prefetched, newest first)."""
        today = timezone.localdate()
        return next((p.pk for p in coalition.plans.all() if p.adopted_on <= today), None)

    def to_representation(self, instance: Coalition) -> dict:
        """What the declared fields give, written directly (as CitySerializer's)."""
        coalition: Any = instance  # member_count: annotated
        return {
            "slug": coalition.slug,
            "short_name": coalition.short_name,
            "name": coalition.name,
            "kind": coalition.kind,
            "parent": coalition.parent.slug if coalition.parent_id else None,
            "founded_on": _iso(coalition.founded_on),
            "founded_precision": coalition.founded_precision,
            "founded_place": coalition.founded_place,
            "office_seat": coalition.office_seat,
            "website": coalition.website,
            "description": coalition.description,
            "member_count": coalition.member_count,
            "lead_cities": [
                {
                    "city": lead.city.name,
                    "city_slug": lead.city.slug,
                    "country": lead.city.country.code,
                    "starts_on": _iso(lead.starts_on),
                    "ends_on": _iso(lead.ends_on),
                    "current": lead.is_current,
                }
                for lead in coalition.lead_cities.all()
            ],
            "plan_in_force": self.get_plan_in_force(coalition),
        }


class CommitmentSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    heading = serializers.CharField()
    title = serializers.CharField()
    summary = serializers.CharField()
    example_actions = serializers.ListField(
        source="example_action_list", child=serializers.CharField()
    )


class PlanSerializer(serializers.ModelSerializer):
    coalition: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    commitments = CommitmentSerializer(many=True, read_only=True)

    class Meta:
        model = PlanOfAction
        fields = [
            "id",
            "coalition",
            "title",
            "adopted_on",
            "adopted_place",
            "introduction",
            "commitments",
        ]


# --- Views -------------------------------------------------------------------


class CityViewSet(viewsets.ReadOnlyModelViewSet):
    """Member cities (members and suspended members), with the directory's filters."""

    schema = OpenDataSchema()
    serializer_class = CitySerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = CityFilter
    pagination_class = Pagination
    lookup_field = "slug"

    def get_queryset(self):
        # CityFilter keeps only public members and orders them (stable: ties by id).
        return City.objects.all()


class CoalitionViewSet(viewsets.ReadOnlyModelViewSet):
    schema = OpenDataSchema()
    serializer_class = CoalitionSerializer
    pagination_class = Pagination
    filter_backends: list = []
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.api_coalitions()


class PlanFilter(django_filters.FilterSet):
    coalition = django_filters.ModelChoiceFilter(
        queryset=Coalition.objects.all(), to_field_name="slug", field_name="coalition"
    )

    class Meta:
        model = PlanOfAction
        fields = ["coalition"]


class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    """Plans of action, every version, each with its numbered commitments."""

    schema = OpenDataSchema()
    serializer_class = PlanSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = PlanFilter
    pagination_class = Pagination

    def get_queryset(self):
        return selectors.api_plans()


class APINotFound(APIView):
    """Any other address under the API: a JSON 404 like the API's own, not an HTML page
    (a slug with a dot, say, matches no route at all)."""

    schema = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # throttled like the rest
        raise NotFound


# --- Exports (streamed, unpaginated) -----------------------------------------


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
