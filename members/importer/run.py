"""The import itself: read, check and plan every row, then write all of them or none."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import PurePath
from typing import IO

from django.db import transaction

from members.importer.planning import check_duplicates, count_plans, plan_import
from members.importer.reading import read_csv, read_geojson
from members.importer.result import ImportResult, ProgressCallback
from members.importer.writing import apply_plans
from members.models import Coalition

#: The file formats by extension; a file without one is told by its first character.
IMPORT_EXTENSIONS = {".csv": "csv", ".txt": "csv", ".geojson": "geojson", ".json": "geojson"}


def file_format(name: str, head: bytes) -> str | None:
    """ "csv" or "geojson", by the file's extension, else by its first character; None."""
    suffix = PurePath(name.lower()).suffix
    if suffix in IMPORT_EXTENSIONS:
        return IMPORT_EXTENSIONS[suffix]
    if suffix:
        return None
    return "geojson" if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{") else "csv"


def import_cities(
    stream: IO[bytes] | IO[str] | Iterable[str],
    *,
    actor=None,
    dry_run: bool = False,
    source: str = "CSV import",
    file_format: str = "csv",
    progress: ProgressCallback | None = None,
    coalition_ids: frozenset[int] | None = None,
    editable_cities=None,
) -> ImportResult:
    """Validate every line, then import all of them or none. See the module docstring.

    `file_format`: "csv", or "geojson" (importer/geojson.py: each feature is read into
    the CSV's cells and checked by the same row form; errors are numbered by feature).

    `coalition_ids` and `editable_cities` limit an import made by staff (the admin's
    import page) to their own coalitions and to the cities they may correct; None: no limit.
    """
    result = ImportResult(dry_run=dry_run, unit="feature" if file_format == "geojson" else "line")
    _import(
        stream,
        result,
        actor=actor,
        source=source,
        file_format=file_format,
        progress=progress,
        coalition_ids=coalition_ids,
        editable_cities=editable_cities,
    )
    if result.unit == "feature":  # the planning and the writes number rows as lines
        result.errors = [replace(e, unit="feature") for e in result.errors]
    return result


def _import(
    stream,
    result: ImportResult,
    *,
    actor,
    source,
    file_format,
    progress,
    coalition_ids,
    editable_cities,
) -> None:
    dry_run = result.dry_run
    coalitions: dict[str, Coalition] = {}
    for coalition in Coalition.objects.all():
        coalitions[coalition.short_name.casefold()] = coalition
        coalitions.setdefault(coalition.slug.casefold(), coalition)

    if file_format == "geojson":
        rows = read_geojson(stream, result, coalitions, coalition_ids, progress)
    else:
        rows = read_csv(stream, result, coalitions, coalition_ids, progress)
    if rows is None:
        return
    if progress:
        progress("validated", result.rows, result.rows)

    rows = check_duplicates(rows, result)
    plans = plan_import(rows, result, editable_cities)
    result.errors.sort(key=lambda e: e.line)
    if result.errors:
        return

    count_plans(plans, result)
    phase = "checked" if dry_run else "imported"
    with transaction.atomic():
        refused = apply_plans(
            plans,
            actor=actor,
            source=source,
            progress=progress,
            total=result.rows,
            phase=phase,
            unit=result.unit,
        )
        result.errors.extend(refused)
        if dry_run or result.errors:
            transaction.set_rollback(True)  # nothing written: the dry run only rehearses
    if result.errors:
        result.errors.sort(key=lambda e: e.line)
        result.cities.clear()
        result.memberships.clear()
