"""The minutes of an assembly session: a record generated from the session's stored data, the
minute-taker's narrative beside it, approval (at the next assembly or by circulation) and
publication with a PDF. ADR 0017 (assembly minutes).

- `Minutes` (one per session) keeps the generated part as a frozen JSON `record` (with its
  SHA-256) and the narrative apart from it (`narrative` per agenda item, `remarks`), so that
  generating again while a draft replaces the record and keeps every word of the narrative.
- Circulation opens a window (dates in the session's time zone) in which only the cities that
  attended the session may object (`MinutesObjection`, one per city and round); the bureau
  amends and circulates again (a new round) or, once the window has ended with no objection,
  the minutes are approved.
- The narrative and remarks are translated content (django-modeltranslation, ADR 0014):
  `source_language` is the language the minute-taker wrote in, authoritative; the others are
  translations, added at any time, which never change what was approved (`text_sha256`, the
  hash of the record and the authoritative text, is set at approval).
- `MinutesPDF` is the published minutes' PDF, one per language (the authoritative one, and one
  per language with a translation): a job row like the convocation's.

State changes are governance.services.minutes; nothing here changes state.
"""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coalition.models import JobRow
from coalition.translated import source_language_field
from governance.models.admissions import private_storage
from governance.models.agenda import AgendaItem
from governance.models.assemblies import AssemblySession
from members.models import City


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CIRCULATED = "circulated", _("Circulated for objections")
    BEFORE_ASSEMBLY = "before_assembly", _("Put to the next assembly")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")


class ApprovalRoute(models.TextChoices):
    ASSEMBLY = "assembly", _("By the assembly")
    CIRCULATION = "circulation", _("By circulation, no objection raised")


#: Statuses in which the minutes' text may no longer change.
FINAL_STATUSES = (MinutesStatus.APPROVED, MinutesStatus.PUBLISHED)


class Minutes(models.Model):
    session = models.OneToOneField(
        AssemblySession, verbose_name=_("session"), on_delete=models.PROTECT, related_name="minutes"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT
    )
    #: The generated part (governance.minutes_record.build_record), replaced on each generation.
    record = models.JSONField(_("generated record"), default=dict)
    record_sha256 = models.CharField(_("SHA-256 of the record"), max_length=64, blank=True)
    generated_at = models.DateTimeField(_("generated"), default=timezone.now)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: The minute-taker's narrative per agenda item: {"<item pk>": "text"}; translated
    #: (governance/translation.py): `narrative_<language>`, `remarks_<language>`.
    narrative = models.JSONField(_("narrative"), default=dict, blank=True)
    remarks = models.TextField(_("general remarks"), blank=True, max_length=20000)
    #: The language the minute-taker wrote the narrative in: authoritative (ADR 0014).
    source_language = source_language_field()
    #: At approval: SHA-256 of the record's hash with the authoritative narrative and remarks.
    text_sha256 = models.CharField(_("SHA-256 of the approved text"), max_length=64, blank=True)
    edited_at = models.DateTimeField(_("last edited"), null=True, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: How many times the minutes were circulated (each circulation is a round of objections).
    round = models.PositiveSmallIntegerField(_("circulation round"), default=0)
    circulated_at = models.DateTimeField(_("circulated"), null=True, blank=True)
    objections_from = models.DateField(_("objections from"), null=True, blank=True)
    objections_until = models.DateField(_("objections until"), null=True, blank=True)
    #: The "approval of the minutes" item of a later session that puts them to the vote.
    approval_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("approval item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="minutes_approved",
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approval_route = models.CharField(
        _("approved how"), max_length=20, choices=ApprovalRoute.choices, blank=True
    )
    #: What approved them: the poll and its arithmetic, or the window that passed.
    approval_ref = models.CharField(_("approval"), max_length=300, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "published"])
                | (Q(approved_at__isnull=False) & ~Q(approval_route="")),
                name="minutes_approved_says_how",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="minutes_published_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="circulated")
                | Q(objections_from__isnull=False, objections_until__isnull=False),
                name="minutes_circulated_has_window",
            ),
            models.CheckConstraint(
                condition=Q(objections_until__isnull=True)
                | Q(objections_until__gte=models.F("objections_from")),
                name="minutes_window_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Minutes of %(session)s") % {"session": self.session})

    def get_absolute_url(self) -> str:
        return reverse("governance:minutes_public", kwargs={"pk": self.session_id})

    @property
    def is_draft(self) -> bool:
        return self.status == MinutesStatus.DRAFT

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES

    @property
    def is_published(self) -> bool:
        return self.status == MinutesStatus.PUBLISHED

    def narrative_in(self, language: str) -> dict[str, str]:
        """The narrative written in `language` (its own column, no fallback)."""
        return dict(getattr(self, f"narrative_{language}", None) or {})

    def remarks_in(self, language: str) -> str:
        return str(getattr(self, f"remarks_{language}", None) or "")

    def has_text_in(self, language: str) -> bool:
        return any(self.narrative_in(language).values()) or bool(self.remarks_in(language))

    def narrative_for(self, item_id: int, language: str | None = None) -> str:
        """One item's text in `language` (the authoritative one by default), no fallback."""
        return str(self.narrative_in(language or self.source_language).get(str(item_id), ""))

    def authoritative_sha256(self) -> str:
        """What approval covers: the record's hash and the narrative in the source language."""
        text = {
            "record_sha256": self.record_sha256,
            "language": self.source_language,
            "narrative": self.narrative_in(self.source_language),
            "remarks": self.remarks_in(self.source_language),
        }
        canonical = json.dumps(text, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()

    @property
    def pdf(self) -> MinutesPDF | None:
        """The authoritative version's PDF (the one in the source language)."""
        return next((p for p in self.pdfs.all() if p.language == self.source_language), None)


class MinutesObjection(models.Model):
    """An attending city's objection to the circulated minutes, with its reason."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="objections")
    round = models.PositiveSmallIntegerField(_("circulation round"))
    city = models.ForeignKey(
        City, verbose_name=_("city"), on_delete=models.PROTECT, related_name="+"
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("reason"), max_length=5000)
    filed_at = models.DateTimeField(_("filed"), default=timezone.now)
    #: The bureau's answer when it amended the draft and circulated it again.
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answer = models.TextField(_("the bureau's answer"), blank=True, max_length=5000)

    class Meta:
        verbose_name = _("objection to the minutes")
        verbose_name_plural = _("objections to the minutes")
        ordering = ["minutes", "round", "filed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["minutes", "round", "city"], name="minutes_objection_once_per_round"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="minutes_objection_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.city} ({self.minutes_id}, round {self.round})"


class MinutesPDF(JobRow):
    """The published minutes' PDF in one language: the row is the job, as the convocation's.

    One in the authoritative language ("Authoritative version") and one per language with a
    translation ("Translation"), as a report's PDF is one per language (ReportPDF.language).
    """

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="pdfs")
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    status = models.CharField(max_length=12, default="queued")
    error = models.TextField(blank=True)
    file = models.FileField(storage=private_storage, upload_to="governance/minutes/", blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    rendered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("minutes PDF")
        verbose_name_plural = _("minutes PDFs")
        ordering = ["minutes", "language"]
        constraints = [
            models.UniqueConstraint(fields=["minutes", "language"], name="minutes_pdf_per_language")
        ]

    def __str__(self) -> str:
        return f"{self.minutes} ({self.language}, {self.status})"

    @property
    def is_authoritative(self) -> bool:
        return self.language == self.minutes.source_language

    @property
    def is_ready(self) -> bool:
        return self.status == "ready" and bool(self.file)
