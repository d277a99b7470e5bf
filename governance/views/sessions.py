"""Assembly sessions: the bureau's pages (sessions, agenda, convening, deliveries), the public
pages (a coalition's sessions, a session, its convocation and documents), and a coordinator's
request for an extraordinary assembly."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coalition.files import private_file_response
from governance import access, convocations, selectors_delegates, selectors_sessions
from governance.models import AgendaItemStatus, ConvocationPDF, Minutes, SessionStatus
from governance.services import GovernanceError
from governance.services import assemblies as services
from governance.session_forms import (
    AgendaItemForm,
    BounceForm,
    DocumentForm,
    ExtraordinaryRequestForm,
    LateVoteForm,
    SessionForm,
)
from governance.views.decorators import bureau_required
from members.models import Coalition


def _coalitions_for(user):
    ids = access.bureau_coalition_ids(user)
    qs = Coalition.objects.order_by("name")
    return qs if ids is None else qs.filter(pk__in=ids)


# --- The bureau ------------------------------------------------------------------------------


@bureau_required
def session_list(request):
    coalitions = list(_coalitions_for(request.user))
    return render(
        request,
        "governance/session_list.html",
        {
            "sessions": selectors_sessions.sessions_for_bureau(coalitions),
            "requests": [
                (c, services.extraordinary_status(c))
                for c in coalitions
                if selectors_sessions.has_open_requests(c)
            ],
        },
    )


@bureau_required
def session_create(request):
    coalitions = _coalitions_for(request.user)
    form = SessionForm(request.POST or None, coalitions=coalitions)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.create_session(
                actor=request.user,
                coalition=form.cleaned_data["coalition"],
                details=form.details(),
            )
        except GovernanceError as exc:
            exc.add_to(form)
        else:
            messages.success(request, _("The session was drafted. Now set its agenda."))
            return redirect("governance:session_manage", pk=session.pk)
    return render(request, "governance/session_form.html", {"form": form, "session": None})


@bureau_required
def session_edit(request, pk: int):
    session = access.get_session_for_bureau(request.user, pk)
    if not session.is_draft:
        messages.error(request, _("The session was convened: its details are frozen."))
        return redirect("governance:session_manage", pk=session.pk)
    form = SessionForm(
        request.POST or None, coalitions=_coalitions_for(request.user), session=session
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_session(actor=request.user, session=session, details=form.details())
        except GovernanceError as exc:
            exc.add_to(form)
        else:
            messages.success(request, _("The session was saved."))
            return redirect("governance:session_manage", pk=session.pk)
    return render(request, "governance/session_form.html", {"form": form, "session": session})


def _manage_context(session, **forms) -> dict:
    return {
        "session": session,
        "items": selectors_sessions.agenda_of(session, include_withdrawn=True),
        "item_form": forms.get("item_form") or AgendaItemForm(),
        "late_form": forms.get("late_form") or AgendaItemForm(prefix="late"),
        "vote_form": LateVoteForm(),
        "convocation": ConvocationPDF.objects.filter(session=session).first(),
        "notice": services.notice_check(session) if session.is_draft else None,
        "deadlines": convocations.deadlines(session) if not session.is_draft else None,
        "statuses": SessionStatus,
        "pending": AgendaItemStatus.PENDING_APPROVAL,
    }


@bureau_required
def session_manage(request, pk: int):
    session = access.get_session_for_bureau(request.user, pk)
    return render(request, "governance/session_manage.html", _manage_context(session))


@bureau_required
def item_add(request, pk: int):
    session = access.get_session_for_bureau(request.user, pk)
    form = AgendaItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_agenda_item(actor=request.user, session=session, **form.cleaned_data)
        except GovernanceError as exc:
            exc.add_to(form)
        else:
            messages.success(request, _("The item was added to the agenda."))
            return redirect("governance:session_manage", pk=session.pk)
    return render(
        request,
        "governance/session_manage.html",
        _manage_context(session, item_form=form),
        status=200 if request.method == "GET" else 400,
    )


@bureau_required
@require_POST
def item_move(request, pk: int):
    item = access.get_agenda_item_for_bureau(request.user, pk)
    try:
        services.move_agenda_item(actor=request.user, item=item, up=request.POST.get("up") == "1")
    except GovernanceError as exc:
        messages.error(request, str(exc))
    return redirect("governance:session_manage", pk=item.session_id)


@bureau_required
@require_POST
def item_withdraw(request, pk: int):
    item = access.get_agenda_item_for_bureau(request.user, pk)
    try:
        services.withdraw_agenda_item(actor=request.user, item=item)
    except GovernanceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The item was withdrawn."))
    return redirect("governance:session_manage", pk=item.session_id)


@bureau_required
def item_document(request, pk: int):
    item = access.get_agenda_item_for_bureau(request.user, pk)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_agenda_document(
                actor=request.user,
                item=item,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
                public=form.cleaned_data["public"],
            )
        except GovernanceError as exc:
            exc.add_to(form)
        else:
            messages.success(request, _("The document was added."))
            return redirect("governance:session_manage", pk=item.session_id)
    return render(request, "governance/agenda_document.html", {"item": item, "form": form})


@bureau_required
def session_convene(request, pk: int):
    session = access.get_session_for_bureau(request.user, pk)
    if not session.is_draft:
        messages.error(request, _("The session was convened already."))
        return redirect("governance:session_manage", pk=session.pk)
    error = None
    if request.method == "POST":
        try:
            services.convene_session(actor=request.user, session=session)
        except GovernanceError as exc:
            error = str(exc)
        else:
            messages.success(
                request, _("The session was convened; the convocations are on their way.")
            )
            return redirect("governance:session_deliveries", pk=session.pk)
    people = services.recipients(session)
    return render(
        request,
        "governance/session_convene.html",
        {
            "session": session,
            "notice": services.notice_check(session),
            "items": selectors_sessions.agenda_of(session),
            "recipients": len(people),
            "cities": len({p.city.pk for p in people}),
            "error": error,
        },
        status=400 if error else 200,
    )


@bureau_required
@require_POST
def session_open(request, pk: int):
    session = access.get_session_for_bureau(request.user, pk)
    try:
        services.open_session(actor=request.user, session=session)
    except GovernanceError as exc:
        messages.error(request, str(exc))
    return redirect("governance:session_manage", pk=session.pk)


@bureau_required
@require_POST
def session_close(request, pk: int):
    session = access.get_session_for_bureau(request.user, pk)
    try:
        services.close_session(actor=request.user, session=session)
    except GovernanceError as exc:
        messages.error(request, str(exc))
    return redirect("governance:session_manage", pk=session.pk)


@bureau_required
@require_POST
def late_item_add(request, pk: int):
    session = access.get_session_for_bureau(request.user, pk)
    form = AgendaItemForm(request.POST, prefix="late")
    if form.is_valid():
        try:
            services.add_late_item(actor=request.user, session=session, **form.cleaned_data)
        except GovernanceError as exc:
            exc.add_to(form)
        else:
            messages.success(request, _("The item awaits the procedural vote."))
            return redirect("governance:session_manage", pk=session.pk)
    return render(
        request,
        "governance/session_manage.html",
        _manage_context(session, late_form=form),
        status=400,
    )


@bureau_required
@require_POST
def late_item_vote(request, pk: int):
    item = access.get_agenda_item_for_bureau(request.user, pk)
    form = LateVoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the three counts as whole numbers."))
        return redirect("governance:session_manage", pk=item.session_id)
    try:
        item = services.record_late_item_vote(actor=request.user, item=item, **form.cleaned_data)
    except GovernanceError as exc:
        messages.error(request, str(exc))
    else:
        if item.late_item_approved:
            messages.success(request, _("The procedural vote carried: the item is on the agenda."))
        else:
            messages.warning(request, _("The procedural vote failed: the item is not added."))
    return redirect("governance:session_manage", pk=item.session_id)


@bureau_required
def session_deliveries(request, pk: int):
    session = access.get_session_for_bureau(request.user, pk)
    deliveries = selectors_sessions.deliveries_of(session)
    return render(
        request,
        "governance/session_deliveries.html",
        {
            "session": session,
            "deliveries": deliveries,
            "counts": selectors_sessions.delivery_counts(deliveries),
            "form": BounceForm(),
        },
    )


@bureau_required
@require_POST
def delivery_bounce(request, pk: int):
    delivery = access.get_delivery_for_bureau(request.user, pk)
    form = BounceForm(request.POST)
    if form.is_valid():
        try:
            services.record_bounce(actor=request.user, delivery=delivery, **form.cleaned_data)
        except GovernanceError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The bounce was recorded."))
    else:
        messages.error(request, _("Say what bounced (the mail server's reply)."))
    return redirect("governance:session_deliveries", pk=delivery.session_id)


# --- Public pages -----------------------------------------------------------------------------


def coalition_sessions(request, slug: str):
    coalition = get_object_or_404(Coalition, slug=slug)
    upcoming, past = selectors_sessions.public_sessions(coalition, now=timezone.now())
    return render(
        request,
        "governance/coalition_sessions.html",
        {"coalition": coalition, "upcoming": upcoming, "past": past},
    )


def session_detail(request, pk: int):
    session = access.get_public_session(request.user, pk)
    members_view = access.can_see_members_documents(request.user, session.coalition_id)
    return render(
        request,
        "governance/session_detail.html",
        {
            "session": session,
            "items": selectors_sessions.agenda_of(session, announced_only=not session.is_draft),
            "members_view": members_view,
            "motions_view": access.can_see_motions(request.user, session),
            "proxies_links": selectors_delegates.session_proxies_links(request.user, session),
            "convocation": ConvocationPDF.objects.filter(session=session).first(),
            "deadlines": convocations.deadlines(session),
            "minutes": Minutes.objects.filter(session=session).first(),
            "minute_writer": access.is_minute_writer(request.user, session),
            "minutes_shared_view": members_view,
        },
    )


def session_convocation(request, pk: int):
    session = access.get_public_session(request.user, pk)
    pdf = ConvocationPDF.objects.filter(session=session).first()
    if pdf is None or not pdf.is_ready:
        raise Http404
    return private_file_response(
        pdf.file, filename=f"convocation-{session.pk}.pdf", inline=True, public=True
    )


def agenda_document(request, pk: int):
    document = access.get_agenda_document_for_user(request.user, pk)
    return private_file_response(document.file, filename=document.original_name, inline=True)


# --- A city's coordinator ---------------------------------------------------------------------


@login_required
def extraordinary_request(request, city_pk: int):
    city = access.get_city_for_coordinator(request.user, city_pk)
    form = ExtraordinaryRequestForm(request.POST or None, city=city)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_extraordinary_assembly(
                actor=request.user,
                coalition=form.cleaned_data["coalition"],
                city=city,
                reason=form.cleaned_data["reason"],
            )
        except GovernanceError as exc:
            exc.add_to(form)
        else:
            messages.success(request, _("The request was recorded; the bureau sees it."))
            return redirect("governance:extraordinary_request", city_pk=city.pk)
    return render(
        request,
        "governance/extraordinary_request.html",
        {
            "city": city,
            "form": form,
            "open_requests": selectors_sessions.open_requests_of_city(city),
        },
    )
