"""Motions to an assembly session, their versioned texts, amendments and the declaration PDF.

A motion is attached to an agenda item of a session. Its text is a list of numbered
lines, frozen in a `MotionVersion` with the SHA-256 of its canonical form
(governance.motion_text): version 1 as submitted, one more for each adopted amendment
(the merge). An amendment targets a line range of one version. Translations are
versions too, marked `is_authoritative=False` and pointing to the text they translate.
A General Conference's adopted declaration is published with a PDF (`DeclarationPDF`,
a job row like the convocation's). ADR 0009.

State changes are governance.services.motions; nothing here changes state.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coalition.models import JobRow
from governance.models.admissions import private_storage
from governance.models.agenda import AgendaItem
from governance.models.assemblies import AssemblySession
from members.models import City


class MotionKind(models.TextChoices):
    RESOLUTION = "resolution", _("Resolution")
    DECLARATION = "declaration", _("Declaration")
    STATUTE_CHANGE = "statute_change", _("Change of the statute")
    BUDGET = "budget", _("Budget")
    OTHER = "other", _("Other")


class Submitter(models.TextChoices):
    CITY = "city", _("A member city")
    COMMITTEE = "committee", _("The steering committee")
    BUREAU = "bureau", _("The bureau")


class MotionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ADOPTED = "adopted", _("Adopted")
    REJECTED = "rejected", _("Rejected")


class Section(models.TextChoices):
    """Where a line sits: a plain text has one body; a declaration a preamble and clauses."""

    BODY = "body", _("Text")
    PREAMBLE = "preamble", _("Preamble")
    OPERATIVE = "operative", _("Operative clauses")


class Motion(models.Model):
    session = models.ForeignKey(
        AssemblySession, verbose_name=_("session"), on_delete=models.PROTECT, related_name="motions"
    )
    item = models.ForeignKey(
        AgendaItem, verbose_name=_("agenda item"), on_delete=models.PROTECT, related_name="motions"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MotionKind.choices)
    title = models.CharField(_("title"), max_length=300)
    submitter = models.CharField(_("submitted by"), max_length=20, choices=Submitter.choices)
    city = models.ForeignKey(
        City,
        verbose_name=_("city"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person submitting"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    #: The language of the authoritative text (an IETF tag, as settings.LANGUAGES).
    language = models.CharField(_("language of the text"), max_length=10)
    status = models.CharField(
        _("status"), max_length=20, choices=MotionStatus.choices, default=MotionStatus.SUBMITTED
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    #: What the polls give: the poll's reference, quoted in the minutes.
    result_ref = models.CharField(_("result"), max_length=200, blank=True)
    adopted_version = models.ForeignKey(
        "MotionVersion",
        verbose_name=_("adopted text"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    adopted_sha256 = models.CharField(_("SHA-256 of the adopted text"), max_length=64, blank=True)
    #: A published declaration's public address: /declarations/<slug>/.
    slug = models.SlugField(_("address"), max_length=120, null=True, blank=True, unique=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        verbose_name = _("motion")
        verbose_name_plural = _("motions")
        ordering = ["session", "item__position", "submitted_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(submitter="city", city__isnull=False)
                | (~Q(submitter="city") & Q(city__isnull=True)),
                name="motion_city_submits_with_city",
            ),
            models.CheckConstraint(
                condition=(Q(status="adopted") & ~Q(adopted_sha256=""))
                | (~Q(status="adopted") & Q(adopted_sha256="")),
                name="motion_adopted_has_hash",
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | Q(status="adopted", slug__isnull=False),
                name="motion_published_when_adopted",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:motion_detail", kwargs={"pk": self.pk})

    @property
    def submitter_label(self) -> str:
        if self.submitter == Submitter.CITY and self.city is not None:
            return self.city.name
        return str(Submitter(self.submitter).label)

    @property
    def is_declaration(self) -> bool:
        return self.kind == MotionKind.DECLARATION

    @property
    def is_open(self) -> bool:
        return self.status == MotionStatus.SUBMITTED


class MotionVersion(models.Model):
    """One frozen text of a motion: numbered lines, hashed; never changed once written."""

    motion = models.ForeignKey(Motion, on_delete=models.CASCADE, related_name="versions")
    #: 1 as submitted, +1 per adopted amendment; a translation carries its original's number.
    number = models.PositiveSmallIntegerField(_("version"))
    language = models.CharField(_("language"), max_length=10)
    is_authoritative = models.BooleanField(_("authoritative text"), default=True)
    translation_of = models.ForeignKey(
        "self",
        verbose_name=_("translation of"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="translations",
    )
    #: [{"section": "body"|"preamble"|"operative", "text": "..."}, ...]: line n is lines[n-1].
    lines = models.JSONField(_("lines"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    #: The amendment whose adoption produced this version (None: as submitted, or a translation).
    amendment = models.ForeignKey(
        "Amendment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("motion text")
        verbose_name_plural = _("motion texts")
        ordering = ["motion", "number", "-is_authoritative", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["motion", "number", "language"], name="motion_version_once_per_language"
            ),
            models.UniqueConstraint(
                fields=["motion", "number"],
                condition=Q(is_authoritative=True),
                name="motion_version_one_authoritative",
            ),
            models.CheckConstraint(
                condition=Q(is_authoritative=True, translation_of__isnull=True)
                | Q(is_authoritative=False, translation_of__isnull=False),
                name="motion_translation_names_original",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.motion} v{self.number} ({self.language})"


class AmendmentOperation(models.TextChoices):
    DELETE = "delete", _("Delete the lines")
    REPLACE = "replace", _("Replace the lines")
    INSERT_AFTER = "insert_after", _("Insert after the line")


class AmendmentStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", pgettext_lazy("amendment status", "Withdrawn")
    ADOPTED = "adopted", pgettext_lazy("amendment status", "Adopted")
    REJECTED = "rejected", pgettext_lazy("amendment status", "Rejected")
    FALLEN = "fallen", _("Fallen (moot after an adopted amendment)")


class Recommendation(models.TextChoices):
    ADOPT = "adopt", _("Adopt")
    REJECT = "reject", _("Reject")
    ADOPT_MODIFIED = "adopt_modified", _("Adopt as modified")


class RecommendationResponse(models.TextChoices):
    PENDING = "pending", _("Awaiting the submitter's answer")
    ACCEPTED = "accepted", _("Accepted by the submitter")
    DECLINED = "declined", _("Declined by the submitter")


class Amendment(models.Model):
    """A member city's change to a line range of one version of a motion."""

    motion = models.ForeignKey(Motion, on_delete=models.CASCADE, related_name="amendments")
    version = models.ForeignKey(
        MotionVersion, verbose_name=_("text amended"), on_delete=models.PROTECT, related_name="+"
    )
    city = models.ForeignKey(
        City, verbose_name=_("city"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    operation = models.CharField(_("change"), max_length=20, choices=AmendmentOperation.choices)
    #: Lines first..last of the version; for an insertion both are the line it follows (0: start).
    first_line = models.PositiveIntegerField(_("from line"))
    last_line = models.PositiveIntegerField(_("to line"))
    new_text = models.JSONField(_("new text"), default=list, blank=True)
    justification = models.TextField(_("justification"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AmendmentStatus.choices,
        default=AmendmentStatus.SUBMITTED,
    )
    recommendation = models.CharField(
        _("recommendation"), max_length=20, choices=Recommendation.choices, blank=True
    )
    recommended_text = models.JSONField(_("text recommended"), default=list, blank=True)
    recommendation_note = models.TextField(_("reasons of the recommendation"), blank=True)
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recommended_as = models.CharField(_("recommended by"), max_length=20, blank=True)
    recommended_at = models.DateTimeField(null=True, blank=True)
    response = models.CharField(
        _("submitter's answer"),
        max_length=20,
        choices=RecommendationResponse.choices,
        blank=True,
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    result_ref = models.CharField(_("result"), max_length=200, blank=True)
    #: The adopted amendment that made this one moot.
    fallen_because = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        ordering = ["motion", "first_line", "submitted_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_line__gte=F("first_line")), name="amendment_range_ordered"
            ),
            models.CheckConstraint(
                condition=~Q(operation="insert_after") | Q(last_line=F("first_line")),
                name="amendment_insert_after_one_line",
            ),
            models.CheckConstraint(
                condition=Q(operation="insert_after") | Q(first_line__gte=1),
                name="amendment_range_starts_at_one",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.motion}: {self.get_operation_display()} {self.range_label}"

    def get_absolute_url(self) -> str:
        return f"{self.motion.get_absolute_url()}#amendment-{self.pk}"

    @property
    def range_label(self) -> str:
        if self.operation == AmendmentOperation.INSERT_AFTER:
            if self.first_line == 0:
                return str(_("before line 1"))
            return str(_("after line %(n)s") % {"n": self.first_line})
        if self.first_line == self.last_line:
            return str(_("line %(n)s") % {"n": self.first_line})
        return str(_("lines %(a)s-%(b)s") % {"a": self.first_line, "b": self.last_line})

    @property
    def summary(self) -> str:
        """ "Replacement of lines 4-5", "Deletion of line 2", "Insertion after line 3"."""
        a, b = self.first_line, self.last_line
        if self.operation == AmendmentOperation.INSERT_AFTER:
            if a == 0:
                return str(_("Insertion before line 1"))
            return str(_("Insertion after line %(n)s") % {"n": a})
        if self.operation == AmendmentOperation.DELETE:
            if a == b:
                return str(_("Deletion of line %(n)s") % {"n": a})
            return str(_("Deletion of lines %(a)s-%(b)s") % {"a": a, "b": b})
        if a == b:
            return str(_("Replacement of line %(n)s") % {"n": a})
        return str(_("Replacement of lines %(a)s-%(b)s") % {"a": a, "b": b})

    @property
    def is_open(self) -> bool:
        return self.status == AmendmentStatus.SUBMITTED

    @property
    def text_put_to_vote(self) -> list[str]:
        """The submitter's text, or the committee's modified one once the submitter accepted."""
        if (
            self.recommendation == Recommendation.ADOPT_MODIFIED
            and self.response == RecommendationResponse.ACCEPTED
        ):
            return list(self.recommended_text)
        return list(self.new_text)


class DeclarationPDF(JobRow):
    """A published declaration's PDF: the row is the job, as the convocation's."""

    motion = models.OneToOneField(Motion, on_delete=models.CASCADE, related_name="pdf")
    status = models.CharField(max_length=12, default="queued")
    error = models.TextField(blank=True)
    file = models.FileField(
        storage=private_storage, upload_to="governance/declarations/", blank=True
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    rendered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("declaration PDF")
        verbose_name_plural = _("declaration PDFs")

    def __str__(self) -> str:
        return f"{self.motion} ({self.status})"

    @property
    def is_ready(self) -> bool:
        return self.status == "ready" and bool(self.file)
