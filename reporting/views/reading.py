"""Reading a report (what each reader may see), its attachments and its PDF."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
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


#: Seconds between two looks at a PDF that is not ready (htmx; without JavaScript, a refresh).
PDF_POLL_SECONDS = 2


def _report_pdf_state(report, variant: str):
    """The reader's PDF and its state for them: ready only if current, else asked for again."""
    pdf = pdfs.current_pdf(report, variant)

    def stale(pdf) -> bool:
        ready = pdf.status == PDFStatus.READY
        return ready and (pdf.rendered_version != report.version or not pdf.file)

    if pdf is None or stale(pdf):
        # Missing or out of date: queued (a queued, rendering or failed one is left as it is:
        # its job is under way, or staff retry it), so a page polling it locks nothing.
        services.request_missing_pdfs(report)
        pdf = pdfs.current_pdf(report, variant)
    if pdf is None:
        return None, PDFStatus.QUEUED  # quiet (the demo loader): nothing is rendering it
    if stale(pdf):
        return pdf, PDFStatus.QUEUED
    return pdf, pdf.status


def _pdf_progress_context(report, pdf, state: str) -> dict:
    return {
        "report": report,
        "pdf": pdf,
        "state": state,
        "access": report.access,
        "polling": state in (PDFStatus.QUEUED, PDFStatus.RENDERING),
        "poll_seconds": PDF_POLL_SECONDS,
        "status_url": reverse("reporting:report_pdf_status", args=[report.pk]),
        "download_url": reverse("reporting:report_pdf", args=[report.pk]),
        "back_url": report.get_absolute_url(),
    }


def report_pdf(request, pk: int):
    """The PDF variant this reader may have; if it is not current, a page that waits for it.

    The page shows how far the rendering is and looks again every PDF_POLL_SECONDS (htmx,
    `report_pdf_status`); once the PDF is ready the download starts on the same page. Without
    JavaScript the page refreshes itself, and this URL then answers with the file.
    """
    report = get_report_for_user(request.user, pk)
    variant = report.access.pdf_variant
    if not variant:
        raise Http404
    pdf, state = _report_pdf_state(report, variant)
    if state == PDFStatus.READY and pdf is not None:
        name = slugify(f"{report.city.name}-{report.cycle}-{variant}-{pdf.language}") or "report"
        return private_file_response(
            pdf.file, filename=f"{name}.pdf", content_type="application/pdf"
        )
    return render(
        request, "reporting/pdf_status.html", _pdf_progress_context(report, pdf, state), status=202
    )


def report_pdf_status(request, pk: int):
    """Where the reader's PDF stands: the fragment htmx swaps in, or JSON for a script.

    Only those who may download that PDF variant see its progress (404 for the rest, as for
    the report itself); the error of a failed rendering only to those who may retry it.
    """
    report = get_report_for_user(request.user, pk)
    variant = report.access.pdf_variant
    if not variant:
        raise Http404
    pdf, state = _report_pdf_state(report, variant)
    context = _pdf_progress_context(report, pdf, state)
    if request.htmx:
        return render(request, "reporting/includes/pdf_progress.html", context)
    data = {
        "state": state,
        "ready": state == PDFStatus.READY,
        "url": context["download_url"] if state == PDFStatus.READY else None,
        "poll_seconds": PDF_POLL_SECONDS if context["polling"] else None,
    }
    if state == PDFStatus.FAILED and report.access.manage_pdfs and pdf is not None:
        data["error"] = pdf.error
    return JsonResponse(data)


@login_required
@require_POST
def report_pdf_retry(request, pk: int):
    report = get_report_for_user(request.user, pk)
    report.access.require(report.access.manage_pdfs)
    services.retry_report_pdfs(actor=request.user, report=report)
    messages.info(request, _("The PDF is being rendered again."))
    if request.POST.get("then") == "pdf":  # from the page that waits for the PDF: back to it
        return redirect("reporting:report_pdf", pk=report.pk)
    return redirect(report.get_absolute_url())
