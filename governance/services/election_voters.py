"""Who casts a city's ballot in an officer election or an election held in a session.

`services.elections.persons_casting_for` and `cities_cast_by` ask here when the election
is not an online vote of the member cities (ADR 0013):

- an election held in an assembly session: the session's current voting-card holder of
  each city (`CardHolding`, governance.selectors_attendance), never the certified delegate;
- an officer election: the representative of each of the committee's current voting
  seats (observers and advisers have no vote).

Each function costs one query whatever the size of the electorate.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from governance.models import CardHolding, CommitteeSeat, Election


def card_casting(election: Election, *, city_ids=None) -> dict[int, set[int]]:
    """Per city, the person holding its voting card in the election's session now."""
    holdings = CardHolding.objects.filter(session_id=election.session_id, current=True)
    if city_ids is not None:
        holdings = holdings.filter(city_id__in=city_ids)
    return {city: {holder} for city, holder in holdings.values_list("city_id", "holder_id")}


def cards_held_by(election: Election, user) -> set[int]:
    """The cities whose voting card `user` holds in the election's session now."""
    return set(
        CardHolding.objects.filter(
            session_id=election.session_id, current=True, holder=user
        ).values_list("city_id", flat=True)
    )


def _voting_seats(election: Election, on: dt.date):
    return (
        CommitteeSeat.objects.current(on)
        .voting()
        .filter(coalition_id=election.coalition_id, city__isnull=False)
    )


def seat_casting(
    election: Election, at: dt.datetime | None = None, *, city_ids=None
) -> dict[int, set[int]]:
    """Per city with a current voting seat, its representative (none: nobody casts)."""
    seats = _voting_seats(election, timezone.localdate(at) if at else timezone.localdate())
    if city_ids is not None:
        seats = seats.filter(city_id__in=city_ids)
    allowed: dict[int, set[int]] = {}
    for city, person in seats.values_list("city_id", "representative_id"):
        allowed.setdefault(city, set())
        if person is not None:
            allowed[city].add(person)
    return allowed


def seats_represented_by(election: Election, user, at: dt.datetime | None = None) -> set[int]:
    """The cities whose current voting seat `user` represents."""
    day = timezone.localdate(at) if at else timezone.localdate()
    return set(
        _voting_seats(election, day).filter(representative=user).values_list("city_id", flat=True)
    )


def officer_electorate(election: Election) -> list[int]:
    """The cities of the committee's voting seats today: one ballot per seat (by city)."""
    return sorted(
        set(_voting_seats(election, timezone.localdate()).values_list("city_id", flat=True))
    )
