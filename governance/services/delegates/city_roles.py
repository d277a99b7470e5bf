"""The city roles the bureau appoints in the portal, and their end."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from coalition import audit
from governance.models import (
    CertificationStatus,
    DelegateCertification,
)
from governance.services.common import GovernanceError
from members import services as members_services
from members.models import (
    CITY_ROLES,
    PUBLIC_STATUSES,
    City,
    Coalition,
    Membership,
    Role,
)

from .shared import _date


def _check_city_of_coalition(city: City, coalition: Coalition) -> None:
    if not Membership.objects.filter(
        city=city, coalition=coalition, status__in=PUBLIC_STATUSES
    ).exists():
        raise GovernanceError(
            _("%(city)s is not a member city of %(coalition)s.")
            % {"city": city.name, "coalition": coalition.short_name},
            field="city",
        )


@transaction.atomic
def appoint_city_role(
    *,
    actor,
    coalition: Coalition,
    city: City,
    user,
    kind: str,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
) -> Role:
    """The bureau of a coalition names a coordinator or a delegate of one of its member cities.

    A delegate role alone does not carry the city's vote: a validated certification does.
    """
    if kind not in CITY_ROLES:
        raise GovernanceError(_("The bureau appoints only city coordinators and delegates."))
    _check_city_of_coalition(city, coalition)
    if ends_on is not None and ends_on < starts_on:
        raise GovernanceError(_("The role cannot end before it starts."), field="ends_on")
    if (
        Role.objects.filter(user=user, kind=kind, city=city)
        .exclude(ends_on__lt=starts_on)
        .exclude(starts_on__gt=ends_on or dt.date.max)
        .exists()
    ):
        raise GovernanceError(
            _("%(person)s already holds this role for %(city)s on these dates.")
            % {"person": user.email, "city": city.name},
            field="email",
        )
    role = members_services.grant_role(
        actor=actor, user=user, kind=kind, city=city, starts_on=starts_on, ends_on=ends_on
    )
    audit.record(
        actor=actor,
        target=role,
        verb="role.appointed_by_bureau",
        to_state=kind,
        data={"coalition": coalition.pk, "city": city.pk, "user": user.pk},
    )
    return role


@transaction.atomic
def end_city_role(*, actor, role: Role, ends_on: dt.date, reason: str) -> Role:
    """End a coordinator's or delegate's role on `ends_on` (its last day), with a reason."""
    if role.kind not in CITY_ROLES:
        raise GovernanceError(_("The bureau ends only city coordinators and delegates."))
    if not reason.strip():
        raise GovernanceError(_("Give the reason for ending the role."), field="reason")
    if ends_on < role.starts_on:
        raise GovernanceError(
            _("The role started on %(date)s; it cannot end before.")
            % {"date": _date(role.starts_on)},
            field="ends_on",
        )
    certified = DelegateCertification.objects.filter(
        granted_role=role, status=CertificationStatus.VALIDATED
    ).first()
    if certified is not None and certified.is_open:
        raise GovernanceError(
            _("This role comes from a delegate certification: revoke the certification instead.")
        )
    return members_services.end_role(actor=actor, role=role, ends_on=ends_on, reason=reason.strip())
