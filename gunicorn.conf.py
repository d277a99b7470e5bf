"""gunicorn's settings for the portal, read from the working directory by `gunicorn coalition.wsgi`.

docker-compose.yml and CI's production smoke test start gunicorn with the same command, so what
CI serves is what production serves; only the address differs (the smoke test binds loopback).
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# A worker is replaced after this many requests (with jitter), so a slow leak cannot grow forever.
# GUNICORN_MAX_REQUESTS=0 turns recycling off: bench/load.py does, because a worker restarting
# in the middle of a two-second run measures the restart (imports, first requests), not the page.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200 if max_requests else 0
accesslog = "-"
