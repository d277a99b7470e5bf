"""Open, cast, close and cancel a vote, whatever it decides.

The engine owns the life of a vote; what a vote is about (who votes, who is
recused, which rule applies, what each outcome does) belongs to the subject
registered for its kind (`governance.engine.registry`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import cast as typed

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition import audit
from coalition.services import model_update
from coalition.translated import fill_every_language, written_language
from governance import rules
from governance.engine.electorate import Elector, Electorate
from governance.engine.registry import subject_for
from governance.errors import GovernanceError, VoteClosedError
from governance.models import (
    Ballot,
    Choice,
    CloseReason,
    CommitteeSeat,
    CommitteeVote,
    ElectorateEntry,
    ElectorateStage,
    VoteStatus,
)
from members.models import City, Coalition

MAX_OPEN_DAYS = 180


def acting_user(actor):
    """The person to record as having acted, or None for the system (tasks, commands)."""
    return actor if getattr(actor, "is_authenticated", False) else None


def count(vote: CommitteeVote, eligible: Iterable[int]) -> rules.Tally:
    """The tally of the ballots of the eligible seats (ballots of seats gone since do not count)."""
    eligible = set(eligible)
    numbers: dict[str, int] = {Choice.YES: 0, Choice.NO: 0, Choice.ABSTAIN: 0}
    for seat_id, choice in vote.ballots.values_list("seat_id", "choice"):
        if seat_id in eligible:
            numbers[choice] += 1
    return rules.Tally(
        electorate=len(eligible),
        yes=numbers[Choice.YES],
        no=numbers[Choice.NO],
        abstain=numbers[Choice.ABSTAIN],
    )


def lock_vote(vote: CommitteeVote) -> CommitteeVote:
    return CommitteeVote.objects.select_for_update().get(pk=vote.pk)


def _check_closing(closes_at: dt.datetime) -> None:
    now = timezone.now()
    if closes_at <= now:
        raise GovernanceError(_("The closing date must be in the future."))
    if closes_at > now + dt.timedelta(days=MAX_OPEN_DAYS):
        raise GovernanceError(_("A vote cannot stay open for more than 180 days."))


def _record_electorate(vote: CommitteeVote, stage: str, electors: list[Elector]) -> None:
    now = timezone.now()
    ElectorateEntry.objects.bulk_create(
        ElectorateEntry(
            vote=vote,
            stage=stage,
            seat_id=typed("int", e.seat_id),  # a committee elector always has its seat
            city_id=e.city_id,
            status=e.status,
            reason=e.reason,
            recorded_at=now,
        )
        for e in electors
    )


def opening_electorate(vote: CommitteeVote) -> Electorate | None:
    """The electorate frozen when the vote opened (None for a vote older than the engine)."""
    entries = vote.electorate_entries.filter(stage=ElectorateStage.OPENING).order_by("id")
    electors = tuple(Elector(e.seat_id, e.city_id, e.status, e.reason) for e in entries)
    return Electorate(electors) if electors else None


def current_electorate(vote: CommitteeVote) -> Electorate:
    """The electorate that counts now, as the vote's subject reckons it."""
    return subject_for(vote.kind).current_electorate(vote, opening_electorate(vote))


@transaction.atomic
def open_vote(
    *,
    actor,
    coalition: Coalition,
    kind: str,
    closes_at: dt.datetime,
    question: str | Callable[[], str],
    subject_city: City | None = None,
    **subject_fields,
) -> CommitteeVote:
    """Open a vote of `kind`; `subject_fields` name what it is about (application=...).

    A `question` the portal words itself is a callable, run under each language so that
    every reader gets it in theirs; a person's own words are text in the active language.
    """
    subject = subject_for(kind)
    _check_closing(closes_at)
    vote = CommitteeVote(
        coalition=coalition,
        kind=kind,
        subject_city=subject_city,
        question="" if callable(question) else question[:300],
        source_language=written_language(),
        opened_by=acting_user(actor),
        closes_at=closes_at,
        **subject_fields,
    )
    if callable(question):
        fill_every_language(vote, "question", lambda: question()[:300])
    vote.rule = subject.rule(vote).to_dict()
    electorate = subject.electorate(vote)
    if not electorate.eligible:
        raise GovernanceError(subject.no_electorate())
    try:
        with transaction.atomic():
            vote.save()
    except IntegrityError as exc:
        raise GovernanceError(_("A vote on this matter is already open.")) from exc
    _record_electorate(vote, ElectorateStage.OPENING, list(electorate.electors))
    audit.record(
        actor=actor,
        target=vote,
        verb="vote.opened",
        to_state=VoteStatus.OPEN,
        message=vote.question,
        data={
            "closes_at": vote.closes_at.isoformat(),
            "rule": vote.rule,
            "eligible_seats": electorate.eligible,
            "recused_seats": electorate.recused,
        },
    )
    subject.opened(vote=vote, actor=actor)
    return vote


