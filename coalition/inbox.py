"""A person's messages from the portal: the emails it queued to their address, on the dashboard.

Every notification is an email rendered for its recipient (coalition.mail); the same row of
the outbox is what the dashboard shows, so nobody depends on their mail server to learn of a
decision about their city, and no notification needs a second code path. Only the emails to
the signed-in person's own address are listed, newest first, within `INBOX_DAYS`.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from coalition.models import OutgoingEmail

#: How far back the dashboard looks (the retention job may purge older emails anyway).
INBOX_DAYS = 90
#: How many messages the dashboard's panel lists; the messages page shows them all.
PANEL_SIZE = 5
#: Emails that are not news about the coalition (sign-in codes, password resets, ...).
EXCLUDED_PREFIXES = ("account/", "mfa/")


def messages_for(user) -> QuerySet[OutgoingEmail]:
    """The emails queued to the person's address in the last INBOX_DAYS days, newest first."""
    since = timezone.now() - dt.timedelta(days=getattr(settings, "INBOX_DAYS", INBOX_DAYS))
    qs = OutgoingEmail.objects.filter(to__iexact=user.email, created_at__gte=since)
    for prefix in EXCLUDED_PREFIXES:
        qs = qs.exclude(template__startswith=prefix)
    return qs.only("pk", "created_at", "subject", "template", "to").order_by("-created_at", "-pk")


def message_for_user(user, pk: int) -> OutgoingEmail:
    """One of the person's messages, or Http404 (someone else's message does not exist)."""
    message = messages_for(user).defer(None).filter(pk=pk).first()
    if message is None:
        raise Http404
    return message


def panel(user) -> dict:
    """The dashboard's panel: the latest messages and how many there are."""
    qs = messages_for(user)
    latest = list(qs[:PANEL_SIZE])
    return {"messages": latest, "count": qs.count() if len(latest) == PANEL_SIZE else len(latest)}
