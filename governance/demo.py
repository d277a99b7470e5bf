"""Demo steering committee for ECCAR (see coalition.demo). Idempotent."""

from __future__ import annotations

import datetime as dt

from governance.models import CommitteeSeat, SeatKind
from members.models import City, Coalition

#: The ECCAR steering committee as listed in the seed (DOMAIN.md), plus UNESCO as observer.
COMMITTEE_CITIES = [
    "Rotterdam",
    "Berlin",
    "Bologna",
    "Botkyrka",
    "Esch-sur-Alzette",
    "Ghent",
    "Graz",
    "Karlsruhe",
    "Liège",
    "Malmö",
    "Metz",
    "Munich",
    "Nancy",
    "Nantes",
    "Potsdam",
    "Toulouse",
    "Villeurbanne",
]
TERM_START = dt.date(2024, 11, 1)
TERM_END = dt.date(2026, 12, 31)


def load(*, users: dict) -> None:
    eccar = Coalition.objects.get(short_name="ECCAR")
    if CommitteeSeat.objects.filter(coalition=eccar).exists():
        return
    for name in COMMITTEE_CITIES:
        CommitteeSeat.objects.create(
            coalition=eccar,
            city=City.objects.get(name=name),
            kind=SeatKind.VOTING,
            starts_on=TERM_START,
            ends_on=TERM_END,
            representative=users["committee"] if name == "Ghent" else None,
        )
    CommitteeSeat.objects.create(
        coalition=eccar,
        institution="UNESCO",
        kind=SeatKind.OBSERVER,
        starts_on=TERM_START,
        ends_on=TERM_END,
    )
