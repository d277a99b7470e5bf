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

#: (city, office, months after the committee's term started)
OFFICERS = [
    ("Bologna", OfficerOffice.PRESIDENT, 0),
    ("Potsdam", OfficerOffice.VICE_PRESIDENT, 0),
    ("Ghent", OfficerOffice.VICE_PRESIDENT, 3),
]


def load(eccar: Coalition, users: dict, *, term: tuple[dt.date, dt.date]) -> None:
    if CommitteeOfficer.objects.filter(coalition=eccar).exists():
        return
    start, end = term
    today = timezone.localdate()
    for city, office, months in OFFICERS:
        seat = (
            CommitteeSeat.objects.current()
            .voting()
            .filter(coalition=eccar, city__name=city, representative__isnull=False)
            .first()
        )
        if seat is None or seat.representative != users.get(seat_account(city)):
            continue
        starts_on = min(_add_months(start, months), today)
        officers.record_officer(
            actor=users["admin"],
            seat=seat,
            office=office,
            starts_on=max(starts_on, seat.starts_on),
            ends_on=end,
        )


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    return dt.date(day.year + month // 12, month % 12 + 1, min(day.day, 28))
