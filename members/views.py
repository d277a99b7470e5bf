"""Public pages of the members app: coalitions, the city directory and city profiles."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from members.models import PUBLIC_STATUSES, City, Coalition


def coalition_list(request: HttpRequest) -> HttpResponse:
    coalitions = Coalition.objects.for_public_display()
    return render(request, "members/coalition_list.html", {"coalitions": coalitions})


def coalition_detail(request: HttpRequest, slug: str) -> HttpResponse:
    coalition = get_object_or_404(Coalition, slug=slug)
    return render(request, "members/coalition_detail.html", {"coalition": coalition})


def city_list(request: HttpRequest) -> HttpResponse:
    cities = City.objects.filter(memberships__status__in=PUBLIC_STATUSES).distinct()
    return render(request, "members/city_list.html", {"cities": cities})


def city_detail(request: HttpRequest, slug: str) -> HttpResponse:
    city = get_object_or_404(
        City.objects.filter(memberships__status__in=PUBLIC_STATUSES).distinct(), slug=slug
    )
    return render(request, "members/city_detail.html", {"city": city})
