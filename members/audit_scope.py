"""How the audit log ties an event about one of this app's objects to a coalition and a city.

Each entry maps a model to the lookup (or lookups), from that model, of a coalition's (or a
city's) id;
`coalition.audit_log` reads these through settings.AUDIT_SCOPES and turns them into
subqueries, so the log needs no coalition column (its rows are append-only and
hash-chained: none is updated to add one). A model missing here is seen by administrators
only.
"""

from __future__ import annotations

from members.models import City, Coalition, LeadCity, Membership, PlanOfAction, Role

COALITION_PATHS = {
    Coalition: "pk",
    # A city belongs to every coalition it has a membership of.
    City: "memberships__coalition_id",
    LeadCity: "coalition_id",
    PlanOfAction: "coalition_id",
    Membership: "coalition_id",
    # A coalition role names its coalition; a city role, its city's coalitions.
    Role: ("coalition_id", "city__memberships__coalition_id"),
}

CITY_PATHS = {
    City: "pk",
    LeadCity: "city_id",
    Membership: "city_id",
    Role: "city_id",
}
