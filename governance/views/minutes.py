"""The minutes of a session: the editor (minute-taker and bureau), the circulation page (where
attending cities object), and the published minutes with their PDF (anyone)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coalition.files import private_file_response
from governance import access, selectors_minutes
from governance.minutes_forms import (
    AssemblyItemForm,
    CirculateForm,
    NarrativeForm,
    ObjectionForm,
    ReopenForm,
)
from governance.models import Minutes, MinutesPDF
from governance.services import GovernanceError
from governance.services import minutes as services


def _editing_language(minutes: Minutes, asked: str | None) -> str:
    """The language of the narrative tab: one of the portal's, else the authoritative one."""
    return asked if asked in dict(settings.LANGUAGES) else minutes.source_language


def _editor(request, session, *, status=200, **forms):
    minutes = Minutes.objects.filter(session=session).first()
    context: dict = {"session": session, "minutes": minutes}
    if minutes is not None:
        today = timezone.localdate(timezone.now(), session.zone)
        narrative_form = forms.get("narrative_form") or NarrativeForm(
            minutes=minutes, language=_editing_language(minutes, request.GET.get("language"))
        )
        context.update(selectors_minutes.minutes_context(minutes))
        context.update(
            {
                "narrative_form": narrative_form,
                "language_tabs": selectors_minutes.language_tabs(minutes, narrative_form.language),
                "circulate_form": forms.get("circulate_form")
                or CirculateForm(initial={"objections_from": today}),
                "reopen_form": ReopenForm(),
                "assembly_form": forms.get("assembly_form")
                or AssemblyItemForm(items=selectors_minutes.approval_items_for(minutes)),
                "objections": selectors_minutes.objections_of(minutes),
                "is_bureau": access.is_bureau(request.user, session.coalition_id),
                "pdfs": selectors_minutes.pdfs_of(minutes),
            }
        )
    return render(request, "governance/minutes/edit.html", context, status=status)


@login_required
def minutes_edit(request, pk: int):
    session = access.get_session_for_minute_writer(request.user, pk)
    if request.method != "POST":
        return _editor(request, session)
    minutes = Minutes.objects.filter(session=session).first()
    if minutes is None:
        raise Http404
    language = _editing_language(minutes, request.POST.get("language"))
    form = NarrativeForm(request.POST, minutes=minutes, language=language)
    if form.is_valid():
        try:
            services.save_narrative(
                actor=request.user,
                minutes=minutes,
                narrative=form.narrative(),
                remarks=form.cleaned_data["remarks"],
                language=None if not form.is_translation else language,
                source_language=form.cleaned_data.get("source_language") or None,
            )
        except GovernanceError as exc:
            exc.add_to(form)
        else:
            if form.is_translation:
                messages.success(
                    request,
                    _("The %(language)s translation is saved.") % {"language": form.language_name},
                )
                url = reverse("governance:minutes_edit", args=[session.pk])
                return redirect(f"{url}?language={language}#narrative-heading")
            messages.success(request, _("The narrative is saved."))
            return redirect("governance:minutes_edit", pk=session.pk)
    return _editor(request, session, status=400, narrative_form=form)


@login_required
@require_POST
def minutes_generate(request, pk: int):
    session = access.get_session_for_minute_writer(request.user, pk)
    try:
        services.generate_minutes(actor=request.user, session=session)
    except GovernanceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The record was drawn from the session's data."))
    return redirect("governance:minutes_edit", pk=session.pk)


def _bureau_minutes(request, pk: int) -> Minutes:
    session = access.get_session_for_minute_writer(request.user, pk)
    minutes = Minutes.objects.filter(session=session).select_related("session").first()
    if minutes is None:
        raise Http404
    return minutes


@login_required
@require_POST
def minutes_circulate(request, pk: int):
    minutes = _bureau_minutes(request, pk)
    form = CirculateForm(request.POST)
    if form.is_valid():
        try:
            services.circulate_minutes(actor=request.user, minutes=minutes, **form.cleaned_data)
        except GovernanceError as exc:
            exc.add_to(form)
        else:
            messages.success(request, _("The minutes are circulated to the attending cities."))
            return redirect("governance:minutes_edit", pk=pk)
    return _editor(request, minutes.session, status=400, circulate_form=form)


