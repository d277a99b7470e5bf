"""A real Celery worker on Redis runs a task and returns its result."""

from __future__ import annotations

import pytest
from celery import Celery

from tests.workers import unique_queue


@pytest.mark.integration
def test_a_real_worker_runs_a_task_through_redis(redis_url, celery_worker):
    queue = unique_queue("test")
    celery_worker(queue=queue)
    # set_as_current=False: this client must not become the app that shared tasks use.
    client = Celery(broker=redis_url, backend=redis_url, set_as_current=False)
    try:
        result = client.send_task("coalition.ping", queue=queue)
        assert result.get(timeout=60) == "pong"
    finally:
        client.close()
