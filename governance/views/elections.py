"""Election pages: the public call and result, a city's candidacy and ballot, the tellers'
tally, the bureau's steps. Thin: access, a form, a service, a template."""

from __future__ import annotations

import base64
import binascii

from csp.decorators import csp_update
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from coalition.files import private_file_response
from governance import access
from governance.election_forms import CandidacyForm, ElectionForm, OpenVotingForm, TallyForm
from governance.letters import LetterSizeLimitHandler
from governance.models import CommitteeSeat, ElectionStatus
from governance.selectors_elections import (
    PUBLISHED_LIST_STATUSES,
    RESULT_STATUSES,
    candidacies_of,
    city_ballot,
    election_sessions,
    elections_of,
    opened_ballots,
    result_view,
    sealed_count,
)
from governance.services import GovernanceError, officer_elections
from governance.services import elections as services
from governance.views.confirm import confirmation_page, is_confirmed
from governance.views.decorators import bureau_required
from governance.views.election_release import release_context
from members.models import City, Coalition

# --- Public pages ---------------------------------------------------------------------------


def coalition_elections(request, slug: str):
    coalition = get_object_or_404(Coalition, slug=slug)
    is_bureau = access.is_bureau(request.user, coalition.pk)
    return render(
        request,
        "governance/elections/list.html",
        {
            "coalition": coalition,
            "elections": elections_of(coalition, include_drafts=is_bureau),
            "is_bureau": is_bureau,
        },
    )


def election_detail(request, pk: int):
    election = access.get_public_election(request.user, pk)
    is_bureau = access.is_bureau(request.user, election.coalition_id)
    listed = election.status in PUBLISHED_LIST_STATUSES
    candidacies = candidacies_of(election) if listed or is_bureau else []
    coordinated = access.coordinated_city_ids(request.user)
    own_candidacies = [
        c
        for c in candidacies_of(election, with_withdrawn=True)
        if access.owns_candidacy(request.user, c, coordinated)
    ]
    nominating = []
    if (
        not election.is_officer_election
        and election.status == ElectionStatus.CANDIDACY
        and timezone.now() < election.candidacy_deadline
    ):
        nominating = list(
            City.objects.filter(
                pk__in=coordinated, memberships__coalition=election.coalition
            ).order_by("name")
        )
    counted = election.status in RESULT_STATUSES
    return render(
        request,
        "governance/elections/detail.html",
        {
            "election": election,
            "candidacies": candidacies,
            "own_candidacies": own_candidacies,
            "nominating": nominating,
            "standing": officer_elections.standing_seats(election, request.user)
            if officer_elections.may_stand(election)
            else [],
            "casting": services.cities_cast_by(election, request.user)
            if election.voting_is_open()
            else [],
            "is_bureau": is_bureau,
            "is_teller": access.is_teller(request.user, election),
            "outgoing_officers": election.outgoing_officers.select_related("city", "person")
            if election.is_officer_election
            else [],
            "result": result_view(election, candidacies) if counted else None,
            "ballots": opened_ballots(election) if counted else [],
            "sealed": sealed_count(election),
            **release_context(request.user, election),
        },
    )


def election_bundle(request, pk: int):
    """The published file `verify_election` reads (after the count)."""
    election = access.get_public_election(request.user, pk)
    if election.status not in RESULT_STATUSES:
        raise Http404
    response = JsonResponse(services.published_bundle(election), json_dumps_params={"indent": 1})
    response["Content-Disposition"] = f'attachment; filename="election-{election.pk}.json"'
    return response


# --- A member city: candidacy and ballot ----------------------------------------------------


@csrf_exempt  # checked by csrf_protect below, once the upload handlers are in place
@login_required
def nominate(request, pk: int, city_pk: int):
    request.upload_handlers.insert(0, LetterSizeLimitHandler(request))
    return _nominate(request, pk, city_pk)


@csrf_protect
def _nominate(request, pk: int, city_pk: int):
    city = access.get_city_for_coordinator(request.user, city_pk)
    election = access.get_public_election(request.user, pk)
    refusals = services.candidacy_refusals(election, city)
    form = CandidacyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.nominate_candidate(
                actor=request.user,
                election=election,
                city=city,
                person=form.person,
                statement=form.cleaned_data["statement"],
                letter=form.cleaned_data["letter"],
            )
        except GovernanceError as exc:
            exc.add_to(form)
        else:
            messages.success(request, _("%(city)s is nominated.") % {"city": city.name})
            return redirect(election.get_absolute_url())
    return render(
        request,
        "governance/elections/nominate.html",
        {"election": election, "city": city, "form": form, "refusals": refusals},
    )


