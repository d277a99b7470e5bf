#!/usr/bin/env python3
"""The production containers' health checks (docker-compose.yml runs them as written).

    python scripts/healthcheck.py web      # /healthz answers 200 through Django's own checks
    python scripts/healthcheck.py worker   # this container's Celery worker answers a ping

The web check asks /healthz the way the TLS proxy does: with the portal's host name (the first of
ALLOWED_HOSTS) and X-Forwarded-Proto https. A bare request to 127.0.0.1 would be refused as an
unknown host (400) or sent to https (301), and the check could never pass.
Standard library only for the web check, so it costs nothing but a request.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys


def check_web() -> int:
    host = (os.environ.get("ALLOWED_HOSTS", "").split(",")[0].strip()) or "localhost"
    port = int(os.environ.get("HEALTHCHECK_PORT", "8000"))
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", "/healthz", headers={"Host": host, "X-Forwarded-Proto": "https"})
        response = connection.getresponse()
        body = response.read(4096)
    except OSError as exc:
        print(f"web: no answer on 127.0.0.1:{port}: {exc}", file=sys.stderr)
        return 1
    finally:
        connection.close()
    if response.status != 200:
        print(f"web: /healthz answered {response.status}: {body[:300]!r}", file=sys.stderr)
        return 1
    print(f"web: {json.loads(body).get('checks')}")
    return 0


def check_worker() -> int:
    # The worker is started with the default node name celery@<hostname>; ask that node only.
    node = os.environ.get("CELERY_NODE", f"celery@{socket.gethostname()}")
    result = subprocess.run(  # noqa: S603 - a fixed command, no shell
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "coalition",
            "inspect",
            "ping",
            "--destination",
            node,
            "--timeout",
            "5",
        ],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    if result.returncode != 0 or "pong" not in result.stdout:
        print(f"worker: {node} did not answer: {result.stdout}{result.stderr}", file=sys.stderr)
        return 1
    print(f"worker: {node} answered")
    return 0


if __name__ == "__main__":
    checks = {"web": check_web, "worker": check_worker}
    if len(sys.argv) != 2 or sys.argv[1] not in checks:
        sys.exit(f"usage: {sys.argv[0]} {'|'.join(checks)}")
    sys.exit(checks[sys.argv[1]]())
