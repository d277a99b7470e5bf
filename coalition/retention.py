"""The retention policy as data: what expires, after how long, and the service that purges it.

settings.RETENTION_POLICY names each kind of expiring data with the number of days
it is kept and the dotted path of its purge service: a function taking
`older_than` (a timedelta) and returning how many items it deleted, idempotent (a
second run deletes nothing). The daily Celery job coalition.tasks.apply_retention_policy
runs them all. A new kind of data that must expire (assembly check-in codes, once
assemblies exist) adds its purge service in its app and one entry to the setting, and
a line to docs/retention.md.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetentionRule:
    kind: str
    keep_for: dt.timedelta
    purge_path: str

    @property
    def purge(self) -> Callable[..., int]:
        return import_string(self.purge_path)


def policy() -> list[RetentionRule]:
    rules: dict[str, dict[str, Any]] = settings.RETENTION_POLICY
    return [
        RetentionRule(kind, dt.timedelta(days=rule["days"]), rule["purge"])
        for kind, rule in rules.items()
    ]


def apply_retention_policy() -> dict[str, int]:
    """Run every purge of the policy; returns how many items each deleted.

    A purge that fails does not stop the others; the run then raises at the end so
    that the failure is seen (the next run tries again: every purge is idempotent).
    """
    counts: dict[str, int] = {}
    failed: list[str] = []
    for rule in policy():
        try:
            counts[rule.kind] = rule.purge(older_than=rule.keep_for)
        except Exception:
            logger.exception("retention: purging %s failed", rule.kind)
            failed.append(rule.kind)
            continue
        if counts[rule.kind]:
            logger.info("retention: purged %d %s", counts[rule.kind], rule.kind)
    if failed:
        raise RuntimeError(f"retention: could not purge {', '.join(failed)} (see the log)")
    return counts


def purge_expired_sessions(*, older_than: dt.timedelta) -> int:
    """Delete database sessions that expired more than `older_than` ago."""
    if settings.SESSION_ENGINE != "django.contrib.sessions.backends.db":
        return 0  # cache and cookie sessions expire by themselves

    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now() - older_than).delete()
    return deleted
