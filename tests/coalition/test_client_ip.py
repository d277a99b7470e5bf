"""The client's address, for every rate limit: from the proxies the deployment names, no others.

One setting (TRUSTED_PROXY_COUNT) and one function (coalition.proxies.client_ip) serve the
API's anonymous throttle and allauth's login limits alike.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from allauth import app_settings as allauth_settings
from django.conf import settings as live_settings
from django.test import RequestFactory
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle

from coalition.proxies import client_ip
from tests.factories import PASSWORD, UserFactory

CLIENT_A = "203.0.113.5"
CLIENT_B = "198.51.100.7"
PROXY = "10.0.0.2"  # what REMOTE_ADDR is for everyone behind the TLS proxy


def request_from(remote_addr: str, xff: str | None = None):
    extra = {"REMOTE_ADDR": remote_addr}
    if xff is not None:
        extra["HTTP_X_FORWARDED_FOR"] = xff
    return RequestFactory().get("/", **extra)


# --- the function ------------------------------------------------------------------


def test_without_proxies_the_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request_from(CLIENT_A, "1.2.3.4")) == CLIENT_A


def test_behind_one_proxy_the_last_forwarded_entry_is_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request_from(PROXY, f"1.2.3.4, {CLIENT_A}")) == CLIENT_A
    assert client_ip(request_from(PROXY, CLIENT_B)) == CLIENT_B


def test_behind_two_proxies_the_entry_before_the_inner_proxy_is_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request_from(PROXY, f"1.2.3.4, {CLIENT_A}, 10.0.0.1")) == CLIENT_A


@pytest.mark.parametrize(
    "xff",
    [None, "", "not-an-address", "   "],
    ids=["no header", "empty", "garbage", "blank"],
)
def test_a_missing_or_unreadable_forwarded_header_falls_back_to_the_peer(settings, xff):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request_from(PROXY, xff)) == PROXY


def test_fewer_forwarded_entries_than_proxies_fall_back_to_the_peer(settings):
    """A request that did not pass every proxy cannot name its client: the peer it is."""
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request_from(PROXY, CLIENT_A)) == PROXY


def test_ipv6_and_ports_are_normalised(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request_from(PROXY, "[2001:db8::1]:4711")) == "2001:db8::1"
    assert client_ip(request_from(PROXY, f"{CLIENT_A}:4711")) == CLIENT_A


def test_allauth_and_the_api_are_configured_from_the_one_setting():
    assert allauth_settings.TRUSTED_PROXY_COUNT == live_settings.TRUSTED_PROXY_COUNT
    assert api_settings.NUM_PROXIES == live_settings.TRUSTED_PROXY_COUNT
    assert "coalition.proxies.ClientAnonRateThrottle" in api_settings.user_settings.get(
        "DEFAULT_THROTTLE_CLASSES", []
    )


# --- the API's anonymous throttle --------------------------------------------------


@pytest.fixture
def three_per_minute():
    original = AnonRateThrottle.THROTTLE_RATES
    AnonRateThrottle.THROTTLE_RATES = {**api_settings.DEFAULT_THROTTLE_RATES, "anon": "3/min"}
    yield
    AnonRateThrottle.THROTTLE_RATES = original


def test_random_forwarded_values_do_not_bypass_the_api_throttle(
    client, db, settings, three_per_minute
):
    settings.TRUSTED_PROXY_COUNT = 0
    codes = [
        client.get("/api/v1/coalitions/", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").status_code
        for n in range(5)
    ]
    assert codes == [200, 200, 200, 429, 429]


def test_behind_the_proxy_a_spoofed_prefix_does_not_bypass_the_api_throttle(
    client, db, settings, three_per_minute
):
    settings.TRUSTED_PROXY_COUNT = 1
    codes = [
        client.get(
            "/api/v1/coalitions/",
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, {CLIENT_A}",
        ).status_code
        for n in range(5)
    ]
    assert codes == [200, 200, 200, 429, 429]


def test_behind_the_proxy_two_clients_are_throttled_separately(
    client, db, settings, three_per_minute
):
    settings.TRUSTED_PROXY_COUNT = 1

    def get(ip: str) -> int:
        return client.get(
            "/api/v1/coalitions/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ip
        ).status_code

    assert [get(CLIENT_A) for _ in range(4)] == [200, 200, 200, 429]
    assert get(CLIENT_B) == 200


# --- allauth's failed-login limit --------------------------------------------------


@pytest.fixture
def production_login_limits(settings):
    # The limits of base.py (the test settings loosen the per-address one).
    settings.ACCOUNT_RATE_LIMITS = {
        **live_settings.ACCOUNT_RATE_LIMITS,
        "login_failed": "10/m/ip,5/5m/key",
    }


def fail_logins(client, times: int, **headers) -> None:
    emails = (f"nobody{n}@example.org" for n in itertools.count())
    for _ in range(times):
        client.post("/accounts/login/", {"login": next(emails), "password": "wrong"}, **headers)


def test_behind_the_proxy_one_clients_failed_logins_do_not_lock_out_another(
    client, db, settings, production_login_limits
):
    settings.TRUSTED_PROXY_COUNT = 1
    user = UserFactory()
    fail_logins(client, 12, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=CLIENT_A)
    response = client.post(
        "/accounts/login/",
        {"login": user.email, "password": PASSWORD},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=CLIENT_B,
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_behind_the_proxy_the_failing_client_itself_is_limited(
    client, db, settings, production_login_limits
):
    settings.TRUSTED_PROXY_COUNT = 1
    user = UserFactory()
    fail_logins(client, 10, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"192.0.2.9, {CLIENT_A}")
    response = client.post(
        "/accounts/login/",
        {"login": user.email, "password": PASSWORD},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=f"192.0.2.10, {CLIENT_A}",
    )
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in response.content.decode()


def test_without_proxies_random_forwarded_values_do_not_escape_the_login_limit(
    client, db, settings, production_login_limits
):
    settings.TRUSTED_PROXY_COUNT = 0
    user = UserFactory()
    for n in range(10):
        client.post(
            "/accounts/login/",
            {"login": f"nobody{n}@example.org", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
        )
    response = client.post(
        "/accounts/login/",
        {"login": user.email, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="192.0.2.200",
    )
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in response.content.decode()


# --- the documented deployment ------------------------------------------------------


def test_the_compose_stack_trusts_its_one_tls_proxy_and_is_reached_only_through_it():
    root = Path(__file__).resolve().parents[2]
    compose = yaml.safe_load((root / "docker-compose.yml").read_text())
    web = compose["services"]["web"]
    assert web["environment"]["TRUSTED_PROXY_COUNT"] == "${TRUSTED_PROXY_COUNT:-1}"
    assert web["ports"] == ["127.0.0.1:8000:8000"]
    assert "TRUSTED_PROXY_COUNT=1" in (root / ".env.example").read_text().splitlines()
    assert "`TRUSTED_PROXY_COUNT`" in (root / "README.md").read_text()


def test_a_bad_proxy_count_stops_the_start():
    env = {**os.environ, "TRUSTED_PROXY_COUNT": "one"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "TRUSTED_PROXY_COUNT" in result.stderr
