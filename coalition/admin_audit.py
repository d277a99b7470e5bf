"""Edits made in Django's admin are written to the portal's audit log as well.

Most important changes go through services, which audit themselves; the admin
classes that save a model directly (coalitions, plans, decision rules, cycles,
user accounts and their permissions) inherit from AuditedModelAdmin so that the
portal's audit log, not only Django's admin history, says who changed what.
The record is written inside the admin's own transaction.
"""

from __future__ import annotations

import json

from django.contrib import admin
from django.contrib.admin.models import LogEntry

from coalition import audit


def _describe(message) -> str:
    """Django's change message (a JSON list of added/changed/deleted parts) as plain text."""
    if message is None:
        return ""
    raw = message if isinstance(message, str) else json.dumps(message)
    return LogEntry(change_message=raw).get_change_message()


class AuditedModelAdmin(admin.ModelAdmin):
    def _audit(self, request, obj, action: str, message) -> None:
        opts = obj._meta
        audit.record(
            actor=request.user,
            target=obj,
            verb=f"admin.{opts.app_label}.{opts.model_name}_{action}",
            message=_describe(message),
            data={"changes": message if isinstance(message, list) else []},
        )

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        self._audit(request, obj, "added", message)
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        self._audit(request, obj, "changed", message)
        return entry

    def log_deletions(self, request, queryset):
        # Called before the deletion: the objects still exist and can be named.
        entries = super().log_deletions(request, queryset)
        for obj in queryset:
            self._audit(request, obj, "deleted", None)
        return entries
