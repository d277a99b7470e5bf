"""The coalitions as the public record has them (../shared/DOMAIN.md), as seed data.

Staff can correct every value afterwards; loading is idempotent and never
overwrites a record that already exists (it only fills in what is missing).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import translation

from members import seed_translations
from members.models import City, Coalition, Commitment, LeadCity, PlanOfAction
from members.services import unique_city_slug

D = dt.date

# name, local name, country, region, latitude, longitude, population (approximate)
CITIES: list[tuple[str, str, str, str, float, float, int | None]] = [
    ("Rotterdam", "", "NL", "South Holland", 51.9244, 4.4777, 655_000),
    ("Berlin", "", "DE", "Berlin", 52.5200, 13.4050, 3_755_000),
    ("Bologna", "", "IT", "Emilia-Romagna", 44.4949, 11.3426, 390_000),
    ("Botkyrka", "", "SE", "Stockholm County", 59.2000, 17.8300, 96_000),
    (
        "Esch-sur-Alzette",
        "Esch-Uelzecht",
        "LU",
        "Canton of Esch-sur-Alzette",
        49.4958,
        5.9806,
        37_000,
    ),
    ("Ghent", "Gent", "BE", "East Flanders", 51.0543, 3.7174, 265_000),
    ("Graz", "", "AT", "Styria", 47.0707, 15.4395, 300_000),
    ("Karlsruhe", "", "DE", "Baden-Württemberg", 49.0069, 8.4037, 308_000),
    ("Liège", "Lîdje", "BE", "Liège Province", 50.6326, 5.5797, 195_000),
    ("Malmö", "", "SE", "Skåne County", 55.6050, 13.0038, 360_000),
    ("Metz", "", "FR", "Grand Est", 49.1193, 6.1757, 120_000),
    ("Munich", "München", "DE", "Bavaria", 48.1351, 11.5820, 1_510_000),
    ("Nancy", "", "FR", "Grand Est", 48.6921, 6.1844, 105_000),
    ("Nantes", "", "FR", "Pays de la Loire", 47.2184, -1.5536, 320_000),
    ("Potsdam", "", "DE", "Brandenburg", 52.3906, 13.0645, 185_000),
    ("Toulouse", "", "FR", "Occitanie", 43.6047, 1.4442, 505_000),
    ("Villeurbanne", "", "FR", "Auvergne-Rhône-Alpes", 45.7719, 4.8902, 155_000),
    ("Nuremberg", "Nürnberg", "DE", "Bavaria", 49.4521, 11.0767, 525_000),
    ("Heidelberg", "", "DE", "Baden-Württemberg", 49.3988, 8.6724, 160_000),
    ("Nairobi", "", "KE", "Nairobi County", -1.2921, 36.8219, 4_400_000),
    ("Bamako", "", "ML", "Bamako District", 12.6392, -8.0029, 2_800_000),
    ("Durban", "eThekwini", "ZA", "KwaZulu-Natal", -29.8587, 31.0218, 3_900_000),
    ("Kigali", "", "RW", "Kigali", -1.9441, 30.0619, 1_750_000),
    ("Casablanca", "الدار البيضاء", "MA", "Casablanca-Settat", 33.5731, -7.5898, 3_300_000),
    ("Bangkok", "กรุงเทพมหานคร", "TH", "Bangkok", 13.7563, 100.5018, 10_500_000),
    ("Auckland", "Tāmaki Makaurau", "NZ", "Auckland", -36.8485, 174.7633, 1_700_000),
    ("Calgary", "", "CA", "Alberta", 51.0447, -114.0719, 1_300_000),
    ("Montevideo", "", "UY", "Montevideo", -34.9011, -56.1645, 1_380_000),
    ("Birmingham", "", "US", "Alabama", 33.5186, -86.8104, 200_000),
]

# short name, slug, name, kind, parent, founded, precision, place, office, website, description
COALITIONS = [
    (
        "ICCAR",
        "iccar",
        "International Coalition of Inclusive and Sustainable Cities",
        "international",
        None,
        D(2004, 3, 1),
        "month",
        "Paris",
        "UNESCO, Paris",
        "https://www.unesco.org/en/sustainable-cities/iccar",
        "Launched by UNESCO in March 2004 (formerly the International Coalition of Cities "
        "against Racism) to establish a network of cities sharing experience to improve their "
        "policies against racism, discrimination, xenophobia and exclusion. Revitalised in 2014, "
        "it has over 500 member cities, organised in regional and national coalitions.",
    ),
    (
        "ACCAR",
        "african-coalition",
        "African Coalition of Cities against Racism and Discrimination",
        "regional",
        "ICCAR",
        D(2006, 9, 1),
        "month",
        "Nairobi, Kenya",
        "Nairobi",
        "",
        "Launched in September 2006 in Nairobi, Kenya.",
    ),
    (
        "Arab Coalition",
        "arab-coalition",
        "Coalition of Arab Cities against Racism, Discrimination, Xenophobia and Intolerance",
        "regional",
        "ICCAR",
        D(2008, 6, 25),
        "day",
        "Casablanca, Morocco",
        "Casablanca",
        "",
        "Officially launched at a ceremony held in Casablanca, the city designated as leader "
        "of the network, on 25 June 2008.",
    ),
    (
        "APCAD",
        "apcad",
        "Asia-Pacific Coalition of Cities against Discrimination",
        "regional",
        "ICCAR",
        D(2006, 8, 1),
        "month",
        "Bangkok, Thailand",
        "Bangkok",
        "",
        "Founded in August 2006 in Bangkok and officially launched in October 2007 at the "
        "second United Cities and Local Governments (UCLG) World Congress in Jeju, Korea.",
    ),
    (
        "CMARD",
        "cmard",
        "Canadian Coalition of Municipalities against Racism and Discrimination",
        "regional",
        "ICCAR",
        D(2007, 1, 1),
        "year",
        "Calgary, Alberta",
        "Calgary",
        "",
        "Officially launched in Calgary (Alberta) in 2007; renamed the Coalition of Inclusive "
        "Municipalities in 2019. Its plan groups ten commitments under three headings.",
    ),
    (
        "ECCAR",
        "eccar",
        "European Coalition of Cities against Racism",
        "regional",
        "ICCAR",
        D(2004, 12, 10),
        "day",
        "Nuremberg, Germany",
        "Potsdam",
        "https://www.eccar.info",
        "Established in Nuremberg on 10 December 2004, when the Ten-Point Plan of Action was "
        "adopted. Signatory cities integrate the plan into their strategies and commit human, "
        "financial and material resources to it. Its office was located in Potsdam (later in "
        "Heidelberg).",
    ),
    (
        "LAC Coalition",
        "latin-america-caribbean",
        "Coalition of Latin American and Caribbean Cities against Racism, Discrimination and "
        "Xenophobia",
        "regional",
        "ICCAR",
        D(2006, 10, 1),
        "month",
        "Montevideo, Uruguay",
        "Montevideo",
        "",
        "Launched in October 2006 in Montevideo, Uruguay.",
    ),
    (
        "USCCAR",
        "us-coalition",
        "U.S. Coalition of Cities against Racism and Discrimination",
        "regional",
        "ICCAR",
        D(2013, 9, 12),
        "day",
        "Birmingham, Alabama",
        "",
        "",
        "Launched on 12 September 2013 in Birmingham, Alabama. Its plan has five collective "
        "and five local steps.",
    ),
]

# coalition, city, country, from, until, note
LEAD_CITIES = [
    ("ACCAR", "Nairobi", "KE", D(2006, 9, 1), None, ""),
    ("ACCAR", "Bamako", "ML", None, None, ""),
    ("ACCAR", "Durban", "ZA", None, None, ""),
    ("ACCAR", "Kigali", "RW", None, None, ""),
    ("Arab Coalition", "Casablanca", "MA", D(2008, 6, 25), None, ""),
    ("APCAD", "Bangkok", "TH", D(2006, 8, 1), D(2015, 12, 31), ""),
    ("APCAD", "Auckland", "NZ", D(2016, 1, 1), None, ""),
    ("CMARD", "Calgary", "CA", D(2007, 1, 1), None, ""),
    ("ECCAR", "Potsdam", "DE", D(2004, 12, 10), None, "Seat of the office"),
    ("LAC Coalition", "Montevideo", "UY", D(2006, 10, 1), None, ""),
]

ECCAR_PLAN: dict[str, Any] = {
    "title": "Ten-Point Plan of Action",
    "adopted_on": D(2004, 12, 10),
    "adopted_place": "Nuremberg",
    "introduction": (
        "Signatory cities undertake to integrate the Plan of Action within their strategies "
        "and action programmes and to commit to it the human, financial and material resources "
        "required for its effective implementation. At least one action under each commitment "
        "is asked of every signatory city."
    ),
    # number, title, summary, example actions, sensitive
    "commitments": [
        (
            1,
            "Greater vigilance against racism",
            "Set up a monitoring, vigilance and solidarity network against racism at the level of "
            "the city.",
            "Create a consultation network with civil society actors\n"
            "Set up an early warning system for racist acts",
            False,
        ),
        (
            2,
            "Assessing racism and discrimination and monitoring municipal policies",
            "Collect data on racism and discrimination, set achievable objectives and develop "
            "indicators to assess the impact of municipal policies.",
            "Commission an annual study of discrimination in the city\n"
            "Define indicators for every municipal policy",
            False,
        ),
        (
            3,
            "Better support for the victims of racism and discrimination",
            "Support victims and help them defend themselves against racism and discrimination.",
            "Set up a municipal office for victims' support\nFund legal counselling for victims",
            True,
        ),
        (
            4,
            "More participation and better informed city dwellers",
            "Ensure that city dwellers are better informed of their rights and obligations, of "
            "protection measures, legal options and penalties for racist acts.",
            "Publish a guide to residents' rights in several languages\n"
            "Hold public consultations with affected communities",
            False,
        ),
        (
            5,
            "The city as an active supporter of equal opportunity practices",
            "Support equal opportunities in the labour market through municipal measures.",
            "Add anti-discrimination clauses to municipal contracts\n"
            "Award a label to employers with fair practices",
            False,
        ),
        (
            6,
            "The city as an equal opportunities employer and service provider",
            "Commit the city as employer and service provider to equal opportunities and "
            "diversity.",
            "Train municipal staff in diversity management\nReview recruitment procedures for bias",
            False,
        ),
        (
            7,
            "Fair access to housing",
            "Take active steps to strengthen policies against housing discrimination within the "
            "city.",
            "Test letting agencies for discrimination\n"
            "Adopt a charter with social housing providers",
            False,
        ),
        (
            8,
            "Challenging racism and discrimination through education",
            "Strengthen measures against unequal access to and enjoyment of education, and promote "
            "tolerance and intercultural understanding through education.",
            "Run anti-racism workshops in schools\nAward a prize for anti-racist school projects",
            False,
        ),
        (
            9,
            "Promoting cultural diversity",
            "Promote the diversity of cultural programmes, collective memory and public space, and "
            "the cultural life of the city's communities.",
            "Fund festivals of the city's communities\n"
            "Name public places after figures of diverse origins",
            False,
        ),
        (
            10,
            "Hate crimes and conflict management",
            "Support or establish mechanisms for dealing with hate crimes and conflict management.",
            "Train mediators for neighbourhood conflicts\n"
            "Agree a reporting protocol for hate crimes with the police",
            True,
        ),
    ],
}


@transaction.atomic
@translation.override(settings.LANGUAGE_CODE)  # the seeds are English, the authoritative text
def load_coalition_data() -> dict[str, int]:
    """Create what is missing from the public record. Returns how many rows it created."""
    created = {"cities": 0, "coalitions": 0, "lead_cities": 0, "plans": 0, "commitments": 0}
    for name, local, country, region, lat, lon, population in CITIES:
        city = City.objects.filter(name=name, country=country).first()
        if city is None:
            city = City(
                name=name,
                local_name=local,
                country=country,
                region=region,
                latitude=Decimal(str(lat)),
                longitude=Decimal(str(lon)),
                population=population,
                slug=unique_city_slug(name, country),
            )
            city.save()
            created["cities"] += 1

    by_short: dict[str, Coalition] = {}
    for (
        short,
        slug,
        name,
        kind,
        parent,
        founded,
        precision,
        place,
        office,
        site,
        desc,
    ) in COALITIONS:
        coalition, was_created = Coalition.objects.get_or_create(
            short_name=short,
            defaults={
                "slug": slug,
                "name": name,
                "kind": kind,
                "parent": by_short.get(parent) if parent else None,
                "founded_on": founded,
                "founded_precision": precision,
                "founded_place": place,
                "office_seat": office,
                "website": site,
                "description": desc,
            },
        )
        created["coalitions"] += was_created
        by_short[short] = coalition

    for short, city_name, country, starts_on, ends_on, note in LEAD_CITIES:
        city = City.objects.get(name=city_name, country=country)
        _, was_created = LeadCity.objects.get_or_create(
            coalition=by_short[short],
            city=city,
            starts_on=starts_on,
            defaults={"ends_on": ends_on, "note": note},
        )
        created["lead_cities"] += was_created

    plan, was_created = PlanOfAction.objects.get_or_create(
        coalition=by_short["ECCAR"],
        adopted_on=ECCAR_PLAN["adopted_on"],
        defaults={
            "title": ECCAR_PLAN["title"],
            "adopted_place": ECCAR_PLAN["adopted_place"],
            "introduction": ECCAR_PLAN["introduction"],
        },
    )
    created["plans"] += was_created
    for number, title, summary, examples, sensitive in ECCAR_PLAN["commitments"]:
        _, was_created = Commitment.objects.get_or_create(
            plan=plan,
            number=number,
            defaults={
                "title": title,
                "summary": summary,
                "example_actions": examples,
                "sensitive": sensitive,
            },
        )
        created["commitments"] += was_created
    _translate_seeded(by_short, plan)
    return created


def _translate_seeded(by_short: dict[str, Coalition], plan: PlanOfAction) -> None:
    """The seeded names and ECCAR's plan in the other languages, where none is written yet."""
    for short, names in seed_translations.COALITION_NAMES.items():
        coalition = by_short.get(short)
        if coalition and (changed := seed_translations.fill_missing(coalition, "name", names)):
            coalition.save(update_fields=changed)
    if changed := seed_translations.fill_missing(plan, "title", seed_translations.ECCAR_PLAN_TITLE):
        plan.save(update_fields=changed)
    for commitment in plan.commitments.all():
        titles = seed_translations.ECCAR_COMMITMENT_TITLES.get(commitment.number, {})
        if changed := seed_translations.fill_missing(commitment, "title", titles):
            commitment.save(update_fields=changed)
