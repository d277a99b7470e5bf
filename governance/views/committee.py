"""The steering committee: open votes, the vote page with its live tally, exclusion proposals."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from governance import access, selectors, services
from governance.models import Ballot, DecisionRule, ProposalStatus, VoteKind
from governance.views.decorators import committee_required
from governance.vote_forms import BallotForm, CommentForm, ExclusionProposalForm, OpenVoteForm


@committee_required
def committee_home(request):
    return render(
        request, "governance/committee_home.html", selectors.committee_overview(request.user)
    )


def _vote_context(request, vote, *, ballot_form=None, comment_form=None) -> dict:
    user = request.user
    on_committee = access.is_committee_member(user, vote.coalition_id)
    seat = access.voting_seat_for(user, vote)
    recused = access.recused_seat_for(user, vote) if seat is None else None
    my_ballot = Ballot.objects.filter(vote=vote, seat_id=seat.id).first() if seat else None
    is_bureau = access.is_bureau(user, vote.coalition_id)
    state = selectors.vote_state(
        vote, show_count=on_committee, show_choices=not vote.is_open and (on_committee or is_bureau)
    )
    application = vote.application
    if application is not None:
        selectors.application_with_actions(application)
    return {
        "vote": vote,
        "state": state,
        "application": application,
        "proposal": vote.exclusion_proposal,
        "my_seat": seat,
        "recused_seat": recused,
        "my_ballot": my_ballot,
        "can_vote": seat is not None and vote.is_open,
        "ballot_form": ballot_form
        or BallotForm(initial={"choice": my_ballot.choice if my_ballot else None}),
        "comment_form": comment_form or CommentForm(),
        "comments": selectors.comments_on(vote),
        "on_committee": on_committee,
        "is_bureau": is_bureau,
        "readiness": selectors.vote_readiness(vote) if (is_bureau or on_committee) else None,
    }


def _ballot_message(previous: Ballot | None, ballot: Ballot, *, still_open: bool) -> str:
    """Say whether the vote was cast, changed or left as it was, and what it now is."""
    now = ballot.get_choice_display()
    if previous is None or previous.choice == ballot.choice:
        said = _("Your vote was recorded: %(choice)s.") % {"choice": now}
    else:
        said = _("Your vote was changed from %(before)s to %(after)s.") % {
            "before": previous.get_choice_display(),
            "after": now,
        }
    if still_open:
        return f"{said} {_('You can change it until the vote closes.')}"
    return f"{said} {_('Every seat has voted: the vote is closed.')}"


@login_required
def vote_detail(request, pk: int):
    """GET: the vote, for the committee and the bureau. POST: a voting seat casts its vote."""
    if request.method == "POST":
        vote = access.get_vote_for_user(request.user, pk, write=True)
        form = BallotForm(request.POST)
        if form.is_valid():
            # One ballot per city, whichever of its seats cast it (governance.engine.cast).
            seat = access.voting_seat_for(request.user, vote)
            previous = (
                Ballot.objects.filter(vote=vote, city_id=seat.city_id).first()
                if seat and seat.city_id is not None
                else None
            )
            try:
                ballot = services.cast_vote(
                    actor=request.user, vote=vote, choice=form.cleaned_data["choice"]
                )
            except services.VoteClosedError as exc:
                messages.error(request, str(exc))
                vote.refresh_from_db()
                return render(
                    request, "governance/vote_detail.html", _vote_context(request, vote), status=403
                )
            except services.GovernanceError as exc:
                raise PermissionDenied(str(exc)) from exc
            vote.refresh_from_db()
            messages.success(request, _ballot_message(previous, ballot, still_open=vote.is_open))
            return redirect(vote.get_absolute_url())
        return render(
            request,
            "governance/vote_detail.html",
            _vote_context(request, vote, ballot_form=form),
        )
    vote = access.get_vote_for_user(request.user, pk)
    return render(request, "governance/vote_detail.html", _vote_context(request, vote))


@login_required
def vote_tally(request, pk: int):
    """The live tally fragment, polled by htmx every ten seconds."""
    vote = access.get_vote_for_user(request.user, pk)
    state = selectors.vote_state(
        vote, show_count=access.is_committee_member(request.user, vote.coalition_id)
    )
    return render(request, "governance/includes/tally.html", {"vote": vote, "state": state})


@require_POST
@login_required
def vote_comment(request, pk: int):
    vote = access.get_vote_for_user(request.user, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.add_comment(actor=request.user, vote=vote, body=form.cleaned_data["body"])
        except services.GovernanceError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Your comment was added."))
        return redirect(vote.get_absolute_url())
    return render(
        request, "governance/vote_detail.html", _vote_context(request, vote, comment_form=form)
    )


@committee_required
def propose_exclusion(request):
    voting = [s for s in access.held_seats(request.user) if s.is_voting]
    if not voting:
        raise PermissionDenied
    form = ExclusionProposalForm(
        request.POST or None, coalition_ids={s.coalition_id for s in voting}
    )
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.propose_exclusion(
                actor=request.user,
                membership=form.cleaned_data["membership"],
                grounds=form.cleaned_data["grounds"],
            )
        except services.GovernanceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("Your proposal was recorded. The bureau will put it to the committee.")
            )
            return redirect(proposal.get_absolute_url())
    return render(request, "governance/propose_exclusion.html", {"form": form})


@login_required
def exclusion_detail(request, pk: int):
    proposal = access.get_proposal_for_user(request.user, pk)
    is_bureau = access.is_bureau(request.user, proposal.coalition_id)
    return render(
        request,
        "governance/exclusion_detail.html",
        {
            "proposal": proposal,
            "votes": list(proposal.votes.order_by("-opened_at")),
            "decisions": list(proposal.decisions.select_related("recorded_by")),
            "is_bureau": is_bureau,
            "can_open_vote": is_bureau and proposal.status == ProposalStatus.PROPOSED,
            "can_record_decision": is_bureau
            and proposal.status == ProposalStatus.AWAITING_ASSEMBLY,
            "vote_form": OpenVoteForm(
                initial={
                    "closes_on": timezone.localdate()
                    + dt.timedelta(days=DecisionRule.vote_days_for(proposal.coalition))
                }
            ),
            "VoteKind": VoteKind,
        },
    )
