"""Committee votes over the vote engine: the committee's subject, ballots, comments, reminders.

Committee statutes let the committee change during a vote (ADR 0003: a seat
whose term ends stops counting at the close; a seat that starts counts), so the
committee subject reconciles the frozen opening electorate with the seats
current at each ballot and at the close, saying why each seat joined or left
(ADR 0004).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition import audit
from governance import engine, rules
from governance.engine import Elector, Electorate, VoteSubject
from governance.engine.electorate import ELIGIBLE, LEFT, RECUSED
from governance.models import (
    Ballot,
    Comment,
    CommitteeSeat,
    CommitteeVote,
    ElectorReason,
    VoteReminder,
    VoteStatus,
)
from governance.notifications import notify
from governance.services.common import (
    GovernanceError,
    VoteClosedError,
    committee_emails,
    current_seats,
    vote_context,
)


def seats_electorate(
    vote: CommitteeVote, seats: list[CommitteeSeat], opening: Electorate | None = None
) -> Electorate:
    """The electorate of these seats for this vote, compared with the opening one if given."""
    eligible_ids, recused_ids = rules.split_electorate(
        [rules.SeatInfo(s.id, s.city_id, s.kind) for s in seats], vote.subject_city_id
    )
    eligible, recused = set(eligible_ids), set(recused_ids)
    known = None if opening is None else {e.seat_id for e in opening.electors if e.status != LEFT}
    electors = []
    for seat in seats:
        if seat.pk in recused:
            status, reason = RECUSED, ElectorReason.SUBJECT_CITY
        elif seat.pk in eligible:
            status, reason = ELIGIBLE, ElectorReason.VOTING_SEAT
        else:
            continue  # observers and advisers are not in the electorate
        if known is not None and seat.pk not in known:
            reason = ElectorReason.JOINED
        electors.append(
            Elector(
                seat_id=seat.pk,
                city_id=seat.city_id,
                status=status,
                reason=str(reason),
                representative_id=seat.representative_id,
                label=seat.holder_name,
            )
        )
    if opening is not None:
        present = eligible | recused
        electors += [
            Elector(seat_id=e.seat_id, city_id=e.city_id, status=LEFT, reason=ElectorReason.LEFT)
            for e in opening.electors
            if e.status != LEFT and e.seat_id not in present
        ]
    return Electorate(tuple(electors))


class CommitteeSubject(VoteSubject):
    """The part shared by every decision of the steering committee."""

    def electorate(self, vote: CommitteeVote) -> Electorate:
        return seats_electorate(vote, current_seats(vote.coalition_id))

    def current_electorate(self, vote: CommitteeVote, opening: Electorate | None) -> Electorate:
        return seats_electorate(vote, current_seats(vote.coalition_id), opening)

    def no_electorate(self) -> str:
        return _("The steering committee has no current voting seat that can vote.")

    def opened(self, *, vote: CommitteeVote, actor) -> None:
        notify("vote-opened", to=committee_emails(vote.coalition), context=vote_context(vote))


def electorate_of(vote: CommitteeVote) -> tuple[list[int], list[int]]:
    """(eligible seat ids, recused seat ids) of a vote, as its subject reckons them now."""
    electorate = engine.current_electorate(vote)
    return electorate.eligible, electorate.recused


def cast_vote(
    *, actor, vote: CommitteeVote, choice: str, seat: CommitteeSeat | None = None
) -> Ballot:
    """Record the seat's vote; a second call changes it in place. Closes the vote once all voted."""
    return engine.cast(actor=actor, vote=vote, choice=choice, seat=seat)


def close_vote(*, vote: CommitteeVote, actor=None, now: dt.datetime | None = None) -> CommitteeVote:
    """Close a vote whose closing date has passed. Idempotent: a closed vote is returned as is."""
    return engine.close(vote=vote, actor=actor, now=now)


@transaction.atomic
def add_comment(*, actor, vote: CommitteeVote, body: str) -> Comment:
    """A committee member (observers and advisers too) or bureau staff comments on an open vote."""
    vote = engine.lock_vote(vote)
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
    eligible = set(engine.current_electorate(vote).eligible)
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
