"""Edits made in Django's admin are written to the portal's audit log as well.

Most important changes go through services, which audit themselves; the admin
classes that save a model directly (coalitions, plans, decision rules, cycles,
user accounts and their permissions) or whose inlines do (a membership's act of
accession, its chosen actions) inherit from AuditedModelAdmin so that the portal's
audit log, not only Django's admin history, says who changed what. Inline rows are
recorded on their parent's event with their values before and after. The record is
written inside the admin's own transaction.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib.admin.models import LogEntry

from coalition import audit
from coalition.admin_access import PortalModelAdmin
from coalition.pagecache import public_pages_changed


def _describe(message) -> str:
    """Django's change message (a JSON list of added/changed/deleted parts) as plain text."""
    if message is None:
        return ""
    raw = message if isinstance(message, str) else json.dumps(message)
    return LogEntry(change_message=raw).get_change_message()


def _inline_changes(formset) -> list[dict]:
    """What a saved inline formset changes, row by row, before it is saved."""
    name = str(formset.model._meta.verbose_name)
    skip = {"id", "DELETE", getattr(getattr(formset, "fk", None), "name", None)}
    rows: list[dict[str, Any]] = []
    for form in formset.forms:
        if not hasattr(form, "cleaned_data") or not form.has_changed():
            continue
        if formset.can_delete and formset._should_delete_form(form):
            if form.instance.pk is not None:
                rows.append({"model": name, "deleted": str(form.instance)})
            continue
        fields = [n for n in form.changed_data if n not in skip]
        after = {n: str(form.cleaned_data.get(n, "")) for n in fields}
        if form.instance.pk is None or form.instance._state.adding:
            rows.append({"model": name, "added": after})
        else:
            before = {n: str(form.initial.get(n, "")) for n in fields}
            rows.append(
                {"model": name, "changed": str(form.instance), "before": before, "after": after}
            )
    return rows


class AuditedModelAdmin(PortalModelAdmin):
    def _audit(self, request, obj, action: str, message) -> None:
        opts = obj._meta
        data = {"changes": message if isinstance(message, list) else []}
        inlines = request.__dict__.pop("_admin_audit_inlines", [])
        if inlines:
            data["inlines"] = inlines
        audit.record(
            actor=request.user,
            target=obj,
            verb=f"admin.{opts.app_label}.{opts.model_name}_{action}",
            message=_describe(message),
            data=data,
        )
        # Whatever the admin changed may show on a public page: cached copies are forgotten.
        public_pages_changed()

    def save_formset(self, request, form, formset, change):
        changes = _inline_changes(formset)
        super().save_formset(request, form, formset, change)
        request.__dict__.setdefault("_admin_audit_inlines", []).extend(changes)

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
