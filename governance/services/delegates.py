"""Certified delegates and substitutes, and the city roles the bureau appoints in the portal.

A city's coordinator submits a certification with the mandate letter; the bureau
validates or rejects it; the city's coordinator or the bureau revokes it, at once.
Validating a delegate grants the `delegate` role (members.services.grant_role) so
the rest of the portal says "delegate of Potsdam"; revoking ends or cancels it.
The authority to vote is read from the certifications themselves
(certified_voters), never from the role: a revocation takes effect immediately.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from coalition import audit
from coalition.mail import absolute_url
from coalition.services import model_update
from governance.models import (
    CertificationRole,
    CertificationScope,
    CertificationStatus,
    DelegateCertification,
    LetterUpload,
    StatuteProfile,
)
from governance.notifications import notify
from governance.services.common import GovernanceError, acting_user, bureau_emails
from members import services as members_services
from members.models import (
    CITY_ROLES,
    PUBLIC_STATUSES,
    City,
    Coalition,
    Membership,
    MembershipStatus,
    Role,
    RoleKind,
)

Letter = UploadedFile | LetterUpload


def substitutes_allowed(coalition: Coalition) -> int:
    """How many substitutes a city may have in force beside its delegate in this coalition.

    The coalition's statute profile says so once the bureau has saved one; until then the
    deployment's DELEGATE_SUBSTITUTES_ALLOWED applies (German law says nothing of substitutes).
    """
    profile = StatuteProfile.current_for(coalition)
    if not profile.is_default:
        return profile.substitutes_per_city
    return int(getattr(settings, "DELEGATE_SUBSTITUTES_ALLOWED", 2))


def coordinators_of(city: City) -> list[str]:
    return list(
        Role.objects.current()
        .filter(kind=RoleKind.COORDINATOR, city=city)
        .values_list("user__email", flat=True)
    )


def is_coordinator_of(user, city: City) -> bool:
    return Role.objects.current().filter(kind=RoleKind.COORDINATOR, city=city, user=user).exists()


@dataclass(frozen=True)
class CertificationDetails:
    city: City
    coalition: Coalition
    person: Any  # a User, once the form has found the account
    role: str
    scope: str
    valid_from: dt.date
    valid_until: dt.date | None
    signed_by_name: str
    signed_by_office: str


def _context(certification: DelegateCertification) -> dict:
    return {
        "certification": certification,
        "city_url": absolute_url(
            reverse("governance:city_delegates", kwargs={"city_pk": certification.city_id})
        ),
        "review_url": absolute_url(
            reverse("governance:certification_review", kwargs={"pk": certification.pk})
        ),
        "dashboard_url": absolute_url(reverse("dashboard")),
    }


def _check_dates(valid_from: dt.date, valid_until: dt.date | None, scope: str) -> None:
    if valid_until is not None and valid_until < valid_from:
        raise GovernanceError(
            _("The certification cannot end before it starts."), field="valid_until"
        )
    if scope == CertificationScope.SESSION and valid_until is None:
        raise GovernanceError(
            _("A certification for one session needs the session's last day."),
            field="valid_until",
        )


def _store_letter(certification: DelegateCertification, letter: Letter) -> None:
    if isinstance(letter, LetterUpload):
        # A letter kept from a form that failed elsewhere: take its file over.
        certification.mandate_letter.name = letter.file.name
        certification.mandate_letter_filename = letter.original_name
        certification.mandate_letter_size = letter.size
        LetterUpload.objects.filter(pk=letter.pk).delete()
        return
    base = (letter.name or "mandate.pdf").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in base if ch.isprintable() and ch not in '"<>:;|?*')[:200]
    certification.mandate_letter_filename = name or "mandate.pdf"
    certification.mandate_letter_size = letter.size or 0
    letter.seek(0)
    certification.mandate_letter.save(certification.mandate_letter_filename, letter, save=False)


@transaction.atomic
def submit_certification(
    *, actor, details: CertificationDetails, letter: Letter
) -> DelegateCertification:
    """The city's coordinator certifies a person (with an account) as delegate or substitute."""
    city, coalition = details.city, details.coalition
    if not is_coordinator_of(actor, city):
        raise GovernanceError(
            _("Only a coordinator of %(city)s may certify its delegates.") % {"city": city.name}
        )
    if not Membership.objects.filter(
        city=city, coalition=coalition, status__in=PUBLIC_STATUSES
    ).exists():
        raise GovernanceError(
            _("%(city)s is not a member of %(coalition)s.")
            % {"city": city.name, "coalition": coalition.short_name},
            field="coalition",
        )
    if details.valid_from < timezone.localdate():
        raise GovernanceError(_("The certification cannot start in the past."), field="valid_from")
    _check_dates(details.valid_from, details.valid_until, details.scope)
    if not (details.signed_by_name.strip() and details.signed_by_office.strip()):
        raise GovernanceError(_("Name the signatory of the mandate letter and their office."))
    open_ones = DelegateCertification.objects.filter(
        city=city,
        coalition=coalition,
        person=details.person,
        status__in=[CertificationStatus.SUBMITTED, CertificationStatus.VALIDATED],
    ).overlapping(details.valid_from, details.valid_until)
    if open_ones.exists():
        raise GovernanceError(
            _("%(person)s already has a certification of %(city)s for these dates.")
            % {"person": details.person.email, "city": city.name},
            field="person_email",
        )
    certification = DelegateCertification(
        city=city,
        coalition=coalition,
        person=details.person,
        role=details.role,
        scope=details.scope,
        valid_from=details.valid_from,
        valid_until=details.valid_until,
        signed_by_name=details.signed_by_name.strip(),
        signed_by_office=details.signed_by_office.strip(),
        submitted_by=actor,
        status=CertificationStatus.SUBMITTED,
    )
    _store_letter(certification, letter)
    certification.full_clean(exclude=["mandate_letter"])
    certification.save()
    audit.record(
        actor=actor,
        target=certification,
        verb="certification.submitted",
        to_state=certification.status,
        data={
            "person": details.person.pk,
            "role": details.role,
            "scope": details.scope,
            "valid_from": str(details.valid_from),
            "valid_until": str(details.valid_until or ""),
            "letter": certification.mandate_letter_filename,
        },
    )
    notify(
        "certification-submitted",
        to=bureau_emails(coalition),
        context=_context(certification),
    )
    return certification


