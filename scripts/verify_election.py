#!/usr/bin/env python3
"""Verify a published election file alone: no Django, no database.

    python scripts/verify_election.py election-12.json

Needs PyNaCl (the receipts) and PyCryptodome (imported with the key module); run from a
checkout of the portal, whose governance/elections package holds the count.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from governance.elections import bundle


def main(path: str) -> int:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    problems = bundle.verify(data)
    recount = bundle.recount(data)
    print(f"{len(data.get('ballots') or [])} ballots; elected {recount['elected']}")
    for problem in problems:
        print(f"MISMATCH: {problem}")
    if not problems:
        print("The published data agree with the result.")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