@transaction.atomic
def cast(*, actor, vote: CommitteeVote, choice: str, seat: CommitteeSeat | None = None) -> Ballot:
    """Record the seat's vote; a second call changes it in place. Closes the vote once all voted.

    The vote row is locked first, so concurrent ballots on one vote are applied
    one after the other; the (vote, seat) and (vote, city) constraints back this up.
    """
    if choice not in Choice.values:
        raise GovernanceError(_("Choose yes, no or abstain."))
    vote = lock_vote(vote)
    now = timezone.now()
    if vote.status != VoteStatus.OPEN or vote.closes_at <= now:
        raise VoteClosedError(_("This vote has closed; ballots can no longer be cast or changed."))
    opening = opening_electorate(vote)
    electorate = subject_for(vote.kind).current_electorate(vote, opening)
    mine = electorate.held_by(getattr(actor, "pk", None))
    if seat is not None:
        mine = [e for e in mine if e.seat_id == seat.pk]
    eligible, recused = set(electorate.eligible), set(electorate.recused)
    if any(e.seat_id in recused for e in mine) and not any(e.seat_id in eligible for e in mine):
        raise GovernanceError(_("Your city is the subject of this vote: its seat is recused."))
    elector = next((e for e in mine if e.seat_id in eligible), None)
    if elector is None:
        raise GovernanceError(_("Only the representative of a current voting seat can vote."))

    # One city, one vote: the city's ballot, whichever of its seats cast it.
    assert elector.city_id is not None  # a voting seat is a member city's (check_new_seat)
    ballot = Ballot.objects.filter(vote=vote, city_id=elector.city_id).first()
    if ballot is None:
        ballot = Ballot.objects.create(
            vote=vote,
            seat_id=typed("int", elector.seat_id),
            city_id=elector.city_id,
            choice=choice,
            cast_by=acting_user(actor),
            cast_at=now,
        )
        audit.record(
            actor=actor,
            target=vote,
            verb="vote.cast",
            to_state=choice,
            message=elector.label,
            data={"seat": elector.seat_id, "ballot": ballot.pk},
        )
    elif ballot.choice != choice:
        previous = ballot.choice
        # times_changed + 1 and now differ from what is stored, so both are always written.
        model_update(
            ballot,
            fields={
                "choice": choice,
                "cast_by": acting_user(actor),
                "changed_at": now,
                "times_changed": ballot.times_changed + 1,
            },
            actor=actor,
        )
        audit.record(
            actor=actor,
            target=vote,
            verb="vote.changed",
            from_state=previous,
            to_state=choice,
            message=elector.label,
            data={"seat": elector.seat_id, "ballot": ballot.pk},
        )
    if rules.everyone_voted(count(vote, electorate.eligible)):
        _close(vote=vote, actor=actor, reason=CloseReason.ALL_VOTED, now=now, opening=opening)
    return ballot


@transaction.atomic
def close(*, vote: CommitteeVote, actor=None, now: dt.datetime | None = None) -> CommitteeVote:
    """Close a vote whose closing date has passed. Idempotent: a closed vote is returned as is."""
    vote = lock_vote(vote)
    if vote.status != VoteStatus.OPEN:
        return vote
    now = now or timezone.now()
    opening = opening_electorate(vote)
    if vote.closes_at > now:
        electorate = subject_for(vote.kind).current_electorate(vote, opening)
        if not rules.everyone_voted(count(vote, electorate.eligible)):
            raise GovernanceError(_("This vote is still open until its closing date."))
    reason = CloseReason.DEADLINE if vote.closes_at <= now else CloseReason.ALL_VOTED
    _close(vote=vote, actor=actor, reason=reason, now=now, opening=opening)
    return vote


def _close(
    *, vote: CommitteeVote, actor, reason: str, now: dt.datetime, opening: Electorate | None
) -> None:
    """Compute the outcome once, store it with the rule, and let the subject carry it out."""
    subject = subject_for(vote.kind)
    rule = vote.rule_snapshot
    electorate = subject.current_electorate(vote, opening)
    tally = count(vote, electorate.eligible)
    outcome = rules.decide(rule, tally)
    result = {
        **tally.to_dict(),
        "quorum_required": rules.quorum_required(rule, tally.electorate),
        "quorum_reached": rules.quorum_reached(rule, tally),
        "majority_reached": rules.majority_reached(rule, tally),
        "eligible_seats": electorate.eligible,
        "recused_seats": electorate.recused,
        "rule": rule.to_dict(),
    }
    model_update(
        vote,
        fields={
            "status": VoteStatus.CLOSED,
            "closed_at": now,
            "close_reason": reason,
            "outcome": outcome,
            "result": result,
        },
        actor=actor,
    )
    _record_electorate(vote, ElectorateStage.CLOSING, electorate.changes_since(opening))
    audit.record(
        actor=actor,
        target=vote,
        verb="vote.closed",
        from_state=VoteStatus.OPEN,
        to_state=VoteStatus.CLOSED,
        message=str(CloseReason(reason).label),
        data=vote.result,
    )
    audit.record(actor=actor, target=vote, verb="vote.outcome", to_state=outcome, data=vote.result)
    subject.on_outcome(vote=vote, outcome=outcome, tally=tally, rule=rule, actor=actor)


def cancel(*, actor, vote: CommitteeVote) -> CommitteeVote:
    """Cancel an open vote whose matter went away (the caller holds the vote's lock)."""
    model_update(
        vote,
        fields={
            "status": VoteStatus.CANCELLED,
            "closed_at": timezone.now(),
            "close_reason": CloseReason.CANCELLED,
        },
        actor=actor,
    )
    audit.record(
        actor=actor,
        target=vote,
        verb="vote.cancelled",
        from_state=VoteStatus.OPEN,
        to_state=VoteStatus.CANCELLED,
    )
    return vote