def _lock(certification: DelegateCertification) -> DelegateCertification:
    return (
        DelegateCertification.objects.select_for_update()
        .select_related("city", "coalition", "person")
        .get(pk=certification.pk)
    )


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


def _date(day: dt.date) -> str:
    return date_format(day, "DATE_FORMAT")


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


# --- Who votes for each city ----------------------------------------------------------------


@dataclass
class CityVoters:
    """A member city, its delegate in force (if any) and its substitutes in force."""

    city: City
    membership: Membership
    delegate: DelegateCertification | None = None
    substitutes: list[DelegateCertification] = field(default_factory=list)

    @property
    def people(self) -> list:
        return [c.person for c in ([self.delegate] if self.delegate else []) + self.substitutes]


def certified_voters(
    coalition: Coalition, on: dt.datetime | dt.date | None = None, *, city_ids=None
):
    """Per member city of the coalition, who may cast its vote on that day (two queries).

    A delegate certified for one session takes precedence, during it, over the
    standing delegate. Suspended cities are left out: they do not vote. `city_ids`
    restricts the answer to those cities (a ballot asks about one city, not all).
    """
    if on is None:
        day = timezone.localdate()
    elif isinstance(on, dt.datetime):
        day = timezone.localdate(on) if timezone.is_aware(on) else on.date()
    else:
        day = on
    voters = {
        m.city_id: CityVoters(city=m.city, membership=m)
        for m in Membership.objects.filter(coalition=coalition, status=MembershipStatus.MEMBER)
        .filter(**({} if city_ids is None else {"city_id__in": list(city_ids)}))
        .select_related("city")
        .order_by("city__name", "city_id")
    }
    certifications = (
        DelegateCertification.objects.in_force(day)
        .filter(coalition=coalition, city_id__in=voters)
        .select_related("person")
        .order_by("city_id", "role", "valid_from", "id")
    )
    for certification in certifications:
        entry = voters[certification.city_id]
        if certification.role == CertificationRole.SUBSTITUTE:
            entry.substitutes.append(certification)
        elif entry.delegate is None or certification.scope == CertificationScope.SESSION:
            entry.delegate = certification
    return list(voters.values())


# --- City roles the bureau appoints -----------------------------------------------------------


def _check_city_of_coalition(city: City, coalition: Coalition) -> None:
    if not Membership.objects.filter(
        city=city, coalition=coalition, status__in=PUBLIC_STATUSES
    ).exists():
        raise GovernanceError(
            _("%(city)s is not a member city of %(coalition)s.")
            % {"city": city.name, "coalition": coalition.short_name},
            field="city",
        )


@transaction.atomic
def appoint_city_role(
    *,
    actor,
    coalition: Coalition,
    city: City,
    user,
    kind: str,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
) -> Role:
    """The bureau of a coalition names a coordinator or a delegate of one of its member cities.

    A delegate role alone does not carry the city's vote: a validated certification does.
    """
    if kind not in CITY_ROLES:
        raise GovernanceError(_("The bureau appoints only city coordinators and delegates."))
    _check_city_of_coalition(city, coalition)
    if ends_on is not None and ends_on < starts_on:
        raise GovernanceError(_("The role cannot end before it starts."), field="ends_on")
    if (
        Role.objects.filter(user=user, kind=kind, city=city)
        .exclude(ends_on__lt=starts_on)
        .exclude(starts_on__gt=ends_on or dt.date.max)
        .exists()
    ):
        raise GovernanceError(
            _("%(person)s already holds this role for %(city)s on these dates.")
            % {"person": user.email, "city": city.name},
            field="email",
        )
    role = members_services.grant_role(
        actor=actor, user=user, kind=kind, city=city, starts_on=starts_on, ends_on=ends_on
    )
    audit.record(
        actor=actor,
        target=role,
        verb="role.appointed_by_bureau",
        to_state=kind,
        data={"coalition": coalition.pk, "city": city.pk, "user": user.pk},
    )
    return role


@transaction.atomic
def end_city_role(*, actor, role: Role, ends_on: dt.date, reason: str) -> Role:
    """End a coordinator's or delegate's role on `ends_on` (its last day), with a reason."""
    if role.kind not in CITY_ROLES:
        raise GovernanceError(_("The bureau ends only city coordinators and delegates."))
    if not reason.strip():
        raise GovernanceError(_("Give the reason for ending the role."), field="reason")
    if ends_on < role.starts_on:
        raise GovernanceError(
            _("The role started on %(date)s; it cannot end before.")
            % {"date": _date(role.starts_on)},
            field="ends_on",
        )
    certified = DelegateCertification.objects.filter(
        granted_role=role, status=CertificationStatus.VALIDATED
    ).first()
    if certified is not None and certified.is_open:
        raise GovernanceError(
            _("This role comes from a delegate certification: revoke the certification instead.")
        )
    return members_services.end_role(actor=actor, role=role, ends_on=ends_on, reason=reason.strip())
