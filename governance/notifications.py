"""Emails of the governance app, sent after the transaction that caused them commits.

Each email is three templates: emails/<name>-subject.txt, -body.txt and
-body.html. Every recipient gets a message of their own (committee members
do not see each other's addresses).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


def absolute_url(path: str) -> str:
    base = settings.PORTAL_BASE_URL
    return f"{base.rstrip('/')}{path}"


def render_email(name: str, context: dict) -> tuple[str, str, str]:
    ctx = {"PORTAL_NAME": settings.PORTAL_NAME, **context}
    subject = " ".join(render_to_string(f"emails/{name}-subject.txt", ctx).split())
    text = render_to_string(f"emails/{name}-body.txt", ctx)
    html = render_to_string(f"emails/{name}-body.html", ctx)
    return subject, text, html


def send_now(name: str, *, to: Iterable[str], context: dict) -> int:
    recipients = sorted({address.strip().lower() for address in to if address and address.strip()})
    if not recipients:
        return 0
    subject, text, html = render_email(name, context)
    prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "")
    sent = 0
    for address in recipients:
        message = EmailMultiAlternatives(f"{prefix}{subject}", text, to=[address])
        message.attach_alternative(html, "text/html")
        sent += message.send()
    return sent


def notify(name: str, *, to: Iterable[str], context: dict) -> None:
    """Send the email once the current transaction has committed (at once outside one)."""
    recipients = list(to)

    def send() -> None:
        send_now(name, to=recipients, context=context)

    # robust: a mail server failure is logged and never undoes or breaks the decision.
    transaction.on_commit(send, robust=True)
