"""Portal-wide Celery tasks: the periodic jobs of CELERY_BEAT_SCHEDULE and the outbox's
sending (coalition.outbox). Thin and idempotent."""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

from coalition import outbox, retention


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
    return outbox.deliver(email_pk)


@shared_task(name="coalition.tasks.send_due_emails", acks_late=True)
def send_due_emails() -> dict[str, int]:
    """Every minute: publish the emails that are due (retries, lost messages, dead workers)."""
    return outbox.send_due_emails()


@shared_task(name="coalition.tasks.apply_retention_policy", acks_late=True)
def apply_retention_policy() -> dict[str, int]:
    """Daily: purge what settings.RETENTION_POLICY says is past its time."""
    return retention.apply_retention_policy()
