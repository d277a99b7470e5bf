"""Sessions of the General Assembly and Conference: drafting, the agenda, convening, late items,
and member cities requiring an extraordinary assembly.

Every function is keyword-only, atomic and audited. The session follows the statute
profile copied when it is convened (`statute_snapshot`), never a later edit. The
procedural vote on an item added at the session is recorded here as its count
(`record_late_item_vote`, judged by the profile's late-item majority); casting it
through the vote engine belongs to the polls work.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from coalition import audit, mail, outbox
from coalition.services import model_update
from coalition.translated import written_language
from governance import convocations, rules
from governance.models import (
    AgendaDocument,
    AgendaItem,
    AgendaItemStatus,
    AssemblySession,
    CertificationRole,
    ConvocationDelivery,
    DelegateCertification,
    ExclusionProposal,
    ExtraordinaryRequest,
    ProposalStatus,
    RecipientRole,
    SessionBody,
    SessionMode,
    SessionStatus,
    StatuteProfile,
)
from governance.notifications import notify
from governance.services.common import GovernanceError, acting_user, bureau_emails
from governance.services.delegates import is_coordinator_of
from governance.statute_selectors import voting_rights
from members.models import PUBLIC_STATUSES, City, Coalition, Membership, Role, RoleKind

CONVOCATION_EMAIL = "convocation"


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


def _lock(session: AssemblySession) -> AssemblySession:
    return (
        AssemblySession.objects.select_for_update().select_related("coalition").get(pk=session.pk)
    )


def _require_draft(session: AssemblySession) -> None:
    if session.status != SessionStatus.DRAFT:
        raise GovernanceError(_("The session was convened: its details and agenda are frozen."))


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


# --- The agenda before convening ------------------------------------------------------------


@transaction.atomic
def add_agenda_item(
    *, actor, session: AssemblySession, kind: str, title: str, description: str = ""
) -> AgendaItem:
    session = _lock(session)
    _require_draft(session)
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
    )
    item.full_clean()
    item.save()
    audit.record(
        actor=actor,
        target=item,
        verb="agenda.item_added",
        to_state=item.status,
        data={"session": session.pk, "kind": kind, "title": item.title},
    )
    return item


def _active_items(session: AssemblySession) -> list[AgendaItem]:
    return list(session.items.exclude(status=AgendaItemStatus.WITHDRAWN).order_by("position", "id"))


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


# --- Convening -------------------------------------------------------------------------------


@dataclass(frozen=True)
class NoticeCheck:
    """Whether the session's first day respects the statute's notice if convened today."""

    extraordinary: bool
    days_required: int
    earliest_start: dt.date
    starts_on: dt.date
    source: str

    @property
    def respected(self) -> bool:
        return self.starts_on >= self.earliest_start


def notice_check(
    session: AssemblySession, *, profile: StatuteProfile | None = None, today: dt.date | None = None
) -> NoticeCheck:
    """Counted in days, in the session's time zone: convened today for a start N days later."""
    zone = session.zone
    today = today or timezone.localdate(timezone.now(), zone)
    profile = profile or StatuteProfile.current_for(session.coalition, today)
    if session.extraordinary:
        days, key = profile.notice_days_extraordinary, "notice_extraordinary"
    else:
        days, key = profile.notice_days_ordinary, "notice_ordinary"
    return NoticeCheck(
        extraordinary=session.extraordinary,
        days_required=days,
        earliest_start=today + dt.timedelta(days=days),
        starts_on=session.local_starts_at.date(),
        source=profile.source_of(key),
    )


@dataclass(frozen=True)
class Recipient:
    city: City
    email: str
    role: str
    has_voting_rights: bool


