"""Officer elections: the steering committee elects its President and Vice-Presidents.

They run as the committee's own election does (ADR 0013: sealed ballots, k-of-n tellers,
the same count and verification) with three differences: the electorate is the
committee's voting seats, one ballot per seat, cast by the seat's representative
(`services.election_voters`); the candidates are the committee's voting members, who stand
themselves; certification writes `CommitteeOfficer` terms (`services.officers`), not seats.

An officer election names the terms it ends (`Election.outgoing_officers`) and counts its
vacancies (`additional_seats`): a by-election for one Vice-President among several ends
that one's term and no other.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition import audit
from governance.elections import count as counting
from governance.models import (
    AssemblySession,
    Candidacy,
    CandidacyStatus,
    CommitteeOfficer,
    CommitteeSeat,
    Election,
    ElectionBody,
    ElectionStatus,
    OfficerOffice,
    SeatKind,
    StatuteProfile,
)
from governance.services import officers as officer_services
from governance.services import seats as seat_services
from governance.services.common import GovernanceError
from governance.services.elections import ElectionDetails, create_election
from members.models import Coalition

#: The methods each office may be filled by (a single office: plurality only).
OFFICE_METHODS: dict[str, tuple[str, ...]] = {
    OfficerOffice.PRESIDENT.value: (counting.PLURALITY,),
    OfficerOffice.VICE_PRESIDENT.value: (counting.APPROVAL, counting.STV, counting.PLURALITY),
}


def renewable_terms(coalition: Coalition, on: dt.date | None = None):
    """The committee's officers' terms not ended by `on` (today): what an election may renew.

    The President first, then by start and city (one query, for the bureau's form)."""
    on = on or timezone.localdate()
    return (
        CommitteeOfficer.objects.filter(coalition=coalition)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .select_related("city", "person", "coalition")
        .order_by("office", "starts_on", "city__name", "pk")
    )


def _runs_into(term: CommitteeOfficer, day: dt.date) -> bool:
    return term.starts_on < day and (term.ends_on is None or term.ends_on >= day)


def _check_outgoing(
    coalition: Coalition, office: str, details: ElectionDetails, outgoing: list[CommitteeOfficer]
) -> None:
    today = timezone.localdate()
    for term in outgoing:
        person = term.person.full_name or term.person.email
        if term.coalition_id != coalition.pk:
            raise GovernanceError(
                _("%(person)s's term is on another coalition's committee.") % {"person": person},
                field="outgoing_officers",
            )
        if term.office != office:
            raise GovernanceError(
                _("%(person)s is %(held)s: this election fills the office of %(office)s.")
                % {
                    "person": person,
                    "held": term.get_office_display(),
                    "office": OfficerOffice(office).label,
                },
                field="outgoing_officers",
            )
        if term.ends_on is not None and term.ends_on < today:
            raise GovernanceError(
                _("%(person)s's term ended on %(day)s: count the office as a vacancy.")
                % {"person": person, "day": term.ends_on.isoformat()},
                field="outgoing_officers",
            )
        if term.starts_on >= details.term_starts_on:
            raise GovernanceError(
                _("%(person)s's term starts on %(day)s, not before the new term.")
                % {"person": person, "day": term.starts_on.isoformat()},
                field="outgoing_officers",
            )


def _check_room(
    coalition: Coalition,
    office: str,
    details: ElectionDetails,
    outgoing: list[CommitteeOfficer],
    offices: int,
    vacancies: int,
) -> None:
    """Never more holders at once than the office has: one President, the statute's VPs."""
    allowed = (
        1
        if office == OfficerOffice.PRESIDENT
        else officer_services.vice_presidents_allowed(
            StatuteProfile.current_for(coalition).snapshot()
        )
    )
    if allowed is None:
        return
    staying = [
        (t.starts_on, t.ends_on)
        for t in CommitteeOfficer.objects.overlapping(details.term_starts_on, details.term_ends_on)
        .filter(coalition=coalition, office=office)
        .exclude(pk__in=[t.pk for t in outgoing])
    ]
    new_terms = [(details.term_starts_on, details.term_ends_on)] * offices
    if (
        officer_services.most_at_once(
            staying + new_terms, details.term_starts_on, details.term_ends_on
        )
        <= allowed
    ):
        return
    if office == OfficerOffice.PRESIDENT:
        message = _(
            "The committee has a President during the new term: name the President's term"
            " among the outgoing officers."
        )
    else:
        message = _(
            "The statute provides %(n)s Vice-Presidents and %(staying)s stay in office during"
            " the new term: name the outgoing Vice-Presidents, or fill fewer offices."
        ) % {"n": allowed, "staying": len(staying)}
    raise GovernanceError(message, field="vacancies" if vacancies else "outgoing_officers")


@transaction.atomic
def create_officer_election(
    *,
    actor,
    coalition: Coalition,
    office: str,
    details: ElectionDetails,
    offices: int | None = None,
    outgoing: Sequence[CommitteeOfficer] | None = None,
    vacancies: int | None = None,
    session: AssemblySession | None = None,
) -> Election:
    """A draft election of the President (one office) or of `offices` Vice-Presidents.

    It fills the offices of the `outgoing` terms it renews or replaces (certification ends
    those, and only those, the day before the new term) plus `vacancies`, offices nobody
    holds (a resignation, a term already ended): `offices` = outgoing + vacancies. A
    by-election for one Vice-President among several names that one. Without `outgoing`
    the election renews the office: it names every term of the office running into the
    new one. Runs under the coalition lock the seat and officer services take.
    """
    if office not in OFFICE_METHODS:
        raise GovernanceError(_("Unknown office."), field="office")
    seat_services.lock_coalition(coalition)
    if outgoing is None:
        outgoing = [
            t
            for t in renewable_terms(coalition).filter(office=office)
            if _runs_into(t, details.term_starts_on)
        ]
    outgoing = list(outgoing)
    if len({t.pk for t in outgoing}) != len(outgoing):
        raise GovernanceError(_("A term is named twice."), field="outgoing_officers")
    if vacancies is None:
        wanted = offices if offices is not None else max(len(outgoing), 1)
        vacancies = max(wanted - len(outgoing), 0)
    if offices is None:
        offices = len(outgoing) + vacancies
    if vacancies < 0:
        raise GovernanceError(_("The number of vacancies cannot be negative."), field="vacancies")
    if office == OfficerOffice.PRESIDENT and offices != 1:
        raise GovernanceError(_("The committee has one President."), field="offices")
    _check_outgoing(coalition, office, details, outgoing)
    if offices != len(outgoing) + vacancies:
        raise GovernanceError(
            _(
                "The offices to fill (%(offices)s) are the outgoing officers ticked"
                " (%(outgoing)s) plus the vacancies (%(vacancies)s)."
            )
            % {"offices": offices, "outgoing": len(outgoing), "vacancies": vacancies},
            field="offices",
        )
    if details.method not in OFFICE_METHODS[office]:
        raise GovernanceError(
            _("The President is elected by plurality; Vice-Presidents by approval or STV."),
            field="method",
        )
    _check_room(coalition, office, details, outgoing, offices, vacancies)
    return create_election(
        actor=actor,
        coalition=coalition,
        details=details,
        outgoing_seats=[],
        outgoing_officers=outgoing,
        additional_seats=vacancies,
        body=ElectionBody.OFFICERS,
        office=office,
        session=session,
    )


def holds_office_during_term(election: Election, user) -> bool:
    """`user` holds the election's office during its new term, from a term it does not end."""
    return (
        CommitteeOfficer.objects.overlapping(election.term_starts_on, election.term_ends_on)
        .filter(coalition_id=election.coalition_id, office=election.office, person=user)
        .exclude(pk__in=election.outgoing_officers.values("pk"))
        .exists()
    )


def standing_seats(election: Election, user) -> list[CommitteeSeat]:
    """The voting seats of the election's committee that `user` represents today."""
    if not getattr(user, "is_authenticated", False) or not election.is_officer_election:
        return []
    if holds_office_during_term(election, user):
        return []  # a Vice-President who stays does not stand in the by-election
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
    if holds_office_during_term(election, actor):
        raise GovernanceError(
            _("You already hold the office of %(office)s during the new term.")
            % {"office": election.get_office_display()}
        )
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
