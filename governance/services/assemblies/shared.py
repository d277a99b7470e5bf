"""Private helpers of the sessions package: the session's row lock, the draft guard, the items
not withdrawn, an item added at the end of the agenda."""

from __future__ import annotations

from django.db.models import Max
from django.utils.translation import gettext as _

from coalition import audit
from coalition.translated import written_language
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


def _append_item(
    *,
    actor,
    session: AssemblySession,
    kind: str,
    title: str,
    description: str,
    status: str,
    verb: str,
) -> AgendaItem:
    """A new item at the end of the (locked) session's agenda, recorded in the audit as `verb`."""
    if not title.strip():
        raise GovernanceError(_("Give the item a title."), field="title")
    last = session.items.aggregate(last=Max("position"))["last"] or 0
    item = AgendaItem(
        session=session,
        position=last + 1,
        kind=kind,
        title=title.strip(),
        description=description.strip(),
        source_language=written_language(),
        status=status,
    )
    item.full_clean()
    item.save()
    audit.record(
        actor=actor,
        target=item,
        verb=verb,
        to_state=item.status,
        data={"session": session.pk, "kind": kind, "title": item.title},
    )
    return item
