"""Who a person is in governance: the seats they hold, bureau staff of which coalitions."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied

from coalition.request_cache import per_request
from governance.models import (
    CommitteeSeat,
    SeatKind,
)
from members.selectors import roles_for


@dataclass(frozen=True)
class HeldSeat:
    id: int
    coalition_id: int
    city_id: int | None
    kind: str

    @property
    def is_voting(self) -> bool:
        return self.kind == SeatKind.VOTING


def held_seats(user) -> tuple[HeldSeat, ...]:
    """The current committee seats this person represents (one query, once per request)."""
    if not getattr(user, "is_authenticated", False):
        return ()
    return per_request(
        user,
        "governance.held_seats",
        lambda: tuple(
            HeldSeat(*row)
            for row in CommitteeSeat.objects.current()
            .filter(representative=user)
            .order_by("id")
            .values_list("id", "coalition_id", "city_id", "kind")
        ),
    )


def seats_in(user, coalition_id: int) -> list[HeldSeat]:
    return [seat for seat in held_seats(user) if seat.coalition_id == coalition_id]


def is_committee_member(user, coalition_id: int | None = None) -> bool:
    seats = held_seats(user)
    return bool(seats if coalition_id is None else seats_in(user, coalition_id))


def bureau_coalition_ids(user) -> frozenset[int] | None:
    """Coalitions whose bureau this person staffs; None means all (administrators)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    roles = roles_for(user)
    if roles.is_admin:
        return None
    return roles.bureau_of


def is_bureau(user, coalition_id: int | None = None) -> bool:
    ids = bureau_coalition_ids(user)
    if ids is None:
        return True
    return bool(ids) if coalition_id is None else coalition_id in ids


def require_bureau(user, coalition_id: int) -> None:
    if not is_bureau(user, coalition_id):
        raise PermissionDenied
