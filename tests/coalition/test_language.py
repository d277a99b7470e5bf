"""A person's language: remembered when they switch, used for their pages and their emails."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import translation

from coalition.mail import send_templated
from coalition.models import User
from reporting import reminders
from tests.factories import UserFactory
from tests.reporting.helpers import report_of

pytestmark = pytest.mark.django_db


def test_switching_language_while_signed_in_is_remembered(client, coordinator):
    client.force_login(coordinator)
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/cities/"})
    assert response.status_code == 302 and response["Location"] == "/cities/"
    coordinator.refresh_from_db()
    assert coordinator.language == "fr"


def test_an_unknown_language_is_not_remembered(client, coordinator):
    client.force_login(coordinator)
    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    coordinator.refresh_from_db()
    assert coordinator.language == ""


def test_a_visitor_switches_language_without_an_account(client, db):
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    assert response.status_code == 302
    assert client.get("/").headers["Content-Language"] == "fr"


def test_the_switch_only_accepts_post(client, db):
    assert client.get("/i18n/setlang/?language=fr").status_code == 405


def test_a_new_browser_shows_the_persons_language_until_it_switches(client, coordinator):
    coordinator.language = "fr"
    coordinator.save(update_fields=["language"])
    client.force_login(coordinator)
    page = client.get("/dashboard/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.headers["Content-Language"] == "fr"
    assert "Mon tableau de bord" in page.content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})  # this browser chooses
    assert client.get("/dashboard/").headers["Content-Language"] == "en"


def test_each_recipient_reads_the_email_in_their_language(demo, django_capture_on_commit_callbacks):
    french = UserFactory(email="francoise@example.org", language="fr")
    english = UserFactory(email="emma@example.org", language="en")
    mail.outbox.clear()
    with (
        translation.override("fr"),  # the person acting works in French
        django_capture_on_commit_callbacks(execute=True),  # sent after commit
    ):
        sent = send_templated(
            "reporting-status",
            to=[french.email, english.email, "no-account@example.org"],
            context={
                "report": report_of("Potsdam", 2025),
                "event": "returned",
                "url": "https://portal.example/reports/1/",
            },
        )
    assert sent == 3
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert "Votre rapport vous a été renvoyé" in bodies["francoise@example.org"]
    assert "Your report was returned to you" in bodies["emma@example.org"]
    # Without an account or a choice: the portal's default language.
    assert "Your report was returned to you" in bodies["no-account@example.org"]
    assert all(len(m.to) == 1 for m in mail.outbox)  # nobody sees the other addresses


def test_a_report_reminder_reaches_a_french_coordinator_in_french(
    coordinator, django_capture_on_commit_callbacks
):
    coordinator.language = "fr"
    coordinator.save(update_fields=["language"])
    report = report_of("Potsdam", 2025)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reminders.send_report_reminders(today=report.cycle.due_on - dt.timedelta(days=7))
    (message,) = [m for m in mail.outbox if m.to == [coordinator.email]]
    assert message.subject.endswith("est attendu dans 7 jours"), message.subject


def test_signing_up_in_french_makes_french_the_persons_language(client, db):
    client.post("/i18n/setlang/", {"language": "fr", "next": "/accounts/signup/"})
    client.post(
        "/accounts/signup/",
        {
            "full_name": "Mairie de Lyon",
            "email": "mairie@lyon.example",
            "password1": "A-long-pass-2026",
            "password2": "A-long-pass-2026",
        },
    )
    assert User.objects.get(email="mairie@lyon.example").language == "fr"
    # allauth's own verification email follows the page's language too.
    assert mail.outbox[-1].subject.endswith("Confirmez votre adresse e-mail")
