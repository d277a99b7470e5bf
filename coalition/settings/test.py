"""Settings for the test suite. DATABASE_URL / REDIS_URL are honoured when set."""

import os
import re

os.environ.setdefault("SECRET_KEY", "test-only-not-secret")


def _redis_url_of_xdist_worker() -> None:
    """Under pytest-xdist, worker gw<i> (i ≥ 1) uses Redis database (N + 7 + i) mod 16.

    Each test empties the cache (FLUSHDB) and the broker shares the database: two
    workers on one database would wipe each other's rate limits and queued tasks.
    gw0 keeps REDIS_URL's /N; gw1 takes N + 8, gw2 N + 9, ...: away from the low numbers
    other checkouts on a shared machine are given. The Celery workers a test starts
    inherit the rewritten URL, and the marker keeps them from rewriting it again.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    url = os.environ.get("REDIS_URL", "")
    if not (url and worker.startswith("gw") and worker[2:].isdigit()):
        return
    if os.environ.get("COALITION_TEST_REDIS_WORKER") == worker:
        return
    match = re.fullmatch(r"(redis://[^/]+)(?:/(\d+))?/?", url)
    index = int(worker[2:])
    if match and index:
        db = (int(match.group(2) or 0) + 7 + index) % 16
        os.environ["REDIS_URL"] = f"{match.group(1)}/{db}"
        os.environ["COALITION_TEST_REDIS_WORKER"] = worker


_redis_url_of_xdist_worker()

from .base import *  # noqa: E402,F403

ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The suite decides per test whether a real worker is used; by default tasks run in-process.
CELERY_TASK_ALWAYS_EAGER = True
# Tests change the database behind the services' back and read response.context: the page and
# content caches are on only in the tests of them (test_pagecache.py,
# test_content_cache.py, test_api_cache.py).
PUBLIC_PAGE_CACHE_SECONDS = PUBLIC_FRAGMENT_CACHE_SECONDS = 0
PUBLIC_API_CACHE_SECONDS = 0
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ACCOUNT_RATE_LIMITS = {**ACCOUNT_RATE_LIMITS, "login_failed": "100/m/ip,5/5m/key"}  # noqa: F405
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"anon": "10000/min"},
}
DEMO_DATA_ALLOWED = True
