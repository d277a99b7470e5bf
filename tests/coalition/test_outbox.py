"""Emails: a mail-server failure is retried with a growing delay and never loses a notification."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from coalition import outbox
from coalition.mail import send_templated
from coalition.models import AuditEvent, EmailState, OutgoingEmail
from reporting import services
from tests.factories import PASSWORD
from tests.reporting.helpers import report_of

pytestmark = pytest.mark.django_db

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def smtp_down(settings):
    """A real SMTP client talking to a port nobody listens on: every send fails at once."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 1
    settings.EMAIL_TIMEOUT = 2

    def back_up() -> None:
        settings.EMAIL_BACKEND = LOCMEM

    return back_up


def _due_now(emails) -> None:
    """Let the clock reach the next attempt."""
    emails.update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))


def _submitted_report(coordinator):
    report = report_of("Potsdam", 2025)
    services.submit_report(actor=coordinator, report=report)
    report.refresh_from_db()
    return report


def test_a_mail_server_failure_neither_breaks_the_request_nor_loses_the_email(
    client, coordinator, bureau, smtp_down, django_capture_on_commit_callbacks
):
    report = _submitted_report(coordinator)
    client.force_login(bureau)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reporting:return_report", args=[report.pk]), {"reason": "Add the budget."}
        )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "draft" and report.returned_reason == "Add the budget."
    email = OutgoingEmail.objects.get(to=coordinator.email)
    assert email.state == EmailState.PENDING and email.attempts == 1
    assert "ConnectionRefusedError" in email.last_error
    assert email.next_attempt_at > timezone.now()  # waiting for its retry
    assert mail.outbox == []
    smtp_down()  # the mail server is back
    # The coordinator's email is due again (the secretariat's, also told, waits its turn).
    _due_now(OutgoingEmail.objects.filter(to=coordinator.email))
    assert outbox.send_due_emails()["published"] == 1
    email.refresh_from_db()
    assert email.state == EmailState.SENT and email.attempts == 2
    (message,) = mail.outbox
    assert message.to == [coordinator.email] and "returned" in message.body.lower()
    assert outbox.send_due_emails()["published"] == 0  # sent once


def test_retries_wait_twice_as_long_each_time_then_the_email_is_failed_for_staff(
    coordinator, smtp_down, settings, django_capture_on_commit_callbacks
):
    settings.COALITION_EMAIL_MAX_ATTEMPTS = 4
    settings.COALITION_EMAIL_RETRY_SECONDS = 60
    with django_capture_on_commit_callbacks(execute=True):
        send_templated(
            "reporting-status",
            to=[coordinator.email],
            context={"report": report_of("Potsdam", 2025), "event": "returned", "url": "/"},
        )
    emails = OutgoingEmail.objects.filter(to=coordinator.email)
    delays = []
    for _ in range(3):
        email = emails.get()
        assert email.state == EmailState.PENDING
        delays.append(round((email.next_attempt_at - timezone.now()).total_seconds() / 60))
        _due_now(emails)
        outbox.send_due_emails()
    assert delays == [1, 2, 4]
    email = emails.get()
    assert email.state == EmailState.FAILED and email.attempts == 4
    assert outbox.oldest_unfinished_job() is None  # failed for good: not waiting any more


def test_a_rolled_back_change_queues_no_email(coordinator):
    with pytest.raises(RuntimeError), transaction.atomic():
        send_templated(
            "reporting-status",
            to=[coordinator.email],
            context={"report": report_of("Potsdam", 2025), "event": "returned", "url": "/"},
        )
        raise RuntimeError("the change fails after the email was asked for")
    assert not OutgoingEmail.objects.exists()


def test_an_email_delivered_twice_is_sent_once(coordinator):
    email = outbox.queue_email(to=coordinator.email, subject="Hello", text="Body")
    assert outbox.deliver(email.pk) == "sent"
    assert outbox.deliver(email.pk) == "skipped"  # a second message for the same email
    assert len(mail.outbox) == 1


def test_an_email_whose_worker_died_while_sending_is_sent_by_the_sweep(coordinator, settings):
    settings.COALITION_JOB_RUNNING_DEADLINE = 600
    email = outbox.queue_email(to=coordinator.email, subject="Hello", text="Body")
    taken = timezone.now() - dt.timedelta(seconds=601)
    OutgoingEmail.objects.filter(pk=email.pk).update(
        state=EmailState.SENDING, claimed_at=taken, attempts=1
    )
    counts = outbox.send_due_emails()
    assert counts["taken_back"] == 1 and counts["published"] == 1
    email.refresh_from_db()
    assert email.state == EmailState.SENT
    assert len(mail.outbox) == 1


def test_an_email_whose_message_was_lost_is_published_after_the_deadline(coordinator, settings):
    settings.COALITION_JOB_QUEUED_DEADLINE = 300
    with transaction.atomic():  # committed, but the message never reached the broker
        email = OutgoingEmail.objects.create(
            to=coordinator.email, subject="Hello", text="Body", dispatched_at=timezone.now()
        )
    assert outbox.send_due_emails()["published"] == 0  # its message may still arrive
    OutgoingEmail.objects.filter(pk=email.pk).update(
        dispatched_at=timezone.now() - dt.timedelta(seconds=301)
    )
    assert outbox.send_due_emails()["published"] == 1
    assert len(mail.outbox) == 1


def test_signing_up_with_the_mail_server_down_still_creates_the_account(client, db, smtp_down):
    response = client.post(
        "/accounts/signup/",
        {
            "full_name": "Office of the Mayor",
            "email": "mayor.office@lyon.example",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    email = OutgoingEmail.objects.get(to="mayor.office@lyon.example")
    assert email.state == EmailState.PENDING and email.attempts == 1
    assert "confirm" in email.subject.lower()
    smtp_down()
    _due_now(OutgoingEmail.objects.all())
    outbox.send_due_emails()
    (message,) = mail.outbox
    assert "/accounts/confirm-email/" in message.body


def test_administrators_see_failed_emails_and_send_them_again(
    client, administrator, coordinator, smtp_down, settings, django_capture_on_commit_callbacks
):
    settings.COALITION_EMAIL_MAX_ATTEMPTS = 1
    email = outbox.queue_email(to=coordinator.email, subject="Vote opened", text="Body")
    assert outbox.deliver(email.pk) == "failed"
    client.force_login(administrator)
    dashboard = client.get("/dashboard/").content.decode()
    assert "Undelivered emails" in dashboard
    changelist = reverse("admin:coalition_outgoingemail_changelist")
    page = client.get(changelist, {"state": "failed"})
    assert page.status_code == 200 and "Vote opened" in page.content.decode()
    smtp_down()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(changelist, {"action": "send_again", "_selected_action": [email.pk]})
    assert response.status_code == 302
    email.refresh_from_db()
    assert email.state == EmailState.SENT
    assert AuditEvent.objects.filter(verb="email.sent_again", object_id=str(email.pk)).exists()
    assert "Undelivered emails" not in client.get("/dashboard/").content.decode()
