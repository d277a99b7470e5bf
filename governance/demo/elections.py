"""Demo elections of ECCAR's steering committee (loaded by governance.demo, idempotent).

- the partial renewal of five seats for the next term, by Scottish STV, with its call for
  candidates open and three cities nominated (Potsdam by coordinator@demo, Graz by
  graz@demo, Rotterdam by rotterdam@demo, made Rotterdam's coordinator for it);
- a by-election for one added seat (plurality) whose voting window is open: Potsdam's
  delegate (delegate@demo) may cast a sealed ballot. Its key was split between
  committee@demo and bureau@demo when voting opened and the shares were shown to nobody,
  so its box can never be opened: that is the point of the design (ADR 0013). The browser
  journey in tests/governance/test_elections_browser.py walks a box from sealing to count.
- a counted by-election (plurality, Potsdam's sealed ballot opened by the two tellers'
  shares in the loader, which forgets them; its result released by the returning officer,
  bureau@demo, and confirmed by the other teller, committee@demo), in its challenge period:
  its published list
  and `manage.py verify_election ID` are there to try.
"""

from __future__ import annotations

import datetime as dt
import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from coalition.demo import seat_account
from governance.elections import crypto
from governance.letters import minimal_pdf
from governance.models import Election
from governance.services import election_release, elections
from members import services as members_services
from members.models import City, Coalition, Role, RoleKind

RENEWAL_TITLE = "Steering Committee election: partial renewal"
BY_ELECTION_TITLE = "Steering Committee by-election: one added seat"
COUNTED_TITLE = "Steering Committee by-election: counted, in its challenge period"


def load(eccar: Coalition, users: dict, *, term_ends_on: dt.date) -> None:
    if Election.objects.filter(coalition=eccar).exists():
        return
    _renewal(eccar, users, term_ends_on)
    _by_election(eccar, users, term_ends_on)
    _counted(eccar, users, term_ends_on)


def endorsement_letter(name: str) -> SimpleUploadedFile:
    content = minimal_pdf(
        [
            f"City of {name}: endorsement of our candidacy",
            "",
            f"The City of {name} presents its candidacy to the Steering Committee of ECCAR.",
            "",
            "The Mayor (demo data)",
        ]
    )
    return SimpleUploadedFile(f"{name}-endorsement.pdf", content, "application/pdf")


def _coordinator(users: dict, name: str):
    if name == "Potsdam":
        return users["coordinator"]
    if name == "Graz":
        return users["graz"]
    person = users[seat_account(name)]
    city = City.objects.get(name=name)
    if not Role.objects.current().filter(user=person, kind=RoleKind.COORDINATOR, city=city):
        members_services.grant_role(
            actor=users["admin"],
            user=person,
            kind=RoleKind.COORDINATOR,
            city=city,
            starts_on=dt.date(2024, 1, 1),
        )
    return person


def _nominate(election: Election, users: dict, names: list[str]) -> None:
    for name in names:
        city = City.objects.get(name=name)
        if elections.candidacy_refusals(election, city):
            continue  # the demo's fees may leave a city out: the demo stays loadable
        coordinator = _coordinator(users, name)
        person = users["delegate"] if name == "Potsdam" else users[seat_account(name)]
        elections.nominate_candidate(
            actor=coordinator,
            election=election,
            city=city,
            person=person,
            statement=(
                f"{name} has worked on the Ten-Point Plan for years and offers the committee"
                " its experience with local monitoring of discrimination (demo statement)."
            ),
            letter=endorsement_letter(name),
        )


def _renewal(eccar: Coalition, users: dict, term_ends_on: dt.date) -> None:
    now = timezone.now()
    term_starts_on = term_ends_on + dt.timedelta(days=1)
    outgoing = elections.vacancies(eccar, term_starts_on)[:5]
    election = elections.create_election(
        actor=users["bureau"],
        coalition=eccar,
        details=elections.ElectionDetails(
            title=RENEWAL_TITLE,
            method="stv",
            term_starts_on=term_starts_on,
            term_ends_on=dt.date(term_starts_on.year + 4, term_starts_on.month, 1)
            - dt.timedelta(days=1),
            candidacy_deadline=now + dt.timedelta(days=21),
            voting_opens_at=now + dt.timedelta(days=28),
            voting_closes_at=now + dt.timedelta(days=35),
            challenge_ends_on=timezone.localdate() + dt.timedelta(days=49),
        ),
        outgoing_seats=outgoing,
    )
    elections.open_call(actor=users["bureau"], election=election)
    _nominate(election, users, ["Potsdam", "Graz", "Rotterdam"])


def _by_election(
    eccar: Coalition, users: dict, term_ends_on: dt.date, title: str = BY_ELECTION_TITLE
):
    now = timezone.now()
    election = elections.create_election(
        actor=users["bureau"],
        coalition=eccar,
        details=elections.ElectionDetails(
            title=title,
            method="plurality",
            term_starts_on=timezone.localdate() + dt.timedelta(days=40),
            term_ends_on=term_ends_on,
            candidacy_deadline=now + dt.timedelta(days=1),
            voting_opens_at=now + dt.timedelta(days=2),
            voting_closes_at=now + dt.timedelta(days=14),
            challenge_ends_on=timezone.localdate() + dt.timedelta(days=28),
        ),
        outgoing_seats=[],
        additional_seats=1,
    )
    elections.open_call(actor=users["bureau"], election=election)
    _nominate(election, users, ["Heidelberg", "Nuremberg"])
    # The call closed yesterday (the demo compresses the timetable).
    Election.objects.filter(pk=election.pk).update(
        candidacy_deadline=now - dt.timedelta(days=1), voting_opens_at=now - dt.timedelta(days=1)
    )
    election.refresh_from_db()
    elections.publish_candidates(actor=users["bureau"], election=election)
    election.refresh_from_db()
    ceremony = elections.open_voting(
        actor=users["bureau"],
        election=election,
        tellers=[users["committee"], users["bureau"]],
        threshold=2,
    )
    election.refresh_from_db()
    return election, ceremony


def _counted(eccar: Coalition, users: dict, term_ends_on: dt.date) -> None:
    election, ceremony = _by_election(eccar, users, term_ends_on, title=COUNTED_TITLE)
    potsdam = City.objects.get(name="Potsdam")
    nuremberg = election.candidacies.filter(city__name="Nuremberg").first()
    if nuremberg is None or potsdam not in elections.cities_cast_by(election, users["delegate"]):
        return
    # What the ballot page's script does in the delegate's browser.
    ballot = {"election": election.pk, "tracker": "d3m0" * 8, "choices": [nuremberg.pk]}
    elections.cast_ballot(
        actor=users["delegate"],
        election=election,
        city=potsdam,
        ciphertext=crypto.seal(bytes(election.public_key), json.dumps(ballot).encode()),
    )
    Election.objects.filter(pk=election.pk).update(
        voting_closes_at=timezone.now() - dt.timedelta(seconds=1)
    )
    election.refresh_from_db()
    elections.close_voting(actor=users["bureau"], election=election)
    election.refresh_from_db()
    elections.tally(actor=users["committee"], election=election, shares=list(ceremony.shares))
    # Four eyes: the returning officer (bureau@demo) releases, the other teller confirms.
    election.refresh_from_db()
    election_release.release_result(actor=users["bureau"], election=election)
    election_release.confirm_release(actor=users["committee"], election=election)
