"""The production static storage refuses a file that names a missing one; so does this test.

WhiteNoise's manifest storage rewrites every `url(...)` of a stylesheet and every
`sourceMappingURL` of a script to its hashed name, and fails collectstatic (and so the image
build) when the named file does not exist. CI's production smoke test runs the real
collectstatic; this test names the culprit in a second.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "static"
SOURCE_MAP = re.compile(r"^\s*/[/*][#@] sourceMappingURL=(?P<url>[^\s*]+)", re.M)
CSS_URL = re.compile(r"url\(\s*['\"]?(?P<url>[^'\")]+)['\"]?\s*\)")


def _named_files(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8", errors="replace")
    names = [m.group("url") for m in SOURCE_MAP.finditer(text)]
    if path.suffix == ".css":
        names += [m.group("url") for m in CSS_URL.finditer(text)]
    return [n for n in names if not n.startswith(("data:", "http:", "https:", "//", "#"))]


def test_no_static_file_names_a_file_that_is_not_there():
    missing = []
    for path in sorted(STATIC.rglob("*")):
        if path.suffix not in (".js", ".css"):
            continue
        for name in _named_files(path):
            target = (path.parent / name.split("?")[0].split("#")[0]).resolve()
            if not target.exists():
                missing.append(f"{path.relative_to(ROOT)} names {name}")
    assert not missing, missing


def test_the_check_sees_a_source_map_comment(tmp_path):
    script = tmp_path / "x.js"
    script.write_text("var a = 1;\n//# sourceMappingURL=x.js.map\n")
    assert _named_files(script) == ["x.js.map"]
