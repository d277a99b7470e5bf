"""Applications, committee votes, exclusion proposals, the statute profile and fees."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from governance.models import (
    AdmissionApplication,
    CommitteeVote,
    ExclusionProposal,
    MembershipFee,
)
from governance.rules import SeatInfo, split_electorate
from members.models import Coalition

from .people import HeldSeat, is_bureau, is_committee_member, require_bureau, seats_in

# --- Applications -------------------------------------------------------------


def can_see_application(user, application: AdmissionApplication) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if application.applicant_id == user.pk or is_bureau(user, application.coalition_id):
        return True
    # The committee sees an application once the bureau has put it to its vote.
    return is_committee_member(user, application.coalition_id) and application.votes.exists()


def get_application_for_user(user, pk: int, write: bool = False) -> AdmissionApplication:
    """The application, if this person may see it (else 404).

    With write=True, only its applicant or the coalition's bureau may go on
    (else PermissionDenied); which change each may make is the view's and the
    service's business.
    """
    application = get_object_or_404(
        AdmissionApplication.objects.select_related(
            "coalition", "city", "applicant", "plan", "membership"
        ),
        pk=pk,
    )
    if not can_see_application(user, application):
        raise Http404
    if write and not (
        application.applicant_id == user.pk or is_bureau(user, application.coalition_id)
    ):
        raise PermissionDenied
    return application


# --- Votes --------------------------------------------------------------------


def can_see_vote(user, vote: CommitteeVote) -> bool:
    return is_bureau(user, vote.coalition_id) or is_committee_member(user, vote.coalition_id)


def get_vote_for_user(user, pk: int, write: bool = False) -> CommitteeVote:
    """The vote, if this person sits on the coalition's committee or staffs its bureau.

    With write=True (casting a ballot) the person must represent a voting seat
    that is not recused.
    """
    vote: CommitteeVote = get_object_or_404(
        CommitteeVote.objects.select_related(
            "coalition",
            "subject_city",
            "application__city",
            "exclusion_proposal__membership__city",
        ),
        pk=pk,
    )
    if not can_see_vote(user, vote):
        raise Http404
    if write and voting_seat_for(user, vote) is None:
        raise PermissionDenied
    return vote


def voting_seat_for(user, vote: CommitteeVote) -> HeldSeat | None:
    """The seat through which this person votes on this vote, if any (recused seats excluded)."""
    seats = seats_in(user, vote.coalition_id)
    eligible, _recused = split_electorate(
        [SeatInfo(s.id, s.city_id, s.kind) for s in seats], vote.subject_city_id
    )
    return next((s for s in seats if s.id in eligible), None)


def recused_seat_for(user, vote: CommitteeVote) -> HeldSeat | None:
    seats = seats_in(user, vote.coalition_id)
    _eligible, recused = split_electorate(
        [SeatInfo(s.id, s.city_id, s.kind) for s in seats], vote.subject_city_id
    )
    return next((s for s in seats if s.id in recused), None)


# --- Exclusion proposals ---------------------------------------------------------


def get_proposal_for_user(user, pk: int, write: bool = False) -> ExclusionProposal:
    """An exclusion proposal: seen by the committee and the bureau; changed by the bureau."""
    proposal = get_object_or_404(
        ExclusionProposal.objects.select_related(
            "coalition", "membership__city", "proposed_by", "proposer_seat__city"
        ),
        pk=pk,
    )
    if not (
        is_bureau(user, proposal.coalition_id) or is_committee_member(user, proposal.coalition_id)
    ):
        raise Http404
    if write and not is_bureau(user, proposal.coalition_id):
        raise PermissionDenied
    return proposal


# --- The statute profile and membership fees ---------------------------------------------


def get_coalition_for_bureau(user, slug: str) -> Coalition:
    """A coalition whose statute profile and fees this person keeps: its bureau, or an admin.

    Coalitions are public, so another coalition's staff get PermissionDenied, not 404.
    """
    coalition = get_object_or_404(Coalition, slug=slug)
    require_bureau(user, coalition.pk)
    return coalition


def get_fee_for_user(user, pk: int) -> MembershipFee:
    """A city's fee: what it owes is private to its coalition's bureau (404 to anyone else)."""
    fee = get_object_or_404(MembershipFee.objects.select_related("coalition", "city"), pk=pk)
    if not is_bureau(user, fee.coalition_id):
        raise Http404
    return fee
