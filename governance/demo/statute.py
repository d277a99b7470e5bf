"""ECCAR's statute profile (version 1). Its values and section numbers are illustrative demo
data, not a reading of ECCAR's statute; the values the demo leaves to German law cite the BGB.
"""

from __future__ import annotations

import datetime as dt

from governance import services
from governance.models import StatuteProfile
from governance.models.statute import GERMAN_LAW_SOURCES
from members.models import Coalition

#: ECCAR's demo profile: what differs from German law, with (illustrative) statute sections.
STATUTE_VALUES = {
    "notice_days_ordinary": 42,
    "notice_days_extraordinary": 21,
    "motion_deadline_days": 28,
    "amendment_deadline_days": 7,
    "majority_exclusion": "two_thirds",
    "late_items_allowed": True,
    "majority_late_item": "two_thirds",
    "substitutes_per_city": 2,
    "vice_presidents": 2,
    "fee_bands": [
        {"up_to": 100000, "amount": "500.00"},
        {"up_to": 500000, "amount": "750.00"},
        {"up_to": None, "amount": "1000.00"},
    ],
}
STATUTE_SOURCES = {
    **GERMAN_LAW_SOURCES,
    "notice_ordinary": "Statute 2019 §7(3)",
    "notice_extraordinary": "Statute 2019 §7(4)",
    "motion_deadline": "Statute 2019 §7(5)",
    "amendment_deadline": "Statute 2019 §7(5)",
    "majority_exclusion": "Statute 2019 §4(3)",
    "late_items": "Statute 2019 §7(6)",
    "substitutes": "Statute 2019 §8(2)",
    "vice_presidents": "Statute 2019 §10(1)",
    "fees": "Statute 2019 §5(2) and the fee schedule of the General Assembly",
}


def load(eccar: Coalition, users: dict) -> None:
    if StatuteProfile.objects.filter(coalition=eccar).exists():
        return
    defaults = StatuteProfile.german_law_defaults(eccar)
    services.update_statute_profile(
        actor=users["admin"],
        coalition=eccar,
        values={**defaults.values(), **STATUTE_VALUES},
        sources=STATUTE_SOURCES,
        valid_from=dt.date(2019, 10, 1),
        adopted_on=dt.date(2019, 10, 1),
        note="Demo data: the values and section numbers are illustrative.",
        based_on_version=0,
    )
