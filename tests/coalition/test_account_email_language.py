"""allauth's account emails follow the recipient's stored language, not the page's."""

from __future__ import annotations

import pytest
from allauth.account.adapter import get_adapter
from allauth.core import context as allauth_context
from django.test import RequestFactory
from django.utils import translation

from coalition.models import OutgoingEmail

RESET_CONTEXT = {"password_reset_url": "https://portal.example/reset/x/", "code": "KX7"}


def send_reset(user, page_language: str) -> OutgoingEmail:
    request = RequestFactory().get("/accounts/password/reset/", HTTP_HOST="localhost")
    request.user = user
    with translation.override(page_language), allauth_context.request_context(request):
        get_adapter().send_mail(
            "account/email/password_reset_key",
            user.email,
            {**RESET_CONTEXT, "user": user, "email": user.email},
        )
    return OutgoingEmail.objects.latest("pk")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "direction", "words"),
    [("de", "ltr", "Passwort"), ("fr", "ltr", "mot de passe"), ("ar", "rtl", "كلمة")],
)
def test_a_reset_asked_from_an_english_page_reaches_the_user_in_their_language(
    django_user_model, language, direction, words
):
    user = django_user_model.objects.create_user(
        email=f"{language}@example.org", password="x", language=language
    )
    email = send_reset(user, page_language="en")
    assert f'lang="{language}" dir="{direction}"' in email.html
    assert words in email.text
    assert words in email.html


@pytest.mark.django_db
def test_an_address_without_a_language_gets_the_page_language(django_user_model):
    user = django_user_model.objects.create_user(email="nolang@example.org", password="x")
    email = send_reset(user, page_language="es")
    assert 'lang="es"' in email.html
    assert translation.get_language() != "es"  # the override does not leak


# allauth's own German catalogue ends this text with a stray quote; the portal's German
# catalogue (first in LOCALE_PATHS) carries the corrected entry.
@pytest.mark.django_db
def test_the_german_security_notification_has_no_stray_quote(django_user_model):
    user = django_user_model.objects.create_user(
        email="de-notice@example.org", password="x", language="de"
    )
    request = RequestFactory().get("/accounts/password/change/", HTTP_HOST="localhost")
    request.user = user
    context = {"user": user, "ip": "192.0.2.7", "user_agent": "Firefox", "timestamp": "14.03.2026"}
    with allauth_context.request_context(request):
        get_adapter().send_mail("account/email/password_changed", user.email, context)
    email = OutgoingEmail.objects.latest("pk")
    assert "Datum: 14.03.2026" in email.text
    assert "14.03.2026&quot;" not in email.html and '14.03.2026"' not in email.html
    assert '14.03.2026"' not in email.text
