"""The PDF job rows: a report's PDFs per variant and language (each records the version it was
rendered from), and a cycle's consolidated evaluation.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from coalition.files import private_storage
from coalition.models import JobRow
from reporting.models.cycles import ReportingCycle
from reporting.models.reports import Report


class PDFStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RENDERING = "rendering", _("Rendering")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class PDFVariant(models.TextChoices):
    """Who a report PDF is for. A PDF holds only the sections its readers may see.

    full: every section (secretariat-only ones included) — the city itself,
      the secretariat and administrators.
    coalition: public and coalition sections — bureau and steering committee.
    public: public sections only (scores if the city agreed) — anyone, once published.
    The released evaluation is printed in each variant, for the sections it holds.
    """

    FULL = "full", _("Complete (city and secretariat)")
    COALITION = "coalition", _("Coalition (bureau and committee)")
    PUBLIC = "public", _("Public")


class PDFJob(JobRow):
    """A report's or cycle's PDF job: the shared job row (coalition.models.JobRow)."""

    class Meta:
        abstract = True


class ReportPDF(PDFJob):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="pdfs")
    variant = models.CharField(max_length=12, choices=PDFVariant.choices)
    #: The reader's language: the portal's words in it, the city's text as written.
    language = models.CharField(
        max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    status = models.CharField(max_length=12, choices=PDFStatus.choices, default=PDFStatus.QUEUED)
    error = models.TextField(blank=True)
    file = models.FileField(storage=private_storage, upload_to="reporting/pdf/", blank=True)
    rendered_version = models.PositiveIntegerField(null=True, blank=True)
    rendered_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("report PDF")
        verbose_name_plural = _("report PDFs")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "variant", "language"], name="report_pdf_per_variant_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.report} ({self.variant}, {self.language}, {self.status})"

    @property
    def is_current(self) -> bool:
        return self.status == PDFStatus.READY and self.rendered_version == self.report.version


class CyclePDF(PDFJob):
    """The consolidated evaluation of a cycle, for the secretariat and the committee."""

    cycle = models.OneToOneField(ReportingCycle, on_delete=models.CASCADE, related_name="pdf")
    status = models.CharField(max_length=12, choices=PDFStatus.choices, default=PDFStatus.QUEUED)
    error = models.TextField(blank=True)
    file = models.FileField(storage=private_storage, upload_to="reporting/pdf/", blank=True)
    #: A fingerprint of the released evaluations it was drawn from.
    rendered_key = models.CharField(max_length=64, blank=True)
    rendered_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("cycle evaluation PDF")
        verbose_name_plural = _("cycle evaluation PDFs")

    def __str__(self) -> str:
        return f"{self.cycle} ({self.status})"
