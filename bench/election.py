"""Benchmark of a secret election as the electorate grows to 50 and 500 member cities.

    .venv/bin/python bench/election.py [--repeat 11]

Builds a throwaway database (see support.setup_database), gives a coalition N member cities
each with a validated delegate (rows written directly: the certification's own path is
measured elsewhere), runs an approval election for 5 seats through the services, and
prints: the server time to cast one sealed ballot (the service, median), the time to tally
the whole box (k = 2 shares: recombine, open, shuffle, store, count), and the result page's
time and query count (which must not grow with N).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import secrets
import time

from support import median_ms, setup_database

SIZES = (50, 500)


def build(n: int):
    from django.utils import timezone

    from coalition.models import User
    from governance.models import DelegateCertification, Election
    from governance.services import elections as services
    from members.models import City, Coalition

    coalition = Coalition.objects.create(name=f"Bench {n}", short_name=f"B{n}", slug=f"b{n}")
    cities = City.objects.bulk_create(
        City(name=f"Bench {n}-{i}", slug=f"bench-{n}-{i}", country=["DE", "FR", "IT"][i % 3])
        for i in range(n)
    )
    from members import services as members_services

    for c in cities:  # through the service: voting rights read the membership's history
        members_services.create_membership(
            actor=None, city=c, coalition=coalition, signed_on=dt.date(2010, 1, 1)
        )
    people = User.objects.bulk_create(
        User(email=f"delegate-{n}-{i}@bench.example", full_name=f"Delegate {i}") for i in range(n)
    )
    bureau = User.objects.create(email=f"bureau-{n}@bench.example", is_superuser=True)
    today = timezone.localdate()
    DelegateCertification.objects.bulk_create(
        DelegateCertification(
            city=c,
            coalition=coalition,
            person=p,
            role="delegate",
            scope="standing",
            valid_from=today,
            status="validated",
            mandate_letter="bench.pdf",
            mandate_letter_filename="bench.pdf",
            signed_by_name="Mayor",
            signed_by_office="Office",
            submitted_by=p,
            validated_by=bureau,
            validated_at=timezone.now(),
        )
        for c, p in zip(cities, people, strict=True)
    )
    now = timezone.now()
    election = services.create_election(
        actor=bureau,
        coalition=coalition,
        details=services.ElectionDetails(
            title="Bench election",
            method="approval",
            term_starts_on=today + dt.timedelta(days=60),
            term_ends_on=today + dt.timedelta(days=800),
            candidacy_deadline=now + dt.timedelta(days=1),
            voting_opens_at=now + dt.timedelta(days=2),
            voting_closes_at=now + dt.timedelta(days=9),
            challenge_ends_on=today + dt.timedelta(days=20),
        ),
        outgoing_seats=[],
        additional_seats=5,
    )
    services.open_call(actor=bureau, election=election)
    from governance.models import Candidacy

    candidacies = [
        Candidacy.objects.create(
            election=election,
            city=c,
            person=p,
            statement="Bench",
            endorsement_letter="bench.pdf",
        )
        for c, p in zip(cities[:8], people[:8], strict=True)
    ]
    Election.objects.filter(pk=election.pk).update(
        candidacy_deadline=now - dt.timedelta(minutes=1), voting_opens_at=now
    )
    election.refresh_from_db()
    services.publish_candidates(actor=bureau, election=election)
    election.refresh_from_db()
    ceremony = services.open_voting(
        actor=bureau, election=election, tellers=[bureau, people[0]], threshold=2
    )
    election.refresh_from_db()
    return election, cities, people, candidacies, ceremony, bureau


def sealed(election, choices):
    from governance.elections import crypto

    body = {"election": election.pk, "tracker": secrets.token_hex(16), "choices": choices}
    return crypto.seal(bytes(election.public_key), json.dumps(body).encode())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=11)
    args = parser.parse_args()
    connection, old_name = setup_database("bench-election.sqlite3")
    from django.db import connection as db
    from django.test import Client
    from django.utils import timezone

    from governance.models import Election
    from governance.services import elections as services

    print(f"database: {db.vendor}")
    try:
        for n in SIZES:
            election, cities, people, candidacies, ceremony, bureau = build(n)
            ids = [c.pk for c in candidacies]
            cast_times = []
            for i, (city, person) in enumerate(zip(cities, people, strict=True)):
                ciphertext = sealed(election, [ids[i % 8], ids[(i + 3) % 8]])
                start = time.perf_counter()
                services.cast_ballot(
                    actor=person, election=election, city=city, ciphertext=ciphertext
                )
                cast_times.append(time.perf_counter() - start)
            cast_times.sort()
            Election.objects.filter(pk=election.pk).update(
                voting_closes_at=timezone.now() - dt.timedelta(seconds=1),
                voting_opens_at=election.candidacy_deadline,
            )
            election.refresh_from_db()
            services.close_voting(actor=bureau, election=election)
            election.refresh_from_db()
            start = time.perf_counter()
            services.tally(actor=bureau, election=election, shares=list(ceremony.shares))
            tally_ms = (time.perf_counter() - start) * 1000
            client = Client()
            url = f"/elections/{election.pk}/"

            def page(client=client, url=url):
                assert client.get(url).status_code == 200

            executed = []

            def count(execute, sql, params, many, context, executed=executed):
                executed.append(sql)
                return execute(sql, params, many, context)

            with db.execute_wrapper(count):
                page()
            ms = median_ms(page, args.repeat)
            print(
                f"{n:>4} cities: cast one ballot {cast_times[len(cast_times) // 2] * 1000:.1f} ms"
                f" (median), tally {tally_ms:.0f} ms, result page {ms:.1f} ms"
                f" / {len(executed)} queries"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
