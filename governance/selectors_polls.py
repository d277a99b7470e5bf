"""Reads of a session's polls for the chair, the projector and a city (fixed query counts).

While a poll is open nothing here returns a count of votes, only how many cities voted:
`PollView.result` is filled only when the reader may see it (`engine.polls.result_visible`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from governance import selectors_attendance as reads
from governance.engine.polls import result_visible
from governance.models import (
    AgendaItem,
    AgendaItemStatus,
    AssemblyPoll,
    AssemblySession,
    CityBallot,
    PollStatus,
)


@dataclass(frozen=True)
class PollView:
    poll: AssemblyPoll
    voted: int
    electorate: int
    result: dict | None  # None unless the reader may see it
    arithmetic: str

    @property
    def progress_label(self) -> str:
        return _("%(voted)d of %(total)d cities have voted") % {
            "voted": self.voted,
            "total": self.electorate,
        }


def _with_progress(qs):
    return qs.annotate(
        n_electorate=Count("electors", filter=Q(electors__status="eligible"), distinct=True),
        n_voted=Count("ballots", distinct=True),
    )


def poll_view(poll: AssemblyPoll, *, officer: bool) -> PollView:
    """One poll with its progress (one query) and, if the reader may see it, its result."""
    counted = _with_progress(AssemblyPoll.objects.filter(pk=poll.pk)).values(
        "n_electorate", "n_voted"
    )[0]
    return _view(poll, counted["n_voted"], counted["n_electorate"], officer=officer)


def _view(poll, voted, electorate, *, officer: bool) -> PollView:
    visible = result_visible(poll, officer=officer)
    return PollView(
        poll=poll,
        voted=voted,
        electorate=electorate,
        result=poll.result if visible else None,
        arithmetic=poll.arithmetic if visible else "",
    )


def session_polls(session: AssemblySession, *, officer: bool) -> list[PollView]:
    """Every poll of the session, newest first, with progress (one query)."""
    polls = _with_progress(
        AssemblyPoll.objects.filter(session=session).select_related("item")
    ).order_by("-opened_at", "-id")
    return [_view(p, p.n_voted, p.n_electorate, officer=officer) for p in polls]


def decidable_items(session: AssemblySession) -> list[AgendaItem]:
    """The items a poll may be opened on: announced, added, or awaiting the procedural vote."""
    return list(
        session.items.filter(
            status__in=(
                AgendaItemStatus.ANNOUNCED,
                AgendaItemStatus.ADDED_IN_SESSION,
                AgendaItemStatus.PENDING_APPROVAL,
            )
        ).order_by("position", "id")
    )


def ballot_rows(poll: AssemblyPoll) -> list[CityBallot]:
    """The ballots for the officers' checks: city, how, who, confirmed; never the vote (1 query)."""
    return list(
        CityBallot.objects.filter(poll=poll)
        .select_related("city", "cast_by", "confirmed_by")
        .only(
            "id", "poll_id", "via", "cast_at", "confirmed_at",
            "city__name", "cast_by__full_name", "cast_by__email",
            "confirmed_by__full_name", "confirmed_by__email",
        )
        .order_by("city__name", "id")
    )  # fmt: skip


def cities_yet_to_vote(poll: AssemblyPoll):
    """The electorate's cities without a ballot (for the chair's hand votes; one query)."""
    return [
        e.city
        for e in poll.electors.filter(status="eligible")
        .exclude(city__in=CityBallot.objects.filter(poll=poll).values("city"))
        .select_related("city")
        .order_by("city__name")
    ]


@dataclass(frozen=True)
class Room:
    session: AssemblySession
    quorum: reads.Quorum
    current: PollView | None  # the open poll, or the latest one
    item: AgendaItem | None


def room_state(session: AssemblySession, *, officer: bool) -> Room:
    """What the projector and the chair show at the top: quorum, the current poll (6 queries)."""
    quorum = reads.live_quorum(session)
    latest = (
        _with_progress(AssemblyPoll.objects.filter(session=session).select_related("item"))
        .exclude(status=PollStatus.CANCELLED)
        .order_by("-opened_at", "-id")
        .first()
    )
    current = (
        _view(latest, latest.n_voted, latest.n_electorate, officer=officer) if latest else None
    )
    return Room(session, quorum, current, latest.item if latest else None)
