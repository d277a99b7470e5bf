"""One line's cells checked by a form (`CityRowForm`) and made a `Row` (`parse_row`).

A CSV line and a GeoJSON feature's cells (importer/geojson.py) meet the same form, so their
messages are the same. Every problem of a line is named, in the order of its columns.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _
from django_countries import countries

from coalition.csvcells import restore
from members.importer.rows import CSV_HEADER, Row
from members.models import Coalition, MembershipStatus

SIX_PLACES = Decimal("0.000001")
#: The largest population the database holds (a PositiveIntegerField on PostgreSQL).
POPULATION_MAX = 2_147_483_647


def _cell(**kwargs: Any) -> forms.CharField:
    # Cells arrive stripped, their formula quote and control characters already handled.
    return forms.CharField(required=False, strip=False, **kwargs)


def _coordinate(value: str, label: str, limit: int) -> Decimal | None:
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation as exc:
        raise ValidationError(
            _("%(label)s %(value)r is not a number") % {"label": label, "value": value}
        ) from exc
    if not number.is_finite() or not -limit <= number <= limit:
        raise ValidationError(
            _("%(label)s %(value)s is out of range (-%(limit)d to %(limit)d)")
            % {"label": label, "value": value, "limit": limit}
        )
    return number.quantize(SIX_PLACES, rounding=ROUND_HALF_UP)


class CityRowForm(forms.Form):
    """The cells of one line; `cleaned_data` holds a Row's values once it is valid."""

    name = _cell()
    country = _cell()
    region = _cell()
    coalition = _cell()
    latitude = _cell()
    longitude = _cell()
    population = _cell()
    joined_on = _cell()
    status = _cell()
    website = _cell()
    local_name = _cell()

    def __init__(self, cells: dict[str, str], *, coalitions: dict[str, Coalition]):
        super().__init__(cells)
        self.coalitions = coalitions

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        if not name:
            raise ValidationError(_("missing name"))
        if len(name) > 200:
            raise ValidationError(_("name longer than 200 characters"))
        return name

    def clean_local_name(self) -> str:
        local_name = self.cleaned_data["local_name"]
        if len(local_name) > 200:
            raise ValidationError(_("local name longer than 200 characters"))
        return local_name

    def clean_country(self) -> str:
        raw = self.cleaned_data["country"]
        country = raw.upper()
        if not country:
            raise ValidationError(_("missing country"))
        if len(country) != 2 or country not in countries:
            raise ValidationError(
                _("unknown country %(value)r (use an ISO 3166-1 alpha-2 code such as DE)")
                % {"value": raw}
            )
        return country

    def clean_region(self) -> str:
        region = self.cleaned_data["region"]
        if len(region) > 200:
            raise ValidationError(_("region longer than 200 characters"))
        return region

    def clean_coalition(self) -> Coalition | None:
        value = self.cleaned_data["coalition"]
        if not value:
            return None
        coalition = self.coalitions.get(value.casefold())
        if coalition is None:
            known = ", ".join(sorted({c.short_name for c in self.coalitions.values()}))
            raise ValidationError(
                _("unknown coalition %(value)r (known: %(known)s)")
                % {"value": value, "known": known}
            )
        return coalition

    def clean_latitude(self) -> Decimal | None:
        return _coordinate(self.cleaned_data["latitude"], _("latitude"), 90)

    def clean_longitude(self) -> Decimal | None:
        return _coordinate(self.cleaned_data["longitude"], _("longitude"), 180)

    def clean_population(self) -> int | None:
        value = self.cleaned_data["population"]
        if not value:
            return None
        try:
            population = int(value)
            if population < 0:
                raise ValueError
        except ValueError as exc:
            raise ValidationError(
                _("population %(value)r is not a whole number") % {"value": value}
            ) from exc
        if population > POPULATION_MAX:
            raise ValidationError(
                _("population %(value)s is larger than %(max)s")
                % {"value": population, "max": POPULATION_MAX}
            )
        return population

    def clean_joined_on(self) -> dt.date | None:
        value = self.cleaned_data["joined_on"]
        if not value:
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError as exc:
            raise ValidationError(
                _("bad date %(value)r in joined_on (use YYYY-MM-DD)") % {"value": value}
            ) from exc

    def clean_status(self) -> str:
        raw = self.cleaned_data["status"]
        status = raw.lower()
        if status and status not in MembershipStatus.values:
            raise ValidationError(
                _("bad status %(value)r (one of: %(choices)s)")
                % {"value": raw, "choices": ", ".join(MembershipStatus.values)}
            )
        return status

    def clean_website(self) -> str:
        website = self.cleaned_data["website"]
        problems = []
        if website:
            try:
                URLValidator(schemes=["http", "https"])(website)
            except ValidationError:
                problems.append(_("website %(value)r is not a web address") % {"value": website})
            if len(website) > 200:
                problems.append(_("website longer than 200 characters"))
        if problems:
            raise ValidationError(problems)
        return website

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        cells = self.data
        if bool(cells["latitude"]) != bool(cells["longitude"]):
            self.add_error("longitude", _("give both latitude and longitude, or neither"))
        status = cells["status"].lower()  # as typed, valid or not
        if (status or data.get("joined_on")) and not cells["coalition"]:
            self.add_error("status", _("a status or joining date needs a coalition"))
        if cells["coalition"] and not status and "status" in data:
            data["status"] = MembershipStatus.MEMBER
        return data

    def problems(self) -> list[str]:
        """What is wrong with the line, column by column."""
        return [str(message) for name in CSV_HEADER for message in self.errors.get(name, [])]


def parse_row(
    line: int, raw: dict, coalitions: dict[str, Coalition], *, formula_quotes: bool = True
) -> Row | list[str]:
    """A valid Row, or the list of what is wrong with the line.

    `formula_quotes`: the cells may carry the CSV export's formula quote (a GeoJSON file's
    properties never do)."""
    problems: list[str] = []
    if None in raw:  # more cells than columns
        problems.append(_("more values than columns in the header"))
    # The export quotes cells that would start a formula; that quote is not part of the value.
    unquote = restore if formula_quotes else str
    cell = {key: unquote((raw.get(key) or "").strip()) for key in CSV_HEADER}
    for key in CSV_HEADER:
        controls = [c for c in cell[key] if unicodedata.category(c) == "Cc"]
        if controls:
            # NUL above all: PostgreSQL refuses it in text, and a spreadsheet hides it.
            problems.append(
                _("%(column)s contains a control character (%(char)s)")
                % {"column": key, "char": f"U+{ord(controls[0]):04X}"}
            )
            cell[key] = "".join(c for c in cell[key] if c not in controls)  # check the rest
    form = CityRowForm(cell, coalitions=coalitions)
    if not form.is_valid() or problems:
        return problems + form.problems()
    return Row(line=line, **form.cleaned_data)
