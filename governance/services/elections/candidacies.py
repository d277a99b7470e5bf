"""Setting an election up: the timetable, the call, the candidacies, the published list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition import audit
from coalition.services import model_update
from governance.elections import count as counting
from governance.errors import GovernanceError
from governance.models import (
    AssemblySession,
    Candidacy,
    CandidacyStatus,
    CommitteeOfficer,
    CommitteeSeat,
    Election,
    ElectionBody,
    ElectionStatus,
    StatuteProfile,
)
from governance.services.delegates import is_coordinator_of
from governance.services.elections.steps import lock_election, move_status
from governance.statute_selectors import fee_reason, judge, voting_facts
from members.models import City, Coalition


@dataclass(frozen=True)
class ElectionDetails:
    title: str
    method: str
    term_starts_on: dt.date
    term_ends_on: dt.date
    candidacy_deadline: dt.datetime
    voting_opens_at: dt.datetime
    voting_closes_at: dt.datetime
    challenge_ends_on: dt.date


def vacancies(coalition: Coalition, term_starts_on: dt.date) -> list[CommitteeSeat]:
    """Voting seats sitting today whose term ends before the new term starts."""
    today = timezone.localdate()
    return list(
        CommitteeSeat.objects.current(today)
        .voting()
        .filter(coalition=coalition, ends_on__lt=term_starts_on)
        .select_related("city", "representative")
        .order_by("ends_on", "city__name")
    )


def _check_session(
    coalition: Coalition, details: ElectionDetails, session: AssemblySession | None
) -> None:
    """An election held in a session votes during it, in that coalition's session."""
    if session is None:
        return
    if session.coalition_id != coalition.pk:
        raise GovernanceError(_("The session is not one of this coalition's."), field="session")
    if not (
        session.starts_at <= details.voting_opens_at < details.voting_closes_at <= session.ends_at
    ):
        raise GovernanceError(
            _("The voting window of an election held in a session lies within the session."),
            field="voting_opens_at",
        )


def _check_timetable(details: ElectionDetails) -> None:
    if details.term_ends_on <= details.term_starts_on:
        raise GovernanceError(_("The new terms must end after they start."), field="term_ends_on")
    if details.voting_opens_at < details.candidacy_deadline:
        raise GovernanceError(
            _("Voting cannot open before the candidacy deadline."), field="voting_opens_at"
        )
    if details.voting_closes_at <= details.voting_opens_at:
        raise GovernanceError(_("Voting must close after it opens."), field="voting_closes_at")
    if details.challenge_ends_on < timezone.localdate(details.voting_closes_at):
        raise GovernanceError(
            _("The challenge period cannot end before voting closes."), field="challenge_ends_on"
        )
    if details.term_starts_on <= details.challenge_ends_on:
        raise GovernanceError(
            _("The new terms start after the challenge period."), field="term_starts_on"
        )


@transaction.atomic
def create_election(
    *,
    actor,
    coalition: Coalition,
    details: ElectionDetails,
    outgoing_seats: list[CommitteeSeat],
    additional_seats: int = 0,
    outgoing_officers: Sequence[CommitteeOfficer] = (),
    body: str = ElectionBody.COMMITTEE,
    office: str = "",
    session: AssemblySession | None = None,
) -> Election:
    """A draft election for the outgoing seats (from the ledger) plus the seats the bureau adds.

    An officer election (`body` officers) fills the offices of its `outgoing_officers` plus
    `additional_seats` vacancies of one `office` and names no outgoing seats (checked by
    governance.services.officer_elections.create_officer_election); held in a
    `session`, its voting window lies within the session and the card holders vote.
    """
    _check_timetable(details)
    _check_session(coalition, details, session)
    known = {s.pk for s in vacancies(coalition, details.term_starts_on)}
    if any(seat.pk not in known for seat in outgoing_seats):
        raise GovernanceError(
            _("Only seats whose term ends before the new term starts fall vacant."),
            field="outgoing_seats",
        )
    seats = len(outgoing_seats) + len(outgoing_officers) + additional_seats
    if seats < 1:
        raise GovernanceError(_("An election fills at least one seat."), field="additional_seats")
    if details.method == counting.PLURALITY and seats != 1:
        raise GovernanceError(_("Plurality fills a single office."), field="method")
    election = Election.objects.create(
        coalition=coalition,
        title=details.title,
        method=details.method,
        body=body,
        office=office,
        session=session,
        additional_seats=additional_seats,
        seats=seats,
        term_starts_on=details.term_starts_on,
        term_ends_on=details.term_ends_on,
        candidacy_deadline=details.candidacy_deadline,
        voting_opens_at=details.voting_opens_at,
        voting_closes_at=details.voting_closes_at,
        challenge_ends_on=details.challenge_ends_on,
        created_by=actor,
    )
    election.outgoing_seats.set(outgoing_seats)
    election.outgoing_officers.set(outgoing_officers)
    audit.record(
        actor=actor,
        target=election,
        verb="election.created",
        to_state=election.status,
        data={
            "seats": seats,
            "outgoing": sorted(s.pk for s in outgoing_seats),
            "outgoing_officers": sorted(o.pk for o in outgoing_officers),
            "additional": additional_seats,
            "body": body,
            "office": office,
            "session": getattr(session, "pk", None),
        },
    )
    return election


