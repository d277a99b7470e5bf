"""The production image and its configuration agree with what the portal runs on.

docker-compose.yml itself is run, as written, by CI's production smoke test
(scripts/smoke-production.py: the compose command, production settings, every health
check); restating its lines here would prove nothing more.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_env_example_names_every_required_production_variable():
    text = (ROOT / ".env.example").read_text()
    for name in ("SECRET_KEY", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "POSTGRES_PASSWORD"):
        assert f"{name}=" in text


def test_the_image_installs_the_system_packages_make_run_installs():
    """WeasyPrint's libraries and the fonts for every member city's script, in both places."""
    script = (ROOT / "scripts" / "system-deps.sh").read_text()
    run_pkgs = re.search(r"^run_pkgs=\((.*)\)$", script, re.M).group(1).split()
    dockerfile = (ROOT / "Dockerfile").read_text()
    missing = [pkg for pkg in run_pkgs if not re.search(rf"\s{re.escape(pkg)}(\s|$)", dockerfile)]
    assert not missing, f"the Dockerfile does not install {missing}"
