"""The steering committee's officers: its President and Vice-Presidents, with their terms.

An officer holds an office for a term, from a voting seat of the committee (the city's
representative). Officers are written by governance.services.officers when an officer
election is certified (or recorded by the bureau); a term ends, a row is never deleted.
No person holds two offices at once and a coalition has one President at a time: checked
by the service under the coalition lock the seat services use, and, on PostgreSQL, by
exclusion constraints over the term (migration 0018, outside the model state, as 0009).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.models.committee import CommitteeSeat
from governance.models.elections import Election, OfficerOffice
from members.models import City, Coalition


class OfficerQuerySet(models.QuerySet):
    def current(self, on: dt.date | None = None):
        on = on or timezone.localdate()
        return self.filter(Q(starts_on__lte=on), Q(ends_on__isnull=True) | Q(ends_on__gte=on))

    def overlapping(self, starts_on: dt.date, ends_on: dt.date | None):
        """Terms that share at least one day with [starts_on, ends_on] (open-ended: None)."""
        qs = self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on))
        return qs if ends_on is None else qs.filter(starts_on__lte=ends_on)


class CommitteeOfficer(models.Model):
    """One person's term in one office of a coalition's steering committee."""

    coalition = models.ForeignKey(
        Coalition, verbose_name=_("coalition"), on_delete=models.PROTECT, related_name="officers"
    )
    office = models.CharField(_("office"), max_length=20, choices=OfficerOffice.choices)
    seat = models.ForeignKey(
        CommitteeSeat,
        verbose_name=_("seat"),
        on_delete=models.PROTECT,
        related_name="officers",
    )
    city = models.ForeignKey(
        City, verbose_name=_("city"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="committee_offices",
    )
    starts_on = models.DateField(_("term starts"))
    ends_on = models.DateField(_("term ends"), null=True, blank=True)
    #: The officer election won (none for officers the bureau recorded).
    election = models.ForeignKey(
        Election,
        verbose_name=_("election"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="officers",
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = OfficerQuerySet.as_manager()

    class Meta:
        verbose_name = _("committee officer")
        verbose_name_plural = _("committee officers")
        ordering = ["coalition", "office", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="officer_term_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_office_display()}: {self.city} ({self.coalition})"
