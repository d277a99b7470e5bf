"""The minutes of an assembly session: generated, written, approved two ways, published.

- `generate_minutes`: the minute-taker or the bureau draws the record from the session's stored
  data (governance.minutes_record); generating again while a draft replaces the record only.
- `save_narrative`: the minute-taker or the bureau writes per item and general remarks.
- Approval by circulation: the bureau circulates the draft with an objection window; only a
  city that attended the session objects (its coordinator, delegate or accredited substitute,
  with a reason; one objection per city and round); the bureau reopens the draft to amend it
  and circulates again; a window that ends with no objection approves the minutes
  (`settle_circulation`, from Celery beat: reading a page never changes them).
- Approval at an assembly: the bureau puts the draft before an "approval of the minutes" item
  of a later session; the poll on that item, once its result is public, approves the minutes
  (`record_assembly_vote`, called by the poll's subject) or sends them back to the draft.
- `publish_minutes`: the bureau publishes approved minutes; their PDF is rendered by Celery.

Every step is audited and emailed to those concerned, each in their own language.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from coalition import audit, jobs
from coalition.mail import absolute_url
from governance import access, minutes_record
from governance.models import (
    AgendaItem,
    AgendaItemKind,
    AgendaItemStatus,
    ApprovalRoute,
    AssemblyPoll,
    AssemblySession,
    AttendanceEvent,
    AttendanceKind,
    AttendeeRole,
    Minutes,
    MinutesObjection,
    MinutesPDF,
    MinutesStatus,
    Registration,
    RegistrationStatus,
    SessionStatus,
)
from governance.notifications import notify
from governance.services.common import GovernanceError, acting_user, bureau_emails
from members.models import City, Role, RoleKind

#: Named by its dotted path (its Celery name): the tasks module imports this one (ADR 0006).
RENDER_TASK = "governance.tasks.render_minutes_pdf"

#: Sessions whose minutes may be drawn: those that sat.
SAT = (SessionStatus.IN_SESSION, SessionStatus.CLOSED)


# --- Who acts ---------------------------------------------------------------------------------


def _require_writer(actor, session: AssemblySession) -> None:
    if not access.is_minute_writer(actor, session):
        raise GovernanceError(_("Only the minute-taker or the bureau writes the minutes."))


def _require_bureau(actor, session: AssemblySession) -> None:
    if not access.is_bureau(actor, session.coalition_id):
        raise GovernanceError(_("Only the bureau may do this."))


def attending_city_ids(session: AssemblySession) -> set[int]:
    """The cities one of whose accredited people checked in at the session (one query)."""
    return set(
        AttendanceEvent.objects.filter(session=session, kind=AttendanceKind.CHECK_IN).values_list(
            "city_id", flat=True
        )
    )


def substitute_city_ids(user, session: AssemblySession) -> set[int]:
    """Cities of which this person was an accredited substitute at the session (one query).

    Accreditation checked their certification for the city (ADR 0008): a certified substitute
    who sat for the city speaks for it on its minutes, as its coordinator and delegate do.
    """
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        Registration.objects.filter(
            session=session,
            person=user,
            role=AttendeeRole.SUBSTITUTE,
            status=RegistrationStatus.ACCREDITED,
        ).values_list("city_id", flat=True)
    )


def objecting_city_ids(user, minutes: Minutes) -> list[int]:
    """The attending cities this person may object for: their coordinator, delegate, or the
    certified substitute accredited for the city at the session."""
    session = minutes.session
    speaks_for = set(access.registrar_city_ids(user)) | substitute_city_ids(user, session)
    return sorted(speaks_for & attending_city_ids(session))


def _city_emails(city_ids) -> list[str]:
    today = timezone.localdate()
    return sorted(
        set(
            Role.objects.current(today)
            .filter(kind__in=[RoleKind.COORDINATOR, RoleKind.DELEGATE], city_id__in=city_ids)
            .values_list("user__email", flat=True)
        )
    )


def _notify(minutes: Minutes, event: str, *, to, **context) -> None:
    to = sorted(set(to))
    if not to:
        return
    session = minutes.session
    notify(
        "minutes",
        to=to,
        context={
            "event": event,
            "minutes": minutes,
            "session": session,
            "url": absolute_url(reverse("governance:minutes_circulation", args=[session.pk])),
            "public_url": absolute_url(reverse("governance:minutes_public", args=[session.pk])),
            **context,
        },
    )


def _lock(minutes: Minutes) -> Minutes:
    return (
        Minutes.objects.select_for_update(of=("self",))
        .select_related("session__coalition", "session__minute_taker")
        .get(pk=minutes.pk)
    )


def _today(session: AssemblySession) -> dt.date:
    return timezone.localdate(timezone.now(), session.zone)


# --- The draft --------------------------------------------------------------------------------


@transaction.atomic
def generate_minutes(*, actor, session: AssemblySession) -> Minutes:
    """Draw the record from the session's stored data; the narrative is kept as it was."""
    session = AssemblySession.objects.select_for_update(of=("self",)).get(pk=session.pk)
    _require_writer(actor, session)
    if session.status not in SAT:
        raise GovernanceError(_("Minutes are drawn once the session has sat."))
    record = minutes_record.build_record(session)
    digest = minutes_record.record_sha256(record)
    minutes = Minutes.objects.select_for_update().filter(session=session).first()
    now = timezone.now()
    if minutes is None:
        minutes = Minutes.objects.create(
            session=session,
            record=record,
            record_sha256=digest,
            generated_at=now,
            generated_by=acting_user(actor),
        )
        verb = "minutes.generated"
    else:
        if not minutes.is_draft:
            raise GovernanceError(_("Only a draft is generated again."))
        minutes.record = record
        minutes.record_sha256 = digest
        minutes.generated_at = now
        minutes.generated_by = acting_user(actor)
        minutes.save(update_fields=["record", "record_sha256", "generated_at", "generated_by"])
        verb = "minutes.regenerated"
    audit.record(
        actor=acting_user(actor),
        target=minutes,
        verb=verb,
        to_state=minutes.status,
        data={"session": session.pk, "sha256": digest},
    )
    return minutes


