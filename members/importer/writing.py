"""Writing the plans through the services, each city in its own savepoint, so that a row
the services or the database refuse is named and the next rows are still tried."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction
from django.utils.translation import gettext as _

from members import services
from members.importer.planning import CityPlan, MembershipPlan
from members.importer.result import PROGRESS_EVERY
from members.importer.rows import RowError
from members.models import City

#: What the services and the database may refuse a row with while it is written.
WRITE_FAILURES = (services.MembershipError, ValidationError, IntegrityError, DataError)


class _RowRefused(Exception):
    def __init__(self, line: int, exc: Exception):
        super().__init__(line)
        self.line = line
        if isinstance(exc, ValidationError):
            detail = "; ".join(exc.messages)
        else:  # a database error: its first line says what was refused
            detail = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        self.message = _("refused while writing: %(error)s") % {"error": detail}


def apply_plans(
    plans: list[CityPlan],
    *,
    actor,
    source: str,
    progress,
    total: int,
    phase: str,
    unit: str = "line",
) -> list[RowError]:
    """Write every plan, each city in its own savepoint; the rows refused, named."""
    errors: list[RowError] = []
    done = 0
    for plan in plans:
        try:
            with transaction.atomic():
                _apply_city(plan, actor=actor, source=source, unit=unit)
        except _RowRefused as refused:
            errors.append(RowError(refused.line, refused.message))
        done += len(plan.rows)
        if progress and (done // PROGRESS_EVERY) != ((done - len(plan.rows)) // PROGRESS_EVERY):
            progress(phase, done, total)
    if progress:
        progress(phase, total, total)
    return errors


def _apply_city(plan: CityPlan, *, actor, source: str, unit: str) -> None:
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
            _apply_membership(m, city=city, actor=actor, source=source, unit=unit)
    except WRITE_FAILURES as exc:
        raise _RowRefused(line, exc) from exc


def _apply_membership(m: MembershipPlan, *, city: City, actor, source: str, unit: str) -> None:
    if unit == "feature":
        reason = _("Imported from %(source)s, feature %(line)d.")
    else:
        reason = _("Imported from %(source)s, line %(line)d.")
    reason = reason % {"source": source, "line": m.row.line}
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
