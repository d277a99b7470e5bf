"""The HTML part of every email passes the checks pages pass: language, direction, axe.

The portal's own emails (templates/emails/*-body.html) and allauth's account emails
(templates/account/email/, templates/mfa/email/) share emails/layout.html. Each is
rendered in each of the portal's languages and checked for `<html lang dir>`, a
translated sentence, images with alt text, and then by axe-core (WCAG 2.2 AA, colour
contrast included) in Chromium, as the pages are.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from allauth.account.adapter import get_adapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.test import RequestFactory
from django.utils import translation
from django.utils.html import escape

from coalition.mail import render_email
from coalition.models import OutgoingEmail

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = [code for code, _name in settings.LANGUAGES]
PORTAL_EMAILS = sorted(
    p.name.removesuffix("-body.html") for p in (ROOT / "templates" / "emails").glob("*-body.html")
)


class Anything(str):
    """A stand-in for any object an email template reads: every attribute, key and call
    gives a value that renders as a name, so that every branch's text is laid out."""

    def __new__(cls, text: str = "Potsdam"):
        return super().__new__(cls, text)

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        return stand_in(name)

    def __getitem__(self, key):  # type: ignore[override]
        # The template engine tries a key before an attribute.
        return stand_in(key) if isinstance(key, str) else Anything()

    def __call__(self, *args, **kwargs) -> Anything:
        return Anything()


WHEN = dt.datetime(2026, 3, 14, 9, 30, tzinfo=dt.UTC)


def stand_in(name: str):
    """Dates where the template formats a date, a time zone where it converts one."""
    if name == "time_zone":
        return "Europe/Berlin"
    if name in ("count", "days", "days_left"):
        return 3
    if re.search(r"(_at|_on|_from|_until|_by|deadline)$", name):
        return WHEN
    return Anything()


def portal_email_html(name: str, language: str) -> str:
    """The email's HTML part, every name its template reads standing for an object."""
    source = "".join(
        (ROOT / f"templates/emails/{name}-{part}").read_text()
        for part in ("subject.txt", "body.txt", "body.html")
    )
    names = set(re.findall(r"[=\s{(]([a-z_][a-z0-9_]*)(?=[.|\s}])", source))
    return render_email(name, {key: stand_in(key) for key in names}, language)[2]


def root_of(html: str) -> tuple[str, str]:
    match = re.search(r'<html lang="([^"]*)" dir="([^"]*)"', html)
    assert match, html[:300]
    return match.group(1), match.group(2)


def test_every_portal_email_extends_the_email_layout():
    assert len(PORTAL_EMAILS) >= 27
    for name in PORTAL_EMAILS:
        source = (ROOT / f"templates/emails/{name}-body.html").read_text()
        assert source.startswith('{% extends "emails/layout.html" %}'), name
        assert "<html" not in source, name


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_portal_email_is_in_the_recipients_language_and_direction(language):
    for name in PORTAL_EMAILS:
        html = portal_email_html(name, language)
        assert root_of(html) == (language, "rtl" if language == "ar" else "ltr"), name
        assert re.search(r"<h1>[^<]+</h1>", html), name
        for img in re.findall(r"<img\b[^>]*>", html):
            alt = re.search(r'alt="([^"]+)"', img)
            assert alt and alt.group(1).strip(), f"{name}: {img}"
    with translation.override(language):
        hello = escape(translation.gettext("Hello,"))
    assert hello in portal_email_html("application-received", language)
    if language != "en":
        assert hello != "Hello,"


# --- allauth's emails ----------------------------------------------------------------

#: Each allauth email and a sentence of its own, as allauth's catalogues have it (msgid).
ALLAUTH_EMAILS = {
    "account/email/account_already_exists": (
        "You are receiving this email because you or someone else tried to signup for an\n"
        "account using email address:\n\n%(email)s\n\nHowever, an account using that email "
        "address already exists.  In case you have\nforgotten about this, please use the "
        "password forgotten procedure to recover\nyour account:\n\n%(password_reset_url)s"
    ),
    "account/email/email_changed": "Your email has been changed from %(from_email)s to "
    "%(to_email)s.",
    "account/email/email_confirm": "Your email has been confirmed.",
    "account/email/email_confirmation": "To confirm this is correct, go to %(activate_url)s",
    "account/email/email_confirmation_signup": "Your email verification code is listed below. "
    "Please enter it in your open browser window.",
    "account/email/email_deleted": "Email address %(deleted_email)s has been removed from your "
    "account.",
    "account/email/login_code": "Your sign-in code is listed below. Please enter it in your "
    "open browser window.",
    "account/email/password_changed": "Your password has been changed.",
    "account/email/password_reset": "Your password has been reset.",
    "account/email/password_reset_code": "Your password reset code is listed below. Please "
    "enter it in your open browser window.",
    "account/email/password_reset_key": (
        "You're receiving this email because you or someone else has requested a password "
        "reset for your user account.\nIt can be safely ignored if you did not request a "
        "password reset. Click the link below to reset your password."
    ),
    "account/email/password_set": "Your password has been set.",
    "account/email/unknown_account": "If it was you, you can sign up for an account using the "
    "link below.",
    "mfa/email/recovery_codes_generated": "A new set of Two-Factor Authentication recovery "
    "codes has been generated.",
    "mfa/email/totp_activated": "Authenticator app activated.",
    "mfa/email/totp_deactivated": "Authenticator app deactivated.",
    "mfa/email/webauthn_added": "A new security key has been added.",
    "mfa/email/webauthn_removed": "A security key has been removed.",
}

