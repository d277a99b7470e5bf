"""The city coordinator's side: my reports, editing with autosave, attachments, submission,
publication."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reporting import selectors, services
from reporting.access import PUBLIC_VISIBILITIES, get_report_for_user
from reporting.forms import (
    AttachmentForm,
    IndicatorFormSet,
    PublishForm,
    SectionForm,
    SubmitForm,
)
from reporting.models import (
    SECTION_FIELDS,
    ReportSection,
    ReportStatus,
    SectionAttachment,
)
from reporting.views.common import login_required_json, wants_json


@login_required
def my_reports(request):
    reports = selectors.my_reports(request.user)
    return render(request, "reporting/my_reports.html", {"reports": reports})


def _overview(report, sections=None) -> dict:
    """What every editor page shows beside the section: the commitments, their states and
    the check before submitting (also sent back after each autosave)."""
    sections = (
        sections
        if sections is not None
        else selectors.sections_for(report, report.access.visibilities)
    )
    return {"report": report, "nav": sections, "check": services.pre_submit_check(report, sections)}


def _section_context(
    request,
    report,
    section_pk: int,
    *,
    form=None,
    conflict=None,
    indicator_formset=None,
) -> dict:
    """One section's page: its form, attachments and indicators, with the overview beside."""
    context = _overview(report)
    sections = context["nav"]
    index = next((i for i, s in enumerate(sections) if s.pk == section_pk), None)
    if index is None:
        raise Http404
    section = sections[index]
    chosen = selectors.chosen_actions_for(report)
    context.update(
        section=section,
        position=index + 1,
        previous=sections[index - 1] if index > 0 else None,
        next=sections[index + 1] if index + 1 < len(sections) else None,
        row={
            "section": section,
            "form": form or SectionForm(section=section),
            "attachment_form": AttachmentForm(section=section),
            "chosen_actions": chosen.get(section.commitment.number, []),
            "conflict": _conflict_view(conflict, request.user),
        },
        indicator_formset=indicator_formset or IndicatorFormSet(section=section),
    )
    return context


def _section_url(report_pk: int, section_pk: int) -> str:
    return (
        reverse("reporting:section_edit", kwargs={"pk": report_pk, "section_pk": section_pk})
        + f"#section-{section_pk}"
    )


def _changed_by_same_person(current: ReportSection, user) -> bool:
    """The newer text is this person's own, saved from another tab or window."""
    return current.updated_by_id is not None and current.updated_by_id == user.pk


def _conflict_view(current: ReportSection | None, user) -> dict | None:
    """The other saved text, field by field, for the page."""
    if current is None:
        return None
    fields = [
        (
            cast(models.Field, ReportSection._meta.get_field(name)).verbose_name,
            getattr(current, name),
        )
        for name in SECTION_FIELDS
        if name not in ("good_practice", "visibility") and getattr(current, name)
    ]
    return {
        "current": current,
        "fields": fields,
        "same_person": _changed_by_same_person(current, user),
    }


@login_required
def report_edit(request, pk: int):
    report = get_report_for_user(request.user, pk, write=True)
    if report.opens_later:
        messages.info(request, str(services.ReportNotOpenError(report.cycle)))
        return redirect(report.get_absolute_url())
    if not report.is_editable:
        return redirect(report.get_absolute_url())
    context = _overview(report)
    counts = selectors.indicator_counts(report)
    for section in context["nav"]:
        section.indicator_count = counts.get(section.pk, 0)
    context.update(
        first_section=context["nav"][0] if context["nav"] else None,
        has_previous=services.previous_report(report) is not None,
    )
    return render(request, "reporting/report_edit.html", context)


@login_required
def section_edit(request, pk: int, section_pk: int):
    """One commitment's page of the editor: the section's form, with the overview beside."""
    report = get_report_for_user(request.user, pk, write=True)
    if report.opens_later:
        messages.info(request, str(services.ReportNotOpenError(report.cycle)))
        return redirect(report.get_absolute_url())
    if not report.is_editable:
        return redirect(report.get_absolute_url())
    return render(
        request, "reporting/section_edit.html", _section_context(request, report, section_pk)
    )


