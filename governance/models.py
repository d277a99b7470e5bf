"""Steering committee seats and terms; admissions, exclusions and their votes."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import City, Coalition


class SeatKind(models.TextChoices):
    VOTING = "voting", _("Voting member")
    OBSERVER = "observer", _("Observer")
    ADVISER = "adviser", _("Scientific adviser")


class SeatQuerySet(models.QuerySet):
    def current(self, on: dt.date | None = None):
        on = on or timezone.localdate()
        return self.filter(Q(starts_on__lte=on), Q(ends_on__isnull=True) | Q(ends_on__gte=on))

    def voting(self):
        return self.filter(kind=SeatKind.VOTING)


class CommitteeSeat(models.Model):
    """A seat on a coalition's steering committee for a term.

    Held by a member city (or, as observer, a partner institution such as
    UNESCO) and represented by a person. Seats are never deleted: a term ends.
    """

    coalition = models.ForeignKey(
        Coalition, on_delete=models.PROTECT, related_name="committee_seats"
    )
    city = models.ForeignKey(
        City,
        verbose_name=_("city"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="committee_seats",
    )
    institution = models.CharField(
        _("partner institution"),
        max_length=200,
        blank=True,
        help_text=_("For a seat held by a partner rather than a city, e.g. UNESCO."),
    )
    representative = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("representative"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="committee_seats",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SeatKind.choices)
    starts_on = models.DateField(_("term starts"))
    ends_on = models.DateField(_("term ends"), null=True, blank=True)

    objects = SeatQuerySet.as_manager()

    class Meta:
        verbose_name = _("steering committee seat")
        verbose_name_plural = _("steering committee seats")
        ordering = ["coalition", "-starts_on", "city__name", "institution"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(city__isnull=False) & Q(institution=""))
                | (Q(city__isnull=True) & ~Q(institution="") & ~Q(kind="voting")),
                name="seat_held_by_city_or_non_voting_institution",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="seat_term_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.holder_name} ({self.get_kind_display()}, {self.coalition})"

    @property
    def holder_name(self) -> str:
        return self.city.name if self.city_id else self.institution

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return self.starts_on <= today and (self.ends_on is None or self.ends_on >= today)
