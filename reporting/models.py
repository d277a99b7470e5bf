"""Reporting cycles, annual reports and their sections, evaluations, reminders and PDFs.

A report moves through ReportStatus; every change of what its PDF shows bumps
Report.version, and a ReportPDF records the version it was rendered from, so a
render task can tell whether its work is already done.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coalition.files import private_storage
from coalition.models import JobRow
from coalition.translated import source_language_field
from members.models import City, Coalition, Commitment, PlanOfAction


class RubricLevel(models.Model):
    """One level of the published scoring rubric. The text is data (a data migration loads it)."""

    score = models.PositiveSmallIntegerField(
        _("score"), unique=True, validators=[MaxValueValidator(4)]
    )
    label = models.CharField(_("label"), max_length=80)
    description = models.TextField(_("description"))
    source_language = source_language_field()

    class Meta:
        verbose_name = _("rubric level")
        verbose_name_plural = _("rubric levels")
        ordering = ["score"]

    def __str__(self) -> str:
        return f"{self.score}: {self.label}"


class ReportingCycle(models.Model):
    """A coalition's yearly call for reports on one version of its plan."""

    #: What the person asking may do (a reporting.access.CycleAccess), set by get_cycle_for_user.
    access: Any

    coalition = models.ForeignKey(
        Coalition, on_delete=models.PROTECT, related_name="reporting_cycles"
    )
    year = models.PositiveSmallIntegerField(
        _("year reported on"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    plan = models.ForeignKey(
        PlanOfAction,
        verbose_name=_("plan version"),
        on_delete=models.PROTECT,
        related_name="reporting_cycles",
    )
    opens_on = models.DateField(_("opening date"))
    due_on = models.DateField(_("due date"))
    grace_days = models.PositiveSmallIntegerField(
        _("grace period (days)"),
        default=14,
        help_text=_("A city whose report is this many days late is marked overdue."),
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reporting cycle")
        verbose_name_plural = _("reporting cycles")
        ordering = ["-year", "coalition__short_name"]
        constraints = [
            models.UniqueConstraint(fields=["coalition", "year"], name="cycle_one_per_year"),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("opens_on")), name="cycle_due_after_opening"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.coalition.short_name} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("reporting:cycle_dashboard", kwargs={"pk": self.pk})

    @property
    def overdue_from(self) -> dt.date:
        """The first day a city that has not submitted counts as overdue."""
        return self.due_on + dt.timedelta(days=self.grace_days + 1)

    @property
    def is_open(self) -> bool:
        return self.opens_on <= timezone.localdate()


class ReportStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("report status", "Draft")
    SUBMITTED = "submitted", _("Submitted")
    TRANSMITTED = "transmitted", _("Transmitted to the secretariat")
    UNDER_EVALUATION = "under_evaluation", _("Under evaluation")
    QUESTIONS = "questions", _("Returned with questions")
    RELEASED = "released", _("Evaluated")
    PUBLISHED = "published", _("Published")


#: Statuses in which the city may edit its sections.
EDITABLE_STATUSES = (ReportStatus.DRAFT, ReportStatus.QUESTIONS)
#: Statuses from which the report has been handed in (reviewers may read it).
HANDED_IN_STATUSES = (
    ReportStatus.SUBMITTED,
    ReportStatus.TRANSMITTED,
    ReportStatus.UNDER_EVALUATION,
    ReportStatus.QUESTIONS,
    ReportStatus.RELEASED,
    ReportStatus.PUBLISHED,
)
#: Statuses in which the evaluation has been released to the city.
RELEASED_STATUSES = (ReportStatus.RELEASED, ReportStatus.PUBLISHED)
#: The steps shown to the city, in order.
STATUS_STEPS = (
    ReportStatus.DRAFT,
    ReportStatus.SUBMITTED,
    ReportStatus.TRANSMITTED,
    ReportStatus.UNDER_EVALUATION,
    ReportStatus.RELEASED,
    ReportStatus.PUBLISHED,
)
STATUS_BADGES: dict[str, str] = {
    ReportStatus.DRAFT: "badge--warn",
    ReportStatus.SUBMITTED: "badge--info",
    ReportStatus.TRANSMITTED: "badge--info",
    ReportStatus.UNDER_EVALUATION: "badge--info",
    ReportStatus.QUESTIONS: "badge--error",
    ReportStatus.RELEASED: "badge--ok",
    ReportStatus.PUBLISHED: "badge--ok",
}


class ReportQuerySet(models.QuerySet):
    def with_context(self):
        return self.select_related("cycle__coalition", "cycle__plan", "city")

    def published(self):
        return self.filter(status=ReportStatus.PUBLISHED)


class Report(models.Model):
    """A member city's annual report in one cycle."""

    #: What the person asking may see and do (a reporting.access.ReportAccess), set by
    #: get_report_for_user.
    access: Any

    cycle = models.ForeignKey(ReportingCycle, on_delete=models.PROTECT, related_name="reports")
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="reports")
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ReportStatus.choices,
        default=ReportStatus.DRAFT,
        db_index=True,
    )
    #: Bumped by every change to what the report (or its PDF) shows.
    version = models.PositiveIntegerField(default=1)
    returned_reason = models.TextField(_("reason for returning the report"), blank=True)
    questions = models.TextField(_("questions from the secretariat"), blank=True)
    city_answer = models.TextField(_("the city's answer"), blank=True)
    publish_scores = models.BooleanField(_("publish the scores"), default=False)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    transmitted_at = models.DateTimeField(null=True, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        ordering = ["-cycle__year", "city__name"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "city"], name="report_one_per_city_and_cycle")
        ]
        indexes = [models.Index(fields=["city", "status"])]

    def __str__(self) -> str:
        return f"{self.city} — {self.cycle}"

    def get_absolute_url(self) -> str:
        return reverse("reporting:report_detail", kwargs={"pk": self.pk})

    @property
    def is_editable(self) -> bool:
        """A draft (or a report returned with questions) of a cycle that has opened."""
        return self.status in EDITABLE_STATUSES and self.cycle.is_open

    @property
    def opens_later(self) -> bool:
        """A draft waiting for its cycle's opening date: it cannot be edited yet."""
        return self.status in EDITABLE_STATUSES and not self.cycle.is_open

    @property
    def is_released(self) -> bool:
        return self.status in RELEASED_STATUSES

    @property
    def status_badge(self) -> str:
        return STATUS_BADGES.get(self.status, "")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public (once the report is published)")
    COALITION = "coalition", _("Coalition: member cities and staff")
    SECRETARIAT = "secretariat", _("Secretariat only")