def _saved_payload(request, report, section: ReportSection) -> dict:
    """The new version, and the overview's fragments the script puts in place of the old ones
    (by id): the states in the list of commitments and the check before submitting."""
    local = timezone.localtime(section.updated_at)
    context = {**_overview(report), "current": section}
    return {
        "ok": True,
        "version": section.version,
        "saved_at": date_format(local, "H:i"),
        "saved_at_iso": local.isoformat(),
        "fragments": {
            "report-sections-nav": render_to_string(
                "reporting/includes/report_sections_nav.html", context, request=request
            ),
            "report-check": render_to_string(
                "reporting/includes/report_check.html", context, request=request
            ),
        },
    }


def _conflict_payload(current: ReportSection, user) -> dict:
    time = date_format(timezone.localtime(current.updated_at), "H:i")
    if _changed_by_same_person(current, user):
        title = _("This section was changed in another tab or window")
        message = _(
            "You saved this section at %(time)s in another tab or window, after this page "
            "was opened. Nothing was overwritten: compare both texts and choose what to keep."
        ) % {"time": time}
    else:
        who = current.updated_by.get_full_name() if current.updated_by else _("someone")
        title = _("%(who)s changed this section") % {"who": who}
        message = _(
            "%(who)s changed this section at %(time)s, after you opened it. Nothing was "
            "overwritten: compare both texts and choose what to keep."
        ) % {"who": who, "time": time}
    return {
        "error": "conflict",
        "title": title,
        "message": message,
        "version": current.version,
        "server": {name: getattr(current, name) for name in SECTION_FIELDS},
    }


@login_required_json
@require_POST
def section_save(request, pk: int, section_pk: int):
    """Save one section: JSON for the autosave script, a redirect (or the page) without it."""
    try:
        report = get_report_for_user(request.user, pk, write=True)
    except PermissionDenied:
        if wants_json(request):
            return JsonResponse({"error": "forbidden"}, status=403)
        raise
    section = get_object_or_404(
        ReportSection.objects.select_related("commitment"), pk=section_pk, report=report
    )
    form = SectionForm(request.POST, section=section)
    json = wants_json(request)
    if not form.is_valid():
        if json:
            return JsonResponse({"error": "invalid", "errors": form.errors}, status=400)
        return render(
            request,
            "reporting/section_edit.html",
            _section_context(request, report, section.pk, form=form),
            status=400,
        )
    data = {name: form.cleaned_data[name] for name in SECTION_FIELDS}
    try:
        saved = services.save_section(
            actor=request.user,
            section=section,
            expected_version=form.cleaned_data["version"],
            data=data,
        )
    except services.StaleSectionError as exc:
        if json:
            return JsonResponse(_conflict_payload(exc.current, request.user), status=409)
        # Keep what this person typed in the form, now based on the stored version, and
        # show the other text beside it: saving again is a deliberate choice.
        post = request.POST.copy()
        post[f"{form.prefix}-version"] = str(exc.current.version)
        # A fresh instance: validating a ModelForm writes the posted values into it.
        retry = SectionForm(post, section=ReportSection.objects.get(pk=section.pk))
        retry.is_valid()
        return render(
            request,
            "reporting/section_edit.html",
            _section_context(request, report, section.pk, form=retry, conflict=exc.current),
            status=409,
        )
    except services.ReportLockedError as exc:
        if json:
            return JsonResponse({"error": "locked", "message": str(exc)}, status=409)
        messages.error(request, str(exc))
        return redirect(report.get_absolute_url())
    if json:
        return JsonResponse(_saved_payload(request, report, saved))
    messages.success(
        request,
        _("Section %(n)s saved at %(time)s.")
        % {
            "n": saved.commitment.number,
            "time": date_format(timezone.localtime(saved.updated_at), "H:i"),
        },
    )
    return redirect(_section_url(pk, section.pk))


@login_required
@require_POST
def indicators_save(request, pk: int, section_pk: int):
    """Save a section's indicators (a plain form, not autosaved); errors on their fields."""
    report = get_report_for_user(request.user, pk, write=True)
    section = get_object_or_404(
        ReportSection.objects.select_related("commitment"),
        pk=section_pk,
        report=report,
        visibility__in=report.access.visibilities,
    )
    formset = IndicatorFormSet(request.POST, section=section)
    if formset.is_valid():
        try:
            rows = formset.rows()  # type: ignore[attr-defined]  # BaseIndicatorFormSet.rows
            services.save_indicators(actor=request.user, section=section, rows=rows)
        except services.ReportLockedError as exc:
            messages.error(request, str(exc))
            return redirect(report.get_absolute_url())
        except services.ReportingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("The indicators of section %(n)s were saved.") % {"n": section.commitment.number},
            )
            return redirect(
                reverse("reporting:section_edit", kwargs={"pk": pk, "section_pk": section.pk})
                + f"#indicators-{section.pk}"
            )
    return render(
        request,
        "reporting/section_edit.html",
        _section_context(request, report, section.pk, indicator_formset=formset),
        status=400,
    )


