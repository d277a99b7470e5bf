#!/usr/bin/env python3
"""Write tests/durations.json from the output of a `make test PYTEST_ARGS=--durations=0` run.

    make test PYTEST_ARGS=--durations=0 | tee var/test.log
    .venv/bin/python scripts/test-durations.py var/test.log

The test order (tests/conftest.py, pytest_collection_modifyitems) runs the longest tests
that commit first in their group, so that the two xdist workers finish together rather than
one waiting for the other's last long browser test. Only the order reads the file: a test
missing from it (new, or under a second) just runs among the short ones. Times are the
sum of a test's set-up, call and tear-down, in seconds; tests under a second are left out.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

LINE = re.compile(r"^([\d.]+)s (?:setup|call|teardown)\s+(\S+)")
OUT = Path(__file__).resolve().parents[1] / "tests" / "durations.json"


def main(log: str) -> None:
    seconds: Counter[str] = Counter()
    for line in Path(log).read_text(encoding="utf-8", errors="replace").splitlines():
        if match := LINE.match(line):
            seconds[match.group(2)] += float(match.group(1))
    if not seconds:
        sys.exit(f"{log}: no durations (run pytest with --durations=0)")
    kept = {test: round(t, 1) for test, t in sorted(seconds.items()) if t >= 1.0}
    OUT.write_text(json.dumps(kept, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(kept)} tests of {len(seconds)} timed")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
