"""Decision rules of the steering committee and the General Assembly, as pure functions.

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

import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from fractions import Fraction

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


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


# --- The General Assembly (the statute profile) ------------------------------------------
#
# An assembly's rules come from the coalition's `StatuteProfile`, copied as a plain dict
# (`StatuteProfile.snapshot()`) into each session and poll when it opens. The functions below
# read only that dict, so a later edit of the profile never changes a past outcome.
#
# Definitions, stated once:
#
# - **Quorum** counts the member cities with voting rights that are represented (on site,
#   online, or, where the statute allows, by proxy). `none`: any attendance is quorate (German
#   association law sets no quorum). `share`: a fraction of the cities with voting rights,
#   either "at least" (ceil(share x n)) or "more than" (floor(share x n) + 1). `number`: a fixed
#   number of cities, as written (if fewer cities hold voting rights the first convocation can
#   never be quorate; that is what the second convocation, with its own quorum, is for).
# - **Majority** is a share of the votes cast, exact (`fractions.Fraction`):
#   - `simple`: more yes than no; a tie fails;
#   - `two_thirds`, `three_quarters`: yes is at least that share; exactly two thirds or three
#     quarters is enough;
#   - **abstentions** are not votes cast (German law since 2009, BGB §32(1) sentence 3, and the
#     BGH before it), so they weigh nothing; a statute may say they count as votes cast, and
#     then they weigh like no. No vote cast at all is never a majority.


class AssemblyQuorum(models.TextChoices):
    NONE = "none", _("No quorum")
    SHARE = "share", _("A share of the member cities with voting rights")
    NUMBER = "number", _("A number of member cities")


class QuorumComparison(models.TextChoices):
    AT_LEAST = "at_least", _("at least")
    MORE_THAN = "more_than", _("more than")


class AssemblyMajority(models.TextChoices):
    SIMPLE = "simple", _("Simple majority: more yes than no")
    TWO_THIRDS = "two_thirds", _("Two thirds of the votes cast")
    THREE_QUARTERS = "three_quarters", _("Three quarters of the votes cast")


#: The share of the votes cast a qualified majority needs (yes >= share); simple is "> 1/2".
MAJORITY_SHARES = {
    AssemblyMajority.SIMPLE.value: Fraction(1, 2),
    AssemblyMajority.TWO_THIRDS.value: Fraction(2, 3),
    AssemblyMajority.THREE_QUARTERS.value: Fraction(3, 4),
}


class AssemblyDecisionKind(models.TextChoices):
    """What an assembly decides; each kind has its majority in the statute profile."""

    ORDINARY = "ordinary", _("Ordinary decision")
    STATUTE_CHANGE = "statute_change", _("Change of the statute")
    DISSOLUTION = "dissolution", _("Dissolution of the association")
    EXCLUSION = "exclusion", _("Exclusion of a member city")
    LATE_ITEM = "late_item", _("Adding an item to the agenda at the session")


def parse_share(text: str) -> Fraction:
    """'1/2', '2/3', '0.5' -> an exact Fraction in (0, 1]; ValueError otherwise."""
    try:
        share = Fraction(str(text).strip())
    except (ValueError, ZeroDivisionError) as exc:
        raise ValueError(f"Not a fraction: {text!r}") from exc
    if not 0 < share <= 1:
        raise ValueError(f"A share must be above 0 and at most 1: {text!r}")
    return share


def assembly_quorum_required(
    snapshot: dict, cities_with_voting_rights: int, *, convocation: int = 1
) -> int:
    """How many cities with voting rights must be represented for the assembly to decide.

    `convocation=2` reads the second convocation's quorum; a profile without a second
    convocation has none, and asking for it is a ValueError.
    """
    prefix = ""
    if convocation == 2:
        if not snapshot.get("second_convocation_allowed"):
            raise ValueError("The statute provides no second convocation.")
        prefix = "second_"
    elif convocation != 1:
        raise ValueError(f"Unknown convocation {convocation!r}")
    kind = snapshot.get(f"{prefix}quorum_kind") or AssemblyQuorum.NONE
    n = max(cities_with_voting_rights, 0)
    if kind == AssemblyQuorum.NONE:
        return 0
    if kind == AssemblyQuorum.NUMBER:
        return int(snapshot[f"{prefix}quorum_number"])
    if kind == AssemblyQuorum.SHARE:
        exact = parse_share(snapshot[f"{prefix}quorum_share"]) * n
        if snapshot.get(f"{prefix}quorum_comparison") == QuorumComparison.MORE_THAN:
            return math.floor(exact) + 1
        return math.ceil(exact)
    raise ValueError(f"Unknown quorum kind {kind!r}")


def assembly_quorum_reached(
    snapshot: dict, cities_with_voting_rights: int, represented: int, *, convocation: int = 1
) -> bool:
    required = assembly_quorum_required(
        snapshot, cities_with_voting_rights, convocation=convocation
    )
    return represented >= required


def assembly_majority_rule(snapshot: dict, kind: str) -> str:
    """The majority (an `AssemblyMajority` value) the profile sets for a kind of decision."""
    if kind not in AssemblyDecisionKind.values:
        raise ValueError(f"Unknown kind of decision {kind!r}")
    majority = snapshot.get(f"majority_{kind}") or AssemblyMajority.SIMPLE
    if majority not in MAJORITY_SHARES:
        raise ValueError(f"Unknown majority {majority!r}")
    return majority


def assembly_majority_reached(snapshot: dict, kind: str, yes: int, no: int, abstain: int) -> bool:
    """Whether `yes` carries a decision of this kind (see the definitions above)."""
    if min(yes, no, abstain) < 0:
        raise ValueError("A count cannot be negative.")
    majority = assembly_majority_rule(snapshot, kind)
    cast = yes + no + (abstain if snapshot.get("abstentions_count_as_cast") else 0)
    if cast == 0:
        return False
    share = Fraction(yes, cast)
    if majority == AssemblyMajority.SIMPLE:
        return share > MAJORITY_SHARES[majority]
    return share >= MAJORITY_SHARES[majority]


#: How each majority reads in a result's arithmetic ("two thirds of 53 is 35.3").
MAJORITY_WORDS = {
    AssemblyMajority.TWO_THIRDS.value: _("two thirds"),
    AssemblyMajority.THREE_QUARTERS.value: _("three quarters"),
}


def assembly_poll_result(snapshot: dict, kind: str, yes: int, no: int, abstain: int) -> dict:
    """A yes/no/abstain poll's figures: what was cast, what was needed, the outcome."""
    majority = assembly_majority_rule(snapshot, kind)
    abstentions_cast = bool(snapshot.get("abstentions_count_as_cast"))
    cast = yes + no + (abstain if abstentions_cast else 0)
    share = MAJORITY_SHARES[majority]
    threshold = share * cast
    return {
        "yes": yes,
        "no": no,
        "abstain": abstain,
        "cast": cast,
        "majority": majority,
        "abstentions_count_as_cast": abstentions_cast,
        # Exact, as a fraction, and rounded to one decimal for people.
        "threshold": f"{threshold.numerator}/{threshold.denominator}",
        "threshold_shown": f"{float(threshold):.1f}",
        "adopted": assembly_majority_reached(snapshot, kind, yes, no, abstain),
    }