ALLAUTH_CONTEXT = {
    "activate_url": "https://portal.example/accounts/confirm-email/abc/",
    "password_reset_url": "https://portal.example/accounts/password/reset/key/1-x/",
    "signup_url": "https://portal.example/accounts/signup/",
    "from_email": "old@example.org",
    "to_email": "new@example.org",
    "deleted_email": "old@example.org",
    "ip": "192.0.2.7",
    "user_agent": "Firefox",
    "timestamp": "2026-12-02 10:00",
}


def test_every_allauth_email_has_an_html_template_here():
    """A new allauth email (an upgrade) would go out as text only: this names it."""
    installed = Path(allauth_context.__file__).resolve().parents[1] / "templates"
    for folder in ("account/email", "mfa/email"):
        for txt in (installed / folder).glob("*_message.txt"):
            if txt.name.startswith("base_"):
                continue  # the layouts the others extend
            prefix = f"{folder}/{txt.name.removesuffix('_message.txt')}"
            assert prefix in ALLAUTH_EMAILS, prefix
            assert (ROOT / "templates" / f"{prefix}_message.html").exists(), prefix


def send_allauth_email(prefix: str, language: str, user) -> OutgoingEmail:
    request = RequestFactory().get("/accounts/", HTTP_HOST="localhost")
    request.user = user
    context = {**ALLAUTH_CONTEXT, "user": user, "email": user.email, "code": "KX7-29Q"}
    if prefix == "account/email/email_confirmation":
        context.pop("code")  # the link, not the code, as the portal confirms addresses
    before = OutgoingEmail.objects.count()
    with translation.override(language), allauth_context.request_context(request):
        get_adapter().send_mail(prefix, user.email, context)
    assert OutgoingEmail.objects.count() == before + 1
    return OutgoingEmail.objects.latest("pk")


def allauth_htmls(user) -> list[tuple[str, str, str]]:
    """(prefix, language, HTML part) of every allauth email in every language, checked."""
    sent = []
    for prefix, msgid in ALLAUTH_EMAILS.items():
        for language in LANGUAGES:
            email = send_allauth_email(prefix, language, user)
            html = email.html
            assert html, f"{prefix} in {language}: no HTML part"
            assert root_of(html) == (language, "rtl" if language == "ar" else "ltr"), prefix
            with translation.override(language):
                translated = translation.gettext(msgid)
            # The start of the email's own sentence, as allauth's catalogue translates it.
            words = translated.split("%(")[0].splitlines()[0].strip()[:20]
            assert len(words) >= 8, translated
            assert words in html, f"{prefix} in {language}: {words!r} not in the HTML"
            if language != "en":
                assert translated != msgid, f"{prefix}: not translated into {language}"
            assert "<h1>" in html and "</main>" in html
            sent.append((prefix, language, html))
    return sent


@pytest.mark.django_db
def test_every_allauth_email_has_an_html_part_in_each_language(django_user_model):
    user = django_user_model.objects.create_user(email="reader@example.org", password="x")
    sent = allauth_htmls(user)
    assert len(sent) == len(ALLAUTH_EMAILS) * len(LANGUAGES)
    links = [html for prefix, _lang, html in sent if prefix.endswith("password_reset_key")]
    assert all(
        f'<a href="{ALLAUTH_CONTEXT["password_reset_url"]}" dir="ltr">' in html for html in links
    )


# --- axe-core in Chromium ------------------------------------------------------------


@pytest.mark.browser
def test_every_portal_email_passes_axe(page, axe):
    for language in LANGUAGES:
        for name in PORTAL_EMAILS:
            page.set_content(portal_email_html(name, language))
            axe(page, context=f"email {name} in {language}")


@pytest.mark.browser
@pytest.mark.django_db
def test_every_allauth_email_passes_axe(page, axe, django_user_model):
    user = django_user_model.objects.create_user(email="reader@example.org", password="x")
    for prefix, language, html in allauth_htmls(user):
        page.set_content(html)
        axe(page, context=f"{prefix} in {language}")


@pytest.mark.browser
def test_axe_fails_an_email_with_low_contrast_text(page, axe):
    """The sweeps above are worth something only if axe fails a bad email."""
    html = portal_email_html("application-received", "en").replace(
        "<main>", '<main style="color: #bbbbbb">'
    )
    page.set_content(html)
    with pytest.raises(pytest.fail.Exception) as failure:
        axe(page, context="a pale email")
    assert "color-contrast" in str(failure.value)
