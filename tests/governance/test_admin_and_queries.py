"""The admin for governance (seats through the services, the rest read-only), page query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coalition.audit import events_for
from coalition.demo import DEMO_TOTP_SECRET
from governance import services, tasks
from governance.models import (
    Ballot,
    CommitteeSeat,
    LetterUpload,
    SeatKind,
)
from members.models import City
from tests.governance.conftest import pdf_upload, seat_with_a_successor

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_for(client, world):
    TOTP.activate(world.admin, DEMO_TOTP_SECRET)
    client.force_login(world.admin)
    return client


def test_every_governance_admin_page_opens(admin_client_for, world):
    vote = world.open_vote(world.apply())
    services.cast_vote(actor=world.members[0], vote=vote, choice="yes")
    for model in ("committeeseat", "decisionrule", "admissionapplication", "committeevote",
                  "ballot", "comment", "votereminder", "exclusionproposal",
                  "membershipdecision"):  # fmt: skip
        response = admin_client_for.get(reverse(f"admin:governance_{model}_changelist"))
        assert response.status_code == 200, model
    response = admin_client_for.get(
        reverse("admin:governance_committeevote_change", args=[vote.pk])
    )
    assert response.status_code == 200


def test_records_of_decisions_cannot_be_changed_or_deleted_in_the_admin(admin_client_for, world):
    vote = world.open_vote(world.apply())
    ballot = services.cast_vote(actor=world.members[0], vote=vote, choice="yes")
    url = reverse("admin:governance_ballot_change", args=[ballot.pk])
    admin_client_for.post(url, {"choice": "no"})
    assert Ballot.objects.get(pk=ballot.pk).choice == "yes"
    delete = reverse("admin:governance_ballot_delete", args=[ballot.pk])
    assert admin_client_for.post(delete, {"post": "yes"}).status_code == 403
    delete = reverse("admin:governance_committeevote_delete", args=[vote.pk])
    assert admin_client_for.post(delete, {"post": "yes"}).status_code == 403
    assert admin_client_for.get(reverse("admin:governance_ballot_add")).status_code == 403


def test_a_seat_added_in_the_admin_goes_through_the_service_and_is_audited(admin_client_for, world):
    response = admin_client_for.post(
        reverse("admin:governance_committeeseat_add"),
        {
            "coalition": world.coalition.pk,
            "kind": SeatKind.ADVISER,
            "institution": "Fundamental Rights Agency",
            "starts_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    seat = CommitteeSeat.objects.get(institution="Fundamental Rights Agency")
    assert [e.verb for e in events_for(seat)] == ["seat.added"]
    # A voting seat for a city that is not a member is refused on the form.
    city = City.objects.create(name="Nowhere", slug="nowhere", country="FI")
    response = admin_client_for.post(
        reverse("admin:governance_committeeseat_add"),
        {
            "coalition": world.coalition.pk,
            "kind": SeatKind.VOTING,
            "city": city.pk,
            "starts_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 200
    assert "is not a member" in response.content.decode()


def test_stretching_a_seat_over_the_next_one_in_the_admin_is_a_form_error(admin_client_for, world):
    seat, later = seat_with_a_successor(world, days_later=10)
    response = admin_client_for.post(
        reverse("admin:governance_committeeseat_change", args=[seat.pk]),
        {
            "kind": seat.kind,
            "representative": seat.representative_id,
            "starts_on": seat.starts_on.isoformat(),
            "ends_on": later.starts_on.isoformat(),
        },
    )
    assert response.status_code == 200
    assert "already holds a seat during that term" in response.content.decode()
    seat.refresh_from_db()
    assert seat.ends_on == seat.starts_on


def test_bureau_and_committee_pages_cost_the_same_queries_for_more_rows(client, world):
    def count_queries(user, url) -> int:
        client.force_login(user)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    world.open_vote(world.apply())
    bureau_before = count_queries(world.bureau, reverse("governance:bureau_home"))
    committee_before = count_queries(world.members[0], reverse("governance:committee_home"))
    for i in range(4):
        application = world.apply(city_name=f"Town {i}", country="IT")
        if i % 2:
            world.open_vote(application)
    assert count_queries(world.bureau, reverse("governance:bureau_home")) == bureau_before
    assert count_queries(world.members[0], reverse("governance:committee_home")) == committee_before


def test_letters_kept_for_abandoned_forms_are_purged(world):
    upload = services.keep_letter(actor=world.bureau, letter=pdf_upload())
    storage, name = upload.file.storage, upload.file.name
    assert tasks.purge_stale_letter_uploads.delay().get() == 0
    LetterUpload.objects.filter(pk=upload.pk).update(
        created_at=timezone.now() - dt.timedelta(days=3)
    )
    assert tasks.purge_stale_letter_uploads.delay().get() == 1
    assert not storage.exists(name)
    assert not LetterUpload.objects.exists()
