"""Reporting cycles: opening a year's cycle with a draft report for every member."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from coalition import audit
from members.models import Coalition, Membership, MembershipStatus, PlanOfAction
from reporting.models import (
    Report,
    ReportingCycle,
    ReportSection,
    Visibility,
)
from reporting.services.common import (
    ReportingError,
)


@transaction.atomic
def open_cycle(
    *,
    actor,
    coalition: Coalition,
    year: int,
    opens_on: dt.date,
    due_on: dt.date,
    grace_days: int = 14,
    plan: PlanOfAction | None = None,
) -> ReportingCycle:
    """Open a coalition's cycle for a year, with a draft report for every member city."""
    if due_on < opens_on:
        raise ReportingError(_("The due date must not be before the opening date."))
    plan = plan or coalition.plan_in_force(opens_on) or coalition.plan_in_force()
    if plan is None:
        raise ReportingError(_("The coalition has no plan of action to report on."))
    if ReportingCycle.objects.filter(coalition=coalition, year=year).exists():
        raise ReportingError(
            _("A %(year)s cycle already exists for %(coalition)s.")
            % {"year": year, "coalition": coalition.short_name}
        )
    try:
        with transaction.atomic():
            cycle = ReportingCycle.objects.create(
                coalition=coalition,
                year=year,
                plan=plan,
                opens_on=opens_on,
                due_on=due_on,
                grace_days=grace_days,
                opened_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
    except IntegrityError as exc:  # a concurrent request opened it first
        raise ReportingError(_("This cycle already exists.")) from exc
    created = add_missing_reports(actor=actor, cycle=cycle)
    audit.record(
        actor=actor,
        target=cycle,
        verb="reporting.cycle_opened",
        to_state="open",
        data={"reports": created, "due_on": due_on.isoformat()},
    )
    return cycle


@transaction.atomic
def add_missing_reports(*, actor, cycle: ReportingCycle) -> int:
    """A draft report (one section per commitment) for each member city that has none yet."""
    commitments = list(cycle.plan.commitments.order_by("number"))
    have = set(cycle.reports.values_list("city_id", flat=True))
    city_ids = (
        Membership.objects.filter(coalition=cycle.coalition, status=MembershipStatus.MEMBER)
        .exclude(city_id__in=have)
        .values_list("city_id", flat=True)
    )
    reports = Report.objects.bulk_create(Report(cycle=cycle, city_id=cid) for cid in city_ids)
    if not reports:
        return 0
    # bulk_create sets primary keys on PostgreSQL and SQLite alike.
    ReportSection.objects.bulk_create(
        ReportSection(
            report=report,
            commitment=commitment,
            visibility=Visibility.SECRETARIAT if commitment.sensitive else Visibility.COALITION,
        )
        for report in reports
        for commitment in commitments
    )
    return len(reports)
