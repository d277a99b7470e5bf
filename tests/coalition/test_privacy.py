"""A person's data: the export, closing the account, the retention job, the privacy page."""

from __future__ import annotations

import datetime as dt
import json
import os

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.test import Client
from django.utils import timezone

from coalition import audit, privacy, retention
from coalition.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_email
from coalition.models import AuditEvent, User
from coalition.models import User as Account
from coalition.tasks import apply_retention_policy
from governance import services
from governance.models import Ballot, CommitteeSeat, CommitteeVote, LetterUpload
from members.admin_rights import has_admin_access
from members.models import Role
from reporting.models import ReportSection, SectionAttachment
from reporting.services import purge_orphaned_attachment_files
from tests.factories import PASSWORD, UserFactory

CLOSE = "/accounts/close/"


@pytest.fixture
def private_storage(tmp_path, monkeypatch):
    storage = FileSystemStorage(location=tmp_path / "private", base_url=None)
    monkeypatch.setattr(LetterUpload._meta.get_field("file"), "storage", storage)
    monkeypatch.setattr(SectionAttachment._meta.get_field("file"), "storage", storage)
    return storage


def other_people(user) -> list[str]:
    """Names and addresses of the other demo accounts (the outsider's too)."""
    found = []
    for other in User.objects.exclude(pk=user.pk):
        found += [other.email, *([other.full_name] if other.full_name else [])]
    return found


def reauthenticate(client, password=DEMO_PASSWORD, next_url=CLOSE):
    return client.post(f"/accounts/reauthenticate/?next={next_url}", {"password": password})


# --- The export -----------------------------------------------------------------------


