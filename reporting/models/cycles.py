"""The rubric and the reporting cycles: a coalition's year of reports against one plan."""

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

from coalition.translated import source_language_field
from members.models import Coalition, PlanOfAction


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
