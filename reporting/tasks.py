"""Celery tasks of the reporting app: thin, idempotent, taking primary keys.

A render whose database connection is lost is retried a little later (the
connection is opened afresh for each task); one whose worker dies is taken back by
`requeue_stuck_pdfs`, which Celery beat runs every two minutes.
"""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.db import InterfaceError, OperationalError

from reporting import pdfs, reminders

#: A lost or refused database connection: try again in 1, 2, 4... seconds (with jitter).
DATABASE_RETRY: dict[str, Any] = {
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": 1,
    "retry_backoff_max": 60,
    "max_retries": 2,
}


@shared_task(name="reporting.tasks.render_report_pdf", acks_late=True, **DATABASE_RETRY)
def render_report_pdf(report_pk: int) -> dict[str, str]:
    """Render the report's PDFs that are not current. Safe to run twice."""
    return pdfs.render_report_pdfs(report_pk)


@shared_task(name="reporting.tasks.render_cycle_pdf", acks_late=True, **DATABASE_RETRY)
def render_cycle_pdf(cycle_pk: int) -> str:
    """Render the consolidated evaluation of a cycle unless it is current."""
    return pdfs.render_cycle_pdf(cycle_pk)


@shared_task(name="reporting.tasks.requeue_stuck_pdfs", acks_late=True)
def requeue_stuck_pdfs() -> dict[str, int]:
    """Every two minutes: publish again PDF jobs whose message was lost or worker died."""
    return pdfs.requeue_stuck_pdfs()


@shared_task(name="reporting.tasks.send_report_reminders")
def send_report_reminders() -> dict[str, int]:
    """Daily: deadline reminders (each sent once) and the overdue mark."""
    return reminders.send_report_reminders()
