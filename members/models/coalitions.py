"""Coalitions (their tree of regional and national coalitions), plans of action and commitments."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from coalition.translated import source_language_field


class CoalitionKind(models.TextChoices):
    INTERNATIONAL = "international", _("International umbrella")
    REGIONAL = "regional", _("Regional coalition")
    NATIONAL = "national", _("National coalition")


class DatePrecision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


class CoalitionQuerySet(models.QuerySet):
    def for_public_display(self):
        return self.select_related("parent").order_by("kind", "name")


class Coalition(models.Model):
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=30, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=CoalitionKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent coalition"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    founded_precision = models.CharField(
        _("founding date precision"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text=_("Sources often give only the month or the year."),
    )
    founded_place = models.CharField(_("founded in"), max_length=200, blank=True)
    office_seat = models.CharField(_("seat of the office"), max_length=200, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    source_language = source_language_field()

    objects = CoalitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("coalition")
        verbose_name_plural = _("coalitions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.short_name

    def get_absolute_url(self) -> str:
        return reverse("members:coalition_detail", kwargs={"slug": self.slug})

    @property
    def founded_display(self) -> str:
        """The founding date at the precision the sources give."""
        if not self.founded_on:
            return ""
        fmt = {"year": "Y", "month": "YEAR_MONTH_FORMAT"}.get(self.founded_precision, "DATE_FORMAT")
        return date_format(self.founded_on, fmt)

    def clean(self) -> None:
        super().clean()
        if self.parent_id is not None and self.pk is not None:
            ancestors = ancestor_ids(self.parent_id)
            if self.pk in ancestors:
                raise ValidationError(
                    {
                        "parent": _(
                            "A coalition cannot sit inside itself or inside one of the "
                            "coalitions under it: choose a coalition above it or beside it."
                        )
                    }
                )

    def plan_in_force(self, on: dt.date | None = None) -> PlanOfAction | None:
        on = on or timezone.localdate()
        return self.plans.filter(adopted_on__lte=on).order_by("-adopted_on").first()


def ancestor_ids(coalition_id: int | None) -> list[int]:
    """The coalition and every coalition above it, nearest first (one query; a loop
    already stored is walked once, never forever)."""
    parents = dict(Coalition.objects.values_list("id", "parent_id"))
    chain: list[int] = []
    while coalition_id is not None and coalition_id not in chain:
        chain.append(coalition_id)
        coalition_id = parents.get(coalition_id)
    return chain


def descendant_ids(coalition_id: int) -> list[int]:
    """The coalition and every coalition under it, at any depth (one query)."""
    children: dict[int, list[int]] = {}
    for pk, parent_id in Coalition.objects.values_list("id", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found, todo = [coalition_id], [coalition_id]
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in found:
                found.append(child)
                todo.append(child)
    return found


class PlanOfAction(models.Model):
    """A version of a coalition's plan. Memberships and reports refer to the version in force."""

    coalition = models.ForeignKey(Coalition, on_delete=models.CASCADE, related_name="plans")
    title = models.CharField(_("title"), max_length=250)
    adopted_on = models.DateField(_("adopted on"))
    adopted_place = models.CharField(_("adopted in"), max_length=200, blank=True)
    introduction = models.TextField(_("introduction"), blank=True)
    source_language = source_language_field()

    class Meta:
        verbose_name = _("plan of action")
        verbose_name_plural = _("plans of action")
        ordering = ["coalition", "-adopted_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["coalition", "adopted_on"], name="plan_one_version_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.adopted_on:%Y})"


class Commitment(models.Model):
    plan = models.ForeignKey(PlanOfAction, on_delete=models.CASCADE, related_name="commitments")
    number = models.PositiveSmallIntegerField(_("number"))
    heading = models.CharField(
        _("heading"), max_length=200, blank=True, help_text=_("Optional group heading.")
    )
    title = models.CharField(_("title"), max_length=250)
    summary = models.TextField(_("summary"), blank=True)
    example_actions = models.TextField(
        _("example actions"), blank=True, help_text=_("One action per line.")
    )
    source_language = source_language_field()
    sensitive = models.BooleanField(
        _("sensitive"),
        default=False,
        help_text=_(
            "Reports under this commitment can identify people (victims, hate crimes); "
            "their report sections default to secretariat only."
        ),
    )

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="commitment_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def example_action_list(self) -> list[str]:
        return [line.strip() for line in self.example_actions.splitlines() if line.strip()]
