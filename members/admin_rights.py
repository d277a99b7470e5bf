"""What a person may do in Django's admin, derived from their current roles.

Admin rights are never stored: a bureau or secretariat role gives the rights in
STAFF_ADMIN_ACTIONS for the coalition it names, from its first day to its last, and an
ended role ends them. Superusers (administrators) are not limited by this module.

Cities and city roles belong to the coalitions the city is in. A city that is a member
of another coalition too is corrected by administrators (or by staff of every one of its
coalitions), so that no coalition's staff reach, through a shared city, into the reports
and roles of another.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from members.models import (
    CITY_ROLES,
    COALITION_ROLES,
    CURRENT_STATUSES,
    PUBLIC_STATUSES,
    City,
    Membership,
    Role,
    RoleKind,
)
from members.selectors import roles_for

#: Per staff role, per app: the admin actions it allows within its coalition. Nobody but a
#: superuser deletes anything in the admin; "change" includes "view".
STAFF_ADMIN_ACTIONS: dict[str, dict[str, frozenset[str]]] = {
    RoleKind.BUREAU: {
        "members": frozenset({"view", "add", "change"}),
        "governance": frozenset({"view", "add", "change"}),
    },
    RoleKind.SECRETARIAT: {
        "members": frozenset({"view"}),
        "reporting": frozenset({"view", "change"}),
    },
}


def has_admin_access(user) -> bool:
    """Whether the person may open the admin at all: superusers and current staff roles."""
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return False
    if user.is_superuser:
        return True
    roles = roles_for(user)
    return bool(roles.bureau_of or roles.secretariat_of)


def admin_coalitions(user, app_label: str, action: str) -> frozenset[int]:
    """The coalitions where the person's current roles allow `action` on `app_label`'s models."""
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return frozenset()
    roles = roles_for(user)
    held = {RoleKind.BUREAU: roles.bureau_of, RoleKind.SECRETARIAT: roles.secretariat_of}
    ids: set[int] = set()
    for kind, coalition_ids in held.items():
        actions = STAFF_ADMIN_ACTIONS[kind].get(app_label, frozenset())
        if action in actions or (action == "view" and "change" in actions):
            ids |= coalition_ids
    return frozenset(ids)


def _member_elsewhere(coalition_ids: Iterable[int]):
    """A city is (or is suspended as) a member of a coalition outside `coalition_ids`."""
    return Exists(
        Membership.objects.filter(city=OuterRef("pk"), status__in=PUBLIC_STATUSES).exclude(
            coalition_id__in=coalition_ids
        )
    )


def cities_seen_by(coalition_ids: Iterable[int], queryset: QuerySet | None = None) -> QuerySet:
    """Cities with a membership (of any status) in these coalitions, and cities in none."""
    coalition_ids = list(coalition_ids)
    queryset = City.objects.all() if queryset is None else queryset
    return queryset.filter(
        Exists(Membership.objects.filter(city=OuterRef("pk"), coalition_id__in=coalition_ids))
        | ~Exists(Membership.objects.filter(city=OuterRef("pk")))
    )


def cities_managed_by(coalition_ids: Iterable[int], queryset: QuerySet | None = None) -> QuerySet:
    """Cities these coalitions' staff may correct: seen by them, a member of no other."""
    coalition_ids = list(coalition_ids)
    return cities_seen_by(coalition_ids, queryset).filter(~_member_elsewhere(coalition_ids))


def roles_seen_by(coalition_ids: Iterable[int], queryset: QuerySet | None = None) -> QuerySet:
    """Staff roles in these coalitions and the roles of the cities their staff see."""
    coalition_ids = list(coalition_ids)
    queryset = Role.objects.all() if queryset is None else queryset
    city_here = Exists(
        Membership.objects.filter(city=OuterRef("city"), coalition_id__in=coalition_ids)
    )
    return queryset.filter(Q(coalition_id__in=coalition_ids) | city_here)


def roles_managed_by(user, queryset: QuerySet | None = None) -> QuerySet:
    """The roles of others the person could grant, so may correct or end (see check_role_grant)."""
    queryset = Role.objects.all() if queryset is None else queryset
    if user.is_superuser:
        return queryset
    ids = admin_coalitions(user, "members", "add")
    roles = roles_for(user)
    held = {RoleKind.BUREAU: roles.bureau_of, RoleKind.SECRETARIAT: roles.secretariat_of}
    coalition_roles = Q(pk__in=[])
    for kind, coalition_ids in held.items():
        coalition_roles |= Q(kind=kind, coalition_id__in=coalition_ids & ids)
    city_roles = Q(kind__in=CITY_ROLES, city__in=_cities_for_city_roles(ids))
    return queryset.filter(coalition_roles | city_roles).exclude(user=user)


def _cities_for_city_roles(coalition_ids: frozenset[int]) -> QuerySet:
    """Cities whose coordinators and delegates these coalitions' staff appoint."""
    current_here = Exists(
        Membership.objects.filter(
            city=OuterRef("pk"), coalition_id__in=coalition_ids, status__in=CURRENT_STATUSES
        )
    )
    return cities_managed_by(coalition_ids).filter(current_here)


class RoleGrantRefused(Exception):
    """A role the person may not grant; `field` names the form field the reason belongs to."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


def check_role_grant(*, actor, user, kind: str, city=None, coalition=None) -> None:
    """Refuse a role the actor may not give: their own, one they do not hold, one above theirs.

    Staff grant only roles they hold themselves, in their own coalition (a bureau
    member another bureau role of her coalition), and the roles below theirs: the
    coordinator and delegate of a city of their coalition. Nobody grants or changes
    their own roles. Superusers may grant every role.
    """
    if actor.is_superuser:
        return
    if user is not None and user.pk == actor.pk:
        raise RoleGrantRefused(
            _("Nobody grants or changes their own roles: ask another member of staff."), "user"
        )
    ids = admin_coalitions(actor, "members", "add")
    if kind in COALITION_ROLES:
        roles = roles_for(actor)
        held = roles.bureau_of if kind == RoleKind.BUREAU else roles.secretariat_of
        if coalition is None or coalition.pk not in (held & ids):
            raise RoleGrantRefused(
                _("You can only grant a staff role that you hold, in your own coalition."),
                "kind",
            )
    elif kind in CITY_ROLES and (
        city is None or not _cities_for_city_roles(ids).filter(pk=city.pk).exists()
    ):
        raise RoleGrantRefused(
            _(
                "You can only grant this role for a city of your coalition that is "
                "a member of no other coalition."
            ),
            "city",
        )


def may_admit(user, city) -> bool:
    """Whether the person may record `city` as a member in the admin, not only as an applicant.

    A city that is a member of another coalition may apply to join the person's
    coalition (any staff may record the application), but becomes a member only
    through the steering committee's vote, or an administrator's correction: staff
    of one coalition never make a city shared, which would take its data and roles
    out of the other coalition's hands (see cities_managed_by).
    """
    if user.is_superuser or city is None or city.pk is None:
        return True
    coalitions = admin_coalitions(user, "members", "change")
    return cities_managed_by(coalitions).filter(pk=city.pk).exists()
