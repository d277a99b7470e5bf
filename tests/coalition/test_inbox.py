"""The dashboard lists the messages the portal sent to the person; nobody sees another's."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from coalition import outbox
from coalition.models import OutgoingEmail
from tests.conftest import PERSONAS

pytestmark = pytest.mark.django_db


def _message_to(user, subject="Your report was returned", text="Section 3 is empty."):
    return outbox.queue_email(
        to=user.email, subject=subject, text=text, template="reporting-status"
    )


def test_the_dashboard_lists_the_persons_own_messages_newest_first(client, coordinator, bureau):
    _message_to(coordinator, subject="First")
    _message_to(coordinator, subject="Second")
    _message_to(bureau, subject="Not yours")
    client.force_login(coordinator)
    html = client.get("/dashboard/").content.decode()
    assert html.index("Second") < html.index("First")
    assert "Not yours" not in html
    assert "Messages from the portal" in html


def test_sign_in_codes_and_password_resets_are_not_listed(client, coordinator):
    outbox.queue_email(
        to=coordinator.email, subject="Password reset", text="k", template="account/email/x"
    )
    client.force_login(coordinator)
    assert "Password reset" not in client.get("/dashboard/messages/").content.decode()


def test_old_messages_drop_off(client, coordinator):
    old = _message_to(coordinator, subject="Long ago")
    OutgoingEmail.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - dt.timedelta(days=200)
    )
    client.force_login(coordinator)
    assert "Long ago" not in client.get("/dashboard/messages/").content.decode()


def test_a_message_opens_for_its_recipient_only(persona_client, coordinator):
    message = _message_to(coordinator, text="<script>alert(1)</script> See https://x.example/r/1")
    url = f"/dashboard/messages/{message.pk}/"
    for persona in PERSONAS:
        response = persona_client(persona).get(url)
        if persona == "anonymous":
            assert response.status_code == 302
            assert response["Location"] == f"/accounts/login/?next={url}"
        elif persona == "coordinator":
            assert response.status_code == 200
            html = response.content.decode()
            assert "&lt;script&gt;" in html and "<script>alert" not in html
            assert '<a href="https://x.example/r/1"' in html
        else:
            assert response.status_code == 404, persona


def test_the_list_costs_the_same_few_queries_for_many_messages(
    client, coordinator, django_assert_max_num_queries
):
    for i in range(60):
        _message_to(coordinator, subject=f"Message {i}")
    client.force_login(coordinator)
    with django_assert_max_num_queries(12):
        response = client.get("/dashboard/messages/")
    assert response.status_code == 200
    assert response.content.decode().count("/dashboard/messages/") >= 25
