"""Admin for the members app. Every important change goes through members.services:
a membership's status only moves through change_membership_status (which records
its history), cities, memberships and roles are created and corrected by services
that write the audit log. Coalitions and plans are reference data edited here
directly; AuditedModelAdmin writes those edits to the audit log.

What staff see and change follows their current roles (coalition.admin_access,
members.admin_rights): their coalition's rows only, and the cities and roles of cities
that are members of no other coalition.

One module per concept: coalitions and plans, cities and the import, memberships, roles.
"""

from members.admin import cities, coalitions, memberships, roles

__all__ = ["cities", "coalitions", "memberships", "roles"]
