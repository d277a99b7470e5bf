"""Errors and helpers shared by the governance services."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from coalition.mail import absolute_url
from governance import rules
from governance.engine.votes import acting_user as acting_user
from governance.errors import GovernanceError as GovernanceError
from governance.errors import VoteClosedError as VoteClosedError
from governance.models import (
    AdmissionApplication,
    CommitteeSeat,
    CommitteeVote,
)
from members.models import (
    Coalition,
    Role,
    RoleKind,
)


def bureau_emails(coalition: Coalition) -> list[str]:
    return list(
        Role.objects.current()
        .filter(kind=RoleKind.BUREAU, coalition=coalition)
        .values_list("user__email", flat=True)
    )


def committee_emails(coalition: Coalition, *, voting_only: bool = False) -> list[str]:
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


def vote_context(vote: CommitteeVote) -> dict:
    return {"vote": vote, "vote_url": absolute_url(vote.get_absolute_url())}


def application_context(application: AdmissionApplication) -> dict:
    return {
        "application": application,
        "application_url": absolute_url(application.get_absolute_url()),
    }


def tally_sentence(tally: rules.Tally) -> str:
    return _("%(yes)s yes, %(no)s no, %(abstain)s abstentions out of %(seats)s voting seats") % {
        "yes": tally.yes,
        "no": tally.no,
        "abstain": tally.abstain,
        "seats": tally.electorate,
    }
