"""Who speaks for a city: its coordinators, and how many substitutes the coalition allows."""

from __future__ import annotations

from django.conf import settings

from governance.models import (
    StatuteProfile,
)
from members.models import (
    City,
    Coalition,
    Role,
    RoleKind,
)


def substitutes_allowed(coalition: Coalition) -> int:
    """How many substitutes a city may have in force beside its delegate in this coalition.

    The coalition's statute profile says so once the bureau has saved one; until then the
    deployment's DELEGATE_SUBSTITUTES_ALLOWED applies (German law says nothing of substitutes).
    """
    profile = StatuteProfile.current_for(coalition)
    if not profile.is_default:
        return profile.substitutes_per_city
    return int(getattr(settings, "DELEGATE_SUBSTITUTES_ALLOWED", 2))


def coordinators_of(city: City) -> list[str]:
    return list(
        Role.objects.current()
        .filter(kind=RoleKind.COORDINATOR, city=city)
        .values_list("user__email", flat=True)
    )


def is_coordinator_of(user, city: City) -> bool:
    return Role.objects.current().filter(kind=RoleKind.COORDINATOR, city=city, user=user).exists()