@transaction.atomic
def save_narrative(*, actor, minutes: Minutes, narrative: dict[int, str], remarks: str) -> Minutes:
    """The minute-taker's (or the bureau's) text per agenda item and general remarks."""
    minutes = _lock(minutes)
    _require_writer(actor, minutes.session)
    if not minutes.is_draft:
        raise GovernanceError(_("The minutes are no longer a draft: reopen them to amend."))
    item_ids = {item["id"] for item in minutes.record.get("items", [])}
    unknown = set(narrative) - item_ids
    if unknown:
        raise GovernanceError(_("An agenda item of the narrative is not in the minutes."))
    kept = {k: v for k, v in (minutes.narrative or {}).items() if int(k) not in narrative}
    kept.update({str(pk): text.strip() for pk, text in narrative.items() if text.strip()})
    changed = kept != (minutes.narrative or {}) or remarks.strip() != minutes.remarks
    if not changed:
        return minutes
    minutes.narrative = kept
    minutes.remarks = remarks.strip()
    minutes.edited_at = timezone.now()
    minutes.edited_by = acting_user(actor)
    minutes.save(update_fields=["narrative", "remarks", "edited_at", "edited_by"])
    audit.record(
        actor=acting_user(actor),
        target=minutes,
        verb="minutes.narrative_saved",
        data={"items": sorted(int(k) for k in kept), "remarks": bool(minutes.remarks)},
    )
    return minutes


# --- Approval by circulation ------------------------------------------------------------------


