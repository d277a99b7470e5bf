"""Voting: who casts a city's ballot, opening the box (the key ceremony), casting, closing.

The server never holds an open ballot against a city: the browser seals the ballot
(choices and a tracker it makes) to the election's public key (ADR 0013).
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition import audit
from coalition.services import model_update
from governance.elections import crypto
from governance.errors import GovernanceError
from governance.models import (
    DelegateCertification,
    Election,
    ElectionStatus,
    ElectionVoter,
    SealedBallot,
)
from governance.services import election_voters
from governance.services.delegates import certified_voters
from governance.services.elections.candidacies import candidates_of
from governance.services.elections.steps import lock_election, move_status
from governance.statute_selectors import judge, voting_facts
from members.models import City

#: The largest sealed ballot accepted (a ballot of a few dozen candidates is far smaller).
MAX_CIPHERTEXT_BYTES = 4096


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
    election = lock_election(election)
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
    election.tellers.set(tellers)
    values = {"public_key": ceremony.public_key, "threshold": threshold}
    if election.voting_opens_at > timezone.now():
        values["voting_opens_at"] = timezone.now()
    move_status(
        election,
        actor=actor,
        allowed=(ElectionStatus.PUBLISHED,),
        to=ElectionStatus.VOTING,
        verb="election.voting_opened",
        values=values,
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
        model_update(
            ballot,
            fields={"ciphertext": ciphertext, "receipt": receipt, "cast_at": timezone.now()},
            actor=actor,
        )
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
    election = lock_election(election)
    if election.status == ElectionStatus.VOTING and timezone.now() < election.voting_closes_at:
        raise GovernanceError(_("Voting is open until %(at)s.") % {"at": election.voting_closes_at})
    sealed = SealedBallot.objects.filter(election=election)
    fingerprint = crypto.box_fingerprint(list(sealed.values_list("receipt", flat=True)))
    voted_cities = sorted(sealed.values_list("city__name", flat=True))
    move_status(
        election,
        actor=actor,
        allowed=(ElectionStatus.VOTING,),
        to=ElectionStatus.CLOSED,
        verb="election.voting_closed",
        values={"box_fingerprint": fingerprint, "voted_cities": voted_cities},
        box_fingerprint=fingerprint,
        ballots=len(voted_cities),
    )
    return election
