"""Import of cities and memberships from CSV: validate everything, then write all or nothing.

The file has the header of the directory's CSV export (so an export can be
re-imported as it is)::

    name,country,region,coalition,latitude,longitude,population,joined_on,status,website

A city is identified by its name (case-insensitively) and country; a membership
by its city and coalition. Empty optional fields leave what is recorded as it
is, so re-importing a file changes nothing. Status changes go through
services.change_membership_status, so the membership history is kept.

Each line is checked by members.import_rows (a form per row); this module plans the
valid rows against what is recorded and writes them. The dry run and the import meet
the same checks: both validate every line, then make every write, each city in its own
savepoint so that a row the services or the database refuse is named and the next rows
are still tried; the dry run (and an import with any bad row) then rolls everything back.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import IO

from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction
from django.utils.translation import gettext as _

from members import services
from members.import_rows import CSV_HEADER as CSV_HEADER  # the export's header, imported from here
from members.import_rows import Row, RowError, check_header, parse_row, read_rows
from members.models import (
    CURRENT_STATUSES,
    PUBLIC_STATUSES,
    City,
    Coalition,
    Membership,
    MembershipStatus,
)

#: Called as progress(phase, done, total) every PROGRESS_EVERY rows and at the end.
ProgressCallback = Callable[[str, int, int], None]
PROGRESS_EVERY = 500
#: What the services and the database may refuse a row with while it is written.
WRITE_FAILURES = (services.MembershipError, ValidationError, IntegrityError, DataError)


@dataclass
class ImportResult:
    dry_run: bool
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


# --- Planning against what is recorded ---------------------------------------


@dataclass
class MembershipPlan:
    row: Row
    action: str  # "create", "change", "unchanged"
    membership: Membership | None = None
    to_status: str = ""
    signed_on: dt.date | None = None


@dataclass
class CityPlan:
    rows: list[Row]
    city: City | None
    changes: dict = field(default_factory=dict)
    memberships: list[MembershipPlan] = field(default_factory=list)


def _chunks(items: list, size: int = 500) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _existing_cities(rows: list[Row]) -> dict[tuple[str, str], City]:
    found: dict[tuple[str, str], City] = {}
    for country_batch in _chunks(sorted({r.country for r in rows})):
        for city in City.objects.filter(country__in=country_batch):
            found.setdefault((city.name.casefold(), city.country.code), city)  # type: ignore[attr-defined]  # a Country: django-countries has no stubs
    return found


def _existing_memberships(city_ids: list[int]) -> dict[tuple[int, int], Membership]:
    """Per (city, coalition): the current membership, else the latest ended one."""
    found: dict[tuple[int, int], Membership] = {}
    for batch in _chunks(city_ids):
        for m in Membership.objects.filter(city_id__in=batch).order_by("created_at", "id"):
            key = (m.city_id, m.coalition_id)
            held = found.get(key)
            if held is None or not held.is_current:
                found[key] = m
    return found


def _plan_membership(row: Row, existing: Membership | None) -> MembershipPlan | str:
    """What to do for this line's membership, or why it cannot be done."""
    assert row.coalition is not None  # only a line naming a coalition has a membership
    if existing is None:
        return MembershipPlan(row, "create", to_status=row.status, signed_on=row.joined_on)
    signed_on = row.joined_on or existing.signed_on
    if row.status == existing.status:
        action = "unchanged" if signed_on == existing.signed_on else "change"
        return MembershipPlan(row, action, existing, row.status, signed_on)
    if not existing.is_current:
        if row.status in CURRENT_STATUSES:
            # Re-admission after leaving is a new membership; the old one stays as history.
            return MembershipPlan(row, "create", to_status=row.status, signed_on=row.joined_on)
        return _("the membership in %(coalition)s ended as %(old)s; it cannot become %(new)s") % {
            "coalition": row.coalition.short_name,
            "old": existing.get_status_display(),
            "new": MembershipStatus(row.status).label,
        }
    if row.status not in services.ALLOWED_TRANSITIONS[existing.status]:
        return _("the membership in %(coalition)s cannot go from %(old)s to %(new)s") % {
            "coalition": row.coalition.short_name,
            "old": existing.get_status_display(),
            "new": MembershipStatus(row.status).label,
        }
    return MembershipPlan(row, "change", existing, row.status, signed_on)


