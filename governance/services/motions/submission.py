"""Submitting a motion, and attaching it to an item of a convened session."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from coalition import audit
from coalition.services import model_update
from governance import motion_text as mt
from governance.models import (
    AgendaItem,
    AgendaItemKind,
    AgendaItemStatus,
    AssemblySession,
    Motion,
    MotionKind,
    SessionStatus,
    Submitter,
)
from governance.services import assemblies
from governance.services.common import GovernanceError, acting_user
from members.models import City

from .eligibility import check_deadline, is_bureau_of, is_committee_of, speaks_for_city
from .shared import LANGUAGES, _check_lines, _lock_motion, _new_version

#: The agenda item a motion of each kind goes to when the bureau creates one for it.
ITEM_KIND: dict[str, str] = {
    MotionKind.RESOLUTION: AgendaItemKind.MOTION,
    MotionKind.DECLARATION: AgendaItemKind.MOTION,
    MotionKind.STATUTE_CHANGE: AgendaItemKind.STATUTE_CHANGE,
    MotionKind.BUDGET: AgendaItemKind.BUDGET,
    MotionKind.OTHER: AgendaItemKind.MOTION,
}


# --- Submitting and attaching motions -------------------------------------------------------


def _lock_session(session: AssemblySession) -> AssemblySession:
    return (
        AssemblySession.objects.select_for_update().select_related("coalition").get(pk=session.pk)
    )


@transaction.atomic
def submit_motion(
    *,
    actor,
    session: AssemblySession,
    item: AgendaItem | None,
    kind: str,
    title: str,
    language: str,
    lines: list[mt.Line],
    submitter: str,
    city: City | None = None,
) -> Motion:
    """A motion to an item of a convened session, before the statute's deadline.

    The bureau may also prepare one for a session it is still drafting, and give no item:
    then an item is added to the draft agenda for it.
    """
    session = _lock_session(session)
    coalition_id = session.coalition_id
    bureau = is_bureau_of(actor, coalition_id)
    if submitter == Submitter.CITY:
        if city is None or not speaks_for_city(actor, city, coalition_id):
            raise GovernanceError(
                _("Only a coordinator or delegate of a member city may submit for it."),
                field="submitter",
            )
    elif submitter == Submitter.COMMITTEE:
        if not is_committee_of(actor, coalition_id):
            raise GovernanceError(
                _("Only a member of the steering committee may submit on its behalf."),
                field="submitter",
            )
        city = None
    elif submitter == Submitter.BUREAU:
        if not bureau:
            raise GovernanceError(_("Only the bureau may submit as the bureau."), field="submitter")
        city = None
    else:
        raise GovernanceError(_("Say who submits the motion."), field="submitter")
    if session.status == SessionStatus.DRAFT and not bureau:
        raise GovernanceError(_("This session is not convened."))
    if session.status not in (SessionStatus.DRAFT, SessionStatus.CONVENED):
        raise GovernanceError(_("Motions are submitted before the session starts."))
    check_deadline(session, "motion")
    if kind not in MotionKind.values:
        raise GovernanceError(_("Choose the kind of motion."), field="kind")
    if language not in LANGUAGES:
        raise GovernanceError(_("Choose the language of the text."), field="language")
    if not title.strip():
        raise GovernanceError(_("Give the motion a title."), field="title")
    _check_lines(lines, declaration=kind == MotionKind.DECLARATION)
    if item is None:
        if not (bureau and session.status == SessionStatus.DRAFT):
            raise GovernanceError(_("Choose the agenda item of the motion."), field="item")
        item = assemblies.add_agenda_item(
            actor=actor, session=session, kind=ITEM_KIND[kind], title=title.strip()
        )
    _check_item(item, session)
    motion = Motion.objects.create(
        session=session,
        item=item,
        kind=kind,
        title=title.strip(),
        submitter=submitter,
        city=city,
        submitted_by=acting_user(actor),
        language=language,
    )
    version = _new_version(motion=motion, number=1, lines=lines, actor=actor)
    audit.record(
        actor=actor,
        target=motion,
        verb="motion.submitted",
        to_state=motion.status,
        data={
            "session": session.pk,
            "item": item.pk,
            "kind": kind,
            "submitter": submitter,
            "city": city.pk if city else None,
            "version": 1,
            "sha256": version.sha256,
            "lines": len(lines),
        },
    )
    return motion


def _check_item(item: AgendaItem, session: AssemblySession) -> None:
    if item.session_id != session.pk:
        raise GovernanceError(_("This item is on another session's agenda."), field="item")
    if item.status in (AgendaItemStatus.WITHDRAWN, AgendaItemStatus.REFUSED):
        raise GovernanceError(_("This item is not on the agenda."), field="item")


@transaction.atomic
def attach_motion(*, actor, motion: Motion, item: AgendaItem) -> Motion:
    """The bureau moves an open motion to another item of the same session."""
    motion = _lock_motion(motion)
    if not is_bureau_of(actor, motion.session.coalition_id):
        raise GovernanceError(_("Only the bureau may move a motion."))
    if not motion.is_open:
        raise GovernanceError(_("This motion was decided."))
    _check_item(item, motion.session)
    before = motion.item_id
    model_update(motion, fields={"item": item}, actor=actor)
    audit.record(
        actor=actor,
        target=motion,
        verb="motion.attached",
        data={"from_item": before, "item": item.pk},
    )
    return motion
