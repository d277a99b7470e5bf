"""Registration, accreditation, check-in and check-out, voting cards and roll calls (ADR 0008).

Who may call what is the views' business (governance.access); these functions guard the
state machines and the invariants: one current card per city and session, one per person
(partial unique constraints, which settle any race), codes stored only as their SHA-256.
"""

from __future__ import annotations

import hashlib
import secrets

import segno
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition import audit
from coalition.mail import absolute_url
from governance import selectors_attendance as reads
from governance.models import (
    AssemblySession,
    AttendanceChannel,
    AttendanceEvent,
    AttendanceKind,
    AttendanceMode,
    AttendeeRole,
    CardHolding,
    CertificationRole,
    DelegateCertification,
    Registration,
    RegistrationStatus,
    RollCall,
    RollCallEntry,
    SessionMode,
    SessionStatus,
)
from governance.notifications import notify
from governance.services import proxies
from governance.services.common import GovernanceError, acting_user, bureau_emails
from members.models import PUBLIC_STATUSES, City, Membership

#: Letters and digits that cannot be mistaken for one another when typed from paper.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12  # 60 bits


def normalise_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def hash_code(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def _registration_url(registration: Registration) -> str:
    return absolute_url(reverse("governance:registration_detail", args=[registration.pk]))


# --- Registration and accreditation ---------------------------------------------------------


@transaction.atomic
def register_attendee(
    *, actor, session: AssemblySession, city: City, person, role: str, mode: str
) -> Registration:
    """The city registers one person for the session; the bureau accredits them later."""
    session = AssemblySession.objects.select_for_update().get(pk=session.pk)
    if session.status not in (SessionStatus.CONVENED, SessionStatus.IN_SESSION):
        raise GovernanceError(_("Registration is open only once the session is convened."))
    if not Membership.objects.filter(
        city=city, coalition_id=session.coalition_id, status__in=PUBLIC_STATUSES
    ).exists():
        raise GovernanceError(_("%(city)s is not a member city.") % {"city": city.name})
    if mode == AttendanceMode.ONLINE and session.mode == SessionMode.IN_PERSON:
        raise GovernanceError(_("This session takes place in person only."), field="mode")
    if mode == AttendanceMode.IN_PERSON and session.mode == SessionMode.ONLINE:
        raise GovernanceError(_("This session takes place online only."), field="mode")
    open_ones = Registration.objects.filter(session=session, city=city).exclude(
        status=RegistrationStatus.REJECTED
    )
    if role == AttendeeRole.DELEGATE and open_ones.filter(role=AttendeeRole.DELEGATE).exists():
        raise GovernanceError(_("The city has registered its delegate already."), field="role")
    if role == AttendeeRole.SUBSTITUTE:
        cap = int(reads.snapshot_of(session).get("substitutes_per_city") or 0)
        if open_ones.filter(role=AttendeeRole.SUBSTITUTE).count() >= cap:
            raise GovernanceError(
                _("The statute allows %(cap)d substitutes per city.") % {"cap": cap},
                field="role",
            )
    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                session=session,
                city=city,
                person=person,
                role=role,
                mode=mode,
                registered_by=actor,
            )
    except IntegrityError as exc:
        raise GovernanceError(
            _("%(person)s is registered for this session already.") % {"person": person},
            field="person",
        ) from exc
    audit.record(
        actor=acting_user(actor),
        target=registration,
        verb="registration.submitted",
        to_state=registration.status,
        data={"session": session.pk, "city": city.pk, "role": role, "mode": mode},
    )
    notify(
        "registration-submitted",
        to=bureau_emails(session.coalition),
        context={"registration": registration, "session": session},
    )
    return registration


def _lock(registration: Registration) -> Registration:
    # Only the registration's row: locking the joined session, city or coalition rows would
    # queue every check-in of the session behind one another. Two people of one city racing
    # for its card are settled by the card's partial unique constraints.
    return (
        Registration.objects.select_for_update(of=("self",))
        .select_related("session__coalition", "city", "person")
        .get(pk=registration.pk)
    )


def _check_certification(registration: Registration) -> None:
    session = registration.session
    day = reads.session_day(session)
    wanted = (
        CertificationRole.DELEGATE
        if registration.role == AttendeeRole.DELEGATE
        else CertificationRole.SUBSTITUTE
    )
    if (
        not DelegateCertification.objects.in_force(day)
        .filter(
            coalition_id=session.coalition_id,
            city_id=registration.city_id,
            person_id=registration.person_id,
            role=wanted,
        )
        .exists()
    ):
        raise GovernanceError(
            _("%(person)s holds no validated certification as %(role)s of %(city)s for %(day)s.")
            % {
                "person": registration.person,
                "role": registration.get_role_display().lower(),
                "city": registration.city.name,
                "day": day.isoformat(),
            }
        )
    rights = {r.city.pk: r for r in reads.session_voting_rights(session)}
    right = rights.get(registration.city_id)
    if right is None or not right.has_voting_rights:
        reasons = "; ".join(str(reason) for reason in (right.reasons if right else ()))
        raise GovernanceError(
            _(
                "%(city)s has no voting rights for this session (%(reasons)s); "
                "it may send observers."
            )
            % {"city": registration.city.name, "reasons": reasons or _("not a member")}
        )