@login_required
@require_POST
def minutes_reopen(request, pk: int):
    minutes = _bureau_minutes(request, pk)
    form = ReopenForm(request.POST)
    answer = form.cleaned_data["answer"] if form.is_valid() else ""
    try:
        services.reopen_minutes(actor=request.user, minutes=minutes, answer=answer)
    except GovernanceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The minutes are a draft again: amend, then circulate."))
    return redirect("governance:minutes_edit", pk=pk)


@login_required
@require_POST
def minutes_before_assembly(request, pk: int):
    minutes = _bureau_minutes(request, pk)
    form = AssemblyItemForm(request.POST, items=selectors_minutes.approval_items_for(minutes))
    if form.is_valid():
        try:
            services.put_before_assembly(
                actor=request.user, minutes=minutes, item=form.cleaned_data["item"]
            )
        except GovernanceError as exc:
            exc.add_to(form)
        else:
            messages.success(request, _("The minutes await the assembly's vote on that item."))
            return redirect("governance:minutes_edit", pk=pk)
    return _editor(request, minutes.session, status=400, assembly_form=form)


@login_required
@require_POST
def minutes_publish(request, pk: int):
    minutes = _bureau_minutes(request, pk)
    try:
        services.publish_minutes(actor=request.user, minutes=minutes)
    except GovernanceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The minutes are published; the PDF is being prepared."))
    return redirect("governance:minutes_edit", pk=pk)


@login_required
def minutes_circulation(request, pk: int):
    minutes = access.get_minutes_for_circulation(request.user, pk)
    session = minutes.session
    # Reading changes nothing: a window that ended is settled by Celery beat
    # (governance.tasks.settle_minutes_circulations); until then the page says so.
    city_ids = services.objecting_city_ids(request.user, minutes)
    form = ObjectionForm(request.POST or None, city_ids=city_ids)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.object_to_minutes(
                    actor=request.user,
                    minutes=minutes,
                    city=form.cleaned_data["city"],
                    reason=form.cleaned_data["reason"],
                )
            except GovernanceError as exc:
                exc.add_to(form)
            else:
                messages.success(request, _("The objection is sent to the bureau."))
                return redirect("governance:minutes_circulation", pk=pk)
        status = 400
    today = timezone.localdate(timezone.now(), session.zone)
    window_open = (
        minutes.status == "circulated"
        and minutes.objections_from is not None
        and minutes.objections_until is not None
        and minutes.objections_from <= today <= minutes.objections_until
    )
    window_ended = (
        minutes.status == "circulated"
        and minutes.objections_until is not None
        and today > minutes.objections_until
    )
    return render(
        request,
        "governance/minutes/circulation.html",
        {
            **selectors_minutes.minutes_context(minutes),
            "form": form if (window_open and city_ids) else None,
            "window_open": window_open,
            "window_ended": window_ended,
            "objections_this_round": any(
                o.round == minutes.round for o in selectors_minutes.objections_of(minutes)
            ),
            "objections": selectors_minutes.objections_of(minutes),
        },
        status=status,
    )


def minutes_public(request, pk: int):
    minutes = access.get_published_minutes(request.user, pk)
    return render(
        request,
        "governance/minutes/public.html",
        {
            **selectors_minutes.minutes_context(minutes),
            "pdfs": selectors_minutes.pdfs_of(minutes),
        },
    )


def _pdf_response(minutes: Minutes, language: str):
    pdf = MinutesPDF.objects.filter(minutes=minutes, language=language).first()
    if pdf is None or not pdf.is_ready:
        raise Http404
    suffix = "" if language == minutes.source_language else f"-{language}"
    return private_file_response(
        pdf.file, filename=f"minutes-{minutes.session_id}{suffix}.pdf", inline=True, public=True
    )


def minutes_pdf(request, pk: int):
    """The authoritative version's PDF."""
    minutes = access.get_published_minutes(request.user, pk)
    return _pdf_response(minutes, minutes.source_language)


def minutes_pdf_language(request, pk: int, language: str):
    """The PDF in one language: the authoritative version or a translation."""
    minutes = access.get_published_minutes(request.user, pk)
    return _pdf_response(minutes, language)