@login_required
@require_POST
def attachment_upload(request, pk: int, section_pk: int):
    report = get_report_for_user(request.user, pk, write=True)
    section = get_object_or_404(ReportSection, pk=section_pk, report=report)
    form = AttachmentForm(request.POST, request.FILES, section=section)
    anchor = _section_url(pk, section.pk)
    if not form.is_valid():
        messages.error(
            request,
            _("The file was not attached: %(reason)s")
            % {"reason": " ".join(map(str, form.errors.get("file", [_("no file was chosen.")])))},
        )
        return redirect(anchor)
    try:
        services.add_attachment(
            actor=request.user,
            section=section,
            upload=form.cleaned_data["file"],
            content_type=form.content_type,
        )
    except services.ReportingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("File attached."))
    return redirect(anchor)


@login_required
@require_POST
def attachment_delete(request, pk: int, attachment_pk: int):
    report = get_report_for_user(request.user, pk, write=True)
    attachment = get_object_or_404(SectionAttachment, pk=attachment_pk, section__report=report)
    section_pk = attachment.section_id
    try:
        services.delete_attachment(actor=request.user, attachment=attachment)
    except services.ReportingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Attachment removed."))
    return redirect(_section_url(pk, section_pk))


@login_required
@require_POST
def copy_previous(request, pk: int):
    report = get_report_for_user(request.user, pk, write=True)
    try:
        filled = services.copy_previous_year(actor=request.user, report=report)
    except services.ReportingError as exc:
        messages.error(request, str(exc))
    else:
        if filled:
            messages.success(
                request,
                _(
                    "Last year's text was copied into %(n)s empty section(s). Update it for this "
                    "year."
                )
                % {"n": filled},
            )
        else:
            messages.info(request, _("Every section already has text: nothing was copied."))
    return redirect("reporting:report_edit", pk=pk)


@login_required
def submit(request, pk: int):
    """The pre-submit check, then submission (or the answer to the secretariat's questions)."""
    report = get_report_for_user(request.user, pk, write=True)
    if report.opens_later:
        messages.info(request, str(services.ReportNotOpenError(report.cycle)))
        return redirect(report.get_absolute_url())
    if not report.is_editable:
        messages.info(request, _("This report has already been submitted."))
        return redirect(report.get_absolute_url())
    needs_answer = report.status == ReportStatus.QUESTIONS
    form = SubmitForm(request.POST or None, needs_answer=needs_answer)
    check = services.pre_submit_check(report)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_report(
                actor=request.user, report=report, answer=form.cleaned_data.get("answer", "")
            )
        except services.ReportingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("Your report was submitted. It is locked now; you can follow its status here."),
            )
            return redirect(report.get_absolute_url())
    return render(
        request,
        "reporting/submit.html",
        {
            "report": report,
            "form": form,
            "check": check,
            "blocking": [i for i in check if i.blocking],
            "needs_answer": needs_answer,
        },
    )


@login_required
def publish(request, pk: int):
    report = get_report_for_user(request.user, pk, write=True)
    if report.status not in (ReportStatus.RELEASED, ReportStatus.PUBLISHED):
        raise Http404
    form = PublishForm(request.POST or None, initial={"publish_scores": report.publish_scores})
    if request.method == "POST":
        try:
            if request.POST.get("action") == "unpublish":
                services.unpublish_report(actor=request.user, report=report)
                messages.success(request, _("The report is no longer published."))
            elif form.is_valid():
                services.publish_report(
                    actor=request.user,
                    report=report,
                    publish_scores=form.cleaned_data["publish_scores"],
                )
                messages.success(
                    request, _("The report's public sections are on your city's profile now.")
                )
        except services.ReportingError as exc:
            messages.error(request, str(exc))
        return redirect(report.get_absolute_url())

    return render(
        request,
        "reporting/publish.html",
        {
            "report": report,
            "form": form,
            "public_sections": selectors.sections_for(report, PUBLIC_VISIBILITIES),
        },
    )
