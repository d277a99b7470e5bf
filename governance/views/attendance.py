"""Registration, accreditation, the desk, the room, a person's own page and roll calls."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from governance import access
from governance import selectors_attendance as reads
from governance import selectors_proxies as proxy_reads
from governance.attendance_forms import CodeForm, HandCardForm, RegistrationForm
from governance.models import (
    AttendanceChannel,
    RegistrationStatus,
    SessionMode,
    SessionStatus,
)
from governance.services import GovernanceError
from governance.services import attendance as services
from governance.views.confirm import reason_step
from governance.views.decorators import bureau_required

#: Seconds between two refreshes of the live quorum (htmx; without JavaScript: reload).
POLL_SECONDS = 5


# --- A city registers its people ------------------------------------------------------------


@login_required
def city_registrations(request, pk: int, city_pk: int):
    session = access.get_public_session(request.user, pk)
    city = access.get_city_for_registrar(request.user, city_pk)
    form = RegistrationForm(request.POST or None, session=session)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.register_attendee(
                    actor=request.user,
                    session=session,
                    city=city,
                    person=form.cleaned_data["person"],
                    role=form.cleaned_data["role"],
                    mode=form.cleaned_data["mode"],
                )
            except GovernanceError as exc:
                exc.add_to(form)
            else:
                messages.success(request, _("The registration was sent to the bureau."))
                return redirect("governance:city_registrations", pk=session.pk, city_pk=city.pk)
        status = 400
    proxies_allowed = bool(reads.snapshot_of(session).get("proxies_allowed"))
    return render(
        request,
        "governance/attendance/city_registrations.html",
        {
            "session": session,
            "city": city,
            "form": form,
            "registrations": reads.registrations_of(session, city=city),
            "open": session.status in (SessionStatus.CONVENED, SessionStatus.IN_SESSION),
            "proxies_allowed": proxies_allowed,
            "proxies_link": (
                proxy_reads.proxies_link_label(session, city) if proxies_allowed else ""
            ),
        },
        status=status,
    )


# --- The bureau accredits -------------------------------------------------------------------


@bureau_required
def session_registrations(request, pk: int):
    session = access.get_session_for_bureau(request.user, pk)
    return render(
        request,
        "governance/attendance/registrations.html",
        {
            "session": session,
            "registrations": reads.registrations_of(session),
            "submitted": RegistrationStatus.SUBMITTED,
        },
    )


@bureau_required
@require_POST
def registration_accredit(request, pk: int):
    registration = access.get_registration_for_desk(request.user, pk)
    access.require_bureau(request.user, registration.session.coalition_id)
    try:
        services.accredit_registration(actor=request.user, registration=registration)
    except GovernanceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("%(person)s is accredited; the check-in code was emailed.")
            % {"person": registration.person},
        )
    return redirect("governance:session_registrations", pk=registration.session_id)


@bureau_required
def registration_reject(request, pk: int):
    registration = access.get_registration_for_desk(request.user, pk)
    access.require_bureau(request.user, registration.session.coalition_id)
    return reason_step(
        request,
        step=lambda reason: services.reject_registration(
            actor=request.user, registration=registration, reason=reason
        ),
        template="governance/attendance/reject.html",
        context={"registration": registration},
        done=_("The registration was rejected; the city sees why."),
        next_url=reverse("governance:session_registrations", args=[registration.session_id]),
    )


# --- The desk and the room ------------------------------------------------------------------


def _desk_context(session, code_form=None, *, user=None) -> dict:
    quorum, rows = reads.desk_rows(session)
    snapshot = session.statute_snapshot or {}
    return {
        "proxies_allowed": bool(snapshot.get("proxies_allowed")),
        "second_convocation_possible": access.is_bureau(user, session.coalition_id)
        and bool(snapshot.get("second_convocation_allowed"))
        and session.status == SessionStatus.IN_SESSION
        and session.convocation_number == 1
        and not quorum.quorate,
        "session": session,
        "quorum": quorum,
        "rows": rows,
        "code_form": code_form or CodeForm(),
        "roll_calls": reads.roll_calls_of(session),
        "poll_seconds": POLL_SECONDS,
        "sitting": session.status in (SessionStatus.CONVENED, SessionStatus.IN_SESSION),
    }


@login_required
def session_desk(request, pk: int):
    session = access.get_session_for_desk(request.user, pk)
    return render(
        request, "governance/attendance/desk.html", _desk_context(session, user=request.user)
    )


@login_required
@require_POST
def desk_check_in(request, pk: int):
    session = access.get_session_for_desk(request.user, pk)
    form = CodeForm(request.POST)
    if form.is_valid():
        try:
            registration = services.check_in_by_code(
                actor=request.user, session=session, code=form.cleaned_data["code"]
            )
        except GovernanceError as exc:
            exc.add_to(form)
        else:
            messages.success(
                request,
                _("%(person)s (%(city)s) is checked in.")
                % {"person": registration.person, "city": registration.city.name},
            )
            return redirect("governance:session_desk", pk=session.pk)
    return render(
        request,
        "governance/attendance/desk.html",
        _desk_context(session, form, user=request.user),
        status=400,
    )


@login_required
@require_POST
def desk_attendance(request, pk: int):
    """The desk checks a person in (again) or out, by their row: a code works only once."""
    registration = access.get_registration_for_desk(request.user, pk)
    try:
        if request.POST.get("action") == "out":
            services.check_out(
                actor=request.user, registration=registration, channel=AttendanceChannel.DESK
            )
        else:
            services.check_in(
                actor=request.user, registration=registration, channel=AttendanceChannel.DESK
            )
    except GovernanceError as exc:
        messages.error(request, str(exc))
    return redirect("governance:session_desk", pk=registration.session_id)


@login_required
@require_POST
def roll_call_take(request, pk: int):
    session = access.get_session_for_desk(request.user, pk)
    try:
        roll_call = services.take_roll_call(actor=request.user, session=session)
    except GovernanceError as exc:
        messages.error(request, str(exc))
        return redirect("governance:session_desk", pk=session.pk)
    messages.success(request, _("The roll call was recorded."))
    return redirect("governance:roll_call_detail", pk=roll_call.pk)


@login_required
def roll_call_detail(request, pk: int):
    roll_call = access.get_roll_call_for_user(request.user, pk)
    return render(
        request,
        "governance/attendance/roll_call.html",
        {
            "roll_call": roll_call,
            "session": roll_call.session,
            "entries": reads.roll_call_entries(roll_call),
        },
    )


@login_required
def session_room(request, pk: int):
    session = access.get_session_for_participant(request.user, pk)
    quorum, rows = reads.desk_rows(session)
    template = (
        "governance/attendance/includes/room_panel.html"
        if request.htmx
        else "governance/attendance/room.html"
    )
    return render(
        request,
        template,
        {"session": session, "quorum": quorum, "rows": rows, "poll_seconds": POLL_SECONDS},
    )


@login_required
def session_quorum(request, pk: int):
    """The live quorum alone: the panel htmx refreshes on the desk page."""
    session = access.get_session_for_desk(request.user, pk)
    return render(
        request,
        "governance/attendance/includes/quorum.html",
        {"session": session, "quorum": reads.live_quorum(session), "poll_seconds": POLL_SECONDS},
    )


# --- A person's own page --------------------------------------------------------------------


def _card_choices(registration, holding):
    if holding is None:
        return []
    return [
        r
        for r in reads.registrations_of(registration.session, city=registration.city)
        if r.present and r.is_accredited and r.may_hold_card and r.person_id != holding.holder_id
    ]


def _registration_context(request, registration, *, code=None, hand_form=None):
    session = registration.session
    holding = reads.card_holder(session, registration.city)
    present = reads.registration_present(registration)
    is_own = registration.person_id == request.user.pk
    may_hand = holding is not None and (
        holding.holder_id == request.user.pk or access.is_desk(request.user, session)
    )
    return {
        "registration": registration,
        "session": session,
        "present": present,
        "holding": holding,
        "history": reads.card_history(session, registration.city),
        "is_own": is_own,
        "code": code,
        "qr": services.qr_data_uri(code) if code else None,
        "online_open": session.mode != SessionMode.IN_PERSON
        and session.status == SessionStatus.IN_SESSION,
        "hand_form": hand_form
        or (HandCardForm(choices=_card_choices(registration, holding)) if may_hand else None),
        "may_take": is_own
        and holding is None
        and present
        and registration.is_accredited
        and registration.may_hold_card,
    }


@login_required
def registration_detail(request, pk: int):
    registration = access.get_registration_for_user(request.user, pk)
    return render(
        request,
        "governance/attendance/registration.html",
        _registration_context(request, registration),
    )


@login_required
@require_POST
def registration_code(request, pk: int):
    """Show a fresh one-time code, once (only its hash is kept; the emailed one stops working)."""
    registration = access.get_registration_for_user(request.user, pk, write=True)
    try:
        code = services.reissue_code(actor=request.user, registration=registration)
    except GovernanceError as exc:
        messages.error(request, str(exc))
        return redirect("governance:registration_detail", pk=registration.pk)
    response = render(
        request,
        "governance/attendance/registration.html",
        _registration_context(request, registration, code=code),
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def registration_online(request, pk: int):
    """The person joins or leaves online from their own page."""
    registration = access.get_registration_for_user(request.user, pk, write=True)
    try:
        if request.POST.get("action") == "leave":
            services.check_out(
                actor=request.user, registration=registration, channel=AttendanceChannel.ONLINE
            )
            messages.success(request, _("You have left the session."))
        else:
            services.check_in(
                actor=request.user, registration=registration, channel=AttendanceChannel.ONLINE
            )
            messages.success(request, _("You have joined the session online."))
    except GovernanceError as exc:
        messages.error(request, str(exc))
    return redirect("governance:registration_detail", pk=registration.pk)


@login_required
@require_POST
def card_hand(request, pk: int):
    """Hand the card on: its holder, or the desk (`pk` is the current holding)."""
    holding = access.get_holding_for_hander(request.user, pk)
    registration = holding.registration
    to_desk = request.POST.get("next_page") == "desk" and access.is_desk(
        request.user, holding.session
    )
    back = (
        redirect("governance:session_desk", pk=holding.session_id)
        if to_desk
        else redirect(
            "governance:registration_detail", pk=_own_registration_pk(request.user, registration)
        )
    )
    form = HandCardForm(request.POST, choices=_card_choices(registration, holding))
    if not form.is_valid():
        messages.error(request, _("Choose a present delegate or substitute of the city."))
        return back
    try:
        new = services.hand_card(actor=request.user, holding=holding, to=form.cleaned_data["to"])
    except GovernanceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("%(person)s now holds the card of %(city)s.")
            % {"person": new.holder, "city": registration.city.name},
        )
    return back


def _own_registration_pk(user, registration) -> int:
    own = (
        registration.session.registrations.filter(person=user).values_list("pk", flat=True).first()
    )
    return own or registration.pk


@login_required
@require_POST
def card_take(request, pk: int):
    registration = access.get_registration_for_user(request.user, pk, write=True)
    try:
        services.take_card(actor=request.user, registration=registration)
    except GovernanceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("You hold the city's voting card."))
    return redirect("governance:registration_detail", pk=registration.pk)


@login_required
def my_registrations(request):
    return render(
        request,
        "governance/attendance/my_registrations.html",
        {"registrations": reads.registrations_of_person(request.user)},
    )
