"""Committee votes as their pages show them: the seats and their choices, readiness, comments, the
open and recent votes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from governance import access, engine, rules
from governance.models import (
    AdmissionApplication,
    Ballot,
    Comment,
    CommitteeSeat,
    CommitteeVote,
    SeatKind,
    VoteKind,
    VoteStatus,
)


def committee_seat_ids_for(user) -> frozenset[int]:
    """Ids of the current committee seats this person represents (cached per request)."""
    return frozenset(seat.id for seat in access.held_seats(user))


# --- Votes ------------------------------------------------------------------------------


@dataclass
class SeatRow:
    seat: CommitteeSeat
    state: str  # "voted", "waiting", "recused", "non_voting"
    choice: str = ""
    choice_label: str = ""


@dataclass
class VoteState:
    vote: CommitteeVote
    rule: rules.Rule
    tally: rules.Tally
    quorum_required: int
    quorum_reached: bool
    majority_reached: bool
    show_count: bool
    rows: list[SeatRow] = field(default_factory=list)

    @property
    def voted(self) -> int:
        return self.tally.cast

    @property
    def electorate(self) -> int:
        return self.tally.electorate

    @property
    def recused(self) -> list[SeatRow]:
        return [row for row in self.rows if row.state == "recused"]


def vote_state(vote: CommitteeVote, *, show_count: bool, show_choices: bool = False) -> VoteState:
    """Participation, quorum and (when shown) the count of a vote, live or as stored at close.

    Three queries whatever the size of the committee.
    """
    rule = vote.rule_snapshot
    ballots = {b.seat_id: b for b in Ballot.objects.filter(vote=vote)}
    if vote.status == VoteStatus.OPEN:
        seats = list(
            CommitteeSeat.objects.current()
            .filter(coalition_id=vote.coalition_id)
            .select_related("city", "representative")
            .order_by("city__name", "institution", "id")
        )
        eligible, recused = rules.split_electorate(
            [rules.SeatInfo(s.id, s.city_id, s.kind) for s in seats], vote.subject_city_id
        )
        counts = {"yes": 0, "no": 0, "abstain": 0}
        for seat_id in eligible:
            if seat_id in ballots:
                counts[ballots[seat_id].choice] += 1
        tally = rules.Tally(electorate=len(eligible), **counts)
    else:
        result = vote.result or {}
        eligible = list(result.get("eligible_seats", []))
        recused = list(result.get("recused_seats", []))
        seats = list(
            CommitteeSeat.objects.filter(pk__in=eligible + recused)
            .select_related("city", "representative")
            .order_by("city__name", "institution", "id")
        )
        tally = rules.Tally(
            electorate=result.get("electorate", len(eligible)),
            yes=result.get("yes", 0),
            no=result.get("no", 0),
            abstain=result.get("abstain", 0),
        )
        show_count = True  # the result of a closed vote is no secret to those who see the vote
    eligible_set, recused_set = set(eligible), set(recused)
    rows = []
    for seat in seats:
        if seat.pk in recused_set:
            rows.append(SeatRow(seat, "recused"))
        elif seat.pk in eligible_set:
            ballot = ballots.get(seat.pk)
            if ballot is None:
                rows.append(SeatRow(seat, "waiting"))
            elif show_choices or (not vote.is_open and show_count):
                rows.append(SeatRow(seat, "voted", ballot.choice, ballot.get_choice_display()))
            else:
                rows.append(SeatRow(seat, "voted"))
        elif seat.kind != SeatKind.VOTING:
            rows.append(SeatRow(seat, "non_voting"))
    return VoteState(
        vote=vote,
        rule=rule,
        tally=tally,
        quorum_required=rules.quorum_required(rule, tally.electorate),
        quorum_reached=rules.quorum_reached(rule, tally),
        majority_reached=rules.majority_reached(rule, tally),
        show_count=show_count,
        rows=rows,
    )


def admission_vote_readiness(application: AdmissionApplication) -> engine.Readiness:
    """Whether a vote on this application, opened now, could reach its quorum and close
    early: the electorate and rule its subject would freeze, not yet stored (two queries)."""
    vote = CommitteeVote(
        coalition=application.coalition,
        kind=VoteKind.ADMISSION,
        subject_city=application.city,
        application=application,
    )
    subject = engine.subject_for(VoteKind.ADMISSION)
    return engine.readiness(subject.electorate(vote), subject.rule(vote))


def vote_readiness(vote: CommitteeVote) -> engine.Readiness | None:
    """The same for an open vote, on the electorate that counts now (None once closed)."""
    if vote.status != VoteStatus.OPEN:
        return None
    return engine.readiness(engine.current_electorate(vote), vote.rule_snapshot)


def readiness_warning(readiness: engine.Readiness) -> str:
    """What the bureau must know before (and while) a vote runs, in one paragraph."""
    parts = []
    if readiness.unrepresented:
        parts.append(
            ngettext(
                "%(count)d voting seat has nobody who can vote: %(seats)s.",
                "%(count)d voting seats have nobody who can vote: %(seats)s.",
                len(readiness.unrepresented),
            )
            % {
                "count": len(readiness.unrepresented),
                "seats": get_text_list(list(readiness.unrepresented), _("and")),
            }
        )
    if readiness.quorum_reachable:
        parts.append(
            _(
                "The quorum (%(required)d of %(electorate)d seats) can still be reached by the "
                "%(can)d seats that can vote, but the vote cannot close before its date."
            )
            % {
                "required": readiness.quorum_required,
                "electorate": readiness.electorate,
                "can": readiness.can_vote,
            }
        )
    else:
        parts.append(
            _(
                "The quorum (%(required)d of %(electorate)d seats) cannot be reached: only "
                "%(can)d seats can vote. Give the seats a representative first."
            )
            % {
                "required": readiness.quorum_required,
                "electorate": readiness.electorate,
                "can": readiness.can_vote,
            }
        )
    return " ".join(parts)


def comments_on(vote: CommitteeVote) -> list[Comment]:
    return list(vote.comments.select_related("author", "seat__city").order_by("created_at", "id"))


def open_votes_for_committee(user) -> list[dict]:
    """Open votes in the coalitions where this person holds a seat, with their own ballot."""
    seats = access.held_seats(user)
    if not seats:
        return []
    votes = list(
        CommitteeVote.objects.open()
        .filter(coalition_id__in={s.coalition_id for s in seats})
        .for_lists()
        .order_by("closes_at", "pk")
    )
    mine = {
        (vote_id, seat_id): choice
        for vote_id, seat_id, choice in Ballot.objects.filter(
            vote__in=votes, seat_id__in=[s.id for s in seats]
        ).values_list("vote_id", "seat_id", "choice")
    }
    rows = []
    for vote in votes:
        seat = access.voting_seat_for(user, vote)
        recused = access.recused_seat_for(user, vote)
        choice = mine.get((vote.pk, seat.id)) if seat else None
        rows.append(
            {
                "vote": vote,
                "can_vote": seat is not None,
                "recused": recused is not None and seat is None,
                "my_choice": choice,
                "waiting_for_me": seat is not None and choice is None,
            }
        )
    return rows


def recent_closed_votes(coalition_ids, limit: int = 10) -> list[CommitteeVote]:
    qs = CommitteeVote.objects.filter(status=VoteStatus.CLOSED)
    if coalition_ids is not None:
        qs = qs.filter(coalition_id__in=coalition_ids)
    return list(qs.for_lists().order_by("-closed_at", "-pk")[:limit])
