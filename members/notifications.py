"""Emails to a city about decisions on its memberships (suspension, reinstatement, withdrawal).

Queued in the outbox with the change, each in its recipient's language (coalition.mail);
also listed on the recipients' dashboards (coalition.inbox).
"""

from __future__ import annotations

import datetime as dt

from coalition.mail import absolute_url, send_templated
from members.models import CITY_ROLES, Membership, MembershipStatus, Role


def city_contact_emails(city_id: int) -> list[str]:
    """The addresses of the city's current coordinators and delegates."""
    return sorted(
        set(
            Role.objects.current()
            .filter(kind__in=CITY_ROLES, city_id=city_id)
            .values_list("user__email", flat=True)
        )
    )


def notify_membership_change(
    membership: Membership, *, from_status: str, reason: str, effective_on: dt.date
) -> None:
    """Tell the city that its membership changed, why, and from when."""
    send_templated(
        "membership-changed",
        to=city_contact_emails(membership.city_id),
        context={
            "membership": membership,
            "city": membership.city,
            "coalition": membership.coalition,
            "from_status": from_status,
            "from_label": MembershipStatus(from_status).label,
            "reason": reason,
            "effective_on": effective_on,
            "url": absolute_url(membership.city.get_absolute_url()),
        },
    )