def _issue_code(registration: Registration) -> str:
    code = new_code()
    registration.code_hash = hash_code(code)
    registration.code_used_at = None
    return code


@transaction.atomic
def accredit_registration(*, actor, registration: Registration) -> tuple[Registration, str]:
    """Accredit against the certifications and voting rights; returns the one-time code.

    The code is emailed to the person and never stored (only its SHA-256 is).
    """
    registration = _lock(registration)
    if registration.status != RegistrationStatus.SUBMITTED:
        raise GovernanceError(_("This registration was decided already."))
    if registration.may_hold_card:
        _check_certification(registration)
    code = _issue_code(registration)
    registration.status = RegistrationStatus.ACCREDITED
    registration.decided_by = acting_user(actor)
    registration.decided_at = timezone.now()
    registration.save(
        update_fields=["status", "decided_by", "decided_at", "code_hash", "code_used_at"]
    )
    audit.record(
        actor=acting_user(actor),
        target=registration,
        verb="registration.accredited",
        from_state=RegistrationStatus.SUBMITTED,
        to_state=registration.status,
    )
    notify(
        "registration-accredited",
        to=[registration.person.email],
        context={
            "registration": registration,
            "session": registration.session,
            "code": code,
            "qr": qr_data_uri(code),
            "url": _registration_url(registration),
        },
    )
    return registration, code


@transaction.atomic
def reject_registration(*, actor, registration: Registration, reason: str) -> Registration:
    registration = _lock(registration)
    if registration.status != RegistrationStatus.SUBMITTED:
        raise GovernanceError(_("This registration was decided already."))
    reason = (reason or "").strip()
    if not reason:
        raise GovernanceError(_("Say why: the city sees the reason."), field="reason")
    registration.status = RegistrationStatus.REJECTED
    registration.rejection_reason = reason
    registration.decided_by = acting_user(actor)
    registration.decided_at = timezone.now()
    registration.save(update_fields=["status", "rejection_reason", "decided_by", "decided_at"])
    audit.record(
        actor=acting_user(actor),
        target=registration,
        verb="registration.rejected",
        from_state=RegistrationStatus.SUBMITTED,
        to_state=registration.status,
        message=reason,
    )
    notify(
        "registration-rejected",
        to=[registration.registered_by.email, registration.person.email],
        context={
            "registration": registration,
            "session": registration.session,
            "url": _registration_url(registration),
        },
    )
    return registration


@transaction.atomic
def reissue_code(*, actor, registration: Registration) -> str:
    """A new one-time code, shown once to the person (the previous one stops working)."""
    registration = _lock(registration)
    if not registration.is_accredited:
        raise GovernanceError(_("Only an accredited registration has a check-in code."))
    code = _issue_code(registration)
    registration.save(update_fields=["code_hash", "code_used_at"])
    audit.record(actor=acting_user(actor), target=registration, verb="registration.code_issued")
    return code


def qr_data_uri(code: str) -> str:
    """The code as a QR code, an SVG data URI (the CSP allows data: images)."""
    return segno.make(normalise_code(code), error="m").svg_data_uri(scale=5, border=2)


# --- Check-in and check-out -------------------------------------------------------------------


def _require_sitting_or_convened(session: AssemblySession) -> None:
    if session.status not in (SessionStatus.CONVENED, SessionStatus.IN_SESSION):
        raise GovernanceError(_("Attendance is recorded only for a convened or sitting session."))


def _take_card(*, actor, registration: Registration, handed_from=None) -> CardHolding | None:
    """Give the city's card to the registration if nobody holds it (the constraint decides)."""
    try:
        with transaction.atomic():
            holding = CardHolding.objects.create(
                session_id=registration.session_id,
                city_id=registration.city_id,
                holder_id=registration.person_id,
                registration=registration,
                handed_from=handed_from,
                recorded_by=actor,
            )
    except IntegrityError:
        return None
    audit.record(
        actor=acting_user(actor),
        target=holding,
        verb="card.taken" if handed_from is None else "card.handed",
        data={"city": registration.city_id, "holder": registration.person_id},
    )
    return holding


