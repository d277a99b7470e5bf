"""The pure text model of motions: numbered lines, their hash, amendments' ranges and the merge.

No database here (ADR 0009). A text is a list of lines, each with its section (a plain
motion has one body; a declaration a preamble and operative clauses, as Toulouse 2009).
Line n is `lines[n - 1]`, numbered across sections, so a version's numbers never move.
An amendment (a `Change`) deletes or replaces lines first..last, or inserts after a line
(0: before the first). Two changes conflict when their ranges overlap; non-conflicting
changes of one version merge in any order to the same text.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

BODY, PREAMBLE, OPERATIVE = "body", "preamble", "operative"
SECTIONS = (BODY, PREAMBLE, OPERATIVE)
DELETE, REPLACE, INSERT_AFTER = "delete", "replace", "insert_after"
MAX_LINE_LENGTH = 2000


@dataclass(frozen=True)
class Line:
    section: str
    text: str

    def as_dict(self) -> dict:
        return {"section": self.section, "text": self.text}


def split_lines(text: str) -> list[str]:
    """A typed text as lines: one per line break, trailing spaces cut, empty lines dropped."""
    lines = []
    for raw in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = " ".join(raw.split())
        if line:
            lines.append(line)
    return lines


def build(*, body: str = "", preamble: str = "", operative: str = "") -> list[Line]:
    """A text from its typed parts: a body, or a preamble followed by operative clauses."""
    if body.strip():
        return [Line(BODY, t) for t in split_lines(body)]
    return [Line(PREAMBLE, t) for t in split_lines(preamble)] + [
        Line(OPERATIVE, t) for t in split_lines(operative)
    ]


def from_json(data: Iterable[dict]) -> list[Line]:
    return [Line(d["section"], d["text"]) for d in data]


def to_json(lines: Iterable[Line]) -> list[dict]:
    return [line.as_dict() for line in lines]


def canonical(lines: Sequence[Line]) -> str:
    """The text that is hashed: each section's name in brackets, then its lines, one a line.

    "[preamble]\\nConcerned with ...\\n[operative]\\nCall upon ...\\n" — readable, so that
    anyone can recompute the hash printed in the minutes from the text they hold.
    """
    out, current = [], None
    for line in lines:
        if line.section != current:
            out.append(f"[{line.section}]")
            current = line.section
        out.append(line.text)
    return "".join(f"{part}\n" for part in out)


def sha256(lines: Sequence[Line]) -> str:
    return hashlib.sha256(canonical(lines).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class NumberedLine:
    number: int
    section: str
    text: str
    #: The first line of its section (templates put the section's heading before it).
    starts_section: bool


def numbered(lines: Sequence[Line]) -> list[NumberedLine]:
    result, previous = [], None
    for number, line in enumerate(lines, 1):
        result.append(NumberedLine(number, line.section, line.text, line.section != previous))
        previous = line.section
    return result


@dataclass(frozen=True)
class Change:
    """An amendment's effect: lines first..last replaced by `new` (none: deleted), or `new`
    inserted after line `first` (== last; 0 means before line 1)."""

    operation: str
    first: int
    last: int
    new: tuple[str, ...] = ()
    key: object = None  # whatever names it for the caller (an amendment's pk)

    @property
    def reach(self) -> int:
        """How many lines of the text it changes: the furthest-reaching is put to vote first."""
        if self.operation == INSERT_AFTER:
            return 0
        return self.last - self.first + 1

    @property
    def span(self) -> tuple[float, float]:
        """The stretch of the text it touches; an insertion touches the gap after its line."""
        if self.operation == INSERT_AFTER:
            return (self.first + 0.5, self.first + 0.5)
        return (float(self.first), float(self.last))


def check_change(change: Change, length: int) -> None:
    """ValueError unless the change fits a text of `length` lines."""
    if change.operation not in (DELETE, REPLACE, INSERT_AFTER):
        raise ValueError(f"unknown operation {change.operation!r}")
    if change.operation == INSERT_AFTER:
        if change.first != change.last or not 0 <= change.first <= length:
            raise ValueError("an insertion follows one line of the text (0: before the first)")
        if not change.new:
            raise ValueError("an insertion needs a text")
        return
    if not 1 <= change.first <= change.last <= length:
        raise ValueError("the lines are not in the text")
    if change.operation == REPLACE and not change.new:
        raise ValueError("a replacement needs a text")
    if change.operation == DELETE and change.new:
        raise ValueError("a deletion has no text")


def overlaps(a: Change, b: Change) -> bool:
    """Whether two changes of one version touch the same lines (then they conflict).

    Ranges overlap when they share a line; an insertion conflicts with a range that
    strictly contains its gap, and with another insertion at the same place.
    """
    (a0, a1), (b0, b1) = a.span, b.span
    return a0 <= b1 and b0 <= a1


def conflicts(changes: Sequence[Change]) -> dict[object, set[object]]:
    """For each change's key, the keys of the changes it conflicts with."""
    found: dict[object, set[object]] = {c.key: set() for c in changes}
    for i, a in enumerate(changes):
        for b in changes[i + 1 :]:
            if overlaps(a, b):
                found[a.key].add(b.key)
                found[b.key].add(a.key)
    return found


def voting_order(changes: Sequence[Change]) -> list[Change]:
    """Groups of conflicting changes by their first line; within one, furthest-reaching first.

    Ties fall to the earlier line, then to the caller's order (submission).
    """
    position = {id(c): i for i, c in enumerate(changes)}
    groups: list[list[Change]] = []
    for change in sorted(changes, key=lambda c: (c.span[0], position[id(c)])):
        touching = [g for g in groups if any(overlaps(change, other) for other in g)]
        merged = [change]
        for group in touching:
            merged.extend(group)
            groups.remove(group)
        groups.append(merged)
    groups.sort(key=lambda g: min(c.span[0] for c in g))
    order = []
    for group in groups:
        order.extend(sorted(group, key=lambda c: (-c.reach, c.span[0], position[id(c)])))
    return order


def merge(lines: Sequence[Line], changes: Sequence[Change]) -> list[Line]:
    """Apply non-conflicting changes of one version; ValueError if any two overlap.

    New lines take the section of the first line they replace, or of the line they
    follow (of line 1 when inserted before it); so a declaration keeps its structure.
    Changes are applied from the end of the text, so none moves another's lines.
    """
    for change in changes:
        check_change(change, len(lines))
    for i, a in enumerate(changes):
        for b in changes[i + 1 :]:
            if overlaps(a, b):
                raise ValueError("conflicting changes cannot both be merged")
    result = list(lines)
    for change in sorted(changes, key=lambda c: c.span[0], reverse=True):
        if change.operation == INSERT_AFTER:
            anchor = result[change.first - 1] if change.first else (result[0] if result else None)
            section = anchor.section if anchor else BODY
            result[change.first : change.first] = [Line(section, t) for t in change.new]
        else:
            section = result[change.first - 1].section
            result[change.first - 1 : change.last] = [Line(section, t) for t in change.new]
    return result
