"""Private helpers of the sessions package: the session's row lock, the draft guard, the items
not withdrawn."""

from __future__ import annotations

from django.utils.translation import gettext as _

from governance.models import (
    AgendaItem,
    AgendaItemStatus,
    AssemblySession,
    SessionStatus,
)
from governance.services.common import GovernanceError


def _lock(session: AssemblySession) -> AssemblySession:
    return (
        AssemblySession.objects.select_for_update().select_related("coalition").get(pk=session.pk)
    )


def _require_draft(session: AssemblySession) -> None:
    if session.status != SessionStatus.DRAFT:
        raise GovernanceError(_("The session was convened: its details and agenda are frozen."))


def _active_items(session: AssemblySession) -> list[AgendaItem]:
    return list(session.items.exclude(status=AgendaItemStatus.WITHDRAWN).order_by("position", "id"))
