"""The decision rules: quorum and majority variants, ties, abstentions, recusal."""

from __future__ import annotations

import itertools

import pytest

from governance.rules import (
    DEFAULT_RULE,
    MajorityRule,
    Outcome,
    QuorumRule,
    Rule,
    SeatInfo,
    Tally,
    decide,
    everyone_voted,
    majority_reached,
    participation,
    quorum_reached,
    quorum_required,
    split_electorate,
)

SIMPLE = Rule()
ABSOLUTE = Rule(majority=MajorityRule.ABSOLUTE)
TWO_THIRDS = Rule(majority=MajorityRule.TWO_THIRDS)


def test_default_rule_is_more_than_half_with_abstentions_and_simple_majority():
    assert (
        Rule(
            quorum=QuorumRule.MORE_THAN_HALF,
            abstentions_count_for_quorum=True,
            majority=MajorityRule.SIMPLE,
        )
        == DEFAULT_RULE
    )


@pytest.mark.parametrize(
    ("electorate", "needed"), [(1, 1), (2, 2), (3, 2), (4, 3), (5, 3), (10, 6), (17, 9)]
)
def test_default_quorum_is_more_than_half_of_the_voting_seats(electorate, needed):
    assert quorum_required(SIMPLE, electorate) == needed


@pytest.mark.parametrize(("electorate", "needed"), [(1, 1), (3, 2), (4, 3), (6, 4), (17, 12)])
def test_two_thirds_quorum_rounds_up(electorate, needed):
    assert quorum_required(Rule(quorum=QuorumRule.TWO_THIRDS), electorate) == needed


def test_quorum_is_reached_exactly_at_the_threshold():
    assert not quorum_reached(SIMPLE, Tally(electorate=10, yes=5))
    assert quorum_reached(SIMPLE, Tally(electorate=10, yes=6))


def test_abstentions_count_for_the_quorum_by_default():
    tally = Tally(electorate=5, yes=1, abstain=2)
    assert participation(SIMPLE, tally) == 3
    assert quorum_reached(SIMPLE, tally)


def test_abstentions_can_be_left_out_of_the_quorum():
    rule = Rule(abstentions_count_for_quorum=False)
    tally = Tally(electorate=5, yes=1, abstain=2)
    assert participation(rule, tally) == 1
    assert not quorum_reached(rule, tally)
    assert decide(rule, tally) == Outcome.NO_QUORUM


def test_no_quorum_rule_decides_on_any_turnout():
    rule = Rule(quorum=QuorumRule.NONE)
    assert quorum_reached(rule, Tally(electorate=20, yes=1))
    assert decide(rule, Tally(electorate=20, yes=1)) == Outcome.ADOPTED
    assert decide(rule, Tally(electorate=20)) == Outcome.REJECTED


def test_an_empty_electorate_never_reaches_quorum():
    for rule in (SIMPLE, Rule(quorum=QuorumRule.NONE)):
        assert not quorum_reached(rule, Tally(electorate=0))
        assert decide(rule, Tally(electorate=0)) == Outcome.NO_QUORUM


def test_simple_majority_more_yes_than_no_abstentions_neutral():
    assert decide(SIMPLE, Tally(electorate=9, yes=3, no=2, abstain=4)) == Outcome.ADOPTED
    assert decide(SIMPLE, Tally(electorate=9, yes=2, no=3, abstain=4)) == Outcome.REJECTED


def test_a_tie_is_not_a_simple_majority():
    assert decide(SIMPLE, Tally(electorate=6, yes=3, no=3)) == Outcome.REJECTED
    assert decide(SIMPLE, Tally(electorate=6, abstain=6)) == Outcome.REJECTED


def test_absolute_majority_needs_yes_from_more_than_half_of_the_seats():
    assert decide(ABSOLUTE, Tally(electorate=10, yes=5, no=0, abstain=5)) == Outcome.REJECTED
    assert decide(ABSOLUTE, Tally(electorate=10, yes=6, no=4)) == Outcome.ADOPTED
    # More yes than no among those voting is not enough when many stayed away.
    assert decide(ABSOLUTE, Tally(electorate=11, yes=5, no=1)) == Outcome.REJECTED
    assert decide(SIMPLE, Tally(electorate=11, yes=5, no=1)) == Outcome.ADOPTED


