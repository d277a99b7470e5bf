"""State changes of the members app. Every function runs in a transaction and audits."""

from __future__ import annotations

import copy
import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.text import slugify
from django.utils.translation import gettext as _

from coalition import audit
from coalition.pagecache import public_pages_changed
from coalition.services import model_update
from members import notifications, selectors
from members.models import (
    ChosenAction,
    City,
    Coalition,
    Commitment,
    LeadCity,
    Membership,
    MembershipStatus,
    MembershipStatusChange,
    Role,
    RoleKind,
)


class MembershipError(Exception):
    """A membership change that the rules do not allow."""


#: Which status may follow which. Re-admission after leaving is a new membership.
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    MembershipStatus.APPLICANT: {MembershipStatus.MEMBER, MembershipStatus.WITHDRAWN},
    MembershipStatus.MEMBER: {
        MembershipStatus.SUSPENDED,
        MembershipStatus.WITHDRAWN,
        MembershipStatus.EXCLUDED,
    },
    MembershipStatus.SUSPENDED: {
        MembershipStatus.MEMBER,
        MembershipStatus.WITHDRAWN,
        MembershipStatus.EXCLUDED,
    },
    MembershipStatus.WITHDRAWN: set(),
    MembershipStatus.EXCLUDED: set(),
}


