"""The election pages on the demo: what each person sees and can do."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from governance.demo.elections import BY_ELECTION_TITLE, RENEWAL_TITLE
from governance.letters import minimal_pdf
from governance.models import Candidacy, Election, SealedBallot
from governance.selectors_elections import elections_of
from members.models import City, Coalition
from tests.governance.election_world import sealed_ballot


@pytest.fixture
def renewal(demo):
    return Election.objects.get(title=RENEWAL_TITLE)


@pytest.fixture
def by_election(demo):
    return Election.objects.get(title=BY_ELECTION_TITLE)


def test_the_public_sees_the_call_and_the_candidates_only_once_published(
    client, renewal, by_election
):
    page = client.get(renewal.get_absolute_url())
    assert page.status_code == 200
    assert b"published after the candidacy deadline" in page.content
    page = client.get(by_election.get_absolute_url())
    assert b"Heidelberg" in page.content and b"Nuremberg" in page.content
    listing = client.get(reverse("governance:coalition_elections", args=["eccar"]))
    assert RENEWAL_TITLE.encode() in listing.content


def test_the_delegate_is_offered_the_ballot_which_seals_in_the_page(client, delegate, by_election):
    client.force_login(delegate)
    page = client.get(by_election.get_absolute_url())
    potsdam = City.objects.get(name="Potsdam")
    url = reverse("governance:election_ballot", args=[by_election.pk, potsdam.pk])
    assert url.encode() in page.content
    ballot = client.get(url)
    assert ballot.status_code == 200
    assert b"Voting needs JavaScript" in ballot.content
    assert b'id="ballot-form" hidden' in ballot.content
    # No choice input has a name: the form can send only the sealed ballot.
    assert b'class="choice-input"' in ballot.content and b'name="choice' not in ballot.content
    assert "wasm-unsafe-eval" in ballot["Content-Security-Policy"]
    candidacy = by_election.candidacies.first()
    ciphertext, _tracker = sealed_ballot(by_election, [candidacy.pk])
    response = client.post(url, {"ciphertext": base64.b64encode(ciphertext).decode()})
    assert response.status_code == 302
    stored = SealedBallot.objects.get(election=by_election, city=potsdam)
    assert bytes(stored.ciphertext) == ciphertext
    assert stored.receipt.encode() in client.get(url).content


def test_an_unsealed_ballot_is_refused(client, delegate, by_election):
    client.force_login(delegate)
    potsdam = City.objects.get(name="Potsdam")
    url = reverse("governance:election_ballot", args=[by_election.pk, potsdam.pk])
    client.post(url, {"ciphertext": "not base64 at all!"})
    client.post(url, {"ciphertext": base64.b64encode(b'{"choices": [1]}').decode()})
    assert not SealedBallot.objects.filter(election=by_election).exists()


def test_the_coordinator_nominates_with_a_real_pdf_only(client, demo, renewal):
    coordinator = demo["coordinator"]
    potsdam = City.objects.get(name="Potsdam")
    Candidacy.objects.filter(election=renewal, city=potsdam).update(status="withdrawn")
    client.force_login(coordinator)
    url = reverse("governance:election_nominate", args=[renewal.pk, potsdam.pk])
    assert client.get(url).status_code == 200
    fake = client.post(
        url,
        {
            "person_email": demo["delegate"].email,
            "statement": "We stand.",
            "letter": _upload(b"not a pdf"),
        },
    )
    assert fake.status_code == 200 and b"must be a PDF" in fake.content
    real = client.post(
        url,
        {
            "person_email": demo["delegate"].email,
            "statement": "We stand.",
            "letter": _upload(minimal_pdf(["Endorsement"])),
        },
    )
    assert real.status_code == 302
    assert Candidacy.objects.filter(election=renewal, city=potsdam, status="nominated").exists()


def _upload(content: bytes):
    return SimpleUploadedFile("letter.pdf", content, "application/pdf")


def test_the_bureau_walks_the_steps_with_confirmation(client, bureau, renewal):
    client.force_login(bureau)
    manage = reverse("governance:election_manage", args=[renewal.pk])
    assert client.get(manage).status_code == 200
    Election.objects.filter(pk=renewal.pk).update(
        candidacy_deadline=timezone.now() - dt.timedelta(minutes=1)
    )
    publish = reverse("governance:election_publish", args=[renewal.pk])
    unconfirmed = client.post(publish)
    assert unconfirmed.status_code == 200 and b'name="confirmed"' in unconfirmed.content
    renewal.refresh_from_db()
    assert renewal.status == "candidacy"
    client.post(publish, {"confirmed": "1"})
    renewal.refresh_from_db()
    assert renewal.status == "published"
    page = client.post(
        reverse("governance:election_open_voting", args=[renewal.pk]),
        {"tellers": [bureau.pk, *_committee_ids(renewal)], "threshold": "2"},
    )
    assert page.status_code == 200
    assert page.content.count(b'<code class="hash share">ccp-share:') == 3
    assert "no-store" in page["Cache-Control"] or "no-cache" in page["Cache-Control"]


def _committee_ids(election):
    return list(
        election.coalition.committee_seats.current()
        .filter(representative__isnull=False)
        .values_list("representative", flat=True)[:2]
    )


def test_the_election_list_costs_one_query(django_assert_num_queries, demo):
    eccar = Coalition.objects.get(short_name="ECCAR")
    with django_assert_num_queries(1):
        assert len(elections_of(eccar)) == 3