def _end(holding: CardHolding) -> None:
    holding.current = False
    holding.ended_at = timezone.now()
    holding.save(update_fields=["current", "ended_at"])


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
    AttendanceEvent.objects.create(
        session=session,
        registration=registration,
        city_id=registration.city_id,
        person_id=registration.person_id,
        kind=AttendanceKind.CHECK_IN,
        channel=channel,
        recorded_by=actor,
    )
    audit.record(
        actor=acting_user(actor),
        target=registration,
        verb="attendance.check_in",
        data={"channel": channel, "city": registration.city_id},
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
    registration.code_used_at = timezone.now()
    registration.save(update_fields=["code_used_at"])
    return check_in(actor=actor, registration=registration, channel=AttendanceChannel.DESK)


@transaction.atomic
def check_out(*, actor, registration: Registration, channel: str) -> Registration:
    """Record a check-out; a card the person held passes to a present colleague, or is released."""
    registration = _lock(registration)
    _require_sitting_or_convened(registration.session)
    if not reads.registration_present(registration):
        raise GovernanceError(_("%(person)s is not checked in.") % {"person": registration.person})
    AttendanceEvent.objects.create(
        session_id=registration.session_id,
        registration=registration,
        city_id=registration.city_id,
        person_id=registration.person_id,
        kind=AttendanceKind.CHECK_OUT,
        channel=channel,
        recorded_by=actor,
    )
    audit.record(
        actor=acting_user(actor),
        target=registration,
        verb="attendance.check_out",
        data={"channel": channel, "city": registration.city_id},
    )
    holding = (
        CardHolding.objects.select_for_update(of=("self",))
        .filter(session_id=registration.session_id, holder_id=registration.person_id, current=True)
        .first()
    )
    if holding is not None:
        _end(holding)
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


# --- Voting cards -----------------------------------------------------------------------------


def _check_may_hold(registration: Registration) -> None:
    if not (registration.is_accredited and registration.may_hold_card):
        raise GovernanceError(
            _("Only an accredited delegate or substitute holds a voting card."), field="to"
        )
    if not reads.registration_present(registration):
        raise GovernanceError(
            _("%(person)s is not checked in.") % {"person": registration.person}, field="to"
        )


@transaction.atomic
def hand_card(*, actor, holding: CardHolding, to: Registration) -> CardHolding:
    """Hand the city's card from its holder to a present delegate or substitute of the city."""
    holding = (
        CardHolding.objects.select_for_update(of=("self",))
        .select_related("holder")
        .get(pk=holding.pk)
    )
    if not holding.current:
        raise GovernanceError(_("The card has moved meanwhile: reload the page."), field="to")
    to = _lock(to)
    if to.session_id != holding.session_id or to.city_id != holding.city_id:
        raise GovernanceError(_("The card goes only to a person of the same city."), field="to")
    if to.person_id == holding.holder_id:
        raise GovernanceError(_("This person holds the card already."), field="to")
    _check_may_hold(to)
    _end(holding)
    new = _take_card(actor=actor, registration=to, handed_from=holding.holder)
    if new is None:  # the constraint answered: someone else took it in between
        raise GovernanceError(_("The card has moved meanwhile: reload the page."), field="to")
    return new


@transaction.atomic
def take_card(*, actor, registration: Registration) -> CardHolding:
    """A present delegate or substitute takes the city's card when nobody holds it."""
    registration = _lock(registration)
    _check_may_hold(registration)
    if CardHolding.objects.filter(
        session_id=registration.session_id, city_id=registration.city_id, current=True
    ).exists():
        raise GovernanceError(_("Someone holds the city's card already."))
    holding = _take_card(actor=actor, registration=registration)
    if holding is None:
        raise GovernanceError(_("Someone holds the city's card already."))
    return holding


# --- Quorum and roll calls --------------------------------------------------------------------


def check_quorum(session: AssemblySession) -> reads.Quorum:
    """Raise GovernanceError unless the session is quorate now (the polls call this)."""
    quorum = reads.live_quorum(session)
    if not quorum.quorate:
        raise GovernanceError(quorum.label)
    return quorum


@transaction.atomic
def take_roll_call(*, actor, session: AssemblySession) -> RollCall:
    """Freeze who is present and who holds each card, for the minutes."""
    session = (
        AssemblySession.objects.select_for_update(of=("self",))
        .select_related("coalition")
        .get(pk=session.pk)
    )
    _require_sitting_or_convened(session)
    quorum, rows = reads.desk_rows(session)
    roll_call = RollCall.objects.create(
        session=session,
        taken_by=actor,
        with_voting_rights=quorum.with_voting_rights,
        present=quorum.present,
        required=quorum.required,
        quorate=quorum.quorate,
    )
    RollCallEntry.objects.bulk_create(
        RollCallEntry(
            roll_call=roll_call,
            city=row.city,
            city_name=row.city.name,
            has_voting_rights=row.has_voting_rights,
            present=row.city.pk in quorum.present_ids,
            card_holder_name=str(row.holding.holder) if row.holding else "",
            proxy_holder_name=row.proxy_holder,
        )
        for row in rows
    )
    audit.record(
        actor=acting_user(actor),
        target=roll_call,
        verb="session.roll_call",
        data={
            "session": session.pk,
            "with_voting_rights": quorum.with_voting_rights,
            "present": quorum.present,
            "required": quorum.required,
            "quorate": quorum.quorate,
        },
    )
    return roll_call
