"""Registration, attendance and voting cards of an assembly session (ADR 0008).

- A city registers its delegate, substitutes and observers (`Registration`); the bureau
  accredits each against the certifications and voting rights, or rejects it with a reason
  the city sees. Accreditation issues a one-time check-in code, stored only as its SHA-256.
- Every check-in and check-out is an `AttendanceEvent` (at the desk or online); who is
  present is derived from the events, never stored beside them.
- A city's vote is carried by one voting card: a `CardHolding` row per period a person holds
  it. One current holding per city and session, and one per person and session: partial
  unique constraints, so that no race leaves two holders.
- A `RollCall` freezes who was present and who held each card, for the minutes.

State changes are governance.services.attendance; nothing here changes state.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.models.assemblies import AssemblySession
from members.models import City


class AttendeeRole(models.TextChoices):
    DELEGATE = "delegate", _("Delegate")
    SUBSTITUTE = "substitute", _("Substitute")
    OBSERVER = "observer", _("Observer")


class AttendanceMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")


class RegistrationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for the bureau")
    ACCREDITED = "accredited", _("Accredited")
    REJECTED = "rejected", _("Rejected")


class Registration(models.Model):
    """One person a member city sends to a session, as delegate, substitute or observer."""

    #: Set by governance.selectors_attendance.registrations_of: checked in, not yet out.
    present: bool

    session = models.ForeignKey(
        AssemblySession,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    city = models.ForeignKey(
        City, verbose_name=_("city"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="session_registrations",
    )
    role = models.CharField(_("as"), max_length=20, choices=AttendeeRole.choices)
    mode = models.CharField(_("takes part"), max_length=20, choices=AttendanceMode.choices)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.SUBMITTED,
    )
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
    #: SHA-256 (hex) of the one-time check-in code; the code itself is never stored.
    code_hash = models.CharField(max_length=64, blank=True, db_index=True)
    code_used_at = models.DateTimeField(_("code used"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["session", "city__name", "role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"], name="registration_once_per_person"
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="registration_rejection_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()} of {self.city} ({self.session_id})"

    @property
    def is_accredited(self) -> bool:
        return self.status == RegistrationStatus.ACCREDITED

    @property
    def may_hold_card(self) -> bool:
        return self.role in (AttendeeRole.DELEGATE, AttendeeRole.SUBSTITUTE)


class AttendanceKind(models.TextChoices):
    CHECK_IN = "check_in", _("Checked in")
    CHECK_OUT = "check_out", _("Checked out")


class AttendanceChannel(models.TextChoices):
    DESK = "desk", _("At the desk")
    ONLINE = "online", _("Online")


class AttendanceEvent(models.Model):
    """A check-in or check-out of an accredited person; presence derives from these rows."""

    session = models.ForeignKey(
        AssemblySession, on_delete=models.CASCADE, related_name="attendance_events"
    )
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="events")
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("event"), max_length=20, choices=AttendanceKind.choices)
    channel = models.CharField(_("where"), max_length=20, choices=AttendanceChannel.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("attendance event")
        verbose_name_plural = _("attendance events")
        ordering = ["session", "at", "id"]
        indexes = [models.Index(fields=["registration", "at", "id"])]

    def __str__(self) -> str:
        return f"{self.person} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class CardHolding(models.Model):
    """A period during which one person holds a city's voting card in a session.

    Taking the card (at check-in), handing it on (delegate → substitute and back) and
    releasing it (at check-out) end one row and, but for a release, start the next: the
    new row names the previous holder, the time and who recorded it.
    """

    session = models.ForeignKey(
        AssemblySession, on_delete=models.CASCADE, related_name="card_holdings"
    )
    city = models.ForeignKey(
        City, verbose_name=_("city"), on_delete=models.PROTECT, related_name="+"
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("holder"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    registration = models.ForeignKey(
        Registration, on_delete=models.PROTECT, related_name="card_holdings"
    )
    handed_from = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handed over by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    current = models.BooleanField(default=True)
    started_at = models.DateTimeField(_("since"), default=timezone.now)
    ended_at = models.DateTimeField(_("until"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("voting card holding")
        verbose_name_plural = _("voting card holdings")
        ordering = ["session", "city__name", "started_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "city"],
                condition=Q(current=True),
                name="card_one_holder_per_city",
            ),
            models.UniqueConstraint(
                fields=["session", "holder"],
                condition=Q(current=True),
                name="card_one_city_per_holder",
            ),
            models.CheckConstraint(
                condition=Q(current=True, ended_at__isnull=True)
                | Q(current=False, ended_at__isnull=False),
                name="card_ended_when_not_current",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.city} card: {self.holder}"


class RollCall(models.Model):
    """A frozen snapshot of attendance and quorum, taken by the chair or the bureau."""

    session = models.ForeignKey(
        AssemblySession, on_delete=models.CASCADE, related_name="roll_calls"
    )
    taken_at = models.DateTimeField(_("taken"), default=timezone.now)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("taken by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    with_voting_rights = models.PositiveIntegerField(_("cities with voting rights"))
    present = models.PositiveIntegerField(_("present with voting rights"))
    required = models.PositiveIntegerField(_("quorum"))
    quorate = models.BooleanField(_("quorate"))

    class Meta:
        verbose_name = _("roll call")
        verbose_name_plural = _("roll calls")
        ordering = ["session", "taken_at", "id"]

    def __str__(self) -> str:
        return f"{self.session_id} {self.taken_at:%Y-%m-%d %H:%M}"


class RollCallEntry(models.Model):
    roll_call = models.ForeignKey(RollCall, on_delete=models.CASCADE, related_name="entries")
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="+")
    city_name = models.CharField(max_length=200)
    has_voting_rights = models.BooleanField()
    present = models.BooleanField()
    #: The card holder's name as it was (a later change of the account changes nothing).
    card_holder_name = models.CharField(max_length=200, blank=True)
    #: The city holding its proxy in force, by name as it was ("" when it came itself).
    proxy_holder_name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["roll_call", "city_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["roll_call", "city"], name="roll_call_city_once"),
        ]

    def __str__(self) -> str:
        return self.city_name
