"""Motions, amendments, their voting order and outcomes, translations and the declaration.

Every write is keyword-only, atomic and audited. The text model is governance.motion_text
(pure); here are the rules of the statute and the session around it (ADR 0009):

- a motion is submitted before the statute's motion deadline (days before the session's
  first day, in its time zone), by a member city's coordinator or delegate, a committee
  member on the committee's behalf, or the bureau; to an item of a convened session;
- amendments come from member cities before the amendment deadline, to the current
  version, and only until the first amendment is decided: all of a motion's amendments are
  numbered against one version, so the merge never has to move their lines;
- the voting order is `next_to_put_to_vote`: open amendments (conflicting ones
  furthest-reaching first, otherwise by line), then the motion as amended. The polls call
  `check_may_put_to_vote` before opening a poll, and `record_amendment_outcome` /
  `record_motion_outcome` with its result.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from coalition import audit, jobs
from governance import convocations
from governance import motion_text as mt
from governance.models import (
    AgendaItem,
    AgendaItemKind,
    AgendaItemStatus,
    Amendment,
    AmendmentOperation,
    AmendmentStatus,
    AssemblySession,
    CommitteeSeat,
    DeclarationPDF,
    Motion,
    MotionKind,
    MotionStatus,
    MotionVersion,
    Recommendation,
    RecommendationResponse,
    SessionStatus,
    StatuteProfile,
    Submitter,
)
from governance.services import assemblies
from governance.services.common import GovernanceError, acting_user
from members.models import PUBLIC_STATUSES, City, Membership, Role, RoleKind

#: The agenda item a motion of each kind goes to when the bureau creates one for it.
ITEM_KIND: dict[str, str] = {
    MotionKind.RESOLUTION: AgendaItemKind.MOTION,
    MotionKind.DECLARATION: AgendaItemKind.MOTION,
    MotionKind.STATUTE_CHANGE: AgendaItemKind.STATUTE_CHANGE,
    MotionKind.BUDGET: AgendaItemKind.BUDGET,
    MotionKind.OTHER: AgendaItemKind.MOTION,
}
LANGUAGES = {code for code, _name in settings.LANGUAGES}
RENDER_TASK = "governance.tasks.render_declaration_pdf"


# --- Who acts --------------------------------------------------------------------------------


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


# --- Versions --------------------------------------------------------------------------------


def current_version(motion: Motion) -> MotionVersion:
    return cast(  # every motion has its first version
        MotionVersion,
        MotionVersion.objects.filter(motion=motion, is_authoritative=True)
        .order_by("-number")
        .first(),
    )


def _new_version(*, motion, number, lines, actor, amendment=None) -> MotionVersion:
    return MotionVersion.objects.create(
        motion=motion,
        number=number,
        language=motion.language,
        is_authoritative=True,
        lines=mt.to_json(lines),
        sha256=mt.sha256(lines),
        amendment=amendment,
        created_by=acting_user(actor),
    )


def _check_lines(lines: list[mt.Line], *, declaration: bool) -> None:
    if not lines:
        raise GovernanceError(_("Write the text of the motion."), field="body")
    if any(len(line.text) > mt.MAX_LINE_LENGTH for line in lines):
        raise GovernanceError(_("A line is too long: break it into shorter lines."), field="body")
    if declaration:
        sections = {line.section for line in lines}
        if sections != {mt.PREAMBLE, mt.OPERATIVE}:
            raise GovernanceError(
                _("A declaration has a preamble and operative clauses: write both."),
                field="operative",
            )


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


def _lock_motion(motion: Motion) -> Motion:
    return (
        Motion.objects.select_for_update(of=("self",))
        .select_related("session__coalition", "item", "city")
        .get(pk=motion.pk)
    )


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
    motion.item = item
    motion.save(update_fields=["item"])
    audit.record(
        actor=actor,
        target=motion,
        verb="motion.attached",
        data={"from_item": before, "item": item.pk},
    )
    return motion


# --- Amendments -----------------------------------------------------------------------------


def change_of(amendment: Amendment) -> mt.Change:
    return mt.Change(
        amendment.operation,
        amendment.first_line,
        amendment.last_line,
        tuple(amendment.text_put_to_vote),
        key=amendment.pk,
    )


def _voting_began(motion: Motion) -> bool:
    return motion.amendments.filter(
        status__in=[AmendmentStatus.ADOPTED, AmendmentStatus.REJECTED]
    ).exists()


@transaction.atomic
def submit_amendment(
    *,
    actor,
    motion: Motion,
    city: City,
    operation: str,
    first_line: int,
    last_line: int | None,
    new_text: list[str],
    justification: str,
) -> Amendment:
    """A member city's amendment to lines of the motion's current version, before the deadline."""
    motion = _lock_motion(motion)
    session = motion.session
    if not speaks_for_city(actor, city, session.coalition_id):
        raise GovernanceError(
            _("Only a coordinator or delegate of a member city may amend for it."), field="city"
        )
    if not motion.is_open:
        raise GovernanceError(_("This motion was decided."))
    if session.status not in (SessionStatus.CONVENED, SessionStatus.IN_SESSION):
        raise GovernanceError(_("Amendments are made to a convened session's motions."))
    check_deadline(session, "amendment")
    if _voting_began(motion):
        raise GovernanceError(_("Voting on the amendments has begun: no more can be made."))
    if not justification.strip():
        raise GovernanceError(_("Say why the text should change."), field="justification")
    version = current_version(motion)
    if operation == AmendmentOperation.INSERT_AFTER or last_line is None:
        last_line = first_line
    new_text = [t for t in (" ".join(x.split()) for x in new_text) if t]
    if operation == AmendmentOperation.DELETE:
        new_text = []
    change = mt.Change(operation, first_line, last_line, tuple(new_text))
    try:
        mt.check_change(change, len(version.lines))
    except ValueError:
        if operation in (AmendmentOperation.REPLACE, AmendmentOperation.INSERT_AFTER) and (
            not new_text
        ):
            raise GovernanceError(_("Write the new text."), field="new_text") from None
        raise GovernanceError(
            _("Choose lines of the text: it has %(n)s.") % {"n": len(version.lines)},
            field="first_line",
        ) from None
    amendment = Amendment.objects.create(
        motion=motion,
        version=version,
        city=city,
        submitted_by=acting_user(actor),
        operation=operation,
        first_line=first_line,
        last_line=last_line,
        new_text=new_text,
        justification=justification.strip(),
    )
    audit.record(
        actor=actor,
        target=amendment,
        verb="amendment.submitted",
        to_state=amendment.status,
        data={
            "motion": motion.pk,
            "version": version.number,
            "city": city.pk,
            "operation": operation,
            "lines": [first_line, last_line],
        },
    )
    return amendment


def _lock_amendment(amendment: Amendment) -> Amendment:
    _lock_motion(amendment.motion)
    return (
        Amendment.objects.select_for_update(of=("self",))
        .select_related("motion__session", "city", "version")
        .get(pk=amendment.pk)
    )


@transaction.atomic
def recommend_amendment(
    *, actor, amendment: Amendment, recommendation: str, text: list[str] | None = None, note=""
) -> Amendment:
    """The committee (a member on its behalf) or the bureau recommends; the submitter answers."""
    amendment = _lock_amendment(amendment)
    coalition_id = amendment.motion.session.coalition_id
    if is_committee_of(actor, coalition_id):
        body = Submitter.COMMITTEE
    elif is_bureau_of(actor, coalition_id):
        body = Submitter.BUREAU
    else:
        raise GovernanceError(_("Only the steering committee or the bureau may recommend."))
    if not amendment.is_open:
        raise GovernanceError(_("This amendment is no longer open."))
    if recommendation not in Recommendation.values:
        raise GovernanceError(_("Choose a recommendation."), field="recommendation")
    lines = [t for t in (" ".join(x.split()) for x in (text or [])) if t]
    if recommendation == Recommendation.ADOPT_MODIFIED:
        if amendment.operation == AmendmentOperation.DELETE:
            raise GovernanceError(
                _("A deletion cannot be modified: recommend to adopt or to reject it."),
                field="recommendation",
            )
        if not lines:
            raise GovernanceError(_("Write the modified text."), field="text")
    else:
        lines = []
    amendment.recommendation = recommendation
    amendment.recommended_text = lines
    amendment.recommendation_note = note.strip()
    amendment.recommended_by = acting_user(actor)
    amendment.recommended_as = body
    amendment.recommended_at = timezone.now()
    amendment.response = RecommendationResponse.PENDING
    amendment.responded_at = None
    amendment.responded_by = None
    amendment.save(
        update_fields=[
            "recommendation",
            "recommended_text",
            "recommendation_note",
            "recommended_by",
            "recommended_as",
            "recommended_at",
            "response",
            "responded_at",
            "responded_by",
        ]
    )
    audit.record(
        actor=actor,
        target=amendment,
        verb="amendment.recommended",
        to_state=recommendation,
        message=amendment.recommendation_note,
        data={"as": body, "text": lines},
    )
    return amendment


@transaction.atomic
def respond_to_recommendation(*, actor, amendment: Amendment, accept: bool) -> Amendment:
    """The submitting city accepts (an adopt-as-modified then puts the modified text to the
    vote) or declines (its own text is voted, with the recommendation announced)."""
    amendment = _lock_amendment(amendment)
    if not speaks_for_city(actor, amendment.city, amendment.motion.session.coalition_id):
        raise GovernanceError(_("Only the submitting city may answer."))
    if not amendment.is_open:
        raise GovernanceError(_("This amendment is no longer open."))
    if amendment.response != RecommendationResponse.PENDING:
        raise GovernanceError(_("There is no recommendation awaiting an answer."))
    amendment.response = (
        RecommendationResponse.ACCEPTED if accept else RecommendationResponse.DECLINED
    )
    amendment.responded_at = timezone.now()
    amendment.responded_by = acting_user(actor)
    amendment.save(update_fields=["response", "responded_at", "responded_by"])
    audit.record(
        actor=actor,
        target=amendment,
        verb="amendment.recommendation_answered",
        from_state=RecommendationResponse.PENDING,
        to_state=amendment.response,
        data={"recommendation": amendment.recommendation},
    )
    return amendment


@transaction.atomic
def withdraw_amendment(*, actor, amendment: Amendment) -> Amendment:
    """The submitting city withdraws its amendment before it is put to the vote."""
    amendment = _lock_amendment(amendment)
    if not speaks_for_city(actor, amendment.city, amendment.motion.session.coalition_id):
        raise GovernanceError(_("Only the submitting city may withdraw it."))
    if not amendment.is_open:
        raise GovernanceError(_("This amendment is no longer open."))
    amendment.status = AmendmentStatus.WITHDRAWN
    amendment.decided_at = timezone.now()
    amendment.save(update_fields=["status", "decided_at"])
    audit.record(
        actor=actor,
        target=amendment,
        verb="amendment.withdrawn",
        from_state=AmendmentStatus.SUBMITTED,
        to_state=amendment.status,
    )
    return amendment


# --- The voting order and outcomes (what the polls call) -------------------------------------


def open_amendments_in_order(motion: Motion) -> list[Amendment]:
    """The open amendments in the order they are put to the vote (governance.motion_text)."""
    amendments = list(
        motion.amendments.filter(status=AmendmentStatus.SUBMITTED).order_by("submitted_at", "id")
    )
    by_pk: dict[object, Amendment] = {a.pk: a for a in amendments}
    return [by_pk[c.key] for c in mt.voting_order([change_of(a) for a in amendments])]


def next_to_put_to_vote(motion: Motion) -> list[Amendment | Motion]:
    """What remains to be voted, in order: the open amendments, then the motion as amended.

    The first is the one the chair may put to the vote now; empty once the motion is decided.
    """
    if not motion.is_open:
        return []
    return [*open_amendments_in_order(motion), motion]


def check_may_put_to_vote(obj: Amendment | Motion) -> None:
    """GovernanceError unless `obj` may be put to the vote now (the polls call this first)."""
    motion = obj.motion if isinstance(obj, Amendment) else obj
    assemblies.check_item_may_be_decided(motion.item)
    if not motion.is_open:
        raise GovernanceError(_("This motion was decided."))
    if isinstance(obj, Amendment) and not obj.is_open:
        raise GovernanceError(_("This amendment is no longer open."))
    remaining = next_to_put_to_vote(motion)
    first = remaining[0]
    if type(first) is not type(obj) or first.pk != obj.pk:
        if isinstance(first, Amendment):
            raise GovernanceError(
                _("Put the amendment of %(city)s (%(range)s) to the vote first.")
                % {"city": first.city.name, "range": first.range_label}
            )
        raise GovernanceError(_("The motion comes last, as amended."))  # pragma: no cover


@transaction.atomic
def record_amendment_outcome(
    *, actor, amendment: Amendment, adopted: bool, result_ref: str | None = None
) -> Amendment:
    """The poll's result on an amendment. Adopted: a new version merges it, and the open
    amendments it conflicts with fall; rejected: the next in order comes up."""
    amendment = _lock_amendment(amendment)
    motion = amendment.motion
    check_may_put_to_vote(amendment)
    now = timezone.now()
    amendment.status = AmendmentStatus.ADOPTED if adopted else AmendmentStatus.REJECTED
    amendment.decided_at = now
    amendment.result_ref = (result_ref or "")[:200]
    amendment.save(update_fields=["status", "decided_at", "result_ref"])
    data = {"motion": motion.pk, "result": amendment.result_ref}
    if adopted:
        version = _merge(motion=motion, amendment=amendment, actor=actor)
        mine = change_of(amendment)
        fallen = [
            other
            for other in motion.amendments.select_for_update().filter(
                status=AmendmentStatus.SUBMITTED, version=amendment.version
            )
            if mt.overlaps(mine, change_of(other))
        ]
        for other in fallen:
            other.status = AmendmentStatus.FALLEN
            other.fallen_because = amendment
            other.decided_at = now
            other.save(update_fields=["status", "fallen_because", "decided_at"])
            audit.record(
                actor=actor,
                target=other,
                verb="amendment.fallen",
                from_state=AmendmentStatus.SUBMITTED,
                to_state=other.status,
                data={"because": amendment.pk},
            )
        fallen_pks = [f.pk for f in fallen]
        data |= {"version": version.number, "sha256": version.sha256, "fallen": fallen_pks}
    audit.record(
        actor=actor,
        target=amendment,
        verb="amendment.decided",
        from_state=AmendmentStatus.SUBMITTED,
        to_state=amendment.status,
        data=data,
    )
    return amendment


def _merge(*, motion: Motion, amendment: Amendment, actor) -> MotionVersion:
    """The next version: the amended version with every amendment adopted on it merged."""
    base = amendment.version
    adopted = list(
        motion.amendments.filter(status=AmendmentStatus.ADOPTED, version=base).order_by("id")
    )
    lines = mt.merge(mt.from_json(base.lines), [change_of(a) for a in adopted])
    number = current_version(motion).number + 1
    return _new_version(motion=motion, number=number, lines=lines, actor=actor, amendment=amendment)


@transaction.atomic
def record_motion_outcome(
    *, actor, motion: Motion, adopted: bool, result_ref: str | None = None
) -> Motion:
    """The poll's result on the motion as amended; adopted, its text's hash is recorded."""
    motion = _lock_motion(motion)
    check_may_put_to_vote(motion)
    motion.status = MotionStatus.ADOPTED if adopted else MotionStatus.REJECTED
    motion.decided_at = timezone.now()
    motion.result_ref = (result_ref or "")[:200]
    fields = ["status", "decided_at", "result_ref"]
    data: dict[str, Any] = {"result": motion.result_ref}
    if adopted:
        version = current_version(motion)
        motion.adopted_version = version
        motion.adopted_sha256 = version.sha256
        fields += ["adopted_version", "adopted_sha256"]
        data |= {"version": version.number, "sha256": version.sha256}
    motion.save(update_fields=fields)
    audit.record(
        actor=actor,
        target=motion,
        verb="motion.decided",
        from_state=MotionStatus.SUBMITTED,
        to_state=motion.status,
        data=data,
    )
    return motion


# --- Translations and the published declaration ----------------------------------------------


@transaction.atomic
def add_translation(*, actor, motion: Motion, language: str, lines: list[mt.Line]) -> MotionVersion:
    """The bureau adds a translation of the adopted text (or, before, of the current one).

    It must keep the original's line count and sections, so that line n translates line n.
    """
    motion = _lock_motion(motion)
    if not is_bureau_of(actor, motion.session.coalition_id):
        raise GovernanceError(_("Only the bureau may add a translation."))
    if language not in LANGUAGES or language == motion.language:
        raise GovernanceError(
            _("Choose a language other than the authoritative text's."), field="language"
        )
    original = motion.adopted_version or current_version(motion)
    source = mt.from_json(original.lines)
    if [line.section for line in lines] != [line.section for line in source]:
        raise GovernanceError(
            _("The translation must have the same lines as the text: %(n)s.") % {"n": len(source)},
            field="operative" if motion.is_declaration else "body",
        )
    if MotionVersion.objects.filter(motion=motion, number=original.number, language=language):
        raise GovernanceError(_("This text has a translation in that language."), field="language")
    translation = MotionVersion.objects.create(
        motion=motion,
        number=original.number,
        language=language,
        is_authoritative=False,
        translation_of=original,
        lines=mt.to_json(lines),
        sha256=mt.sha256(lines),
        created_by=acting_user(actor),
    )
    audit.record(
        actor=actor,
        target=translation,
        verb="motion.translation_added",
        data={"motion": motion.pk, "version": original.number, "language": language},
    )
    if motion.published_at:
        _queue_pdf(motion)
    return translation


def _unique_slug(motion: Motion) -> str:
    base = slugify(f"{motion.session.local_starts_at:%Y} {motion.title}")[:100] or "declaration"
    slug, n = base, 2
    while Motion.objects.filter(slug=slug).exclude(pk=motion.pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _queue_pdf(motion: Motion) -> DeclarationPDF:
    pdf, _created = DeclarationPDF.objects.update_or_create(
        motion=motion, defaults=jobs.fresh_attempt()
    )
    jobs.enqueue_on_commit(RENDER_TASK, motion.pk, on_failure=lambda: _undispatched(motion.pk))
    return pdf


def _undispatched(motion_pk: int) -> None:
    DeclarationPDF.objects.filter(motion_id=motion_pk, status="queued").update(dispatched_at=None)


@transaction.atomic
def publish_declaration(*, actor, motion: Motion) -> Motion:
    """The bureau publishes an adopted declaration: its public page, and its PDF (Celery)."""
    motion = _lock_motion(motion)
    if not is_bureau_of(actor, motion.session.coalition_id):
        raise GovernanceError(_("Only the bureau may publish."))
    if motion.kind != MotionKind.DECLARATION or motion.status != MotionStatus.ADOPTED:
        raise GovernanceError(_("Only an adopted declaration is published."))
    if motion.published_at:
        return motion
    motion.slug = _unique_slug(motion)
    motion.published_at = timezone.now()
    motion.save(update_fields=["slug", "published_at"])
    _queue_pdf(motion)
    audit.record(
        actor=actor,
        target=motion,
        verb="declaration.published",
        data={"slug": motion.slug, "sha256": motion.adopted_sha256},
    )
    return motion
