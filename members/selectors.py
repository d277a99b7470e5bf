"""Reads of the members app. Each owns its joins so a page costs a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from members.models import City, Coalition, Role, RoleKind


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
    """The person's current roles, in one query. Cached on the user object per request."""
    if not getattr(user, "is_authenticated", False):
        return UserRoles()
    cached = getattr(user, "_coalition_roles", None)
    if cached is not None:
        return cached
    by_kind: dict[str, set[int]] = {k: set() for k in RoleKind.values}
    for kind, city_id, coalition_id in (
        Role.objects.current().filter(user=user).values_list("kind", "city_id", "coalition_id")
    ):
        by_kind[kind].add(city_id or coalition_id)
    roles = UserRoles(
        coordinator_of=frozenset(by_kind[RoleKind.COORDINATOR]),
        delegate_of=frozenset(by_kind[RoleKind.DELEGATE]),
        bureau_of=frozenset(by_kind[RoleKind.BUREAU]),
        secretariat_of=frozenset(by_kind[RoleKind.SECRETARIAT]),
        is_admin=bool(user.is_superuser),
    )
    user._coalition_roles = roles
    return roles


def cities_coordinated_by(user):
    return City.objects.filter(pk__in=roles_for(user).coordinator_of).order_by("name")


def coalitions_staffed_by(user):
    roles = roles_for(user)
    return Coalition.objects.filter(pk__in=roles.bureau_of | roles.secretariat_of)


def home_figures() -> dict:
    """Live figures and lists for the home page, in a fixed number of queries."""
    from django.db.models import Count, Q  # noqa: PLC0415

    from members.models import PUBLIC_STATUSES, Membership  # noqa: PLC0415

    public = Membership.objects.filter(status__in=PUBLIC_STATUSES)
    figures = public.aggregate(
        cities=Count("city", distinct=True), countries=Count("city__country", distinct=True)
    )
    coalitions = list(
        Coalition.objects.for_public_display().annotate(
            member_count=Count("memberships", filter=Q(memberships__status__in=PUBLIC_STATUSES))
        )
    )
    recent = list(
        public.filter(signed_on__isnull=False)
        .select_related("city", "coalition")
        .order_by("-signed_on", "-id")[:6]
    )
    return {
        "figures": {
            "cities": figures["cities"],
            "countries": figures["countries"],
            "coalitions": len(coalitions),
        },
        "coalitions": coalitions,
        "recent_memberships": recent,
    }


def dashboard_panels(user) -> list[dict]:
    """Panels for the personal dashboard, one per city or coalition role."""
    roles = (
        Role.objects.current()
        .filter(user=user)
        .select_related("city", "coalition")
        .order_by("kind", "city__name")
    )
    return [
        {
            "title": role.get_kind_display(),
            "body": str(role.city or role.coalition),
            "items": [
                {
                    "label": str(role.city or role.coalition),
                    "url": (role.city or role.coalition).get_absolute_url(),
                }
            ],
        }
        for role in roles
    ]
