"""What a cities file is made of: its columns, a valid row (`Row`) and a bad row's error.

The row form (importer/form.py) makes a `Row` of a line's cells; the planning and the
writes take it from there. Every problem is a `RowError` that names its line or feature.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from members.models import Coalition

#: The header of the file, shared with the CSV export so that an export can be re-imported.
CSV_HEADER = [
    "name",
    "country",
    "region",
    "coalition",
    "latitude",
    "longitude",
    "population",
    "joined_on",
    "status",
    "website",
    "local_name",
]
#: Columns a file may leave out (older exports had no local name): an absent one is empty.
OPTIONAL_COLUMNS = frozenset({"local_name"})


@dataclass(frozen=True)
class RowError:
    line: int
    message: str
    #: "line" of a CSV file, or "feature" of a GeoJSON file (numbered from 1).
    unit: str = "line"

    def __str__(self) -> str:
        if self.unit == "feature":
            return _("feature %(line)s: %(message)s") % {"line": self.line, "message": self.message}
        return _("line %(line)s: %(message)s") % {"line": self.line, "message": self.message}


@dataclass
class Row:
    """One valid line of the file."""

    line: int
    name: str
    country: str
    region: str
    coalition: Coalition | None
    latitude: Decimal | None
    longitude: Decimal | None
    population: int | None
    joined_on: dt.date | None
    status: str
    website: str
    local_name: str = ""

    @property
    def city_key(self) -> tuple[str, str]:
        return (self.name.casefold(), self.country)

    def city_fields(self) -> dict:
        """The city's fields this line sets (empty cells leave a recorded value alone)."""
        values = {
            "local_name": self.local_name,
            "region": self.region,
            "latitude": self.latitude,
            "longitude": self.longitude,
            "population": self.population,
            "website": self.website,
        }
        return {k: v for k, v in values.items() if v not in (None, "")}
