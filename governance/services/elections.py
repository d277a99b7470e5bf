"""Elections of the steering committee: call, candidacies, sealed ballots, tally, seats.

The server never holds an open ballot against a city: the browser seals the ballot
(choices and a tracker it makes) to the election's public key; the tally opens the whole
box at once, from ciphertexts read without their cities, shuffles and publishes the list.
See ADR 0013 for the threat model.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import secrets
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition import audit
from governance.elections import bundle as bundles
from governance.elections import count as counting
from governance.elections import crypto
from governance.errors import GovernanceError
from governance.models import (
    AssemblySession,
    Candidacy,
    CandidacyStatus,
    ChallengeStatus,
    CommitteeSeat,
    DelegateCertification,
    Election,
    ElectionBody,
    ElectionStatus,
    ElectionVoter,
    OpenedBallot,
    SealedBallot,
    SeatKind,
    StatuteProfile,
)
from governance.services import election_voters
from governance.services import officers as officer_services
from governance.services import seats as seat_services
from governance.services.delegates import certified_voters, is_coordinator_of
from governance.statute_selectors import fee_reason, judge, voting_facts
from members.models import City, Coalition

#: The largest sealed ballot accepted (a ballot of a few dozen candidates is far smaller).
MAX_CIPHERTEXT_BYTES = 4096


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
    body: str = ElectionBody.COMMITTEE,
    office: str = "",
    session: AssemblySession | None = None,
) -> Election:
    """A draft election for the outgoing seats (from the ledger) plus the seats the bureau adds.

    An officer election (`body` officers) fills `additional_seats` offices of one `office`
    and names no outgoing seats (governance.services.officer_elections); held in a
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
    seats = len(outgoing_seats) + additional_seats
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
    audit.record(
        actor=actor,
        target=election,
        verb="election.created",
        to_state=election.status,
        data={
            "seats": seats,
            "outgoing": sorted(s.pk for s in outgoing_seats),
            "body": body,
            "office": office,
            "session": getattr(session, "pk", None),
        },
    )
    return election


def _lock(election: Election) -> Election:
    return Election.objects.select_for_update().get(pk=election.pk)


def _move(election: Election, *, actor, allowed: tuple[str, ...], to: str, verb: str, **data):
    if election.status not in allowed:
        raise GovernanceError(_("The election is not at that step."))
    previous = election.status
    election.status = to
    election.save(update_fields=["status", *data.pop("fields", [])])
    audit.record(
        actor=actor, target=election, verb=verb, from_state=previous, to_state=to, data=data
    )


