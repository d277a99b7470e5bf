"""Who a signed-in person is: their roles, the cities they coordinate, the coalitions they staff."""

from __future__ import annotations

from dataclasses import dataclass, field

from coalition.request_cache import per_request
from members.models import (
    City,
    Coalition,
    Role,
    RoleKind,
)


@dataclass(frozen=True)
class UserRoles:
    """What a signed-in person currently is, for navigation and access checks."""

    coordinator_of: frozenset[int] = field(default_factory=frozenset)  # city ids
    delegate_of: frozenset[int] = field(default_factory=frozenset)  # city ids
    bureau_of: frozenset[int] = field(default_factory=frozenset)  # coalition ids
    secretariat_of: frozenset[int] = field(default_factory=frozenset)  # coalition ids
    is_admin: bool = False

    @property
    def is_staff_role(self) -> bool:
        return bool(self.bureau_of or self.secretariat_of or self.is_admin)


def roles_for(user) -> UserRoles:
    """The person's current roles, in one query, once per request (coalition.request_cache)."""
    if not getattr(user, "is_authenticated", False):
        return UserRoles()
    return per_request(user, "members.roles", lambda: _read_roles(user))


def _read_roles(user) -> UserRoles:
    by_kind: dict[str, set[int]] = {k: set() for k in RoleKind.values}
    for kind, city_id, coalition_id in (
        Role.objects.current().filter(user=user).values_list("kind", "city_id", "coalition_id")
    ):
        by_kind[kind].add(city_id or coalition_id)
    return UserRoles(
        coordinator_of=frozenset(by_kind[RoleKind.COORDINATOR]),
        delegate_of=frozenset(by_kind[RoleKind.DELEGATE]),
        bureau_of=frozenset(by_kind[RoleKind.BUREAU]),
        secretariat_of=frozenset(by_kind[RoleKind.SECRETARIAT]),
        is_admin=bool(user.is_superuser),
    )


def cities_coordinated_by(user):
    return City.objects.filter(pk__in=roles_for(user).coordinator_of).order_by("name")


def coalitions_staffed_by(user):
    roles = roles_for(user)
    return Coalition.objects.filter(pk__in=roles.bureau_of | roles.secretariat_of)
