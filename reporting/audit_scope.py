"""The audit log's coalition and city of each reporting object (see members.audit_scope)."""

from __future__ import annotations

from reporting.models import Evaluation, Report, ReportingCycle, ReportSection

COALITION_PATHS = {
    ReportingCycle: "coalition_id",
    Report: "cycle__coalition_id",
    ReportSection: "report__cycle__coalition_id",
    Evaluation: "report__cycle__coalition_id",
}

CITY_PATHS = {
    Report: "city_id",
    ReportSection: "report__city_id",
    Evaluation: "report__city_id",
}
