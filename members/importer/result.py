"""What an import reports: its counts, its bad rows, and the progress it tells on the way."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from members.importer.rows import RowError

#: Called as progress(phase, done, total) every PROGRESS_EVERY rows and at the end.
ProgressCallback = Callable[[str, int, int], None]
PROGRESS_EVERY = 500


@dataclass
class ImportResult:
    dry_run: bool
    #: What the errors number: "line" (CSV) or "feature" (GeoJSON).
    unit: str = "line"
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    cities: Counter = field(default_factory=Counter)
    memberships: Counter = field(default_factory=Counter)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        def part(label: str, counts: Counter) -> str:
            return _(
                "%(label)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged"
            ) % {
                "label": label,
                "created": counts["created"],
                "updated": counts["updated"],
                "unchanged": counts["unchanged"],
            }

        return "; ".join([part(_("cities"), self.cities), part(_("memberships"), self.memberships)])
