"""Planning the valid rows against what is recorded: per city, what changes and which
memberships are created or change status; the rows the file repeats or contradicts, and
the changes the rules refuse, are named in the result instead."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from members import services
from members.importer.result import ImportResult
from members.importer.rows import Row, RowError
from members.models import CURRENT_STATUSES, PUBLIC_STATUSES, City, Membership, MembershipStatus


def check_duplicates(rows: list[Row], result: ImportResult) -> list[Row]:
    """Drop (and report) lines repeating a city+coalition, or contradicting a city's data."""
    seen: dict[tuple, int] = {}
    city_values: dict[tuple[str, str], tuple[int, dict]] = {}
    kept = []
    for row in rows:
        key = (*row.city_key, row.coalition.pk if row.coalition else None)
        if key in seen:
            if result.unit == "feature":
                message = _(
                    "duplicate membership in the file (same city and coalition as feature %(line)d)"
                )
            else:
                message = _("duplicate row in the file (same city and coalition as line %(line)d)")
            result.errors.append(RowError(row.line, message % {"line": seen[key]}))
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
                if result.unit == "feature":
                    message = _("%(fields)s differ from feature %(line)d for the same city")
                else:
                    message = _("%(fields)s differ from line %(line)d for the same city")
                result.errors.append(
                    RowError(row.line, message % {"fields": ", ".join(conflicts), "line": first[0]})
                )
                continue
        kept.append(row)
    return kept


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


def count_plans(plans: list[CityPlan], result: ImportResult) -> None:
    for plan in plans:
        if plan.city is None:
            result.cities["created"] += 1
        else:
            result.cities["updated" if plan.changes else "unchanged"] += 1
        for m in plan.memberships:
            result.memberships[
                {"create": "created", "change": "updated"}.get(m.action, m.action)
            ] += 1
