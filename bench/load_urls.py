"""The portal's URLs and the two floors bench/load.py compares every page with.

- /bench/bare: a constant answer through the full middleware stack (what the framework costs).
- /bench/floor: the directory's first 50 public member cities from one query, through a minimal
  template (what the directory's content costs without the portal's layout and features).
"""

from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

FLOOR = engines["django"].from_string(
    "<!doctype html><html lang=en><title>floor</title><ul>"
    "{% for c in cities %}<li><a href=/cities/{{ c.slug }}/>{{ c.name }}</a> {{ c.country }}"
    "{% endfor %}</ul>"
)


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


def floor(request):
    from members.models import City

    cities = (
        City.objects.filter(memberships__status__in=["member", "suspended"])
        .distinct()
        .order_by("name")
        .values("name", "slug", "country")[:50]
    )
    return HttpResponse(FLOOR.render({"cities": list(cities)}))


urlpatterns = [
    path("bench/bare", bare),
    path("bench/floor", floor),
    path("", include("coalition.urls")),
]
