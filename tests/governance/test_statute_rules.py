"""The General Assembly's rules read from a statute profile's snapshot: quorum and majorities."""

from __future__ import annotations

from decimal import Decimal

import pytest

from governance.models.fee_bands import fee_for_population, format_fee_bands, parse_fee_bands
from governance.models.statute import GERMAN_LAW_SOURCES, SOURCED_VALUES, StatuteProfile
from governance.rules import (
    AssemblyDecisionKind,
    assembly_majority_reached,
    assembly_quorum_reached,
    assembly_quorum_required,
    parse_share,
)
from members.models import Coalition

DEFAULTS = StatuteProfile.german_law_defaults(Coalition(pk=1, short_name="X")).snapshot()


def profile(**values) -> dict:
    return {**DEFAULTS, **values}


def test_german_law_defaults_no_quorum_majority_of_votes_cast_three_quarters_no_proxies():
    assert DEFAULTS["quorum_kind"] == "none"
    assert DEFAULTS["majority_ordinary"] == "simple"
    assert DEFAULTS["majority_statute_change"] == "three_quarters"
    assert DEFAULTS["majority_dissolution"] == "three_quarters"
    assert DEFAULTS["proxies_allowed"] is False
    assert DEFAULTS["late_items_allowed"] is False
    assert DEFAULTS["abstentions_count_as_cast"] is False
    assert DEFAULTS["requires_fee_paid"] is False
    assert DEFAULTS["requires_no_report_overdue"] is False


def test_every_default_value_names_its_source_in_german_law():
    assert set(GERMAN_LAW_SOURCES) == {value.key for value in SOURCED_VALUES}
    assert DEFAULTS["sources"]["majority_statute_change"].startswith("BGB §33")
    assert DEFAULTS["sources"]["proxies"].startswith("BGB §38")


def test_without_a_quorum_any_attendance_is_quorate():
    assert assembly_quorum_required(DEFAULTS, 24) == 0
    assert assembly_quorum_reached(DEFAULTS, 24, represented=1)


@pytest.mark.parametrize(
    ("share", "comparison", "cities", "needed"),
    [
        ("1/2", "at_least", 24, 12),
        ("1/2", "more_than", 24, 13),
        ("1/2", "at_least", 23, 12),
        ("1/2", "more_than", 23, 12),
        ("1/3", "at_least", 10, 4),
        ("1/3", "at_least", 9, 3),
        ("1/3", "more_than", 9, 4),
        ("2/3", "at_least", 3, 2),
        ("1", "at_least", 5, 5),
        ("1/2", "at_least", 0, 0),
    ],
)
def test_a_share_quorum_is_exact(share, comparison, cities, needed):
    snapshot = profile(quorum_kind="share", quorum_share=share, quorum_comparison=comparison)
    assert assembly_quorum_required(snapshot, cities) == needed
    assert assembly_quorum_reached(snapshot, cities, represented=needed)
    if needed:
        assert not assembly_quorum_reached(snapshot, cities, represented=needed - 1)


def test_a_number_quorum_is_the_number_written():
    snapshot = profile(quorum_kind="number", quorum_number=10)
    assert assembly_quorum_required(snapshot, 24) == 10
    assert not assembly_quorum_reached(snapshot, 8, represented=8)  # never quorate: too few


def test_the_second_convocation_has_its_own_quorum():
    snapshot = profile(
        quorum_kind="share",
        quorum_share="1/2",
        second_convocation_allowed=True,
        second_quorum_kind="none",
    )
    assert not assembly_quorum_reached(snapshot, 24, represented=5)
    assert assembly_quorum_reached(snapshot, 24, represented=5, convocation=2)


def test_there_is_no_second_convocation_unless_the_statute_provides_one():
    with pytest.raises(ValueError, match="second convocation"):
        assembly_quorum_required(DEFAULTS, 24, convocation=2)


ORDINARY = AssemblyDecisionKind.ORDINARY
STATUTE = AssemblyDecisionKind.STATUTE_CHANGE


def test_a_simple_majority_needs_more_yes_than_no_and_a_tie_fails():
    assert assembly_majority_reached(DEFAULTS, ORDINARY, yes=6, no=5, abstain=0)
    assert not assembly_majority_reached(DEFAULTS, ORDINARY, yes=5, no=5, abstain=0)


def test_abstentions_are_not_votes_cast_by_default():
    assert assembly_majority_reached(DEFAULTS, ORDINARY, yes=2, no=1, abstain=20)


def test_when_abstentions_count_as_cast_they_weigh_like_no():
    snapshot = profile(abstentions_count_as_cast=True)
    assert not assembly_majority_reached(snapshot, ORDINARY, yes=2, no=1, abstain=1)
    assert assembly_majority_reached(snapshot, ORDINARY, yes=3, no=1, abstain=1)


def test_no_vote_cast_is_never_a_majority():
    assert not assembly_majority_reached(DEFAULTS, ORDINARY, yes=0, no=0, abstain=7)


def test_a_statute_change_passes_with_exactly_three_quarters():
    assert assembly_majority_reached(DEFAULTS, STATUTE, yes=15, no=5, abstain=3)
    assert not assembly_majority_reached(DEFAULTS, STATUTE, yes=14, no=5, abstain=3)


def test_a_late_item_needs_two_thirds_and_exactly_two_thirds_is_enough():
    kind = AssemblyDecisionKind.LATE_ITEM
    assert assembly_majority_reached(DEFAULTS, kind, yes=2, no=1, abstain=0)
    assert not assembly_majority_reached(DEFAULTS, kind, yes=199, no=101, abstain=0)


def test_each_kind_reads_its_own_majority_from_the_snapshot():
    snapshot = profile(majority_exclusion="two_thirds")
    kind = AssemblyDecisionKind.EXCLUSION
    assert not assembly_majority_reached(snapshot, kind, yes=6, no=4, abstain=0)
    assert assembly_majority_reached(DEFAULTS, kind, yes=6, no=4, abstain=0)


def test_unknown_kinds_and_negative_counts_are_refused():
    with pytest.raises(ValueError):
        assembly_majority_reached(DEFAULTS, "coup", 1, 0, 0)
    with pytest.raises(ValueError):
        assembly_majority_reached(DEFAULTS, ORDINARY, -1, 0, 0)


@pytest.mark.parametrize("text", ["0", "3/2", "abc", "1/0", "-1/2", ""])
def test_a_share_must_be_a_fraction_above_zero_up_to_one(text):
    with pytest.raises(ValueError):
        parse_share(text)


def test_fee_bands_read_and_write_the_same_text():
    bands = parse_fee_bands("50,000 500\n200000 750\n* 1000\n")
    assert bands == [
        {"up_to": 50000, "amount": "500.00"},
        {"up_to": 200000, "amount": "750.00"},
        {"up_to": None, "amount": "1000.00"},
    ]
    assert parse_fee_bands(format_fee_bands(bands)) == bands
    assert fee_for_population(bands, 50000) == Decimal("500.00")
    assert fee_for_population(bands, 50001) == Decimal("750.00")
    assert fee_for_population(bands, 3_000_000) == Decimal("1000.00")
    assert fee_for_population(bands, None) is None  # unknown population: by hand
    assert fee_for_population(bands[:2], 300_000) is None
    assert fee_for_population(parse_fee_bands("* 800"), None) == Decimal("800.00")


@pytest.mark.parametrize("text", ["50000", "* 500\n100 200", "200 5\n100 5", "x 5", "10 y"])
def test_malformed_fee_bands_are_refused(text):
    with pytest.raises(ValueError):
        parse_fee_bands(text)
