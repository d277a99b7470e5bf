"""The personas of the sitting room's permission matrices (polls, proxies) and their table.

The room itself and its officers (`room`, `chair`, `teller`, `observer`) are fixtures in
tests/governance/conftest.py.
"""

from __future__ import annotations

#: Who tries every URL of the room: the shared personas (tests/conftest.py), Potsdam's
#: substitute (tests/governance/conftest.py) and the room's own (an observer, the chair,
#: the teller).
PERSONAS = [
    "anonymous",
    "outsider",
    "coordinator",
    "delegate",
    "substitute",
    "observer",
    "committee_member",
    "secretariat",
    "teller",
    "chair",
    "bureau",
    "administrator",
]


def expect(default: int, **overrides: int) -> dict[str, int]:
    """Every persona's status: `default`, anonymous sent to sign in, then the overrides."""
    table = dict.fromkeys(PERSONAS, default)
    table["anonymous"] = 302
    for persona, status in overrides.items():
        assert persona in table, persona
        table[persona] = status
    return table
