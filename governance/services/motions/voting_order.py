"""The voting order and the outcomes the polls record: open amendments first (conflicting ones
furthest-reaching first, otherwise by line), then the motion as amended."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition import audit
from coalition.services import model_update
from governance import motion_text as mt
from governance.models import (
    Amendment,
    AmendmentStatus,
    Motion,
    MotionStatus,
    MotionVersion,
)
from governance.services import assemblies
from governance.services.common import GovernanceError

from .amendments import change_of
from .shared import _lock_amendment, _lock_motion, _new_version, current_version


def open_amendments_in_order(motion: Motion) -> list[Amendment]:
    """The open amendments in the order they are put to the vote (governance.motion_text)."""
    amendments = list(
        motion.amendments.filter(status=AmendmentStatus.SUBMITTED).order_by("submitted_at", "id")
    )
    by_pk: dict[object, Amendment] = {a.pk: a for a in amendments}
    return [by_pk[c.key] for c in mt.voting_order([change_of(a) for a in amendments])]


def next_to_put_to_vote(motion: Motion) -> list[Amendment | Motion]:
    """What remains to be voted, in order: the open amendments, then the motion as amended.

    The first is the one the chair may put to the vote now; empty once the motion is decided.
    """
    if not motion.is_open:
        return []
    return [*open_amendments_in_order(motion), motion]


def check_may_put_to_vote(obj: Amendment | Motion) -> None:
    """GovernanceError unless `obj` may be put to the vote now (the polls call this first)."""
    motion = obj.motion if isinstance(obj, Amendment) else obj
    assemblies.check_item_may_be_decided(motion.item)
    if not motion.is_open:
        raise GovernanceError(_("This motion was decided."))
    if isinstance(obj, Amendment) and not obj.is_open:
        raise GovernanceError(_("This amendment is no longer open."))
    remaining = next_to_put_to_vote(motion)
    first = remaining[0]
    if type(first) is not type(obj) or first.pk != obj.pk:
        if isinstance(first, Amendment):
            raise GovernanceError(
                _("Put the amendment of %(city)s (%(range)s) to the vote first.")
                % {"city": first.city.name, "range": first.range_label}
            )
        raise GovernanceError(_("The motion comes last, as amended."))  # pragma: no cover


@transaction.atomic
def record_amendment_outcome(
    *, actor, amendment: Amendment, adopted: bool, result_ref: str | None = None
) -> Amendment:
    """The poll's result on an amendment. Adopted: a new version merges it, and the open
    amendments it conflicts with fall; rejected: the next in order comes up."""
    amendment = _lock_amendment(amendment)
    motion = amendment.motion
    check_may_put_to_vote(amendment)
    now = timezone.now()
    model_update(
        amendment,
        fields={
            "status": AmendmentStatus.ADOPTED if adopted else AmendmentStatus.REJECTED,
            "decided_at": now,
            "result_ref": (result_ref or "")[:200],
        },
        actor=actor,
    )
    data = {"motion": motion.pk, "result": amendment.result_ref}
    if adopted:
        version = _merge(motion=motion, amendment=amendment, actor=actor)
        mine = change_of(amendment)
        fallen = [
            other
            for other in motion.amendments.select_for_update().filter(
                status=AmendmentStatus.SUBMITTED, version=amendment.version
            )
            if mt.overlaps(mine, change_of(other))
        ]
        for other in fallen:
            model_update(
                other,
                fields={
                    "status": AmendmentStatus.FALLEN,
                    "fallen_because": amendment,
                    "decided_at": now,
                },
                actor=actor,
            )
            audit.record(
                actor=actor,
                target=other,
                verb="amendment.fallen",
                from_state=AmendmentStatus.SUBMITTED,
                to_state=other.status,
                data={"because": amendment.pk},
            )
        fallen_pks = [f.pk for f in fallen]
        data |= {"version": version.number, "sha256": version.sha256, "fallen": fallen_pks}
    audit.record(
        actor=actor,
        target=amendment,
        verb="amendment.decided",
        from_state=AmendmentStatus.SUBMITTED,
        to_state=amendment.status,
        data=data,
    )
    return amendment


def _merge(*, motion: Motion, amendment: Amendment, actor) -> MotionVersion:
    """The next version: the amended version with every amendment adopted on it merged."""
    base = amendment.version
    adopted = list(
        motion.amendments.filter(status=AmendmentStatus.ADOPTED, version=base).order_by("id")
    )
    lines = mt.merge(mt.from_json(base.lines), [change_of(a) for a in adopted])
    number = current_version(motion).number + 1
    return _new_version(motion=motion, number=number, lines=lines, actor=actor, amendment=amendment)


@transaction.atomic
def record_motion_outcome(
    *, actor, motion: Motion, adopted: bool, result_ref: str | None = None
) -> Motion:
    """The poll's result on the motion as amended; adopted, its text's hash is recorded."""
    motion = _lock_motion(motion)
    check_may_put_to_vote(motion)
    fields: dict[str, Any] = {
        "status": MotionStatus.ADOPTED if adopted else MotionStatus.REJECTED,
        "decided_at": timezone.now(),
        "result_ref": (result_ref or "")[:200],
    }
    data: dict[str, Any] = {"result": fields["result_ref"]}
    if adopted:
        version = current_version(motion)
        fields |= {"adopted_version": version, "adopted_sha256": version.sha256}
        data |= {"version": version.number, "sha256": version.sha256}
    model_update(motion, fields=fields, actor=actor)
    audit.record(
        actor=actor,
        target=motion,
        verb="motion.decided",
        from_state=MotionStatus.SUBMITTED,
        to_state=motion.status,
        data=data,
    )
    return motion
