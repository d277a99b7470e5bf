"""Report and cycle PDFs: what each variant holds, and the idempotent render steps.

Variants (see PDFVariant): `full` for the city, the secretariat and
administrators (every section); `coalition` for bureau staff and the steering
committee (public and coalition sections); `public` for everyone once the city
has published (public sections; the scores only if the city agreed). The
evaluation is printed only once released. The consolidated cycle evaluation
holds figures and scores, never section text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import DatabaseError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from coalition import jobs
from coalition.pdf import PDF_BASE_URL, render_pdf
from coalition.services import model_update
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

VARIANT_VISIBILITIES: dict[str, frozenset[str]] = {
    PDFVariant.FULL: ALL_VISIBILITIES,
    PDFVariant.COALITION: COALITION_VISIBILITIES,
    PDFVariant.PUBLIC: PUBLIC_VISIBILITIES,
}


def variants_for(report: Report) -> list[str]:
    """The PDFs a report has at its current status."""
    if report.status not in HANDED_IN_STATUSES:
        return []
    variants: list[str] = [PDFVariant.FULL, PDFVariant.COALITION]
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
        # A tagged PDF's figures need their text (PDF/UA): the logo is the portal's.
        "portal_name": settings.PORTAL_NAME,
        "generated_at": timezone.now(),
    }


def report_html(report: Report, variant: str) -> str:
    return render_to_string("reporting/pdf/report.html", report_context(report, variant))


def render_report_bytes(report: Report, variant: str) -> bytes:
    return render_pdf(report_html(report, variant))


# --- Jobs: rows first, Celery messages second (coalition/jobs.py) ------------


def pdf_language(language: str | None = None) -> str:
    """The reader's language as a PDF's (the active one by default), one of LANGUAGES."""
    code = (language or translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def pdf_languages(report: Report) -> list[str]:
    """The languages the report's PDFs are kept in: the default, and each one a reader asked for."""
    asked = ReportPDF.objects.filter(report_id=report.pk).values_list("language", flat=True)
    return sorted({settings.LANGUAGE_CODE, *asked})


def mark_queued(report: Report) -> None:
    """Show the PDFs as queued (called in the transaction that changed the report).

    A fresh request: the attempts start again, and the message about to be published
    after commit counts as dispatched (a failed publish clears that for the sweep).
    Every language a reader already asked for is drawn again.
    """
    for language in pdf_languages(report):
        for variant in variants_for(report):
            ReportPDF.objects.update_or_create(
                report=report, variant=variant, language=language, defaults=jobs.fresh_attempt()
            )


def mark_cycle_queued(cycle: ReportingCycle) -> None:
    CyclePDF.objects.update_or_create(cycle=cycle, defaults=jobs.fresh_attempt())


def dispatch_report(report_pk: int) -> None:
    """Publish the report's render task after commit; without a broker, leave it to the sweep."""
    jobs.enqueue_on_commit(
        "reporting.tasks.render_report_pdf",
        report_pk,
        on_failure=lambda: _undispatched(ReportPDF.objects.filter(report_id=report_pk)),
    )


def dispatch_cycle(cycle_pk: int) -> None:
    jobs.enqueue_on_commit(
        "reporting.tasks.render_cycle_pdf",
        cycle_pk,
        on_failure=lambda: _undispatched(CyclePDF.objects.filter(cycle_id=cycle_pk)),
    )


def _undispatched(rows) -> None:
    rows.filter(status=PDFStatus.QUEUED).update(dispatched_at=None)


def _failed(model, pk: int, started: dt.datetime, exc: Exception) -> None:
    model.objects.filter(pk=pk, status=PDFStatus.RENDERING, started_at=started).update(
        status=PDFStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000]
    )