def recipients(session: AssemblySession, *, on: dt.date | None = None) -> list[Recipient]:
    """The coordinators and certified delegates and substitutes of every member city.

    Cities without voting rights are told too (they may attend and learn what was decided);
    a person named twice receives one email. A fixed number of queries.
    """
    on = on or timezone.localdate()
    start = session.local_starts_at.date()
    rights = {
        r.city.pk: r
        for r in voting_rights(session.coalition, on=max(on, start))
        if r.status in PUBLIC_STATUSES or r.membership.status in PUBLIC_STATUSES
    }
    cities = {
        m.city_id: m.city
        for m in Membership.objects.filter(
            coalition=session.coalition, status__in=PUBLIC_STATUSES
        ).select_related("city")
    }
    found: dict[str, Recipient] = {}

    def add(city_id: int, email: str, role: str) -> None:
        address = (email or "").strip().lower()
        if not address or address in found:
            return
        right = rights.get(city_id)
        found[address] = Recipient(
            cities[city_id], address, role, bool(right and right.has_voting_rights)
        )

    for city_id, email in (
        Role.objects.current(on)
        .filter(kind=RoleKind.COORDINATOR, city_id__in=cities)
        .order_by("city_id", "user__email")
        .values_list("city_id", "user__email")
    ):
        add(city_id, email, RecipientRole.COORDINATOR)
    certified = (
        DelegateCertification.objects.filter(
            coalition=session.coalition, city_id__in=cities, status="validated"
        )
        .overlapping(on, max(on, start))
        .order_by("city_id", "role", "person__email")
        .values_list("city_id", "role", "person__email")
    )
    for city_id, role, email in certified:
        add(
            city_id,
            email,
            RecipientRole.DELEGATE
            if role == CertificationRole.DELEGATE
            else RecipientRole.SUBSTITUTE,
        )
    return sorted(found.values(), key=lambda r: (r.city.name, r.role, r.email))


def _queue_convocations(session: AssemblySession, people: list[Recipient]) -> int:
    if mail.is_silenced():
        return 0
    languages = mail.languages_of([r.email for r in people])
    context = {
        "session": session,
        "session_url": mail.absolute_url(session.get_absolute_url()),
        "pdf_url": mail.absolute_url(
            reverse("governance:session_convocation", kwargs={"pk": session.pk})
        ),
        "deadlines": convocations.deadlines(session),
    }
    rendered: dict[str, tuple[str, str, str]] = {}
    for person in people:
        language = languages[person.email]
        if language not in rendered:
            rendered[language] = mail.render_email(CONVOCATION_EMAIL, context, language)
        subject, text, html = rendered[language]
        email = outbox.queue_email(
            to=person.email, subject=subject, text=text, html=html, template=CONVOCATION_EMAIL
        )
        ConvocationDelivery.objects.create(
            session=session,
            city=person.city,
            email=person.email,
            role=person.role,
            language=language,
            has_voting_rights=person.has_voting_rights,
            outgoing_email=email,
        )
    return len(people)


@transaction.atomic
def convene_session(*, actor, session: AssemblySession) -> AssemblySession:
    """Convene: refuse a start inside the notice period, freeze the agenda, copy the statute,
    render the convocation and email every member city's coordinators and delegates."""
    session = _lock(session)
    _require_draft(session)
    schedule_exclusions(actor=actor, coalition=session.coalition)
    today = timezone.localdate(timezone.now(), session.zone)
    profile = StatuteProfile.current_for(session.coalition, today)
    check = notice_check(session, profile=profile, today=today)
    if not check.respected:
        raise GovernanceError(
            _(
                "The statute requires %(days)s days' notice: the session cannot start before "
                "%(date)s if convened today."
            )
            % {"days": check.days_required, "date": date_format(check.earliest_start)},
            field="starts_at",
        )
    items = _active_items(session)
    if not items:
        raise GovernanceError(_("Put at least one item on the agenda before convening."))
    for item in items:
        model_update(
            item, fields={"status": AgendaItemStatus.ANNOUNCED, "announced": True}, actor=actor
        )
    model_update(
        session,
        fields={
            "status": SessionStatus.CONVENED,
            "convened_at": timezone.now(),
            "convened_by": acting_user(actor),
            "statute_snapshot": profile.snapshot(),
        },
        actor=actor,
    )
    answered = 0
    if session.extraordinary:
        answered = ExtraordinaryRequest.objects.filter(
            coalition=session.coalition, closed_at__isnull=True
        ).update(answered_by_session=session, closed_at=session.convened_at)
    convocations.mark_queued(session)
    people = recipients(session, on=today)
    sent = _queue_convocations(session, people)
    audit.record(
        actor=actor,
        target=session,
        verb="session.convened",
        from_state=SessionStatus.DRAFT,
        to_state=session.status,
        data={
            "items": [item.pk for item in items],
            "statute_version": profile.version,
            "notice_days": check.days_required,
            "recipients": sent,
            "answered_requests": answered,
        },
    )
    convocations.dispatch(session.pk)
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


# --- In session: late items, and what may be decided ------------------------------------------


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
        status=AgendaItemStatus.PENDING_APPROVAL,
    )
    item.full_clean()
    item.save()
    audit.record(
        actor=actor,
        target=item,
        verb="agenda.late_item_proposed",
        to_state=item.status,
        data={"session": session.pk, "kind": kind, "title": item.title},
    )
    return item


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


# --- Deliveries ----------------------------------------------------------------------------


