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

import logging
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
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
