"""Applications of cities to join a coalition, with the mayor's letter and the proposed actions."""

from __future__ import annotations

import re
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from coalition.files import private_storage
from members.fields import latitude_field, longitude_field
from members.models import City, Coalition, Commitment, Membership, PlanOfAction, search_key


def letter_upload_to(instance, filename: str) -> str:
    # The stored name never carries the uploader's file name (it is kept apart).
    return f"governance/letters/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.pdf"


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted, waiting for the bureau")
    RETURNED = "returned", _("Returned: more information requested")
    RESUBMITTED = "resubmitted", _("Resubmitted, waiting for the bureau")
    UNDER_VOTE = "under_vote", _("Under the steering committee's vote")
    ADMITTED = "admitted", _("Admitted")
    REJECTED = "rejected", _("Not admitted")
    WITHDRAWN = "withdrawn", _("Withdrawn by the applicant")


#: Statuses of an application still in progress.
OPEN_APPLICATION_STATUSES = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.RETURNED,
    ApplicationStatus.RESUBMITTED,
    ApplicationStatus.UNDER_VOTE,
)
#: Statuses in which the bureau has the next step.
WAITING_FOR_BUREAU = (ApplicationStatus.SUBMITTED, ApplicationStatus.RESUBMITTED)


_SPACES_AND_DASHES = re.compile(r"[\s\-\u2010-\u2015\u2212_]+")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u02bc": "'", "`": "'"})
CITY_KEY_LENGTH = 255


def city_name_key(name: str) -> str:
    """A new city's name as compared between applications: 'Saint–Étienne' -> 'saint etienne'.

    Case-folded, accents removed (NFKD, combining marks dropped), every run of
    spaces, hyphens and dashes made one space, apostrophes made one kind.
    """
    folded = search_key(name).translate(_APOSTROPHES)
    return _SPACES_AND_DASHES.sub(" ", folded).strip()[:CITY_KEY_LENGTH]


class ApplicationQuerySet(models.QuerySet):
    def waiting_for_bureau(self):
        return self.filter(status__in=WAITING_FOR_BUREAU)

    def in_progress(self):
        return self.filter(status__in=OPEN_APPLICATION_STATUSES)

    def for_lists(self):
        return self.select_related("coalition", "city", "applicant")


class AdmissionApplication(models.Model):
    """A city's application to join a coalition: the act of accession put to the committee."""

    coalition = models.ForeignKey(
        Coalition,
        verbose_name=_("coalition"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant"),
        on_delete=models.PROTECT,
        related_name="admission_applications",
    )
    # Either an existing city record, or the fields of a new one (created on admission).
    city = models.ForeignKey(
        City,
        verbose_name=_("city"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    city_name = models.CharField(_("city name"), max_length=200, blank=True)
    city_local_name = models.CharField(_("name in the local language"), max_length=200, blank=True)
    country = CountryField(_("country"), blank=True)
    region = models.CharField(_("region or state"), max_length=200, blank=True)
    # city_name_key(city_name) for a new city, empty for a listed one: one application in
    # progress per new city, whatever its spelling (set by the services; see Meta).
    city_key = models.CharField(max_length=CITY_KEY_LENGTH, blank=True, editable=False)
    latitude = latitude_field()
    longitude = longitude_field()

    contact_name = models.CharField(_("contact person"), max_length=200)
    contact_position = models.CharField(_("position"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact email"))
    contact_phone = models.CharField(_("contact telephone"), max_length=50, blank=True)
    focal_point_name = models.CharField(_("focal point (city coordinator)"), max_length=200)
    focal_point_email = models.EmailField(_("focal point email"))

    letter = models.FileField(
        _("signed letter of commitment"),
        storage=private_storage,
        upload_to=letter_upload_to,
        max_length=255,
    )
    letter_filename = models.CharField(_("letter file name"), max_length=255)
    letter_size = models.PositiveIntegerField(_("letter size (bytes)"), default=0)
    letter_signed_on = models.DateField(_("date the mayor signed"))

    plan = models.ForeignKey(
        PlanOfAction,
        verbose_name=_("plan of action"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
        db_index=True,
    )
    bureau_message = models.TextField(
        _("information requested by the bureau"),
        blank=True,
        help_text=_("The latest request for more information, shown to the applicant."),
    )
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    membership = models.ForeignKey(
        Membership,
        verbose_name=_("membership created"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("admission application")
        verbose_name_plural = _("admission applications")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(city__isnull=False) | (~Q(city_name="") & ~Q(country="")),
                name="application_names_existing_or_new_city",
            ),
            models.UniqueConstraint(
                fields=["city", "coalition"],
                condition=Q(status__in=["submitted", "returned", "resubmitted", "under_vote"]),
                name="application_one_open_per_city_and_coalition",
            ),
            models.UniqueConstraint(
                fields=["coalition", "country", "city_key"],
                condition=Q(
                    city__isnull=True,
                    status__in=["submitted", "returned", "resubmitted", "under_vote"],
                ),
                name="application_one_open_per_new_city_and_coalition",
            ),
        ]
        indexes = [models.Index(fields=["coalition", "status"])]

    def __str__(self) -> str:
        return f"{self.city_display} → {self.coalition}"

    def get_absolute_url(self) -> str:
        return reverse("governance:application_detail", kwargs={"pk": self.pk})

    @property
    def city_display(self) -> str:
        return self.city.name if self.city is not None else self.city_name

    @property
    def country_display(self) -> str:
        country = self.city.country if self.city is not None else self.country
        return str(country.name)  # type: ignore[attr-defined]  # a Country: django-countries has no stubs

    @property
    def is_new_city(self) -> bool:
        return self.city_id is None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_APPLICATION_STATUSES

    @property
    def status_badge(self) -> str:
        badges: dict[str, str] = {
            ApplicationStatus.ADMITTED: "ok",
            ApplicationStatus.REJECTED: "error",
            ApplicationStatus.RETURNED: "warn",
            ApplicationStatus.WITHDRAWN: "",
        }
        return badges.get(self.status, "info")

    def actions_by_commitment(self) -> list[tuple[Commitment, list[str]]]:
        """[(commitment, [action texts])] in the plan's order; uses prefetched rows when present."""
        grouped: dict[int, list[str]] = {}
        for action in self.proposed_actions.all():
            grouped.setdefault(action.commitment_id, []).append(action.description)
        return [(c, grouped.get(c.pk, [])) for c in self.plan.commitments.all()]


class ProposedAction(models.Model):
    """An action the city undertakes under one commitment of the plan (the act of accession)."""

    application = models.ForeignKey(
        AdmissionApplication, on_delete=models.CASCADE, related_name="proposed_actions"
    )
    commitment = models.ForeignKey(Commitment, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)
    description = models.TextField(_("action"))

    class Meta:
        verbose_name = _("proposed action")
        verbose_name_plural = _("proposed actions")
        ordering = ["commitment__number", "position", "id"]

    def __str__(self) -> str:
        return self.description[:80]


class LetterUpload(models.Model):
    """A valid letter received with a form that failed on other fields.

    Kept server-side so the person does not have to upload it again; the next
    successful submission takes the file over and deletes this row.
    """

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    file = models.FileField(storage=private_storage, upload_to=letter_upload_to, max_length=255)
    original_name = models.CharField(max_length=255)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("letter kept from an unfinished form")
        verbose_name_plural = _("letters kept from unfinished forms")

    def __str__(self) -> str:
        return self.original_name
