"""The published minutes' PDF: rendered by Celery, its SHA-256 kept, healed by a sweep.

The row (`MinutesPDF`) is the job, as the convocation's and the declaration's
(coalition.jobs): queued when the bureau publishes, claimed by compare-and-set, taken back
by `requeue_stuck_minutes` when its message or worker was lost. One PDF, in the portal's
default language (the minutes' language, tagged on the document), with the session's times
in its own time zone.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from coalition import jobs
from coalition.pdf import PDF_BASE_URL, render_pdf
from governance import selectors_minutes
from governance.models import Minutes, MinutesPDF, MinutesStatus

logger = logging.getLogger(__name__)

RENDER_TASK = "governance.tasks.render_minutes_pdf"


def minutes_html(minutes: Minutes) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(
            "governance/pdf/minutes.html",
            {
                **selectors_minutes.minutes_context(minutes),
                "static_base": f"{PDF_BASE_URL}static/",
                "generated_at": timezone.now(),
            },
        )


def render_minutes(minutes_pk: int) -> str:
    """Render unless ready. Idempotent: "ready", "skipped", "failed", "busy" or "missing"."""
    minutes = (
        Minutes.objects.select_related("session__coalition", "session__host_city")
        .filter(pk=minutes_pk, status=MinutesStatus.PUBLISHED)
        .first()
    )
    pdf = MinutesPDF.objects.filter(minutes_id=minutes_pk).first()
    if minutes is None or pdf is None:
        return "missing"
    return jobs.render_job(
        MinutesPDF,
        pdf,
        render=lambda: render_pdf(minutes_html(minutes)),
        path=f"governance/minutes/session-{minutes.session_id}-minutes.pdf",
        log=logger,
        failure=f"minutes PDF failed for minutes {minutes_pk}",
    )


def requeue_stuck_minutes() -> dict[str, int]:
    counts = {"queued": 0, "rendering": 0, "given_up": 0}
    jobs.heal(MinutesPDF, owner="minutes_id", task=RENDER_TASK, counts=counts)
    if any(counts.values()):
        logger.warning("minutes PDF sweep: %s", counts)
    return counts


def oldest_unfinished_job() -> dt.datetime | None:
    return jobs.oldest_unfinished(MinutesPDF)
