"""Officer elections: the bureau creates one; a committee member stands for office.

The rest (call, list, ballot, tally, certification) are the election pages of
governance.views.elections: an officer election runs the same way (ADR 0013).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from governance import access
from governance.election_forms import OfficerElectionForm, StandForm
from governance.selectors_elections import election_sessions
from governance.services import GovernanceError
from governance.services import officer_elections as services
from governance.views.decorators import bureau_required


@bureau_required
@require_http_methods(["GET", "POST"])
def officer_election_create(request, slug: str):
    coalition = access.get_coalition_for_bureau(request.user, slug)
    form = OfficerElectionForm(
        request.POST or None,
        sessions=election_sessions(coalition),
        terms=services.renewable_terms(coalition),
    )
    if request.method == "POST" and form.is_valid():
        try:
            election = services.create_officer_election(
                actor=request.user,
                coalition=coalition,
                office=form.cleaned_data["office"],
                details=form.details(),
                offices=form.cleaned_data["offices"],
                outgoing=list(form.cleaned_data["outgoing_officers"]),
                vacancies=form.cleaned_data["vacancies"],
                session=form.cleaned_data.get("session"),
            )
        except GovernanceError as exc:
            exc.add_to(form)
        else:
            messages.success(request, _("The election is created as a draft."))
            return redirect("governance:election_manage", pk=election.pk)
    return render(
        request,
        "governance/elections/officer_form.html",
        {"coalition": coalition, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def stand_for_office(request, pk: int, seat_pk: int):
    """The representative of a voting seat stands in an officer election (403 to others)."""
    election = access.get_public_election(request.user, pk)
    seat = next(
        (s for s in services.standing_seats(election, request.user) if s.pk == seat_pk), None
    )
    if seat is None or not services.may_stand(election):
        raise PermissionDenied
    form = StandForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.stand_for_office(
                actor=request.user,
                election=election,
                seat=seat,
                statement=form.cleaned_data["statement"],
            )
        except GovernanceError as exc:
            exc.add_to(form)
        else:
            messages.success(request, _("You stand for office."))
            return redirect(election.get_absolute_url())
    return render(
        request,
        "governance/elections/stand.html",
        {"election": election, "seat": seat, "form": form},
    )
