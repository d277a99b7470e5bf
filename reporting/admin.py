"""Admin for reporting: read-mostly; state changes go through the portal's pages and services.

Reports and their PDFs are read-only here for everyone: a report's status, the
secretariat's questions, the city's answers and whether its scores are published
change only through the services, which check who acts and keep the audit log.
Staff see only their own coalition's cycles and reports (coalition.admin_access)."""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from coalition.admin_access import (
    PortalInlineMixin,
    ReadOnlyModelAdmin,
)
from coalition.admin_audit import AuditedModelAdmin
from reporting.models import (
    CyclePDF,
    QuestionRound,
    Report,
    ReportingCycle,
    ReportPDF,
    ReportSection,
    RubricLevel,
)


@admin.register(RubricLevel)
class RubricLevelAdmin(TranslationAdmin, AuditedModelAdmin):
    """The rubric is shared by every coalition: staff read it, administrators edit it."""

    list_display = ("score", "label")


@admin.register(ReportingCycle)
class ReportingCycleAdmin(AuditedModelAdmin):
    coalition_path = "coalition"
    deletable = False
    list_display = ("__str__", "opens_on", "due_on", "grace_days")
    list_filter = ("coalition", "year")
    readonly_fields = ("coalition", "year", "plan", "opened_by", "created_at")


class SectionInline(PortalInlineMixin, admin.TabularInline):
    model = ReportSection
    fields = ("commitment", "visibility", "good_practice", "version")
    readonly_fields = fields
    extra = 0
    can_delete = False


class QuestionRoundInline(PortalInlineMixin, admin.TabularInline):
    """Every round of questions and answers, read-only (services.ask_questions, submit_report)."""

    model = QuestionRound
    fields = ("number", "questions", "asked_by", "asked_at", "answer", "answered_by", "answered_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Report)
class ReportAdmin(ReadOnlyModelAdmin):
    coalition_path = "cycle__coalition"
    list_display = ("city", "cycle", "status", "version", "submitted_at")
    list_filter = ("status", "cycle")
    search_fields = ("city__name",)
    fields = (
        "cycle",
        "city",
        "status",
        "version",
        "publish_scores",
        "returned_reason",
        "questions",
        "city_answer",
        "submitted_at",
        "submitted_by",
        "transmitted_at",
        "released_at",
        "published_at",
    )
    inlines = [SectionInline, QuestionRoundInline]


@admin.register(ReportPDF)
class ReportPDFAdmin(ReadOnlyModelAdmin):
    coalition_path = "report__cycle__coalition"
    deletable = True  # a rendering, not a record: it renders again when next asked for
    list_display = ("report", "variant", "status", "rendered_version", "rendered_at")
    list_filter = ("status", "variant")
    fields = ("report", "variant", "status", "error", "rendered_version", "rendered_at")


@admin.register(CyclePDF)
class CyclePDFAdmin(ReadOnlyModelAdmin):
    coalition_path = "cycle__coalition"
    deletable = True  # a rendering, not a record: it renders again when next asked for
    list_display = ("cycle", "status", "rendered_at")
    fields = ("cycle", "status", "error", "rendered_key", "rendered_at")
