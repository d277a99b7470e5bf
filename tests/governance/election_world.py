"""An election world for the tests: member cities with certified delegates, a committee
whose terms end before the new term, and helpers that walk an election through the
services as the pages do (the browser's sealing done by PyNaCl's SealedBox)."""

from __future__ import annotations

import datetime as dt
import json
import secrets
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from governance.elections import crypto
from governance.letters import minimal_pdf
from governance.models import Election, StatuteProfile
from governance.services import delegates
from governance.services import election_release as release_services
from governance.services import elections as election_services
from governance.services import seats as seat_services
from governance.services.statute import update_statute_profile
from members import services as members_services
from members.models import RoleKind
from tests.factories import UserFactory
from tests.governance.conftest import World, build_world


def letter(name: str = "endorsement.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, minimal_pdf(["Endorsement of our candidate", "The Mayor"]), "application/pdf"
    )


@dataclass
class ElectionWorld:
    world: World
    coordinators: dict = field(default_factory=dict)  # city pk -> coordinator
    delegates: dict = field(default_factory=dict)  # city pk -> delegate
    tellers: list = field(default_factory=list)

    @property
    def bureau(self):
        return self.world.bureau

    @property
    def cities(self):
        return self.world.cities


def certify(world: World, city, person, *, coordinator, role: str = "delegate"):
    certification = delegates.submit_certification(
        actor=coordinator,
        details=delegates.CertificationDetails(
            city=city,
            coalition=world.coalition,
            person=person,
            role=role,
            scope="standing",
            valid_from=timezone.localdate(),
            valid_until=None,
            signed_by_name="The Mayor",
            signed_by_office="Office of the Mayor",
        ),
        letter=letter("mandate.pdf"),
    )
    return delegates.validate_certification(actor=world.bureau, certification=certification)


def build_election_world(cities: int = 5, *, countries=None, **profile) -> ElectionWorld:
    world = build_world(voting_seats=cities)
    ew = ElectionWorld(world=world)
    countries = countries or ["DE"] * cities
    for n, city in enumerate(world.cities):
        if city.country != countries[n]:
            city.country = countries[n]
            city.save(update_fields=["country"])
        coordinator = UserFactory(email=f"coord{n}@example.org")
        members_services.grant_role(
            actor=world.admin,
            user=coordinator,
            kind=RoleKind.COORDINATOR,
            city=city,
            starts_on=dt.date(2020, 1, 1),
        )
        delegate = UserFactory(email=f"delegate{n}@example.org")
        certify(world, city, delegate, coordinator=coordinator)
        ew.coordinators[city.pk] = coordinator
        ew.delegates[city.pk] = delegate
    # The committee's terms end before the next term (which make_election starts in 60 days).
    for seat in world.seats:
        seat_services.update_seat(
            actor=world.admin, seat=seat, ends_on=timezone.localdate() + dt.timedelta(days=55)
        )
    ew.tellers = [world.seats[0].representative, world.seats[1].representative, world.bureau]
    if profile:
        current = StatuteProfile.current_for(world.coalition)
        values = {**current.values(), **profile}
        update_statute_profile(
            actor=world.bureau,
            coalition=world.coalition,
            values=values,
            sources={},
            valid_from=timezone.localdate(),
            adopted_on=None,
            note="Election rules for the test",
            based_on_version=0,
            confirm_loss_of_voting_rights=True,
        )
    return ew


def make_election(ew: ElectionWorld, *, method: str = "approval", seats: int = 2) -> Election:
    now = timezone.now()
    today = timezone.localdate()
    return election_services.create_election(
        actor=ew.bureau,
        coalition=ew.world.coalition,
        details=election_services.ElectionDetails(
            title="Steering committee election",
            method=method,
            term_starts_on=today + dt.timedelta(days=60),
            term_ends_on=today + dt.timedelta(days=60 + 730),
            candidacy_deadline=now + dt.timedelta(days=10),
            voting_opens_at=now + dt.timedelta(days=11),
            voting_closes_at=now + dt.timedelta(days=20),
            challenge_ends_on=today + dt.timedelta(days=30),
        ),
        outgoing_seats=election_services.vacancies(
            ew.world.coalition, today + dt.timedelta(days=60)
        )[:seats],
        additional_seats=0,
    )


def shift(election: Election, **deltas) -> Election:
    """Move the election's timetable (as time passing would): field=timedelta to add."""
    for name, delta in deltas.items():
        setattr(election, name, getattr(election, name) + delta)
    Election.objects.filter(pk=election.pk).update(
        **{name: getattr(election, name) for name in deltas}
    )
    election.refresh_from_db()
    return election


def end_window(election: Election) -> Election:
    """As if the voting window had ended a second ago."""
    Election.objects.filter(pk=election.pk).update(
        voting_opens_at=election.candidacy_deadline,
        voting_closes_at=timezone.now() - dt.timedelta(seconds=1),
    )
    election.refresh_from_db()
    return election


def nominate_all(ew: ElectionWorld, election: Election, cities) -> list:
    return [
        election_services.nominate_candidate(
            actor=ew.coordinators[city.pk],
            election=election,
            city=city,
            person=ew.delegates[city.pk],
            statement=f"{city.name} stands for the committee.",
            letter=letter(),
        )
        for city in cities
    ]


def to_voting(ew: ElectionWorld, election: Election, candidates_cities, *, threshold: int = 2):
    election_services.open_call(actor=ew.bureau, election=election)
    candidacies = nominate_all(ew, election, candidates_cities)
    election = shift(election, candidacy_deadline=-dt.timedelta(days=20))
    election_services.publish_candidates(actor=ew.bureau, election=election)
    election.refresh_from_db()
    ceremony = election_services.open_voting(
        actor=ew.bureau, election=election, tellers=ew.tellers, threshold=threshold
    )
    election.refresh_from_db()
    return election, candidacies, ceremony


def sealed_ballot(election: Election, choices: list[int], tracker: str | None = None):
    """What the ballot page's script sends: the ballot JSON sealed to the public key."""
    tracker = tracker or secrets.token_hex(16)
    plaintext = json.dumps({"election": election.pk, "tracker": tracker, "choices": choices})
    return crypto.seal(bytes(election.public_key), plaintext.encode()), tracker


def vote(ew: ElectionWorld, election: Election, city, choices: list[int]):
    ciphertext, tracker = sealed_ballot(election, choices)
    ballot = election_services.cast_ballot(
        actor=ew.delegates[city.pk], election=election, city=city, ciphertext=ciphertext
    )
    return ballot, tracker


def close_and_count(ew: ElectionWorld, election: Election, shares: list[str]) -> Election:
    """Closed and counted by a teller: the result awaits its four-eyes release."""
    end_window(election)
    election_services.close_voting(actor=ew.bureau, election=election)
    election.refresh_from_db()
    return election_services.tally(actor=ew.tellers[0], election=election, shares=shares)


def release_and_confirm(ew: ElectionWorld, election: Election) -> Election:
    """The bureau (the returning officer) releases, another teller confirms: published."""
    release_services.release_result(actor=ew.bureau, election=election)
    return release_services.confirm_release(actor=ew.tellers[1], election=election)


def close_and_tally(ew: ElectionWorld, election: Election, shares: list[str]) -> Election:
    """Closed, counted, released and confirmed: the result is public, the period runs."""
    return release_and_confirm(ew, close_and_count(ew, election, shares))
