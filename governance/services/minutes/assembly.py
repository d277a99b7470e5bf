"""Approval at an assembly: the draft before a later session's "approval of the minutes" item,
approved or sent back by the published result of the poll on it."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from coalition import audit
from coalition.services import model_update
from governance.models import (
    AgendaItem,
    AgendaItemKind,
    AgendaItemStatus,
    ApprovalRoute,
    AssemblyPoll,
    Minutes,
    MinutesStatus,
)
from governance.services.common import GovernanceError, acting_user, bureau_emails

from .shared import _approve, _lock, _notify, _require_bureau


@transaction.atomic
def put_before_assembly(*, actor, minutes: Minutes, item: AgendaItem) -> Minutes:
    """The bureau puts the draft before an "approval of the minutes" item of a later session."""
    minutes = _lock(minutes)
    session = minutes.session
    _require_bureau(actor, session)
    if not minutes.is_draft:
        raise GovernanceError(_("Only a draft is put before an assembly."))
    item = AgendaItem.objects.select_related("session").get(pk=item.pk)
    if (
        item.kind != AgendaItemKind.MINUTES
        or item.session.coalition_id != session.coalition_id
        or item.session.starts_at <= session.starts_at
        or item.status in (AgendaItemStatus.WITHDRAWN, AgendaItemStatus.DECIDED)
    ):
        raise GovernanceError(
            _("Choose an open item approving minutes at a later session of the coalition."),
            field="item",
        )
    if Minutes.objects.filter(approval_item=item).exclude(pk=minutes.pk).exists():
        raise GovernanceError(_("Other minutes are before that item already."), field="item")
    model_update(
        minutes,
        fields={"status": MinutesStatus.BEFORE_ASSEMBLY, "approval_item": item},
        actor=actor,
    )
    audit.record(
        actor=acting_user(actor),
        target=minutes,
        verb="minutes.before_assembly",
        from_state=MinutesStatus.DRAFT,
        to_state=minutes.status,
        data={"item": item.pk, "session": item.session_id, "sha256": minutes.record_sha256},
    )
    return minutes


def record_assembly_vote(*, actor, poll: AssemblyPoll, adopted: bool) -> Minutes | None:
    """The published result of a poll on an approval item approves the minutes before it, or
    sends them back to the draft (called by the poll's subject, in the publication's
    transaction)."""
    found = Minutes.objects.filter(
        approval_item_id=poll.item_id, status=MinutesStatus.BEFORE_ASSEMBLY
    ).first()
    if found is None:
        return None
    minutes = _lock(found)
    ref = f"Poll {poll.pk} of {poll.session}: {poll.arithmetic}"
    if adopted:
        return _approve(minutes, route=ApprovalRoute.ASSEMBLY, ref=ref, actor=acting_user(actor))
    model_update(
        minutes, fields={"status": MinutesStatus.DRAFT, "approval_item": None}, actor=actor
    )
    audit.record(
        actor=acting_user(actor),
        target=minutes,
        verb="minutes.not_approved",
        from_state=MinutesStatus.BEFORE_ASSEMBLY,
        to_state=minutes.status,
        data={"poll": poll.pk, "ref": ref[:300]},
    )
    _notify(minutes, "not_approved", to=bureau_emails(minutes.session.coalition))
    return minutes
