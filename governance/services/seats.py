"""Steering committee seats and their terms."""

from __future__ import annotations

import copy
import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition import audit
from coalition.pagecache import public_pages_changed
from coalition.services import model_update
from governance.models import (
    CommitteeSeat,
    SeatKind,
)
from governance.services.common import GovernanceError
from members.models import (
    City,
    Coalition,
    Membership,
    MembershipStatus,
)


def check_new_seat(
    *,
    coalition: Coalition,
    kind: str,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    city: City | None = None,
    institution: str = "",
) -> None:
    """Raise GovernanceError if this seat may not be created (the admin form calls this too)."""
    if kind == SeatKind.VOTING and city is None:
        raise GovernanceError(_("A voting seat is held by a member city."))
    if city is not None and institution.strip():
        raise GovernanceError(_("A seat is held by a city or by an institution, not both."))
    if city is None and not institution.strip():
        raise GovernanceError(_("Name the city or the partner institution holding the seat."))
    if ends_on is not None and ends_on < starts_on:
        raise GovernanceError(_("The term cannot end before it starts."))
    if (
        kind == SeatKind.VOTING
        and city is not None
        and not Membership.objects.filter(
            city=city, coalition=coalition, status=MembershipStatus.MEMBER
        ).exists()
    ):
        raise GovernanceError(
            _("%(city)s is not a member of %(coalition)s and cannot hold a voting seat.")
            % {"city": city.name, "coalition": coalition.short_name}
        )
    check_no_overlap(
        coalition=coalition,
        city=city,
        institution=institution,
        starts_on=starts_on,
        ends_on=ends_on,
    )


def check_no_overlap(
    *,
    coalition: Coalition,
    city: City | None,
    institution: str,
    starts_on: dt.date,
    ends_on: dt.date | None,
    exclude_pk: int | None = None,
) -> None:
    """A city (or institution) holds at most one seat at a time: one city, one vote.

    Callers that write lock the coalition row first (lock_coalition), so two
    concurrent requests cannot both pass this check.
    """
    holder = {"city": city} if city is not None else {"institution": institution.strip()}
    others = CommitteeSeat.objects.filter(coalition=coalition, **holder)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    for other in others:
        other_end = other.ends_on or dt.date.max
        this_end = ends_on or dt.date.max
        if other.starts_on <= this_end and starts_on <= other_end:
            raise GovernanceError(
                _("%(holder)s already holds a seat during that term.")
                % {"holder": other.holder_name}
            )


def check_seat_term(seat: CommitteeSeat, *, starts_on: dt.date, ends_on: dt.date | None) -> None:
    """check_no_overlap for an existing seat given new term dates (itself excluded)."""
    check_no_overlap(
        coalition=seat.coalition,
        city=seat.city,
        institution=seat.institution,
        starts_on=starts_on,
        ends_on=ends_on,
        exclude_pk=seat.pk,
    )


def check_not_self_appointed(*, actor, representative) -> None:
    """Staff record who represents a city; nobody but an administrator names themselves.

    A bureau member who made herself a seat's representative would vote in the committee
    (issue 15's finding, through the admin); the services refuse it wherever it comes from.
    """
    if (
        representative is not None
        and getattr(actor, "pk", None) == representative.pk
        and not getattr(actor, "is_superuser", False)
    ):
        raise GovernanceError(
            _("You cannot name yourself a seat's representative: ask another member of staff."),
            field="representative",
        )


def lock_coalition(coalition: Coalition) -> None:
    """Serialise the changes to one coalition's seats (a row lock until the transaction ends)."""
    Coalition.objects.select_for_update().filter(pk=coalition.pk).exists()


@transaction.atomic
def add_seat(
    *,
    actor,
    coalition: Coalition,
    kind: str,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    city: City | None = None,
    institution: str = "",
    representative=None,
    election=None,
) -> CommitteeSeat:
    """Give a city (or, as observer or adviser, a partner institution) a seat for a term."""
    check_not_self_appointed(actor=actor, representative=representative)
    lock_coalition(coalition)
    check_new_seat(
        coalition=coalition,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        city=city,
        institution=institution,
    )
    seat = CommitteeSeat(
        coalition=coalition,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        city=city,
        institution=institution.strip() if city is None else "",
        representative=representative,
        election=election,
    )
    seat.full_clean()
    seat.save()
    audit.record(
        actor=actor,
        target=seat,
        verb="seat.added",
        to_state=kind,
        data={
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat() if ends_on else None,
            "representative": getattr(representative, "pk", None),
            "election": getattr(election, "pk", None),
        },
    )
    public_pages_changed()  # the steering committee shows on coalition and city pages
    return seat


@transaction.atomic
def end_seat(*, actor, seat: CommitteeSeat, ends_on: dt.date | None = None) -> CommitteeSeat:
    """End a seat's term (seats are never deleted: who sat when is history)."""
    lock_coalition(seat.coalition)
    seat = CommitteeSeat.objects.select_for_update().get(pk=seat.pk)
    ends_on = ends_on or timezone.localdate()
    if ends_on < seat.starts_on:
        raise GovernanceError(_("The term cannot end before it starts."))
    check_seat_term(seat, starts_on=seat.starts_on, ends_on=ends_on)
    previous = seat.ends_on
    model_update(seat, fields={"ends_on": ends_on}, actor=actor)
    audit.record(
        actor=actor,
        target=seat,
        verb="seat.ended",
        from_state=previous.isoformat() if previous else "",
        to_state=ends_on.isoformat(),
    )
    public_pages_changed()  # the steering committee shows on coalition and city pages
    return seat


@transaction.atomic
def update_seat(*, actor, seat: CommitteeSeat, **changes) -> CommitteeSeat:
    """Change a seat's representative or term dates (the admin's change form uses this)."""
    allowed = {"representative", "starts_on", "ends_on", "kind"}
    unknown = set(changes) - allowed
    if unknown:
        raise GovernanceError(f"Cannot change {', '.join(sorted(unknown))} of a seat.")
    if "representative" in changes:
        check_not_self_appointed(actor=actor, representative=changes["representative"])
    lock_coalition(seat.coalition)
    seat = CommitteeSeat.objects.select_for_update().get(pk=seat.pk)
    before = {name: getattr(seat, name) for name in changes}
    # The seat as it would be, checked before the row itself changes (only what differs is saved).
    candidate = copy.copy(seat)
    for name, value in changes.items():
        setattr(candidate, name, value)
    if candidate.ends_on is not None and candidate.ends_on < candidate.starts_on:
        raise GovernanceError(_("The term cannot end before it starts."))
    if candidate.kind == SeatKind.VOTING and candidate.city_id is None:
        raise GovernanceError(_("A voting seat is held by a member city."))
    check_seat_term(candidate, starts_on=candidate.starts_on, ends_on=candidate.ends_on)
    candidate.full_clean()
    model_update(seat, fields={name: getattr(candidate, name) for name in changes}, actor=actor)
    audit.record(
        actor=actor,
        target=seat,
        verb="seat.changed",
        data={
            name: [str(getattr(before[name], "pk", before[name])), str(getattr(v, "pk", v))]
            for name, v in changes.items()
        },
    )
    public_pages_changed()  # the steering committee shows on coalition and city pages
    return seat
