"""Celery tasks of the reporting app: thin, idempotent, taking primary keys."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="reporting.tasks.render_report_pdf", acks_late=True)
def render_report_pdf(report_pk: int) -> dict[str, str]:
    """Render the report's PDFs that are not current. Safe to run twice."""
    from reporting.pdfs import render_report_pdfs  # noqa: PLC0415

    return render_report_pdfs(report_pk)


@shared_task(name="reporting.tasks.render_cycle_pdf", acks_late=True)
def render_cycle_pdf(cycle_pk: int) -> str:
    """Render the consolidated evaluation of a cycle unless it is current."""
    from reporting.pdfs import render_cycle_pdf as render  # noqa: PLC0415

    return render(cycle_pk)


@shared_task(name="reporting.tasks.send_report_reminders")
def send_report_reminders() -> dict[str, int]:
    """Daily: deadline reminders (each sent once) and the overdue mark."""
    from reporting.reminders import send_report_reminders as send  # noqa: PLC0415

    return send()
