"""Faults heal by themselves, with real processes: a worker killed mid-render, its database
connection cut, Redis stopped during a submission. Afterwards every PDF is rendered, once.

Each test starts real Celery workers (tests/worker_main.py: `celery -A coalition worker`,
with a test-only delay before drawing and a log of every PDF drawn) on a queue of its own.
The sweep runs in the test process, with short deadlines, as Celery beat would run it.
"""

from __future__ import annotations

import time

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from coalition import jobs
from coalition.settings.base import redis_cache_settings
from reporting import pdfs, services
from reporting.models import PDFStatus, PDFVariant, ReportPDF
from tests.conftest import require_service
from tests.reporting.helpers import report_of
from tests.workers import OwnRedis, broker_at, unique_queue, wait_for, xdist_index

pytestmark = pytest.mark.integration

#: Not the shared Redis on 6379 (others use it): a throwaway server this test may stop,
#: one port per xdist worker.
OWN_REDIS_PORT = 6390 + xdist_index()
VARIANTS = sorted([PDFVariant.FULL, PDFVariant.COALITION])


def _queue() -> str:
    return unique_queue("faults")


def _statuses(report) -> dict[str, str]:
    return dict(ReportPDF.objects.filter(report=report).values_list("variant", "status"))


def _all(report, status) -> bool:
    statuses = _statuses(report)
    return sorted(statuses) == VARIANTS and set(statuses.values()) == {status}


def _drawn(log) -> list[str]:
    return sorted(log.read_text().split("\n")[:-1]) if log.exists() else []


def _rendered_once(report, log) -> None:
    """Every PDF of the report is ready, current, and was drawn exactly once."""
    report.refresh_from_db()
    for pdf in ReportPDF.objects.filter(report=report):
        assert pdf.status == PDFStatus.READY and pdf.rendered_version == report.version
        assert pdf.file and pdf.file.storage.exists(pdf.file.name)
    assert _drawn(log) == [f"{report.pk} {variant}" for variant in VARIANTS]


def test_a_render_killed_with_its_worker_is_rendered_once_by_the_next_worker(
    transactional_db, postgres, redis_url, demo, coordinator, tmp_path, settings, celery_worker
):
    log = tmp_path / "drawn.log"
    queue = _queue()
    report = report_of("Potsdam", 2025)
    with broker_at(redis_url, queue=queue):
        first = celery_worker(
            queue=queue,
            log=tmp_path / "first.log",
            env={"TEST_RENDER_DELAY": "120", "TEST_RENDER_LOG": str(log)},
        )
        try:
            services.submit_report(actor=coordinator, report=report)  # published on commit
            wait_for(
                lambda: PDFStatus.RENDERING in _statuses(report).values(),
                timeout=90,
                worker=first,
            )
            first.kill()  # mid-render: its message stays unacknowledged in Redis
        finally:
            first.stop()
        assert PDFStatus.RENDERING in _statuses(report).values() and _drawn(log) == []

        second = celery_worker(
            queue=queue,
            log=tmp_path / "second.log",
            env={"TEST_RENDER_LOG": str(log)},
        )
        try:
            settings.COALITION_JOB_RUNNING_DEADLINE = 1
            time.sleep(1.1)
            assert pdfs.requeue_stuck_pdfs()["rendering"] == 1  # beat's sweep, past the deadline
            wait_for(lambda: _all(report, PDFStatus.READY), timeout=120, worker=second)
            assert pdfs.requeue_stuck_pdfs() == {"queued": 0, "rendering": 0, "given_up": 0}
        finally:
            second.stop()
    _rendered_once(report, log)
    assert ReportPDF.objects.get(report=report, variant=PDFVariant.FULL).attempts == 2


def test_a_render_whose_database_connection_is_cut_is_retried_and_rendered_once(
    transactional_db, postgres, redis_url, demo, coordinator, tmp_path, celery_worker
):
    log = tmp_path / "drawn.log"
    queue = _queue()
    report = report_of("Potsdam", 2025)
    with broker_at(redis_url, queue=queue):
        worker = celery_worker(
            queue=queue,
            log=tmp_path / "worker.log",
            env={"TEST_RENDER_DELAY": "2", "TEST_RENDER_LOG": str(log)},
        )
        try:
            services.submit_report(actor=coordinator, report=report)
            wait_for(
                lambda: PDFStatus.RENDERING in _statuses(report).values(),
                timeout=90,
                worker=worker,
            )
            with connection.cursor() as cursor:  # only the backends of this test's own database
                cursor.execute(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
                (cut,) = cursor.fetchone()
            assert cut >= 1
            wait_for(lambda: _all(report, PDFStatus.READY), timeout=120, worker=worker)
            assert "Retry in" in worker.output()  # the task was retried, not lost
        finally:
            worker.stop()
    _rendered_once(report, log)


@pytest.fixture
def own_redis():
    redis = OwnRedis(OWN_REDIS_PORT)
    require_service(redis.available(), "needs redis-server and redis-cli on the PATH")
    if redis.running():
        pytest.skip(f"port {OWN_REDIS_PORT} is taken: this test needs a Redis it may stop")
    redis.start()
    try:
        yield redis
    finally:
        if redis.running():
            redis.stop()


def test_redis_stopped_during_a_submission_answers_at_once_and_renders_once_it_is_back(
    transactional_db,
    postgres,
    own_redis,
    demo,
    coordinator,
    client,
    tmp_path,
    settings,
    celery_worker,
):
    log = tmp_path / "drawn.log"
    queue = _queue()
    report = report_of("Potsdam", 2025)
    settings.CACHES = {"default": redis_cache_settings(own_redis.url)}
    client.force_login(coordinator)
    with broker_at(own_redis.url, queue=queue):
        own_redis.stop()  # broker and cache gone

        started = time.monotonic()
        response = client.post(reverse("reporting:submit", args=[report.pk]), {"confirm": "on"})
        elapsed = time.monotonic() - started
        assert response.status_code == 302, response.content[:2000]
        assert elapsed < 5, f"the submission took {elapsed:.1f} s"
        report.refresh_from_db()
        assert report.status == "submitted"
        assert _all(report, PDFStatus.QUEUED)
        # Its message was never published: the sweep will not wait for a deadline.
        assert not ReportPDF.objects.filter(report=report, dispatched_at__isnull=False).exists()
        visitor = Client()  # meanwhile, the public pages and signing in work
        for path in ["/", "/cities/", "/api/v1/cities/", "/accounts/login/"]:
            assert visitor.get(path).status_code == 200, path

        own_redis.start()  # Redis is back, empty (nothing was saved)
        worker = celery_worker(
            redis_url=own_redis.url,
            queue=queue,
            log=tmp_path / "worker.log",
            env={"TEST_RENDER_LOG": str(log)},
        )
        try:
            jobs.reset_breaker()  # as the breaker would after COALITION_BROKER_RETRY_AFTER
            assert pdfs.requeue_stuck_pdfs()["queued"] == 1  # beat's next sweep
            wait_for(lambda: _all(report, PDFStatus.READY), timeout=120, worker=worker)
            assert pdfs.requeue_stuck_pdfs()["queued"] == 0
        finally:
            worker.stop()
    _rendered_once(report, log)
