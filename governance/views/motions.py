"""Motions and amendments of a session: the list, a motion's page, submitting a motion or an
amendment, the committee's recommendation and the city's answer, withdrawing, the bureau's
controls; and the public page and PDF of a published declaration."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coalition.files import private_file_response
from governance import access, selectors_motions
from governance.models import DeclarationPDF, MotionKind, MotionStatus, RecommendationResponse
from governance.motion_forms import (
    AmendmentForm,
    AttachForm,
    MotionForm,
    RecommendationForm,
    TranslationForm,
)
from governance.services import GovernanceError
from governance.services import motions as services


def _roles(user, session) -> dict:
    coalition_id = session.coalition_id
    return {
        "cities": access.member_cities_of(user, coalition_id),
        "committee": access.is_committee_member(user, coalition_id),
        "bureau": access.is_bureau(user, coalition_id),
    }


@login_required
def session_motions(request, pk: int):
    session = access.get_session_for_motions(request.user, pk)
    roles = _roles(request.user, session)
    return render(
        request,
        "governance/motions/motion_list.html",
        {
            "session": session,
            "rows": selectors_motions.motions_of_session(session),
            "may_submit": bool(roles["cities"] or roles["committee"] or roles["bureau"]),
            "motion_deadline": services.deadline(session, "motion"),
            "amendment_deadline": services.deadline(session, "amendment"),
            **roles,
        },
    )


@login_required
def motion_submit(request, pk: int):
    session = access.get_session_for_motions(request.user, pk)
    roles = _roles(request.user, session)
    if not (roles["cities"] or roles["committee"] or roles["bureau"]):
        raise PermissionDenied
    form = MotionForm(request.POST or None, session=session, **roles)
    if request.method == "POST" and form.is_valid():
        submitter, city = form.submitter_and_city()
        data = form.cleaned_data
        try:
            motion = services.submit_motion(
                actor=request.user,
                session=session,
                item=data["item"],
                kind=data["kind"],
                title=data["title"],
                language=data["language"],
                lines=form.lines(declaration=data["kind"] == MotionKind.DECLARATION),
                submitter=submitter,
                city=city,
            )
        except GovernanceError as exc:
            exc.add_to(form)
        else:
            messages.success(request, _("The motion was submitted."))
            return redirect(motion.get_absolute_url())
    return render(
        request,
        "governance/motions/motion_form.html",
        {"session": session, "form": form, "deadline": services.deadline(session, "motion")},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def motion_detail(request, pk: int):
    motion = access.get_motion_for_user(request.user, pk)
    session = motion.session
    roles = _roles(request.user, session)
    city_ids = {c.pk for c in roles["cities"]}
    context = selectors_motions.motion_detail(motion)
    return render(
        request,
        "governance/motions/motion_detail.html",
        {
            **context,
            "session": session,
            "may_amend": bool(roles["cities"]) and motion.is_open,
            "may_recommend": roles["committee"] or roles["bureau"],
            "city_ids": city_ids,
            "bureau": roles["bureau"],
            "attach_form": AttachForm(session=session, initial={"item": motion.item_id})
            if roles["bureau"] and motion.is_open
            else None,
            "amendment_deadline": services.deadline(session, "amendment"),
            "pending": RecommendationResponse.PENDING,
            "pdf": DeclarationPDF.objects.filter(motion=motion).first()
            if motion.published_at
            else None,
        },
    )


@login_required
def amendment_submit(request, pk: int):
    motion = access.get_motion_for_user(request.user, pk, write=True)
    current = services.current_version(motion)
    lines = selectors_motions.numbered_lines(current)
    cities = access.member_cities_of(request.user, motion.session.coalition_id)
    initial: dict[str, Any] = {"operation": "replace"}
    for key in ("first_line", "last_line"):
        if request.GET.get(key, "").isdigit():
            initial[key] = int(request.GET[key])
    form = AmendmentForm(
        request.POST or None, cities=cities, line_count=len(lines), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            amendment = services.submit_amendment(
                actor=request.user, motion=motion, **form.amendment_kwargs()
            )
        except GovernanceError as exc:
            exc.add_to(form)
        else:
            messages.success(request, _("The amendment was submitted."))
            return redirect(amendment.get_absolute_url())
    return render(
        request,
        "governance/motions/amendment_form.html",
        {
            "motion": motion,
            "version": current,
            "lines": lines,
            "form": form,
            "deadline": services.deadline(motion.session, "amendment"),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def amendment_recommend(request, pk: int):
    amendment = access.get_amendment_for_user(request.user, pk, recommend=True)
    form = RecommendationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.recommend_amendment(
                actor=request.user,
                amendment=amendment,
                recommendation=data["recommendation"],
                text=data["text"].splitlines(),
                note=data["note"],
            )
        except GovernanceError as exc:
            exc.add_to(form)
        else:
            messages.success(request, _("The recommendation was recorded."))
            return redirect(amendment.get_absolute_url())
    return render(
        request,
        "governance/motions/recommendation_form.html",
        {"amendment": amendment, "motion": amendment.motion, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def amendment_respond(request, pk: int):
    amendment = access.get_amendment_for_user(request.user, pk, write=True)
    answer = request.POST.get("answer")
    if answer not in ("accept", "decline"):
        messages.error(request, _("Accept or decline the recommendation."))
        return redirect(amendment.get_absolute_url())
    try:
        services.respond_to_recommendation(
            actor=request.user, amendment=amendment, accept=answer == "accept"
        )
    except GovernanceError as exc:
        messages.error(request, str(exc))
    else:
        if answer == "accept":
            messages.success(request, _("You accepted the recommendation."))
        else:
            messages.success(request, _("You declined the recommendation."))
    return redirect(amendment.get_absolute_url())


@login_required
def amendment_withdraw(request, pk: int):
    """Confirmed twice over: a GET page whose form posts confirmed=1 (or confirm.js's dialog)."""
    amendment = access.get_amendment_for_user(request.user, pk, write=True)
    if request.method == "POST" and request.POST.get("confirmed") == "1":
        try:
            services.withdraw_amendment(actor=request.user, amendment=amendment)
        except GovernanceError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The amendment was withdrawn."))
        return redirect(amendment.get_absolute_url())
    return render(
        request,
        "governance/motions/amendment_withdraw.html",
        {"amendment": amendment, "motion": amendment.motion},
    )


@login_required
@require_POST
def motion_attach(request, pk: int):
    motion = access.get_motion_for_bureau(request.user, pk)
    form = AttachForm(request.POST, session=motion.session)
    if form.is_valid():
        try:
            services.attach_motion(
                actor=request.user, motion=motion, item=form.cleaned_data["item"]
            )
        except GovernanceError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The motion was moved."))
    else:
        messages.error(request, _("Choose an item of the agenda."))
    return redirect(motion.get_absolute_url())


@login_required
def motion_translation(request, pk: int):
    motion = access.get_motion_for_bureau(request.user, pk)
    original = motion.adopted_version or services.current_version(motion)
    form = TranslationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_translation(
                actor=request.user,
                motion=motion,
                language=form.cleaned_data["language"],
                lines=form.lines(declaration=motion.is_declaration),
            )
        except GovernanceError as exc:
            exc.add_to(form)
        else:
            messages.success(request, _("The translation was added."))
            return redirect(motion.get_absolute_url())
    return render(
        request,
        "governance/motions/translation_form.html",
        {
            "motion": motion,
            "form": form,
            "lines": selectors_motions.numbered_lines(original),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def motion_publish(request, pk: int):
    """The bureau publishes an adopted declaration (confirmed: it cannot be unpublished)."""
    motion = access.get_motion_for_bureau(request.user, pk)
    if motion.published_at:
        return redirect("governance:declaration_detail", slug=motion.slug)
    error = None
    if request.method == "POST" and request.POST.get("confirmed") == "1":
        try:
            motion = services.publish_declaration(actor=request.user, motion=motion)
        except GovernanceError as exc:
            error = str(exc)
        else:
            messages.success(request, _("The declaration is published."))
            return redirect("governance:declaration_detail", slug=motion.slug)
    return render(
        request,
        "governance/motions/motion_publish.html",
        {
            "motion": motion,
            "error": error,
            "publishable": motion.is_declaration and motion.status == MotionStatus.ADOPTED,
        },
        status=400 if error else 200,
    )


# --- Public -----------------------------------------------------------------------------------


def declaration_detail(request, slug: str):
    motion = access.get_published_declaration(slug)
    return render(
        request,
        "governance/motions/declaration.html",
        {
            **selectors_motions.published_declaration(motion),
            "pdf": DeclarationPDF.objects.filter(motion=motion).first(),
        },
    )


def declaration_pdf(request, slug: str):
    motion = access.get_published_declaration(slug)
    pdf = DeclarationPDF.objects.filter(motion=motion).first()
    if pdf is None or not pdf.is_ready:
        raise Http404
    return private_file_response(pdf.file, filename=f"{motion.slug}.pdf", inline=True, public=True)
