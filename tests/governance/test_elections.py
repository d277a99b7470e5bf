"""Elections through the services: call, candidacies, sealed ballots, tally, certification."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from governance.elections import bundle
from governance.errors import GovernanceError
from governance.models import (
    CandidacyStatus,
    CommitteeSeat,
    Election,
    ElectionStatus,
    OpenedBallot,
    SealedBallot,
)
from governance.services import elections as election_services
from governance.services import seats as seat_services
from members import services as members_services
from tests.governance.election_world import (
    build_election_world,
    close_and_tally,
    end_window,
    letter,
    make_election,
    nominate_all,
    sealed_ballot,
    shift,
    to_voting,
    vote,
)


@pytest.fixture
def ew(db):
    return build_election_world(5)


def test_the_whole_path_from_call_to_seats(ew):
    election = make_election(ew, seats=2)
    election, candidacies, ceremony = to_voting(ew, election, ew.cities[:3])
    a, b, c = candidacies
    trackers = {}
    for city, choices in zip(
        ew.cities, [[a.pk, b.pk], [a.pk], [b.pk, c.pk], [a.pk, c.pk], []], strict=True
    ):
        _ballot, trackers[city.pk] = vote(ew, election, city, choices)
    assert SealedBallot.objects.filter(election=election).count() == 5
    election = close_and_tally(ew, election, list(ceremony.shares[1:]))
    assert election.status == ElectionStatus.COUNTED
    assert election.result["totals"] == {str(a.pk): 3, str(b.pk): 2, str(c.pk): 2}
    assert election.result["blank"] == 1
    assert election.result["elected"][0] == a.pk and len(election.result["elected"]) == 2
    # Every city finds its tracker in the published list.
    published = set(election.opened.values_list("tracker", flat=True))
    assert set(trackers.values()) == published
    # The published bundle verifies.
    data = election_services.published_bundle(election)
    assert bundle.verify(data) == []
    # Nothing is created before the challenge period ends.
    with pytest.raises(GovernanceError):
        election_services.certify_election(actor=ew.bureau, election=election)
    assert not CommitteeSeat.objects.filter(election=election).exists()
    Election.objects.filter(pk=election.pk).update(
        challenge_ends_on=timezone.localdate() - dt.timedelta(days=1)
    )
    election.refresh_from_db()
    seats = election_services.certify_election(actor=ew.bureau, election=election)
    assert {s.city_id for s in seats} == {
        next(x for x in candidacies if x.pk == pk).city_id for pk in election.result["elected"]
    }
    assert all(
        (s.starts_on, s.ends_on) == (election.term_starts_on, election.term_ends_on) for s in seats
    )
    assert not SealedBallot.objects.filter(election=election, ciphertext__isnull=False).exists()


def test_outgoing_seats_end_the_day_before_the_new_term(ew):
    term_start = timezone.localdate() + dt.timedelta(days=60)
    seat = ew.world.seats[0]
    seat_services.update_seat(
        actor=ew.world.admin, seat=seat, ends_on=term_start + dt.timedelta(days=100)
    )
    vacant = election_services.vacancies(ew.world.coalition, term_start)
    assert seat not in vacant and len(vacant) == 4
    election = make_election(ew, seats=2)
    election.outgoing_seats.add(seat)  # as if chosen by the bureau for an early renewal
    election, (a, b), ceremony = to_voting(ew, election, ew.cities[1:3])
    for city in ew.cities:
        vote(ew, election, city, [a.pk, b.pk])
    election = close_and_tally(ew, election, list(ceremony.shares[:2]))
    Election.objects.filter(pk=election.pk).update(
        challenge_ends_on=timezone.localdate() - dt.timedelta(days=1)
    )
    election.refresh_from_db()
    election_services.certify_election(actor=ew.bureau, election=election)
    seat.refresh_from_db()
    assert seat.ends_on == term_start - dt.timedelta(days=1)
    for city in ew.cities:
        terms = sorted(CommitteeSeat.objects.filter(city=city), key=lambda s: s.starts_on)
        for earlier, later in zip(terms, terms[1:], strict=False):
            assert earlier.ends_on < later.starts_on


def test_k_minus_one_shares_open_nothing(ew):
    election = make_election(ew, seats=1, method="plurality")
    election, (a, _b), ceremony = to_voting(ew, election, ew.cities[:2], threshold=3)
    vote(ew, election, ew.cities[0], [a.pk])
    end_window(election)
    election_services.close_voting(actor=ew.bureau, election=election)
    election.refresh_from_db()
    with pytest.raises(GovernanceError):
        election_services.tally(actor=ew.tellers[0], election=election, shares=ceremony.shares[:2])
    assert not OpenedBallot.objects.filter(election=election).exists()
    election.refresh_from_db()
    assert election.status == ElectionStatus.CLOSED


def test_a_box_changed_after_closing_is_not_opened(ew):
    election = make_election(ew, seats=1, method="plurality")
    election, (a, _b), ceremony = to_voting(ew, election, ew.cities[:2])
    vote(ew, election, ew.cities[0], [a.pk])
    end_window(election)
    election_services.close_voting(actor=ew.bureau, election=election)
    ciphertext, _t = sealed_ballot(election, [a.pk])
    SealedBallot.objects.create(
        election=election, city=ew.cities[1], ciphertext=ciphertext, receipt="x" * 64
    )
    election.refresh_from_db()
    with pytest.raises(GovernanceError, match="differs"):
        election_services.tally(actor=ew.tellers[0], election=election, shares=ceremony.shares)


def test_voting_again_replaces_the_ballot_and_the_last_counts(ew):
    election = make_election(ew, seats=1, method="plurality")
    election, (a, b), ceremony = to_voting(ew, election, ew.cities[:2])
    first, _t = vote(ew, election, ew.cities[0], [a.pk])
    second, tracker = vote(ew, election, ew.cities[0], [b.pk])
    assert first.pk == second.pk
    assert SealedBallot.objects.get(pk=first.pk).receipt == second.receipt
    election = close_and_tally(ew, election, list(ceremony.shares))
    assert election.result["totals"] == {str(a.pk): 0, str(b.pk): 1}
    assert list(election.opened.values_list("tracker", flat=True)) == [tracker]


def test_without_revote_a_second_ballot_is_refused(db):
    ew = build_election_world(3, election_revote_allowed=False)
    election = make_election(ew, seats=1, method="plurality")
    election, (a, b), _ceremony = to_voting(ew, election, ew.cities[:2])
    vote(ew, election, ew.cities[0], [a.pk])
    with pytest.raises(GovernanceError, match="already voted"):
        vote(ew, election, ew.cities[0], [b.pk])


def test_only_the_citys_delegate_casts_its_ballot(ew):
    election = make_election(ew, seats=1, method="plurality")
    election, (a, _b), _c = to_voting(ew, election, ew.cities[:2])
    ciphertext, _t = sealed_ballot(election, [a.pk])
    for intruder in (ew.delegates[ew.cities[1].pk], ew.coordinators[ew.cities[0].pk], ew.bureau):
        with pytest.raises(GovernanceError):
            election_services.cast_ballot(
                actor=intruder, election=election, city=ew.cities[0], ciphertext=ciphertext
            )
    assert election_services.cities_cast_by(election, ew.delegates[ew.cities[0].pk]) == [
        ew.cities[0]
    ]


def test_no_ballot_outside_the_window(ew):
    election = make_election(ew, seats=1, method="plurality")
    election, (a, _b), _c = to_voting(ew, election, ew.cities[:2])
    end_window(election)
    with pytest.raises(GovernanceError, match="not open"):
        vote(ew, election, ew.cities[0], [a.pk])


def test_candidacies_refused_with_their_reasons(db):
    ew = build_election_world(
        3, candidacy_requires_fee_paid=True, candidacy_min_membership_months=24
    )
    election = make_election(ew, seats=2)
    election_services.open_call(actor=ew.bureau, election=election)
    young = ew.cities[0]
    membership = young.memberships.get()
    membership.signed_on = timezone.localdate() - dt.timedelta(days=100)
    membership.save(update_fields=["signed_on"])
    refusals = election_services.candidacy_refusals(election, young)
    assert any("fee" in r for r in refusals)
    assert any("24 months" in r for r in refusals)
    with pytest.raises(GovernanceError, match="24 months"):
        nominate_all(ew, election, [young])
    # A city that is not a member cannot stand.
    outsider = members_services.create_city(actor=ew.world.admin, name="Nowhere", country="DE")
    assert election_services.candidacy_refusals(election, outsider)


def test_one_candidacy_per_city_withdrawn_before_the_deadline_only(ew):
    election = make_election(ew, seats=2)
    election_services.open_call(actor=ew.bureau, election=election)
    (candidacy,) = nominate_all(ew, election, ew.cities[:1])
    with pytest.raises(GovernanceError, match="already has a candidate"):
        nominate_all(ew, election, ew.cities[:1])
    election_services.withdraw_candidacy(
        actor=ew.coordinators[ew.cities[0].pk], candidacy=candidacy
    )
    candidacy.refresh_from_db()
    assert candidacy.status == CandidacyStatus.WITHDRAWN
    (again,) = nominate_all(ew, election, ew.cities[:1])
    shift(election, candidacy_deadline=-dt.timedelta(days=20))
    with pytest.raises(GovernanceError, match="before the deadline"):
        election_services.withdraw_candidacy(
            actor=ew.coordinators[ew.cities[0].pk], candidacy=again
        )


def test_only_the_coordinator_nominates(ew):
    election = make_election(ew, seats=2)
    election_services.open_call(actor=ew.bureau, election=election)
    with pytest.raises(GovernanceError, match="coordinator"):
        election_services.nominate_candidate(
            actor=ew.delegates[ew.cities[0].pk],
            election=election,
            city=ew.cities[0],
            person=ew.delegates[ew.cities[0].pk],
            statement="We stand.",
            letter=letter(),
        )


def test_the_bureau_is_told_when_the_cap_cannot_be_met(db):
    ew = build_election_world(4, election_cap_per_country=1)
    election = make_election(ew, seats=3)
    election_services.open_call(actor=ew.bureau, election=election)
    nominate_all(ew, election, ew.cities[:4])  # all German
    shift(election, candidacy_deadline=-dt.timedelta(days=20))
    problems = election_services.publish_candidates(actor=ew.bureau, election=election)
    assert any("only 1 of 3 seats" in p for p in problems)


def test_uncontested_candidates_are_elected_without_a_ballot_when_the_profile_says_so(db):
    ew = build_election_world(3, elected_without_ballot_when_uncontested=True)
    election = make_election(ew, seats=2)
    election_services.open_call(actor=ew.bureau, election=election)
    candidacies = nominate_all(ew, election, ew.cities[:2])
    shift(election, candidacy_deadline=-dt.timedelta(days=20))
    election_services.publish_candidates(actor=ew.bureau, election=election)
    election.refresh_from_db()
    # Changed by design: it now waits for its four-eyes release (test_election_release).
    assert election.status == ElectionStatus.TALLIED
    assert sorted(election.result["elected"]) == sorted(c.pk for c in candidacies)
    assert election.result["without_ballot"] is True


def test_after_the_tally_no_row_links_a_city_to_a_choice_or_tracker(ew):
    """The opened ballots have no city and no sealed ballot to point to, and a database
    reader holding every row cannot open the sealed ones (the key is nowhere)."""
    opened_fields = {f.name for f in OpenedBallot._meta.get_fields()}
    assert opened_fields == {"id", "election", "position", "tracker", "choices"}
    election = make_election(ew, seats=1, method="plurality")
    election, (a, b), ceremony = to_voting(ew, election, ew.cities[:2])
    trackers = [vote(ew, election, city, [a.pk])[1] for city in ew.cities]
    election = close_and_tally(ew, election, list(ceremony.shares[:2]))
    election.refresh_from_db()
    assert election.public_key is not None and len(bytes(election.public_key)) == 32
    for field in Election._meta.get_fields():
        value = getattr(election, field.name, None) if not field.is_relation else None
        assert not (isinstance(value, bytes | memoryview) and len(bytes(value)) != 32)
    with connection.cursor() as cursor:
        dump = ""
        system = ", xmin, ctid" if connection.vendor == "postgresql" else ""
        for table in connection.introspection.table_names():  # every table, the audit log too
            cursor.execute(f'SELECT *{system} FROM "{table}"')
            dump += repr(cursor.fetchall())
    for share in ceremony.shares:
        assert share.rsplit(":", 1)[1] not in dump
    for tracker in trackers:
        assert dump.count(tracker) == 1  # once, in the published list only


def test_verify_election_agrees_then_detects_a_tampered_result(ew, tmp_path):
    election = make_election(ew, seats=1, method="stv")
    election, (a, b, c), ceremony = to_voting(ew, election, ew.cities[:3])
    for city, ranking in zip(
        ew.cities, [[a.pk, b.pk], [b.pk], [c.pk, b.pk], [a.pk], [b.pk, a.pk]], strict=True
    ):
        vote(ew, election, city, ranking)
    election = close_and_tally(ew, election, list(ceremony.shares[:2]))
    out = io.StringIO()
    call_command("verify_election", str(election.pk), stdout=out)
    assert "agree" in out.getvalue()
    # The standalone script, from the downloaded file only.
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(election_services.published_bundle(election)))
    script = Path(__file__).resolve().parents[2] / "scripts" / "verify_election.py"
    run = subprocess.run(
        [sys.executable, str(script), str(path)], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stdout + run.stderr
    # A result changed in the database is caught.
    result = dict(election.result)
    result["elected"] = [c.pk]
    Election.objects.filter(pk=election.pk).update(result=result)
    with pytest.raises(CommandError, match="elected differs"):
        call_command("verify_election", str(election.pk), stdout=io.StringIO())
    # So is a ballot added to the published list.
    data = election_services.published_bundle(election)
    data["result"] = election_services.published_bundle(election)["result"] | {
        "elected": bundle.recount(data)["elected"]
    }
    data["ballots"].append({"tracker": "forged", "choices": [c.pk]})
    path.write_text(json.dumps(data))
    run = subprocess.run(
        [sys.executable, str(script), str(path)], capture_output=True, text=True, check=False
    )
    assert run.returncode == 1 and "MISMATCH" in run.stdout


def test_the_result_page_costs_the_same_queries_for_5_and_205_ballots(
    ew, client, django_assert_max_num_queries
):
    election = make_election(ew, seats=1, method="plurality")
    election, (a, _b), ceremony = to_voting(ew, election, ew.cities[:2])
    for city in ew.cities:
        vote(ew, election, city, [a.pk])
    election = close_and_tally(ew, election, list(ceremony.shares[:2]))
    url = election.get_absolute_url()
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    OpenedBallot.objects.bulk_create(
        OpenedBallot(election=election, position=100 + n, tracker=f"t{n}", choices=[a.pk])
        for n in range(200)
    )
    with django_assert_max_num_queries(len(small)):
        assert client.get(url).status_code == 200


def test_an_uncontested_election_verifies_too(db):
    ew = build_election_world(3, elected_without_ballot_when_uncontested=True)
    election = make_election(ew, seats=2)
    election_services.open_call(actor=ew.bureau, election=election)
    nominate_all(ew, election, ew.cities[:2])
    shift(election, candidacy_deadline=-dt.timedelta(days=20))
    election_services.publish_candidates(actor=ew.bureau, election=election)
    election.refresh_from_db()
    assert bundle.verify(election_services.published_bundle(election)) == []
