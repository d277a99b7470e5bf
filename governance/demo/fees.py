"""This year's membership fees of ECCAR's member cities: most paid, three due, one waived."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from governance import services
from governance.models import FeeStatus, MembershipFee
from members.models import Coalition

#: This year's fees the demo leaves due, and the one it waives.
FEES_DUE = ["Nancy", "Metz", "Bern"]
FEE_WAIVED = "Esch-sur-Alzette"


def load(eccar: Coalition, users: dict) -> None:
    today = timezone.localdate()
    if MembershipFee.objects.filter(coalition=eccar, year=today.year).exists():
        return
    bureau = users["bureau"]
    services.generate_fees_for_year(actor=bureau, coalition=eccar, year=today.year)
    paid_on = min(dt.date(today.year, 2, 15), today)
    for fee in MembershipFee.objects.filter(coalition=eccar, year=today.year).select_related(
        "city"
    ):
        if fee.city.name in FEES_DUE:
            continue
        waived = fee.city.name == FEE_WAIVED
        services.record_fee(
            actor=bureau,
            coalition=eccar,
            city=fee.city,
            year=fee.year,
            status=FeeStatus.WAIVED if waived else FeeStatus.PAID,
            paid_on=None if waived else paid_on,
            note="Waived by the steering committee (demo data)." if waived else None,
        )
