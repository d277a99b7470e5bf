"""The bureau validates or rejects a certification; the city's coordinator or the bureau revokes
it, at once. Validating grants the `delegate` role; revoking ends or cancels it."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition import audit
from coalition.services import model_update
from governance.models import (
    CertificationRole,
    CertificationScope,
    CertificationStatus,
    DelegateCertification,
)
from governance.notifications import notify
from governance.services.common import GovernanceError, acting_user
from members import services as members_services
from members.models import (
    PUBLIC_STATUSES,
    City,
    Coalition,
    Membership,
    MembershipStatus,
    RoleKind,
)

from .cities import coordinators_of, substitutes_allowed
from .shared import _check_dates, _context, _date, _lock


def _lock_membership(city: City, coalition: Coalition) -> Membership | None:
    """Serialise the changes to one city's certifications in one coalition (every database)."""
    return (
        Membership.objects.select_for_update()
        .filter(city=city, coalition=coalition, status__in=PUBLIC_STATUSES)
        .first()
    )


def _end_granted_role(*, actor, certification: DelegateCertification, last_day: dt.date, reason):
    """End the delegate role the certification granted, so that it stops after `last_day`."""
    role = certification.granted_role
    if role is None:
        return
    if role.starts_on <= last_day:
        if role.ends_on is None or role.ends_on > last_day:
            members_services.end_role(actor=actor, role=role, ends_on=last_day, reason=reason)
    else:
        members_services.cancel_role(actor=actor, role=role, reason=reason)
        model_update(certification, fields={"granted_role": None}, actor=actor)


@transaction.atomic
def validate_certification(
    *,
    actor,
    certification: DelegateCertification,
    valid_from: dt.date | None = None,
    valid_until: dt.date | None = None,
) -> DelegateCertification:
    """The bureau validates: the person acts for the city from the later of its start and today.

    For a certification for one session the bureau sets the session's dates. A new
    standing delegate replaces the standing delegate in force (whose certification
    then ends the day before); a substitute beyond the number allowed is refused.
    """
    membership = _lock_membership(certification.city, certification.coalition)
    certification = _lock(certification)
    if certification.status != CertificationStatus.SUBMITTED:
        raise GovernanceError(_("This certification is not waiting for the bureau."))
    if membership is None or membership.status != MembershipStatus.MEMBER:
        raise GovernanceError(
            _("%(city)s is not a member of %(coalition)s in good standing.")
            % {"city": certification.city.name, "coalition": certification.coalition.short_name}
        )
    today = timezone.localdate()
    if certification.scope == CertificationScope.SESSION:
        valid_from = valid_from or certification.valid_from
        valid_until = valid_until or certification.valid_until
    else:
        valid_from, valid_until = certification.valid_from, certification.valid_until
    # Nobody acts for the city before the bureau validated: the start moves up to today.
    valid_from = max(valid_from, today)
    if valid_until is not None and valid_until < valid_from:
        raise GovernanceError(
            _("This certification ended on %(date)s; the city must submit a new one.")
            % {"date": _date(valid_until)}
        )
    _check_dates(valid_from, valid_until, certification.scope)
    validated = DelegateCertification.objects.filter(
        city=certification.city,
        coalition=certification.coalition,
        status=CertificationStatus.VALIDATED,
    ).overlapping(valid_from, valid_until)
    if validated.filter(person=certification.person).exists():
        raise GovernanceError(
            _("%(person)s is already certified for %(city)s on these dates.")
            % {"person": certification.person.email, "city": certification.city.name}
        )
    replaced: list[DelegateCertification] = []
    if certification.role == CertificationRole.DELEGATE:
        for other in validated.filter(role=CertificationRole.DELEGATE, scope=certification.scope):
            if certification.scope == CertificationScope.STANDING and other.valid_from < valid_from:
                replaced.append(other)
            else:
                raise GovernanceError(
                    _("%(person)s is already the delegate of %(city)s from %(date)s.")
                    % {
                        "person": other.person.email,
                        "city": certification.city.name,
                        "date": _date(other.valid_from),
                    }
                )
    else:
        allowed = substitutes_allowed(certification.coalition)
        if validated.filter(role=CertificationRole.SUBSTITUTE).count() >= allowed:
            raise GovernanceError(
                _("%(city)s already has %(n)s substitutes for these dates, the most allowed.")
                % {"city": certification.city.name, "n": allowed}
            )
    for other in replaced:
        last_day = valid_from - dt.timedelta(days=1)
        model_update(other, fields={"valid_until": last_day}, actor=actor)
        _end_granted_role(
            actor=actor,
            certification=other,
            last_day=last_day,
            reason=_("Replaced by a new delegate."),
        )
        audit.record(
            actor=actor,
            target=other,
            verb="certification.replaced",
            data={"valid_until": str(other.valid_until), "by": certification.pk},
        )
    try:
        with transaction.atomic():
            model_update(
                certification,
                fields={
                    "status": CertificationStatus.VALIDATED,
                    "valid_from": valid_from,
                    "valid_until": valid_until,
                    "validated_by": acting_user(actor),
                    "validated_at": timezone.now(),
                },
                actor=actor,
            )
    except IntegrityError as exc:
        # PostgreSQL's exclusion constraint: a delegate validated meanwhile without the lock.
        raise GovernanceError(
            _("%(city)s already has a delegate for these dates.")
            % {"city": certification.city.name}
        ) from exc
    if certification.role == CertificationRole.DELEGATE:
        role = members_services.grant_role(
            actor=actor,
            user=certification.person,
            kind=RoleKind.DELEGATE,
            city=certification.city,
            starts_on=valid_from,
            ends_on=valid_until,
        )
        model_update(certification, fields={"granted_role": role}, actor=actor)
    audit.record(
        actor=actor,
        target=certification,
        verb="certification.validated",
        from_state=CertificationStatus.SUBMITTED,
        to_state=certification.status,
        data={"valid_from": str(valid_from), "valid_until": str(valid_until or "")},
    )
    notify(
        "certification-validated",
        to=[certification.person.email, *coordinators_of(certification.city)],
        context=_context(certification),
    )
    return certification


