"""Annual reports and their statuses: each change of what a report's PDF shows bumps
Report.version.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members.models import City
from reporting.models.cycles import ReportingCycle


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