def test_the_json_download_holds_the_persons_data_and_nobody_elses(client, coordinator, outsider):
    client.force_login(coordinator)
    response = client.get("/accounts/my-data.json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="my-data-')
    text = response.content.decode()
    data = json.loads(text)
    assert data["account"]["email"] == coordinator.email
    assert data["email_addresses"] == [
        {"email": coordinator.email, "verified": True, "primary": True}
    ]
    assert [(r["role"], r["city"]) for r in data["roles"]] == [("coordinator", "Potsdam")]
    sections = ReportSection.objects.filter(updated_by=coordinator).count()
    assert sections and len(data["report_sections_last_edited"]) == sections
    assert len(data["audit_entries_made"]) == AuditEvent.objects.filter(actor=coordinator).count()
    leaked = [who for who in other_people(coordinator) if who in text]
    assert leaked == []


def test_a_committee_member_finds_their_votes_and_seat_in_the_export(committee_member):
    services.cast_vote(
        actor=committee_member, vote=CommitteeVote.objects.open().first(), choice="no"
    )
    data = privacy.personal_data(committee_member)
    ballots = Ballot.objects.filter(cast_by=committee_member)
    assert ballots.exists()
    assert [b["choice"] for b in data["ballots_cast"]] == [
        b.choice for b in ballots.order_by("cast_at", "pk")
    ]
    assert {s["holder"] for s in data["committee_seats"]} == {"Ghent"}
    # The demo's Ghent representative is a Vice-President.
    assert [(o["office"], o["city"]) for o in data["committee_offices"]] == [
        ("vice_president", "Ghent")
    ]
    text = json.dumps(data)
    assert [who for who in other_people(committee_member) if who in text] == []


def test_the_export_never_holds_a_second_factors_secret(bureau):
    assert Authenticator.objects.filter(user=bureau).exists()
    data = privacy.personal_data(bureau)
    assert {a["type"] for a in data["two_factor_authentication"]} >= {"totp"}
    secrets = [json.dumps(a.data) for a in Authenticator.objects.filter(user=bureau)]
    assert not any(secret.strip("{}") in json.dumps(data) for secret in secrets)


def test_the_readable_page_shows_the_same_sections_as_the_download(client, coordinator):
    client.force_login(coordinator)
    html = client.get("/accounts/my-data/").content.decode()
    assert "<h1>Your data</h1>" in html
    for title in ("Roles", "Report sections you wrote", "Steps you took (audit log)"):
        assert f">{title}</h2>" in html
    assert "Potsdam" in html
    assert 'href="/accounts/my-data.json"' in html


# --- Closing the account --------------------------------------------------------------


def test_closing_asks_for_the_password_again_then_closes_and_signs_out(client, db):
    user = UserFactory()
    client.force_login(user)
    response = client.post(CLOSE, {"confirm": "on"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")
    user.refresh_from_db()
    assert user.is_active

    # allauth resumes the suspended POST once the password is confirmed.
    response = reauthenticate(client, password=PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    user.refresh_from_db()
    assert not user.is_active
    assert "_auth_user_id" not in client.session
    assert "Your account is closed" in client.get("/").content.decode()


def test_a_wrong_password_closes_nothing(client, db):
    user = UserFactory()
    client.force_login(user)
    client.post(CLOSE, {"confirm": "on"})
    response = reauthenticate(client, password="not-my-password")
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.is_active


def test_closing_needs_the_box_ticked_and_says_so_at_the_field(client, db):
    user = UserFactory()
    client.force_login(user)
    client.get(CLOSE)
    reauthenticate(client, password=PASSWORD, next_url="/accounts/email/")
    response = client.post(CLOSE, {})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_confirm_errors"' in html
    assert 'aria-describedby="id_confirm_errors"' in html
    assert "Tick the box" in html
    user.refresh_from_db()
    assert user.is_active


def test_closing_pseudonymises_the_person_and_keeps_their_acts(coordinator):
    other_browser = Client()
    other_browser.force_login(coordinator)
    sections = set(
        ReportSection.objects.filter(updated_by=coordinator).values_list("pk", flat=True)
    )
    made = AuditEvent.objects.filter(actor=coordinator).count()

    privacy.close_account(actor=coordinator, user=coordinator)

    user = User.objects.get(pk=coordinator.pk)
    assert user.full_name == f"Former member #{user.pk}"
    assert str(user) == f"Former member #{user.pk}"
    assert user.email == f"former-member-{user.pk}@closed.invalid"
    assert not user.is_active and not user.has_usable_password()
    assert not user.is_staff and user.language == ""
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not Role.objects.current().filter(user=user).exists()
    assert Role.objects.filter(user=user).exists()  # the past is kept
    # The city's report keeps its author, now the pseudonym; the audit log keeps its rows.
    assert (
        set(ReportSection.objects.filter(updated_by=user).values_list("pk", flat=True)) == sections
    )
    assert AuditEvent.objects.filter(actor=user).count() == made + 2  # role ended, account closed
    assert audit.verify_chain().ok
    closed = AuditEvent.objects.filter(verb="account.closed").get()
    assert closed.object_repr == f"Former member #{user.pk}"
    assert "coordinator@" not in json.dumps(closed.data)
    # The other browser's session is gone, and the old address no longer signs in.
    assert other_browser.get("/dashboard/").status_code == 302
    assert not Session.objects.filter(session_key=other_browser.session.session_key).exists()
    browser = Client()
    browser.post(
        "/accounts/login/", {"login": demo_email("coordinator"), "password": DEMO_PASSWORD}
    )
    assert "_auth_user_id" not in browser.session


def test_the_old_address_can_sign_up_again_as_a_new_person(client, coordinator):
    privacy.close_account(actor=coordinator, user=coordinator)
    response = client.post(
        "/accounts/signup/",
        {
            "full_name": "A new coordinator",
            "email": demo_email("coordinator"),
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    assert User.objects.get(email=demo_email("coordinator")).pk != coordinator.pk


def test_a_closed_account_cannot_be_closed_twice(coordinator):
    privacy.close_account(actor=coordinator, user=coordinator)
    with pytest.raises(privacy.PrivacyError):
        privacy.close_account(actor=coordinator, user=User.objects.get(pk=coordinator.pk))


def test_the_only_coordinator_is_told_what_closing_changes_for_the_city(client, coordinator):
    assert Role.objects.current().filter(kind="coordinator", city__name="Potsdam").count() == 1
    client.force_login(coordinator)
    html = client.get(CLOSE).content.decode()
    assert "What this changes for the coalition" in html
    assert "You are the only coordinator of Potsdam" in html


def test_the_only_administrator_is_told_to_name_another_first(administrator):
    assert not Account.objects.filter(is_superuser=True).exclude(pk=administrator.pk).exists()
    assert any("only administrator" in m for m in privacy.closing_consequences(administrator))


def test_a_person_with_no_needed_role_is_told_nothing_alarming(client, outsider):
    client.force_login(outsider)
    html = client.get(CLOSE).content.decode()
    assert "What this changes for the coalition" not in html
    assert "Close my account" in html


def test_a_committee_members_seat_stays_with_the_city_without_them(committee_member):
    services.cast_vote(
        actor=committee_member, vote=CommitteeVote.objects.open().first(), choice="no"
    )
    seat = CommitteeSeat.objects.current().get(representative=committee_member)
    assert any("Ghent" in m for m in privacy.closing_consequences(committee_member))

    privacy.close_account(actor=committee_member, user=committee_member)

    seat.refresh_from_db()
    assert seat.representative is None and seat.is_current
    assert Ballot.objects.filter(cast_by=committee_member).exists()  # the city's votes stay
    assert AuditEvent.objects.filter(verb="seat.changed", object_id=str(seat.pk)).exists()


def test_closing_a_staff_account_removes_its_second_factor_and_admin_access(bureau):
    # Admin rights follow current roles (coalition.admin_access), not the is_staff flag.
    assert has_admin_access(bureau) and Authenticator.objects.filter(user=bureau).exists()
    privacy.close_account(actor=bureau, user=bureau)
    user = User.objects.get(pk=bureau.pk)
    assert not has_admin_access(user)
    assert not user.is_staff and not user.groups.exists()
    assert not Authenticator.objects.filter(user=user).exists()
    assert not Role.objects.current().filter(user=user).exists()


def test_a_letter_kept_from_an_unfinished_form_goes_with_the_account(private_storage, outsider):
    upload = LetterUpload.objects.create(
        uploaded_by=outsider,
        file=ContentFile(b"%PDF-1.4 letter", name="letter.pdf"),
        original_name="letter.pdf",
        size=15,
    )
    assert privacy.personal_data(outsider)["letters_kept_from_unfinished_forms"][0][
        "file_name"
    ] == ("letter.pdf")
    privacy.close_account(actor=outsider, user=outsider)
    assert not LetterUpload.objects.filter(pk=upload.pk).exists()
    assert not private_storage.exists(upload.file.name)


# --- Retention ------------------------------------------------------------------------


def _session(expires: dt.datetime) -> str:
    store = SessionStore()
    store["x"] = 1
    store.create()
    Session.objects.filter(session_key=store.session_key).update(expire_date=expires)
    return store.session_key


def test_the_retention_job_purges_what_is_past_its_time_and_is_idempotent(private_storage, db):
    now = timezone.now()
    expired, live = _session(now - dt.timedelta(hours=1)), _session(now + dt.timedelta(hours=1))
    owner = UserFactory()
    old_letter = LetterUpload.objects.create(
        uploaded_by=owner,
        file=ContentFile(b"%PDF", name="old.pdf"),
        original_name="old.pdf",
        size=4,
    )
    LetterUpload.objects.filter(pk=old_letter.pk).update(created_at=now - dt.timedelta(days=3))
    fresh_letter = LetterUpload.objects.create(
        uploaded_by=owner,
        file=ContentFile(b"%PDF", name="new.pdf"),
        original_name="new.pdf",
        size=4,
    )
    orphan = private_storage.save(f"reporting/attachments/{now:%Y}/lost.pdf", ContentFile(b"%PDF"))
    just_stored = private_storage.save(
        f"reporting/attachments/{now:%Y}/in-flight.pdf", ContentFile(b"%PDF")
    )
    old = (now - dt.timedelta(days=2)).timestamp()
    os.utime(private_storage.path(orphan), (old, old))

    counts = apply_retention_policy.delay().get()

    assert counts == {
        "letters_of_unfinished_forms": 1,
        "expired_sessions": 1,
        "orphaned_report_attachments": 1,
    }
    assert not Session.objects.filter(session_key=expired).exists()
    assert Session.objects.filter(session_key=live).exists()
    assert list(LetterUpload.objects.all()) == [fresh_letter]
    assert not private_storage.exists(orphan) and private_storage.exists(just_stored)
    assert set(apply_retention_policy.delay().get().values()) == {0}


def test_an_attachment_file_that_a_report_names_is_never_purged(private_storage, demo):
    name = private_storage.save("reporting/attachments/2024/kept.pdf", ContentFile(b"%PDF"))
    section = ReportSection.objects.first()
    if section is None:
        pytest.skip("needs a report section")
    SectionAttachment.objects.create(
        section=section, file=name, original_name="kept.pdf", content_type="application/pdf", size=4
    )
    assert purge_orphaned_attachment_files(older_than=dt.timedelta(0)) == 0
    assert private_storage.exists(name)


def test_every_kind_in_the_retention_policy_has_a_purge_service_and_runs_daily():
    for rule in retention.policy():
        assert callable(rule.purge), rule.kind
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "coalition.tasks.apply_retention_policy" in tasks


# --- The privacy page -------------------------------------------------------------------


def test_the_privacy_page_says_what_is_kept_why_how_long_and_who_sees_it(client, db):
    html = client.get("/privacy/").content.decode()
    for heading in ("What", "Why", "For how long", "Who sees it"):
        assert f'<th scope="col">{heading}</th>' in html
    assert html.count('<th scope="row">') == len(privacy.privacy_notice())
    assert "deleted after 2 days" in html  # the letters' period, from RETENTION_POLICY
    assert 'href="/accounts/my-data/"' in html and 'href="/accounts/close/"' in html


def test_every_page_links_the_privacy_page_from_its_footer(client, db):
    html = client.get("/").content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    assert 'href="/privacy/"' in footer


def test_the_privacy_page_is_served_in_french(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = client.get("/privacy/")
    assert response.status_code == 200
    assert '<html lang="fr"' in response.content.decode()


def test_the_demo_accounts_are_all_covered_by_the_export(demo):
    """Each demo persona's export builds without error (every provider, every kind of data)."""
    for local, *_ in DEMO_ACCOUNTS:
        data = privacy.personal_data(demo[local])
        assert data["account"]["id"] == demo[local].pk
