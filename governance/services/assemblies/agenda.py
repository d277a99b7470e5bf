"""The agenda before convening: items, their order, documents; and the exclusion loop, which puts an
adopted exclusion proposal on the next session's agenda."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition import audit
from coalition.services import model_update
from governance.models import (
    AgendaDocument,
    AgendaItem,
    AgendaItemStatus,
    AssemblySession,
    ExclusionProposal,
    ProposalStatus,
    SessionStatus,
)
from governance.services.common import GovernanceError, acting_user
from members.models import Coalition

from .shared import _active_items, _append_item, _lock, _require_draft


@transaction.atomic
def add_agenda_item(
    *, actor, session: AssemblySession, kind: str, title: str, description: str = ""
) -> AgendaItem:
    session = _lock(session)
    _require_draft(session)
    return _append_item(
        actor=actor,
        session=session,
        kind=kind,
        title=title,
        description=description,
        status=AgendaItemStatus.PLANNED,
        verb="agenda.item_added",
    )


@transaction.atomic
def move_agenda_item(*, actor, item: AgendaItem, up: bool) -> AgendaItem:
    """Swap the item with the one before (up) or after it; positions are renumbered 1..n."""
    session = _lock(item.session)
    _require_draft(session)
    items = _active_items(session)
    index = next((i for i, it in enumerate(items) if it.pk == item.pk), None)
    if index is None:
        raise GovernanceError(_("This item was withdrawn."))
    other = index - 1 if up else index + 1
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]
    for position, it in enumerate(items, 1):
        model_update(it, fields={"position": position}, actor=actor)
    moved = next(it for it in items if it.pk == item.pk)
    audit.record(
        actor=actor,
        target=moved,
        verb="agenda.item_moved",
        data={"session": session.pk, "position": moved.position},
    )
    return moved


@transaction.atomic
def withdraw_agenda_item(*, actor, item: AgendaItem) -> AgendaItem:
    session = _lock(item.session)
    _require_draft(session)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if item.status == AgendaItemStatus.WITHDRAWN:
        return item
    from_state = item.status
    model_update(item, fields={"status": AgendaItemStatus.WITHDRAWN}, actor=actor)
    for position, it in enumerate(_active_items(session), 1):
        model_update(it, fields={"position": position}, actor=actor)
    audit.record(
        actor=actor,
        target=item,
        verb="agenda.item_withdrawn",
        from_state=from_state,
        to_state=item.status,
        data={"session": session.pk},
    )
    return item


def _clean_name(name: str | None) -> str:
    base = (name or "document.pdf").replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(ch for ch in base if ch.isprintable() and ch not in '"<>:;|?*')[:200]
    return cleaned or "document.pdf"


@transaction.atomic
def add_agenda_document(
    *, actor, item: AgendaItem, title: str, upload: UploadedFile, public: bool
) -> AgendaDocument:
    """Attach a PDF to an item; the form has checked it (governance.letters.validate_letter)."""
    session = _lock(item.session)
    if session.status == SessionStatus.CLOSED:
        raise GovernanceError(_("The session is closed."))
    if not title.strip():
        raise GovernanceError(_("Give the document a title."), field="title")
    document = AgendaDocument(
        item=item,
        title=title.strip(),
        original_name=_clean_name(upload.name),
        size=upload.size or 0,
        public=public,
        uploaded_by=acting_user(actor),
    )
    upload.seek(0)
    document.file.save(document.original_name, upload, save=False)
    document.save()
    audit.record(
        actor=actor,
        target=document,
        verb="agenda.document_added",
        data={"item": item.pk, "file": document.original_name, "public": public},
    )
    return document


# --- The exclusion loop: an adopted proposal goes on the next session's agenda ----------------


def next_session(coalition: Coalition) -> AssemblySession | None:
    """The coalition's next session still to sit: drafted or convened, starting later."""
    return (
        AssemblySession.objects.filter(
            coalition=coalition,
            status__in=(SessionStatus.DRAFT, SessionStatus.CONVENED),
            starts_at__gt=timezone.now(),
        )
        .order_by("starts_at", "id")
        .first()
    )


@transaction.atomic
def schedule_exclusions(*, actor, coalition: Coalition) -> list[AgendaItem]:
    """Put each proposal the committee adopted on the agenda of the next session. Idempotent.

    In a draft the item is planned (announced at convening); in a session already convened
    the agenda is frozen, so it waits there as a late item for the procedural vote (only
    if the statute allows late items; otherwise it goes to the session after).
    """
    session = next_session(coalition)
    if session is None:
        return []
    on_an_agenda = AgendaItem.objects.filter(
        exclusion_proposal__isnull=False,
        session__status__in=(
            SessionStatus.DRAFT,
            SessionStatus.CONVENED,
            SessionStatus.IN_SESSION,
        ),
        status__in=(
            AgendaItemStatus.PLANNED,
            AgendaItemStatus.ANNOUNCED,
            AgendaItemStatus.PENDING_APPROVAL,
            AgendaItemStatus.ADDED_IN_SESSION,
        ),
    ).values("exclusion_proposal_id")
    waiting = (
        ExclusionProposal.objects.filter(
            coalition=coalition, status=ProposalStatus.AWAITING_ASSEMBLY
        )
        .exclude(pk__in=on_an_agenda)
        .select_related("membership__city")
        .order_by("id")
    )
    proposals = list(waiting)
    if not proposals:
        return []
    session = _lock(session)
    if session.status == SessionStatus.CONVENED and not (session.statute_snapshot or {}).get(
        "late_items_allowed"
    ):
        return []
    status = AgendaItemStatus.PLANNED if session.is_draft else AgendaItemStatus.PENDING_APPROVAL
    added = []
    for proposal in proposals:
        last = session.items.aggregate(last=Max("position"))["last"] or 0
        item = AgendaItem.objects.create(
            session=session,
            position=last + 1,
            kind="exclusion",
            title=_("Exclusion of %(city)s") % {"city": proposal.membership.city.name},
            description=proposal.grounds,
            status=status,
            exclusion_proposal=proposal,
        )
        audit.record(
            actor=actor,
            target=item,
            verb="agenda.exclusion_scheduled",
            to_state=item.status,
            data={"session": session.pk, "proposal": proposal.pk},
        )
        added.append(item)
    return added
