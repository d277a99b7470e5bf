"""The convocation PDF of a session: rendered by Celery, its SHA-256 stored, healed by a sweep.

The row (`ConvocationPDF`) is the job, as for reporting's PDFs: marked queued in the
transaction that convenes, its message published after commit (coalition.jobs), the
render claimed by compare-and-set so two deliveries of one message draw it once, and
`requeue_stuck_convocations` (Celery beat, every two minutes) publishes again a job
whose message was lost and takes back one whose worker died. One PDF for everyone, in
the portal's default language, with the session's times in its own time zone (each
recipient's email is in their own language).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from coalition import jobs
from coalition.pdf import PDF_BASE_URL, render_pdf
from governance.models import (
    AgendaItemStatus,
    AssemblySession,
    ConvocationPDF,
    ConvocationStatus,
)

logger = logging.getLogger(__name__)


def mark_queued(session: AssemblySession) -> ConvocationPDF:
    """Ask for the PDF (in the transaction that convenes): a fresh series of attempts."""
    pdf, _created = ConvocationPDF.objects.update_or_create(
        session=session, defaults=jobs.fresh_attempt()
    )
    return pdf


#: Named by its dotted path (its Celery name): the tasks module imports this one (ADR 0006).
RENDER_TASK = "governance.tasks.render_convocation_pdf"


def _undispatched(session_pk: int) -> None:
    ConvocationPDF.objects.filter(session_id=session_pk, status=ConvocationStatus.QUEUED).update(
        dispatched_at=None
    )


def dispatch(session_pk: int) -> None:
    """Publish the render after commit; with the broker down, the sweep publishes it later."""
    jobs.enqueue_on_commit(RENDER_TASK, session_pk, on_failure=lambda: _undispatched(session_pk))


def deadlines(session: AssemblySession, snapshot: dict | None = None) -> dict:
    """The days motions and amendments are due, from the profile the session follows."""
    snapshot = snapshot or session.statute_snapshot or {}
    start = session.local_starts_at.date()
    result = {}
    for key in ("motion_deadline_days", "amendment_deadline_days"):
        days = snapshot.get(key)
        result[key.removesuffix("_days")] = (
            start - dt.timedelta(days=days) if days is not None else None
        )
    return result


def convocation_context(session: AssemblySession) -> dict:
    items = list(
        session.items.exclude(status=AgendaItemStatus.WITHDRAWN)
        .filter(announced=True)
        .prefetch_related("documents")
        .order_by("position", "id")
    )
    return {
        "session": session,
        "items": items,
        "deadlines": deadlines(session),
        "snapshot": session.statute_snapshot or {},
        "static_base": f"{PDF_BASE_URL}static/",
        "generated_at": timezone.now(),
    }


def convocation_html(session: AssemblySession) -> str:
    return render_to_string("governance/pdf/convocation.html", convocation_context(session))


def _render_in_default_language(session: AssemblySession) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        return render_pdf(convocation_html(session))


def render_convocation(session_pk: int) -> str:
    """Render the convocation unless it is ready. Idempotent: "ready", "skipped", "failed",
    "busy" or "missing"."""
    session = (
        AssemblySession.objects.select_related("coalition", "host_city", "chair")
        .filter(pk=session_pk)
        .first()
    )
    pdf = ConvocationPDF.objects.filter(session_id=session_pk).first()
    if session is None or pdf is None:
        return "missing"
    return jobs.render_job(
        ConvocationPDF,
        pdf,
        render=lambda: _render_in_default_language(session),
        path=f"governance/convocations/session-{session.pk}-convocation.pdf",
        log=logger,
        failure=f"convocation PDF failed for session {session_pk}",
    )


def requeue_stuck_convocations() -> dict[str, int]:
    """The sweep: publish again lost jobs, take back those whose worker died (jobs.heal)."""
    counts = {"queued": 0, "rendering": 0, "given_up": 0}
    jobs.heal(ConvocationPDF, owner="session_id", task=RENDER_TASK, counts=counts)
    if any(counts.values()):
        logger.warning("convocation PDF sweep: %s", counts)
    return counts


def oldest_unfinished_job() -> dt.datetime | None:
    return jobs.oldest_unfinished(ConvocationPDF)
