"""docker-compose.yml cannot run here (no Docker engine); it must still be valid and consistent."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def load_compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_has_the_production_services():
    services = load_compose()["services"]
    assert set(services) == {"web", "worker", "beat", "postgres", "redis"}
    assert "gunicorn coalition.wsgi:application" in services["web"]["command"]
    assert services["worker"]["command"].startswith("celery -A coalition worker")
    assert services["beat"]["command"].startswith("celery -A coalition beat")


def test_compose_runs_production_settings_against_postgres_and_redis():
    web = load_compose()["services"]["web"]
    env = web["environment"]
    assert env["DJANGO_SETTINGS_MODULE"] == "coalition.settings.production"
    assert env["DATABASE_URL"].startswith("postgres://")
    assert env["DATABASE_URL"].endswith("@postgres:5432/coalition")
    assert env["REDIS_URL"] == "redis://redis:6379/0"


def test_compose_keeps_data_in_volumes():
    # The health checks themselves run, as written, in CI's production smoke test
    # (scripts/smoke-production.py); reading them here would prove nothing.
    compose = load_compose()
    assert {"pgdata", "media"} <= set(compose["volumes"])
    assert "pgdata:/var/lib/postgresql/data" in compose["services"]["postgres"]["volumes"]


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
