"""The querysets behind the open-data API."""

from __future__ import annotations

from django.db.models import Prefetch

from members.models import (
    City,
    LeadCity,
    PlanOfAction,
)

from .directory import _public_memberships_prefetch, matching_memberships
from .pages import coalitions_for_listing


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