def render_report_pdfs(report_pk: int) -> dict[str, str]:
    """Render every PDF the report needs that is not already current. Idempotent.

    Each variant is drawn in the default language and in every language a reader asked for
    (`request_missing_pdfs`). Returns {variant: ...} for the default language and
    {"variant-language": ...} for the others, each "ready" | "skipped" | "failed" | "busy" |
    "superseded" (busy:
    another task holds it; superseded: asked for again while drawn). A failure to draw is
    recorded on the ReportPDF (shown to staff with a retry button), does not stop the
    others, and is not retried until staff ask: a failed PDF is skipped. A database
    error is raised instead (the task retries it; a lost connection is not the PDF's
    fault).
    """
    report = Report.objects.with_context().filter(pk=report_pk).first()
    if report is None:
        return {}
    outcome: dict[str, str] = {}
    variants = variants_for(report)
    jobs_to_do = [(language, variant) for language in pdf_languages(report) for variant in variants]
    for language, variant in jobs_to_do:
        key = variant if language == settings.LANGUAGE_CODE else f"{variant}-{language}"
        now = timezone.now()
        pdf, _created = ReportPDF.objects.get_or_create(
            report=report,
            variant=variant,
            language=language,
            defaults={"queued_at": now, "dispatched_at": now},
        )
        if pdf.status == PDFStatus.READY and pdf.rendered_version == report.version and pdf.file:
            outcome[key] = "skipped"
            continue
        if pdf.status == PDFStatus.FAILED:
            outcome[key] = "failed"
            continue
        started = jobs.claim(ReportPDF, pdf)
        if started is None:
            given_up = pdf.attempts >= settings.COALITION_JOB_MAX_ATTEMPTS
            outcome[key] = "failed" if given_up else "busy"
            continue
        version = report.version
        try:
            with translation.override(language):
                data = render_report_bytes(report, variant)
        except DatabaseError:
            raise
        except Exception as exc:
            logger.exception("PDF rendering failed for report %s (%s)", report_pk, variant)
            _failed(ReportPDF, pdf.pk, started, exc)
            outcome[key] = "failed"
            continue
        _store(pdf, data, f"report-{report.pk}-{variant}-{language}-v{version}.pdf")
        try:
            with transaction.atomic():
                current = ReportPDF.objects.select_for_update().get(pk=pdf.pk)
                if current.status != PDFStatus.RENDERING or current.started_at != started:
                    # Asked for again (a newer version) or given up meanwhile: not ours to finish.
                    outcome[key] = "superseded"
                    pdf.file.storage.delete(str(pdf.file.name))
                    continue
                old_name = current.file.name if current.file else ""
                model_update(
                    current,
                    fields={
                        "file": pdf.file.name,
                        "status": PDFStatus.READY,
                        "rendered_version": version,
                        "rendered_at": timezone.now(),
                        "error": "",
                    },
                    actor=None,
                    touch=False,
                )
        except DatabaseError:
            pdf.file.storage.delete(str(pdf.file.name))  # no row points to it
            raise
        if old_name and old_name != pdf.file.name:
            pdf.file.storage.delete(old_name)
        logger.info(
            "rendered the %s PDF of report %s in %s (version %s)",
            *(variant, report_pk, language, version),
        )
        outcome[key] = "ready"
    return outcome


def requeue_stuck_pdfs() -> dict[str, int]:
    """The sweep: heal PDF jobs whose message was lost or whose worker died (jobs.heal)."""
    counts = {"queued": 0, "rendering": 0, "given_up": 0}
    jobs.heal(ReportPDF, owner="report_id", task="reporting.tasks.render_report_pdf", counts=counts)
    jobs.heal(CyclePDF, owner="cycle_id", task="reporting.tasks.render_cycle_pdf", counts=counts)
    if any(counts.values()):
        logger.warning("PDF sweep: %s", counts)
    return counts


def oldest_unfinished_job() -> dt.datetime | None:
    """When the longest-waiting PDF still queued or rendering was asked for (for /healthz)."""
    return jobs.oldest_unfinished(ReportPDF, CyclePDF)


def _store(pdf, data: bytes, name: str) -> None:
    storage = pdf.file.storage
    pdf.file.name = storage.save(f"reporting/pdf/{name}", ContentFile(data))


def current_pdf(report: Report, variant: str, language: str | None = None) -> ReportPDF | None:
    return ReportPDF.objects.filter(
        report=report, variant=variant, language=pdf_language(language)
    ).first()


# --- The consolidated evaluation of a cycle ---------------------------------


def cycle_key(cycle: ReportingCycle) -> str:
    rows = cycle.reports.order_by("pk").values_list("pk", "version", "status")
    digest = hashlib.sha256(repr(list(rows)).encode()).hexdigest()
    return digest


#: Characters per commitment in the score runs of the consolidated evaluation (" 2.5 ").
RUN_WIDTH = 5


def score_run(values) -> str:
    """A row's scores as one run of monospaced text, a column of RUN_WIDTH per commitment.

    The table of 500 cities was 13 cells a row, and WeasyPrint lays out and draws every cell
    on its own: 85 % of the document's render time for 500 cities. One cell for the ten scores,
    aligned by the monospaced font under a header run of the commitment numbers, renders about
    three times faster and reads the same (bench/pdf.py).
    """
    cells = []
    for value in values:
        if value is None:
            text = "–"
        elif isinstance(value, float):
            text = f"{value:.1f}"
        else:
            text = str(value)
        cells.append(text.rjust(RUN_WIDTH - 1))
    return " ".join(cells)


