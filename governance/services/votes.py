"""Committee votes: opening, ballots, comments, closing with the stored outcome, reminders."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition import audit
from governance import rules
from governance.models import (
    Ballot,
    Choice,
    CloseReason,
    Comment,
    CommitteeSeat,
    CommitteeVote,
    DecisionRule,
    VoteKind,
    VoteReminder,
    VoteStatus,
)
from governance.notifications import notify
from governance.services.common import (
    GovernanceError,
    VoteClosedError,
    acting_user,
    committee_emails,
    count,
    current_seats,
    electorate_of,
    vote_context,
)
from members.models import (
    City,
    Coalition,
)


def _cancel_vote(*, actor, vote: CommitteeVote) -> None:
    vote.status = VoteStatus.CANCELLED
    vote.closed_at = timezone.now()
    vote.close_reason = CloseReason.CANCELLED
    vote.save(update_fields=["status", "closed_at", "close_reason"])
    audit.record(
        actor=actor,
        target=vote,
        verb="vote.cancelled",
        from_state=VoteStatus.OPEN,
        to_state=VoteStatus.CANCELLED,
    )


def _check_closing(closes_at: dt.datetime) -> None:
    now = timezone.now()
    if closes_at <= now:
        raise GovernanceError(_("The closing date must be in the future."))
    if closes_at > now + dt.timedelta(days=180):
        raise GovernanceError(_("A vote cannot stay open for more than 180 days."))


def _open_vote(
    *,
    actor,
    coalition: Coalition,
    kind: str,
    closes_at: dt.datetime,
    question: str,
    subject_city: City | None,
    **subject,
) -> CommitteeVote:
    _check_closing(closes_at)
    vote = CommitteeVote(
        coalition=coalition,
        kind=kind,
        subject_city=subject_city,
        question=question[:300],
        opened_by=acting_user(actor),
        closes_at=closes_at,
        rule=DecisionRule.rule_for(coalition).to_dict(),
        **subject,
    )
    eligible, recused = electorate_of(vote)
    if not eligible:
        raise GovernanceError(_("The steering committee has no current voting seat that can vote."))
    try:
        with transaction.atomic():
            vote.save()
    except IntegrityError as exc:
        raise GovernanceError(_("A vote on this matter is already open.")) from exc
    audit.record(
        actor=actor,
        target=vote,
        verb="vote.opened",
        to_state=VoteStatus.OPEN,
        message=vote.question,
        data={
            "closes_at": vote.closes_at.isoformat(),
            "rule": vote.rule,
            "eligible_seats": eligible,
            "recused_seats": recused,
        },
    )
    notify("vote-opened", to=committee_emails(coalition), context=vote_context(vote))
    return vote


def _lock_vote(vote: CommitteeVote) -> CommitteeVote:
    return CommitteeVote.objects.select_for_update().get(pk=vote.pk)


@transaction.atomic
def cast_vote(
    *, actor, vote: CommitteeVote, choice: str, seat: CommitteeSeat | None = None
) -> Ballot:
    """Record the seat's vote; a second call changes it in place. Closes the vote once all voted.

    The vote row is locked first, so concurrent ballots on one vote are applied
    one after the other; the (vote, seat) and (vote, city) constraints back this up.
    """
    if choice not in Choice.values:
        raise GovernanceError(_("Choose yes, no or abstain."))
    vote = _lock_vote(vote)
    now = timezone.now()
    if vote.status != VoteStatus.OPEN or vote.closes_at <= now:
        raise VoteClosedError(_("This vote has closed; ballots can no longer be cast or changed."))
    seats = current_seats(vote.coalition_id)
    eligible, recused = electorate_of(vote, seats)
    mine = [s for s in seats if s.representative_id == getattr(actor, "pk", None)]
    if seat is not None:
        mine = [s for s in mine if s.pk == seat.pk]
    if any(s.pk in recused for s in mine) and not any(s.pk in eligible for s in mine):
        raise GovernanceError(_("Your city is the subject of this vote: its seat is recused."))
    seat = next((s for s in mine if s.pk in eligible), None)
    if seat is None:
        raise GovernanceError(_("Only the representative of a current voting seat can vote."))

    # One city, one vote: the city's ballot, whichever of its seats cast it.
    ballot = Ballot.objects.filter(vote=vote, city_id=seat.city_id).first()
    if ballot is None:
        ballot = Ballot.objects.create(
            vote=vote,
            seat=seat,
            city_id=seat.city_id,
            choice=choice,
            cast_by=acting_user(actor),
            cast_at=now,
        )
        audit.record(
            actor=actor,
            target=vote,
            verb="vote.cast",
            to_state=choice,
            message=seat.holder_name,
            data={"seat": seat.pk, "ballot": ballot.pk},
        )
    elif ballot.choice != choice:
        previous = ballot.choice
        ballot.choice = choice
        ballot.cast_by = acting_user(actor)
        ballot.changed_at = now
        ballot.times_changed += 1
        ballot.save(update_fields=["choice", "cast_by", "changed_at", "times_changed"])
        audit.record(
            actor=actor,
            target=vote,
            verb="vote.changed",
            from_state=previous,
            to_state=choice,
            message=seat.holder_name,
            data={"seat": seat.pk, "ballot": ballot.pk},
        )
    if rules.everyone_voted(count(vote, eligible)):
        _close(vote=vote, actor=actor, reason=CloseReason.ALL_VOTED, now=now, seats=seats)
    return ballot


@transaction.atomic
def add_comment(*, actor, vote: CommitteeVote, body: str) -> Comment:
    """A committee member (observers and advisers too) or bureau staff comments on an open vote."""
    vote = _lock_vote(vote)
    if vote.status != VoteStatus.OPEN:
        raise VoteClosedError(_("This vote has closed; comments are closed too."))
    if not body.strip():
        raise GovernanceError(_("Write a comment first."))
    seat = (
        CommitteeSeat.objects.current()
        .filter(coalition=vote.coalition, representative=actor)
        .order_by("id")
        .first()
    )
    comment = Comment.objects.create(vote=vote, author=actor, seat=seat, body=body.strip())
    audit.record(actor=actor, target=vote, verb="vote.commented", data={"comment": comment.pk})
    return comment


@transaction.atomic
def close_vote(*, vote: CommitteeVote, actor=None, now: dt.datetime | None = None) -> CommitteeVote:
    """Close a vote whose closing date has passed. Idempotent: a closed vote is returned as is."""
    vote = _lock_vote(vote)
    if vote.status != VoteStatus.OPEN:
        return vote
    now = now or timezone.now()
    seats = current_seats(vote.coalition_id)
    eligible, _recused = electorate_of(vote, seats)
    if vote.closes_at > now and not rules.everyone_voted(count(vote, eligible)):
        raise GovernanceError(_("This vote is still open until its closing date."))
    reason = CloseReason.DEADLINE if vote.closes_at <= now else CloseReason.ALL_VOTED
    _close(vote=vote, actor=actor, reason=reason, now=now, seats=seats)
    return vote


def _close(*, vote: CommitteeVote, actor, reason: str, now: dt.datetime, seats) -> None:
    """Compute the outcome once, store it with the rule, and carry out its consequences."""
    rule = vote.rule_snapshot
    eligible, recused = electorate_of(vote, seats)
    tally = count(vote, eligible)
    outcome = rules.decide(rule, tally)
    vote.status = VoteStatus.CLOSED
    vote.closed_at = now
    vote.close_reason = reason
    vote.outcome = outcome
    vote.result = {
        **tally.to_dict(),
        "quorum_required": rules.quorum_required(rule, tally.electorate),
        "quorum_reached": rules.quorum_reached(rule, tally),
        "majority_reached": rules.majority_reached(rule, tally),
        "eligible_seats": eligible,
        "recused_seats": recused,
        "rule": rule.to_dict(),
    }
    vote.save(update_fields=["status", "closed_at", "close_reason", "outcome", "result"])
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
    # Late imports: those modules open votes through this one.
    if vote.kind == VoteKind.ADMISSION:
        from governance.services.applications import _conclude_admission  # noqa: PLC0415

        _conclude_admission(vote=vote, actor=actor, tally=tally, rule=rule)
    else:
        from governance.services.exclusions import _conclude_exclusion_vote  # noqa: PLC0415

        _conclude_exclusion_vote(vote=vote, actor=actor)


REMINDER_LEAD_TIME = dt.timedelta(days=2)


def send_vote_reminders(*, now: dt.datetime | None = None) -> int:
    """Remind every voting seat that has not voted, once, when its vote closes within two days."""
    now = now or timezone.now()
    sent = 0
    due = CommitteeVote.objects.open().filter(
        closes_at__gt=now, closes_at__lte=now + REMINDER_LEAD_TIME
    )
    for vote_id in due.values_list("pk", flat=True):
        sent += _remind(vote_id=vote_id)
    return sent


@transaction.atomic
def _remind(*, vote_id: int) -> int:
    vote = CommitteeVote.objects.select_for_update().select_related("coalition").get(pk=vote_id)
    if vote.status != VoteStatus.OPEN:
        return 0
    seats = current_seats(vote.coalition_id)
    eligible, _recused = electorate_of(vote, seats)
    voted = set(vote.ballots.values_list("seat_id", flat=True))
    reminded = set(vote.reminders.values_list("seat_id", flat=True))
    sent = 0
    for seat in seats:
        if seat.pk not in eligible or seat.pk in voted or seat.pk in reminded:
            continue
        if seat.representative is None:
            continue
        VoteReminder.objects.create(vote=vote, seat=seat, sent_to=seat.representative)
        audit.record(
            actor=None,
            target=vote,
            verb="vote.reminder_sent",
            message=seat.holder_name,
            data={"seat": seat.pk, "user": seat.representative_id},
        )
        notify(
            "vote-reminder",
            to=[seat.representative.email],
            context={**vote_context(vote), "seat": seat},
        )
        sent += 1
    return sent
