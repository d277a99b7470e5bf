"""Reads of the members app. Each owns its joins so a page costs a fixed number of queries.

One module per concept (docs/architecture.md: a module past ~500 lines becomes a package):
roles, home (figures and dashboard panels), directory (with the map and the export), pages
(a city's, the coalitions'), api. Callers keep importing from `members.selectors`; a test
that changes a module's setting patches that module (`members.selectors.directory`).
"""

from .api import api_cities, api_coalitions, api_plans
from .directory import (
    DIRECTORY_CHOICES_SECONDS,
    DIRECTORY_PAGE_SIZE,
    MAP_ALL_LIMIT,
    NOT_ADMITTED,
    SORTS,
    DirectoryMembership,
    DirectoryRow,
    directory_changed,
    directory_choices,
    directory_cities,
    directory_page,
    export_memberships,
    map_points,
    matching_memberships,
    public_cities,
)
from .home import dashboard_panels, home_figures
from .pages import (
    COALITION_PAGE_MEMBERS,
    coalition_members_summary,
    coalition_page,
    coalitions_for_listing,
    coalitions_for_pages,
    public_city,
    public_membership_history,
    with_network_member_counts,
)
from .roles import UserRoles, cities_coordinated_by, coalitions_staffed_by, roles_for

__all__ = [
    "COALITION_PAGE_MEMBERS",
    "DIRECTORY_CHOICES_SECONDS",
    "DIRECTORY_PAGE_SIZE",
    "MAP_ALL_LIMIT",
    "NOT_ADMITTED",
    "SORTS",
    "DirectoryMembership",
    "DirectoryRow",
    "UserRoles",
    "api_cities",
    "api_coalitions",
    "api_plans",
    "cities_coordinated_by",
    "coalition_members_summary",
    "coalition_page",
    "coalitions_for_listing",
    "coalitions_for_pages",
    "coalitions_staffed_by",
    "dashboard_panels",
    "directory_changed",
    "directory_choices",
    "directory_cities",
    "directory_page",
    "export_memberships",
    "home_figures",
    "map_points",
    "matching_memberships",
    "public_cities",
    "public_city",
    "public_membership_history",
    "roles_for",
    "with_network_member_counts",
]
