from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from members import api, views

app_name = "members"

router = DefaultRouter()
router.register("cities", api.CityViewSet, basename="api-city")
router.register("coalitions", api.CoalitionViewSet, basename="api-coalition")
router.register("plans", api.PlanViewSet, basename="api-plan")


class APIDocsView(SpectacularSwaggerSplitView):
    """Swagger UI served from drf-spectacular-sidecar's static files, its script in a file:
    the page needs no CDN and no exemption from the Content-Security-Policy."""

    template_name = "members/api_docs.html"
    url_name = "members:api_schema"


urlpatterns = [
    path("coalitions/", views.coalition_list, name="coalition_list"),
    path("coalitions/<slug:slug>/", views.coalition_detail, name="coalition_detail"),
    path("cities/", views.city_list, name="city_list"),
    path("cities/<slug:slug>/", views.city_detail, name="city_detail"),
    # Open data. The exports come before the router, whose format suffixes would take them.
    path("api/v1/cities.csv", api.CityCSVExport.as_view(), name="api_city_export_csv"),
    path("api/v1/cities.geojson", api.CityGeoJSONExport.as_view(), name="api_city_export_geojson"),
    path("api/v1/", include(router.urls)),
    re_path(r"^api/v1/", api.APINotFound.as_view()),  # after every API route
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("api/docs/", APIDocsView.as_view(), name="api_docs"),
]