#: The fields a coordinator writes in each section, in the order of the form.
SECTION_TEXT_FIELDS = (
    "actions",
    "resources_human",
    "resources_financial",
    "resources_material",
    "partners",
    "results",
    "next_steps",
)
SECTION_FIELDS = (
    *SECTION_TEXT_FIELDS,
    "good_practice",
    "good_practice_title",
    "good_practice_summary",
    "visibility",
)


class SectionState(models.TextChoices):
    EMPTY = "empty", _("empty")
    IN_PROGRESS = "in_progress", _("in progress")
    COMPLETE = "complete", _("complete")


class ReportSection(models.Model):
    """What the city reports under one commitment. `version` guards against lost updates."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="sections")
    commitment = models.ForeignKey(Commitment, on_delete=models.PROTECT, related_name="+")
    actions = models.TextField(_("What the city did (actions)"), blank=True)
    resources_human = models.TextField(_("Human resources"), blank=True)
    resources_financial = models.TextField(_("Financial resources"), blank=True)
    resources_material = models.TextField(_("Material resources"), blank=True)
    partners = models.TextField(_("Partners"), blank=True)
    results = models.TextField(_("Results and indicators"), blank=True)
    next_steps = models.TextField(_("Next steps"), blank=True)
    good_practice = models.BooleanField(_("Propose this as a good practice"), default=False)
    good_practice_title = models.CharField(_("Good practice title"), max_length=200, blank=True)
    good_practice_summary = models.TextField(_("Good practice summary"), blank=True)
    good_practice_approved_at = models.DateTimeField(null=True, blank=True)
    good_practice_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    visibility = models.CharField(
        _("Who may read this section"),
        max_length=20,
        choices=Visibility.choices,
        default=Visibility.COALITION,
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("report section")
        verbose_name_plural = _("report sections")
        ordering = ["report", "commitment__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "commitment"], name="section_one_per_commitment"
            )
        ]
        indexes = [models.Index(fields=["good_practice_approved_at"])]

    def __str__(self) -> str:
        return f"{self.report}: {self.commitment}"

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, name).strip() for name in SECTION_TEXT_FIELDS)

    @property
    def state(self) -> str:
        """empty, in_progress or complete: what the editor's list of commitments shows.

        Complete: actions and results are written, and a proposed good practice has its
        title and summary (the check before submitting flags the rest).
        """
        if self.is_empty and not self.good_practice:
            return SectionState.EMPTY
        good_practice_ready = not self.good_practice or (
            self.good_practice_title.strip() and self.good_practice_summary.strip()
        )
        if self.has_actions and self.results.strip() and good_practice_ready:
            return SectionState.COMPLETE
        return SectionState.IN_PROGRESS

    @property
    def state_label(self) -> str:
        return str(SectionState(self.state).label)

    @property
    def has_actions(self) -> bool:
        return bool(self.actions.strip())

    def content(self) -> dict:
        return {name: getattr(self, name) for name in SECTION_FIELDS}


class Indicator(models.Model):
    """A measured indicator of one section: where the city started, aims and stands."""

    section = models.ForeignKey(ReportSection, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("indicator"), max_length=200)
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    baseline = models.DecimalField(
        _("baseline"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    target = models.DecimalField(
        _("target"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    value = models.DecimalField(
        _("value this year"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    source = models.CharField(_("source"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["section", "position", "id"]

    def __str__(self) -> str:
        return self.name


class QuestionRound(models.Model):
    """One round of the secretariat's questions and the city's answer, kept as history.

    Report.questions and Report.city_answer mirror the latest round (the current one while
    the report is returned with questions)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="question_rounds")
    number = models.PositiveSmallIntegerField(_("round"))
    questions = models.TextField(_("questions from the secretariat"))
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    asked_at = models.DateTimeField(_("asked on"))
    answer = models.TextField(_("the city's answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered on"), null=True, blank=True)

    class Meta:
        verbose_name = _("round of questions")
        verbose_name_plural = _("rounds of questions")
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="question_round_unique")
        ]

    def __str__(self) -> str:
        return f"{self.report}: round {self.number}"


