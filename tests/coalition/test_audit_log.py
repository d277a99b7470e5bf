"""The audit log is append-only: a hash chain everywhere, and a trigger on PostgreSQL.

The PostgreSQL tests run with DATABASE_URL=postgres://... and skip (fail in CI) without it.
"""

from __future__ import annotations

import contextlib
import threading
from io import StringIO
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.db.models.deletion import ProtectedError

from coalition import audit
from coalition.models import AuditEvent
from tests.conftest import using_postgres
from tests.factories import UserFactory

TRIGGER = "coalition_auditevent_append_only"


def write_events(count: int, *, actor=None) -> list[AuditEvent]:
    target = UserFactory()
    return [
        audit.record(
            actor=actor,
            target=target,
            verb="test.step",
            to_state=str(n),
            message=f"step {n} — é",
            data={"n": n, "nested": {"b": [1, 2.5, None], "a": "x"}},
        )
        for n in range(count)
    ]


@contextlib.contextmanager
def trigger_disabled():
    """What only the database's owner can do: switch the trigger off (PostgreSQL) to tamper."""
    if not using_postgres():
        yield
        return
    with connection.cursor() as cursor:
        # ALTER TABLE refuses to run while the test's inserts have deferred checks pending.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"ALTER TABLE coalition_auditevent DISABLE TRIGGER {TRIGGER}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE coalition_auditevent ENABLE TRIGGER {TRIGGER}")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def verify() -> str:
    out = StringIO()
    call_command("verify_audit_log", stdout=out)
    return out.getvalue()


def test_each_row_carries_the_hash_of_the_row_before_it(db):
    before = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first() or ""
    first, second, third = write_events(3)
    assert first.prev_hash == before
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert len({first.hash, second.hash, third.hash}) == 3
    assert "rows checked" in verify()


def test_a_row_read_back_from_the_database_still_matches_its_hash(db):
    (event,) = write_events(1)
    fresh = AuditEvent.objects.select_related("content_type").get(pk=event.pk)
    assert audit.row_hash(audit.fields_of(fresh, "coalition.user")) == event.hash


def test_a_tampered_row_is_named_by_verify_audit_log(db):
    events = write_events(4)
    assert audit.verify_chain().ok
    with trigger_disabled():
        AuditEvent.objects.filter(pk=events[2].pk).update(message="nothing happened")

    with pytest.raises(CommandError) as failure:
        verify()
    assert f"row {events[2].pk}" in str(failure.value)
    assert "does not match its content" in str(failure.value)


def test_a_row_deleted_from_the_middle_of_the_log_is_found(db):
    events = write_events(4)
    with trigger_disabled():
        AuditEvent.objects.filter(pk=events[1].pk).delete()

    report = audit.verify_chain()
    assert report.broken.event_id == events[2].pk
    assert "previous hash" in report.broken.reason


def test_a_rewritten_row_with_a_recomputed_hash_breaks_the_next_link(db):
    events = write_events(3)
    forged = AuditEvent.objects.select_related("content_type").get(pk=events[1].pk)
    forged.message = "rewritten"
    forged.hash = audit.row_hash(audit.fields_of(forged, "coalition.user"))
    with trigger_disabled():
        AuditEvent.objects.filter(pk=forged.pk).update(message=forged.message, hash=forged.hash)

    assert audit.verify_chain().broken.event_id == events[2].pk


def test_a_person_who_acted_cannot_be_deleted_from_under_their_audit_rows(db):
    actor = UserFactory()
    write_events(1, actor=actor)
    with pytest.raises(ProtectedError):
        actor.delete()


def test_the_migration_chains_rows_written_before_it(db):
    events = write_events(3)
    with trigger_disabled():
        AuditEvent.objects.update(prev_hash="", hash="")
    migration = __import__(
        "coalition.migrations.0003_auditevent_hash_chain", fromlist=["chain_existing_rows"]
    )

    with trigger_disabled():
        migration.chain_existing_rows(apps, SimpleNamespace(connection=connection))

    assert audit.verify_chain().ok
    assert AuditEvent.objects.get(pk=events[2].pk).hash == events[2].hash


# --- PostgreSQL: the trigger and concurrent writers -------------------------------------


def test_a_raw_update_of_the_audit_log_fails_on_postgresql(postgres):
    (event,) = write_events(1)
    with (
        pytest.raises(IntegrityError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE coalition_auditevent SET message = 'edited' WHERE id = %s", [event.pk]
        )
    assert AuditEvent.objects.get(pk=event.pk).message == event.message


def test_a_raw_delete_from_the_audit_log_fails_on_postgresql(postgres):
    (event,) = write_events(1)
    with (
        pytest.raises(IntegrityError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM coalition_auditevent WHERE id = %s", [event.pk])
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.integration
def test_concurrent_writers_keep_one_valid_chain_on_postgresql(postgres, transactional_db):
    target = UserFactory()
    writers, per_writer = 8, 15
    barrier = threading.Barrier(writers)
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            barrier.wait()
            for step in range(per_writer):
                # Each append in a transaction that also does other work before committing.
                with transaction.atomic():
                    audit.record(
                        actor=None, target=target, verb="test.concurrent", to_state=f"{n}.{step}"
                    )
                    UserFactory.build()  # some Python work while the lock is held
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert AuditEvent.objects.filter(verb="test.concurrent").count() == writers * per_writer
    report = audit.verify_chain()
    assert report.ok, report.broken
    assert report.checked == AuditEvent.objects.count()
