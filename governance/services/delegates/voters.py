"""Who votes for each city: read from the certifications themselves, never from the role."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from governance.models import (
    CertificationRole,
    CertificationScope,
    DelegateCertification,
)
from members.models import (
    City,
    Coalition,
    Membership,
    MembershipStatus,
)


@dataclass
class CityVoters:
    """A member city, its delegate in force (if any) and its substitutes in force."""

    city: City
    membership: Membership
    delegate: DelegateCertification | None = None
    substitutes: list[DelegateCertification] = field(default_factory=list)

    @property
    def people(self) -> list:
        return [c.person for c in ([self.delegate] if self.delegate else []) + self.substitutes]


def certified_voters(
    coalition: Coalition, on: dt.datetime | dt.date | None = None, *, city_ids=None
):
    """Per member city of the coalition, who may cast its vote on that day (two queries).

    A delegate certified for one session takes precedence, during it, over the
    standing delegate. Suspended cities are left out: they do not vote. `city_ids`
    restricts the answer to those cities (a ballot asks about one city, not all).
    """
    if on is None:
        day = timezone.localdate()
    elif isinstance(on, dt.datetime):
        day = timezone.localdate(on) if timezone.is_aware(on) else on.date()
    else:
        day = on
    voters = {
        m.city_id: CityVoters(city=m.city, membership=m)
        for m in Membership.objects.filter(coalition=coalition, status=MembershipStatus.MEMBER)
        .filter(**({} if city_ids is None else {"city_id__in": list(city_ids)}))
        .select_related("city")
        .order_by("city__name", "city_id")
    }
    certifications = (
        DelegateCertification.objects.in_force(day)
        .filter(coalition=coalition, city_id__in=voters)
        .select_related("person")
        .order_by("city_id", "role", "valid_from", "id")
    )
    for certification in certifications:
        entry = voters[certification.city_id]
        if certification.role == CertificationRole.SUBSTITUTE:
            entry.substitutes.append(certification)
        elif entry.delegate is None or certification.scope == CertificationScope.SESSION:
            entry.delegate = certification
    return list(voters.values())
