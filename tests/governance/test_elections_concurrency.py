"""Sealed ballots under concurrent requests, on PostgreSQL (skipped on SQLite; failed in CI)."""

from __future__ import annotations

import pytest

from governance.models import SealedBallot
from governance.services import GovernanceError
from governance.services import elections as election_services
from tests.governance.election_world import (
    build_election_world,
    make_election,
    sealed_ballot,
    to_voting,
)
from tests.governance.test_concurrency import run_at_once

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("revote", [False, True])
def test_ten_simultaneous_ballots_of_one_city_leave_one(postgres, transactional_db, revote):
    ew = build_election_world(2, election_revote_allowed=revote)
    election = make_election(ew, seats=1, method="plurality")
    election, (a, _b), _ceremony = to_voting(ew, election, ew.cities[:2])
    city = ew.cities[0]
    ciphertexts = [sealed_ballot(election, [a.pk])[0] for _ in range(10)]

    errors = run_at_once(
        [
            lambda c=c: election_services.cast_ballot(
                actor=ew.delegates[city.pk], election=election, city=city, ciphertext=c
            )
            for c in ciphertexts
        ]
    )

    assert SealedBallot.objects.filter(election=election, city=city).count() == 1
    assert all(isinstance(e, GovernanceError) for e in errors), errors
    assert len(errors) == (0 if revote else 9)
    stored = SealedBallot.objects.get(election=election, city=city)
    assert bytes(stored.ciphertext) in ciphertexts
