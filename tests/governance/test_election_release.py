"""The four-eyes release of an election's result and the cities' challenges, through the
services (and, for the result hidden before its release, through every election URL)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import URLPattern, get_resolver, reverse
from django.utils import timezone

from coalition.models import AuditEvent, OutgoingEmail
from governance.errors import GovernanceError
from governance.models import (
    ChallengeStatus,
    CommitteeSeat,
    Election,
    ElectionChallenge,
    ElectionRelease,
    ElectionStatus,
)
from governance.services import election_release as release
from governance.services import elections as election_services
from members.models import Membership, MembershipStatus
from tests.factories import UserFactory
from tests.governance.election_world import (
    build_election_world,
    close_and_count,
    close_and_tally,
    letter,
    make_election,
    nominate_all,
    shift,
    to_voting,
    vote,
)


@pytest.fixture
def ew(db):
    return build_election_world(5)


def counted(ew, *, trackers=None):
    """An election with five ballots, counted by a teller, awaiting release."""
    election = make_election(ew, seats=1, method="plurality")
    election, candidacies, ceremony = to_voting(ew, election, ew.cities[:2])
    a, b = candidacies
    for city, choice in zip(ew.cities, [a, a, b, a, b], strict=True):
        _ballot, tracker = vote(ew, election, city, [choice.pk])
        if trackers is not None:
            trackers.append(tracker)
    election = close_and_count(ew, election, list(ceremony.shares[:2]))
    return election, candidacies


def published(ew):
    election, candidacies = counted(ew)
    release.release_result(actor=ew.bureau, election=election)
    election = release.confirm_release(actor=ew.tellers[1], election=election)
    return election, candidacies


def past_the_period(election: Election) -> Election:
    Election.objects.filter(pk=election.pk).update(
        challenge_ends_on=timezone.localdate() - dt.timedelta(days=1)
    )
    election.refresh_from_db()
    return election


# --- Release -----------------------------------------------------------------------------


def test_the_tally_does_not_publish_the_result(ew):
    election, _c = counted(ew)
    assert election.status == ElectionStatus.TALLIED
    assert election.result["elected"]  # computed...
    counted_event = AuditEvent.objects.get(verb="election.counted", object_id=str(election.pk))
    assert "elected" not in counted_event.data  # ...but named nowhere the bureau's log shows
    with pytest.raises(GovernanceError, match="counted election"):
        election_services.certify_election(actor=ew.bureau, election=election)


def test_only_the_returning_officer_releases(ew):
    election, _c = counted(ew)
    for wrong in (ew.tellers[0], ew.delegates[ew.cities[0].pk], ew.coordinators[ew.cities[1].pk]):
        with pytest.raises(GovernanceError, match="returning officer"):
            release.release_result(actor=wrong, election=election)
    election.refresh_from_db()
    assert election.status == ElectionStatus.TALLIED
    assert not ElectionRelease.objects.filter(election=election).exists()


def test_a_teller_cannot_confirm_their_own_release(ew):
    election, _c = counted(ew)
    assert ew.bureau in ew.tellers  # the bureau is a teller too, and the releasing officer
    release.release_result(actor=ew.bureau, election=election)
    with pytest.raises(GovernanceError, match="Another teller"):
        release.confirm_release(actor=ew.bureau, election=election)
    election.refresh_from_db()
    assert election.status == ElectionStatus.RELEASED


def test_only_a_teller_confirms_and_only_after_the_release(ew):
    election, _c = counted(ew)
    with pytest.raises(GovernanceError, match="not at that step"):
        release.confirm_release(actor=ew.tellers[1], election=election)
    release.release_result(actor=ew.bureau, election=election)
    outsider = ew.world.seats[3].representative  # on the committee, not a teller
    with pytest.raises(GovernanceError, match="Only a teller"):
        release.confirm_release(actor=outsider, election=election)
    with pytest.raises(GovernanceError, match="not at that step"):
        release.release_result(actor=ew.bureau, election=election)


def test_the_database_refuses_one_person_on_both_keys(ew):
    election, _c = counted(ew)
    row = release.release_result(actor=ew.bureau, election=election)
    with pytest.raises(IntegrityError), transaction.atomic():
        ElectionRelease.objects.filter(pk=row.pk).update(
            confirmed_by=ew.bureau, confirmed_at=timezone.now()
        )


def test_confirmation_publishes_and_starts_the_period_with_its_planned_length(ew):
    election, _c = counted(ew)
    # The count is released three weeks after voting closed: the cities keep the whole
    # planned period, counted from the publication.
    back = dt.timedelta(days=21)
    Election.objects.filter(pk=election.pk).update(
        candidacy_deadline=election.candidacy_deadline - back,
        voting_opens_at=election.voting_opens_at - back,
        voting_closes_at=election.voting_closes_at - back,
    )
    election.refresh_from_db()
    planned_end = election.challenge_ends_on
    planned = (election.challenge_ends_on - timezone.localdate(election.voting_closes_at)).days
    release.release_result(actor=ew.bureau, election=election)
    election = release.confirm_release(actor=ew.tellers[1], election=election)
    assert election.status == ElectionStatus.COUNTED
    expected = min(
        timezone.localdate() + dt.timedelta(days=planned),
        election.term_starts_on - dt.timedelta(days=1),
    )
    assert election.challenge_ends_on == expected
    assert election.challenge_ends_on > planned_end
    published_event = AuditEvent.objects.get(
        verb="election.result_published", object_id=str(election.pk)
    )
    assert published_event.actor == ew.tellers[1]
    assert published_event.data["released_by"] == ew.bureau.pk
    assert published_event.data["elected"] == election.result["elected"]


def test_the_period_never_passes_the_day_before_the_new_terms(ew):
    election, _c = counted(ew)
    end = release.challenge_period_end(election, election.term_starts_on - dt.timedelta(days=2))
    assert end == election.term_starts_on - dt.timedelta(days=1)
    # An early publication never shortens the timetable's own date.
    assert release.challenge_period_end(
        election, timezone.localdate(election.voting_closes_at)
    ) == (election.challenge_ends_on)


def test_the_tellers_but_not_the_releasing_officer_are_told_to_confirm(ew):
    election, _c = counted(ew)
    release.release_result(actor=ew.bureau, election=election)
    told = set(
        OutgoingEmail.objects.filter(template="election-release-pending").values_list(
            "to", flat=True
        )
    )
    assert told == {ew.tellers[0].email.lower(), ew.tellers[1].email.lower()}
    # The email says nothing of the result.
    for email in OutgoingEmail.objects.filter(template="election-release-pending"):
        for candidacy in election.candidacies.all():
            assert candidacy.city.name not in email.text


# --- The result hidden before its release, on every election URL --------------------------


def _election_urls(election, candidacy, city):
    """Every URL of the governance app whose name speaks of an election, for this election."""
    kwargs_for = {
        ("pk",): {"pk": election.pk},
        ("city_pk", "pk"): {"pk": election.pk, "city_pk": city.pk},
        ("slug",): {"slug": election.coalition.slug},
    }
    urls = []
    resolver = get_resolver()
    namespace = resolver.namespace_dict["governance"][1]
    for pattern in namespace.url_patterns:
        if not isinstance(pattern, URLPattern) or "election" not in (pattern.name or ""):
            continue
        keys = tuple(sorted(pattern.pattern.converters))
        if pattern.name.startswith("candidacy"):
            kwargs = {"pk": candidacy.pk}
        elif pattern.name == "election_challenge_evidence" or (
            pattern.name == "election_challenge_decide"
        ):
            continue  # no challenge exists before the publication
        elif pattern.name == "election_stand":
            continue  # an officer election's candidacy form: this election has no seats to stand
        else:
            kwargs = kwargs_for.get(keys, {})
        urls.append(reverse(f"governance:{pattern.name}", kwargs=kwargs))
    return urls


def test_before_release_no_election_url_shows_the_result_but_to_the_officer_and_tellers(ew):
    trackers: list[str] = []
    election, (a, b) = counted(ew, trackers=trackers)
    urls = _election_urls(election, a, ew.cities[0])
    assert any("bundle.json" in u for u in urls) and any("result-review" in u for u in urls)
    committee_member = ew.world.seats[3].representative
    people = {
        "anonymous": None,
        "outsider": UserFactory(email="outsider@example.org"),
        "coordinator": ew.coordinators[ew.cities[0].pk],
        "delegate": ew.delegates[ew.cities[1].pk],
        "committee member (not a teller)": committee_member,
    }
    for status in ("tallied", "released"):
        if status == "released":
            release.release_result(actor=ew.bureau, election=election)
        for label, person in people.items():
            client = Client()
            if person is not None:
                client.force_login(person)
            for url in urls:
                response = client.get(url)
                body = response.content.decode(errors="replace")
                assert not any(t in body for t in trackers), (status, label, url)
                assert "Votes per candidate" not in body, (status, label, url)
                assert election.ballots_hash not in body, (status, label, url)
                if "bundle.json" in url or "result-review" in url:
                    assert response.status_code in (302, 403, 404), (status, label, url)
        for teller in ew.tellers:
            client = Client()
            client.force_login(teller)
            review = client.get(reverse("governance:election_result_review", args=[election.pk]))
            assert review.status_code == 200
            assert all(t in review.content.decode() for t in trackers)
            assert (
                client.get(reverse("governance:election_bundle", args=[election.pk])).status_code
                == 404
            )
    # Nothing was mailed that holds a tracker, and the audit log names no one elected yet.
    for email in OutgoingEmail.objects.all():
        assert not any(t in email.text or t in (email.html or "") for t in trackers)
    assert not AuditEvent.objects.filter(
        object_id=str(election.pk), data__has_key="elected"
    ).exists()
    # Once confirmed, the public page shows it all.
    election = release.confirm_release(actor=ew.tellers[1], election=election)
    body = Client().get(election.get_absolute_url()).content.decode()
    assert all(t in body for t in trackers) and election.ballots_hash in body
    assert (
        Client().get(reverse("governance:election_bundle", args=[election.pk])).status_code == 200
    )


# --- Challenges ----------------------------------------------------------------------------


def test_a_challenge_is_filed_only_in_the_period(ew):
    election, _c = counted(ew)
    city = ew.cities[0]
    coordinator = ew.coordinators[city.pk]
    with pytest.raises(GovernanceError, match="challenge period"):
        release.file_challenge(actor=coordinator, election=election, city=city, grounds="Early")
    release.release_result(actor=ew.bureau, election=election)
    with pytest.raises(GovernanceError, match="challenge period"):
        release.file_challenge(actor=coordinator, election=election, city=city, grounds="Early")
    election = release.confirm_release(actor=ew.tellers[1], election=election)
    filed = release.file_challenge(
        actor=coordinator, election=election, city=city, grounds="The window closed early."
    )
    assert filed.status == ChallengeStatus.PENDING
    election = past_the_period(election)
    with pytest.raises(GovernanceError, match="challenge period"):
        release.file_challenge(actor=coordinator, election=election, city=city, grounds="Too late")


def test_only_a_member_city_by_its_coordinator_or_delegate_challenges(ew):
    election, _c = published(ew)
    city = ew.cities[1]
    # Its certified delegate may, with a PDF as evidence.
    filed = release.file_challenge(
        actor=ew.delegates[city.pk],
        election=election,
        city=city,
        grounds="A ballot was refused.",
        evidence=letter("evidence.pdf"),
    )
    assert filed.evidence.name.startswith(f"elections/{election.pk}/challenges/")
    assert filed.evidence_filename == "evidence.pdf"
    # Another city's coordinator, a committee member or an outsider may not.
    for wrong in (
        ew.coordinators[ew.cities[2].pk],
        ew.world.seats[3].representative,
        UserFactory(),
    ):
        with pytest.raises(GovernanceError, match="coordinator or its certified delegate"):
            release.file_challenge(actor=wrong, election=election, city=city, grounds="No")
    # A city that is no longer a member may not, even by its coordinator.
    gone = ew.cities[3]
    Membership.objects.filter(city=gone, coalition=ew.world.coalition).update(
        status=MembershipStatus.WITHDRAWN
    )
    with pytest.raises(GovernanceError, match="member city"):
        release.file_challenge(
            actor=ew.coordinators[gone.pk], election=election, city=gone, grounds="No"
        )
    assert release.cities_challenging_as(ew.coordinators[gone.pk], election) == []
    assert release.cities_challenging_as(ew.coordinators[city.pk], election) == [city]
    # The bureau and the filer are told.
    told = set(
        OutgoingEmail.objects.filter(template="election-challenge-filed").values_list(
            "to", flat=True
        )
    )
    assert ew.bureau.email.lower() in told and ew.delegates[city.pk].email.lower() in told


def test_an_open_challenge_blocks_certification_and_a_rejected_one_lets_it_through(ew):
    election, _c = published(ew)
    city = ew.cities[0]
    filed = release.file_challenge(
        actor=ew.coordinators[city.pk], election=election, city=city, grounds="Doubt."
    )
    election = past_the_period(election)
    with pytest.raises(GovernanceError, match="awaits the committee"):
        election_services.certify_election(actor=ew.bureau, election=election)
    assert not CommitteeSeat.objects.filter(election=election).exists()
    # Only the bureau records the committee's decision, with its date and reasons.
    with pytest.raises(GovernanceError, match="bureau"):
        release.decide_challenge(
            actor=ew.tellers[0],
            challenge=filed,
            upheld=False,
            committee_decided_on=timezone.localdate(),
            reason="Unfounded.",
        )
    with pytest.raises(GovernanceError, match="reasons"):
        release.decide_challenge(
            actor=ew.bureau,
            challenge=filed,
            upheld=False,
            committee_decided_on=timezone.localdate(),
            reason=" ",
        )
    release.decide_challenge(
        actor=ew.bureau,
        challenge=filed,
        upheld=False,
        committee_decided_on=timezone.localdate(),
        reason="The window closed at the announced time.",
    )
    with pytest.raises(GovernanceError, match="already decided"):
        release.decide_challenge(
            actor=ew.bureau,
            challenge=filed,
            upheld=True,
            committee_decided_on=timezone.localdate(),
            reason="Second thoughts.",
        )
    told = set(
        OutgoingEmail.objects.filter(template="election-challenge-decided").values_list(
            "to", flat=True
        )
    )
    assert told == {ew.coordinators[city.pk].email.lower()}
    seats = election_services.certify_election(actor=ew.bureau, election=election)
    assert len(seats) == 1


def test_an_upheld_challenge_voids_the_election_and_no_seat_is_ever_created(ew):
    election, (a, _b) = published(ew)
    city = ew.cities[4]
    filed = release.file_challenge(
        actor=ew.coordinators[city.pk], election=election, city=city, grounds="Irregular."
    )
    release.decide_challenge(
        actor=ew.bureau,
        challenge=filed,
        upheld=True,
        committee_decided_on=timezone.localdate(),
        reason="The electorate omitted a member city.",
    )
    election.refresh_from_db()
    assert election.status == ElectionStatus.VOID
    assert ElectionChallenge.objects.get(pk=filed.pk).status == ChallengeStatus.UPHELD
    election = past_the_period(election)
    with pytest.raises(GovernanceError):
        election_services.certify_election(actor=ew.bureau, election=election)
    assert not CommitteeSeat.objects.filter(election=election).exists()
    # The candidates are told, each in their language, and the public page says why.
    told = set(
        OutgoingEmail.objects.filter(template="election-challenge-decided").values_list(
            "to", flat=True
        )
    )
    assert a.person.email.lower() in told
    body = Client().get(election.get_absolute_url()).content.decode()
    assert "The election is void" in body and "omitted a member city" in body


def test_the_decision_email_is_in_the_recipients_language(ew):
    election, _c = published(ew)
    city = ew.cities[0]
    coordinator = ew.coordinators[city.pk]
    coordinator.language = "fr"
    coordinator.save(update_fields=["language"])
    filed = release.file_challenge(
        actor=coordinator, election=election, city=city, grounds="Doute."
    )
    release.decide_challenge(
        actor=ew.bureau,
        challenge=filed,
        upheld=False,
        committee_decided_on=timezone.localdate(),
        reason="Sans fondement.",
    )
    email = OutgoingEmail.objects.get(template="election-challenge-decided", to=coordinator.email)
    assert "Bonjour" in email.text


def test_the_uncontested_path_goes_through_four_eyes_before_anything_is_public(db):
    """Changed by design: elected without a ballot no longer publishes at once. With no
    tellers, the returning officer releases and a second person of the bureau confirms."""
    ew = build_election_world(3, elected_without_ballot_when_uncontested=True)
    election = make_election(ew, seats=2)
    election_services.open_call(actor=ew.bureau, election=election)
    candidacies = nominate_all(ew, election, ew.cities[:2])
    election = shift(election, candidacy_deadline=-dt.timedelta(days=20))
    election_services.publish_candidates(actor=ew.bureau, election=election)
    election.refresh_from_db()
    assert election.status == ElectionStatus.TALLIED
    assert not release.challenge_is_open(election)
    bundle_url = reverse("governance:election_bundle", args=[election.pk])
    detail_url = election.get_absolute_url()

    def public_shows_result() -> bool:
        anonymous = Client()
        page = anonymous.get(detail_url).content.decode()
        elected = any(c.city.name in page for c in candidacies)
        return anonymous.get(bundle_url).status_code == 200 or (
            elected and "Votes per candidate" in page
        )

    assert not public_shows_result()
    release.release_result(actor=ew.bureau, election=election)
    election.refresh_from_db()
    assert not public_shows_result()
    with pytest.raises(GovernanceError):  # the releasing person may not confirm
        release.confirm_release(actor=ew.bureau, election=election)
    with pytest.raises(GovernanceError):  # nor a delegate, who is neither teller nor bureau
        release.confirm_release(actor=ew.delegates[ew.cities[0].pk], election=election)
    election.refresh_from_db()
    assert election.status == ElectionStatus.RELEASED and not public_shows_result()
    release.confirm_release(actor=ew.world.admin, election=election)
    election.refresh_from_db()
    assert election.status == ElectionStatus.COUNTED
    assert Client().get(bundle_url).status_code == 200
    assert release.challenge_is_open(election)
    row = ElectionRelease.objects.get(election=election)
    assert row.released_by == ew.bureau and row.confirmed_by == ew.world.admin


def test_close_and_tally_walks_the_release(ew):
    election = make_election(ew, seats=1, method="plurality")
    election, (a, _b), ceremony = to_voting(ew, election, ew.cities[:2])
    vote(ew, election, ew.cities[0], [a.pk])
    election = close_and_tally(ew, election, list(ceremony.shares[:2]))
    assert election.status == ElectionStatus.COUNTED
    row = ElectionRelease.objects.get(election=election)
    assert row.released_by == ew.bureau and row.confirmed_by == ew.tellers[1]
