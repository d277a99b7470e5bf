"""Decision rules of the steering committee, as pure functions.

A vote is decided from a `Rule` (a coalition's configuration, snapshotted when
the vote opens) and a `Tally` (the ballots of the seats entitled to vote).

Definitions, chosen to match common statutes and stated here once:

- The **electorate** is the number of current voting seats of the coalition's
  committee, less the seats recused (a seat held by the city the decision is
  about). Observers and scientific advisers never count.
- **Quorum** (default: more than half of the electorate takes part). By default
  abstentions count as taking part; a coalition may decide they do not.
- **Majority**:
  - *simple* (default): more yes than no among the votes cast; abstentions are
    neutral and a tie is not a majority;
  - *absolute*: yes from more than half of the electorate (abstentions and
    absent seats therefore weigh like no);
  - *two-thirds*: at least two thirds of the yes and no votes are yes
    (abstentions excluded; exactly two thirds is enough; no yes/no vote at all
    is not a majority).
- Without quorum there is no decision (`Outcome.NO_QUORUM`): the matter goes back
  to the bureau, which may put it to a new vote.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class QuorumRule(models.TextChoices):
    MORE_THAN_HALF = "more_than_half", _("More than half of the voting seats take part")
    TWO_THIRDS = "two_thirds", _("At least two thirds of the voting seats take part")
    NONE = "none", _("No quorum")


class MajorityRule(models.TextChoices):
    SIMPLE = "simple", _("Simple majority: more yes than no among the votes cast")
    ABSOLUTE = "absolute", _("Absolute majority: yes from more than half of the voting seats")
    TWO_THIRDS = "two_thirds", _("Two-thirds majority of the yes and no votes")


class Outcome(models.TextChoices):
    ADOPTED = "adopted", _("Adopted")
    REJECTED = "rejected", _("Rejected")
    NO_QUORUM = "no_quorum", _("No quorum: no decision")


@dataclass(frozen=True)
class Rule:
    quorum: str = QuorumRule.MORE_THAN_HALF.value
    abstentions_count_for_quorum: bool = True
    majority: str = MajorityRule.SIMPLE.value

    def __post_init__(self) -> None:
        if self.quorum not in QuorumRule.values:
            raise ValueError(f"Unknown quorum rule {self.quorum!r}")
        if self.majority not in MajorityRule.values:
            raise ValueError(f"Unknown majority rule {self.majority!r}")

    def to_dict(self) -> dict:
        return {
            "quorum": str(self.quorum),
            "abstentions_count_for_quorum": bool(self.abstentions_count_for_quorum),
            "majority": str(self.majority),
        }

    @classmethod
    def from_dict(cls, data: dict | None) -> Rule:
        if not data:
            return DEFAULT_RULE
        return cls(
            quorum=data.get("quorum", DEFAULT_RULE.quorum),
            abstentions_count_for_quorum=data.get(
                "abstentions_count_for_quorum", DEFAULT_RULE.abstentions_count_for_quorum
            ),
            majority=data.get("majority", DEFAULT_RULE.majority),
        )

    @property
    def quorum_label(self) -> str:
        return str(QuorumRule(self.quorum).label)

    @property
    def majority_label(self) -> str:
        return str(MajorityRule(self.majority).label)


#: The rule of a coalition that has configured none.
DEFAULT_RULE = Rule()


@dataclass(frozen=True)
class Tally:
    """The count of one vote. `electorate` excludes recused seats."""

    electorate: int
    yes: int = 0
    no: int = 0
    abstain: int = 0

    def __post_init__(self) -> None:
        if min(self.electorate, self.yes, self.no, self.abstain) < 0:
            raise ValueError("A tally cannot hold negative numbers.")
        if self.cast > self.electorate:
            raise ValueError("More ballots than voting seats.")

    @property
    def cast(self) -> int:
        return self.yes + self.no + self.abstain

    @property
    def decisive(self) -> int:
        """Yes and no votes: the votes that take a side."""
        return self.yes + self.no

    def to_dict(self) -> dict:
        return asdict(self)


def quorum_required(rule: Rule, electorate: int) -> int:
    """How many seats must take part for the vote to decide anything."""
    if electorate <= 0:
        return 1  # nobody can vote: never quorate
    if rule.quorum == QuorumRule.MORE_THAN_HALF:
        return electorate // 2 + 1
    if rule.quorum == QuorumRule.TWO_THIRDS:
        return -(-2 * electorate // 3)  # ceil(2n/3)
    return 0


def participation(rule: Rule, tally: Tally) -> int:
    """The number of ballots that count towards the quorum."""
    return tally.cast if rule.abstentions_count_for_quorum else tally.decisive


def quorum_reached(rule: Rule, tally: Tally) -> bool:
    return tally.electorate > 0 and participation(rule, tally) >= quorum_required(
        rule, tally.electorate
    )


def majority_reached(rule: Rule, tally: Tally) -> bool:
    if rule.majority == MajorityRule.ABSOLUTE:
        return 2 * tally.yes > tally.electorate
    if rule.majority == MajorityRule.TWO_THIRDS:
        return tally.decisive > 0 and 3 * tally.yes >= 2 * tally.decisive
    return tally.yes > tally.no


def decide(rule: Rule, tally: Tally) -> Outcome:
    """The outcome of a closed vote."""
    if not quorum_reached(rule, tally):
        return Outcome.NO_QUORUM
    return Outcome.ADOPTED if majority_reached(rule, tally) else Outcome.REJECTED


def everyone_voted(tally: Tally) -> bool:
    """True when every seat of the electorate has a ballot: the vote closes at once."""
    return tally.electorate > 0 and tally.cast >= tally.electorate


@dataclass(frozen=True)
class SeatInfo:
    """What the rules need to know about a seat."""

    id: int
    city_id: int | None
    kind: str


def split_electorate(
    seats: Iterable[SeatInfo], subject_city_id: int | None
) -> tuple[list[int], list[int]]:
    """(eligible seat ids, recused seat ids) among the given current seats.

    Only voting seats vote. A voting seat held by the city the decision is
    about is recused: it neither votes nor counts in the electorate.
    """
    eligible: list[int] = []
    recused: list[int] = []
    for seat in seats:
        if seat.kind != "voting":
            continue
        if subject_city_id is not None and seat.city_id == subject_city_id:
            recused.append(seat.id)
        else:
            eligible.append(seat.id)
    return eligible, recused
