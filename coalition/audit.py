"""The audit log's single writer. Services call `record` inside their transaction.

The log is a hash chain: each row stores the hash of the row before it
(`prev_hash`, empty for the first) and its own `hash`, a SHA-256 over a canonical
serialisation of its fields and `prev_hash` (`row_hash`). Appends are serialised
so that two writers never chain onto the same row: on PostgreSQL a
transaction-level advisory lock, held until the writer's transaction ends; SQLite
has one writer at a time anyway. `verify_chain` (and `manage.py verify_audit_log`)
recomputes every hash and names the first row that does not match.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone

from coalition.models import AuditEvent

#: Key of the PostgreSQL advisory lock that serialises appends (any constant bigint works;
#: this one is "audit" in ASCII, unlikely to be chosen by anything else in the database).
APPEND_LOCK_KEY = 0x6175646974

#: The fields a row's hash covers, in this order.
HASHED_FIELDS = (
    "created_at",
    "actor_id",
    "verb",
    "content_type",
    "object_id",
    "object_repr",
    "from_state",
    "to_state",
    "message",
    "data",
    "prev_hash",
)


def canonical(fields: dict[str, Any]) -> bytes:
    """The bytes a row's hash is taken over: its fields as compact, key-sorted JSON.

    `fields` holds HASHED_FIELDS, with `content_type` as "app_label.model" (stable
    across databases, unlike its id) and `created_at` an aware datetime.
    """
    created_at = fields["created_at"]
    payload = {name: fields[name] for name in HASHED_FIELDS if name not in ("created_at", "data")}
    payload["created_at"] = created_at.astimezone(dt.UTC).isoformat(timespec="microseconds")
    payload["data"] = fields["data"]
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def row_hash(fields: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(fields)).hexdigest()


def fields_of(event, content_type_label: str) -> dict[str, Any]:
    return {
        "created_at": event.created_at,
        "actor_id": event.actor_id,
        "verb": event.verb,
        "content_type": content_type_label,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "from_state": event.from_state,
        "to_state": event.to_state,
        "message": event.message,
        "data": event.data,
        "prev_hash": event.prev_hash,
    }


_WRITTEN_FIELDS = [f for f in AuditEvent._meta.concrete_fields if not f.primary_key]


def _lock_appends() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [APPEND_LOCK_KEY])


def _last_hash() -> str:
    return AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first() or ""


def record(
    *,
    actor,
    target: models.Model,
    verb: str,
    from_state: str = "",
    to_state: str = "",
    message: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    content_type = ContentType.objects.get_for_model(target, for_concrete_model=False)
    event = AuditEvent(
        created_at=timezone.now(),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        verb=verb,
        content_type=content_type,
        object_id=str(target.pk),
        object_repr=str(target)[:300],
        from_state=from_state or "",
        to_state=to_state or "",
        message=message,
        # Hashed as it will read back from the database (JSON types only).
        data=json.loads(json.dumps(data or {})),
    )
    # atomic: the advisory lock lasts until the caller's transaction ends (or this
    # one's, for a caller outside a transaction), so no other append can slip between
    # reading the last hash and this row's commit.
    with transaction.atomic(savepoint=False):
        _lock_appends()
        event.prev_hash = _last_hash()
        event.hash = row_hash(fields_of(event, f"{content_type.app_label}.{content_type.model}"))
        return AuditEvent.objects.create(
            **{field.attname: getattr(event, field.attname) for field in _WRITTEN_FIELDS}
        )


@dataclass(frozen=True)
class ChainBreak:
    """The first row of the log that does not match the chain, and why."""

    event_id: int
    reason: str


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken: ChainBreak | None

    @property
    def ok(self) -> bool:
        return self.broken is None


def _rows(queryset) -> Iterator[AuditEvent]:
    return queryset.select_related("content_type").order_by("id").iterator(chunk_size=2000)


def check_rows(rows: Iterable) -> ChainReport:
    """Walk rows in id order: each must point at the hash before it and match its own."""
    previous = ""
    checked = 0
    for event in rows:
        content_type = event.content_type
        label = f"{content_type.app_label}.{content_type.model}"
        if event.prev_hash != previous:
            return ChainReport(
                checked,
                ChainBreak(event.id, "its previous hash is not the hash of the row before it"),
            )
        if event.hash != row_hash(fields_of(event, label)):
            return ChainReport(checked, ChainBreak(event.id, "its hash does not match its content"))
        previous = event.hash
        checked += 1
    return ChainReport(checked, None)


def verify_chain() -> ChainReport:
    return check_rows(_rows(AuditEvent.objects.all()))


def events_for(target: models.Model):
    """The audit trail of one object, oldest first."""
    return (
        AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(target, for_concrete_model=False),
            object_id=str(target.pk),
        )
        .select_related("actor")
        .order_by("created_at", "id")
    )
