"""tests/databases.py: xdist's workers share one migration run; its rendezvous, without a DB."""

from __future__ import annotations

import pytest

from tests import databases


def test_a_worker_clones_the_first_workers_database_by_its_name():
    assert databases.source_name("test_coalition_gw3", "gw3") == "test_coalition_gw0"
    with pytest.raises(ValueError):
        databases.source_name("test_coalition", "gw1")


def test_the_first_worker_is_gw0_and_waits_for_every_other(tmp_path):
    first = databases.Rendezvous(tmp_path, "run", "gw0", 3)
    assert first.is_first and first.others() == ["gw1", "gw2"]
    assert not databases.Rendezvous(tmp_path, "run", "gw2", 3).is_first


def test_a_worker_that_comes_after_gw0_stopped_waiting_migrates_its_own(tmp_path, monkeypatch):
    monkeypatch.setattr(databases, "READY_WAIT_SECONDS", 0.5)
    late = databases.Rendezvous(tmp_path, "run", "gw1", 2)
    assert databases.clone_from_first(late) is False  # gw0 never got ready: no clone
    late.mark("ready")
    late.mark("closed")  # gw0 is connected again: cloning would fail, so it is not tried
    assert databases.clone_from_first(late) is False
    assert not late.has("cloned-gw1")
