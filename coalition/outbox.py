"""Outgoing emails: written in the caller's transaction, sent by a Celery task, retried.

`queue_email` writes an OutgoingEmail row in the transaction of the change that
caused it (a rolled-back change sends nothing) and publishes
`coalition.tasks.send_email` after commit. The task claims the row, sends it, and
on a mail-server failure schedules another attempt after 1, 2, 4, 8... minutes
(COALITION_EMAIL_RETRY_SECONDS, doubling, at most an hour); after
COALITION_EMAIL_MAX_ATTEMPTS attempts it is marked failed, shown to administrators
in the admin (Outgoing emails) and on their dashboard, and can be sent again from
there. The sweep `send_due_emails` (every minute) publishes what is due: retries,
emails whose message was lost, and emails whose worker died while sending them.

A request never waits for the mail server: with eager Celery (`make run`, the tests)
the first attempt runs after commit in-process, its failure recorded like any other;
the retries need Celery beat.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from coalition import audit, jobs
from coalition.models import EmailState, OutgoingEmail

logger = logging.getLogger(__name__)

#: Longest wait between two attempts.
MAX_RETRY_DELAY = 3600


def queue_email(
    *, to: str, subject: str, text: str, html: str = "", template: str = "", at_once: bool = False
) -> OutgoingEmail:
    """Write the email and have it sent after the current transaction commits.

    `at_once`: publish now rather than on commit, for callers that run outside any
    transaction of theirs (allauth); if the worker is faster than a commit, it finds
    nothing yet and the sweep sends the email later.
    """
    now = timezone.now()
    email = OutgoingEmail.objects.create(
        to=to,
        subject=subject,
        text=text,
        html=html,
        template=template[:100],
        next_attempt_at=now,
        dispatched_at=now,
    )
    if at_once:
        _publish(email.pk)
    else:
        _publish_on_commit(email.pk)
    return email


def _undispatched(pk: int) -> None:
    OutgoingEmail.objects.filter(pk=pk, state=EmailState.PENDING).update(dispatched_at=None)


def _publish(pk: int) -> bool:
    if jobs.enqueue("coalition.tasks.send_email", pk):
        return True
    _undispatched(pk)
    return False


def _publish_on_commit(pk: int) -> None:
    jobs.enqueue_on_commit("coalition.tasks.send_email", pk, on_failure=lambda: _undispatched(pk))


def retry_delay(attempts: int) -> int:
    """Seconds before the next attempt, after `attempts` failed ones: 60, 120, 240..."""
    return min(settings.COALITION_EMAIL_RETRY_SECONDS * 2 ** max(attempts - 1, 0), MAX_RETRY_DELAY)


def deliver(pk: int) -> str:
    """Send one email if it is due and nobody else is sending it. Idempotent.

    Returns "sent", "retry" (failed; another attempt is scheduled), "failed" (no
    attempt left) or "skipped" (already sent, not due, or being sent elsewhere).
    """
    now = timezone.now()
    claimed = OutgoingEmail.objects.filter(
        pk=pk, state=EmailState.PENDING, next_attempt_at__lte=now
    ).update(state=EmailState.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if not claimed:
        return "skipped"
    email = OutgoingEmail.objects.get(pk=pk)
    message = EmailMultiAlternatives(
        email.subject, email.text, from_email=settings.DEFAULT_FROM_EMAIL, to=[email.to]
    )
    if email.html:
        message.attach_alternative(email.html, "text/html")
    try:
        message.send()
    except Exception as exc:  # noqa: BLE001 - any failure of the mail server is retried
        return _attempt_failed(email, exc)
    OutgoingEmail.objects.filter(pk=pk, state=EmailState.SENDING).update(
        state=EmailState.SENT, sent_at=timezone.now(), last_error=""
    )
    return "sent"


def _attempt_failed(email: OutgoingEmail, exc: Exception) -> str:
    error = f"{type(exc).__name__}: {exc}"[:2000]
    rows = OutgoingEmail.objects.filter(pk=email.pk, state=EmailState.SENDING)
    if email.attempts >= settings.COALITION_EMAIL_MAX_ATTEMPTS:
        rows.update(state=EmailState.FAILED, last_error=error)
        logger.error("email %s to %s failed for good: %s", email.pk, email.to, error)
        return "failed"
    delay = retry_delay(email.attempts)
    rows.update(
        state=EmailState.PENDING,
        next_attempt_at=timezone.now() + dt.timedelta(seconds=delay),
        dispatched_at=None,
        last_error=error,
    )
    logger.warning(
        "email %s to %s failed (attempt %s), next in %s s: %s",
        email.pk,
        email.to,
        email.attempts,
        delay,
        error,
    )
    return "retry"


def send_due_emails() -> dict[str, int]:
    """The sweep (every minute): publish the emails that are due. Idempotent.

    - sending, taken more than COALITION_JOB_RUNNING_DEADLINE ago: its worker died;
      due again (or failed, if that was its last attempt);
    - pending and due, with no message known or one published more than
      COALITION_JOB_QUEUED_DEADLINE ago: published.
    Sent emails older than COALITION_EMAIL_KEEP_SENT_DAYS are deleted.
    """
    now = timezone.now()
    running_cutoff = now - dt.timedelta(seconds=settings.COALITION_JOB_RUNNING_DEADLINE)
    queued_cutoff = now - dt.timedelta(seconds=settings.COALITION_JOB_QUEUED_DEADLINE)
    stale = OutgoingEmail.objects.filter(state=EmailState.SENDING, claimed_at__lt=running_cutoff)
    counts = {
        "given_up": stale.filter(attempts__gte=settings.COALITION_EMAIL_MAX_ATTEMPTS).update(
            state=EmailState.FAILED, last_error="The worker stopped while sending it."
        ),
        "taken_back": stale.update(
            state=EmailState.PENDING, next_attempt_at=now, dispatched_at=None
        ),
        "published": 0,
    }
    due = (
        OutgoingEmail.objects.filter(state=EmailState.PENDING, next_attempt_at__lte=now)
        .filter(Q(dispatched_at__isnull=True) | Q(dispatched_at__lt=queued_cutoff))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)
    )
    for pk in list(due[:1000]):
        OutgoingEmail.objects.filter(pk=pk).update(dispatched_at=timezone.now())
        if not _publish(pk):
            break  # the broker is down: the rest wait for the next sweep
        counts["published"] += 1
    keep = dt.timedelta(days=settings.COALITION_EMAIL_KEEP_SENT_DAYS)
    counts["purged"], _ = OutgoingEmail.objects.filter(
        state=EmailState.SENT, sent_at__lt=now - keep
    ).delete()
    if counts["given_up"] or counts["taken_back"]:
        logger.warning("email sweep: %s", counts)
    return counts


@transaction.atomic
def send_again(*, actor, email: OutgoingEmail) -> None:
    """An administrator sends a failed email again: a fresh series of attempts."""
    now = timezone.now()
    updated = OutgoingEmail.objects.filter(pk=email.pk, state=EmailState.FAILED).update(
        state=EmailState.PENDING, attempts=0, next_attempt_at=now, dispatched_at=now
    )
    if not updated:
        return
    audit.record(
        actor=actor,
        target=email,
        verb="email.sent_again",
        from_state=EmailState.FAILED,
        to_state=EmailState.PENDING,
    )
    _publish_on_commit(email.pk)


def oldest_unfinished_job() -> dt.datetime | None:
    """When the longest-waiting email not yet sent (nor given up) was queued (for /healthz)."""
    return OutgoingEmail.objects.filter(
        state__in=[EmailState.PENDING, EmailState.SENDING]
    ).aggregate(oldest=Min("created_at"))["oldest"]


def dashboard_panels(user) -> list[dict]:
    """Administrators see the emails that failed for good, with the way to the outbox."""
    if not user.is_superuser:
        return []
    failed = OutgoingEmail.objects.filter(state=EmailState.FAILED).count()
    if not failed:
        return []
    url = reverse("admin:coalition_outgoingemail_changelist") + f"?state={EmailState.FAILED}"
    return [
        {
            "title": gettext("Undelivered emails"),
            "body": ngettext(
                "%(count)d email could not be sent, even after every retry.",
                "%(count)d emails could not be sent, even after every retry.",
                failed,
            )
            % {"count": failed},
            "facts": [],
            "items": [{"label": gettext("See them and send them again"), "url": url}],
        }
    ]
