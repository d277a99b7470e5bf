"""Helpers for tests that talk to a real broker and a real Celery worker, or to a broken one."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.db import connection

from coalition import jobs
from coalition.celery import app

ROOT = Path(__file__).resolve().parent.parent


def _forget_connections(app) -> None:
    """Drop the app's pooled broker connections, so the next publish uses the new URL."""
    app._pool = None
    with contextlib.suppress(AttributeError, KeyError):
        app.__dict__["amqp"]._producer_pool = None


@contextlib.contextmanager
def broker_at(url: str, *, queue: str):
    """Publish tasks to the broker at `url` (not in-process) on `queue`, for the block."""
    keys = ("broker_url", "task_always_eager", "task_default_queue")
    saved = {key: app.conf[key] for key in keys}
    _forget_connections(app)
    app.conf.update(broker_url=url, task_always_eager=False, task_default_queue=queue)
    jobs.reset_breaker()
    try:
        yield
    finally:
        _forget_connections(app)
        app.conf.update(saved)
        jobs.reset_breaker()


def xdist_index() -> int:
    """0 outside xdist, else the number of this xdist worker (gw0, gw1, ...)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    return int(worker[2:]) if worker.startswith("gw") and worker[2:].isdigit() else 0


def unique_queue(prefix: str = "test") -> str:
    """A queue no other test (nor any other xdist worker, nor another checkout) listens on."""
    return f"{prefix}-{os.getpid()}-{time.monotonic_ns()}"


def database_url() -> str:
    """The test database, where the rows the test committed are (for a worker subprocess)."""
    s = connection.settings_dict
    return (
        f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or '127.0.0.1'}:"
        f"{s['PORT'] or 5432}/{s['NAME']}"
    )


class Worker:
    """A real `celery worker` subprocess on one queue, its output in a file."""

    def __init__(
        self,
        *,
        redis_url: str,
        queue: str,
        log: Path,
        env: dict[str, str] | None = None,
        concurrency: int = 0,
    ):
        """concurrency=0: one process (the solo pool); N: the prefork pool of N processes."""
        self.log = log
        environment = {
            **os.environ,
            "REDIS_URL": redis_url,
            # The test database, where the rows the test committed are (PostgreSQL only:
            # SQLite's test database lives in the test process's memory).
            **({"DATABASE_URL": database_url()} if connection.vendor == "postgresql" else {}),
            "DJANGO_SETTINGS_MODULE": "coalition.settings.test",
            **(env or {}),
        }
        pool = (
            ["--pool=prefork", f"--concurrency={concurrency}"] if concurrency else ["--pool=solo"]
        )
        self._out = open(log, "a")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.worker_main",
                "worker",
                *pool,
                "--loglevel=INFO",
                "-Q",
                queue,
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env=environment,
            stdout=self._out,
            stderr=subprocess.STDOUT,
        )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL: no clean-up, no acknowledgement, as when the machine loses power."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=20)
        self._out.close()

    def stop(self) -> None:
        if self.alive():
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=20)
        if not self._out.closed:
            self._out.close()


def wait_for(condition, *, timeout: float, worker: Worker | None = None, every: float = 0.05):
    """Poll until `condition()` is truthy; fail with the worker's output if it died or timed out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        if worker is not None and not worker.alive():
            raise AssertionError(f"the worker died:\n{worker.output()[-4000:]}")
        time.sleep(every)
    output = worker.output()[-4000:] if worker else ""
    raise AssertionError(f"timed out after {timeout} s\n{output}")


class OwnRedis:
    """A throwaway redis-server of this test's own, which it may stop and start again."""

    def __init__(self, port: int):
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"

    @staticmethod
    def available() -> bool:
        return shutil.which("redis-server") is not None and shutil.which("redis-cli") is not None

    def _cli(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["redis-cli", "-p", str(self.port), *args],
            capture_output=True,
            text=True,
            timeout=10,
        )

    def running(self) -> bool:
        return self._cli("ping").stdout.strip() == "PONG"

    def start(self) -> None:
        subprocess.run(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "yes",
            ],
            check=True,
            capture_output=True,
            timeout=10,
        )
        wait_for(self.running, timeout=10)

    def stop(self) -> None:
        self._cli("shutdown", "nosave")
        wait_for(lambda: not self.running(), timeout=10)
