"""Errors and helpers shared by the governance services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils.translation import gettext as _

from coalition.mail import absolute_url
from governance import rules
from governance.models import (
    AdmissionApplication,
    Choice,
    CommitteeSeat,
    CommitteeVote,
)
from members.models import (
    Coalition,
    Role,
    RoleKind,
)


class GovernanceError(Exception):
    """A step the rules do not allow now; the message is shown to the person.

    `field` names the form field the message belongs to, when there is one.
    """

    def __init__(self, message: str = "", *, field: str | None = None):
        super().__init__(message)
        self.field = field


class VoteClosedError(GovernanceError):
    """A ballot or comment arrived after the vote closed."""


def _actor(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _bureau_emails(coalition: Coalition) -> list[str]:
    return list(
        Role.objects.current()
        .filter(kind=RoleKind.BUREAU, coalition=coalition)
        .values_list("user__email", flat=True)
    )


def _committee_emails(coalition: Coalition, *, voting_only: bool = False) -> list[str]:
    seats = CommitteeSeat.objects.current().filter(
        coalition=coalition, representative__isnull=False
    )
    if voting_only:
        seats = seats.voting()
    return list(seats.values_list("representative__email", flat=True))


def current_seats(coalition_id: int, on: dt.date | None = None) -> list[CommitteeSeat]:
    return list(
        CommitteeSeat.objects.current(on)
        .filter(coalition_id=coalition_id)
        .select_related("city", "representative")
        .order_by("kind", "city__name", "institution", "id")
    )


def electorate_of(
    vote: CommitteeVote, seats: Iterable[CommitteeSeat] | None = None
) -> tuple[list[int], list[int]]:
    """(eligible seat ids, recused seat ids) of an open vote, from the current seats."""
    seats = current_seats(vote.coalition_id) if seats is None else seats
    return rules.split_electorate(
        [rules.SeatInfo(s.id, s.city_id, s.kind) for s in seats], vote.subject_city_id
    )


def count(vote: CommitteeVote, eligible: Iterable[int]) -> rules.Tally:
    """The tally of the ballots of the eligible seats (ballots of seats gone since do not count)."""
    eligible = set(eligible)
    numbers = {Choice.YES: 0, Choice.NO: 0, Choice.ABSTAIN: 0}
    for seat_id, choice in vote.ballots.values_list("seat_id", "choice"):
        if seat_id in eligible:
            numbers[choice] += 1
    return rules.Tally(
        electorate=len(eligible),
        yes=numbers[Choice.YES],
        no=numbers[Choice.NO],
        abstain=numbers[Choice.ABSTAIN],
    )


def _vote_context(vote: CommitteeVote) -> dict:
    return {"vote": vote, "vote_url": absolute_url(vote.get_absolute_url())}


def _application_context(application: AdmissionApplication) -> dict:
    return {
        "application": application,
        "application_url": absolute_url(application.get_absolute_url()),
    }


def _tally_sentence(tally: rules.Tally) -> str:
    return _("%(yes)s yes, %(no)s no, %(abstain)s abstentions out of %(seats)s voting seats") % {
        "yes": tally.yes,
        "no": tally.no,
        "abstain": tally.abstain,
        "seats": tally.electorate,
    }
