"""Proxies of an assembly session: a member city represented by another (ADR 0016).

A proxy is a city-to-city relation for one session (principal city → holder city), allowed
only where the session's statute snapshot says so. The principal city's coordinator or
delegate registers it with the signed proxy form (a checked PDF in private storage); the
bureau validates it. While validated and not ended, whoever holds the holder city's voting
card casts a separate ballot for the principal city. It ends by itself when the principal
city checks in (an accredited delegate or substitute of its own arrives).

State changes are governance.services.proxies; nothing here changes state.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.models.admissions import private_storage
from governance.models.assemblies import AssemblySession, SessionStatus
from members.models import City


def proxy_form_upload_to(instance, filename: str) -> str:
    # The stored name never carries the uploader's file name (it is kept apart).
    return f"governance/proxies/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.pdf"


class ProxyStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for the bureau")
    VALIDATED = "validated", _("Validated")
    REJECTED = "rejected", _("Rejected")
    ENDED = "ended", _("Ended")


#: A proxy in these statuses counts against the holder's cap and blocks a second one.
ACTIVE_PROXY_STATUSES = (ProxyStatus.SUBMITTED, ProxyStatus.VALIDATED)
#: The session statuses in which a city may give its proxy.
OPEN_FOR_PROXIES = (SessionStatus.CONVENED, SessionStatus.IN_SESSION)


class ProxyEndReason(models.TextChoices):
    PRINCIPAL_CHECKED_IN = "checked_in", _("The principal city checked in")
    WITHDRAWN = "withdrawn", _("Withdrawn by the principal city")


class ProxyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=ACTIVE_PROXY_STATUSES)

    def in_force(self):
        return self.filter(status=ProxyStatus.VALIDATED)


class Proxy(models.Model):
    """The principal city gives its vote in one session to the holder city."""

    session = models.ForeignKey(
        AssemblySession, verbose_name=_("session"), on_delete=models.CASCADE, related_name="proxies"
    )
    principal = models.ForeignKey(
        City, verbose_name=_("represented city"), on_delete=models.PROTECT, related_name="+"
    )
    holder = models.ForeignKey(
        City, verbose_name=_("proxy holder city"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ProxyStatus.choices, default=ProxyStatus.SUBMITTED
    )
    signed_by_name = models.CharField(_("signed by"), max_length=200)
    form = models.FileField(
        _("signed proxy form"),
        storage=private_storage,
        upload_to=proxy_form_upload_to,
        max_length=255,
    )
    form_filename = models.CharField(_("form file name"), max_length=255)
    form_size = models.PositiveIntegerField(_("form size (bytes)"), default=0)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    registered_at = models.DateTimeField(_("registered"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    rejection_reason = models.TextField(
        _("reason for the rejection"), blank=True, help_text=_("The city sees it.")
    )
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    end_reason = models.CharField(
        _("why it ended"), max_length=20, choices=ProxyEndReason.choices, blank=True
    )

    objects = ProxyQuerySet.as_manager()

    class Meta:
        verbose_name = _("proxy")
        verbose_name_plural = _("proxies")
        ordering = ["session", "holder__name", "principal__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "principal"],
                condition=Q(status__in=["submitted", "validated"]),
                name="proxy_one_active_per_principal",
            ),
            models.CheckConstraint(condition=~Q(principal=F("holder")), name="proxy_not_to_itself"),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="proxy_rejection_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(status="ended", ended_at__isnull=False)
                | (~Q(status="ended") & Q(ended_at__isnull=True)),
                name="proxy_ended_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.principal} → {self.holder} ({self.session_id})"

    @property
    def in_force(self) -> bool:
        return self.status == ProxyStatus.VALIDATED
