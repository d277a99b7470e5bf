"""A session's details: the bureau drafts and edits it, then opens and closes it."""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition import audit
from coalition.services import model_update
from governance.models import (
    AssemblySession,
    SessionBody,
    SessionMode,
    SessionStatus,
)
from governance.services.common import GovernanceError, acting_user
from members.models import City, Coalition

from .agenda import schedule_exclusions
from .shared import _lock, _require_draft


@dataclass(frozen=True)
class SessionDetails:
    body: str
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    time_zone: str = "Europe/Berlin"
    extraordinary: bool = False
    theme: str = ""
    host_city: City | None = None
    venue: str = ""
    mode: str = SessionMode.IN_PERSON
    online_join_instructions: str = ""
    chair: object | None = None
    minute_taker: object | None = None
    teller_1: object | None = None
    teller_2: object | None = None


FIELDS = [
    "body",
    "title",
    "starts_at",
    "ends_at",
    "time_zone",
    "extraordinary",
    "theme",
    "host_city",
    "venue",
    "mode",
    "online_join_instructions",
    "chair",
    "minute_taker",
    "teller_1",
    "teller_2",
]


def _check_details(details: SessionDetails) -> None:
    if timezone.is_naive(details.starts_at) or timezone.is_naive(details.ends_at):
        raise ValueError("A session's times must be aware datetimes.")
    if details.body not in SessionBody.values:
        raise GovernanceError(
            _("Choose the General Assembly or the General Conference."), field="body"
        )
    if details.ends_at < details.starts_at:
        raise GovernanceError(_("The session cannot end before it starts."), field="ends_at")
    if details.mode != SessionMode.IN_PERSON and not details.online_join_instructions.strip():
        raise GovernanceError(
            _("Say how to join online: the convocation of a hybrid or online session must."),
            field="online_join_instructions",
        )
    if details.teller_1 is not None and details.teller_1 == details.teller_2:
        raise GovernanceError(_("The two tellers must be two different people."), field="teller_2")
    if details.extraordinary and details.body != SessionBody.GENERAL_ASSEMBLY:
        raise GovernanceError(
            _("Only a General Assembly can be extraordinary."), field="extraordinary"
        )


def _audit_data(session: AssemblySession) -> dict:
    return {
        "body": session.body,
        "title": session.title,
        "starts_at": session.starts_at.isoformat(),
        "ends_at": session.ends_at.isoformat(),
        "time_zone": session.time_zone,
        "mode": session.mode,
        "extraordinary": session.extraordinary,
    }


@transaction.atomic
def create_session(*, actor, coalition: Coalition, details: SessionDetails) -> AssemblySession:
    """The bureau drafts a session; nobody hears of it until it is convened."""
    _check_details(details)
    session = AssemblySession(coalition=coalition, created_by=acting_user(actor))
    for name in FIELDS:
        setattr(session, name, getattr(details, name))
    session.full_clean()
    session.save()
    audit.record(
        actor=actor,
        target=session,
        verb="session.created",
        to_state=session.status,
        data=_audit_data(session),
    )
    schedule_exclusions(actor=actor, coalition=coalition)
    return session


@transaction.atomic
def update_session(*, actor, session: AssemblySession, details: SessionDetails) -> AssemblySession:
    session = _lock(session)
    _require_draft(session)
    _check_details(details)
    values = {name: getattr(details, name) for name in FIELDS}
    candidate = copy.copy(session)  # validated before anything is written
    for name, value in values.items():
        setattr(candidate, name, value)
    candidate.full_clean()
    model_update(session, fields=values, actor=actor)
    audit.record(actor=actor, target=session, verb="session.updated", data=_audit_data(session))
    return session


@transaction.atomic
def open_session(*, actor, session: AssemblySession) -> AssemblySession:
    session = _lock(session)
    if session.status != SessionStatus.CONVENED:
        raise GovernanceError(_("Only a convened session can open."))
    if timezone.localdate(timezone.now(), session.zone) < session.local_starts_at.date():
        raise GovernanceError(_("The session cannot open before its first day."))
    model_update(session, fields={"status": SessionStatus.IN_SESSION}, actor=actor)
    audit.record(
        actor=actor,
        target=session,
        verb="session.opened",
        from_state=SessionStatus.CONVENED,
        to_state=session.status,
    )
    return session


@transaction.atomic
def close_session(*, actor, session: AssemblySession) -> AssemblySession:
    session = _lock(session)
    if session.status != SessionStatus.IN_SESSION:
        raise GovernanceError(_("Only a session in progress can close."))
    model_update(session, fields={"status": SessionStatus.CLOSED}, actor=actor)
    audit.record(
        actor=actor,
        target=session,
        verb="session.closed",
        from_state=SessionStatus.IN_SESSION,
        to_state=session.status,
    )
    return session
