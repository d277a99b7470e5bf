"""Counting: the whole box opened at once from ciphertexts read without their cities,
shuffled and counted; certification into the seat ledger; the published file (ADR 0013)."""

from __future__ import annotations

import base64
import datetime as dt
import json
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.elections import bundle as bundles
from governance.elections import count as counting
from governance.elections import crypto
from governance.errors import GovernanceError
from governance.models import (
    ChallengeStatus,
    CommitteeSeat,
    Election,
    ElectionStatus,
    OpenedBallot,
    SealedBallot,
    SeatKind,
)
from governance.services import officers as officer_services
from governance.services import seats as seat_services
from governance.services.elections.candidacies import candidate_data, candidates_of
from governance.services.elections.steps import lock_election, move_status


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
    election = lock_election(election)
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
    ballots_hash = bundles.ballots_hash(ballots)
    result = counting.count(
        method=election.method,
        candidates=candidate_data(candidates_of(election)),
        ballots=ballots,
        seats=election.seats,
        cap=election.cap_per_country,
        seed=ballots_hash,
    )
    # Not yet public: the returning officer releases it and another teller confirms it
    # (services.election_release); the audit record therefore names no one elected.
    move_status(
        election,
        actor=actor,
        allowed=(ElectionStatus.CLOSED,),
        to=ElectionStatus.TALLIED,
        verb="election.counted",
        values={"ballots_hash": ballots_hash, "result": result},
        ballots_hash=ballots_hash,
    )
    return election


@transaction.atomic
def certify_election(*, actor, election: Election) -> list[CommitteeSeat]:
    """After the challenge period: the elected cities' seats, the outgoing ones ended.

    Runs under the seat services' lock on the coalition; the ciphertexts are deleted.
    """
    election = lock_election(election)
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
    move_status(
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
