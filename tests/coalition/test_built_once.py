"""@built_once (tests/built_once.py): data built once for a run of tests, rolled back per test.

Each test here holds whatever test runs before or after it (xdist may hand this file's
tests to different workers), so each checks what its own test sees; the last drives
`enter` and `leave` directly, as tests/conftest.py does between tests.
"""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from members.models import Coalition
from tests import built_once as shared
from tests.built_once import built_once
from tests.factories import CoalitionFactory


@built_once
def once():
    """A coalition, built through a factory."""
    return CoalitionFactory(short_name="ONCE", name="Built once")


def test_a_test_that_asks_runs_in_a_savepoint_inside_the_datas_transaction(once):
    assert shared.is_open()
    assert connection.in_atomic_block
    assert connection.savepoint_ids  # this test's own, rolled back at its end
    assert Coalition.objects.get(short_name="ONCE").pk == once.pk


def test_each_test_gets_its_own_copy_and_its_changes_are_rolled_back(once):
    assert once.name == "Built once"  # whatever the test before changed, in memory or not
    assert Coalition.objects.get(short_name="ONCE").name == "Built once"
    assert once is not shared._open.value
    once.name = "Changed"
    once.save(update_fields=["name"])


def test_a_test_that_does_not_ask_never_sees_the_data(db):
    assert not shared.is_open()
    assert not Coalition.objects.filter(short_name="ONCE").exists()


@pytest.mark.django_db(transaction=True)
def test_a_test_that_commits_gets_the_data_built_for_it_alone(once):
    assert not shared.is_open()
    assert not connection.in_atomic_block
    assert Coalition.objects.get(short_name="ONCE").pk == once.pk


@pytest.mark.django_db(transaction=True)
def test_enter_builds_once_leave_rolls_back_and_a_failed_build_leaves_nothing_open():
    builds = []

    def build():
        builds.append("build")
        return CoalitionFactory(short_name="TWICE")

    shared.enter(build)
    shared.enter(build)  # the next test asks for the same: kept, not built again
    assert builds == ["build"]
    with transaction.atomic():  # a test's savepoint: rolled back, the data stays
        Coalition.objects.filter(short_name="TWICE").update(name="Changed")
        transaction.set_rollback(True)
    assert Coalition.objects.get(short_name="TWICE").name == "Coalition TWICE"

    shared.enter(None)  # a test that asks for nothing else
    assert not shared.is_open()
    assert not connection.in_atomic_block
    assert not Coalition.objects.filter(short_name="TWICE").exists()

    def broken():
        CoalitionFactory(short_name="BROKEN")
        raise RuntimeError("the build failed")

    with pytest.raises(RuntimeError):
        shared.enter(broken)
    assert not shared.is_open()
    assert not connection.in_atomic_block
    assert not Coalition.objects.filter(short_name="BROKEN").exists()
