"""Test data built once for a run of tests that ask for it, as Django's `setUpTestData` does.

A fixture such as the governance `world` (a coalition, five cities, seven committee seats,
their people: 330 queries through the services, 0.2 s) was built again for each of the
430 tests that ask for it, and the governance permission matrix's `objects` (a
convocation drawn with WeasyPrint among them) for each of its 236 rows. Declared with
`@built_once`, such data is built once for each run of consecutive tests (in one xdist
worker) that ask for it, in a transaction of its own, and each test runs in a savepoint
inside it that is rolled back at its end, as before:

    @built_once
    def world():
        return build_world()

Each test gets its own deep copy of the objects (as `setUpTestData`'s), so what a test
changes in memory never reaches the next one either. The transaction is rolled back as
soon as the next test asks for something else (or commits, or there is none), before
that test's fixtures are set up: a test that does not ask for the data never sees it,
and the demo world (loaded and committed once, tests/conftest.py) never lands inside it.
A test that commits (transactional_db, live_server) gets the data built for it alone.

Files the build stores (a convocation PDF, an uploaded document) are read back, deleted
from the storage they went to, and stored again in each test's storage as it starts
(each test has its own folder: tests/governance/conftest.py), as the demo's are.
`@built_once(on_the_demo=True)` builds on top of the demo world: the fixture asks for
`demo`, whose rows are committed before the data's transaction begins.

tests/conftest.py wires it in: `_django_db_helper` (pytest-django's fixture behind
`db`, extended there) opens the data's transaction before the test's own, and the
`pytest_runtest_teardown` hook says which test comes next.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction

from tests import stored_files

#: The attribute a `@built_once` fixture carries: the function that builds its data.
BUILD = "_built_once_build"


class _Open:
    """The one set of data in the database now: its builder, its value, its transaction."""

    build: Callable[[], Any] | None = None
    value: Any = None
    atomic: transaction.Atomic | None = None
    files: list[stored_files.StoredFile] = []


_open = _Open()


def built_once(build: Callable[[], Any] | None = None, *, on_the_demo: bool = False):
    """A function-scoped fixture, named as `build`, whose data `build()` makes once per run.

    The builder takes no fixtures: `on_the_demo=True` for data built on the demo (the
    builder looks its people up itself). Data that needs another fixture stays a fixture.
    """
    if build is None:
        return lambda build: built_once(build, on_the_demo=on_the_demo)

    def value():
        if _open.build is not build:
            return build()  # a test that commits: its own, as before
        stored_files.restore(_open.files)
        return copy.deepcopy(_open.value)

    if on_the_demo:

        def fixture(db, demo):
            return value()
    else:

        def fixture(db):
            return value()

    fixture.__name__ = build.__name__
    fixture.__doc__ = build.__doc__
    setattr(fixture, BUILD, build)
    return pytest.fixture(name=build.__name__)(fixture)


def build_of(item) -> Callable[[], Any] | None:
    """The builder of the `@built_once` fixture this test asks for, if any (one at most)."""
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return None
    for name in item.fixturenames:
        definitions = info.name2fixturedefs.get(name)
        if definitions:
            build = getattr(definitions[-1].func, BUILD, None)
            if build is not None:
                return build
    return None


def enter(build: Callable[[], Any] | None) -> None:
    """The data of `build` in the database (built now, unless it already is); no other."""
    if _open.build is build:
        return
    leave()
    if build is None:
        return
    atomic = transaction.atomic()
    atomic.__enter__()
    try:
        before = stored_files.names()
        value = build()
        # Taken out of the storage they went to (whichever was current), put back per test.
        files = stored_files.read(stored_files.names() - before, delete=True)
    except BaseException as error:
        transaction.set_rollback(True)
        atomic.__exit__(type(error), error, error.__traceback__)
        raise
    _open.build, _open.value, _open.atomic, _open.files = build, value, atomic, files


def leave() -> None:
    """Roll the open data back, if any: the database as it was before it was built."""
    atomic = _open.atomic
    _open.build, _open.value, _open.atomic, _open.files = None, None, None, []
    if atomic is not None:
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


def is_open() -> bool:
    return _open.atomic is not None
