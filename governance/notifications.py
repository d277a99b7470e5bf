"""Emails of the governance app, sent after the transaction that caused them commits.

Rendering and sending (one message per recipient, in the recipient's language)
is coalition.mail; this module decides when: after commit, robustly.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from coalition.mail import send_templated


def notify(name: str, *, to: Iterable[str], context: dict) -> None:
    """Send the email once the current transaction has committed (at once outside one)."""
    recipients = list(to)

    def send() -> None:
        send_templated(name, to=recipients, context=context)

    # robust: a mail server failure is logged and never undoes or breaks the decision.
    transaction.on_commit(send, robust=True)