@transaction.atomic
def open_call(*, actor, election: Election) -> Election:
    """Open the call for candidates; the statute profile in force is copied into the election."""
    election = _lock(election)
    election.statute_snapshot = StatuteProfile.current_for(election.coalition).snapshot()
    _move(
        election,
        actor=actor,
        allowed=(ElectionStatus.DRAFT,),
        to=ElectionStatus.CANDIDACY,
        verb="election.call_opened",
        fields=["statute_snapshot"],
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
    election = _lock(election)
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
    election = _lock(candidacy.election)
    candidacy = Candidacy.objects.select_for_update().get(pk=candidacy.pk)
    if candidacy.status != CandidacyStatus.NOMINATED:
        raise GovernanceError(_("This candidacy was already withdrawn."))
    if election.status != ElectionStatus.CANDIDACY or timezone.now() >= election.candidacy_deadline:
        raise GovernanceError(_("A candidacy can be withdrawn only before the deadline."))
    candidacy.status = CandidacyStatus.WITHDRAWN
    candidacy.save(update_fields=["status"])
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
    without a ballot: the result is written and the challenge period runs.
    """
    election = _lock(election)
    if timezone.now() < election.candidacy_deadline:
        raise GovernanceError(_("The list is published after the candidacy deadline."))
    candidates = candidates_of(election)
    problems = balance_problems(election, candidates)
    _move(
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
        election.result = {**result, "method": election.method, "without_ballot": True}
        election.save(update_fields=["result"])
        _move(
            election,
            actor=actor,
            allowed=(ElectionStatus.PUBLISHED,),
            to=ElectionStatus.COUNTED,
            verb="election.elected_without_ballot",
            elected=result["elected"],
        )
    return problems


# --- Voting ------------------------------------------------------------------------------


def persons_casting_for(
    election: Election, at: dt.datetime | None = None, *, city_ids=None
) -> dict[int, set[int]]:
    """Per city of the electorate, the people who may cast its ballot now (two queries).

    Today: in an online voting window, the city's certified delegate, or its substitutes
    when no delegate is certified that day (`certified_voters`). When elections are held
    in an assembly session, this is the one function to point at the session's
    voting-card holder (with `_cities_naming`, its shortcut from a person to the cities
    that may have named them).
    """
    if election.session_id is not None:
        return election_voters.card_casting(election, city_ids=city_ids)
    if election.is_officer_election:
        return election_voters.seat_casting(election, at, city_ids=city_ids)
    allowed: dict[int, set[int]] = {}
    for entry in certified_voters(election.coalition, at or timezone.now(), city_ids=city_ids):
        if entry.delegate is not None:
            allowed[entry.city.pk] = {entry.delegate.person_id}
        else:
            allowed[entry.city.pk] = {s.person_id for s in entry.substitutes}
    return allowed


def _cities_naming(election: Election, user, at: dt.datetime | None) -> set[int]:
    """The cities whose certification names `user` now: the only ones worth asking about.

    In a session, the cities whose card `user` holds; in an officer election, the cities
    whose voting seat `user` represents.
    """
    if election.session_id is not None:
        return election_voters.cards_held_by(election, user)
    if election.is_officer_election:
        return election_voters.seats_represented_by(election, user, at)
    day = timezone.localdate(at) if at else timezone.localdate()
    return set(
        DelegateCertification.objects.in_force(day)
        .filter(coalition=election.coalition, person=user)
        .values_list("city_id", flat=True)
    )


def cities_cast_by(election: Election, user, at: dt.datetime | None = None) -> list[City]:
    """The cities of the frozen electorate whose ballot `user` may cast now."""
    if not getattr(user, "is_authenticated", False):
        return []
    mine = _cities_naming(election, user, at)
    mine &= set(election.voters.filter(city_id__in=mine).values_list("city_id", flat=True))
    if not mine:
        return []
    allowed = persons_casting_for(election, at, city_ids=mine)
    ids = [c for c, people in allowed.items() if user.pk in people]
    return list(City.objects.filter(pk__in=ids).order_by("name"))


@transaction.atomic
def open_voting(*, actor, election: Election, tellers: list, threshold: int) -> crypto.KeyCeremony:
    """Freeze the electorate, make the key pair and split it among the tellers.

    The shares are returned to be shown once and are never stored; the private key is
    gone when this returns.
    """
    election = _lock(election)
    if election.status != ElectionStatus.PUBLISHED:
        raise GovernanceError(_("Voting opens once the candidates are published."))
    if len(candidates_of(election)) < 1:
        raise GovernanceError(_("There are no candidates."))
    if not 1 <= threshold <= len(tellers) or len(tellers) < 2:
        raise GovernanceError(
            _("Name at least two tellers and a number of shares between 1 and their number."),
            field="threshold",
        )
    ceremony = crypto.generate_and_split(
        election_id=election.pk, threshold=threshold, tellers=len(tellers)
    )
    ElectionVoter.objects.bulk_create(
        [ElectionVoter(election=election, city_id=c) for c in electorate_of(election)]
    )
    election.public_key = ceremony.public_key
    election.threshold = threshold
    election.tellers.set(tellers)
    if election.voting_opens_at > timezone.now():
        election.voting_opens_at = timezone.now()
    _move(
        election,
        actor=actor,
        allowed=(ElectionStatus.PUBLISHED,),
        to=ElectionStatus.VOTING,
        verb="election.voting_opened",
        fields=["public_key", "threshold", "voting_opens_at"],
        tellers=[t.pk for t in tellers],
        threshold=threshold,
        electorate=election.voters.count(),
        key=crypto.key_fingerprint(ceremony.public_key),
    )
    return ceremony


def electorate_of(election: Election) -> list[int]:
    """The city ids to freeze as the electorate when voting opens.

    The committee's election: member cities with voting rights and a certified voter. An
    officer election: the committee's current voting seats (observers have no vote).
    """
    if election.is_officer_election:
        return election_voters.officer_electorate(election)
    electorate = [
        e.city
        for e in certified_voters(election.coalition, timezone.now())
        if e.delegate is not None or e.substitutes
    ]
    rights = {r.city.pk: r.has_voting_rights for r in _voting_rights(election)}
    return [c.pk for c in electorate if rights.get(c.pk)]


def _voting_rights(election: Election):
    on = timezone.localdate()
    return judge(voting_facts(election.coalition, on), election.statute_snapshot, on)


def cast_ballot(*, actor, election: Election, city: City, ciphertext: bytes) -> SealedBallot:
    """Store the sealed ballot against the city (one per city); the receipt is its hash."""
    if not 48 <= len(ciphertext) <= MAX_CIPHERTEXT_BYTES:  # a sealed box has 48 bytes of overhead
        raise GovernanceError(_("The ballot did not arrive sealed: vote again."))
    try:
        with transaction.atomic():
            return _cast(actor=actor, election=election, city=city, ciphertext=ciphertext)
    except IntegrityError as exc:  # a second ballot of the city raced this one
        raise GovernanceError(_("%(city)s has already voted.") % {"city": city.name}) from exc


def _cast(*, actor, election: Election, city: City, ciphertext: bytes) -> SealedBallot:
    election = Election.objects.select_for_update().get(pk=election.pk)
    if not election.voting_is_open():
        raise GovernanceError(_("Voting is not open."))
    if city not in cities_cast_by(election, actor):
        raise GovernanceError(_("You may not cast the ballot of %(city)s.") % {"city": city.name})
    receipt = crypto.receipt_of(ciphertext)
    ballot = SealedBallot.objects.filter(election=election, city=city).first()
    if ballot is not None:
        if not election.revote_allowed:
            raise GovernanceError(_("%(city)s has already voted.") % {"city": city.name})
        ballot.ciphertext, ballot.receipt, ballot.cast_at = ciphertext, receipt, timezone.now()
        ballot.save(update_fields=["ciphertext", "receipt", "cast_at"])
        verb = "election.ballot_replaced"
    else:
        ballot = SealedBallot.objects.create(
            election=election, city=city, ciphertext=ciphertext, receipt=receipt
        )
        verb = "election.ballot_cast"
    audit.record(actor=actor, target=election, verb=verb, data={"city": city.pk})
    return ballot


@transaction.atomic
def close_voting(*, actor, election: Election) -> Election:
    """After the window: publish the box's fingerprint and the cities that voted."""
    election = _lock(election)
    if election.status == ElectionStatus.VOTING and timezone.now() < election.voting_closes_at:
        raise GovernanceError(_("Voting is open until %(at)s.") % {"at": election.voting_closes_at})
    sealed = SealedBallot.objects.filter(election=election)
    election.box_fingerprint = crypto.box_fingerprint(
        list(sealed.values_list("receipt", flat=True))
    )
    election.voted_cities = sorted(sealed.values_list("city__name", flat=True))
    _move(
        election,
        actor=actor,
        allowed=(ElectionStatus.VOTING,),
        to=ElectionStatus.CLOSED,
        verb="election.voting_closed",
        fields=["box_fingerprint", "voted_cities"],
        box_fingerprint=election.box_fingerprint,
        ballots=len(election.voted_cities),
    )
    return election


def _parse_ballot(plaintext: bytes | None, election_id: int) -> dict:
    try:
        data = json.loads(plaintext.decode()) if plaintext is not None else None
    except (UnicodeDecodeError, json.JSONDecodeError):
        data = None
    if not isinstance(data, dict) or data.get("election") != election_id:
        return {"tracker": "", "choices": None}
    tracker = data.get("tracker")
    tracker = tracker if isinstance(tracker, str) and len(tracker) <= 64 else ""
    return {"tracker": tracker, "choices": data.get("choices")}


@transaction.atomic
def tally(*, actor, election: Election, shares: list[str]) -> Election:
    """The tellers' shares rebuild the key in memory; the whole box is opened, shuffled, counted.

    The result waits for its four-eyes release (TALLIED): see services.election_release.

    The ciphertexts are read without their cities, so the opened ballots are never held
    beside a city; a box whose fingerprint differs from the published one is refused.
    """
    election = _lock(election)
    if election.status != ElectionStatus.CLOSED:
        raise GovernanceError(_("The box is opened once voting has closed."))
    if actor.pk not in set(election.tellers.values_list("pk", flat=True)):
        raise GovernanceError(_("Only a teller opens the ballot box."))
    distinct = {s.strip() for s in shares if s and s.strip()}
    if len(distinct) < election.threshold:
        raise GovernanceError(
            _("%(k)s different shares are needed.") % {"k": election.threshold}, field="shares"
        )
    rows = list(SealedBallot.objects.filter(election=election).values_list("ciphertext", "receipt"))
    if crypto.box_fingerprint([r for _c, r in rows]) != election.box_fingerprint:
        raise GovernanceError(_("The ballot box differs from the one published at closing."))
    try:
        private = crypto.recombine(
            list(distinct), election_id=election.pk, public_key=bytes(election.public_key or b"")
        )
    except crypto.ShareError as exc:
        raise GovernanceError(
            _("These shares do not open this election's box."), field="shares"
        ) from exc
    opened = crypto.open_all(private, [bytes(c or b"") for c, _r in rows])
    del private
    ballots = [_parse_ballot(p, election.pk) for p in opened]
    del opened, rows
    secrets.SystemRandom().shuffle(ballots)
    OpenedBallot.objects.bulk_create(
        [
            OpenedBallot(election=election, position=n, tracker=b["tracker"], choices=b["choices"])
            for n, b in enumerate(ballots, 1)
        ]
    )
    election.ballots_hash = bundles.ballots_hash(ballots)
    election.result = counting.count(
        method=election.method,
        candidates=candidate_data(candidates_of(election)),
        ballots=ballots,
        seats=election.seats,
        cap=election.cap_per_country,
        seed=election.ballots_hash,
    )
    # Not yet public: the returning officer releases it and another teller confirms it
    # (services.election_release); the audit record therefore names no one elected.
    _move(
        election,
        actor=actor,
        allowed=(ElectionStatus.CLOSED,),
        to=ElectionStatus.TALLIED,
        verb="election.counted",
        fields=["ballots_hash", "result"],
        ballots_hash=election.ballots_hash,
    )
    return election


@transaction.atomic
def certify_election(*, actor, election: Election) -> list[CommitteeSeat]:
    """After the challenge period: the elected cities' seats, the outgoing ones ended.

    Runs under the seat services' lock on the coalition; the ciphertexts are deleted.
    """
    election = _lock(election)
    if election.status != ElectionStatus.COUNTED:
        raise GovernanceError(_("Only a counted election is certified."))
    if timezone.localdate() <= election.challenge_ends_on:
        raise GovernanceError(
            _("The challenge period runs until %(day)s.") % {"day": election.challenge_ends_on}
        )
    if election.challenges.filter(status=ChallengeStatus.PENDING).exists():
        raise GovernanceError(_("A challenge awaits the committee's decision."))
    seat_services.lock_coalition(election.coalition)
    last_day = election.term_starts_on - dt.timedelta(days=1)
    for seat in election.outgoing_seats.all():
        if seat.ends_on is None or seat.ends_on > last_day:
            seat_services.end_seat(actor=actor, seat=seat, ends_on=last_day)
    by_id = {c.pk: c for c in candidates_of(election)}
    if election.is_officer_election:
        officer_services.install_officers(actor=actor, election=election)
    created = [
        seat_services.add_seat(
            actor=actor,
            coalition=election.coalition,
            kind=SeatKind.VOTING,
            city=by_id[pk].city,
            representative=by_id[pk].person,
            starts_on=election.term_starts_on,
            ends_on=election.term_ends_on,
            election=election,
        )
        for pk in election.result.get("elected", [])
        if not election.is_officer_election
    ]
    SealedBallot.objects.filter(election=election).update(ciphertext=None)
    _move(
        election,
        actor=actor,
        allowed=(ElectionStatus.COUNTED,),
        to=ElectionStatus.CERTIFIED,
        verb="election.certified",
        seats=[s.pk for s in created],
    )
    return created


def published_bundle(election: Election) -> dict:
    """The election's published file: everything `verify_election` needs, nothing about choices
    of a city."""
    sealed = list(
        SealedBallot.objects.filter(election=election)
        .order_by("receipt")
        .values_list("receipt", "ciphertext")
    )
    ciphertexts = [base64.b64encode(bytes(c)).decode() for _r, c in sealed if c is not None]
    return {
        "election": election.pk,
        "title": election.title,
        "coalition": election.coalition.short_name,
        "method": election.method,
        "seats": election.seats,
        "cap_per_country": election.cap_per_country,
        "public_key": bytes(election.public_key).hex() if election.public_key else None,
        "candidates": candidate_data(candidates_of(election)),
        "voted_cities": election.voted_cities,
        "receipts": [r for r, _c in sealed],
        "ciphertexts": ciphertexts if len(ciphertexts) == len(sealed) else None,
        "box_fingerprint": election.box_fingerprint,
        "ballots": [
            {"tracker": b.tracker, "choices": b.choices}
            for b in election.opened.order_by("position")
        ],
        "ballots_hash": election.ballots_hash,
        "result": election.result,
    }
