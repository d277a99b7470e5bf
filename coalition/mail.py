"""Templated emails, each in its recipient's language.

An email is three templates: emails/<name>-subject.txt, -body.txt and -body.html.
Every recipient gets a message of their own (nobody sees the other addresses),
rendered in the language they chose on the portal (User.language), or the
portal's default language for addresses without an account or a choice. Both
apps send through here; the apps decide when (after commit) and to whom.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def absolute_url(path: str) -> str:
    return f"{settings.PORTAL_BASE_URL.rstrip('/')}{path}"


def render_email(name: str, context: dict, language: str) -> tuple[str, str, str]:
    """Subject, text and HTML of an email, in the given language."""
    ctx = {"PORTAL_NAME": settings.PORTAL_NAME, **context}
    with translation.override(language):
        ctx["LANGUAGE_CODE"] = language
        subject = " ".join(render_to_string(f"emails/{name}-subject.txt", ctx).split())
        text = render_to_string(f"emails/{name}-body.txt", ctx)
        html = render_to_string(f"emails/{name}-body.html", ctx)
    return subject, text, html


def languages_of(addresses: Iterable[str]) -> dict[str, str]:
    """The preferred language of each address (one query); the default where none is known."""
    from coalition.models import User  # noqa: PLC0415 (models are ready when mail is sent)

    addresses = list(addresses)
    chosen = dict(
        User.objects.filter(email__in=addresses)
        .exclude(language="")
        .values_list("email", "language")
    )
    return {address: chosen.get(address, settings.LANGUAGE_CODE) for address in addresses}


def send_templated(name: str, *, to: Iterable[str], context: dict) -> int:
    """Send the email to each address, rendered once per language. Returns how many were sent."""
    recipients = sorted({a.strip().lower() for a in to if a and a.strip()})
    if not recipients:
        return 0
    by_language: dict[str, list[str]] = defaultdict(list)
    for address, language in languages_of(recipients).items():
        by_language[language].append(address)
    prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "")
    sent = 0
    for language, addresses in sorted(by_language.items()):
        subject, text, html = render_email(name, context, language)
        for address in addresses:
            message = EmailMultiAlternatives(
                f"{prefix}{subject}", text, from_email=settings.DEFAULT_FROM_EMAIL, to=[address]
            )
            message.attach_alternative(html, "text/html")
            sent += message.send()
    return sent