@transaction.atomic
def circulate_minutes(
    *, actor, minutes: Minutes, objections_from: dt.date, objections_until: dt.date
) -> Minutes:
    """The bureau circulates the draft: the attending cities may object within the window."""
    minutes = _lock(minutes)
    session = minutes.session
    _require_bureau(actor, session)
    if not minutes.is_draft:
        raise GovernanceError(_("Only a draft is circulated."))
    if objections_until < objections_from:
        raise GovernanceError(
            _("The window must end on or after its first day."), field="objections_until"
        )
    if objections_until < _today(session):
        raise GovernanceError(_("The window must not end in the past."), field="objections_until")
    minutes.status = MinutesStatus.CIRCULATED
    minutes.round += 1
    minutes.circulated_at = timezone.now()
    minutes.objections_from = objections_from
    minutes.objections_until = objections_until
    minutes.save(
        update_fields=["status", "round", "circulated_at", "objections_from", "objections_until"]
    )
    audit.record(
        actor=acting_user(actor),
        target=minutes,
        verb="minutes.circulated",
        from_state=MinutesStatus.DRAFT,
        to_state=minutes.status,
        data={
            "round": minutes.round,
            "from": objections_from.isoformat(),
            "until": objections_until.isoformat(),
            "sha256": minutes.record_sha256,
        },
    )
    _notify(minutes, "circulated", to=_city_emails(attending_city_ids(session)))
    return minutes


@transaction.atomic
def object_to_minutes(*, actor, minutes: Minutes, city: City, reason: str) -> MinutesObjection:
    """An attending city objects, through its coordinator or delegate, within the window."""
    minutes = _lock(minutes)
    session = minutes.session
    if minutes.status != MinutesStatus.CIRCULATED:
        raise GovernanceError(_("The minutes are not circulated for objections."))
    today = _today(session)
    assert minutes.objections_from is not None and minutes.objections_until is not None
    if not (minutes.objections_from <= today <= minutes.objections_until):
        raise GovernanceError(_("Objections are received only within the window."))
    if city.pk not in attending_city_ids(session):
        raise GovernanceError(
            _("Only a city that attended the session may object to its minutes."), field="city"
        )
    if city.pk not in objecting_city_ids(actor, minutes):
        raise GovernanceError(
            _("Only the city's coordinator, delegate or accredited substitute may object for it."),
            field="city",
        )
    reason = reason.strip()
    if not reason:
        raise GovernanceError(_("Say why the city objects."), field="reason")
    earlier = (
        MinutesObjection.objects.filter(minutes=minutes, round=minutes.round, city=city)
        .select_related("filed_by")
        .first()
    )
    if earlier is not None:
        # One objection per city and round, whoever of the city files it.
        raise GovernanceError(
            _(
                "%(city)s has objected to this circulation already (%(person)s, %(when)s): "
                "one objection per city."
            )
            % {
                "city": city.name,
                "person": earlier.filed_by,
                "when": date_format(timezone.localtime(earlier.filed_at), "DATETIME_FORMAT"),
            },
            field="city",
        )
    objection = MinutesObjection.objects.create(
        minutes=minutes,
        round=minutes.round,
        city=city,
        filed_by=acting_user(actor),
        reason=reason,
    )
    audit.record(
        actor=acting_user(actor),
        target=minutes,
        verb="minutes.objection",
        data={"round": minutes.round, "city": city.pk, "objection": objection.pk},
    )
    _notify(
        minutes, "objection", to=bureau_emails(session.coalition), objection=objection, city=city
    )
    return objection


@transaction.atomic
def reopen_minutes(*, actor, minutes: Minutes, answer: str = "") -> Minutes:
    """The bureau takes circulated (or rejected) minutes back into a draft to amend them."""
    minutes = _lock(minutes)
    session = minutes.session
    _require_bureau(actor, session)
    if minutes.status not in (MinutesStatus.CIRCULATED, MinutesStatus.BEFORE_ASSEMBLY):
        raise GovernanceError(_("Only circulated minutes, or minutes before an assembly, reopen."))
    before = minutes.status
    now = timezone.now()
    objections = list(
        MinutesObjection.objects.filter(minutes=minutes, round=minutes.round, answered_at=None)
    )
    MinutesObjection.objects.filter(pk__in=[o.pk for o in objections]).update(
        answered_at=now, answer=answer.strip()
    )
    minutes.status = MinutesStatus.DRAFT
    minutes.approval_item = None
    minutes.save(update_fields=["status", "approval_item"])
    audit.record(
        actor=acting_user(actor),
        target=minutes,
        verb="minutes.reopened",
        from_state=before,
        to_state=minutes.status,
        data={"round": minutes.round, "objections": [o.pk for o in objections]},
    )
    _notify(
        minutes,
        "reopened",
        to=[o.filed_by.email for o in objections],
        answer=answer.strip(),
    )
    return minutes


