"""Reporting cycles: opening a year's cycle with a draft report for every member."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
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
    _add_sections(reports, commitments)
    return len(reports)


def _add_sections(reports, commitments) -> None:
    """One empty section per commitment; a sensitive one is for the secretariat by default."""
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


@transaction.atomic
def add_drafts_for_new_member(*, actor, membership: Membership) -> list[Report]:
    """A city that becomes a member while a cycle is open gets its draft at once.

    Called through settings.MEMBER_JOINED_HOOKS by members.services when a membership
    becomes "member" (admission, reinstatement). Every cycle of the coalition whose due
    date has not passed (or whose opening is still to come) gets the city's draft, unless
    it has one already; a cycle opened later adds it through add_missing_reports.
    """
    today = timezone.localdate()
    cycles = (
        ReportingCycle.objects.select_for_update(of=("self",))
        .filter(coalition_id=membership.coalition_id, due_on__gte=today)
        .exclude(reports__city_id=membership.city_id)
        .select_related("plan")
        .order_by("year")
    )
    created = []
    for cycle in cycles:
        try:
            with transaction.atomic():
                report = Report.objects.create(cycle=cycle, city_id=membership.city_id)
        except IntegrityError:  # the cycle's opening added it meanwhile
            continue
        _add_sections([report], list(cycle.plan.commitments.order_by("number")))
        audit.record(
            actor=actor,
            target=report,
            verb="reporting.draft_added",
            to_state=report.status,
            message=_("The city became a member while the cycle was open."),
            data={"cycle": cycle.pk, "membership": membership.pk},
        )
        created.append(report)
    return created