def plan_import(rows: list[Row], result: ImportResult, editable_cities=None) -> list[CityPlan]:
    by_city: dict[tuple[str, str], list[Row]] = {}
    for row in rows:
        by_city.setdefault(row.city_key, []).append(row)
    cities = _existing_cities(rows)
    memberships = _existing_memberships([c.pk for c in cities.values()])
    editable = None
    if editable_cities is not None:
        editable = set(
            editable_cities.filter(pk__in=[c.pk for c in cities.values()]).values_list(
                "pk", flat=True
            )
        )
    plans = []
    for key, city_rows in by_city.items():
        city = cities.get(key)
        wanted: dict = {}
        for row in city_rows:
            wanted.update(row.city_fields())
        if city is not None:
            if city.name != city_rows[0].name:
                wanted["name"] = city_rows[0].name
            changes = {k: v for k, v in wanted.items() if getattr(city, k) != v}
        else:
            changes = {"name": city_rows[0].name, "country": city_rows[0].country, **wanted}
        if city is not None and changes and editable is not None and city.pk not in editable:
            result.errors.append(
                RowError(
                    city_rows[0].line,
                    _(
                        "%(city)s is also a member of another coalition: only an "
                        "administrator can correct its data"
                    )
                    % {"city": city.name},
                )
            )
            continue
        plan = CityPlan(rows=city_rows, city=city, changes=changes)
        for row in city_rows:
            if row.coalition is None:
                continue
            existing = memberships.get((city.pk, row.coalition.pk)) if city else None
            planned = _plan_membership(row, existing)
            if (
                editable is not None
                and city is not None
                and city.pk not in editable
                and not isinstance(planned, str)
                and planned.to_status in PUBLIC_STATUSES
                and (existing is None or existing.status not in PUBLIC_STATUSES)
            ):
                planned = _(
                    "%(city)s is a member of another coalition: it joins %(coalition)s as an "
                    "applicant, and the steering committee's vote admits it"
                ) % {"city": city.name, "coalition": row.coalition.short_name}
            if isinstance(planned, str):
                result.errors.append(RowError(row.line, planned))
            else:
                plan.memberships.append(planned)
        plans.append(plan)
    return plans


# --- The import --------------------------------------------------------------


def _check_duplicates(rows: list[Row], result: ImportResult) -> list[Row]:
    """Drop (and report) lines repeating a city+coalition, or contradicting a city's data."""
    seen: dict[tuple, int] = {}
    city_values: dict[tuple[str, str], tuple[int, dict]] = {}
    kept = []
    for row in rows:
        key = (*row.city_key, row.coalition.pk if row.coalition else None)
        if key in seen:
            result.errors.append(
                RowError(
                    row.line,
                    _("duplicate row in the file (same city and coalition as line %(line)d)")
                    % {"line": seen[key]},
                )
            )
            continue
        seen[key] = row.line
        first = city_values.get(row.city_key)
        if first is None:
            city_values[row.city_key] = (row.line, row.city_fields())
        else:
            conflicts = [
                name
                for name, value in row.city_fields().items()
                if name in first[1] and first[1][name] != value
            ]
            if conflicts:
                result.errors.append(
                    RowError(
                        row.line,
                        _("%(fields)s differ from line %(line)d for the same city")
                        % {"fields": ", ".join(conflicts), "line": first[0]},
                    )
                )
                continue
        kept.append(row)
    return kept


