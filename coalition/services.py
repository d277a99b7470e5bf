"""Small helpers every app's services share, and the account's own settings."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from coalition import audit


def _comparable(field: models.Field, value: Any) -> Any:
    """What a value is compared by: a related row by its key, a file by its stored name."""
    if isinstance(field, models.ForeignKey):
        return value.pk if isinstance(value, models.Model) else value
    if isinstance(field, models.FileField):
        return getattr(value, "name", value) or ""
    return value


def model_update(
    instance: models.Model,
    *,
    fields: dict[str, Any],
    actor: Any,
    verb: str = "",
    touch: bool = True,
    **record: Any,
) -> dict[str, tuple[Any, Any]]:
    """Set `fields` on an existing row and save only those whose value changed.

    Returns `{name: (before, after)}` for what changed (a related row by its key, a file by its
    name); empty when nothing was written. The model's `auto_now` fields are saved with any
    change, unless `touch=False` (a change that is not an edit of the row's content, such as a
    reviewer's mark, keeps its "last saved" time). With a `verb`, the change is audited in the
    same transaction:
    `coalition.audit.record(actor=actor, target=instance, verb=verb, **record)`, whose `data`
    names the changed fields unless the caller gives its own. Without one the caller audits
    (most services say more than which fields changed).
    """
    if instance._state.adding or instance.pk is None:
        raise ValueError("model_update changes an existing row; save a new one first.")
    changes: dict[str, tuple[Any, Any]] = {}
    for name, value in fields.items():
        field = instance._meta.get_field(name)
        if not isinstance(field, models.Field):
            raise ValueError(f"{name} is a relation seen from the other side, not a field.")
        attribute = field.attname if isinstance(field, models.ForeignKey) else name
        before = _comparable(field, getattr(instance, attribute))
        after = _comparable(field, value)
        if before != after:
            setattr(instance, name, value)
            changes[name] = (before, after)
    if changes:
        auto_now = [
            f.name
            for f in instance._meta.concrete_fields
            if touch and getattr(f, "auto_now", False) and f.name not in changes
        ]
        instance.save(update_fields=[*changes, *auto_now])
    if verb:
        record.setdefault("data", {"changed": list(changes)})
        audit.record(actor=actor, target=instance, verb=verb, **record)
    return changes


def remember_language(user: Any, language: str) -> bool:
    """Keep a signed-in person's choice of language; False when it is not one of the portal's.

    It decides the language of the emails the portal sends them, and of the pages in a browser
    that has no language cookie yet (coalition.middleware.PreferredLanguageMiddleware).
    """
    if language not in dict(settings.LANGUAGES):
        return False
    model_update(user, fields={"language": language}, actor=user)
    return True
