"""Periodic jobs of the governance app (scheduled in CELERY_BEAT_SCHEDULE). Thin and idempotent."""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone

from governance import convocations, declarations, minutes_pdf, services
from governance.models import CommitteeVote
from governance.services import minutes as minutes_services

logger = logging.getLogger(__name__)


@shared_task(name="governance.tasks.close_due_votes", acks_late=True)
def close_due_votes() -> list[int]:
    """Close every open vote whose closing date has passed; a second run finds nothing to do."""
    now = timezone.now()
    closed = []
    for pk in (
        CommitteeVote.objects.due(now).order_by("closes_at", "pk").values_list("pk", flat=True)
    ):
        try:
            vote = services.close_vote(vote=CommitteeVote(pk=pk), now=now)
        except services.GovernanceError:
            logger.exception("Could not close vote %s", pk)
            continue
        if vote.status == "closed":
            closed.append(pk)
    return closed


@shared_task(name="governance.tasks.send_vote_reminders", acks_late=True)
def send_vote_reminders() -> int:
    """Remind voting seats that have not voted, once per vote, two days before it closes."""
    return services.send_vote_reminders()


@shared_task(name="governance.tasks.purge_stale_letter_uploads", acks_late=True)
def purge_stale_letter_uploads() -> int:
    """Daily: delete letters kept for application forms never completed (older than two days)."""
    return services.purge_stale_letter_uploads()


@shared_task(name="governance.tasks.render_convocation_pdf", acks_late=True)
def render_convocation_pdf(session_pk: int) -> str:
    """Render a convened session's convocation unless it is ready. Safe to run twice."""
    return convocations.render_convocation(session_pk)


@shared_task(name="governance.tasks.requeue_stuck_convocations", acks_late=True)
def requeue_stuck_convocations() -> dict[str, int]:
    """Every two minutes: publish again convocation jobs whose message was lost or worker died."""
    return convocations.requeue_stuck_convocations()


@shared_task(name="governance.tasks.render_declaration_pdf", acks_late=True)
def render_declaration_pdf(motion_pk: int) -> str:
    """Render a published declaration's PDF unless it is ready. Safe to run twice."""
    return declarations.render_declaration(motion_pk)


@shared_task(name="governance.tasks.requeue_stuck_declarations", acks_late=True)
def requeue_stuck_declarations() -> dict[str, int]:
    """Every two minutes: publish again declaration jobs whose message was lost or worker died."""
    return declarations.requeue_stuck_declarations()


@shared_task(name="governance.tasks.render_minutes_pdf", acks_late=True)
def render_minutes_pdf(minutes_pk: int) -> str:
    """Render published minutes' PDF unless it is ready. Safe to run twice."""
    return minutes_pdf.render_minutes(minutes_pk)


@shared_task(name="governance.tasks.requeue_stuck_minutes", acks_late=True)
def requeue_stuck_minutes() -> dict[str, int]:
    """Every two minutes: publish again minutes PDF jobs whose message was lost or worker died."""
    return minutes_pdf.requeue_stuck_minutes()


@shared_task(name="governance.tasks.settle_minutes_circulations", acks_late=True)
def settle_minutes_circulations() -> list[int]:
    """Hourly: approve circulated minutes whose objection window ended with no objection."""
    return minutes_services.settle_due_circulations()
