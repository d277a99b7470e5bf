"""The API's read-only viewsets and its JSON 404."""

from __future__ import annotations

import django_filters
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import viewsets
from rest_framework.exceptions import NotFound
from rest_framework.views import APIView

from members import selectors
from members.api.cache import PublicCacheMixin
from members.api.pagination import Pagination
from members.api.serializers import (
    CITY_VALUES,
    CitySerializer,
    CoalitionSerializer,
    PlanSerializer,
    city_rows,
)
from members.api_schema import OpenDataSchema
from members.filters import CityFilter
from members.models import City, Coalition, PlanOfAction


class CityViewSet(PublicCacheMixin, viewsets.ReadOnlyModelViewSet):
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

    def list(self, request, *args, **kwargs):
        return self.cached_answer(self._list, request, *args, **kwargs)

    def _list(self, request, *args, **kwargs):
        """DRF's list, from plain values: what CitySerializer gives each city, written by
        city_rows() from one query for the page and one for its memberships."""
        cities = self.filter_queryset(self.get_queryset()).prefetch_related(None)
        page = self.paginate_queryset(cities.values(*CITY_VALUES))
        rows = city_rows(self.get_serializer(), list(page))
        return self.get_paginated_response(rows)


class CoalitionViewSet(PublicCacheMixin, viewsets.ReadOnlyModelViewSet):
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


class PlanViewSet(PublicCacheMixin, viewsets.ReadOnlyModelViewSet):
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
