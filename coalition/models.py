"""Cross-app models: the user account, the audit log and the outgoing emails."""

from __future__ import annotations

from typing import ClassVar, cast

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = cast("User", self.model(email=self.normalize_email(email).lower(), **extra))
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person. Identified by email; what they may do comes from their roles."""

    # The stubs type these as fields; None removes them (Django's documented way).
    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    language = models.CharField(
        _("preferred language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_(
            "The language of the portal's emails to this person; set when they switch language."
        ),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects = UserManager()  # type: ignore[misc, assignment]  # ours, not auth's, by design

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class AuditEvent(models.Model):
    """One step in the life of an object: who, when, what, from which state to which.

    Written only by services (coalition.audit.record) in the same transaction as
    the change it records. Append-only: read-only everywhere in the portal, admin
    included, and on PostgreSQL a trigger refuses UPDATE and DELETE. Each row
    carries the hash of the row before it and its own hash over its fields
    (coalition.audit.row_hash), so an edit made behind the trigger's back is found
    by `manage.py verify_audit_log`.
    """

    # Set by record() before the row is hashed (auto_now_add would change it on save).
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    # PROTECT: deleting the person would rewrite their rows (SET NULL), which the
    # log refuses; accounts that acted are closed (pseudonymised) instead.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    verb = models.CharField(_("what"), max_length=80, db_index=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=40)
    target = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(_("object"), max_length=300)
    from_state = models.CharField(_("from"), max_length=40, blank=True)
    to_state = models.CharField(_("to"), max_length=40, blank=True)
    message = models.TextField(_("details"), blank=True)
    data = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(_("previous row's hash"), max_length=64, blank=True)
    hash = models.CharField(_("hash"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.verb} {self.object_repr}"


class EmailState(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutgoingEmail(models.Model):
    """One email to one recipient, written in the transaction that caused it (an outbox).

    A Celery task sends it after commit; a failure is retried with a doubling delay
    (coalition.outbox), and one that still fails after its attempts stays here as
    failed, for administrators to see and send again.
    """

    created_at = models.DateTimeField(_("queued at"), auto_now_add=True, db_index=True)
    template = models.CharField(_("email"), max_length=100, blank=True)
    to = models.EmailField(_("to"), max_length=254)
    subject = models.TextField(_("subject"))
    text = models.TextField(_("text"))
    html = models.TextField(_("HTML"), blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=EmailState.choices, default=EmailState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    #: When it may be tried (again): now, or after the back-off of a failed attempt.
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    #: When its Celery message was last published; empty while none is known to be.
    dispatched_at = models.DateTimeField(null=True, blank=True)
    #: When a worker took it to send it (state "sending").
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject[:60]} ({self.state})"


class JobRow(models.Model):
    """What a rendering job's row keeps so that it heals by itself (coalition.jobs).

    The row is the job: marked queued in the transaction that asks for a render,
    its Celery message published after commit; the sweep (`jobs.heal`) publishes again
    a job whose message was lost and takes back one whose worker died. Report, cycle and
    convocation PDFs are such rows, each with a `status` of queued / rendering / ready /
    failed and an `error`.
    """

    #: When the current render was asked for: the job's age in /healthz.
    queued_at = models.DateTimeField(null=True, blank=True)
    #: When its Celery message was last published; empty while none is known to be.
    dispatched_at = models.DateTimeField(null=True, blank=True)
    #: When a worker last started drawing it.
    started_at = models.DateTimeField(null=True, blank=True)
    #: Renders started since it was asked for; one that keeps dying is given up.
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
