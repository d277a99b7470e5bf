"""Handing work to Celery without ever failing the request that committed it.

Every background job the portal runs has a database row saying that it is wanted
(a ReportPDF or CyclePDF marked queued, an OutgoingEmail pending), written in the
same transaction as the change that asked for it. Publishing the Celery message is
then only a wake-up call: if the broker is down, `enqueue` logs and returns False,
the row stays as it is, and the app's periodic sweep publishes it again later
(docs/operations.md, "When something breaks"). Tasks are idempotent, so a message
published twice does no harm.

After a failed publish, further publishes are skipped for
COALITION_BROKER_RETRY_AFTER seconds (a circuit breaker), so a request that queues
several jobs during an outage waits for one connection timeout, not one each.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import DatabaseError, transaction
from django.db.models import F, Min, Q
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_broker_down_until = 0.0


def reset_breaker() -> None:
    """Forget a past broker failure (tests, and a process that knows the broker is back)."""
    global _broker_down_until  # noqa: PLW0603
    with _lock:
        _broker_down_until = 0.0


def _breaker_open() -> bool:
    return time.monotonic() < _broker_down_until


def _trip() -> None:
    global _broker_down_until  # noqa: PLW0603
    with _lock:
        _broker_down_until = time.monotonic() + settings.COALITION_BROKER_RETRY_AFTER


def enqueue(task, *args) -> bool:
    """Publish `task(*args)`; True if it was handed over (or ran, eagerly). Never raises.

    `task` is a Celery task or its dotted path, which is also its name: services name the
    task they want, so that they need not import the tasks module that imports them (ADR
    0006). With eager Celery (no REDIS_URL) the task runs here and now; its own failure is
    the task's business (stored on its row), not the caller's.
    """
    name = task if isinstance(task, str) else task.name
    if _breaker_open():
        logger.warning("broker unavailable: %s%r left for the sweep", name, args)
        return False
    if isinstance(task, str):
        task = import_string(task)
    try:
        task.apply_async(args=args)
    except Exception:  # any publish failure: the row is kept, the sweep retries
        _trip()
        logger.exception("could not enqueue %s%r: left for the sweep", name, args)
        return False
    return True


def enqueue_on_commit(task, *args, on_failure: Callable[[], None] | None = None) -> None:
    """Publish `task(*args)` once the current transaction commits (at once outside one).

    `on_failure` runs when it could not be published (to mark the job's row as having
    no message, so that the next sweep publishes it without waiting for a deadline).
    """

    def publish() -> None:
        if not enqueue(task, *args) and on_failure is not None:
            on_failure()

    transaction.on_commit(publish, robust=True)


# --- Rendering jobs whose row is the job (report, cycle and convocation PDFs) ---------------
# Their rows share the status values queued / rendering / ready / failed and the fields of
# coalition.models.JobRow; the apps keep what they render, these functions keep the job.

QUEUED, RENDERING, READY, FAILED = "queued", "rendering", "ready", "failed"


def fresh_attempt() -> dict:
    """The fields of a job asked for now (in the transaction that asks): a new series of tries."""
    now = timezone.now()
    return {"status": QUEUED, "error": "", "queued_at": now, "dispatched_at": now, "attempts": 0}


def gave_up_message(attempts: int) -> str:
    # For staff, beside the retry button; not translated, as the other render errors.
    return f"Rendering did not finish after {attempts} attempts (the worker stopped each time)."


def claim(model, row) -> dt.datetime | None:
    """Mark the row rendering for this task and return its start, the task's token.

    None if it was given up or another task took it: the update only applies if the
    row is as read (compare-and-set on status and attempts), so two deliveries of
    one job cannot both start it. The task finishes the row only if it still carries
    its start (a newer request or the sweep may have handed it to another task).
    """
    as_read = model.objects.filter(pk=row.pk, status=row.status, attempts=row.attempts)
    if row.attempts >= settings.COALITION_JOB_MAX_ATTEMPTS:
        as_read.update(status=FAILED, error=gave_up_message(row.attempts))
        return None
    started = timezone.now()
    claimed = as_read.update(
        status=RENDERING, started_at=started, attempts=F("attempts") + 1, error=""
    )
    return started if claimed else None


def render_job(
    model, row, *, render: Callable[[], bytes], path: str, log: logging.Logger, failure: str
) -> str:
    """Claim the row, render, store the file with its SHA-256 and finish the row if still ours.

    A re-render deletes the file it replaces once the row points to the new one.

    Idempotent: "ready", "skipped" (ready already), "failed" (now or before; staff retry it),
    "busy" (another task holds it, or took it over while this one drew). A failure to draw is
    kept on the row for staff, logged on `log` as `failure`; a database error is raised
    (the task retries it). `row` has the fields of a rendered file (file, sha256, rendered_at).
    """
    if row.status == READY and row.file:
        return "skipped"
    if row.status == FAILED:
        return "failed"
    started = claim(model, row)
    if started is None:
        return "failed" if row.attempts >= settings.COALITION_JOB_MAX_ATTEMPTS else "busy"
    mine = model.objects.filter(pk=row.pk, status=RENDERING, started_at=started)
    try:
        data = render()
    except DatabaseError:
        raise
    except Exception as exc:
        log.exception("%s", failure)
        mine.update(status=FAILED, error=f"{type(exc).__name__}: {exc}"[:2000])
        return "failed"
    storage = row.file.storage
    name = storage.save(path, ContentFile(data))
    try:
        with transaction.atomic():
            previous = mine.select_for_update().values_list("file", flat=True).first()
            finished = mine.update(
                file=name,
                sha256=hashlib.sha256(data).hexdigest(),
                status=READY,
                rendered_at=timezone.now(),
                error="",
            )
    except DatabaseError:
        storage.delete(name)  # no row points to it
        raise
    if not finished:
        storage.delete(name)
        return "busy"
    if previous and previous != name:
        # A re-render replaces the file: the one it replaces is no longer anyone's.
        storage.delete(previous)
    return "ready"


def heal(model, *, owner: str, task: str, counts: dict[str, int]) -> None:
    """The sweep over one kind of job row, adding to `counts`. Idempotent.

    - rendering, started more than COALITION_JOB_RUNNING_DEADLINE ago: its worker is
      gone (a task is killed at CELERY_TASK_TIME_LIMIT). Queued again, or marked
      failed for staff once it was started COALITION_JOB_MAX_ATTEMPTS times;
    - queued with no message known (publishing failed) or with one published more
      than COALITION_JOB_QUEUED_DEADLINE ago: `task(owner id)` is published again.
    """
    now = timezone.now()
    running_cutoff = now - dt.timedelta(seconds=settings.COALITION_JOB_RUNNING_DEADLINE)
    queued_cutoff = now - dt.timedelta(seconds=settings.COALITION_JOB_QUEUED_DEADLINE)
    limit = settings.COALITION_JOB_MAX_ATTEMPTS
    dead = model.objects.filter(status=RENDERING).filter(
        Q(started_at__lt=running_cutoff) | Q(started_at__isnull=True)
    )
    for row in dead.filter(attempts__gte=limit):
        counts["given_up"] += model.objects.filter(
            pk=row.pk, status=RENDERING, attempts=row.attempts
        ).update(status=FAILED, error=gave_up_message(row.attempts))
    counts["rendering"] += dead.filter(attempts__lt=limit).update(status=QUEUED, dispatched_at=None)
    lost = model.objects.filter(status=QUEUED).filter(
        Q(dispatched_at__isnull=True) | Q(dispatched_at__lt=queued_cutoff)
    )
    for pk in sorted(set(lost.values_list(owner, flat=True))):
        rows = model.objects.filter(**{owner: pk}, status=QUEUED)
        rows.update(dispatched_at=timezone.now())
        if enqueue(task, pk):
            counts["queued"] += 1
        else:
            rows.update(dispatched_at=None)


def oldest_unfinished(*models) -> dt.datetime | None:
    """When the longest-waiting job still queued or rendering was asked for (for /healthz)."""
    dates = [
        model.objects.filter(status__in=[QUEUED, RENDERING]).aggregate(oldest=Min("queued_at"))[
            "oldest"
        ]
        for model in models
    ]
    dates = [d for d in dates if d is not None]
    return min(dates) if dates else None
