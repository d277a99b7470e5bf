"""ECCAR's steering committee: its seats for a term around today, each with its demo
representative (committee@demo holds Ghent's), UNESCO as observer, and a few seats of the
previous term so that the history shows."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from coalition.demo import COMMITTEE_SEAT_CITIES, PREVIOUS_SEAT_CITIES, seat_account
from governance import services
from governance.models import CommitteeSeat, SeatKind
from members.models import City, Coalition

#: The ECCAR steering committee as listed in the seed (DOMAIN.md), plus UNESCO as observer;
#: and seats of the previous term that were not renewed (history shown on the coalition page).
#: Every seat has its demo representative (coalition.demo.seat_account).
COMMITTEE_CITIES = COMMITTEE_SEAT_CITIES
PREVIOUS_TERM_CITIES = PREVIOUS_SEAT_CITIES


def current_term() -> tuple[dt.date, dt.date]:
    """A two-year term that includes today, so the demo committee is always sitting."""
    today = timezone.localdate()
    start = dt.date(today.year - 1, 11, 1) if today.month < 11 else dt.date(today.year, 11, 1)
    return start, dt.date(start.year + 2, 10, 31)


def load(eccar: Coalition, users: dict) -> None:
    if CommitteeSeat.objects.filter(coalition=eccar).exists():
        _represent_every_seat(eccar, users)
        return
    admin = users["admin"]
    start, end = current_term()
    previous_start = dt.date(start.year - 2, start.month, start.day)
    for name in PREVIOUS_TERM_CITIES:
        city = City.objects.filter(name=name).first()
        if city is not None:
            services.add_seat(
                actor=admin,
                coalition=eccar,
                kind=SeatKind.VOTING,
                city=city,
                starts_on=previous_start,
                ends_on=start - dt.timedelta(days=1),
                representative=users.get(seat_account(name)),
            )
    for name in COMMITTEE_CITIES:
        services.add_seat(
            actor=admin,
            coalition=eccar,
            kind=SeatKind.VOTING,
            city=City.objects.get(name=name),
            starts_on=start,
            ends_on=end,
            representative=users[seat_account(name)],
        )
    services.add_seat(
        actor=admin,
        coalition=eccar,
        kind=SeatKind.OBSERVER,
        institution="UNESCO",
        starts_on=start,
        ends_on=end,
    )


def _represent_every_seat(eccar: Coalition, users: dict) -> None:
    """A demo database loaded before every seat had a representative gets them now."""
    admin = users["admin"]
    for seat in CommitteeSeat.objects.filter(
        coalition=eccar, representative__isnull=True, city__isnull=False
    ).select_related("city", "coalition"):
        assert seat.city is not None  # city__isnull=False
        representative = users.get(seat_account(seat.city.name))
        if representative is not None:
            services.update_seat(actor=admin, seat=seat, representative=representative)
