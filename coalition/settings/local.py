"""Development on one machine (`make run`): SQLite and in-process tasks unless set."""

import os

os.environ.setdefault("DEBUG", "true")

from .base import *  # noqa: F403
from .base import env

SECRET_KEY = SECRET_KEY or "local-development-only-not-secret"  # noqa: F405
ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]"]  # noqa: F405
DEMO_DATA_ALLOWED = env.bool("DEMO_DATA_ALLOWED", default=True)
# Links in emails name the port `make run` serves on (the Makefile passes its PORT).
PORTAL_BASE_URL = env(
    "PORTAL_BASE_URL", default=f"http://127.0.0.1:{env('PORT', default='8000')}"
).rstrip("/")