def cycle_context(cycle: ReportingCycle) -> dict:
    commitments = selectors.commitments_of(cycle)
    averages = selectors.commitment_averages(cycle)
    rows = selectors.city_score_table(cycle)
    average_list = [averages.get(c.number) for c in commitments]
    return {
        "cycle": cycle,
        "counts": selectors.cycle_counts(cycle),
        "commitments": commitments,
        "averages": averages,
        "average_list": average_list,
        "header_run": score_run(c.number for c in commitments),
        "average_run": score_run(average_list),
        "rows": [
            {
                **row,
                "score_list": (scores := [row["scores"].get(c.number) for c in commitments]),
                "score_run": score_run(scores),
            }
            for row in rows
        ],
        "chart": selectors.averages_chart(cycle, commitments=commitments, averages=averages),
        "rubric": selectors.rubric(),
        "generated_at": timezone.now(),
    }


def cycle_html(cycle: ReportingCycle) -> str:
    return render_to_string("reporting/pdf/cycle.html", cycle_context(cycle))


def render_cycle_pdf(cycle_pk: int) -> str:
    """Render the consolidated evaluation unless it is current (or failed: staff retry it)."""
    cycle = ReportingCycle.objects.select_related("coalition", "plan").filter(pk=cycle_pk).first()
    if cycle is None:
        return "missing"
    now = timezone.now()
    pdf, _created = CyclePDF.objects.get_or_create(
        cycle=cycle, defaults={"queued_at": now, "dispatched_at": now}
    )
    key = cycle_key(cycle)
    if pdf.status == PDFStatus.READY and pdf.rendered_key == key and pdf.file:
        return "skipped"
    if pdf.status == PDFStatus.FAILED:
        return "failed"
    started = jobs.claim(CyclePDF, pdf)
    if started is None:
        return "failed" if pdf.attempts >= settings.COALITION_JOB_MAX_ATTEMPTS else "busy"
    try:
        # The consolidated evaluation is the secretariat's working document: in the language
        # the coalition works in (its authoritative language), whoever asked for it.
        with translation.override(cycle.coalition.source_language):
            data = render_pdf(cycle_html(cycle))
    except DatabaseError:
        raise
    except Exception as exc:
        logger.exception("PDF rendering failed for cycle %s", cycle_pk)
        _failed(CyclePDF, pdf.pk, started, exc)
        return "failed"
    old_name = pdf.file.name if pdf.file else ""
    _store(pdf, data, f"cycle-{cycle.pk}-evaluation.pdf")
    try:
        mine = CyclePDF.objects.filter(pk=pdf.pk, status=PDFStatus.RENDERING, started_at=started)
        finished = mine.update(
            file=pdf.file.name,
            status=PDFStatus.READY,
            rendered_key=key,
            rendered_at=timezone.now(),
            error="",
        )
    except DatabaseError:
        pdf.file.storage.delete(str(pdf.file.name))
        raise
    if not finished:
        pdf.file.storage.delete(str(pdf.file.name))
        return "superseded"
    if old_name and old_name != pdf.file.name:
        pdf.file.storage.delete(old_name)
    return "ready"


# --- How far the cycle's report PDFs are (the dashboard's progress) ----------


@dataclass(frozen=True)
class CycleRenderProgress:
    """The handed-in reports of a cycle by the state of their PDFs (in the default language)."""

    total: int
    ready: int
    failed: int
    under_way: int  # a PDF queued or rendering
    not_rendered: int  # never asked for, or out of date and not asked for again yet

    @property
    def finished(self) -> bool:
        return self.under_way == 0


def cycle_render_progress(cycle: ReportingCycle) -> CycleRenderProgress:
    """Each handed-in report counted once: failed if one of its PDFs failed, else under way if
    one is queued or rendering, else ready if every one is ready at the report's current
    version, else not rendered. Two queries whatever the cycle's size."""
    versions = dict(
        Report.objects.filter(cycle_id=cycle.pk, status__in=HANDED_IN_STATUSES).values_list(
            "pk", "version"
        )
    )
    rows = ReportPDF.objects.filter(
        report__cycle_id=cycle.pk,
        report__status__in=HANDED_IN_STATUSES,
        language=settings.LANGUAGE_CODE,
    ).values_list("report_id", "status", "rendered_version")
    states: dict[int, set[str]] = {pk: set() for pk in versions}
    for report_id, status, version in rows:
        outdated = status == PDFStatus.READY and version != versions[report_id]
        states[report_id].add("outdated" if outdated else status)
    failed = under_way = ready = 0
    for state in states.values():
        if PDFStatus.FAILED in state:
            failed += 1
        elif PDFStatus.QUEUED in state or PDFStatus.RENDERING in state:
            under_way += 1
        elif state == {PDFStatus.READY}:
            ready += 1
    return CycleRenderProgress(
        total=len(versions),
        ready=ready,
        failed=failed,
        under_way=under_way,
        not_rendered=len(versions) - ready - failed - under_way,
    )
