"""Benchmark of the member directory and the cities API at 100, 1,000 and 10,000 cities.

    .venv/bin/python bench/directory.py [--repeat 15]

Builds a throwaway database (its own SQLite file under var/, or a test database
next to DATABASE_URL when that is set, e.g. PostgreSQL), fills it with public
member cities, and prints the median server time of each page, measured with
Django's test Client (no network, no browser): the time Django takes to answer.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from decimal import Decimal

from support import median_ms, setup_database

SIZES = (100, 1_000, 10_000)
SYLLABLES = [
    "ber",
    "lin",
    "zü",
    "ric",
    "kö",
    "ln",
    "gra",
    "mal",
    "mö",
    "nan",
    "tes",
    "val",
    "bo",
    "lo",
    "gna",
    "ro",
    "ter",
    "dam",
    "lie",
    "ge",
    "sa",
    "mo",
    "ra",
    "cor",
]
COUNTRIES = ["DE", "FR", "IT", "ES", "BE", "NL", "AT", "CH", "SE", "PL", "PT", "GR", "NO"]
QUERY = "zurich"  # folded: matches the ten "Zürich ..." cities, the same ten at every size
FIXED_MATCHES = 10


def url_list() -> list[tuple[str, str]]:
    return [
        ("/cities/", "/cities/"),
        (f"/cities/?q={QUERY}", f"/cities/?q={QUERY}"),
        ("/api/v1/cities", "/api/v1/cities/"),
    ]


def grow_to(n: int, have: int, coalitions: list, rng: random.Random) -> None:
    """Add public member cities until there are n of them (bulk: this is setup, not measured)."""
    from members.models import City, Membership, search_spellings

    cities = []
    if have == 0 or not City.objects.filter(search_name__contains=QUERY).exists():
        for i in range(FIXED_MATCHES):
            cities.append(
                City(
                    name=f"Zürich {i}",
                    slug=f"zurich-{i}",
                    country="CH",
                    region="CH region 1",
                    latitude=Decimal("47.37"),
                    longitude=Decimal("8.54"),
                    search_name=search_spellings(f"Zürich {i}"),
                )
            )
        n -= FIXED_MATCHES
    for i in range(have, n):
        name = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()
        name = f"{name} {i}"
        country = rng.choice(COUNTRIES)
        cities.append(
            City(
                name=name,
                slug=f"bench-{i}",
                country=country,
                region=f"{country} region {rng.randint(1, 12)}",
                population=rng.randint(5_000, 3_000_000),
                latitude=Decimal(f"{rng.uniform(36, 69):.6f}"),
                longitude=Decimal(f"{rng.uniform(-9, 30):.6f}"),
                search_name=search_spellings(name),
            )
        )
    created = City.objects.bulk_create(cities, batch_size=1000)
    memberships = []
    for city in created:
        for coalition in rng.sample(coalitions, k=1 if rng.random() < 0.9 else 2):
            memberships.append(
                Membership(
                    city=city,
                    coalition=coalition,
                    status="member" if rng.random() < 0.9 else "suspended",
                    signed_on=dt.date(2004, 12, 10) + dt.timedelta(days=rng.randint(0, 7000)),
                )
            )
        # some cities that must never show: applicants and former members
        if rng.random() < 0.05:
            memberships.append(
                Membership(city=city, coalition=rng.choice(coalitions), status="withdrawn")
            )
    Membership.objects.bulk_create(memberships, batch_size=1000, ignore_conflicts=True)


def measure(client, url: str, repeat: int) -> float:
    def request():
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
        assert response.status_code == 200, (url, response.status_code)

    return median_ms(request, repeat)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15, help="requests per URL and size")
    args = parser.parse_args()

    connection, old_name = setup_database("bench-directory.sqlite3")
    try:
        from django.test import Client
        from django.test.utils import setup_test_environment

        from members.models import City, Coalition
        from members.seed import load_coalition_data

        setup_test_environment()
        load_coalition_data()
        coalitions = list(Coalition.objects.exclude(short_name="ICCAR"))
        client = Client()
        rng = random.Random(2004)
        vendor = connection.vendor
        print(
            f"Directory benchmark on {vendor} ({connection.settings_dict['NAME']}), "
            f"median of {args.repeat} requests, milliseconds of server time"
        )
        labels = [label for label, _ in url_list()]
        print(
            f"{'cities':>8} | "
            + " | ".join(f"{label:>18}" for label in labels)
            + f" | {'matches for q':>13} | {'/cities/ size':>13} | {'map points':>10}"
        )
        have = City.objects.count()
        for size in SIZES:
            grow_to(size + have, City.objects.count(), coalitions, rng)
            if vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            figures = [measure(client, url, args.repeat) for _, url in url_list()]
            matches = client.get(f"/cities/?q={QUERY}").context["page_obj"].paginator.count
            # The map embeds every match up to MAP_ALL_LIMIT: what that costs the page.
            directory = client.get("/cities/")
            points = len(directory.context["map_points"])
            print(
                f"{size:>8,} | "
                + " | ".join(f"{ms:>15.1f} ms" for ms in figures)
                + f" | {matches:>13} | {len(directory.content) / 1024:>10.0f} KB | {points:>10}"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
