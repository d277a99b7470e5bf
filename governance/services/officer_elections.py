"""Officer elections: the steering committee elects its President and Vice-Presidents.

They run as the committee's own election does (ADR 0013: sealed ballots, k-of-n tellers,
the same count and verification) with three differences: the electorate is the
committee's voting seats, one ballot per seat, cast by the seat's representative
(`services.election_voters`); the candidates are the committee's voting members, who stand
themselves; certification writes `CommitteeOfficer` terms (`services.officers`), not seats.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition import audit
from governance.elections import count as counting
from governance.models import (
    AssemblySession,
    Candidacy,
    CandidacyStatus,
    CommitteeSeat,
    Election,
    ElectionBody,
    ElectionStatus,
    OfficerOffice,
    SeatKind,
)
from governance.services.common import GovernanceError
from governance.services.elections import ElectionDetails, create_election
from members.models import Coalition

#: The methods each office may be filled by (a single office: plurality only).
OFFICE_METHODS: dict[str, tuple[str, ...]] = {
    OfficerOffice.PRESIDENT.value: (counting.PLURALITY,),
    OfficerOffice.VICE_PRESIDENT.value: (counting.APPROVAL, counting.STV, counting.PLURALITY),
}


@transaction.atomic
def create_officer_election(
    *,
    actor,
    coalition: Coalition,
    office: str,
    details: ElectionDetails,
    offices: int = 1,
    session: AssemblySession | None = None,
) -> Election:
    """A draft election of the President (one office) or of `offices` Vice-Presidents."""
    if office not in OFFICE_METHODS:
        raise GovernanceError(_("Unknown office."), field="office")
    if office == OfficerOffice.PRESIDENT and offices != 1:
        raise GovernanceError(_("The committee has one President."), field="offices")
    if details.method not in OFFICE_METHODS[office]:
        raise GovernanceError(
            _("The President is elected by plurality; Vice-Presidents by approval or STV."),
            field="method",
        )
    return create_election(
        actor=actor,
        coalition=coalition,
        details=details,
        outgoing_seats=[],
        additional_seats=offices,
        body=ElectionBody.OFFICERS,
        office=office,
        session=session,
    )


def standing_seats(election: Election, user) -> list[CommitteeSeat]:
    """The voting seats of the election's committee that `user` represents today."""
    if not getattr(user, "is_authenticated", False) or not election.is_officer_election:
        return []
    return list(
        CommitteeSeat.objects.current()
        .voting()
        .filter(coalition_id=election.coalition_id, representative=user, city__isnull=False)
        .select_related("city")
        .order_by("city__name")
    )


def may_stand(election: Election) -> bool:
    return (
        election.is_officer_election
        and election.status == ElectionStatus.CANDIDACY
        and timezone.now() < election.candidacy_deadline
    )


@transaction.atomic
def stand_for_office(
    *, actor, election: Election, seat: CommitteeSeat, statement: str
) -> Candidacy:
    """The representative of a voting seat stands for the office (before the deadline)."""
    election = Election.objects.select_for_update().get(pk=election.pk)
    if not election.is_officer_election:
        raise GovernanceError(_("Member cities nominate the committee's candidates."))
    if not may_stand(election):
        raise GovernanceError(_("The call for candidates is closed."))
    seat = CommitteeSeat.objects.select_related("city").get(pk=seat.pk)
    if (
        seat.coalition_id != election.coalition_id
        or seat.kind != SeatKind.VOTING
        or seat.city is None
        or not seat.is_current
    ):
        raise GovernanceError(_("Officers are chosen among the committee's voting members."))
    if seat.representative_id != actor.pk:
        raise GovernanceError(_("Only the seat's representative stands for office."))
    if Candidacy.objects.filter(
        election=election, city=seat.city, status=CandidacyStatus.NOMINATED
    ).exists():
        raise GovernanceError(_("%(city)s already has a candidate.") % {"city": seat.city.name})
    candidacy = Candidacy.objects.create(
        election=election,
        city=seat.city,
        person=actor,
        statement=statement,
        nominated_by=actor,
    )
    audit.record(
        actor=actor,
        target=candidacy,
        verb="candidacy.stood",
        to_state=candidacy.status,
        data={"election": election.pk, "city": seat.city.pk, "seat": seat.pk},
    )
    return candidacy