def _approve(minutes: Minutes, *, route: str, ref: str, actor) -> Minutes:
    before = minutes.status
    minutes.status = MinutesStatus.APPROVED
    minutes.approved_at = timezone.now()
    minutes.approval_route = route
    minutes.approval_ref = ref[:300]
    minutes.save(update_fields=["status", "approved_at", "approval_route", "approval_ref"])
    audit.record(
        actor=actor,
        target=minutes,
        verb="minutes.approved",
        from_state=before,
        to_state=minutes.status,
        data={"route": route, "ref": minutes.approval_ref, "sha256": minutes.record_sha256},
    )
    session = minutes.session
    _notify(
        minutes,
        "approved",
        to=[*bureau_emails(session.coalition), *_city_emails(attending_city_ids(session))],
    )
    return minutes


@transaction.atomic
def settle_circulation(*, minutes: Minutes, today: dt.date | None = None) -> bool:
    """Once the window has ended with no objection in its round, the minutes are approved.

    Idempotent: True only for the call that approved them. With objections, nothing changes:
    the bureau was told of each and amends and circulates again.
    """
    minutes = _lock(minutes)
    if minutes.status != MinutesStatus.CIRCULATED:
        return False
    today = today or _today(minutes.session)
    assert minutes.objections_until is not None and minutes.objections_from is not None
    if today <= minutes.objections_until:
        return False
    if MinutesObjection.objects.filter(minutes=minutes, round=minutes.round).exists():
        return False
    _approve(
        minutes,
        route=ApprovalRoute.CIRCULATION,
        ref=(
            f"No objection from {minutes.objections_from.isoformat()} to "
            f"{minutes.objections_until.isoformat()} (circulation {minutes.round})"
        ),
        actor=None,
    )
    return True


def settle_due_circulations() -> list[int]:
    """Celery beat: approve every circulated minutes whose window ended with no objection."""
    approved = []
    for minutes in Minutes.objects.filter(status=MinutesStatus.CIRCULATED).select_related(
        "session"
    ):
        if settle_circulation(minutes=minutes):
            approved.append(minutes.pk)
    return approved


# --- Approval at an assembly ------------------------------------------------------------------


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
    minutes.status = MinutesStatus.BEFORE_ASSEMBLY
    minutes.approval_item = item
    minutes.save(update_fields=["status", "approval_item"])
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
    minutes.status = MinutesStatus.DRAFT
    minutes.approval_item = None
    minutes.save(update_fields=["status", "approval_item"])
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


# --- Publication ------------------------------------------------------------------------------


def _undispatched(minutes_pk: int) -> None:
    MinutesPDF.objects.filter(minutes_id=minutes_pk, status="queued").update(dispatched_at=None)


def queue_pdf(minutes: Minutes) -> MinutesPDF:
    pdf, _created = MinutesPDF.objects.update_or_create(
        minutes=minutes, defaults=jobs.fresh_attempt()
    )
    jobs.enqueue_on_commit(RENDER_TASK, minutes.pk, on_failure=lambda: _undispatched(minutes.pk))
    return pdf


@transaction.atomic
def publish_minutes(*, actor, minutes: Minutes) -> Minutes:
    """The bureau publishes approved minutes: the session's public page, and the PDF (Celery)."""
    minutes = _lock(minutes)
    session = minutes.session
    _require_bureau(actor, session)
    if minutes.status != MinutesStatus.APPROVED:
        raise GovernanceError(_("Only approved minutes are published."))
    minutes.status = MinutesStatus.PUBLISHED
    minutes.published_at = timezone.now()
    minutes.published_by = acting_user(actor)
    minutes.save(update_fields=["status", "published_at", "published_by"])
    queue_pdf(minutes)
    audit.record(
        actor=acting_user(actor),
        target=minutes,
        verb="minutes.published",
        from_state=MinutesStatus.APPROVED,
        to_state=minutes.status,
        data={"sha256": minutes.record_sha256},
    )
    _notify(
        minutes,
        "published",
        to=[*bureau_emails(session.coalition), *_city_emails(attending_city_ids(session))],
    )
    return minutes
