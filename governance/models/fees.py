"""Membership fees per city and year, recorded by the bureau: voting rights may depend on them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from members.models import City, Coalition


class FeeStatus(models.TextChoices):
    DUE = "due", _("Due")
    PAID = "paid", _("Paid")
    WAIVED = "waived", _("Waived")


class FeeQuerySet(models.QuerySet):
    def for_lists(self):
        return self.select_related("city", "recorded_by")


class MembershipFee(models.Model):
    """The fee a city owes its coalition for a year: one row per city, coalition and year.

    Tied to the city rather than to a membership: a city that leaves and joins again
    has a new membership, yet still owes (or has paid) that year's fee once.
    """

    coalition = models.ForeignKey(
        Coalition, verbose_name=_("coalition"), on_delete=models.PROTECT, related_name="fees"
    )
    city = models.ForeignKey(
        City, verbose_name=_("city"), on_delete=models.PROTECT, related_name="fees"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    status = models.CharField(
        _("status"), max_length=10, choices=FeeStatus.choices, default=FeeStatus.DUE
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    objects = FeeQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership fee")
        verbose_name_plural = _("membership fees")
        ordering = ["coalition", "-year", "city__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["city", "coalition", "year"], name="fee_one_per_city_coalition_year"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="fee_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(year__gte=1990, year__lte=2200), name="fee_year_plausible"
            ),
            models.CheckConstraint(
                condition=(Q(status="paid") & Q(paid_on__isnull=False))
                | (~Q(status="paid") & Q(paid_on__isnull=True)),
                name="fee_paid_on_iff_paid",
            ),
        ]
        indexes = [models.Index(fields=["coalition", "year", "status"])]

    def __str__(self) -> str:
        status = self.get_status_display()
        return f"{self.city} {self.year}: {self.amount} {self.currency} ({status})"
