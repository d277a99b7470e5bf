"""A report's sections (one per commitment), their indicators, question rounds and attachments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from coalition.files import private_storage
from members.models import Commitment
from reporting.models.reports import Report


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
