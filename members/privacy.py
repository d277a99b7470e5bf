"""What the members app holds about a person (their roles), and ending them when they leave.

Called by coalition.privacy (see its docstring for the contract).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from members import services
from members.models import Role, RoleKind


def personal_data(user) -> dict[str, list[dict]]:
    roles = Role.objects.filter(user=user).select_related("city", "coalition")
    return {
        "roles": [
            {
                "role": role.kind,
                "city": role.city.name if role.city else None,
                "coalition": role.coalition.short_name if role.coalition else None,
                "starts_on": role.starts_on.isoformat(),
                "ends_on": role.ends_on.isoformat() if role.ends_on else None,
                "contact_public": role.contact_public,
            }
            for role in roles.order_by("starts_on", "pk")
        ]
    }


def _open_roles(user):
    """Roles current today or starting later: the ones closing the account ends."""
    today = timezone.localdate()
    return (
        Role.objects.filter(user=user)
        .exclude(ends_on__lt=today)
        .select_related("city", "coalition")
        .order_by("starts_on", "pk")
    )


def closing_consequences(user) -> list[str]:
    """A role nobody else holds in the same city or coalition is left empty: say so."""
    messages = []
    for role in _open_roles(user):
        scope = {"city_id": role.city_id} if role.city_id else {"coalition_id": role.coalition_id}
        others = Role.objects.current().filter(kind=role.kind, **scope).exclude(user=user)
        if others.exists():
            continue
        place = role.city.name if role.city else role.coalition.short_name
        if role.kind == RoleKind.COORDINATOR:
            messages.append(
                _(
                    "You are the only coordinator of %(place)s. Until the bureau names a new "
                    "one, nobody can file the city's report or receive its reminders."
                )
                % {"place": place}
            )
        elif role.kind == RoleKind.DELEGATE:
            messages.append(
                _(
                    "You are the only delegate of %(place)s. Until the city names a new one, "
                    "nobody can cast its vote."
                )
                % {"place": place}
            )
        else:
            messages.append(
                _(
                    "You are the only %(role)s of %(place)s. Ask an administrator to name "
                    "someone before you leave."
                )
                % {"role": role.get_kind_display().lower(), "place": place}
            )
    return messages


def release_account(*, actor, user) -> None:
    """End every open role through the role service, as of the day before: the closed
    account leaves every current list (coordinators' emails, public contacts) at once.
    A role that starts today or later ends on its first day."""
    day_before = timezone.localdate() - dt.timedelta(days=1)
    for role in _open_roles(user):
        services.end_role(actor=actor, role=role, ends_on=max(role.starts_on, day_before))
