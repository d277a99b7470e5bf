"""The personal dashboard: the panels a signed-in person sees, by role."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from members.selectors import roles_for
from reporting.access import committee_coalition_ids
from reporting.models import (
    Report,
)
from reporting.selectors.cycles import cycles_for
from reporting.selectors.reports import my_reports


def dashboard_panels(user) -> list[dict]:
    """Panels for the personal dashboard: my report, cycles to evaluate, cycle status."""
    panels: list[dict] = []
    roles = roles_for(user)
    today = timezone.localdate()
    if roles.coordinator_of:
        reports = [r for r in my_reports(user) if r.cycle.opens_on <= today]
        current: dict[int, Report] = {}
        for report in reports:  # newest first: keep each city's latest report
            current.setdefault(report.city_id, report)
        for report in current.values():
            panels.append(
                {
                    "title": _("Annual report %(cycle)s: %(city)s")
                    % {"cycle": report.cycle, "city": report.city},
                    "body": _("Status: %(status)s. Due on %(due)s.")
                    % {
                        "status": report.get_status_display(),
                        "due": date_format(report.cycle.due_on, "DATE_FORMAT"),
                    },
                    "items": [
                        {
                            "label": _("Edit the report")
                            if report.is_editable
                            else _("Open the report"),
                            "url": reverse(
                                "reporting:report_edit"
                                if report.is_editable
                                else "reporting:report_detail",
                                kwargs={"pk": report.pk},
                            ),
                        },
                        {"label": _("All my reports"), "url": reverse("reporting:my_reports")},
                    ],
                }
            )
    # Annotated with their counts by cycles_for.
    cycles: list[Any] = (
        cycles_for(user) if (roles.is_staff_role or committee_coalition_ids(user)) else []
    )
    for cycle in cycles[:4]:
        access_secretariat = roles.is_admin or cycle.coalition_id in roles.secretariat_of
        if access_secretariat:
            body = ngettext(
                "%(n)s report to evaluate, %(done)s evaluated of %(total)s.",
                "%(n)s reports to evaluate, %(done)s evaluated of %(total)s.",
                cycle.to_evaluate_count,
            ) % {
                "n": cycle.to_evaluate_count,
                "done": cycle.evaluated_count,
                "total": cycle.report_count,
            }
        else:
            body = _("%(n)s of %(total)s reports handed in; due on %(due)s.") % {
                "n": cycle.handed_in_count,
                "total": cycle.report_count,
                "due": date_format(cycle.due_on, "DATE_FORMAT"),
            }
        panels.append(
            {
                "title": _("Reporting cycle %(cycle)s") % {"cycle": cycle},
                "body": body,
                "items": [
                    {"label": _("Cycle dashboard"), "url": cycle.get_absolute_url()},
                    {
                        "label": _("Review submitted reports"),
                        "url": reverse("reporting:cycle_review", kwargs={"pk": cycle.pk}),
                    },
                ],
            }
        )
    return panels
