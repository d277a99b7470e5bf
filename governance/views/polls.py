"""Assembly polls: the chair's page, a poll's page (where the card holder votes), the projector,
the poll's JSON, and the written reply of a city whose exclusion is on the agenda.

While a poll is open no page, fragment or JSON here says more than "N of M cities have voted".
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from governance import access
from governance import selectors_polls as reads
from governance.models import PollStatus, Proxy
from governance.poll_forms import BallotForm, HandVoteForm, OpenPollForm, ReplyForm
from governance.services import GovernanceError, exclusions
from governance.services import polls as services
from members.models import City

#: Seconds between two refreshes of the live fragments (htmx; without JavaScript: reload).
POLL_SECONDS = 3


def _officer_flags(user, session) -> dict:
    return {
        "is_chair": services.is_chair(user, session),
        "is_teller": services.is_teller(user, session),
    }


def _chair_context(request, session, *, open_form=None, open_item=None, hand_form=None) -> dict:
    room = reads.room_state(session, officer=True)
    current = room.current
    open_poll = current.poll if current and current.poll.is_open else None
    forms_by_item = {}
    for item in reads.decidable_items(session):
        if open_item is not None and item.pk == open_item.pk:
            form = open_form
        else:
            form = OpenPollForm(kinds=services.kinds_for(item), prefix=f"item{item.pk}")
        forms_by_item[item.pk] = (item, form, services.next_up(item))
    if open_poll is not None and hand_form is None:
        hand_form = HandVoteForm(poll=open_poll, cities=reads.cities_yet_to_vote(open_poll))
    return {
        "session": session,
        "room": room,
        "open_poll": open_poll,
        "items": list(forms_by_item.values()),
        "hand_form": hand_form,
        "ballots": reads.ballot_rows(open_poll) if open_poll else [],
        "polls": [v for v in reads.session_polls(session, officer=True) if not v.poll.is_open],
        "poll_seconds": POLL_SECONDS,
        "PollStatus": PollStatus,
        **_officer_flags(request.user, session),
    }


@login_required
def chair_page(request, pk: int):
    session = access.get_session_for_officer(request.user, pk)
    return render(request, "governance/polls/chair.html", _chair_context(request, session))


@login_required
@require_POST
def poll_open(request, pk: int):
    item = access.get_item_for_officer(request.user, pk)
    session = item.session
    form = OpenPollForm(request.POST, kinds=services.kinds_for(item), prefix=f"item{item.pk}")
    if form.is_valid():
        try:
            poll = services.open_poll(
                actor=request.user,
                item=item,
                kind=form.cleaned_data["kind"],
                question=form.cleaned_data["question"],
                named=form.cleaned_data["named"],
                options=form.option_list(),
            )
        except GovernanceError as exc:
            exc.add_to(form)
        else:
            messages.success(request, _("The poll is open: %(q)s") % {"q": poll.question})
            return redirect("governance:chair_page", pk=session.pk)
    context = _chair_context(request, session, open_form=form, open_item=item)
    return render(request, "governance/polls/chair.html", context, status=400)


def _confirmed_step(request, poll, *, action: str, question: str, service, done: str):
    """An irreversible step: a POST without `confirmed=1` shows the confirmation page."""
    if request.POST.get("confirmed") != "1":
        return render(
            request,
            "governance/polls/confirm.html",
            {"poll": poll, "action": action, "question": question},
        )
    try:
        service(actor=request.user, poll=poll)
    except GovernanceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("governance:chair_page", pk=poll.session_id)


@login_required
@require_POST
def poll_close(request, pk: int):
    poll = access.get_poll_for_officer(request.user, pk)
    return _confirmed_step(
        request,
        poll,
        action="governance:poll_close",
        question=_("Close the poll? No city can vote after this."),
        service=services.close_poll,
        done=_("The poll is closed; its result awaits your release."),
    )


@login_required
@require_POST
def poll_cancel(request, pk: int):
    poll = access.get_poll_for_officer(request.user, pk)
    return _confirmed_step(
        request,
        poll,
        action="governance:poll_cancel",
        question=_("Cancel the poll? Its ballots will never be counted."),
        service=services.cancel_poll,
        done=_("The poll was cancelled."),
    )


@login_required
@require_POST
def poll_release(request, pk: int):
    poll = access.get_poll_for_officer(request.user, pk)
    return _confirmed_step(
        request,
        poll,
        action="governance:poll_release",
        question=_("Release the result? A teller then confirms it and it becomes public."),
        service=services.release_result,
        done=_("The result is released; a teller confirms it."),
    )


@login_required
@require_POST
def poll_confirm(request, pk: int):
    poll = access.get_poll_for_officer(request.user, pk)
    return _confirmed_step(
        request,
        poll,
        action="governance:poll_confirm",
        question=_("Confirm the result as a teller? It becomes public and takes effect."),
        service=services.confirm_result,
        done=_("The result is confirmed and public."),
    )


@login_required
@require_POST
def poll_hand_vote(request, pk: int):
    poll = access.get_poll_for_officer(request.user, pk)
    cities = reads.cities_yet_to_vote(poll)
    form = HandVoteForm(request.POST, poll=poll, cities=cities)
    if form.is_valid():
        city = next(c for c in cities if str(c.pk) == form.cleaned_data["city"])
        try:
            services.enter_hand_vote(actor=request.user, poll=poll, city=city, **form.vote())
        except GovernanceError as exc:
            exc.add_to(form)
        else:
            messages.success(
                request,
                _("The vote of %(city)s was entered; a teller confirms it.") % {"city": city},
            )
            return redirect("governance:chair_page", pk=poll.session_id)
    context = _chair_context(request, poll.session, hand_form=form)
    return render(request, "governance/polls/chair.html", context, status=400)


@login_required
@require_POST
def ballot_confirm(request, pk: int):
    ballot = access.get_ballot_for_officer(request.user, pk)
    try:
        services.confirm_hand_vote(actor=request.user, ballot=ballot)
    except GovernanceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The vote of %(city)s is confirmed.") % {"city": ballot.city})
    return redirect("governance:chair_page", pk=ballot.poll.session_id)


# --- A poll's page: progress for everyone who may see it, the ballot for the card holder -------


@dataclass
class CityVote:
    """One city this person may vote for on the poll: the card's own, or one by proxy."""

    city: City
    proxy: Proxy | None
    eligible: bool
    done: bool
    form: BallotForm | None


