"""Whether a vote can decide: the seats of its electorate that nobody can vote for.

A voting seat without a representative counts in the electorate (the quorum is reckoned
on it) but can cast no ballot: enough of them and the quorum is out of reach, and any of
them keeps the vote from closing early. The bureau is told so when it opens a vote and on
the vote's page. Pure: an `Electorate` (with representatives, as a subject builds it from
the seats) and the vote's `Rule` in, figures out.
"""

from __future__ import annotations

from dataclasses import dataclass

from governance import rules
from governance.engine.electorate import ELIGIBLE, Electorate


@dataclass(frozen=True)
class Readiness:
    electorate: int  # eligible voting seats (the quorum is reckoned on them)
    unrepresented: tuple[str, ...]  # holders of eligible seats nobody can vote for
    quorum_required: int

    @property
    def can_vote(self) -> int:
        return self.electorate - len(self.unrepresented)

    @property
    def quorum_reachable(self) -> bool:
        return self.electorate > 0 and self.can_vote >= self.quorum_required

    @property
    def can_close_early(self) -> bool:
        """Whether every seat can vote, so the vote may close before its date."""
        return self.electorate > 0 and not self.unrepresented

    @property
    def needs_warning(self) -> bool:
        return bool(self.unrepresented) or not self.quorum_reachable


def readiness(electorate: Electorate, rule: rules.Rule) -> Readiness:
    eligible = [e for e in electorate.electors if e.status == ELIGIBLE]
    return Readiness(
        electorate=len(eligible),
        unrepresented=tuple(
            sorted(e.label or str(e.seat_id) for e in eligible if e.representative_id is None)
        ),
        quorum_required=rules.quorum_required(rule, len(eligible)),
    )
