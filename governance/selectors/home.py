"""The bureau's and the committee's home pages: the overview, seats and memberships of their
coalitions.
"""

from __future__ import annotations

from governance import access
from governance.models import (
    AdmissionApplication,
    CommitteeSeat,
    CommitteeVote,
    ExclusionProposal,
    ProposalStatus,
)
from governance.selectors.votes import open_votes_for_committee, recent_closed_votes
from members.models import Coalition, Membership, MembershipStatus


def bureau_overview(user) -> dict:
    ids = access.bureau_coalition_ids(user)

    def scoped(qs):
        return qs if ids is None else qs.filter(coalition_id__in=ids)

    coalitions = Coalition.objects.all() if ids is None else Coalition.objects.filter(pk__in=ids)
    return {
        "coalitions": list(coalitions.order_by("name")),
        "waiting": list(
            scoped(AdmissionApplication.objects.waiting_for_bureau())
            .for_lists()
            .order_by("submitted_at", "pk")
        ),
        "returned": list(
            scoped(AdmissionApplication.objects.filter(status="returned"))
            .for_lists()
            .order_by("-updated_at")
        ),
        "open_votes": list(scoped(CommitteeVote.objects.open()).for_lists().order_by("closes_at")),
        "proposals_waiting_vote": list(
            scoped(ExclusionProposal.objects.filter(status=ProposalStatus.PROPOSED)).for_lists()
        ),
        "proposals_awaiting_assembly": list(
            scoped(
                ExclusionProposal.objects.filter(status=ProposalStatus.AWAITING_ASSEMBLY)
            ).for_lists()
        ),
        "recent_decisions": list(
            scoped(AdmissionApplication.objects.filter(status__in=["admitted", "rejected"]))
            .for_lists()
            .order_by("-decided_at")[:10]
        ),
    }


def seats_of(coalition_ids) -> list[CommitteeSeat]:
    qs = CommitteeSeat.objects.for_display()
    if coalition_ids is not None:
        qs = qs.filter(coalition_id__in=coalition_ids)
    return list(qs.order_by("coalition__name", "-starts_on", "kind", "city__name", "institution"))


def memberships_for_bureau(coalition_ids) -> list[Membership]:
    qs = Membership.objects.filter(
        status__in=[MembershipStatus.MEMBER, MembershipStatus.SUSPENDED]
    ).select_related("city", "coalition")
    if coalition_ids is not None:
        qs = qs.filter(coalition_id__in=coalition_ids)
    return list(qs.order_by("coalition__name", "city__name"))


def committee_overview(user) -> dict:
    seats = access.held_seats(user)
    coalition_ids = {s.coalition_id for s in seats}
    return {
        "seats": list(CommitteeSeat.objects.filter(pk__in=[s.id for s in seats]).for_display()),
        "votes": open_votes_for_committee(user),
        "proposals": list(
            ExclusionProposal.objects.filter(coalition_id__in=coalition_ids)
            .for_lists()
            .order_by("-created_at")[:20]
        ),
        "closed_votes": recent_closed_votes(coalition_ids),
        "can_propose": any(s.is_voting for s in seats),
    }