@transaction.atomic
def open_call(*, actor, election: Election) -> Election:
    """Open the call for candidates; the statute profile in force is copied into the election."""
    election = lock_election(election)
    snapshot = StatuteProfile.current_for(election.coalition).snapshot()
    move_status(
        election,
        actor=actor,
        allowed=(ElectionStatus.DRAFT,),
        to=ElectionStatus.CANDIDACY,
        verb="election.call_opened",
        values={"statute_snapshot": snapshot},
    )
    return election


def candidacy_refusals(election: Election, city: City, on: dt.date | None = None) -> list[str]:
    """Why `city` may not stand in this election (empty when it may), every reason listed."""
    on = on or timezone.localdate()
    snapshot = (
        election.statute_snapshot or StatuteProfile.current_for(election.coalition).snapshot()
    )
    facts = [f for f in voting_facts(election.coalition, on) if f.city.pk == city.pk]
    if not facts:
        return [_("%(city)s is not a member city.") % {"city": city.name}]
    fact = facts[0]
    refusals = [
        _("%(city)s is not in good standing: %(reason)s.") % {"city": city.name, "reason": r}
        for r in judge([fact], snapshot, on)[0].reasons
    ]
    fee_asked = snapshot.get("candidacy_requires_fee_paid") and not snapshot.get(
        "requires_fee_paid"
    )
    if fee_asked and (reason := fee_reason(fact, on)):
        refusals.append(
            _("A candidate city must have paid the year's fee: %(reason)s.") % {"reason": reason}
        )
    months = snapshot.get("candidacy_min_membership_months")
    if months:
        since = fact.membership.signed_on
        if since is None or _months_between(since, on) < months:
            refusals.append(
                _("A candidate city must have been a member for %(months)s months.")
                % {"months": months}
            )
    return refusals


def _months_between(start: dt.date, end: dt.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)


def _store_letter(candidacy: Candidacy, letter: UploadedFile) -> None:
    base = (letter.name or "endorsement.pdf").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in base if ch.isprintable() and ch not in '"<>:;|?*')[:200]
    candidacy.endorsement_filename = name or "endorsement.pdf"
    letter.seek(0)
    candidacy.endorsement_letter.save(candidacy.endorsement_filename, letter, save=False)


@transaction.atomic
def nominate_candidate(
    *, actor, election: Election, city: City, person, statement: str, letter: UploadedFile
) -> Candidacy:
    """The city's coordinator nominates the city, with its representative and the mayor's letter.

    The letter is checked as a real PDF by the form (governance.letters.validate_letter).
    """
    election = lock_election(election)
    if election.is_officer_election:
        raise GovernanceError(_("Committee members stand for office themselves."))
    if not is_coordinator_of(actor, city):
        raise GovernanceError(_("Only the city's coordinator nominates its candidate."))
    if election.status != ElectionStatus.CANDIDACY or timezone.now() >= election.candidacy_deadline:
        raise GovernanceError(_("The call for candidates is closed."))
    refusals = candidacy_refusals(election, city)
    if refusals:
        raise GovernanceError(" ".join(refusals))
    if Candidacy.objects.filter(
        election=election, city=city, status=CandidacyStatus.NOMINATED
    ).exists():
        raise GovernanceError(_("%(city)s already has a candidate.") % {"city": city.name})
    candidacy = Candidacy(
        election=election, city=city, person=person, statement=statement, nominated_by=actor
    )
    _store_letter(candidacy, letter)
    candidacy.save()
    audit.record(
        actor=actor,
        target=candidacy,
        verb="candidacy.nominated",
        to_state=candidacy.status,
        data={"election": election.pk, "city": city.pk, "person": person.pk},
    )
    return candidacy


