"""Reading a report (what each reader may see), its attachments and its PDF."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coalition.files import private_file_response
from reporting import pdfs, selectors, services
from reporting.access import EVALUATION_FULL, get_report_for_user
from reporting.models import STATUS_STEPS, PDFStatus, SectionAttachment


def report_detail(request, pk: int):
    """The report as this reader may see it: 404 for those who may see nothing of it."""
    report = get_report_for_user(request.user, pk)
    access = report.access
    sections = selectors.sections_for(report, access.visibilities)
    evaluation = selectors.evaluation_for(report) if access.evaluation == EVALUATION_FULL else None
    comparison = trend = None
    if access.evaluation and (report.is_released or access.evaluate):
        # Whoever reads the report, its coalition figures are the published ones.
        comparison, trend = selectors.city_charts(
            report, public=True, own_released=access.evaluation == EVALUATION_FULL
        )
    pdf = None
    if access.pdf_variant:
        pdf = pdfs.current_pdf(report, access.pdf_variant)  # in the reader's language
    return render(
        request,
        "reporting/report_detail.html",
        {
            "report": report,
            "access": access,
            "sections": sections,
            "hidden_count": report.sections.count() - len(sections),
            "evaluation": evaluation,
            "rubric": {level.score: level for level in selectors.rubric()},
            "chosen_actions": selectors.chosen_actions_for(report) if access.is_city else {},
            "comparison": comparison,
            "trend": trend,
            "pdf": pdf,
            "steps": STATUS_STEPS,
            "rounds": (
                selectors.question_rounds_for(report) if access.is_city or access.evaluate else []
            ),
        },
    )


def attachment_download(request, pk: int, attachment_pk: int):
    """An attachment, to those who may see its section."""
    report = get_report_for_user(request.user, pk)
    attachment = get_object_or_404(
        SectionAttachment.objects.select_related("section"),
        pk=attachment_pk,
        section__report=report,
        section__visibility__in=report.access.visibilities,
    )
    return private_file_response(
        attachment.file,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


def report_pdf(request, pk: int):
    """The PDF variant this reader may have; rendered on demand if it is not current."""
    report = get_report_for_user(request.user, pk)
    variant = report.access.pdf_variant
    if not variant:
        raise Http404
    pdf = pdfs.current_pdf(report, variant)
    if pdf is None or pdf.rendered_version != report.version or pdf.status != PDFStatus.READY:
        # Missing or out of date: queued, unless already under way or failed (staff retry).
        services.request_missing_pdfs(report)
        pdf = pdfs.current_pdf(report, variant)
    if pdf and pdf.status == PDFStatus.READY and pdf.rendered_version == report.version:
        name = slugify(f"{report.city.name}-{report.cycle}-{variant}-{pdf.language}") or "report"
        return private_file_response(
            pdf.file, filename=f"{name}.pdf", content_type="application/pdf"
        )
    return render(
        request,
        "reporting/pdf_status.html",
        {"report": report, "pdf": pdf, "access": report.access},
        status=202,
    )


@login_required
@require_POST
def report_pdf_retry(request, pk: int):
    report = get_report_for_user(request.user, pk)
    report.access.require(report.access.manage_pdfs)
    services.retry_report_pdfs(actor=request.user, report=report)
    messages.info(request, _("The PDF is being rendered again."))
    return redirect(report.get_absolute_url())
