"""Coalitions and their plans: reference data edited here, audited by AuditedModelAdmin."""

from __future__ import annotations

from django.contrib import admin
from django.db import models, transaction
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline

from coalition.admin_access import (
    PortalStackedInline,
    PortalTabularInline,
)
from coalition.admin_audit import AuditedModelAdmin
from members import selectors
from members.models import (
    Coalition,
    Commitment,
    LeadCity,
    PlanOfAction,
)


class LeadCityInline(PortalTabularInline):
    model = LeadCity
    extra = 0
    autocomplete_fields = ("city",)
    fields = ("city", "starts_on", "ends_on", "note")


@admin.register(Coalition)
class CoalitionAdmin(TranslationAdmin, AuditedModelAdmin):
    """Each translated field shows once per language, one under the other (ADR 0014)."""

    coalition_path = "pk"
    list_display = ("short_name", "name", "kind", "parent", "founded_on", "office_seat")
    list_filter = ("kind",)
    search_fields = ("short_name", "name", "founded_place", "office_seat")
    prepopulated_fields = {"slug": ("short_name",)}
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    autocomplete_fields = ("parent",)
    inlines = (LeadCityInline,)

    def has_add_permission(self, request) -> bool:
        # A new coalition is an administrator's decision; staff correct their own.
        return request.user.is_superuser and super().has_add_permission(request)

    def get_readonly_fields(self, request, obj=None):
        # Where a coalition sits among the others is not its own staff's to change.
        return () if request.user.is_superuser else ("kind", "parent")

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        transaction.on_commit(selectors.directory_changed)


class CommitmentInline(TranslationStackedInline, PortalStackedInline):
    model = Commitment
    extra = 0
    fields = (
        ("number", "heading"),
        "title",
        "summary",
        "example_actions",
        "sensitive",
        "source_language",
    )


@admin.register(PlanOfAction)
class PlanOfActionAdmin(TranslationAdmin, AuditedModelAdmin):
    coalition_path = "coalition"
    list_display = ("title", "coalition", "adopted_on", "adopted_place", "commitment_count")
    list_filter = ("coalition",)
    search_fields = ("title", "coalition__short_name", "coalition__name")
    date_hierarchy = "adopted_on"
    inlines = (CommitmentInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_commitments=Count("commitments"))

    @admin.display(description=_("commitments"), ordering="n_commitments")
    def commitment_count(self, plan) -> int:
        return plan.n_commitments
