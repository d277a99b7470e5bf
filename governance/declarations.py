"""The published declaration's PDF: rendered by Celery, its SHA-256 kept, healed by a sweep.

The row (`DeclarationPDF`) is the job, as the convocation's (coalition.jobs): queued when the
bureau publishes (or adds a translation afterwards), claimed by compare-and-set, taken back
by `requeue_stuck_declarations` when its message or worker was lost. The PDF is in the
authoritative text's language; each translation follows it, marked as a translation.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.template.loader import render_to_string
from django.utils import timezone, translation

from coalition import jobs
from coalition.pdf import PDF_BASE_URL, render_pdf
from governance import selectors_motions
from governance.models import DeclarationPDF, Motion

logger = logging.getLogger(__name__)

RENDER_TASK = "governance.tasks.render_declaration_pdf"


def declaration_html(motion: Motion) -> str:
    with translation.override(motion.language):
        return render_to_string(
            "governance/pdf/declaration.html",
            {
                **selectors_motions.published_declaration(motion),
                "static_base": f"{PDF_BASE_URL}static/",
                "generated_at": timezone.now(),
            },
        )


def render_declaration(motion_pk: int) -> str:
    """Render unless ready. Idempotent: "ready", "skipped", "failed", "busy" or "missing"."""
    motion = (
        Motion.objects.select_related("session__coalition", "adopted_version")
        .filter(pk=motion_pk, published_at__isnull=False)
        .first()
    )
    pdf = DeclarationPDF.objects.filter(motion_id=motion_pk).first()
    if motion is None or pdf is None:
        return "missing"
    return jobs.render_job(
        DeclarationPDF,
        pdf,
        render=lambda: render_pdf(declaration_html(motion)),
        path=f"governance/declarations/{motion.slug}.pdf",
        log=logger,
        failure=f"declaration PDF failed for motion {motion_pk}",
    )


def requeue_stuck_declarations() -> dict[str, int]:
    counts = {"queued": 0, "rendering": 0, "given_up": 0}
    jobs.heal(DeclarationPDF, owner="motion_id", task=RENDER_TASK, counts=counts)
    if any(counts.values()):
        logger.warning("declaration PDF sweep: %s", counts)
    return counts


def oldest_unfinished_job() -> dt.datetime | None:
    return jobs.oldest_unfinished(DeclarationPDF)
