"""Celery tasks of the portal-wide pieces: sending the outgoing emails (coalition.outbox)."""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError


@shared_task(
    name="coalition.tasks.send_email",
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=1,
    retry_backoff_max=60,
    max_retries=2,
)
def send_email(email_pk: int) -> str:
    """Send one outgoing email (a mail-server failure schedules its next attempt)."""
    from coalition.outbox import deliver  # noqa: PLC0415

    return deliver(email_pk)


@shared_task(name="coalition.tasks.send_due_emails", acks_late=True)
def send_due_emails() -> dict[str, int]:
    """Every minute: publish the emails that are due (retries, lost messages, dead workers)."""
    from coalition.outbox import send_due_emails as sweep  # noqa: PLC0415

    return sweep()
