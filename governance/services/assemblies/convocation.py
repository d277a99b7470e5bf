"""Convening a session: the notice period, who is convened, the convocation emails and PDF; and the
bounces the bureau records on a delivery."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from coalition import audit, mail, outbox
from coalition.services import model_update
from governance import convocations
from governance.models import (
    AgendaItemStatus,
    AssemblySession,
    CertificationRole,
    ConvocationDelivery,
    DelegateCertification,
    ExtraordinaryRequest,
    RecipientRole,
    SessionStatus,
    StatuteProfile,
)
from governance.services.common import GovernanceError, acting_user
from governance.statute_selectors import voting_rights
from members.models import PUBLIC_STATUSES, City, Membership, Role, RoleKind

from .agenda import schedule_exclusions
from .shared import _active_items, _lock, _require_draft

CONVOCATION_EMAIL = "convocation"


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
