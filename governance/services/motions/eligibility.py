"""Who acts on motions, and by when: the bureau, the committee, a member city's speakers; the
deadlines the session's statute sets for motions and amendments."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import cast

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from governance import convocations
from governance.models import (
    AssemblySession,
    CommitteeSeat,
    StatuteProfile,
)
from governance.services.common import GovernanceError
from members.models import PUBLIC_STATUSES, City, Membership, Role, RoleKind


def is_bureau_of(actor, coalition_id: int) -> bool:
    if getattr(actor, "is_superuser", False):
        return True
    return (
        Role.objects.current()
        .filter(kind=RoleKind.BUREAU, coalition_id=coalition_id, user=actor)
        .exists()
    )


def is_committee_of(actor, coalition_id: int) -> bool:
    return (
        CommitteeSeat.objects.current()
        .filter(coalition_id=coalition_id, representative=actor)
        .exists()
    )


def speaks_for_city(actor, city: City, coalition_id: int) -> bool:
    """The actor is a current coordinator or delegate of a member city of the coalition."""
    if not Membership.objects.filter(
        city=city, coalition_id=coalition_id, status__in=PUBLIC_STATUSES
    ).exists():
        return False
    return (
        Role.objects.current()
        .filter(kind__in=[RoleKind.COORDINATOR, RoleKind.DELEGATE], city=city, user=actor)
        .exists()
    )


# --- Deadlines ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    due: dt.date | None  # None: the statute sets none
    days: int | None
    source: str

    def passed(self, today: dt.date) -> bool:
        return self.due is not None and today > self.due


def _snapshot(session: AssemblySession) -> dict:
    if session.statute_snapshot:
        return session.statute_snapshot
    return StatuteProfile.current_for(session.coalition).snapshot()


def deadline(session: AssemblySession, what: str) -> Deadline:
    """`what` is "motion" or "amendment": the day it is due, from the session's statute."""
    snapshot = _snapshot(session)
    due = convocations.deadlines(session, snapshot)[f"{what}_deadline"]
    return Deadline(
        due=due,
        days=snapshot.get(f"{what}_deadline_days"),
        source=(snapshot.get("sources") or {}).get(f"{what}_deadline", ""),
    )


def _today(session: AssemblySession) -> dt.date:
    return timezone.localdate(timezone.now(), session.zone)


def check_deadline(session: AssemblySession, what: str) -> None:
    due = deadline(session, what)
    if not due.passed(_today(session)):
        return
    values = {"date": date_format(cast(dt.date, due.due)), "days": due.days, "source": due.source}
    if what == "motion":
        message = _(
            "Motions to this session were due by %(date)s, %(days)s days before it starts "
            "(%(source)s)."
        )
    else:
        message = _(
            "Amendments to this session were due by %(date)s, %(days)s days before it starts "
            "(%(source)s)."
        )
    raise GovernanceError(message % values)