def unique_city_slug(name: str, country: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(name)[:100] or "city"
    qs = City.objects.all()
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    if not qs.filter(slug=base).exists():
        return base
    candidate = f"{base}-{country.lower()}"
    n = 2
    while qs.filter(slug=candidate).exists():
        candidate = f"{base}-{country.lower()}-{n}"
        n += 1
    return candidate


def _status_recorded(
    *,
    actor,
    membership: Membership,
    from_status: str,
    to_status: str,
    effective_on: dt.date,
    reason: str,
    decision: Model | None,
) -> None:
    """What follows every status a membership takes (its first included): the dated history
    entry, the directory and the public pages refreshed, the audit record, and the hooks of a
    city that became a member."""
    _add_history(
        membership=membership,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        effective_on=effective_on,
        reason=reason,
        decision=decision,
    )
    transaction.on_commit(selectors.directory_changed)
    public_pages_changed()
    audit.record(
        actor=actor,
        target=membership,
        verb="membership.created" if not from_status else "membership.status_changed",
        from_state=from_status,
        to_state=to_status,
        message=reason,
    )
    if to_status == MembershipStatus.MEMBER:
        _member_joined(actor=actor, membership=membership)


@transaction.atomic
def create_city(*, actor, name: str, country: str, **fields) -> City:
    city = City(name=name, country=country, **fields)
    city.slug = fields.get("slug") or unique_city_slug(name, country)
    city.full_clean()
    city.save()
    audit.record(actor=actor, target=city, verb="city.created")
    transaction.on_commit(selectors.directory_changed)
    public_pages_changed()
    return city


@transaction.atomic
def create_membership(
    *,
    actor,
    city: City,
    coalition: Coalition,
    status: str = MembershipStatus.MEMBER,
    signed_on: dt.date | None = None,
    chosen_actions: dict[Commitment, list[str]] | None = None,
    reason: str = "",
    decision: Model | None = None,
) -> Membership:
    """Record a city's membership, with its first history entry and the actions it chose."""
    plan = coalition.plan_in_force(signed_on) if signed_on else coalition.plan_in_force()
    membership = Membership.objects.create(
        city=city, coalition=coalition, status=status, signed_on=signed_on, plan=plan
    )
    for commitment, actions in (chosen_actions or {}).items():
        ChosenAction.objects.bulk_create(
            ChosenAction(membership=membership, commitment=commitment, description=text)
            for text in actions
            if text.strip()
        )
    _status_recorded(
        actor=actor,
        membership=membership,
        from_status="",
        to_status=status,
        effective_on=signed_on or timezone.localdate(),
        reason=reason,
        decision=decision,
    )
    return membership


def _member_joined(*, actor, membership: Membership) -> None:
    """Let the other apps act on a new member (settings.MEMBER_JOINED_HOOKS, by dotted path):
    reporting gives it a draft in each cycle still open. Same transaction: all or nothing."""
    for path in getattr(settings, "MEMBER_JOINED_HOOKS", ()):
        import_string(path)(actor=actor, membership=membership)


@transaction.atomic
def change_membership_status(
    *,
    actor,
    membership: Membership,
    to_status: str,
    reason: str,
    effective_on: dt.date | None = None,
    decision: Model | None = None,
    notify: bool = True,
) -> Membership:
    """Move a membership to a new status, keeping the dated history and the decision behind it.

    The city's coordinators and delegates are emailed (and see it on their dashboard) unless
    `notify` is false: the caller then tells them itself (an admission or an exclusion has
    its own message), or nobody needs telling (an import of past data).
    """
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    from_status = membership.status
    if to_status == from_status:
        raise MembershipError(
            _("The membership is already %(status)s.") % {"status": membership.get_status_display()}
        )
    if to_status not in ALLOWED_TRANSITIONS[from_status]:
        raise MembershipError(
            _("A membership cannot go from %(old)s to %(new)s.")
            % {"old": MembershipStatus(from_status).label, "new": MembershipStatus(to_status).label}
        )
    if not reason.strip():
        raise MembershipError(_("A reason is required for every status change."))
    effective_on = effective_on or timezone.localdate()
    update: dict[str, object] = {"status": to_status}
    if to_status == MembershipStatus.MEMBER and membership.signed_on is None:
        update["signed_on"] = effective_on
    if to_status in (MembershipStatus.WITHDRAWN, MembershipStatus.EXCLUDED):
        update["ended_on"] = effective_on
    # On the row locked above: the status read and the one written are the same row's.
    model_update(membership, fields=update, actor=actor)
    _status_recorded(
        actor=actor,
        membership=membership,
        from_status=from_status,
        to_status=to_status,
        effective_on=effective_on,
        reason=reason,
        decision=decision,
    )
    if notify:
        notifications.notify_membership_change(
            membership, from_status=from_status, reason=reason, effective_on=effective_on
        )
    return membership


def _add_history(*, membership, actor, from_status, to_status, effective_on, reason, decision):
    MembershipStatusChange.objects.create(
        membership=membership,
        from_status=from_status,
        to_status=to_status,
        effective_on=effective_on,
        changed_by=actor if getattr(actor, "is_authenticated", False) else None,
        reason=reason,
        decision_type=ContentType.objects.get_for_model(decision) if decision else None,
        decision_id=str(decision.pk) if decision else "",
    )


def _validated(instance: Model, fields: dict) -> dict:
    """`fields` as `full_clean()` leaves them on a copy of `instance` (which raises
    ValidationError for a bad value): the row itself changes only through model_update."""
    candidate = copy.copy(instance)
    for name, value in fields.items():
        setattr(candidate, name, value)
    candidate.full_clean()
    return {name: getattr(candidate, name) for name in fields}


@transaction.atomic
def grant_role(
    *,
    actor,
    user,
    kind: str,
    city: City | None = None,
    coalition: Coalition | None = None,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    contact_public: bool = False,
) -> Role:
    role = Role(
        user=user,
        kind=kind,
        city=city if kind in (RoleKind.COORDINATOR, RoleKind.DELEGATE) else None,
        coalition=coalition if kind in (RoleKind.BUREAU, RoleKind.SECRETARIAT) else None,
        starts_on=starts_on or timezone.localdate(),
        ends_on=ends_on,
        contact_public=contact_public,
        granted_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    role.full_clean()
    role.save()
    # Admin access and rights follow from the current role itself (members.admin_rights):
    # nothing to switch on here, and nothing left behind when the role ends.
    audit.record(actor=actor, target=role, verb="role.granted", to_state=kind)
    public_pages_changed()  # a public coordinator's contact shows on the city's page
    return role


#: Fields of a role that can be corrected; who holds which role where never changes.
ROLE_EDITABLE_FIELDS = ("starts_on", "ends_on", "contact_public")


@transaction.atomic
def update_role(*, actor, role: Role, **fields) -> list[str]:
    """Correct a role's dates or whether its contact is public. Returns what changed (audited)."""
    unknown = set(fields) - set(ROLE_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    role = Role.objects.select_for_update().get(pk=role.pk)
    changed = [name for name, value in fields.items() if getattr(role, name) != value]
    if not changed:
        return []
    before = {name: str(getattr(role, name)) for name in changed}
    model_update(
        role, fields=_validated(role, {name: fields[name] for name in changed}), actor=actor
    )
    audit.record(
        actor=actor,
        target=role,
        verb="role.updated",
        data={"before": before, "after": {name: str(fields[name]) for name in changed}},
    )
    public_pages_changed()
    return changed


@transaction.atomic
def end_role(*, actor, role: Role, ends_on: dt.date | None = None, reason: str = "") -> Role:
    """End a role on `ends_on` (its last day, inclusive; today by default)."""
    model_update(role, fields={"ends_on": ends_on or timezone.localdate()}, actor=actor)
    audit.record(actor=actor, target=role, verb="role.ended", from_state=role.kind, message=reason)
    public_pages_changed()
    return role


@transaction.atomic
def cancel_role(*, actor, role: Role, reason: str = "") -> None:
    """Withdraw a role that starts today or later, so that it never takes effect.

    Ending it is not enough (its last day could be no earlier than its first, and
    that day it would still count); the audit log keeps the record of the grant and
    of this withdrawal.
    """
    if role.starts_on < timezone.localdate():
        raise ValueError("A role already in force is ended, not cancelled.")
    audit.record(
        actor=actor,
        target=role,
        verb="role.cancelled",
        from_state=role.kind,
        message=reason,
        data={"user": role.user_id, "city": role.city_id, "coalition": role.coalition_id},
    )
    role.delete()
    public_pages_changed()


@transaction.atomic
def set_lead_city(
    *, actor, coalition: Coalition, city: City, starts_on: dt.date, note: str = ""
) -> LeadCity:
    """Make `city` a lead city from `starts_on`, ending the open lead terms the day before."""
    for current in coalition.lead_cities.filter(ends_on__isnull=True).exclude(city=city):
        last_day = max(starts_on - dt.timedelta(days=1), current.starts_on or starts_on)
        model_update(current, fields={"ends_on": last_day}, actor=actor)
    lead = LeadCity.objects.create(coalition=coalition, city=city, starts_on=starts_on, note=note)
    audit.record(
        actor=actor, target=coalition, verb="coalition.lead_city_set", data={"city": city.pk}
    )
    public_pages_changed()
    return lead


#: City fields a correction (admin, import) may change; the slug stays stable for links.
CITY_EDITABLE_FIELDS = (
    "name",
    "local_name",
    "country",
    "region",
    "population",
    "latitude",
    "longitude",
    "website",
)


@transaction.atomic
def update_city(*, actor, city: City, **fields) -> list[str]:
    """Correct a city's data. Returns the names of the fields that changed (audited)."""
    unknown = set(fields) - set(CITY_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    changed = [name for name, value in fields.items() if getattr(city, name) != value]
    if not changed:
        return []
    before = {name: str(getattr(city, name)) for name in changed}
    model_update(
        city, fields=_validated(city, {name: fields[name] for name in changed}), actor=actor
    )
    transaction.on_commit(selectors.directory_changed)
    public_pages_changed()
    audit.record(
        actor=actor,
        target=city,
        verb="city.updated",
        data={"before": before, "after": {name: str(fields[name]) for name in changed}},
    )
    return changed


@transaction.atomic
def update_membership(*, actor, membership: Membership, reason: str = "", **fields) -> list[str]:
    """Correct a membership's dates or plan version. Status changes go through
    change_membership_status, which keeps the history."""
    allowed = {"signed_on", "plan", "ended_on", "report_overdue_since"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"Not editable here: {', '.join(sorted(unknown))}")
    changed = [name for name, value in fields.items() if getattr(membership, name) != value]
    if not changed:
        return []
    before = {name: str(getattr(membership, name)) for name in changed}
    model_update(membership, fields={name: fields[name] for name in changed}, actor=actor)
    audit.record(
        actor=actor,
        target=membership,
        verb="membership.updated",
        message=reason,
        data={"before": before, "after": {name: str(fields[name]) for name in changed}},
    )
    return changed
