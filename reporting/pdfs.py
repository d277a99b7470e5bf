"""Report and cycle PDFs: what each variant holds, and the idempotent render steps.

Variants (see PDFVariant): `full` for the city, the secretariat and
administrators (every section); `coalition` for bureau staff and the steering
committee (public and coalition sections); `public` for everyone once the city
has published (public sections; the scores only if the city agreed). The
evaluation is printed only once released. The consolidated cycle evaluation
holds figures and scores, never section text.
"""

from __future__ import annotations

import hashlib
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from coalition.pdf import PDF_BASE_URL, render_pdf
from reporting import selectors
from reporting.access import (
    ALL_VISIBILITIES,
    COALITION_VISIBILITIES,
    EVALUATION_FULL,
    EVALUATION_SCORES,
    PUBLIC_VISIBILITIES,
)
from reporting.models import (
    HANDED_IN_STATUSES,
    RELEASED_STATUSES,
    CyclePDF,
    PDFStatus,
    PDFVariant,
    Report,
    ReportingCycle,
    ReportPDF,
    ReportStatus,
)

logger = logging.getLogger(__name__)

VARIANT_VISIBILITIES = {
    PDFVariant.FULL: ALL_VISIBILITIES,
    PDFVariant.COALITION: COALITION_VISIBILITIES,
    PDFVariant.PUBLIC: PUBLIC_VISIBILITIES,
}


def variants_for(report: Report) -> list[str]:
    """The PDFs a report has at its current status."""
    if report.status not in HANDED_IN_STATUSES:
        return []
    variants = [PDFVariant.FULL, PDFVariant.COALITION]
    if report.status == ReportStatus.PUBLISHED:
        variants.append(PDFVariant.PUBLIC)
    return variants


def evaluation_mode(report: Report, variant: str) -> str | None:
    if report.status not in RELEASED_STATUSES:
        return None
    if variant == PDFVariant.PUBLIC:
        return EVALUATION_SCORES if report.publish_scores else None
    return EVALUATION_FULL


def report_context(report: Report, variant: str) -> dict:
    visibilities = VARIANT_VISIBILITIES[variant]
    sections = selectors.sections_for(report, visibilities)
    shown = {s.commitment_id for s in sections}
    omitted = [c for c in selectors.commitments_of(report.cycle) if c.pk not in shown]
    mode = evaluation_mode(report, variant)
    evaluation = selectors.evaluation_for(report) if mode == EVALUATION_FULL else None
    comparison = None
    if mode:
        comparison, _trend = selectors.city_charts(
            report, public=True, own_released=mode == EVALUATION_FULL
        )
    return {
        "report": report,
        "variant": variant,
        "variant_label": PDFVariant(variant).label,
        "sections": sections,
        "omitted": omitted,
        "evaluation_mode": mode,
        "evaluation": evaluation,
        "rubric": {level.score: level for level in selectors.rubric()},
        "chosen_actions": selectors.chosen_actions_for(report),
        "comparison": comparison,
        "static_base": f"{PDF_BASE_URL}static/",
        "generated_at": timezone.now(),
    }


def report_html(report: Report, variant: str) -> str:
    return render_to_string("reporting/pdf/report.html", report_context(report, variant))


def render_report_bytes(report: Report, variant: str) -> bytes:
    return render_pdf(report_html(report, variant))


def mark_queued(report: Report) -> None:
    """Show the PDFs as queued (called in the transaction that changed the report)."""
    for variant in variants_for(report):
        ReportPDF.objects.update_or_create(
            report=report,
            variant=variant,
            defaults={"status": PDFStatus.QUEUED, "error": ""},
        )


