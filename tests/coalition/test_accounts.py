"""Accounts: email login, mandatory verification, open sign-up without roles, staff two-factor."""

from __future__ import annotations

import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from django.core.exceptions import ImproperlyConfigured

from coalition.demo import DEMO_TOTP_SECRET, current_totp_code, load_demo
from coalition.models import AuditEvent, User
from members.models import City, Membership, Role
from tests.factories import PASSWORD, UserFactory


def test_signup_creates_an_account_without_any_role_and_asks_to_verify(client, db):
    response = client.post(
        "/accounts/signup/",
        {
            "full_name": "Mayor's Office",
            "email": "mayor.office@lyon.example",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response.url == "/accounts/confirm-email/"
    user = User.objects.get(email="mayor.office@lyon.example")
    assert not user.is_staff and not user.is_superuser
    assert not user.roles.exists()
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    assert "mayor.office@lyon.example" in mail.outbox[0].to


def test_unverified_account_cannot_sign_in(client, db):
    user = UserFactory(verified=False)
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session


def test_verified_account_signs_in_by_email(client, db):
    user = UserFactory()
    response = client.post("/accounts/login/", {"login": user.email.upper(), "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_wrong_password_is_refused_with_a_message(client, db):
    user = UserFactory()
    response = client.post("/accounts/login/", {"login": user.email, "password": "wrong"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "not correct" in response.content.decode()


def test_repeated_failed_logins_are_rate_limited(client, db):
    user = UserFactory()
    for _ in range(5):
        client.post("/accounts/login/", {"login": user.email, "password": "wrong"})
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in response.content.decode()


def test_password_reset_sends_a_link(client, db):
    user = UserFactory()
    response = client.post("/accounts/password/reset/", {"email": user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


@pytest.mark.parametrize("persona", ["bureau", "secretariat", "administrator"])
def test_staff_without_two_factor_must_set_it_up(client, request, persona):
    user = request.getfixturevalue(persona)
    Authenticator.objects.filter(user=user).delete()
    client.post("/accounts/login/", {"login": user.email, "password": "demo"})
    assert client.session["_auth_user_id"] == str(user.pk)
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response.url == "/accounts/2fa/totp/activate/"
    # The set-up page stays reachable (after allauth asks for the password once more).
    response = client.get("/accounts/2fa/totp/activate/")
    assert response.url.startswith("/accounts/reauthenticate/")
    client.post(response.url, {"password": "demo"})
    response = client.get("/accounts/2fa/totp/activate/")
    assert response.status_code == 200
    assert "Authenticator code" in response.content.decode()


@pytest.mark.parametrize("persona", ["bureau", "secretariat", "administrator"])
def test_staff_with_two_factor_reach_their_pages(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/dashboard/").status_code == 200


@pytest.mark.parametrize("persona", ["coordinator", "delegate", "committee_member", "outsider"])
def test_non_staff_are_not_forced_into_two_factor(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/dashboard/").status_code == 200


def test_staff_login_asks_for_the_authenticator_code(client, bureau):
    response = client.post("/accounts/login/", {"login": bureau.email, "password": "demo"})
    assert response.status_code == 302
    assert response.url == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session
    response = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert "_auth_user_id" not in client.session
    client.post("/accounts/2fa/authenticate/", {"code": current_totp_code()})
    assert client.session["_auth_user_id"] == str(bureau.pk)


@pytest.mark.parametrize(("steps_ago", "accepted"), [(1, True), (3, False)])
def test_a_code_of_the_step_just_ended_is_still_accepted(client, bureau, steps_ago, accepted):
    """A code typed as its 30 seconds run out, or read off a drifting phone, still works."""
    code = format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(time.time()) // 30 - steps_ago))
    client.post("/accounts/login/", {"login": bureau.email, "password": "demo"})
    client.post("/accounts/2fa/authenticate/", {"code": code})
    assert ("_auth_user_id" in client.session) is accepted


def test_demo_loader_is_idempotent(demo):
    counts = (
        User.objects.count(),
        City.objects.count(),
        Membership.objects.count(),
        Role.objects.count(),
        AuditEvent.objects.count(),
    )
    load_demo()
    assert counts == (
        User.objects.count(),
        City.objects.count(),
        Membership.objects.count(),
        Role.objects.count(),
        AuditEvent.objects.count(),
    )


def test_demo_loader_refuses_to_run_without_permission(db, settings):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(ImproperlyConfigured):
        load_demo()
    assert not User.objects.exists()