@require_POST
@login_required
def candidacy_withdraw(request, pk: int):
    candidacy = access.get_candidacy_for_user(request.user, pk, write=True)
    election = candidacy.election
    if not is_confirmed(request):
        return confirmation_page(
            request,
            question=_("Withdraw the candidacy of %(city)s?") % {"city": candidacy.city.name},
            action=_("Withdraw the candidacy"),
            back=election.get_absolute_url(),
        )
    try:
        services.withdraw_candidacy(actor=request.user, candidacy=candidacy)
    except GovernanceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The candidacy is withdrawn."))
    return redirect(election.get_absolute_url())


@login_required
def candidacy_letter(request, pk: int):
    candidacy = access.get_candidacy_for_user(request.user, pk)
    if not candidacy.endorsement_letter:  # an officer's candidacy comes without a letter
        raise Http404
    return private_file_response(
        candidacy.endorsement_letter, filename=candidacy.endorsement_filename or "endorsement.pdf"
    )


@never_cache
@csp_update({"script-src": ["'wasm-unsafe-eval'"]})  # type: ignore[arg-type]  # libsodium's WebAssembly, this page only; django-csp's stub types a one-argument view
@login_required
@require_http_methods(["GET", "POST"])
def ballot(request, pk: int, city_pk: int):
    """The sealed ballot of one city: the page's script seals the choices, the server keeps
    only the ciphertext. Without JavaScript the page says why it cannot vote."""
    election = access.get_public_election(request.user, pk)
    city = next(
        (c for c in services.cities_cast_by(election, request.user) if c.pk == city_pk), None
    )
    if city is None:
        raise PermissionDenied
    if request.method == "POST":
        try:
            ciphertext = base64.b64decode(request.POST.get("ciphertext", ""), validate=True)
            services.cast_ballot(
                actor=request.user, election=election, city=city, ciphertext=ciphertext
            )
        except (binascii.Error, ValueError):
            messages.error(request, _("The ballot did not arrive sealed: vote again."))
        except GovernanceError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The ballot of %(city)s is cast.") % {"city": city.name})
        return redirect("governance:election_ballot", pk=election.pk, city_pk=city.pk)
    return render(
        request,
        "governance/elections/ballot.html",
        {
            "election": election,
            "city": city,
            "candidacies": candidacies_of(election),
            "current": city_ballot(election, city.pk),
            "public_key": base64.b64encode(bytes(election.public_key or b"")).decode(),
            "max_choices": 1 if election.method == "plurality" else election.seats,
            "is_open": election.voting_is_open(),
        },
    )


# --- Tellers --------------------------------------------------------------------------------


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def election_tally(request, pk: int):
    election = access.get_public_election(request.user, pk)
    if not access.is_teller(request.user, election):
        raise PermissionDenied
    form = TallyForm(request.POST or None, threshold=election.threshold)
    if request.method == "POST" and form.is_valid():
        try:
            services.tally(actor=request.user, election=election, shares=form.shares())
        except GovernanceError as exc:
            exc.add_to(form)
        else:
            messages.success(request, _("The ballot box is opened and counted."))
            return redirect(election.get_absolute_url())
    return render(request, "governance/elections/tally.html", {"election": election, "form": form})


# --- The bureau -----------------------------------------------------------------------------


@bureau_required
@require_http_methods(["GET", "POST"])
def election_create(request, slug: str):
    coalition = access.get_coalition_for_bureau(request.user, slug)
    seats = (
        CommitteeSeat.objects.current()
        .voting()
        .filter(coalition=coalition, ends_on__isnull=False)
        .select_related("city")
        .order_by("ends_on", "city__name")
    )
    form = ElectionForm(request.POST or None, seats=seats, sessions=election_sessions(coalition))
    if request.method == "POST" and form.is_valid():
        try:
            election = services.create_election(
                actor=request.user,
                coalition=coalition,
                details=form.details(),
                outgoing_seats=list(form.cleaned_data["outgoing_seats"]),
                additional_seats=form.cleaned_data["additional_seats"],
                session=form.cleaned_data.get("session"),
            )
        except GovernanceError as exc:
            exc.add_to(form)
        else:
            messages.success(request, _("The election is created as a draft."))
            return redirect("governance:election_manage", pk=election.pk)
    return render(request, "governance/elections/form.html", {"coalition": coalition, "form": form})


