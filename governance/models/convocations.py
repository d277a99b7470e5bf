"""A session's convocation: its PDF (a job row, SHA-256 stored) and one delivery per
recipient, whose state is the outbox's (sent, bounced)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from coalition.models import JobRow
from governance.models.admissions import private_storage
from governance.models.assemblies import AssemblySession
from members.models import City


class ConvocationStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RENDERING = "rendering", _("Rendering")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class ConvocationPDF(JobRow):
    """The convocation's PDF: the row is the job (as reporting's PDFs), healed by the sweep."""

    session = models.OneToOneField(
        AssemblySession, on_delete=models.CASCADE, related_name="convocation"
    )
    status = models.CharField(
        max_length=12, choices=ConvocationStatus.choices, default=ConvocationStatus.QUEUED
    )
    error = models.TextField(blank=True)
    file = models.FileField(
        storage=private_storage, upload_to="governance/convocations/", blank=True
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    rendered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("convocation PDF")
        verbose_name_plural = _("convocation PDFs")

    def __str__(self) -> str:
        return f"{self.session} ({self.status})"

    @property
    def is_ready(self) -> bool:
        return self.status == ConvocationStatus.READY and bool(self.file)


class RecipientRole(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    DELEGATE = "delegate", _("Delegate")
    SUBSTITUTE = "substitute", _("Substitute")


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    BOUNCED = "bounced", _("Bounced")


class ConvocationDelivery(models.Model):
    """The convocation's email to one person of a member city; its state is the outbox's."""

    session = models.ForeignKey(
        AssemblySession, on_delete=models.CASCADE, related_name="deliveries"
    )
    city = models.ForeignKey(
        City, verbose_name=_("city"), on_delete=models.PROTECT, related_name="+"
    )
    email = models.EmailField(_("recipient"), max_length=254)
    role = models.CharField(_("as"), max_length=20, choices=RecipientRole.choices)
    language = models.CharField(_("language"), max_length=10)
    has_voting_rights = models.BooleanField(_("city has voting rights"), default=True)
    #: The outbox's row; sent rows are purged after a while (then the email was sent).
    outgoing_email = models.ForeignKey(
        "coalition.OutgoingEmail",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    bounced_at = models.DateTimeField(_("bounce recorded"), null=True, blank=True)
    bounce_note = models.CharField(_("what bounced"), max_length=500, blank=True)
    bounce_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("convocation delivery")
        verbose_name_plural = _("convocation deliveries")
        ordering = ["session", "city__name", "role", "email"]
        constraints = [
            models.UniqueConstraint(fields=["session", "email"], name="delivery_once_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.city})"

    @property
    def state(self) -> str:
        if self.bounced_at:
            return DeliveryState.BOUNCED
        if self.outgoing_email is None:
            return DeliveryState.SENT  # the outbox purges only sent emails
        return self.outgoing_email.state

    def get_state_display(self) -> str:
        return str(DeliveryState(self.state).label)
