"""Member cities require an extraordinary assembly: the share of them that suffices, and the
bureau's deadline to convene it."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition import audit, mail
from governance import rules
from governance.models import (
    ExtraordinaryRequest,
    StatuteProfile,
)
from governance.notifications import notify
from governance.services.common import GovernanceError, bureau_emails
from governance.services.delegates import is_coordinator_of
from members.models import PUBLIC_STATUSES, City, Coalition, Membership


@dataclass(frozen=True)
class ExtraordinaryStatus:
    members: int
    share: str
    required: int
    open_requests: int
    convene_by: dt.date | None

    @property
    def reached(self) -> bool:
        return self.open_requests >= self.required


def extraordinary_status(coalition: Coalition) -> ExtraordinaryStatus:
    profile = StatuteProfile.current_for(coalition)
    members = Membership.objects.filter(coalition=coalition, status__in=PUBLIC_STATUSES).count()
    share = rules.parse_share(profile.extraordinary_request_share or "1/10")
    required = max(1, math.ceil(share * members))
    open_requests = ExtraordinaryRequest.objects.filter(coalition=coalition, closed_at__isnull=True)
    convene_by = (
        open_requests.exclude(convene_by=None).order_by("convene_by").values_list(
            "convene_by", flat=True
        ).first()
    )  # fmt: skip
    return ExtraordinaryStatus(
        members=members,
        share=profile.extraordinary_request_share,
        required=required,
        open_requests=open_requests.count(),
        convene_by=convene_by,
    )


@transaction.atomic
def request_extraordinary_assembly(
    *, actor, coalition: Coalition, city: City, reason: str
) -> ExtraordinaryRequest:
    """A member city's coordinator requires an extraordinary General Assembly.

    When the open requests reach the statute's share of member cities, the bureau is told
    and the day it must convene by is recorded on every open request.
    """
    if not is_coordinator_of(actor, city):
        raise GovernanceError(_("Only a coordinator of %(city)s may ask.") % {"city": city.name})
    # Serialise the requests of one coalition: the threshold is crossed exactly once.
    Coalition.objects.select_for_update().filter(pk=coalition.pk).first()
    if not Membership.objects.filter(
        city=city, coalition=coalition, status__in=PUBLIC_STATUSES
    ).exists():
        raise GovernanceError(
            _("%(city)s is not a member of %(coalition)s.")
            % {"city": city.name, "coalition": coalition.short_name}
        )
    if not reason.strip():
        raise GovernanceError(_("Give the purpose and the reasons."), field="reason")
    before = extraordinary_status(coalition)
    try:
        with transaction.atomic():
            request = ExtraordinaryRequest.objects.create(
                coalition=coalition, city=city, requested_by=actor, reason=reason.strip()
            )
    except IntegrityError as exc:
        raise GovernanceError(
            _("%(city)s has already asked; the request is open.") % {"city": city.name}
        ) from exc
    audit.record(
        actor=actor,
        target=request,
        verb="extraordinary.requested",
        message=request.reason,
        data={"coalition": coalition.pk, "city": city.pk},
    )
    after = extraordinary_status(coalition)
    if after.reached and not before.reached:
        profile = StatuteProfile.current_for(coalition)
        now = timezone.now()
        convene_by = timezone.localdate(now) + dt.timedelta(days=profile.extraordinary_convene_days)
        ExtraordinaryRequest.objects.filter(coalition=coalition, closed_at__isnull=True).update(
            threshold_reached_at=now, convene_by=convene_by
        )
        audit.record(
            actor=actor,
            target=request,
            verb="extraordinary.threshold_reached",
            data={
                "requests": after.open_requests,
                "required": after.required,
                "members": after.members,
                "convene_by": convene_by.isoformat(),
            },
        )
        notify(
            "extraordinary-threshold",
            to=bureau_emails(coalition),
            context={
                "coalition": coalition,
                "status": after,
                "convene_by": convene_by,
                "sessions_url": mail.absolute_url(reverse("governance:session_list")),
            },
        )
        request.refresh_from_db()
    return request
