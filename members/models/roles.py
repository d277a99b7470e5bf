"""People's roles: a city's coordinator and delegate, a coalition's bureau and secretariat staff."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .cities import City
from .coalitions import Coalition


class RoleKind(models.TextChoices):
    COORDINATOR = "coordinator", _("City coordinator (focal point)")
    DELEGATE = "delegate", _("City delegate")
    BUREAU = "bureau", _("Bureau staff")
    SECRETARIAT = "secretariat", _("Scientific secretariat staff")


CITY_ROLES = (RoleKind.COORDINATOR, RoleKind.DELEGATE)
COALITION_ROLES = (RoleKind.BUREAU, RoleKind.SECRETARIAT)
#: Roles whose holders must use two-factor authentication.
STAFF_ROLES = (RoleKind.BUREAU, RoleKind.SECRETARIAT)


class RoleQuerySet(models.QuerySet):
    def current(self, on: dt.date | None = None):
        on = on or timezone.localdate()
        return self.filter(Q(starts_on__lte=on), Q(ends_on__isnull=True) | Q(ends_on__gte=on))


class Role(models.Model):
    """A person's role, tied to a city (coordinator, delegate) or a coalition (staff), with dates.

    Steering committee seats are governance.Seat; they name the person in the same way.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles"
    )
    kind = models.CharField(_("role"), max_length=20, choices=RoleKind.choices)
    city = models.ForeignKey(
        City, null=True, blank=True, on_delete=models.PROTECT, related_name="roles"
    )
    coalition = models.ForeignKey(
        Coalition, null=True, blank=True, on_delete=models.PROTECT, related_name="roles"
    )
    starts_on = models.DateField(_("from"), default=timezone.localdate)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    contact_public = models.BooleanField(
        _("publish contact"),
        default=False,
        help_text=_("Show this person's name and email on the city's public profile."),
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RoleQuerySet.as_manager()

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["user", "kind", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind__in=["coordinator", "delegate"], city__isnull=False)
                    | Q(kind__in=["bureau", "secretariat"], coalition__isnull=False)
                ),
                name="role_scope_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="role_dates_ordered",
            ),
        ]
        indexes = [models.Index(fields=["user", "kind"])]

    def __str__(self) -> str:
        scope = self.city or self.coalition
        return f"{self.user} — {self.get_kind_display()} ({scope})"

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return self.starts_on <= today and (self.ends_on is None or self.ends_on >= today)
