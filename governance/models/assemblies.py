"""Sessions of the General Assembly and the General Conference, their agenda and convocation.

A session is drafted by the bureau (dates in the session's time zone, the chair, the
minute-taker and two tellers), then convened: from then on its announced agenda is
frozen (German law: the assembly decides only on items announced in the convocation,
BGB §32(1) sentence 2), the statute profile in force is copied into it, the
convocation PDF is rendered by Celery (`ConvocationPDF`, healed by the sweep like
the reporting PDFs) and one email goes to each coordinator and certified delegate of
every member city (`ConvocationDelivery`, whose state is the outbox's).

Member cities may require an extraordinary assembly (`ExtraordinaryRequest`); the
statute profile says what share of member cities suffices and how long the bureau
then has to convene.

The agenda is in `agenda.py`, the convocation's PDF and deliveries in `convocations.py`.
State changes are governance.services.assemblies; nothing here changes state.
"""

from __future__ import annotations

import uuid
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members.models import City, Coalition


def check_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("Choose a time zone from the list."))


class SessionBody(models.TextChoices):
    GENERAL_ASSEMBLY = "general_assembly", _("General Assembly")
    GENERAL_CONFERENCE = "general_conference", _("General Conference")


class SessionMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    HYBRID = "hybrid", _("Hybrid (in person and online)")
    ONLINE = "online", _("Online")


class SessionStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("assembly session status", "Draft")
    CONVENED = "convened", _("Convened")
    IN_SESSION = "in_session", _("In session")
    CLOSED = "closed", pgettext_lazy("assembly session status", "Closed")


#: Statuses the public sees (a draft is the bureau's own).
PUBLIC_SESSION_STATUSES = (SessionStatus.CONVENED, SessionStatus.IN_SESSION, SessionStatus.CLOSED)


class SessionQuerySet(models.QuerySet):
    def public(self):
        return self.filter(status__in=PUBLIC_SESSION_STATUSES)

    def for_lists(self):
        return self.select_related("coalition", "host_city")


class AssemblySession(models.Model):
    """One General Assembly or General Conference of a coalition."""

    coalition = models.ForeignKey(
        Coalition, verbose_name=_("coalition"), on_delete=models.PROTECT, related_name="sessions"
    )
    body = models.CharField(_("body"), max_length=30, choices=SessionBody.choices)
    extraordinary = models.BooleanField(
        _("extraordinary session"),
        default=False,
        help_text=_("Convened at the request of member cities or of the bureau outside the plan."),
    )
    title = models.CharField(_("title"), max_length=200)
    theme = models.CharField(_("theme"), max_length=300, blank=True)
    host_city = models.ForeignKey(
        City,
        verbose_name=_("host city"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hosted_sessions",
    )
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    mode = models.CharField(
        _("how to take part"),
        max_length=20,
        choices=SessionMode.choices,
        default=SessionMode.IN_PERSON,
    )
    online_join_instructions = models.TextField(
        _("how to join online"),
        blank=True,
        help_text=_("Required for a hybrid or online session: the convocation must say it."),
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Berlin", validators=[check_time_zone]
    )
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chair"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    minute_taker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("minute-taker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    teller_1 = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("first teller"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    teller_2 = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("second teller"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=SessionStatus.choices,
        default=SessionStatus.DRAFT,
        db_index=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    convened_at = models.DateTimeField(_("convened"), null=True, blank=True)
    convened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("convened by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    #: StatuteProfile.snapshot() copied at convening: the session follows it to the end.
    statute_snapshot = models.JSONField(_("statute profile at convening"), null=True, blank=True)
    #: 1, or 2 once the bureau convened the second convocation after the first was not
    #: quorate (a phase of the same session: same agenda, registrations and attendance).
    convocation_number = models.PositiveSmallIntegerField(_("convocation"), default=1)
    second_convened_at = models.DateTimeField(
        _("second convocation convened"), null=True, blank=True
    )
    second_convened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("second convocation convened by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    #: The first convocation's quorum as it failed (quoted in the minutes).
    first_quorum_failure = models.JSONField(
        _("first convocation's quorum"), default=dict, blank=True
    )

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("assembly session")
        verbose_name_plural = _("assembly sessions")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=F("starts_at")), name="session_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(teller_1__isnull=True)
                | Q(teller_2__isnull=True)
                | ~Q(teller_1=F("teller_2")),
                name="session_two_distinct_tellers",
            ),
            models.CheckConstraint(
                condition=Q(mode="in_person") | ~Q(online_join_instructions=""),
                name="session_online_says_how_to_join",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(convened_at__isnull=False),
                name="session_convened_has_date",
            ),
            models.CheckConstraint(
                condition=Q(convocation_number=1, second_convened_at__isnull=True)
                | Q(convocation_number=2, second_convened_at__isnull=False),
                name="session_second_convocation_has_date",
            ),
        ]
        indexes = [models.Index(fields=["coalition", "status", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.coalition})"

    def get_absolute_url(self) -> str:
        return reverse("governance:session_detail", kwargs={"pk": self.pk})

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def local_starts_at(self):
        return timezone.localtime(self.starts_at, self.zone)

    @property
    def local_ends_at(self):
        return timezone.localtime(self.ends_at, self.zone)

    @property
    def is_draft(self) -> bool:
        return self.status == SessionStatus.DRAFT

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_SESSION_STATUSES

    @property
    def tellers(self) -> list:
        return [t for t in (self.teller_1, self.teller_2) if t is not None]


# Here, not in agenda.py: migration 0010 names it at this path.
def agenda_document_upload_to(instance, filename: str) -> str:
    return f"governance/agenda/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.pdf"


class ExtraordinaryRequest(models.Model):
    """A member city requires an extraordinary assembly (BGB §37: a share of the members).

    Open until the bureau convenes an extraordinary General Assembly (which answers every
    open request of the coalition); one open request per city and coalition.
    """

    coalition = models.ForeignKey(
        Coalition, verbose_name=_("coalition"), on_delete=models.PROTECT, related_name="+"
    )
    city = models.ForeignKey(
        City, verbose_name=_("city"), on_delete=models.PROTECT, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("purpose and reasons"))
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    #: When the open requests reached the statute's share, and the day the bureau must convene by.
    threshold_reached_at = models.DateTimeField(null=True, blank=True)
    convene_by = models.DateField(_("to be convened by"), null=True, blank=True)
    answered_by_session = models.ForeignKey(
        AssemblySession, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("request for an extraordinary assembly")
        verbose_name_plural = _("requests for an extraordinary assembly")
        ordering = ["coalition", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["coalition", "city"],
                condition=Q(closed_at__isnull=True),
                name="extraordinary_request_one_open_per_city",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.city} → {self.coalition}"