class SectionAttachment(models.Model):
    section = models.ForeignKey(ReportSection, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(storage=private_storage, upload_to="reporting/attachments/%Y/")
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class Evaluation(models.Model):
    """The secretariat's evaluation of a report. Invisible to the city until released."""

    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="evaluation")
    overall_assessment = models.TextField(_("overall assessment"), blank=True)
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")

    def __str__(self) -> str:
        return f"Evaluation of {self.report}"


class SectionScore(models.Model):
    """The score and feedback for one commitment of a report."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scores")
    section = models.OneToOneField(ReportSection, on_delete=models.CASCADE, related_name="score")
    score = models.PositiveSmallIntegerField(
        _("score"), null=True, blank=True, validators=[MaxValueValidator(4)]
    )
    feedback = models.TextField(_("feedback"), blank=True)

    class Meta:
        verbose_name = _("commitment score")
        verbose_name_plural = _("commitment scores")
        constraints = [
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__lte=4), name="score_within_rubric"
            )
        ]

    def __str__(self) -> str:
        return f"{self.section}: {self.score}"


class ReminderKind(models.TextChoices):
    DAYS_30 = "d30", _("30 days before the due date")
    DAYS_7 = "d7", _("7 days before the due date")
    DAYS_1 = "d1", _("1 day before the due date")
    OVERDUE = "overdue", _("After the due date")


class ReminderSent(models.Model):
    """A reminder sent for a report. The unique constraint makes each one go out once."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(fields=["report", "kind"], name="reminder_sent_once")
        ]

    def __str__(self) -> str:
        return f"{self.report}: {self.get_kind_display()}"


class PDFStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RENDERING = "rendering", _("Rendering")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class PDFVariant(models.TextChoices):
    """Who a report PDF is for. A PDF holds only the sections its readers may see.

    full: every section (secretariat-only ones included) — the city itself,
      the secretariat and administrators.
    coalition: public and coalition sections — bureau and steering committee.
    public: public sections only (scores if the city agreed) — anyone, once published.
    The released evaluation is printed in each variant, for the sections it holds.
    """

    FULL = "full", _("Complete (city and secretariat)")
    COALITION = "coalition", _("Coalition (bureau and committee)")
    PUBLIC = "public", _("Public")


class PDFJob(JobRow):
    """A report's or cycle's PDF job: the shared job row (coalition.models.JobRow)."""

    class Meta:
        abstract = True


class ReportPDF(PDFJob):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="pdfs")
    variant = models.CharField(max_length=12, choices=PDFVariant.choices)
    #: The reader's language: the portal's words in it, the city's text as written.
    language = models.CharField(
        max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    status = models.CharField(max_length=12, choices=PDFStatus.choices, default=PDFStatus.QUEUED)
    error = models.TextField(blank=True)
    file = models.FileField(storage=private_storage, upload_to="reporting/pdf/", blank=True)
    rendered_version = models.PositiveIntegerField(null=True, blank=True)
    rendered_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("report PDF")
        verbose_name_plural = _("report PDFs")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "variant", "language"], name="report_pdf_per_variant_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.report} ({self.variant}, {self.language}, {self.status})"

    @property
    def is_current(self) -> bool:
        return self.status == PDFStatus.READY and self.rendered_version == self.report.version


class CyclePDF(PDFJob):
    """The consolidated evaluation of a cycle, for the secretariat and the committee."""

    cycle = models.OneToOneField(ReportingCycle, on_delete=models.CASCADE, related_name="pdf")
    status = models.CharField(max_length=12, choices=PDFStatus.choices, default=PDFStatus.QUEUED)
    error = models.TextField(blank=True)
    file = models.FileField(storage=private_storage, upload_to="reporting/pdf/", blank=True)
    #: A fingerprint of the released evaluations it was drawn from.
    rendered_key = models.CharField(max_length=64, blank=True)
    rendered_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("cycle evaluation PDF")
        verbose_name_plural = _("cycle evaluation PDFs")

    def __str__(self) -> str:
        return f"{self.cycle} ({self.status})"
