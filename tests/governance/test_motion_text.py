"""The pure text model of motions (governance.motion_text): numbering, hash, conflicts, order,
and the merge with its edge cases."""

from __future__ import annotations

import hashlib

import pytest

from governance import motion_text as mt
from governance.motion_text import Change, Line


def body(*texts: str) -> list[Line]:
    return [Line(mt.BODY, t) for t in texts]


TEXT = body("one", "two", "three", "four", "five")


def texts(lines) -> list[str]:
    return [line.text for line in lines]


def test_lines_are_split_on_line_breaks_and_blank_lines_dropped():
    assert mt.split_lines("  first  line \r\n\n second\rthird\n\n") == [
        "first line",
        "second",
        "third",
    ]


def test_a_declaration_numbers_its_lines_across_preamble_and_operative_clauses():
    lines = mt.build(preamble="Concerned with A,\nEmphasising B,", operative="Call upon C;")
    numbered = mt.numbered(lines)
    assert [(n.number, n.section, n.starts_section) for n in numbered] == [
        (1, "preamble", True),
        (2, "preamble", False),
        (3, "operative", True),
    ]


def test_numbering_is_stable_for_the_same_text():
    lines = mt.build(body="a\nb\nc")
    stored = mt.to_json(lines)
    again = mt.numbered(mt.from_json(stored))
    assert [(n.number, n.text) for n in again] == [(1, "a"), (2, "b"), (3, "c")]
    assert mt.sha256(mt.from_json(stored)) == mt.sha256(lines)


def test_the_hash_is_that_of_the_readable_canonical_text():
    lines = mt.build(preamble="Concerned,", operative="Call upon;")
    assert mt.canonical(lines) == "[preamble]\nConcerned,\n[operative]\nCall upon;\n"
    expected = hashlib.sha256(b"[preamble]\nConcerned,\n[operative]\nCall upon;\n").hexdigest()
    assert mt.sha256(lines) == expected


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (Change("delete", 1, 1), ["two", "three", "four", "five"]),  # first line
        (Change("delete", 5, 5), ["one", "two", "three", "four"]),  # last line
        (Change("delete", 1, 5), []),  # everything
        (Change("replace", 1, 1, ("ONE",)), ["ONE", "two", "three", "four", "five"]),
        (Change("replace", 5, 5, ("FIVE", "SIX")), ["one", "two", "three", "four", "FIVE", "SIX"]),
        (Change("replace", 2, 4, ("MIDDLE",)), ["one", "MIDDLE", "five"]),
        (Change("insert_after", 0, 0, ("zero",)), ["zero", "one", "two", "three", "four", "five"]),
        (Change("insert_after", 5, 5, ("six",)), ["one", "two", "three", "four", "five", "six"]),
        (
            Change("insert_after", 2, 2, ("2a", "2b")),
            ["one", "two", "2a", "2b", "three", "four", "five"],
        ),
    ],
)
def test_merge_applies_one_change(change, expected):
    assert texts(mt.merge(TEXT, [change])) == expected


def test_merge_of_several_changes_does_not_depend_on_their_order():
    changes = [
        Change("replace", 1, 2, ("A",)),
        Change("insert_after", 2, 2, ("after two",)),
        Change("delete", 4, 4),
        Change("insert_after", 5, 5, ("end",)),
    ]
    merged = texts(mt.merge(TEXT, changes))
    assert merged == ["A", "after two", "three", "five", "end"]
    assert texts(mt.merge(TEXT, list(reversed(changes)))) == merged


def test_merge_keeps_the_sections_of_a_declaration():
    lines = mt.build(preamble="P1\nP2", operative="O1\nO2")
    merged = mt.merge(
        lines,
        [Change("replace", 3, 3, ("O1 new", "O1b")), Change("insert_after", 1, 1, ("P1b",))],
    )
    assert [(line.section, line.text) for line in merged] == [
        ("preamble", "P1"),
        ("preamble", "P1b"),
        ("preamble", "P2"),
        ("operative", "O1 new"),
        ("operative", "O1b"),
        ("operative", "O2"),
    ]


@pytest.mark.parametrize(
    "change",
    [
        Change("delete", 0, 1),
        Change("delete", 4, 6),
        Change("replace", 2, 2),  # no text
        Change("delete", 2, 2, ("x",)),  # a deletion with text
        Change("insert_after", 6, 6, ("x",)),
        Change("insert_after", 2, 3, ("x",)),
        Change("rewrite", 1, 1, ("x",)),
    ],
)
def test_merge_refuses_a_change_outside_the_text(change):
    with pytest.raises(ValueError):
        mt.merge(TEXT, [change])


def test_merge_refuses_conflicting_changes():
    with pytest.raises(ValueError):
        mt.merge(TEXT, [Change("replace", 2, 3, ("x",)), Change("delete", 3, 4)])


@pytest.mark.parametrize(
    ("a", "b", "conflict"),
    [
        (Change("replace", 2, 3, ("x",)), Change("delete", 3, 4), True),  # share line 3
        (Change("replace", 2, 3, ("x",)), Change("delete", 4, 5), False),  # adjacent
        (Change("replace", 2, 4, ("x",)), Change("insert_after", 3, 3, ("y",)), True),  # inside
        (Change("replace", 2, 4, ("x",)), Change("insert_after", 4, 4, ("y",)), False),  # after
        (Change("replace", 2, 4, ("x",)), Change("insert_after", 1, 1, ("y",)), False),  # before
        (Change("insert_after", 2, 2, ("x",)), Change("insert_after", 2, 2, ("y",)), True),
        (Change("insert_after", 2, 2, ("x",)), Change("insert_after", 3, 3, ("y",)), False),
    ],
)
def test_overlapping_ranges_conflict(a, b, conflict):
    assert mt.overlaps(a, b) is conflict
    assert mt.overlaps(b, a) is conflict


def test_voting_order_puts_the_furthest_reaching_first_among_conflicting_ones():
    narrow = Change("replace", 4, 4, ("x",), key="narrow")
    wide = Change("replace", 3, 5, ("y",), key="wide")
    early = Change("insert_after", 1, 1, ("z",), key="early")
    late = Change("delete", 7, 7, key="late")
    order = mt.voting_order([narrow, late, wide, early])
    assert [c.key for c in order] == ["early", "wide", "narrow", "late"]


def test_conflicts_are_listed_both_ways():
    a = Change("replace", 1, 2, ("x",), key="a")
    b = Change("delete", 2, 2, key="b")
    c = Change("delete", 4, 4, key="c")
    assert mt.conflicts([a, b, c]) == {"a": {"b"}, "b": {"a"}, "c": set()}
