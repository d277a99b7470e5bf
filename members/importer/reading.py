"""Reading a file into valid rows: a CSV file line by line, a GeoJSON file feature by
feature; every bad line or feature is named in the result, and the rows are kept in scope
(an import made by staff goes only into their own coalitions)."""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterable
from typing import IO, Any, cast

from django.utils.translation import gettext as _

from members.importer import geojson
from members.importer.form import parse_row
from members.importer.result import PROGRESS_EVERY
from members.importer.rows import CSV_HEADER, OPTIONAL_COLUMNS, Row, RowError


def read_rows(stream: IO[bytes] | IO[str] | Iterable[str]) -> Iterable[tuple[int, dict]]:
    """(line number, raw row) pairs. The header is line 1. Bytes are read as UTF-8."""
    lines: Any = stream
    if hasattr(stream, "read") and isinstance(stream.read(0), bytes):
        lines = codecs.getreader("utf-8-sig")(cast(Any, stream))
    reader = csv.DictReader(lines)
    header = [(name or "").strip().lstrip("\ufeff").lower() for name in (reader.fieldnames or [])]
    reader.fieldnames = header
    yield 1, {"__header__": header}
    for raw in reader:
        yield reader.line_num, raw


def check_header(header: list[str]) -> str | None:
    if not header:
        return _("the file is empty: the first line must be the header %(header)s") % {
            "header": ",".join(CSV_HEADER)
        }
    missing = [c for c in CSV_HEADER if c not in header and c not in OPTIONAL_COLUMNS]
    unknown = [c for c in header if c not in CSV_HEADER]
    duplicated = sorted({c for c in header if header.count(c) > 1})
    problems = []
    if missing:
        problems.append(_("missing columns: %(cols)s") % {"cols": ", ".join(missing)})
    if unknown:
        problems.append(_("unknown columns: %(cols)s") % {"cols": ", ".join(unknown)})
    if duplicated:
        problems.append(_("repeated columns: %(cols)s") % {"cols": ", ".join(duplicated)})
    if problems:
        return _("bad header (%(problems)s); expected %(header)s") % {
            "problems": "; ".join(problems),
            "header": ",".join(CSV_HEADER),
        }
    return None


def _in_scope(parsed: Row | list[str], coalition_ids: frozenset[int] | None) -> Row | list[str]:
    if (
        not isinstance(parsed, list)
        and coalition_ids is not None
        and parsed.coalition is not None
        and parsed.coalition.pk not in coalition_ids
    ):
        return [
            _("you can import only into your own coalition, not into %(coalition)s")
            % {"coalition": parsed.coalition.short_name}
        ]
    return parsed


def read_csv(stream, result, coalitions, coalition_ids, progress) -> list[Row] | None:
    """The valid rows of a CSV file, its bad lines named in result; None if it is unreadable."""
    rows: list[Row] = []
    try:
        for line, raw in read_rows(stream):
            if "__header__" in raw:
                problem = check_header(raw["__header__"])
                if problem:
                    result.errors.append(RowError(1, problem))
                    return None
                continue
            if not any((v or "").strip() for k, v in raw.items() if k is not None):
                continue  # blank line
            result.rows += 1
            parsed = _in_scope(parse_row(line, raw, coalitions), coalition_ids)
            if isinstance(parsed, list):
                result.errors.append(RowError(line, "; ".join(parsed)))
            else:
                rows.append(parsed)
            if progress and result.rows % PROGRESS_EVERY == 0:
                progress("validated", result.rows, 0)
    except UnicodeDecodeError:
        result.errors.append(RowError(0, _("the file is not UTF-8 text")))
        return None
    except csv.Error as exc:
        result.errors.append(
            RowError(0, _("the file is not valid CSV (%(error)s)") % {"error": exc})
        )
        return None
    return rows


def read_geojson(stream, result, coalitions, coalition_ids, progress) -> list[Row] | None:
    """The valid rows of a GeoJSON file, its bad features named; None if it is unreadable."""
    try:
        features = geojson.load(stream)
    except UnicodeDecodeError:
        result.errors.append(RowError(0, _("the file is not UTF-8 text"), "feature"))
        return None
    except geojson.GeoJSONFileError as exc:
        result.errors.append(RowError(0, str(exc), "feature"))
        return None
    rows: list[Row] = []
    for number, cells, shape_problems in geojson.read_features(features):
        result.rows += max(len(cells), 1)
        problems = list(shape_problems)
        parsed_rows = []
        for raw in cells:
            parsed = _in_scope(
                parse_row(number, raw, coalitions, formula_quotes=False), coalition_ids
            )
            if isinstance(parsed, list):
                problems.extend(parsed)
            else:
                parsed_rows.append(parsed)
        if problems:
            message = "; ".join(dict.fromkeys(problems))  # a city's problem once per feature
            result.errors.append(RowError(number, message, "feature"))
        else:
            rows.extend(parsed_rows)
        if progress and number % PROGRESS_EVERY == 0:
            progress("validated", result.rows, 0)
    return rows