def test_two_thirds_of_yes_and_no_votes_abstentions_excluded():
    assert decide(TWO_THIRDS, Tally(electorate=9, yes=4, no=2, abstain=3)) == Outcome.ADOPTED
    assert decide(TWO_THIRDS, Tally(electorate=9, yes=5, no=3, abstain=1)) == Outcome.REJECTED
    # Exactly two thirds is enough.
    assert majority_reached(TWO_THIRDS, Tally(electorate=6, yes=4, no=2))
    # Only abstentions: nobody took a side, no majority.
    assert decide(TWO_THIRDS, Tally(electorate=5, abstain=5)) == Outcome.REJECTED


def test_every_outcome_follows_the_definitions_for_all_small_tallies():
    """Exhaustive check against a direct restatement of the rules, seats 1 to 7."""
    rules = [
        Rule(quorum=q, abstentions_count_for_quorum=a, majority=m)
        for q, a, m in itertools.product(QuorumRule.values, (True, False), MajorityRule.values)
    ]
    for n in range(1, 8):
        for yes, no, abstain in itertools.product(range(n + 1), repeat=3):
            if yes + no + abstain > n:
                continue
            tally = Tally(electorate=n, yes=yes, no=no, abstain=abstain)
            for rule in rules:
                turnout = yes + no + (abstain if rule.abstentions_count_for_quorum else 0)
                quorate = {
                    "more_than_half": 2 * turnout > n,
                    "two_thirds": 3 * turnout >= 2 * n,
                    "none": True,
                }[rule.quorum]
                adopted = {
                    "simple": yes > no,
                    "absolute": yes > n / 2,
                    "two_thirds": yes + no > 0 and 3 * yes >= 2 * (yes + no),
                }[rule.majority]
                expected = (
                    Outcome.NO_QUORUM
                    if not quorate
                    else (Outcome.ADOPTED if adopted else Outcome.REJECTED)
                )
                assert decide(rule, tally) == expected, (rule, tally)


def test_everyone_voted_closes_early_abstentions_included():
    assert everyone_voted(Tally(electorate=3, yes=1, no=1, abstain=1))
    assert not everyone_voted(Tally(electorate=3, yes=1, no=1))
    assert not everyone_voted(Tally(electorate=0))


def test_a_tally_cannot_hold_more_ballots_than_seats():
    with pytest.raises(ValueError):
        Tally(electorate=2, yes=2, no=1)
    with pytest.raises(ValueError):
        Tally(electorate=2, yes=-1)


def test_recusal_removes_the_subject_citys_seat_from_the_electorate():
    seats = [
        SeatInfo(1, 10, "voting"),
        SeatInfo(2, 20, "voting"),
        SeatInfo(3, 30, "voting"),
        SeatInfo(4, None, "observer"),
        SeatInfo(5, 40, "adviser"),
    ]
    eligible, recused = split_electorate(seats, subject_city_id=20)
    assert eligible == [1, 3]
    assert recused == [2]
    # Observers and advisers never vote, recused or not.
    assert split_electorate(seats, subject_city_id=40) == ([1, 2, 3], [])
    # A new city (no record yet) recuses nobody.
    assert split_electorate(seats, subject_city_id=None) == ([1, 2, 3], [])


def test_recusal_changes_the_quorum_base():
    """With 4 voting seats one of them recused, 2 of the 3 others make the quorum."""
    eligible, _ = split_electorate(
        [SeatInfo(i, i * 10, "voting") for i in range(1, 5)], subject_city_id=10
    )
    tally = Tally(electorate=len(eligible), yes=2)
    assert quorum_required(SIMPLE, tally.electorate) == 2
    assert decide(SIMPLE, tally) == Outcome.ADOPTED


def test_rule_snapshot_round_trips_and_rejects_unknown_values():
    rule = Rule(quorum="two_thirds", abstentions_count_for_quorum=False, majority="absolute")
    assert Rule.from_dict(rule.to_dict()) == rule
    assert Rule.from_dict({}) == DEFAULT_RULE
    with pytest.raises(ValueError):
        Rule(majority="unanimity")
