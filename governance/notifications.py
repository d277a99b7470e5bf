"""Emails of the governance app, queued in the transaction that caused them.

Rendering (one message per recipient, in the recipient's language) is
coalition.mail; the messages are rows of the outbox (coalition.outbox), sent by a
Celery task after commit and retried if the mail server fails: a rolled-back
decision sends nothing, and a mail server failure never undoes or breaks it.
"""

from __future__ import annotations

from collections.abc import Iterable

from coalition.mail import send_templated


def notify(name: str, *, to: Iterable[str], context: dict) -> None:
    """Queue the email; it is sent once the current transaction has committed."""
    send_templated(name, to=list(to), context=context)
