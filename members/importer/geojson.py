"""A GeoJSON file of cities, read into the same cells as a CSV line (importer/rows.py).

The file is a FeatureCollection (RFC 7946) of Point features, as the directory's GeoJSON
export writes it: the coordinates are [longitude, latitude], the properties carry the CSV
columns (name, local_name, country, region, population, website) and the city's
memberships, either as the export's list ``"memberships": [{"coalition", "status",
"joined_on"}]`` or flat as ``coalition``, ``status`` and ``joined_on``. A feature with
several memberships becomes one row per membership, all numbered with the feature.
A feature whose geometry is null is a city without coordinates (the export leaves such
cities out, since a GeoJSON reader cannot place them; the CSV export holds them).

Only the shape of the file is checked here (what a feature, a Point and coordinates are);
every cell is then checked by the CSV's row form, so the messages are the same.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from typing import IO, Any

from django.utils.translation import gettext as _

from members.importer.rows import CSV_HEADER

#: The per-membership properties; the other cells are the city's.
MEMBERSHIP_KEYS = ("coalition", "status", "joined_on")
CITY_KEYS = tuple(k for k in CSV_HEADER if k not in (*MEMBERSHIP_KEYS, "latitude", "longitude"))
#: Properties the export writes that the import does not read.
IGNORED_KEYS = frozenset({"profile_url"})


class GeoJSONFileError(Exception):
    """The file as a whole is not a FeatureCollection; the message says why."""


def load(stream: IO[bytes] | IO[str]) -> list:
    """The features of the file, or GeoJSONFileError (UnicodeDecodeError for non-UTF-8)."""
    data = stream.read()
    if isinstance(data, bytes):
        data = data.decode("utf-8-sig")
    try:
        document = json.loads(data, parse_float=Decimal)
    except (ValueError, RecursionError) as exc:
        raise GeoJSONFileError(
            _("the file is not valid JSON (%(error)s)") % {"error": exc}
        ) from exc
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise GeoJSONFileError(_("the file is not a GeoJSON FeatureCollection"))
    features = document.get("features")
    if not isinstance(features, list):
        raise GeoJSONFileError(_("the FeatureCollection has no list of features"))
    return features


def _text(value: Any) -> str | None:
    """A property as a cell; None if it is neither text nor a number."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return f"{value:f}"
    return None


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        return None
    return Decimal(value)


def _coordinates(geometry: Any, problems: list[str]) -> tuple[str, str]:
    """(latitude, longitude) cells of the geometry; its problems appended."""
    if geometry is None:
        return "", ""
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    if kind != "Point":
        problems.append(
            _("the geometry is not a Point (%(type)s)") % {"type": kind or type(geometry).__name__}
        )
        return "", ""
    coordinates = geometry.get("coordinates")
    numbers = [_number(v) for v in coordinates] if isinstance(coordinates, list) else []
    if len(numbers) not in (2, 3) or any(n is None for n in numbers):
        problems.append(_("the coordinates are not [longitude, latitude] numbers"))
        return "", ""
    longitude, latitude = numbers[0], numbers[1]
    assert longitude is not None and latitude is not None
    if abs(latitude) > 90 and abs(longitude) <= 90 and abs(latitude) <= 180:
        problems.append(
            _(
                "latitude %(latitude)s is out of range (-90 to 90): the coordinates look "
                "swapped; GeoJSON gives the longitude first, [longitude, latitude]"
            )
            % {"latitude": f"{latitude:f}"}
        )
        return "", ""
    # Other ranges are checked by the row form, in the CSV's words.
    return f"{latitude:f}", f"{longitude:f}"


def _cells(values: dict, keys: tuple[str, ...], problems: list[str]) -> dict[str, str]:
    cells = {}
    for key in keys:
        text = _text(values.get(key))
        if text is None:
            problems.append(_("%(column)s must be text or a number") % {"column": key})
            text = ""
        cells[key] = text
    return cells


def feature_cells(feature: Any) -> tuple[list[dict[str, str]], list[str]]:
    """The rows of cells one feature stands for, and what is wrong with its shape."""
    problems: list[str] = []
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        return [], [_("not a GeoJSON Feature")]
    latitude, longitude = _coordinates(feature.get("geometry"), problems)
    properties = feature.get("properties")
    if properties is None:
        properties = {}
    if not isinstance(properties, dict):
        return [], [*problems, _("the properties are not an object")]
    known = {*CITY_KEYS, *MEMBERSHIP_KEYS, "memberships", *IGNORED_KEYS}
    unknown = [key for key in properties if key not in known]
    if unknown:
        problems.append(_("unknown properties: %(keys)s") % {"keys": ", ".join(unknown)})
    city = {
        **_cells(properties, CITY_KEYS, problems),
        "latitude": latitude,
        "longitude": longitude,
    }
    memberships = properties.get("memberships")
    flat = [key for key in MEMBERSHIP_KEYS if properties.get(key) not in (None, "")]
    if memberships in (None, []):
        return [{**city, **_cells(properties, MEMBERSHIP_KEYS, problems)}], problems
    if flat:
        problems.append(
            _("give the memberships either as a list or as %(keys)s, not both")
            % {"keys": ", ".join(MEMBERSHIP_KEYS)}
        )
    if not isinstance(memberships, list) or not all(isinstance(m, dict) for m in memberships):
        return [city | dict.fromkeys(MEMBERSHIP_KEYS, "")], [
            *problems,
            _("memberships must be a list of objects"),
        ]
    rows = []
    for membership in memberships:
        extra = [key for key in membership if key not in MEMBERSHIP_KEYS]
        if extra:
            problems.append(
                _("unknown membership properties: %(keys)s") % {"keys": ", ".join(extra)}
            )
        rows.append({**city, **_cells(membership, MEMBERSHIP_KEYS, problems)})
    return rows, list(dict.fromkeys(problems))


def read_features(features: list) -> Iterator[tuple[int, list[dict[str, str]], list[str]]]:
    """(feature number from 1, its rows of cells, the problems of its shape)."""
    for number, feature in enumerate(features, start=1):
        rows, problems = feature_cells(feature)
        yield number, rows, problems
