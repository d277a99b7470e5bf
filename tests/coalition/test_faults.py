"""A cache or broker outage never fails a request, and /healthz says how old the oldest job is.

Nothing here needs a running Redis: a port nobody listens on is a Redis that is down,
and a socket that accepts and never answers is a Redis that hangs. The real worker,
a real Redis stopped mid-submission and a cut database connection are in
tests/reporting/test_worker_faults.py.
"""

from __future__ import annotations

import datetime as dt
import socket
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from coalition import jobs
from coalition.celery import ping
from coalition.settings.base import redis_cache_settings
from reporting import services
from reporting.models import PDFStatus, ReportPDF
from tests.factories import PASSWORD, UserFactory
from tests.reporting.helpers import report_of
from tests.workers import broker_at

DOWN = "redis://127.0.0.1:1/0"  # nothing listens on port 1: connections are refused


@pytest.fixture
def hung_redis():
    """A Redis that accepts connections and never answers (a stuck server, a black hole)."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(64)
        yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"


@pytest.fixture
def cache_at(settings):
    def point(url: str) -> None:
        settings.CACHES = {"default": redis_cache_settings(url)}

    return point


PUBLIC_PAGES = ["/", "/cities/", "/coalitions/", "/api/v1/cities/", "/accounts/login/"]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_answer_with_the_cache_down(client, demo, cache_at, path):
    cache_at(DOWN)
    assert client.get(path).status_code == 200


def test_signing_in_works_with_the_cache_down(client, db, cache_at):
    cache_at(DOWN)
    user = UserFactory()
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_failed_logins_are_still_limited_in_each_process_with_the_cache_down(client, db, cache_at):
    """The rate limits fall back to the process's own memory rather than failing open."""
    cache_at(DOWN)
    user = UserFactory()
    for _ in range(5):
        client.post("/accounts/login/", {"login": user.email, "password": "wrong"})
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in response.content.decode()


def test_a_hung_cache_costs_a_short_timeout_once_not_on_every_call(
    client, demo, cache_at, hung_redis
):
    cache_at(hung_redis)
    started = time.monotonic()
    for path in ["/cities/", "/cities/", "/api/v1/cities/", "/accounts/login/"]:
        assert client.get(path).status_code == 200
    assert time.monotonic() - started < 10  # one socket timeout, then the breaker is open


@pytest.fixture
def broker_down():
    with broker_at(DOWN, queue="nobody-listens"):
        yield


def test_a_submission_with_the_broker_down_is_saved_and_answers_at_once(
    client, coordinator, broker_down, django_capture_on_commit_callbacks
):
    report = report_of("Potsdam", 2025)
    client.force_login(coordinator)
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:submit", args=[report.pk]), {"confirm": "on"})
    elapsed = time.monotonic() - started
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "submitted"
    # The PDFs wait, queued, for the sweep to hand them to a worker once the broker is back.
    assert set(ReportPDF.objects.filter(report=report).values_list("status", flat=True)) == {
        PDFStatus.QUEUED
    }
    assert elapsed < 5


def test_enqueue_reports_a_broker_outage_instead_of_raising(broker_down):
    jobs.reset_breaker()
    assert jobs.enqueue(ping) is False
    started = time.monotonic()
    assert jobs.enqueue(ping) is False  # the breaker is open: no second wait
    assert time.monotonic() - started < 0.5


# --- /healthz -----------------------------------------------------------------


def test_healthz_reports_no_unfinished_job(client, db):
    body = client.get("/healthz").json()
    assert body["oldest_unfinished_job_seconds"] is None
    assert body["checks"]["jobs"] == "ok"


def test_healthz_reports_the_age_of_the_oldest_unfinished_job(
    client, coordinator, settings, django_capture_on_commit_callbacks
):
    settings.COALITION_JOB_QUEUED_DEADLINE = 300
    settings.COALITION_JOB_RUNNING_DEADLINE = 600
    report = report_of("Potsdam", 2025)
    with django_capture_on_commit_callbacks(execute=False):
        services.submit_report(actor=coordinator, report=report)
    rows = ReportPDF.objects.filter(report=report)
    rows.update(queued_at=timezone.now() - dt.timedelta(seconds=120))
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert 119 <= body["oldest_unfinished_job_seconds"] < 200
    assert body["status"] == "ok" and body["checks"]["jobs"] == "ok"
    # Past both deadlines the sweep should have healed it: degraded, still 200 (see
    # docs/operations.md: restarting the web server would not help).
    rows.update(queued_at=timezone.now() - dt.timedelta(seconds=901))
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["jobs"].startswith("stuck")
