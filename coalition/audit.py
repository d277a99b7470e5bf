"""The audit log's single writer. Services call `record` inside their transaction."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from coalition.models import AuditEvent


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
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        verb=verb,
        content_type=ContentType.objects.get_for_model(target, for_concrete_model=False),
        object_id=str(target.pk),
        object_repr=str(target)[:300],
        from_state=from_state or "",
        to_state=to_state or "",
        message=message,
        data=data or {},
    )


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
