"""The open-data API (read-only): cities, coalitions, plans of action, and the exports.

One module per concept:
- `pagination`: The API's page-number pagination, with its bounds checked (a page past the end, or
  not a number, is a 400 that names the valid range).
- `serializers`: The API's serializers: cities with their memberships, coalitions with their lead
  cities, plans of action; the lists' representations are written by hand, tested equal to
  DRF's own output.
- `views`: The API's read-only viewsets and its JSON 404.
- `cache`: The API's cache: each public list and detail answer rendered once per version,
  language and query (PublicCacheMixin on the viewsets).
- `exports`: The exports, streamed and unpaginated: the members as CSV (the import's columns) and as
  GeoJSON.
"""

from __future__ import annotations

from members.api.exports import (  # noqa: F401
    CSV_DESCRIPTION,
    EXPORT_PARAMETERS,
    GEOJSON_DESCRIPTION,
    CityCSVExport,
    CityGeoJSONExport,
    csv_rows,
    geojson_chunks,
    geojson_feature,
)
from members.api.pagination import (  # noqa: F401
    Pagination,
)
from members.api.serializers import (  # noqa: F401
    CitySerializer,
    CoalitionSerializer,
    CommitmentSerializer,
    LeadCitySerializer,
    MembershipSerializer,
    PlanSerializer,
)
from members.api.views import (  # noqa: F401
    APINotFound,
    CityViewSet,
    CoalitionViewSet,
    PlanFilter,
    PlanViewSet,
)
