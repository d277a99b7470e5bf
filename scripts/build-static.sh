#!/usr/bin/env bash
# Collects the static files under production settings, exactly as the production image does:
# the Dockerfile runs this script, and so does CI's production smoke test (scripts/smoke-production.py).
# WhiteNoise's manifest storage post-processes every file, so a stylesheet or script that names a
# missing file fails here, not in front of a visitor.
#   PYTHON=.venv/bin/python STATIC_ROOT=/tmp/static scripts/build-static.sh
set -euo pipefail
cd "$(dirname "$0")/.."
# collectstatic only needs settings that load: these values are build-time placeholders, never
# used to serve anything (the database is not touched).
DJANGO_SETTINGS_MODULE=coalition.settings.production \
  SECRET_KEY=build-only-placeholder-build-only-placeholder-build-only-placeholder \
  ALLOWED_HOSTS=build DATABASE_URL=sqlite:////tmp/build-static.sqlite3 REDIS_URL= \
  "${PYTHON:-python}" manage.py collectstatic --noinput --clear --verbosity 1
