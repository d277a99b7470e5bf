"""Demo memberships and roles (see coalition.demo). Idempotent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import translation

from members import services
from members.models import (
    City,
    Coalition,
    CoalitionKind,
    Commitment,
    Membership,
    PlanOfAction,
    Role,
    RoleKind,
)
from members.seed_translations import fill_missing

D = dt.date

# Cities that are not in the public-record seed but are real ECCAR members,
# useful for the directory's accent-insensitive search.
EXTRA_CITIES = [
    ("Zürich", "", "CH", "Canton of Zürich", 47.3769, 8.5417, 421_000),
    ("Köln", "Cologne", "DE", "North Rhine-Westphalia", 50.9375, 6.9603, 1_080_000),
    ("Barcelona", "", "ES", "Catalonia", 41.3874, 2.1686, 1_620_000),
    ("Bern", "", "CH", "Canton of Bern", 46.9480, 7.4474, 134_000),
    # Members of a demo national coalition only (below).
    ("Dresden", "", "DE", "Saxony", 51.0504, 13.7373, 560_000),
    ("Sevilla", "Seville", "ES", "Andalusia", 37.3891, -5.9845, 680_000),
]

# Demo national coalitions inside ECCAR (DOMAIN.md: a regional coalition may support
# national ones). Invented for the demo, and said so: short name, slug, name, parent.
NATIONAL_COALITIONS = [
    ("ECCAR-DE", "eccar-de", "German national coalition of ECCAR cities (demo)", "ECCAR"),
    ("ECCAR-ES", "eccar-es", "Spanish national coalition of ECCAR cities (demo)", "ECCAR"),
]

NATIONAL_NAMES = {
    "ECCAR-DE": {
        "fr": "Coalition nationale allemande des villes de l'ECCAR (démo)",
        "de": "Deutsche nationale Koalition der ECCAR-Städte (Demo)",
        "es": "Coalición nacional alemana de ciudades de ECCAR (demo)",
        "ar": "التحالف الوطني الألماني لمدن ECCAR (تجريبي)",
    },
    "ECCAR-ES": {
        "fr": "Coalition nationale espagnole des villes de l'ECCAR (démo)",
        "de": "Spanische nationale Koalition der ECCAR-Städte (Demo)",
        "es": "Coalición nacional española de ciudades de ECCAR (demo)",
        "ar": "التحالف الوطني الإسباني لمدن ECCAR (تجريبي)",
    },
}

# The Arab Coalition's plan, for the demo only (its text is not in the seeds): written and
# adopted in Arabic, the authoritative language, with English translations of the titles.
ARAB_PLAN: dict[str, Any] = {
    "adopted_on": D(2008, 6, 25),
    "adopted_place": "الدار البيضاء",
    "title": {
        "ar": "خطة عمل تحالف المدن العربية (بيانات تجريبية)",
        "en": "Plan of action of the Arab Coalition (demo data)",
    },
    "commitments": [
        (
            1,
            {
                "ar": "رصد العنصرية والتمييز في المدينة",
                "en": "Monitoring racism and discrimination in the city",
            },
            "إنشاء شبكة لرصد الأفعال العنصرية بالتعاون مع جمعيات المجتمع المدني.",
        ),
        (
            2,
            {
                "ar": "دعم ضحايا العنصرية والتمييز",
                "en": "Supporting the victims of racism and discrimination",
            },
            "توفير الإرشاد القانوني والنفسي للضحايا في مكاتب الأحياء.",
        ),
        (
            3,
            {"ar": "التربية على التنوع والتسامح", "en": "Education for diversity and tolerance"},
            "برامج مدرسية عن التنوع الثقافي واحترام الآخر.",
        ),
    ],
}


def _arab_coalition_plan() -> None:
    """The demo plan of the Arab Coalition, so that Casablanca can report in Arabic."""
    arab = Coalition.objects.filter(short_name="Arab Coalition").first()
    if arab is None or arab.plans.exists():
        return
    if fill_missing(
        arab,
        "description",
        {
            "ar": "تحالف المدن العربية لمناهضة العنصرية والتمييز "
            "وكراهية الأجانب والتعصب، أُطلق في الدار البيضاء سنة 2008."
        },
    ):
        arab.save(update_fields=["description_ar"])
    with translation.override("ar"):
        plan = PlanOfAction.objects.create(
            coalition=arab,
            adopted_on=ARAB_PLAN["adopted_on"],
            adopted_place=ARAB_PLAN["adopted_place"],
            title=ARAB_PLAN["title"]["ar"],
            title_en=ARAB_PLAN["title"]["en"],
            source_language="ar",
        )
        for number, title, summary in ARAB_PLAN["commitments"]:
            Commitment.objects.create(
                plan=plan,
                number=number,
                title=title["ar"],
                title_en=title["en"],
                summary=summary,
                source_language="ar",
            )


# city, country, coalition, signed on
MEMBERSHIPS = [
    ("Nuremberg", "DE", "ECCAR", D(2004, 12, 10)),
    ("Potsdam", "DE", "ECCAR", D(2004, 12, 10)),
    ("Berlin", "DE", "ECCAR", D(2005, 3, 21)),
    ("Bologna", "IT", "ECCAR", D(2005, 6, 1)),
    ("Toulouse", "FR", "ECCAR", D(2006, 1, 17)),
    ("Ghent", "BE", "ECCAR", D(2006, 4, 3)),
    ("Graz", "AT", "ECCAR", D(2006, 9, 12)),
    ("Rotterdam", "NL", "ECCAR", D(2007, 2, 1)),
    ("Malmö", "SE", "ECCAR", D(2007, 5, 15)),
    ("Botkyrka", "SE", "ECCAR", D(2008, 3, 10)),
    ("Nantes", "FR", "ECCAR", D(2008, 11, 20)),
    ("Liège", "BE", "ECCAR", D(2009, 4, 2)),
    ("Villeurbanne", "FR", "ECCAR", D(2009, 11, 19)),
    ("Metz", "FR", "ECCAR", D(2010, 6, 8)),
    ("Nancy", "FR", "ECCAR", D(2011, 10, 4)),
    ("Munich", "DE", "ECCAR", D(2012, 7, 1)),
    ("Karlsruhe", "DE", "ECCAR", D(2013, 3, 14)),
    ("Esch-sur-Alzette", "LU", "ECCAR", D(2014, 5, 6)),
    ("Heidelberg", "DE", "ECCAR", D(2015, 2, 9)),
    ("Zürich", "CH", "ECCAR", D(2016, 9, 28)),
    ("Köln", "DE", "ECCAR", D(2017, 6, 22)),
    ("Barcelona", "ES", "ECCAR", D(2019, 3, 21)),
    ("Bern", "CH", "ECCAR", D(2021, 11, 17)),
    ("Nairobi", "KE", "ACCAR", D(2006, 9, 1)),
    ("Bamako", "ML", "ACCAR", D(2007, 2, 1)),
    ("Durban", "ZA", "ACCAR", D(2007, 2, 1)),
    ("Kigali", "RW", "ACCAR", D(2008, 5, 1)),
    ("Casablanca", "MA", "Arab Coalition", D(2008, 6, 25)),
    ("Bangkok", "TH", "APCAD", D(2006, 8, 1)),
    ("Auckland", "NZ", "APCAD", D(2016, 1, 1)),
    ("Calgary", "CA", "CMARD", D(2007, 1, 1)),
    ("Montevideo", "UY", "LAC Coalition", D(2006, 10, 1)),
    ("Birmingham", "US", "USCCAR", D(2013, 9, 12)),
    # Members of ECCAR through its national coalitions only: its card and page count them.
    ("Dresden", "DE", "ECCAR-DE", D(2020, 9, 14)),
    ("Sevilla", "ES", "ECCAR-ES", D(2022, 4, 7)),
]

# demo account, role, city (for city roles) or coalition short name, publish contact
ROLES = [
    ("bureau", RoleKind.BUREAU, "ECCAR", False),
    ("secretariat", RoleKind.SECRETARIAT, "ECCAR", False),
    ("coordinator", RoleKind.COORDINATOR, "Potsdam", True),
]
# delegate@demo is Potsdam's delegate through a validated certification (governance.demo),
# which grants the delegate role as the portal does.


def load(*, users: dict) -> None:
    admin = users["admin"]
    for name, local, country, region, lat, lon, population in EXTRA_CITIES:
        if not City.objects.filter(name=name, country=country).exists():
            services.create_city(
                actor=admin,
                name=name,
                country=country,
                local_name=local,
                region=region,
                latitude=Decimal(str(lat)),
                longitude=Decimal(str(lon)),
                population=population,
            )
    coalitions = {c.short_name: c for c in Coalition.objects.all()}
    for short, slug, name, parent in NATIONAL_COALITIONS:
        if short not in coalitions:
            # Reference data, as the seed writes it (the admin audits later edits).
            coalitions[short] = Coalition.objects.create(
                short_name=short,
                slug=slug,
                name=name,
                kind=CoalitionKind.NATIONAL,
                parent=coalitions[parent],
                description="A national coalition invented for the demo data.",
            )
    for short, names in NATIONAL_NAMES.items():
        if short in coalitions and (changed := fill_missing(coalitions[short], "name", names)):
            coalitions[short].save(update_fields=changed)
    _arab_coalition_plan()
    for city_name, country, short, signed_on in MEMBERSHIPS:
        city = City.objects.get(name=city_name, country=country)
        coalition = coalitions[short]
        if not Membership.objects.filter(city=city, coalition=coalition).exists():
            services.create_membership(
                actor=admin,
                city=city,
                coalition=coalition,
                signed_on=signed_on,
                reason="Signed the plan of action (demo data).",
            )
    for account, kind, scope, public in ROLES:
        user = users[account]
        if Role.objects.filter(user=user, kind=kind).exists():
            continue
        if kind in (RoleKind.BUREAU, RoleKind.SECRETARIAT):
            services.grant_role(
                actor=admin,
                user=user,
                kind=kind,
                coalition=coalitions[scope],
                starts_on=D(2024, 1, 1),
            )
        else:
            services.grant_role(
                actor=admin,
                user=user,
                kind=kind,
                city=City.objects.get(name=scope),
                starts_on=D(2024, 1, 1),
                contact_public=public,
            )
