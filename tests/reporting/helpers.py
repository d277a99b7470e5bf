"""Shared helpers for the reporting tests: the demo's reports and quick ways to move them on."""

from __future__ import annotations

from reporting import services
from reporting.models import Report, ReportStatus, Visibility


def report_of(city: str, year: int) -> Report:
    return Report.objects.with_context().get(city__name=city, cycle__year=year)


def fill(report: Report, actor, **data) -> None:
    """Give every section an action (and any extra fields) through the service."""
    for section in report.sections.select_related("commitment"):
        section.refresh_from_db()
        services.save_section(
            actor=actor,
            section=section,
            expected_version=section.version,
            data={"actions": f"Action under commitment {section.commitment.number}.", **data},
        )


def set_visibility(report: Report, actor, number: int, visibility: str, **data) -> None:
    section = report.sections.get(commitment__number=number)
    services.save_section(
        actor=actor,
        section=section,
        expected_version=section.version,
        data={"visibility": visibility, **data},
    )


def evaluate_and_release(report: Report, secretariat, *, score: int = 3) -> None:
    scores = {s.pk: (score, f"Feedback {s.commitment.number}") for s in report.sections.all()}
    services.save_evaluation(
        actor=secretariat, report=report, scores=scores, overall="Overall: steady progress."
    )
    services.release_evaluation(actor=secretariat, report=report)


def through_release(report: Report, *, coordinator, bureau, secretariat) -> Report:
    services.submit_report(actor=coordinator, report=report)
    services.transmit_report(actor=bureau, report=report)
    evaluate_and_release(report, secretariat)
    report.refresh_from_db()
    assert report.status == ReportStatus.RELEASED
    return report


SECRET = "Victim V. was attacked near the station"  # text that must stay secretariat-only
PUBLIC = "Public festival of the communities of the city"
COALITION = "Coalition-only note on the budget"

__all__ = ["SECRET", "PUBLIC", "COALITION", "Visibility"]