@transaction.atomic
def record_bounce(*, actor, delivery: ConvocationDelivery, note: str) -> ConvocationDelivery:
    """The bureau records that a convocation bounced (the mail server's reply reached it)."""
    delivery = ConvocationDelivery.objects.select_for_update().get(pk=delivery.pk)
    if not note.strip():
        raise GovernanceError(_("Say what bounced (the mail server's reply)."), field="note")
    model_update(
        delivery,
        fields={
            "bounced_at": timezone.now(),
            "bounce_note": note.strip()[:500],
            "bounce_recorded_by": acting_user(actor),
        },
        actor=actor,
    )
    audit.record(
        actor=actor,
        target=delivery,
        verb="convocation.bounced",
        to_state="bounced",
        message=delivery.bounce_note,
        data={"session": delivery.session_id, "email": delivery.email},
    )
    return delivery


# --- Member cities require an extraordinary assembly -------------------------------------------


@dataclass(frozen=True)
class ExtraordinaryStatus:
    members: int
    share: str
    required: int
    open_requests: int
    convene_by: dt.date | None

    @property
    def reached(self) -> bool:
        return self.open_requests >= self.required


def extraordinary_status(coalition: Coalition) -> ExtraordinaryStatus:
    profile = StatuteProfile.current_for(coalition)
    members = Membership.objects.filter(coalition=coalition, status__in=PUBLIC_STATUSES).count()
    share = rules.parse_share(profile.extraordinary_request_share or "1/10")
    required = max(1, math.ceil(share * members))
    open_requests = ExtraordinaryRequest.objects.filter(coalition=coalition, closed_at__isnull=True)
    convene_by = (
        open_requests.exclude(convene_by=None).order_by("convene_by").values_list(
            "convene_by", flat=True
        ).first()
    )  # fmt: skip
    return ExtraordinaryStatus(
        members=members,
        share=profile.extraordinary_request_share,
        required=required,
        open_requests=open_requests.count(),
        convene_by=convene_by,
    )


@transaction.atomic
def request_extraordinary_assembly(
    *, actor, coalition: Coalition, city: City, reason: str
) -> ExtraordinaryRequest:
    """A member city's coordinator requires an extraordinary General Assembly.

    When the open requests reach the statute's share of member cities, the bureau is told
    and the day it must convene by is recorded on every open request.
    """
    if not is_coordinator_of(actor, city):
        raise GovernanceError(_("Only a coordinator of %(city)s may ask.") % {"city": city.name})
    # Serialise the requests of one coalition: the threshold is crossed exactly once.
    Coalition.objects.select_for_update().filter(pk=coalition.pk).first()
    if not Membership.objects.filter(
        city=city, coalition=coalition, status__in=PUBLIC_STATUSES
    ).exists():
        raise GovernanceError(
            _("%(city)s is not a member of %(coalition)s.")
            % {"city": city.name, "coalition": coalition.short_name}
        )
    if not reason.strip():
        raise GovernanceError(_("Give the purpose and the reasons."), field="reason")
    before = extraordinary_status(coalition)
    try:
        with transaction.atomic():
            request = ExtraordinaryRequest.objects.create(
                coalition=coalition, city=city, requested_by=actor, reason=reason.strip()
            )
    except IntegrityError as exc:
        raise GovernanceError(
            _("%(city)s has already asked; the request is open.") % {"city": city.name}
        ) from exc
    audit.record(
        actor=actor,
        target=request,
        verb="extraordinary.requested",
        message=request.reason,
        data={"coalition": coalition.pk, "city": city.pk},
    )
    after = extraordinary_status(coalition)
    if after.reached and not before.reached:
        profile = StatuteProfile.current_for(coalition)
        now = timezone.now()
        convene_by = timezone.localdate(now) + dt.timedelta(days=profile.extraordinary_convene_days)
        ExtraordinaryRequest.objects.filter(coalition=coalition, closed_at__isnull=True).update(
            threshold_reached_at=now, convene_by=convene_by
        )
        audit.record(
            actor=actor,
            target=request,
            verb="extraordinary.threshold_reached",
            data={
                "requests": after.open_requests,
                "required": after.required,
                "members": after.members,
                "convene_by": convene_by.isoformat(),
            },
        )
        notify(
            "extraordinary-threshold",
            to=bureau_emails(coalition),
            context={
                "coalition": coalition,
                "status": after,
                "convene_by": convene_by,
                "sessions_url": mail.absolute_url(reverse("governance:session_list")),
            },
        )
        request.refresh_from_db()
    return request
