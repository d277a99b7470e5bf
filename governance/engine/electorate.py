"""The electorate of a vote: who may vote, who is recused, and why.

Pure data: the engine builds one through the vote's subject when the vote opens,
writes it as `ElectorateEntry` rows (never changed afterwards), and asks the
subject at each ballot and at the close which electorate counts now.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ELIGIBLE = "eligible"
RECUSED = "recused"
LEFT = "left"


@dataclass(frozen=True)
class Elector:
    """One elector: a committee seat (with its city), or a city alone in an assembly poll.

    Only the first four fields are recorded and compared.
    """

    seat_id: int | None
    city_id: int | None
    status: str  # ElectorStatus: eligible, recused, left
    reason: str  # ElectorReason: why the seat has that status
    representative_id: int | None = field(default=None, compare=False)
    label: str = field(default="", compare=False)


@dataclass(frozen=True)
class Electorate:
    electors: tuple[Elector, ...] = ()

    def _seats(self, status: str) -> list[int]:
        return [e.seat_id for e in self.electors if e.status == status and e.seat_id is not None]

    @property
    def eligible(self) -> list[int]:
        return self._seats(ELIGIBLE)

    @property
    def recused(self) -> list[int]:
        return self._seats(RECUSED)

    @property
    def left(self) -> list[int]:
        return self._seats(LEFT)

    def cities(self, status: str = ELIGIBLE) -> list[int]:
        """The cities with that status (an assembly poll's electors are cities)."""
        return [e.city_id for e in self.electors if e.status == status and e.city_id is not None]

    def held_by(self, user_id: int | None) -> list[Elector]:
        """The electors a person represents (none for an anonymous one)."""
        if user_id is None:
            return []
        return [e for e in self.electors if e.representative_id == user_id]

    def changes_since(self, opening: Electorate | None) -> list[Elector]:
        """The electors that differ from the opening electorate (all of them without one)."""
        before = set(opening.electors) if opening is not None else set()
        return [e for e in self.electors if e not in before]
