"""One migration run per `make test`: xdist's workers clone the first worker's test database.

Migrating an empty PostgreSQL database takes about 25 s of CPU (70 migrations, most of it
Django rendering the models' states), and each pytest-xdist worker used to do it for its own
test database. Now worker gw0 migrates its database as before (pytest-django), then closes
its connection and says so; every other worker creates its database from gw0's with
`CREATE DATABASE ... TEMPLATE` (about a second), which PostgreSQL allows only while nobody is
connected to the template, so gw0 waits until each of them has its copy (or until
CLONE_WAIT_SECONDS have passed: a worker that comes later migrates its own, as before).

The workers meet in a folder of the run (xdist's testrunuid, under pytest's shared temporary
root), with one lock file that makes "clone" and "gw0 goes on without you" exclusive:
- `ready`: gw0's database is migrated and gw0 is not connected to it;
- `cloned-gw<i>`: worker i has its copy;
- `closed`: gw0 stopped waiting (and is connected again): too late to clone.
Outside xdist, with one worker, or on SQLite, nothing of this happens.
"""

from __future__ import annotations

import fcntl
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

#: How long gw0 waits, once its database is migrated, for the others to clone it; and how
#: long another waits for gw0's database (its migration takes 25 s idle, a minute when busy).
CLONE_WAIT_SECONDS = 120
READY_WAIT_SECONDS = 600


class Rendezvous:
    """Where this run's workers meet: a folder and its lock, named by xdist's testrunuid."""

    def __init__(self, root: Path, run: str, worker: str, workers: int):
        self.folder = root / f"test-databases-{run}"
        self.folder.mkdir(parents=True, exist_ok=True)
        self.worker = worker
        self.workers = workers

    @property
    def is_first(self) -> bool:
        return self.worker == "gw0"

    def others(self) -> list[str]:
        return [f"gw{i}" for i in range(1, self.workers)]

    def mark(self, name: str) -> None:
        (self.folder / name).touch()

    def has(self, name: str) -> bool:
        return (self.folder / name).exists()

    @contextmanager
    def locked(self) -> Iterator[None]:
        with open(self.folder / "lock", "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


def _wait_for(predicate, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def source_name(worker_test_name: str, worker: str) -> str:
    """gw0's test database, from this worker's name for its own (pytest-django's suffix)."""
    suffix = f"_{worker}"
    if not worker_test_name.endswith(suffix):
        raise ValueError(f"{worker_test_name} does not end in {suffix}")
    return worker_test_name[: -len(suffix)] + "_gw0"


def clone_from_first(meeting: Rendezvous) -> bool:
    """Worker gw1, gw2, ...: this worker's test database, copied from gw0's migrated one.

    False (nothing done) when gw0's database is not ready in time or gw0 no longer waits:
    pytest-django then creates and migrates this worker's database itself.
    """
    if not _wait_for(lambda: meeting.has("ready") or meeting.has("closed"), READY_WAIT_SECONDS):
        return False
    with meeting.locked():
        if meeting.has("closed") or not meeting.has("ready"):
            return False
        target = connection.creation._get_test_db_name()
        _copy(source_name(target, meeting.worker), target)
        meeting.mark(f"cloned-{meeting.worker}")
    return True


def wait_for_the_clones(meeting: Rendezvous) -> None:
    """Worker gw0, its database migrated: disconnect, let the others copy it, go on."""
    connection.close()
    connection.close_pool()
    meeting.mark("ready")
    _wait_for(
        lambda: all(meeting.has(f"cloned-{other}") for other in meeting.others()),
        CLONE_WAIT_SECONDS,
    )
    with meeting.locked():
        meeting.mark("closed")


def _copy(source: str, target: str) -> None:
    """`target` made anew as a copy of `source`, which nobody may be connected to."""
    quote = connection.ops.quote_name
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quote(target)}")
        cursor.execute(f"CREATE DATABASE {quote(target)} WITH TEMPLATE {quote(source)}")


def _drop(name: str) -> None:
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)}")


def drop_own_database() -> None:
    """A cloned worker's database at the end (pytest-django keeps what it did not create)."""
    name = connection.settings_dict["NAME"]
    connection.close()
    _drop(name)


@contextmanager
def scratch_copy() -> Iterator[None]:
    """The default connection on a copy of this worker's test database, dropped afterwards.

    For a test that takes the schema back to an old migration (tests/governance/
    test_migrations.py): it does so on the copy, and this worker's database stays at the
    latest migrations, with no flush and no second migration run after it (10 s and more).
    PostgreSQL only (the copy is `CREATE DATABASE ... TEMPLATE`, about a second), which
    needs nobody connected to this worker's database: this connection is closed first, and
    those earlier tests' threads and workers left open (the database is this worker's
    alone, and none of them is in use) are ended.
    """
    own = connection.settings_dict["NAME"]
    scratch = f"{own}_scratch"
    connection.close()
    connection.close_pool()
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            [own],
        )
    _copy(own, scratch)
    connection.settings_dict["NAME"] = scratch
    try:
        yield
    finally:
        connection.close()
        connection.close_pool()
        connection.settings_dict["NAME"] = own
        _drop(scratch)
