"""Check-in and check-out, at the desk, by code or online; the city's card follows its attendees."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition import audit
from coalition.services import model_update
from governance import selectors_attendance as reads
from governance.models import (
    AssemblySession,
    AttendanceChannel,
    AttendanceEvent,
    AttendanceKind,
    AttendeeRole,
    CardHolding,
    Registration,
    RegistrationStatus,
    SessionMode,
    SessionStatus,
)
from governance.services import proxies
from governance.services.common import GovernanceError, acting_user

from .codes import hash_code, normalise_code
from .shared import _end, _lock, _require_sitting_or_convened, _take_card


def _record_event(*, actor, registration: Registration, kind: str, channel: str) -> None:
    """The attendance event, audited as "attendance.check_in" or "attendance.check_out"."""
    AttendanceEvent.objects.create(
        session_id=registration.session_id,
        registration=registration,
        city_id=registration.city_id,
        person_id=registration.person_id,
        kind=kind,
        channel=channel,
        recorded_by=actor,
    )
    audit.record(
        actor=acting_user(actor),
        target=registration,
        verb=f"attendance.{kind}",
        data={"channel": channel, "city": registration.city_id},
    )


@transaction.atomic
def check_in(*, actor, registration: Registration, channel: str) -> Registration:
    """Record a check-in; the city's card goes to the arriving delegate or substitute."""
    registration = _lock(registration)
    session = registration.session
    _require_sitting_or_convened(session)
    if not registration.is_accredited:
        raise GovernanceError(_("Only an accredited person can check in."))
    if channel == AttendanceChannel.ONLINE:
        if session.mode == SessionMode.IN_PERSON:
            raise GovernanceError(_("This session takes place in person only."))
        if session.status != SessionStatus.IN_SESSION:
            raise GovernanceError(_("You can join online once the session is open."))
    if reads.registration_present(registration):
        raise GovernanceError(
            _("%(person)s is checked in already.") % {"person": registration.person}, field="code"
        )
    # The city's own delegate or substitute arrives: its proxies end. Locked before the first
    # audit record (the log's append lock), in the order a ballot by proxy takes them too.
    ending = (
        proxies.lock_proxies_of_principal(
            session_id=registration.session_id, city_id=registration.city_id
        )
        if registration.may_hold_card
        else []
    )
    _record_event(
        actor=actor, registration=registration, kind=AttendanceKind.CHECK_IN, channel=channel
    )
    if registration.may_hold_card:
        _take_card(actor=actor, registration=registration)
    proxies.end_proxies_on_check_in(actor=actor, proxies=ending)
    return registration


@transaction.atomic
def check_in_by_code(*, actor, session: AssemblySession, code: str) -> Registration:
    """The desk types or scans a code: a wrong or used code is a form error on `code`."""
    digest = hash_code(code)
    registration = (
        Registration.objects.select_for_update(of=("self",))
        .filter(session=session, code_hash=digest, status=RegistrationStatus.ACCREDITED)
        .first()
        if normalise_code(code)
        else None
    )
    if registration is None:
        raise GovernanceError(_("This code is not valid for this session."), field="code")
    if registration.code_used_at is not None:
        raise GovernanceError(
            _("This code was used already (%(when)s).")
            % {
                "when": timezone.localtime(registration.code_used_at, session.zone).strftime(
                    "%H:%M"
                )
            },
            field="code",
        )
    model_update(registration, fields={"code_used_at": timezone.now()}, actor=actor)
    return check_in(actor=actor, registration=registration, channel=AttendanceChannel.DESK)


@transaction.atomic
def check_out(*, actor, registration: Registration, channel: str) -> Registration:
    """Record a check-out; a card the person held passes to a present colleague, or is released."""
    registration = _lock(registration)
    _require_sitting_or_convened(registration.session)
    if not reads.registration_present(registration):
        raise GovernanceError(_("%(person)s is not checked in.") % {"person": registration.person})
    _record_event(
        actor=actor, registration=registration, kind=AttendanceKind.CHECK_OUT, channel=channel
    )
    holding = (
        CardHolding.objects.select_for_update(of=("self",))
        .filter(session_id=registration.session_id, holder_id=registration.person_id, current=True)
        .first()
    )
    if holding is not None:
        _end(holding, actor=actor)
        audit.record(actor=acting_user(actor), target=holding, verb="card.released")
        colleagues = [
            r
            for r in reads.registrations_of(registration.session, city=registration.city)
            if r.present and r.is_accredited and r.may_hold_card and r.pk != registration.pk
        ]
        colleagues.sort(key=lambda r: (r.role != AttendeeRole.DELEGATE, r.pk))
        if colleagues:
            _take_card(actor=actor, registration=colleagues[0], handed_from=registration.person)
    return registration
