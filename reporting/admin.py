"""Admin for reporting: read-mostly; state changes go through the portal's pages and services."""

from django.contrib import admin

from coalition.admin_audit import AuditedModelAdmin
from reporting.models import (
    CyclePDF,
    Report,
    ReportingCycle,
    ReportPDF,
    ReportSection,
    RubricLevel,
)


@admin.register(RubricLevel)
class RubricLevelAdmin(AuditedModelAdmin):
    list_display = ("score", "label")


@admin.register(ReportingCycle)
class ReportingCycleAdmin(AuditedModelAdmin):
    list_display = ("__str__", "opens_on", "due_on", "grace_days")
    list_filter = ("coalition", "year")
    readonly_fields = ("coalition", "year", "plan", "opened_by", "created_at")


class SectionInline(admin.TabularInline):
    model = ReportSection
    fields = ("commitment", "visibility", "good_practice", "version")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Report)
class ReportAdmin(AuditedModelAdmin):
    list_display = ("city", "cycle", "status", "version", "submitted_at")
    list_filter = ("status", "cycle")
    search_fields = ("city__name",)
    readonly_fields = (
        "cycle",
        "city",
        "status",
        "version",
        "submitted_at",
        "submitted_by",
        "transmitted_at",
        "released_at",
        "published_at",
    )
    inlines = [SectionInline]


@admin.register(ReportPDF)
class ReportPDFAdmin(admin.ModelAdmin):
    list_display = ("report", "variant", "status", "rendered_version", "rendered_at")
    list_filter = ("status", "variant")
    readonly_fields = ("report", "variant", "status", "error", "file", "rendered_version")


@admin.register(CyclePDF)
class CyclePDFAdmin(admin.ModelAdmin):
    list_display = ("cycle", "status", "rendered_at")
    readonly_fields = ("cycle", "status", "error", "file", "rendered_key")
