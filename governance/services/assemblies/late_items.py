"""In session: an item added at the session and its procedural vote, and what may be decided."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from coalition import audit
from coalition.services import model_update
from governance import rules
from governance.models import (
    AgendaItem,
    AgendaItemStatus,
    AssemblySession,
    SessionStatus,
)
from governance.services.common import GovernanceError

from .shared import _append_item, _lock


@transaction.atomic
def add_late_item(
    *, actor, session: AssemblySession, kind: str, title: str, description: str = ""
) -> AgendaItem:
    """An item proposed at the session: pending until the procedural vote carries it."""
    session = _lock(session)
    if session.status != SessionStatus.IN_SESSION:
        raise GovernanceError(_("Items can be added at the session only while it sits."))
    if not (session.statute_snapshot or {}).get("late_items_allowed"):
        raise GovernanceError(
            _("The statute allows decisions only on items announced in the convocation.")
        )
    return _append_item(
        actor=actor,
        session=session,
        kind=kind,
        title=title,
        description=description,
        status=AgendaItemStatus.PENDING_APPROVAL,
        verb="agenda.late_item_proposed",
    )


@transaction.atomic
def record_late_item_vote(
    *, actor, item: AgendaItem, yes: int, no: int, abstain: int
) -> AgendaItem:
    """The count of the procedural vote on a late item, judged by the profile's majority."""
    session = _lock(item.session)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if session.status != SessionStatus.IN_SESSION:
        raise GovernanceError(_("The session is not sitting."))
    if item.status != AgendaItemStatus.PENDING_APPROVAL:
        raise GovernanceError(_("This item is not awaiting a procedural vote."))
    snapshot = session.statute_snapshot or {}
    kind = rules.AssemblyDecisionKind.LATE_ITEM
    try:
        carried = rules.assembly_majority_reached(snapshot, kind, yes, no, abstain)
    except ValueError as exc:
        raise GovernanceError(_("A count cannot be negative.")) from exc
    model_update(
        item,
        fields={
            "late_item_vote": {
                "yes": yes,
                "no": no,
                "abstain": abstain,
                "majority": rules.assembly_majority_rule(snapshot, kind),
                "statute_version": snapshot.get("version"),
            },
            "late_item_approved": carried,
            "status": AgendaItemStatus.ADDED_IN_SESSION if carried else AgendaItemStatus.REFUSED,
        },
        actor=actor,
    )
    audit.record(
        actor=actor,
        target=item,
        verb="agenda.late_item_voted",
        from_state=AgendaItemStatus.PENDING_APPROVAL,
        to_state=item.status,
        data=item.late_item_vote,
    )
    return item


def check_item_may_be_decided(item: AgendaItem) -> None:
    """For whoever opens a decision on an item: only announced or duly added items."""
    if item.session.status not in (SessionStatus.CONVENED, SessionStatus.IN_SESSION):
        raise GovernanceError(_("The session is not convened."))
    if not item.may_be_decided:
        raise GovernanceError(
            _("The assembly decides only on items announced in the convocation, or added at the "
              "session by a procedural vote.")
        )  # fmt: skip
