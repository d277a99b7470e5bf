"""Certified delegates: who casts a member city's vote in a coalition, and who stands in.

A city votes through its legal representative, the mayor; a delegate acts under
the mayor's authority, shown by a mandate letter (a checked PDF). The city's
coordinator submits the certification, the bureau validates it, and the city or
the bureau can revoke it at once.

Scope: a *standing* certification holds until its end date or its revocation; a
*session* one covers the dates of one session (a General Assembly or a
conference), set by the bureau. Sessions do not exist as records yet: the
sessions work will add a foreign key to the session and keep the dates as the
session's.

Invariants (governance.services.delegates):
- at most one validated delegate per city, coalition and scope on any day: a
  PostgreSQL exclusion constraint over the date range (migration 0008), and on
  every database a row lock on the city's membership while validating;
- at most `substitutes_allowed(coalition)` validated substitutes in force at once,
  checked under the same lock.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.models.admissions import private_storage
from members.models import City, Coalition, Role


def mandate_upload_to(instance, filename: str) -> str:
    # The stored name never carries the uploader's file name (it is kept apart).
    return f"governance/mandates/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.pdf"


class CertificationRole(models.TextChoices):
    DELEGATE = "delegate", _("Delegate")
    SUBSTITUTE = "substitute", _("Substitute")


class CertificationScope(models.TextChoices):
    STANDING = "standing", _("Standing, until revoked or its end date")
    SESSION = "session", _("One session only")


class CertificationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for the bureau")
    VALIDATED = "validated", _("Validated")
    REJECTED = "rejected", _("Rejected")
    REVOKED = "revoked", _("Revoked")


class CertificationQuerySet(models.QuerySet):
    def in_force(self, on: dt.date | None = None):
        """Validated and covering the day (a revoked one is out at once: its status changed)."""
        on = on or timezone.localdate()
        return self.filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=on),
            status=CertificationStatus.VALIDATED,
            valid_from__lte=on,
        )

    def overlapping(self, valid_from: dt.date, valid_until: dt.date | None):
        """Those whose dates share at least one day with [valid_from, valid_until]."""
        qs = self.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=valid_from))
        if valid_until is not None:
            qs = qs.filter(valid_from__lte=valid_until)
        return qs

    def for_lists(self):
        return self.select_related("city", "coalition", "person", "submitted_by")


class DelegateCertification(models.Model):
    """A person certified by a city to cast (or stand in for) its vote in one coalition."""

    city = models.ForeignKey(
        City, verbose_name=_("city"), on_delete=models.PROTECT, related_name="certifications"
    )
    coalition = models.ForeignKey(
        Coalition,
        verbose_name=_("coalition"),
        on_delete=models.PROTECT,
        related_name="certifications",
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="delegate_certifications",
    )
    role = models.CharField(_("as"), max_length=20, choices=CertificationRole.choices)
    scope = models.CharField(_("scope"), max_length=20, choices=CertificationScope.choices)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(
        _("valid until"), null=True, blank=True, help_text=_("Empty: until revoked.")
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=CertificationStatus.choices,
        default=CertificationStatus.SUBMITTED,
        db_index=True,
    )
    mandate_letter = models.FileField(
        _("mandate letter"), storage=private_storage, upload_to=mandate_upload_to, max_length=255
    )
    mandate_letter_filename = models.CharField(_("letter file name"), max_length=255)
    mandate_letter_size = models.PositiveIntegerField(_("letter size (bytes)"), default=0)
    signed_by_name = models.CharField(_("signed by"), max_length=200)
    signed_by_office = models.CharField(_("office of the signatory"), max_length=200)

    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("validated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    validated_at = models.DateTimeField(_("validated"), null=True, blank=True)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rejected by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rejected_at = models.DateTimeField(_("rejected"), null=True, blank=True)
    rejection_reason = models.TextField(
        _("reason for the rejection"), blank=True, help_text=_("The city sees it.")
    )
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revocation_reason = models.TextField(_("reason for the revocation"), blank=True)
    # The delegate role granted on validation (members.Role), ended on revocation.
    granted_role = models.ForeignKey(
        Role, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CertificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("delegate certification")
        verbose_name_plural = _("delegate certifications")
        ordering = ["coalition", "city__name", "role", "-valid_from", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="certification_dates_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(scope="session") | Q(valid_until__isnull=False),
                name="certification_session_has_end",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="certification_rejection_has_reason",
            ),
            # One validated delegate per city, coalition and scope on any day is the
            # exclusion constraint of migration 0008 (PostgreSQL only: a date range).
        ]
        indexes = [models.Index(fields=["coalition", "city", "status"])]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()} of {self.city} ({self.coalition})"

    @property
    def is_in_force(self) -> bool:
        today = timezone.localdate()
        return (
            self.status == CertificationStatus.VALIDATED
            and self.valid_from <= today
            and (self.valid_until is None or self.valid_until >= today)
        )

    @property
    def is_open(self) -> bool:
        """Still counts: waiting for the bureau, or validated and not yet over."""
        if self.status == CertificationStatus.SUBMITTED:
            return True
        return self.status == CertificationStatus.VALIDATED and (
            self.valid_until is None or self.valid_until >= timezone.localdate()
        )

    @property
    def status_badge(self) -> str:
        badges: dict[str, str] = {
            CertificationStatus.VALIDATED: "ok",
            CertificationStatus.REJECTED: "error",
            CertificationStatus.REVOKED: "",
        }
        return badges.get(self.status, "info")