@bureau_required
def election_manage(request, pk: int):
    election = access.get_election_for_bureau(request.user, pk)
    candidacies = candidacies_of(election, with_withdrawn=True)
    return render(
        request,
        "governance/elections/manage.html",
        {
            "election": election,
            "candidacies": candidacies,
            "balance": services.balance_problems(election)
            if election.status in (ElectionStatus.CANDIDACY, ElectionStatus.PUBLISHED)
            else [],
            "outgoing": election.outgoing_seats.select_related("city"),
            "outgoing_officers": election.outgoing_officers.select_related("city", "person"),
            "is_teller": access.is_teller(request.user, election),
            "sealed": sealed_count(election),
            "deadline_passed": timezone.now() >= election.candidacy_deadline,
            "window_over": timezone.now() >= election.voting_closes_at,
            "challenge_over": timezone.localdate() > election.challenge_ends_on,
            "open_form": OpenVotingForm(coalition=election.coalition),
            "challenges": election.challenges.select_related("city").order_by("filed_at", "pk"),
        },
    )


def _bureau_step(request, pk: int, *, step, question: str, action: str, done: str):
    election = access.get_election_for_bureau(request.user, pk)
    if not is_confirmed(request):
        return confirmation_page(
            request,
            question=question % {"title": election.title},
            action=action,
            back=election.get_absolute_url(),
        )
    try:
        outcome = step(actor=request.user, election=election)
    except GovernanceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
        for problem in (
            outcome if isinstance(outcome, list) and outcome and isinstance(outcome[0], str) else []
        ):
            messages.warning(request, problem)
    return redirect("governance:election_manage", pk=election.pk)


@require_POST
@bureau_required
def election_call(request, pk: int):
    return _bureau_step(
        request,
        pk,
        step=services.open_call,
        question=_("Open the call for candidates of %(title)s?"),
        action=_("Open the call"),
        done=_("The call for candidates is open."),
    )


@require_POST
@bureau_required
def election_publish(request, pk: int):
    return _bureau_step(
        request,
        pk,
        step=services.publish_candidates,
        question=_("Publish the list of candidates of %(title)s?"),
        action=_("Publish the list"),
        done=_("The list of candidates is published."),
    )


@require_POST
@bureau_required
def election_close(request, pk: int):
    return _bureau_step(
        request,
        pk,
        step=services.close_voting,
        question=_("Close the ballot box of %(title)s and publish its fingerprint?"),
        action=_("Close the ballot box"),
        done=_("Voting is closed; the tellers may open the box."),
    )


@require_POST
@bureau_required
def election_certify(request, pk: int):
    election = access.get_election_for_bureau(request.user, pk)
    if election.is_officer_election:  # officers hold offices for terms, not seats
        question = _("Certify %(title)s and start the new officers' terms?")
        done = _("The election is certified: the new officers' terms are recorded.")
    else:
        question = _("Certify %(title)s and write the new seats into the ledger?")
        done = _("The election is certified: the new seats are in the ledger.")
    return _bureau_step(
        request,
        pk,
        step=services.certify_election,
        question=question,
        action=_("Certify the election"),
        done=done,
    )


@never_cache
@require_POST
@bureau_required
def election_open_voting(request, pk: int):
    """Opens voting and shows each teller's share once: this response is the only copy."""
    election = access.get_election_for_bureau(request.user, pk)
    form = OpenVotingForm(request.POST, coalition=election.coalition)
    if form.is_valid():
        tellers = list(form.cleaned_data["tellers"])
        try:
            ceremony = services.open_voting(
                actor=request.user,
                election=election,
                tellers=tellers,
                threshold=form.cleaned_data["threshold"],
            )
        except GovernanceError as exc:
            exc.add_to(form)
        else:
            return render(
                request,
                "governance/elections/shares.html",
                {
                    "election": election,
                    "shares": list(zip(tellers, ceremony.shares, strict=True)),
                },
            )
    for error in form.errors.values():
        for message in error:
            messages.error(request, str(message))
    return redirect("governance:election_manage", pk=election.pk)