def render_report_pdfs(report_pk: int) -> dict[str, str]:
    """Render every PDF the report needs that is not already current. Idempotent.

    Returns {variant: "ready" | "skipped" | "failed"}. A failure is recorded on the
    ReportPDF (shown to staff with a retry button) and does not stop the others.
    """
    report = Report.objects.with_context().filter(pk=report_pk).first()
    if report is None:
        return {}
    outcome: dict[str, str] = {}
    for variant in variants_for(report):
        pdf, _created = ReportPDF.objects.get_or_create(report=report, variant=variant)
        if pdf.status == PDFStatus.READY and pdf.rendered_version == report.version and pdf.file:
            outcome[variant] = "skipped"
            continue
        version = report.version
        ReportPDF.objects.filter(pk=pdf.pk).update(status=PDFStatus.RENDERING, error="")
        try:
            with translation.override(translation.get_language() or "en"):
                data = render_report_bytes(report, variant)
        except Exception as exc:
            logger.exception("PDF rendering failed for report %s (%s)", report_pk, variant)
            ReportPDF.objects.filter(pk=pdf.pk).update(
                status=PDFStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000]
            )
            outcome[variant] = "failed"
            continue
        _store(pdf, data, f"report-{report.pk}-{variant}-v{version}.pdf")
        with transaction.atomic():
            current = ReportPDF.objects.select_for_update().get(pk=pdf.pk)
            old_name = current.file.name if current.file else ""
            current.file.name = pdf.file.name
            current.status = PDFStatus.READY
            current.rendered_version = version
            current.rendered_at = timezone.now()
            current.error = ""
            current.save(
                update_fields=["file", "status", "rendered_version", "rendered_at", "error"]
            )
        if old_name and old_name != pdf.file.name:
            pdf.file.storage.delete(old_name)
        outcome[variant] = "ready"
    return outcome


def _store(pdf, data: bytes, name: str) -> None:
    storage = pdf.file.storage
    pdf.file.name = storage.save(f"reporting/pdf/{name}", ContentFile(data))


def current_pdf(report: Report, variant: str) -> ReportPDF | None:
    return ReportPDF.objects.filter(report=report, variant=variant).first()


# --- The consolidated evaluation of a cycle ---------------------------------


def cycle_key(cycle: ReportingCycle) -> str:
    rows = cycle.reports.order_by("pk").values_list("pk", "version", "status")
    digest = hashlib.sha256(repr(list(rows)).encode()).hexdigest()
    return digest


def cycle_context(cycle: ReportingCycle) -> dict:
    commitments = selectors.commitments_of(cycle)
    averages = selectors.commitment_averages(cycle)
    rows = selectors.city_score_table(cycle)
    return {
        "cycle": cycle,
        "counts": selectors.cycle_counts(cycle),
        "commitments": commitments,
        "averages": averages,
        "average_list": [averages.get(c.number) for c in commitments],
        "rows": [
            {**row, "score_list": [row["scores"].get(c.number) for c in commitments]}
            for row in rows
        ],
        "chart": selectors.averages_chart(cycle, commitments=commitments, averages=averages),
        "rubric": selectors.rubric(),
        "generated_at": timezone.now(),
    }


def cycle_html(cycle: ReportingCycle) -> str:
    return render_to_string("reporting/pdf/cycle.html", cycle_context(cycle))


def render_cycle_pdf(cycle_pk: int) -> str:
    cycle = ReportingCycle.objects.select_related("coalition", "plan").filter(pk=cycle_pk).first()
    if cycle is None:
        return "missing"
    pdf, _created = CyclePDF.objects.get_or_create(cycle=cycle)
    key = cycle_key(cycle)
    if pdf.status == PDFStatus.READY and pdf.rendered_key == key and pdf.file:
        return "skipped"
    CyclePDF.objects.filter(pk=pdf.pk).update(status=PDFStatus.RENDERING, error="")
    try:
        data = render_pdf(cycle_html(cycle))
    except Exception as exc:
        logger.exception("PDF rendering failed for cycle %s", cycle_pk)
        CyclePDF.objects.filter(pk=pdf.pk).update(
            status=PDFStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        return "failed"
    old_name = pdf.file.name if pdf.file else ""
    _store(pdf, data, f"cycle-{cycle.pk}-evaluation.pdf")
    CyclePDF.objects.filter(pk=pdf.pk).update(
        file=pdf.file.name,
        status=PDFStatus.READY,
        rendered_key=key,
        rendered_at=timezone.now(),
        error="",
    )
    if old_name and old_name != pdf.file.name:
        pdf.file.storage.delete(old_name)
    return "ready"
