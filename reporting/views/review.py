"""Cycles, review (transmit or return) and the secretariat's evaluation and dashboard."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from coalition.files import private_file_response
from members.models import Coalition
from members.selectors import roles_for
from reporting import pdfs, selectors, services
from reporting.access import (
    ALL_VISIBILITIES,
    COALITION_VISIBILITIES,
    committee_coalition_ids,
    get_cycle_for_user,
    get_report_for_user,
)
from reporting.forms import CycleForm, EvaluationForm, QuestionsForm, ReasonForm
from reporting.models import CyclePDF, PDFStatus, ReportStatus


@login_required
def secretariat_home(request):
    """The reporting cycles this person works on (secretariat, bureau, committee)."""
    roles = roles_for(request.user)
    cycles = selectors.cycles_for(request.user)
    can_open = roles.is_admin or bool(roles.bureau_of)
    if (
        not cycles
        and not can_open
        and not roles.secretariat_of
        and not committee_coalition_ids(request.user)
    ):
        raise PermissionDenied
    return render(request, "reporting/cycle_list.html", {"cycles": cycles, "can_open": can_open})


@login_required
def cycle_new(request):
    roles = roles_for(request.user)
    coalitions = (
        Coalition.objects.all()
        if roles.is_admin
        else Coalition.objects.filter(pk__in=roles.bureau_of)
    )
    if not coalitions.exists():
        raise PermissionDenied
    form = CycleForm(request.POST or None, coalitions=coalitions)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cycle = services.open_cycle(
                actor=request.user,
                coalition=data["coalition"],
                year=data["year"],
                opens_on=data["opens_on"],
                due_on=data["due_on"],
                grace_days=data["grace_days"],
                plan=data["plan"],
            )
        except services.ReportingError as exc:
            form.add_error("year", str(exc))
        else:
            messages.success(
                request,
                _("The %(cycle)s cycle is open: every member city has a draft report.")
                % {"cycle": cycle},
            )
            return redirect(cycle.get_absolute_url())
    return render(request, "reporting/cycle_form.html", {"form": form})


@login_required
def cycle_dashboard(request, pk: int):
    cycle = get_cycle_for_user(request.user, pk)
    commitments = selectors.commitments_of(cycle)
    averages = selectors.commitment_averages(cycle)
    rows = selectors.city_score_table(cycle)
    focus = None
    comparison = trend = None
    city_slug = request.GET.get("city", "")
    if city_slug:
        focus = next((r["report"] for r in rows if r["report"].city.slug == city_slug), None)
        if focus is not None:
            # The staff's page: every released evaluation (the table above shows them all).
            comparison, trend = selectors.city_charts(
                focus, public=False, own_released=True, commitments=commitments, averages=averages
            )
    return render(
        request,
        "reporting/cycle_dashboard.html",
        {
            "cycle": cycle,
            "access": cycle.access,
            "counts": selectors.cycle_counts(cycle),
            "commitments": commitments,
            "averages": [averages.get(c.number) for c in commitments],
            "chart": selectors.averages_chart(cycle, commitments=commitments, averages=averages),
            "rows": [
                {**row, "score_list": [row["scores"].get(c.number) for c in commitments]}
                for row in rows
            ],
            "focus": focus,
            "comparison": comparison,
            "trend": trend,
            "pdf": CyclePDF.objects.filter(cycle=cycle).first(),
            **(_progress_context(cycle) if cycle.access.manage_pdfs else {}),
            "indicator_rows": _indicator_rows(cycle, commitments),
        },
    )


def _indicator_rows(cycle, commitments) -> list[dict]:
    visibilities = ALL_VISIBILITIES if cycle.access.evaluate else COALITION_VISIBILITIES
    counts = selectors.indicators_by_commitment(cycle, visibilities)
    empty = {"indicators": 0, "cities": 0}
    return [{"commitment": c, **counts.get(c.number, empty)} for c in commitments]


@login_required
def cycle_review(request, pk: int):
    cycle = get_cycle_for_user(request.user, pk)
    reports = list(cycle.reports.select_related("city").order_by("status", "city__name"))
    return render(
        request,
        "reporting/cycle_review.html",
        {
            "cycle": cycle,
            "access": cycle.access,
            "reports": reports,
            "submitted_count": sum(r.status == ReportStatus.SUBMITTED for r in reports),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def transmit(request, pk: int):
    """GET: the confirmation page. POST with `confirmed`: transmit (it cannot be undone).

    A POST without `confirmed` (the button without JavaScript) changes nothing and leads to
    the confirmation page; static/js/confirm.js asks in a dialog and adds `confirmed`."""
    report = get_report_for_user(request.user, pk)
    report.access.require(report.access.review)
    if report.status != ReportStatus.SUBMITTED:
        messages.info(request, _("This report is not waiting to be transmitted."))
        return redirect("reporting:cycle_review", pk=report.cycle_id)
    if request.method != "POST" or request.POST.get("confirmed") != "1":
        if request.method == "POST":
            return redirect("reporting:transmit", pk=report.pk)
        return render(
            request,
            "reporting/transmit_confirm.html",
            {"cycle": report.cycle, "reports": [report], "single": report},
        )
    try:
        services.transmit_report(actor=request.user, report=report)
    except services.ReportingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("%(city)s's report was transmitted to the secretariat.") % {"city": report.city},
        )
    return redirect("reporting:cycle_review", pk=report.cycle_id)


@login_required
@require_http_methods(["GET", "POST"])
def transmit_all(request, pk: int):
    """GET: the confirmation page, listing the reports. POST with `confirmed`: transmit them."""
    cycle = get_cycle_for_user(request.user, pk)
    if not cycle.access.review:
        raise PermissionDenied
    if request.method != "POST" or request.POST.get("confirmed") != "1":
        if request.method == "POST":
            return redirect("reporting:transmit_all", pk=cycle.pk)
        reports = list(
            cycle.reports.filter(status=ReportStatus.SUBMITTED)
            .select_related("city")
            .order_by("city__name")
        )
        if not reports:
            messages.info(request, _("No submitted report is waiting to be transmitted."))
            return redirect("reporting:cycle_review", pk=cycle.pk)
        return render(
            request,
            "reporting/transmit_confirm.html",
            {"cycle": cycle, "reports": reports, "single": None},
        )
    count = services.transmit_all(actor=request.user, cycle=cycle)
    messages.success(request, _("%(n)s report(s) transmitted to the secretariat.") % {"n": count})
    return redirect("reporting:cycle_review", pk=cycle.pk)


@login_required
def return_report(request, pk: int):
    report = get_report_for_user(request.user, pk)
    report.access.require(report.access.review)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.return_report(
                actor=request.user, report=report, reason=form.cleaned_data["reason"]
            )
        except services.ReportingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, _("The report was returned to %(city)s.") % {"city": report.city}
            )
            return redirect("reporting:cycle_review", pk=report.cycle_id)
    return render(request, "reporting/return.html", {"report": report, "form": form})


@login_required
def evaluate(request, pk: int):
    report = get_report_for_user(request.user, pk)
    report.access.require(report.access.evaluate)
    sections = selectors.sections_for(report, report.access.visibilities)
    evaluation = selectors.evaluation_for(report)
    rubric = selectors.rubric()
    editable = report.status in services.EVALUABLE_STATUSES
    form = EvaluationForm(
        request.POST or None, sections=sections, rubric=rubric, evaluation=evaluation
    )
    if request.method == "POST" and editable and form.is_valid():
        try:
            services.save_evaluation(
                actor=request.user,
                report=report,
                scores=form.scores(),
                overall=form.cleaned_data["overall"],
                approved_good_practices=form.approvals(),
            )
            if request.POST.get("action") == "release":
                if request.POST.get("confirmed") != "1":
                    # Saved; releasing cannot be undone, so it is confirmed on its own page
                    # (the dialog of static/js/confirm.js adds `confirmed` where it runs).
                    messages.success(request, _("The evaluation was saved."))
                    return redirect("reporting:release", pk=pk)
                services.release_evaluation(actor=request.user, report=report)
                messages.success(request, _("The evaluation was released to the city."))
                return redirect(report.get_absolute_url())
        except services.ReportingError as exc:
            messages.error(request, str(exc))
            return redirect("reporting:evaluate", pk=pk)
        messages.success(request, _("The evaluation was saved."))
        return redirect("reporting:evaluate", pk=pk)
    return render(
        request,
        "reporting/evaluate.html",
        {
            "report": report,
            "form": form,
            "rubric": rubric,
            "editable": editable,
            "questions_form": QuestionsForm(),
            "rounds": selectors.question_rounds_for(report),
            "chosen_actions": selectors.chosen_actions_for(report),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def release(request, pk: int):
    """GET: what the city will receive, to confirm. POST with `confirmed`: release it."""
    report = get_report_for_user(request.user, pk)
    report.access.require(report.access.evaluate)
    if report.status not in (ReportStatus.TRANSMITTED, ReportStatus.UNDER_EVALUATION):
        messages.info(request, _("This evaluation cannot be released now."))
        return redirect(report.get_absolute_url())
    if request.method == "POST" and request.POST.get("confirmed") == "1":
        try:
            services.release_evaluation(actor=request.user, report=report)
        except services.ReportingError as exc:
            messages.error(request, str(exc))
            return redirect("reporting:evaluate", pk=pk)
        messages.success(request, _("The evaluation was released to the city."))
        return redirect(report.get_absolute_url())
    missing = services.missing_scores(report)
    section_count = report.sections.count()
    return render(
        request,
        "reporting/release.html",
        {
            "report": report,
            "evaluation": selectors.evaluation_for(report),
            "missing": missing,
            "section_count": section_count,
            "scored_count": section_count - len(missing),
        },
    )


@login_required
@require_POST
def ask_questions(request, pk: int):
    report = get_report_for_user(request.user, pk)
    report.access.require(report.access.evaluate)
    form = QuestionsForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please write the questions for the city."))
        return redirect("reporting:evaluate", pk=pk)
    try:
        services.ask_questions(
            actor=request.user, report=report, questions=form.cleaned_data["questions"]
        )
    except services.ReportingError as exc:
        messages.error(request, str(exc))
        return redirect("reporting:evaluate", pk=pk)
    messages.success(request, _("The report was returned to the city with your questions."))
    return redirect(report.get_absolute_url())


@login_required
def cycle_pdf(request, pk: int):
    """The consolidated evaluation PDF, rendered on demand when it is not current."""
    cycle = get_cycle_for_user(request.user, pk)
    if not cycle.access.consolidated_pdf:
        raise PermissionDenied
    pdf = CyclePDF.objects.filter(cycle=cycle).first()
    key = pdfs.cycle_key(cycle)
    if pdf is None or pdf.status != PDFStatus.READY or pdf.rendered_key != key:
        # Missing or out of date: queued, unless already under way or failed (staff retry).
        services.request_missing_cycle_pdf(cycle)
        pdf = CyclePDF.objects.filter(cycle=cycle).first()
    if pdf and pdf.status == PDFStatus.READY and pdf.rendered_key == key:
        name = slugify(f"{cycle}-evaluation") or "evaluation"
        return private_file_response(
            pdf.file, filename=f"{name}.pdf", content_type="application/pdf"
        )
    return render(request, "reporting/pdf_status.html", {"cycle": cycle, "pdf": pdf}, status=202)


@login_required
@require_POST
def cycle_pdf_retry(request, pk: int):
    cycle = get_cycle_for_user(request.user, pk)
    if not (cycle.access.evaluate or cycle.access.manage):
        raise PermissionDenied
    services.retry_cycle_pdf(actor=request.user, cycle=cycle)
    messages.info(request, _("The consolidated evaluation is being rendered again."))
    return redirect(cycle.get_absolute_url())


#: Seconds between two looks at the cycle's rendering progress (htmx; without JavaScript: reload).
PROGRESS_POLL_SECONDS = 2


def _progress_context(cycle) -> dict:
    progress = pdfs.cycle_render_progress(cycle)
    return {
        "cycle": cycle,
        "progress": progress,
        "poll_seconds": PROGRESS_POLL_SECONDS,
        "polling": not progress.finished,
    }


@login_required
@require_POST
def cycle_pdfs_rerender(request, pk: int):
    """Staff render every handed-in report's PDFs of the cycle again (one task per report)."""
    cycle = get_cycle_for_user(request.user, pk)
    if not cycle.access.manage_pdfs:
        raise PermissionDenied
    outcome = services.rerender_cycle_pdfs(actor=request.user, cycle=cycle)
    if outcome.queued:
        messages.info(
            request,
            ngettext(
                "The PDFs of %(count)d report are being rendered again.",
                "The PDFs of %(count)d reports are being rendered again.",
                outcome.queued,
            )
            % {"count": outcome.queued},
        )
    if outcome.under_way:
        messages.info(
            request,
            ngettext(
                "%(count)d report was already being rendered: it was left as it was.",
                "%(count)d reports were already being rendered: they were left as they were.",
                outcome.under_way,
            )
            % {"count": outcome.under_way},
        )
    return redirect(f"{cycle.get_absolute_url()}#pdf-progress-title")


@login_required
def cycle_pdfs_progress(request, pk: int):
    """How many of the cycle's report PDFs are ready: the fragment htmx swaps in, or JSON."""
    cycle = get_cycle_for_user(request.user, pk)
    if not cycle.access.manage_pdfs:
        raise PermissionDenied
    context = _progress_context(cycle)
    if request.htmx:
        return render(request, "reporting/includes/cycle_pdf_progress.html", context)
    progress = context["progress"]
    return JsonResponse(
        {
            "total": progress.total,
            "ready": progress.ready,
            "failed": progress.failed,
            "under_way": progress.under_way,
            "not_rendered": progress.not_rendered,
            "finished": progress.finished,
        }
    )
