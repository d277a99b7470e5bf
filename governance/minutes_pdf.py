"""The published minutes' PDF: rendered by Celery, its SHA-256 kept, healed by a sweep.

The row (`MinutesPDF`) is the job, as the convocation's and the declaration's
(coalition.jobs): queued when the bureau publishes, claimed by compare-and-set, taken back
by `requeue_stuck_minutes` when its message or worker was lost. One PDF per language: the
authoritative version in the minutes' source language, and a translation in each language
someone translated the narrative into (each item shown in it where translated, else in the
authoritative language, marked); the document is tagged with its language (`<html lang dir>`),
the session's times in its own time zone.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from coalition import jobs
from coalition.pdf import PDF_BASE_URL, render_pdf
from governance import selectors_minutes
from governance.models import Minutes, MinutesPDF, MinutesStatus

logger = logging.getLogger(__name__)

RENDER_TASK = "governance.tasks.render_minutes_pdf"


def minutes_html(minutes: Minutes, language: str | None = None) -> str:
    """The minutes in `language` (the authoritative one by default)."""
    language = language or minutes.source_language or settings.LANGUAGE_CODE
    with translation.override(language):
        return render_to_string(
            "governance/pdf/minutes.html",
            {
                **selectors_minutes.minutes_context(minutes, language),
                "static_base": f"{PDF_BASE_URL}static/",
                "generated_at": timezone.now(),
            },
        )


#: When one call renders several languages, the outcome it reports (the first found here).
OUTCOMES = ("failed", "busy", "ready", "skipped")


def render_minutes(minutes_pk: int) -> str:
    """Render each language's PDF unless ready. Idempotent: "ready", "skipped", "failed",
    "busy" or "missing" (for several languages, the first of OUTCOMES among theirs)."""
    minutes = (
        Minutes.objects.select_related("session__coalition", "session__host_city")
        .filter(pk=minutes_pk, status=MinutesStatus.PUBLISHED)
        .first()
    )
    pdfs = list(MinutesPDF.objects.filter(minutes_id=minutes_pk))
    if minutes is None or not pdfs:
        return "missing"

    def drawer(language: str) -> Callable[[], bytes]:
        return lambda: render_pdf(minutes_html(minutes, language))

    outcomes = {
        jobs.render_job(
            MinutesPDF,
            pdf,
            render=drawer(pdf.language),
            path=f"governance/minutes/session-{minutes.session_id}-minutes-{pdf.language}.pdf",
            log=logger,
            failure=f"minutes PDF ({pdf.language}) failed for minutes {minutes_pk}",
        )
        for pdf in pdfs
    }
    return next(outcome for outcome in OUTCOMES if outcome in outcomes)


def requeue_stuck_minutes() -> dict[str, int]:
    counts = {"queued": 0, "rendering": 0, "given_up": 0}
    jobs.heal(MinutesPDF, owner="minutes_id", task=RENDER_TASK, counts=counts)
    if any(counts.values()):
        logger.warning("minutes PDF sweep: %s", counts)
    return counts


def oldest_unfinished_job() -> dt.datetime | None:
    return jobs.oldest_unfinished(MinutesPDF)
