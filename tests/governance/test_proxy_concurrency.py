"""Proxies under concurrent requests, on PostgreSQL (skipped on SQLite; failed in CI).

- Twenty simultaneous proxy grants to one holder city never exceed the statute's cap (the
  holder city's row is locked); without the lock the same grants exceed it.
- Twenty simultaneous ballots for one city, through its delegate, its substitute (both
  checking in meanwhile, which ends the proxy) and the card holder of the city holding its
  proxy, leave exactly one ballot; without the constraint and the row locks, several.
"""

from __future__ import annotations

import contextlib
import time

import pytest
from django.db import connection

from governance.engine import polls as engine
from governance.models import CityBallot, PollElector, Proxy
from governance.services import GovernanceError, attendance, proxies
from governance.services import polls as services
from tests.governance.conftest import pdf_upload
from tests.governance.polls_support import sitting_room
from tests.governance.test_concurrency import run_at_once

pytestmark = pytest.mark.integration

CAP = 2


def _grants(room, holder):
    return [
        lambda city=city: proxies.register_proxy(
            actor=room.world.bureau,
            session=room.session,
            principal=city,
            holder=holder,
            signed_by_name="The Mayor",
            form=pdf_upload("proxy.pdf", "Proxy form"),
        )
        for city in room.cities[1:]
    ]


def test_twenty_simultaneous_grants_never_exceed_the_cap(postgres, transactional_db):
    room = sitting_room(21, present=1, proxies_allowed=True, proxy_cap=CAP)
    holder = room.cities[0]
    errors = run_at_once(_grants(room, holder))
    unexpected = [e for e in errors if not isinstance(e, GovernanceError)]
    assert not unexpected, " | ".join(str(e).replace("\n", " ") for e in unexpected)
    assert Proxy.objects.active().filter(holder=holder).count() == CAP
    assert len(errors) == 20 - CAP


def test_without_the_lock_the_same_grants_exceed_the_cap(postgres, transactional_db, monkeypatch):
    room = sitting_room(21, present=1, proxies_allowed=True, proxy_cap=CAP)
    holder = room.cities[0]
    store = proxies._store_form

    def slow_store(*args):
        time.sleep(0.2)  # the window between the count and the insert, widened
        return store(*args)

    monkeypatch.setattr(proxies, "_lock_cities", lambda *ids: None)
    monkeypatch.setattr(proxies, "_store_form", slow_store)
    run_at_once(_grants(room, holder))
    assert Proxy.objects.active().filter(holder=holder).count() > CAP


def _room_with_a_proxy_and_a_poll():
    room = sitting_room(3, present=1, proxies_allowed=True, proxy_cap=CAP)
    holder, principal = room.cities[0], room.cities[1]
    proxy = proxies.register_proxy(
        actor=room.world.bureau,
        session=room.session,
        principal=principal,
        holder=holder,
        signed_by_name="The Mayor",
        form=pdf_upload("proxy.pdf", "Proxy form"),
    )
    proxies.validate_proxy(actor=room.world.bureau, proxy=proxy)
    poll = services.open_poll(actor=room.chair, item=room.item, kind="motion", question="Q?")
    assert poll.electors.filter(city=principal).exists()
    return room, holder, principal, poll


def _attempts(room, holder, principal, poll):
    own = [room.delegates[principal.pk], room.substitutes[principal.pk]]
    proxy_holder = room.delegates[holder.pk].person

    def arrive_and_vote(registration, choice):
        # The first of them to arrive ends the proxy and takes the card.
        with contextlib.suppress(GovernanceError):
            attendance.check_in(actor=room.world.bureau, registration=registration, channel="desk")
        services.cast_ballot(actor=registration.person, poll=poll, choice=choice)

    calls = []
    for i in range(20):
        choice = ["yes", "no", "abstain"][i % 3]
        if i % 3 == 0:
            calls.append(lambda r=own[(i // 3) % 2], c=choice: arrive_and_vote(r, c))
        else:
            calls.append(
                lambda c=choice: services.cast_ballot(
                    actor=proxy_holder, poll=poll, choice=c, city=principal
                )
            )
    return calls


def test_twenty_simultaneous_ballots_through_delegate_substitute_and_proxy_leave_one(
    postgres, transactional_db
):
    room, holder, principal, poll = _room_with_a_proxy_and_a_poll()
    errors = run_at_once(_attempts(room, holder, principal, poll))
    unexpected = [e for e in errors if not isinstance(e, GovernanceError)]
    assert not unexpected, " | ".join(str(e).replace("\n", " ") for e in unexpected)
    assert CityBallot.objects.filter(poll=poll, city=principal).count() == 1
    ballot = CityBallot.objects.get(poll=poll, city=principal)
    assert ballot.cast_by_id in (
        room.delegates[principal.pk].person_id,
        room.substitutes[principal.pk].person_id,
        room.delegates[holder.pk].person_id,
    )
    assert len(errors) == 19


def test_without_the_constraint_and_the_locks_the_same_ballots_leave_several(
    postgres, transactional_db, monkeypatch
):
    room, holder, principal, poll = _room_with_a_proxy_and_a_poll()
    check = engine._check_choice

    def no_lock(poll, city_id):
        return PollElector.objects.filter(poll=poll, city_id=city_id).first()

    def proxy_without_lock(poll, city_id, proxy):
        return Proxy.objects.in_force().filter(pk=proxy.pk).exists()

    def slow_check(*args):
        time.sleep(0.2)  # the window between "no ballot yet" and the insert, widened
        return check(*args)

    monkeypatch.setattr(engine, "_lock_elector", no_lock)
    monkeypatch.setattr(engine, "_lock_proxy_in_force", proxy_without_lock)
    monkeypatch.setattr(engine, "_check_choice", slow_check)
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE governance_cityballot DROP CONSTRAINT poll_one_ballot_per_city")
    try:
        run_at_once(_attempts(room, holder, principal, poll))
        ballots = CityBallot.objects.filter(poll=poll, city=principal).count()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM governance_cityballot")
            cursor.execute(
                "ALTER TABLE governance_cityballot ADD CONSTRAINT poll_one_ballot_per_city "
                "UNIQUE (poll_id, city_id)"
            )
    assert ballots > 1
