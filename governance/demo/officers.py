"""The demo committee's officers: a President and two Vice-Presidents with their terms.

Recorded through governance.services.officers, as the bureau would record officers elected
before the portal (the public record: the President, Bologna, is in a third term; the
Vice-Presidents started on different dates). Loading twice adds nothing.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from coalition.demo import seat_account
from governance.models import CommitteeOfficer, CommitteeSeat, OfficerOffice
from governance.services import officers
from members.models import Coalition

#: (city, office, days after the committee's term started)
OFFICERS = [
    ("Bologna", OfficerOffice.PRESIDENT, 0),
    ("Potsdam", OfficerOffice.VICE_PRESIDENT, 0),
    ("Ghent", OfficerOffice.VICE_PRESIDENT, 30),
]


def load(eccar: Coalition, users: dict, *, term: tuple[dt.date, dt.date]) -> None:
    if CommitteeOfficer.objects.filter(coalition=eccar).exists():
        return
    start, end = term
    today = timezone.localdate()
    for city, office, days in OFFICERS:
        seat = (
            CommitteeSeat.objects.current()
            .voting()
            .filter(coalition=eccar, city__name=city, representative__isnull=False)
            .first()
        )
        if seat is None or seat.representative != users.get(seat_account(city)):
            continue
        # Started before today (so that an officer elected today may succeed them).
        latest = max(start, today - dt.timedelta(days=1))
        starts_on = min(start + dt.timedelta(days=days), latest)
        officers.record_officer(
            actor=users["admin"],
            seat=seat,
            office=office,
            starts_on=max(starts_on, seat.starts_on),
            ends_on=end,
        )
