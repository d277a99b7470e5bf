"""Templated emails, each in its recipient's language.

An email is three templates: emails/<name>-subject.txt, -body.txt and -body.html, the
last extending emails/layout.html (the recipient's language and direction, a heading,
colours that pass WCAG AA), as allauth's HTML emails do (templates/account/email/).
Every recipient gets a message of their own (nobody sees the other addresses),
rendered in the language they chose on the portal (User.language), or the
portal's default language for addresses without an account or a choice. Both
apps send through here and decide to whom; the messages go out after commit,
through the outbox (coalition.outbox), which retries a failing mail server.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections import defaultdict
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from coalition import outbox
from coalition.models import User

_silenced: contextvars.ContextVar[bool] = contextvars.ContextVar("mail_silenced", default=False)


@contextlib.contextmanager
def silenced() -> Iterator[None]:
    """Inside the block, queue no email at all (the demo loader: demo people get none)."""
    token = _silenced.set(True)
    try:
        yield
    finally:
        _silenced.reset(token)


def is_silenced() -> bool:
    """Whether emails are being left out (inside `silenced()`)."""
    return _silenced.get()


def absolute_url(path: str) -> str:
    return f"{settings.PORTAL_BASE_URL.rstrip('/')}{path}"


def render_email(name: str, context: dict, language: str) -> tuple[str, str, str]:
    """Subject, text and HTML of an email, in the given language."""
    ctx = {"PORTAL_NAME": settings.PORTAL_NAME, **context}
    with translation.override(language):
        ctx["LANGUAGE_CODE"] = language
        subject = " ".join(render_to_string(f"emails/{name}-subject.txt", ctx).split())
        # The HTML part (emails/layout.html) is titled and headed by the subject.
        ctx["EMAIL_SUBJECT"] = subject
        text = render_to_string(f"emails/{name}-body.txt", ctx)
        html = render_to_string(f"emails/{name}-body.html", ctx)
    return subject, text, html


def languages_of(addresses: Iterable[str]) -> dict[str, str]:
    """The preferred language of each address (one query); the default where none is known."""
    addresses = list(addresses)
    chosen = dict(
        User.objects.filter(email__in=addresses)
        .exclude(language="")
        .values_list("email", "language")
    )
    return {address: chosen.get(address, settings.LANGUAGE_CODE) for address in addresses}


def send_templated(name: str, *, to: Iterable[str], context: dict) -> int:
    """Queue the email for each address, rendered once per language. Returns how many.

    Each message is an OutgoingEmail row written in the current transaction and sent
    by a Celery task after commit, retried if the mail server fails (coalition.outbox):
    a rolled-back change sends nothing, and the mail server never slows or breaks the
    request.
    """
    recipients = sorted({a.strip().lower() for a in to if a and a.strip()})
    if not recipients or _silenced.get():
        return 0
    by_language: dict[str, list[str]] = defaultdict(list)
    for address, language in languages_of(recipients).items():
        by_language[language].append(address)
    prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "")
    queued = 0
    for language, addresses in sorted(by_language.items()):
        subject, text, html = render_email(name, context, language)
        for address in addresses:
            outbox.queue_email(
                to=address, subject=f"{prefix}{subject}", text=text, html=html, template=name
            )
            queued += 1
    return queued
