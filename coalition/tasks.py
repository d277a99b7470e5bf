"""Portal-wide periodic jobs (scheduled in CELERY_BEAT_SCHEDULE). Thin and idempotent."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="coalition.tasks.apply_retention_policy", acks_late=True)
def apply_retention_policy() -> dict[str, int]:
    """Daily: purge what settings.RETENTION_POLICY says is past its time."""
    from coalition.retention import apply_retention_policy as apply  # noqa: PLC0415

    return apply()
