"""The secretariat's evaluation of a report, its scores per section, and the reminders sent."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reporting.models.reports import Report
from reporting.models.sections import ReportSection


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