def describe_poll_result(result: dict) -> str:
    """The arithmetic in words: "Yes 41, No 12, Abstain 5; two thirds of 53 is 35.3: adopted"."""
    if "options" in result:
        counts = ", ".join(f"{o['label']} {o['votes']}" for o in result["options"])
        counts += ", " + _("Abstain %(n)d") % {"n": result.get("abstain", 0)}
        if result.get("winner"):
            return _("%(counts)s: %(winner)s has the most votes") % {
                "counts": counts,
                "winner": result["winner"],
            }
        return _("%(counts)s: no option has the most votes (a tie)") % {"counts": counts}
    counts = _("Yes %(yes)d, No %(no)d, Abstain %(abstain)d") % result
    verdict = _("adopted") if result["adopted"] else _("rejected")
    if result["majority"] == AssemblyMajority.SIMPLE:
        rule = (
            ngettext(
                "a simple majority of %(cast)d vote cast needs more yes than no",
                "a simple majority of %(cast)d votes cast needs more yes than no",
                result["cast"],
            )
            % result
        )
    else:
        rule = _("%(share)s of %(cast)d is %(threshold)s") % {
            "share": MAJORITY_WORDS[result["majority"]],
            "cast": result["cast"],
            "threshold": result["threshold_shown"],
        }
    return f"{counts}; {rule}: {verdict}"
