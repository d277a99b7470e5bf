"""Fixtures of the members tests: a small world of coalitions, cities and memberships."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from members.models import City, CoalitionKind, Membership, MembershipStatus
from tests.built_once import built_once
from tests.factories import (
    CityFactory,
    CoalitionFactory,
    CommitmentFactory,
    MembershipFactory,
    PlanFactory,
)


@built_once
def world():
    """Two coalitions, cities with accents and local names, members in every status."""
    iccar = CoalitionFactory(short_name="ICCAR", slug="iccar", kind=CoalitionKind.INTERNATIONAL)
    eccar = CoalitionFactory(short_name="ECCAR", slug="eccar", parent=iccar, name="European one")
    apcad = CoalitionFactory(short_name="APCAD", slug="apcad", parent=iccar, name="Asian one")
    plan = PlanFactory(coalition=eccar, adopted_on=dt.date(2004, 12, 10))
    for n in range(1, 4):
        CommitmentFactory(plan=plan, number=n, title=f"Commitment number {n}")

    def city(name, country, region="", local_name="", lat="47.0", lon="8.0"):
        return CityFactory(
            name=name,
            slug=name.lower().replace(" ", "-").replace("ü", "u").replace("ö", "o"),
            country=country,
            region=region,
            local_name=local_name,
            latitude=Decimal(lat),
            longitude=Decimal(lon),
        )

    cities = {
        "zurich": city("Zürich", "CH", "Canton of Zürich", lat="47.3769", lon="8.5417"),
        "koln": city("Köln", "DE", "North Rhine-Westphalia", local_name="Cologne"),
        "munich": city("Munich", "DE", "Bavaria", local_name="München"),
        "ghent": city("Ghent", "BE", "East Flanders", local_name="Gent"),
        "bangkok": city("Bangkok", "TH", "Bangkok"),
        "applicant": city("Hopeville", "FR", "Grand Est"),
        "withdrawn": city("Goneville", "FR", "Grand Est"),
        "excluded": city("Banville", "FR", "Grand Est"),
    }
    S = MembershipStatus
    MembershipFactory(city=cities["zurich"], coalition=eccar, signed_on=dt.date(2016, 9, 28))
    MembershipFactory(city=cities["koln"], coalition=eccar, signed_on=dt.date(2017, 6, 22))
    MembershipFactory(
        city=cities["munich"], coalition=eccar, signed_on=dt.date(2012, 7, 1), status=S.SUSPENDED
    )
    MembershipFactory(
        city=cities["ghent"],
        coalition=eccar,
        signed_on=dt.date(2006, 4, 3),
        report_overdue_since=dt.date(2025, 3, 1),
    )
    MembershipFactory(city=cities["bangkok"], coalition=apcad, signed_on=dt.date(2006, 8, 1))
    MembershipFactory(city=cities["applicant"], coalition=eccar, status=S.APPLICANT)
    MembershipFactory(city=cities["withdrawn"], coalition=eccar, status=S.WITHDRAWN)
    MembershipFactory(city=cities["excluded"], coalition=eccar, status=S.EXCLUDED)
    return {"iccar": iccar, "eccar": eccar, "apcad": apcad, "plan": plan, **cities}


def make_cities(n: int, coalition, *, prefix: str = "Bulk") -> None:
    """n public member cities in bulk (for query-count tests)."""
    cities = City.objects.bulk_create(
        City(
            name=f"{prefix} {i}",
            slug=f"{prefix.lower()}-{i}",
            country="DE" if i % 2 else "FR",
            region=f"Region {i % 7}",
            latitude=Decimal("50.0"),
            longitude=Decimal("8.0"),
            search_name=f"{prefix.lower()} {i}",
        )
        for i in range(n)
    )
    Membership.objects.bulk_create(
        Membership(city=c, coalition=coalition, status="member", signed_on=dt.date(2010, 1, 1))
        for c in cities
    )