@transaction.atomic
def withdraw_candidacy(*, actor, candidacy: Candidacy) -> Candidacy:
    election = lock_election(candidacy.election)
    candidacy = Candidacy.objects.select_for_update().get(pk=candidacy.pk)
    if candidacy.status != CandidacyStatus.NOMINATED:
        raise GovernanceError(_("This candidacy was already withdrawn."))
    if election.status != ElectionStatus.CANDIDACY or timezone.now() >= election.candidacy_deadline:
        raise GovernanceError(_("A candidacy can be withdrawn only before the deadline."))
    model_update(candidacy, fields={"status": CandidacyStatus.WITHDRAWN}, actor=actor)
    audit.record(
        actor=actor,
        target=candidacy,
        verb="candidacy.withdrawn",
        from_state=CandidacyStatus.NOMINATED,
        to_state=CandidacyStatus.WITHDRAWN,
    )
    return candidacy


def candidates_of(election: Election) -> list[Candidacy]:
    return list(
        election.candidacies.filter(status=CandidacyStatus.NOMINATED)
        .select_related("city", "person")
        .order_by("city__name", "pk")
    )


def balance_problems(election: Election, candidates: list[Candidacy] | None = None) -> list[str]:
    """What the balance rules make impossible with these candidates (told to the bureau)."""
    candidates = candidates_of(election) if candidates is None else candidates
    cap = (election.statute_snapshot or {}).get("election_cap_per_country")
    problems = []
    if len(candidates) < election.seats:
        problems.append(
            _("%(n)s candidates for %(seats)s seats: some seats will stay empty.")
            % {"n": len(candidates), "seats": election.seats}
        )
    if cap:
        per_country: dict[str, int] = {}
        for c in candidates:
            per_country[str(c.city.country)] = per_country.get(str(c.city.country), 0) + 1
        fillable = sum(min(n, cap) for n in per_country.values())
        if fillable < election.seats:
            problems.append(
                _(
                    "With at most %(cap)s seats per country, these candidates can fill only"
                    " %(fillable)s of %(seats)s seats."
                )
                % {"cap": cap, "fillable": fillable, "seats": election.seats}
            )
    return problems


def candidate_data(candidates: list[Candidacy]) -> list[dict]:
    return [{"id": c.pk, "name": c.city.name, "country": str(c.city.country)} for c in candidates]


@transaction.atomic
def publish_candidates(*, actor, election: Election) -> list[str]:
    """After the deadline, the bureau publishes the list; the balance problems are returned.

    Where candidates do not exceed the seats and the profile says so, they are elected
    without a ballot: the result is written and waits for its four-eyes release like a
    counted one (services.election_release: with no tellers, a second person of the bureau
    confirms); the challenge period runs from the confirmation.
    """
    election = lock_election(election)
    if timezone.now() < election.candidacy_deadline:
        raise GovernanceError(_("The list is published after the candidacy deadline."))
    candidates = candidates_of(election)
    problems = balance_problems(election, candidates)
    move_status(
        election,
        actor=actor,
        allowed=(ElectionStatus.CANDIDACY,),
        to=ElectionStatus.PUBLISHED,
        verb="election.candidates_published",
        candidates=[c.pk for c in candidates],
        balance_problems=problems,
    )
    uncontested = len(candidates) <= election.seats
    if uncontested and election.statute_snapshot.get("elected_without_ballot_when_uncontested"):
        result = counting.count(
            method=counting.APPROVAL,
            candidates=candidate_data(candidates),
            ballots=[{"tracker": "", "choices": [c.pk for c in candidates]}],
            seats=election.seats,
            cap=election.cap_per_country,
            seed="",
        )
        model_update(
            election,
            fields={"result": {**result, "method": election.method, "without_ballot": True}},
            actor=actor,
        )
        move_status(
            election,
            actor=actor,
            allowed=(ElectionStatus.PUBLISHED,),
            to=ElectionStatus.TALLIED,
            verb="election.elected_without_ballot",
        )
    return problems