@transaction.atomic
def reject_certification(
    *, actor, certification: DelegateCertification, reason: str
) -> DelegateCertification:
    """The bureau rejects, with a reason the city's coordinators receive and see."""
    if not reason.strip():
        raise GovernanceError(_("Give the reason; the city will see it."), field="reason")
    certification = _lock(certification)
    if certification.status != CertificationStatus.SUBMITTED:
        raise GovernanceError(_("This certification is not waiting for the bureau."))
    model_update(
        certification,
        fields={
            "status": CertificationStatus.REJECTED,
            "rejection_reason": reason.strip(),
            "rejected_by": acting_user(actor),
            "rejected_at": timezone.now(),
        },
        actor=actor,
    )
    audit.record(
        actor=actor,
        target=certification,
        verb="certification.rejected",
        from_state=CertificationStatus.SUBMITTED,
        to_state=certification.status,
        message=certification.rejection_reason,
    )
    notify(
        "certification-rejected",
        to=coordinators_of(certification.city),
        context=_context(certification),
    )
    return certification


@transaction.atomic
def revoke_certification(
    *, actor, certification: DelegateCertification, reason: str
) -> DelegateCertification:
    """The city's coordinator or the bureau revokes: the person can no longer act, at once."""
    if not reason.strip():
        raise GovernanceError(_("Give the reason for the revocation."), field="reason")
    certification = _lock(certification)
    if certification.status not in (CertificationStatus.SUBMITTED, CertificationStatus.VALIDATED):
        raise GovernanceError(_("This certification is no longer in force."))
    from_status = certification.status
    model_update(
        certification,
        fields={
            "status": CertificationStatus.REVOKED,
            "revocation_reason": reason.strip(),
            "revoked_by": acting_user(actor),
            "revoked_at": timezone.now(),
        },
        actor=actor,
    )
    # The role stops too: it ended yesterday, or never takes effect if it started today.
    _end_granted_role(
        actor=actor,
        certification=certification,
        last_day=timezone.localdate() - dt.timedelta(days=1),
        reason=certification.revocation_reason,
    )
    audit.record(
        actor=actor,
        target=certification,
        verb="certification.revoked",
        from_state=from_status,
        to_state=certification.status,
        message=certification.revocation_reason,
    )
    if from_status == CertificationStatus.VALIDATED:
        notify(
            "certification-revoked",
            to=[certification.person.email, *coordinators_of(certification.city)],
            context=_context(certification),
        )
    return certification
