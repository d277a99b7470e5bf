"""Cities, coalitions, plans of action, memberships and people's roles.

Everything a later decision changes keeps its history: membership status
changes are rows of MembershipStatusChange, lead cities and roles carry dates
and are ended rather than deleted.

One module per concept (docs/architecture.md: a module past ~500 lines becomes a package);
everything is importable from `members.models` as before.
"""

from .cities import City, CityQuerySet, LeadCity
from .coalitions import (
    Coalition,
    CoalitionKind,
    CoalitionQuerySet,
    Commitment,
    DatePrecision,
    PlanOfAction,
    ancestor_ids,
    descendant_ids,
)
from .memberships import (
    CURRENT_STATUSES,
    PUBLIC_STATUSES,
    ChosenAction,
    Membership,
    MembershipQuerySet,
    MembershipStatus,
    MembershipStatusChange,
)
from .roles import CITY_ROLES, COALITION_ROLES, STAFF_ROLES, Role, RoleKind, RoleQuerySet
from .search import (
    SEARCH_NAME_DELIMITER,
    SEARCH_NAME_LENGTH,
    search_fold,
    search_key,
    search_spellings,
)

__all__ = [
    "CITY_ROLES",
    "COALITION_ROLES",
    "CURRENT_STATUSES",
    "ChosenAction",
    "City",
    "CityQuerySet",
    "Coalition",
    "CoalitionKind",
    "CoalitionQuerySet",
    "Commitment",
    "DatePrecision",
    "LeadCity",
    "Membership",
    "MembershipQuerySet",
    "MembershipStatus",
    "MembershipStatusChange",
    "PUBLIC_STATUSES",
    "PlanOfAction",
    "Role",
    "RoleKind",
    "RoleQuerySet",
    "SEARCH_NAME_DELIMITER",
    "SEARCH_NAME_LENGTH",
    "STAFF_ROLES",
    "ancestor_ids",
    "descendant_ids",
    "search_fold",
    "search_key",
    "search_spellings",
]
