"""What the page benchmarks share: a throwaway database, and the median time of a request.

Imported by the scripts beside it (`.venv/bin/python bench/<name>.py` puts bench/ on the path).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "coalition.settings.test"


def setup_database(sqlite_name: str):
    """A test database: var/<sqlite_name> on SQLite, test_<name> next to DATABASE_URL otherwise.

    Returns the connection and the name to give back to destroy_test_db.
    """
    import django
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        db.setdefault("TEST", {})["NAME"] = str(ROOT / "var" / sqlite_name)
    django.setup()
    from django.db import connection

    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    return connection, old_name


def median_ms(request: Callable[[], object], repeat: int) -> float:
    """Median milliseconds of `request` (which checks its own response), after two warm-ups."""
    for _ in range(2):  # template and query-plan caches
        request()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        request()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000