def import_cities(
    stream: IO[bytes] | IO[str] | Iterable[str],
    *,
    actor=None,
    dry_run: bool = False,
    source: str = "CSV import",
    progress: ProgressCallback | None = None,
    coalition_ids: frozenset[int] | None = None,
    editable_cities=None,
) -> ImportResult:
    """Validate every line, then import all of them or none. See the module docstring.

    `coalition_ids` and `editable_cities` limit an import made by staff (the admin's
    import page) to their own coalitions and to the cities they may correct; None: no limit.
    """
    result = ImportResult(dry_run=dry_run)
    coalitions: dict[str, Coalition] = {}
    for coalition in Coalition.objects.all():
        coalitions[coalition.short_name.casefold()] = coalition
        coalitions.setdefault(coalition.slug.casefold(), coalition)

    rows: list[Row] = []
    try:
        for line, raw in read_rows(stream):
            if "__header__" in raw:
                problem = check_header(raw["__header__"])
                if problem:
                    result.errors.append(RowError(1, problem))
                    return result
                continue
            if not any((v or "").strip() for k, v in raw.items() if k is not None):
                continue  # blank line
            result.rows += 1
            parsed = parse_row(line, raw, coalitions)
            if (
                not isinstance(parsed, list)
                and coalition_ids is not None
                and parsed.coalition is not None
                and parsed.coalition.pk not in coalition_ids
            ):
                parsed = [
                    _("you can import only into your own coalition, not into %(coalition)s")
                    % {"coalition": parsed.coalition.short_name}
                ]
            if isinstance(parsed, list):
                result.errors.append(RowError(line, "; ".join(parsed)))
            else:
                rows.append(parsed)
            if progress and result.rows % PROGRESS_EVERY == 0:
                progress("validated", result.rows, 0)
    except UnicodeDecodeError:
        result.errors.append(RowError(0, _("the file is not UTF-8 text")))
        return result
    except csv.Error as exc:
        result.errors.append(
            RowError(0, _("the file is not valid CSV (%(error)s)") % {"error": exc})
        )
        return result
    if progress:
        progress("validated", result.rows, result.rows)

    rows = _check_duplicates(rows, result)
    plans = plan_import(rows, result, editable_cities)
    result.errors.sort(key=lambda e: e.line)
    if result.errors:
        return result

    _count(plans, result)
    phase = "checked" if dry_run else "imported"
    with transaction.atomic():
        refused = _apply(
            plans, actor=actor, source=source, progress=progress, total=result.rows, phase=phase
        )
        result.errors.extend(refused)
        if dry_run or result.errors:
            transaction.set_rollback(True)  # nothing written: the dry run only rehearses
    if result.errors:
        result.errors.sort(key=lambda e: e.line)
        result.cities.clear()
        result.memberships.clear()
    return result


def _count(plans: list[CityPlan], result: ImportResult) -> None:
    for plan in plans:
        if plan.city is None:
            result.cities["created"] += 1
        else:
            result.cities["updated" if plan.changes else "unchanged"] += 1
        for m in plan.memberships:
            result.memberships[
                {"create": "created", "change": "updated"}.get(m.action, m.action)
            ] += 1


class _RowRefused(Exception):
    def __init__(self, line: int, exc: Exception):
        super().__init__(line)
        self.line = line
        if isinstance(exc, ValidationError):
            detail = "; ".join(exc.messages)
        else:  # a database error: its first line says what was refused
            detail = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        self.message = _("refused while writing: %(error)s") % {"error": detail}


def _apply(
    plans: list[CityPlan], *, actor, source: str, progress, total: int, phase: str
) -> list[RowError]:
    """Write every plan, each city in its own savepoint; the rows refused, named."""
    errors: list[RowError] = []
    done = 0
    for plan in plans:
        try:
            with transaction.atomic():
                _apply_city(plan, actor=actor, source=source)
        except _RowRefused as refused:
            errors.append(RowError(refused.line, refused.message))
        done += len(plan.rows)
        if progress and (done // PROGRESS_EVERY) != ((done - len(plan.rows)) // PROGRESS_EVERY):
            progress(phase, done, total)
    if progress:
        progress(phase, total, total)
    return errors


def _apply_city(plan: CityPlan, *, actor, source: str) -> None:
    line = plan.rows[0].line
    try:
        city = plan.city
        if city is None:
            fields = dict(plan.changes)
            city = services.create_city(
                actor=actor, name=fields.pop("name"), country=fields.pop("country"), **fields
            )
        elif plan.changes:
            services.update_city(actor=actor, city=city, **plan.changes)
        for m in plan.memberships:
            line = m.row.line
            _apply_membership(m, city=city, actor=actor, source=source)
    except WRITE_FAILURES as exc:
        raise _RowRefused(line, exc) from exc


def _apply_membership(m: MembershipPlan, *, city: City, actor, source: str) -> None:
    reason = _("Imported from %(source)s, line %(line)d.") % {"source": source, "line": m.row.line}
    assert m.row.coalition is not None  # only a line naming a coalition has a membership
    if m.action == "create":
        services.create_membership(
            actor=actor,
            city=city,
            coalition=m.row.coalition,
            status=m.to_status,
            signed_on=m.signed_on,
            reason=reason,
        )
    elif m.action == "change":
        membership = m.membership
        assert membership is not None  # a change is planned on the recorded membership
        if m.to_status != membership.status:
            # An import records the coalition's own files; the city is not emailed for it.
            membership = services.change_membership_status(
                actor=actor,
                membership=membership,
                to_status=m.to_status,
                reason=reason,
                notify=False,
            )
        if m.signed_on and m.signed_on != membership.signed_on:
            services.update_membership(
                actor=actor, membership=membership, signed_on=m.signed_on, reason=reason
            )
