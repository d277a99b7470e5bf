"""Registration and accreditation: a member city registers its attendees, the bureau accredits
or rejects them, a code is issued or reissued."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition import audit
from coalition.mail import absolute_url
from coalition.services import model_update
from governance import selectors_attendance as reads
from governance.models import (
    AssemblySession,
    AttendanceMode,
    AttendeeRole,
    CertificationRole,
    DelegateCertification,
    Registration,
    RegistrationStatus,
    SessionMode,
    SessionStatus,
)
from governance.notifications import notify
from governance.services.common import GovernanceError, acting_user, bureau_emails
from members.models import PUBLIC_STATUSES, City, Membership

from .codes import hash_code, new_code, qr_data_uri
from .shared import _lock


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


def _issue_code() -> tuple[str, dict[str, object]]:
    """A new one-time code, and the fields that store it (its hash, not yet used)."""
    code = new_code()
    return code, {"code_hash": hash_code(code), "code_used_at": None}


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
    code, stored = _issue_code()
    model_update(
        registration,
        fields={
            "status": RegistrationStatus.ACCREDITED,
            "decided_by": acting_user(actor),
            "decided_at": timezone.now(),
            **stored,
        },
        actor=actor,
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
    model_update(
        registration,
        fields={
            "status": RegistrationStatus.REJECTED,
            "rejection_reason": reason,
            "decided_by": acting_user(actor),
            "decided_at": timezone.now(),
        },
        actor=actor,
    )
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
    code, stored = _issue_code()
    model_update(registration, fields=stored, actor=actor)
    audit.record(actor=acting_user(actor), target=registration, verb="registration.code_issued")
    return code
