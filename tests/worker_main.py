"""`celery -A coalition ...` for the fault tests, with two test-only hooks set from the environment.

Tasks it publishes (retries) go to the broker, as in production, not in-process as the
test settings have it.

TEST_RENDER_DELAY: seconds each report PDF waits before it is drawn, so that a test can
kill the worker or cut its database connection while a render is under way.
TEST_RENDER_LOG: a file that gets one line per PDF actually drawn ("<report pk> <variant>"),
so that a test can count the renders of every worker it started.
"""

from __future__ import annotations

import os
import sys
import time

from celery import signals

_patched = False


@signals.worker_init.connect
def _publish_for_real(sender, **kwargs) -> None:
    """The test settings run tasks in-process; a worker publishes its retries to the broker."""
    sender.app.conf.task_always_eager = False


@signals.task_prerun.connect
def _instrument_rendering(**kwargs) -> None:
    global _patched  # noqa: PLW0603 - once per worker process
    if _patched:
        return
    _patched = True
    from reporting import pdfs  # noqa: PLC0415 - Django is set up only once the worker runs

    delay = float(os.environ.get("TEST_RENDER_DELAY", "0"))
    log = os.environ.get("TEST_RENDER_LOG", "")
    original = pdfs.render_report_bytes

    def render_report_bytes(report, variant):
        time.sleep(delay)
        data = original(report, variant)
        if log:
            with open(log, "a") as handle:
                handle.write(f"{report.pk} {variant}\n")
        return data

    pdfs.render_report_bytes = render_report_bytes


if __name__ == "__main__":
    from celery.bin.celery import main

    sys.argv = ["celery", "-A", "coalition", *sys.argv[1:]]
    sys.exit(main())