def _prefix(city, proxy) -> str | None:
    """The card's own city keeps the plain field names; each city by proxy has its prefix."""
    return f"city{city.pk}" if proxy is not None else None


def _city_votes(request, poll, *, posted_city: int | None = None, posted_form=None):
    holding = services.holding_of(request.user, poll.session)
    if holding is None:
        return None, []
    held = [(holding.city, None)] + [
        (p.principal, p) for p in services.proxies_held(request.user, poll.session)
    ]
    ids = [city.pk for city, _proxy in held]
    eligible = set(
        poll.electors.filter(city_id__in=ids, status="eligible").values_list("city_id", flat=True)
    )
    voted = set(poll.ballots.filter(city_id__in=ids).values_list("city_id", flat=True))
    votes = []
    for city, proxy in held:
        may = poll.is_open and city.pk in eligible and city.pk not in voted
        form = None
        if may:
            form = (
                posted_form
                if posted_city == city.pk and posted_form is not None
                else BallotForm(poll=poll, prefix=_prefix(city, proxy))
            )
        votes.append(CityVote(city, proxy, city.pk in eligible, city.pk in voted, form))
    return holding, votes


def _poll_context(request, poll, *, posted_city=None, posted_form=None) -> dict:
    session = poll.session
    officer = access.is_poll_officer(request.user, session)
    holding, votes = _city_votes(request, poll, posted_city=posted_city, posted_form=posted_form)
    return {
        "poll": poll,
        "session": session,
        "view": reads.poll_view(poll, officer=officer),
        "holding": holding,
        "votes": votes,
        "poll_seconds": POLL_SECONDS,
    }


