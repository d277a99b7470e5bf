"""The API's serializers: cities with their memberships, coalitions with their lead cities, plans
of action; the lists' representations are written by hand, tested equal to DRF's own output.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from rest_framework import serializers

from members.models import City, Coalition, Membership, PlanOfAction

#: The city columns a list answer needs, read as plain values (city_rows()).
CITY_VALUES = (
    "id",
    "slug",
    "name",
    "local_name",
    "country",
    "region",
    "population",
    "latitude",
    "longitude",
    "website",
)


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
            "country_name": self._country_name(city.country),
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

    def _country_name(self, country) -> str:
        """The country's name in the active language, translated once per country and page
        (django-countries looks the name up and translates it on every access)."""
        names = self.__dict__.setdefault("_country_names", {})
        name = names.get(country.code)
        if name is None:
            name = names[country.code] = str(country.name)
        return name

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


def city_rows(serializer: CitySerializer, cities: list[dict]) -> list[dict]:
    """What `serializer.to_representation` gives for each city, from plain values: `cities` are
    rows of CITY_VALUES, and their public memberships are read here in one query (a page of
    model instances, their memberships and coalitions prefetched, cost more than the JSON).
    tests/members/test_api_cache.py holds the list answers to the serializer's."""
    memberships: dict[int, list[dict]] = {city["id"]: [] for city in cities}
    rows = (
        Membership.objects.public()
        .filter(city_id__in=memberships)
        .order_by("coalition__short_name", "id")
        .values_list(
            "city_id",
            "coalition__slug",
            "coalition__short_name",
            "status",
            "signed_on",
            "report_overdue_since",
        )
    )
    for city_id, slug, short_name, status, signed_on, overdue_since in rows:
        memberships[city_id].append(
            {
                "coalition": slug,
                "coalition_short_name": short_name,
                "status": status,
                "joined_on": _iso(signed_on),
                "report_overdue_since": _iso(overdue_since),
            }
        )
    countries = City._meta.get_field("country").countries
    names: dict[str, str] = {}
    out = []
    for city in cities:
        code = city["country"]
        name = names.get(code)
        if name is None:
            name = names[code] = str(countries.name(code))
        latitude, longitude = city["latitude"], city["longitude"]
        out.append(
            {
                "slug": city["slug"],
                "name": city["name"],
                "local_name": city["local_name"],
                "country": code,
                "country_name": name,
                "region": city["region"],
                "population": city["population"],
                "latitude": None if latitude is None else float(latitude),
                "longitude": None if longitude is None else float(longitude),
                "website": city["website"],
                "profile_url": serializer._profile_url(city["slug"]),
                "memberships": memberships[city["id"]],
            }
        )
    return out


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
