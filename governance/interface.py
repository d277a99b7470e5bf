"""What other apps may ask governance: the one module they import from it (ADR 0006).

`reporting` needs to know on which steering committees a person sits (committee members
review reports); it asks here rather than reaching into governance's models and
selectors, and the import-linter contract in pyproject.toml names this module as the
only one it may import.
"""

from __future__ import annotations

from governance.models import CommitteeSeat
from governance.selectors import committee_seat_ids_for


def committee_coalition_ids(user) -> frozenset[int]:
    """Coalitions on whose steering committee this person currently sits."""
    seat_ids = committee_seat_ids_for(user)
    if not seat_ids:
        return frozenset()
    return frozenset(
        CommitteeSeat.objects.filter(pk__in=seat_ids).values_list("coalition_id", flat=True)
    )