@login_required
def poll_detail(request, pk: int):
    poll = access.get_poll_for_user(request.user, pk)
    if request.method == "POST":
        holding, votes = _city_votes(request, poll)
        try:  # no city posted: the card's own
            city_pk = int(request.POST["city"]) if request.POST.get("city") else None
        except ValueError:
            city_pk = -1
        if city_pk is None and holding is not None:
            city_pk = holding.city_id
        target = next((v for v in votes if v.city.pk == city_pk), None)
        if target is None:
            if holding is None:
                messages.error(request, _("Only the person holding a city's voting card can vote."))
            else:
                messages.error(request, _("You cannot vote for this city on this poll."))
            return render(
                request, "governance/polls/poll.html", _poll_context(request, poll), status=400
            )
        form = BallotForm(request.POST, poll=poll, prefix=_prefix(target.city, target.proxy))
        if form.is_valid():
            try:
                services.cast_ballot(
                    actor=request.user,
                    poll=poll,
                    city=target.city if target.proxy is not None else None,
                    **form.vote(),
                )
            except GovernanceError as exc:
                exc.add_to(form)
            else:
                messages.success(
                    request,
                    _("The vote of %(city)s is recorded.") % {"city": target.city.name}
                    if target.proxy
                    else _("Your city's vote is recorded."),
                )
                return redirect("governance:poll_detail", pk=poll.pk)
        context = _poll_context(request, poll, posted_city=target.city.pk, posted_form=form)
        return render(request, "governance/polls/poll.html", context, status=400)
    return render(request, "governance/polls/poll.html", _poll_context(request, poll))


@login_required
def poll_progress(request, pk: int):
    """The progress (and, once public, the result) alone: the fragment htmx refreshes."""
    poll = access.get_poll_for_user(request.user, pk)
    officer = access.is_poll_officer(request.user, poll.session)
    return render(
        request,
        "governance/polls/includes/progress.html",
        {"view": reads.poll_view(poll, officer=officer), "poll_seconds": POLL_SECONDS},
    )


@login_required
def poll_json(request, pk: int):
    """The poll as data: while open, only how many cities voted; the result once public."""
    poll = access.get_poll_for_user(request.user, pk)
    view = reads.poll_view(poll, officer=False)
    data = {
        "id": poll.pk,
        "question": poll.question,
        "kind": poll.kind,
        "status": poll.status,
        "voted": view.voted,
        "electorate": view.electorate,
    }
    if view.result is not None:
        data.update(outcome=poll.outcome, result=view.result, arithmetic=view.arithmetic)
    return JsonResponse(data)


# --- The projector ----------------------------------------------------------------------------


@login_required
def projector(request, pk: int):
    session = access.get_session_for_room(request.user, pk)
    template = (
        "governance/polls/includes/projector_panel.html"
        if request.htmx
        else "governance/polls/projector.html"
    )
    return render(
        request,
        template,
        {
            "session": session,
            "room": reads.room_state(session, officer=False),
            "poll_seconds": POLL_SECONDS,
        },
    )


# --- The city concerned by an exclusion replies ----------------------------------------------


@login_required
def exclusion_reply(request, pk: int):
    item = access.get_exclusion_item_for_reply(request.user, pk)
    form = ReplyForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                exclusions.file_exclusion_reply(
                    actor=request.user,
                    item=item,
                    text=form.cleaned_data["text"],
                    upload=form.cleaned_data.get("file"),
                )
            except GovernanceError as exc:
                exc.add_to(form)
            else:
                messages.success(request, _("Your reply is attached to the agenda item."))
                return redirect("governance:exclusion_reply", pk=item.pk)
        status = 400
    return render(
        request,
        "governance/polls/reply.html",
        {"item": item, "session": item.session, "form": form, "replies": item.replies.all()},
        status=status,
    )
