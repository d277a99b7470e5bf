"""docker-compose.yml cannot run here (no Docker engine); it must still be valid and consistent."""

from __future__ import annotations

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


def test_compose_checks_health_and_keeps_data_in_volumes():
    compose = load_compose()
    assert "/healthz" in " ".join(compose["services"]["web"]["healthcheck"]["test"])
    assert {"pgdata", "media"} <= set(compose["volumes"])
    assert "pgdata:/var/lib/postgresql/data" in compose["services"]["postgres"]["volumes"]


def test_env_example_names_every_required_production_variable():
    text = (ROOT / ".env.example").read_text()
    for name in ("SECRET_KEY", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "POSTGRES_PASSWORD"):
        assert f"{name}=" in text
