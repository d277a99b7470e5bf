"""/healthz: the database, the cache and the broker, each checked, and the oldest job's age.

503 when the database, the cache or the broker does not answer. A job (a PDF to
render, an email to send) unfinished for longer than the sweep needs to heal it
(COALITION_JOB_QUEUED_DEADLINE + COALITION_JOB_RUNNING_DEADLINE) makes the status
"degraded", still with 200: the web process is well, and restarting it (what a
failing container health check leads to) would not help; look at the workers, beat
and the mail server (docs/operations.md).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from kombu import Connection

#: Each returns when its oldest unfinished job was asked for (or None).
JOB_SOURCES = (
    "coalition.outbox.oldest_unfinished_job",
    "reporting.pdfs.oldest_unfinished_job",
    "governance.convocations.oldest_unfinished_job",
    "governance.declarations.oldest_unfinished_job",
    "governance.minutes_pdf.oldest_unfinished_job",
)


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _check_cache() -> str:
    if hasattr(cache, "ping"):  # coalition.cache.DegradingRedisCache: ask Redis itself
        cache.ping()
    key = f"healthz:{time.monotonic_ns()}"
    cache.set(key, "1", 10)
    ok = cache.get(key) == "1"
    cache.delete(key)
    if not ok:
        raise RuntimeError("cache did not return the value it was given")
    return "ok"


def _check_broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER or not settings.REDIS_URL:
        return "eager"

    # A connection of its own, not the app's pool: a failed check must leave nothing behind.
    with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return "ok"


def oldest_unfinished_job_seconds() -> int | None:
    dates = [date for source in JOB_SOURCES if (date := import_string(source)()) is not None]
    if not dates:
        return None
    return max(0, int((timezone.now() - min(dates)).total_seconds()))


@never_cache
@require_GET
def healthz(request):
    checks = {}
    healthy = True
    for name, check in (
        ("database", _check_database),
        ("cache", _check_cache),
        ("broker", _check_broker),
    ):
        try:
            checks[name] = check()
        except Exception as exc:  # noqa: BLE001 - any failure is reported, not raised
            healthy = False
            checks[name] = f"error: {exc.__class__.__name__}"
    status = "ok" if healthy else "error"
    oldest = None
    if checks["database"] == "ok":
        oldest = oldest_unfinished_job_seconds()
        limit = settings.COALITION_JOB_QUEUED_DEADLINE + settings.COALITION_JOB_RUNNING_DEADLINE
        if oldest is not None and oldest > limit:
            checks["jobs"] = f"stuck: {oldest} s"
            status = "degraded" if healthy else status
        else:
            checks["jobs"] = "ok"
    return JsonResponse(
        {"status": status, "checks": checks, "oldest_unfinished_job_seconds": oldest},
        status=200 if healthy else 503,
    )
