"""Demo reporting data (see coalition.demo). Idempotent: an existing cycle is left as it is.

ECCAR 2024 is complete: most cities submitted, were evaluated and released,
several published (scores too, for some) with approved good practices; two cities
never reported and are marked overdue. ECCAR 2025 is open: Potsdam's report is a
partly filled draft (for coordinator@demo), a few other cities' reports are
submitted, transmitted, under evaluation or evaluated. Dates are relative to
today so the demo always looks current. PDFs are not rendered here: they are
rendered when first downloaded, so loading the demo stays fast.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.db.models import F
from django.utils import timezone

from coalition import audit
from members.models import ChosenAction, City, Coalition, Membership, MembershipStatus
from reporting import services
from reporting.models import Indicator, Report, ReportSection, ReportStatus, Visibility
from reporting.rubric import ensure_rubric

#: Cities that never reported in 2024 (overdue in the directory).
MISSING_2024 = ["Metz", "Nancy"]
#: 2024 reports that stay at "released" (not published by their city).
UNPUBLISHED_2024 = ["Bologna", "Graz", "Liège", "Munich", "Köln"]
#: 2025 reports other than Potsdam's, and how far each has gone.
PROGRESS_2025 = {
    "Berlin": ReportStatus.SUBMITTED,
    "Toulouse": ReportStatus.SUBMITTED,
    "Ghent": ReportStatus.TRANSMITTED,
    "Rotterdam": ReportStatus.UNDER_EVALUATION,
    "Nuremberg": ReportStatus.RELEASED,
    "Heidelberg": ReportStatus.RELEASED,
}

ACTIONS = [
    "The city ran {n} workshops with neighbourhood associations and trained {m} municipal staff.",
    "A steering group of civil-society organisations met {n} times and reviewed {m} complaints.",
    "The city funded {n} projects led by migrant organisations, reaching about {m} residents.",
    "An awareness campaign ran in {n} languages on buses, libraries and the city website.",
    "The city reviewed {n} municipal procedures for discriminatory effects and changed {m}.",
]
RESULTS = [
    "Reports of discrimination to the city office rose by {n}%, a sign of trust in the service.",
    "{n} participants; {m}% said in the follow-up survey that they know where to get help.",
    "Indicator: share of municipal staff trained ({n}%, target {m}%).",
]
PRACTICES = [
    (
        "Anti-discrimination clause in every municipal contract",
        "Suppliers sign a clause and "
        "report yearly on equal treatment; two contracts were reviewed after complaints.",
    ),
    (
        "Multilingual rights guide",
        "A short guide to residents' rights, printed in 12 languages "
        "and handed out in every citizen office.",
    ),
    (
        "Testing letting agencies",
        "Paired testing of letting agencies with a local university; "
        "results published and discussed with the agencies.",
    ),
    (
        "School prize for anti-racist projects",
        "A yearly prize for pupils' projects, with a jury of pupils, teachers and civil society.",
    ),
]


def _n(*parts, low: int = 2, high: int = 40) -> int:
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return low + digest[0] % (high - low + 1)


def _section_data(city: str, year: int, number: int) -> dict:
    n, m = _n(city, year, number), _n(city, number, year, low=10, high=400)
    data: dict[str, Any] = {
        "actions": ACTIONS[_n(city, number, low=0, high=len(ACTIONS) - 1)].format(n=n, m=m),
        "resources_human": f"{_n(city, number, 'staff', low=1, high=6)} staff members, part time.",
        "resources_financial": f"EUR {n * 1500:,} from the city budget.",
        "resources_material": "Meeting rooms in the town hall; printed material.",
        "partners": "Local anti-discrimination office, migrant associations, the university.",
        "results": RESULTS[_n(city, year, number, low=0, high=len(RESULTS) - 1)].format(
            n=n, m=min(m, 95)
        ),
        "next_steps": "Extend the programme to two more districts next year.",
        "visibility": Visibility.PUBLIC if number not in (3, 10) else Visibility.SECRETARIAT,
    }
    if _n(city, year, number, low=0, high=9) == 0:
        title, summary = PRACTICES[_n(city, number, low=0, high=len(PRACTICES) - 1)]
        data.update(good_practice=True, good_practice_title=title, good_practice_summary=summary)
    return data


#: Demo indicators: (name, unit, source), one picked for about a third of the sections.
INDICATORS = (
    ("Complaints of discrimination handled", "cases", "Anti-discrimination office register"),
    ("Municipal staff trained on equal treatment", "people", "Human resources department"),
    ("Residents who know where to report racism", "%", "Residents' survey"),
    ("Contracts with equal-treatment clauses", "%", "Procurement office"),
)


def _indicator(city: str, year: int, number: int, section_id: int) -> Indicator | None:
    if _n(city, year, number, "indicator", low=0, high=2):
        return None
    name, unit, source = INDICATORS[_n(city, number, low=0, high=len(INDICATORS) - 1)]
    baseline = _n(city, number, "baseline", low=5, high=60)
    return Indicator(
        section_id=section_id,
        name=name,
        unit=unit,
        baseline=baseline,
        target=baseline * 2,
        value=baseline + _n(city, year, number, "value", low=0, high=baseline),
        source=source,
        position=1,
    )


def _fill(report: Report, actor, *, only: tuple[int, ...] | None = None) -> None:
    """Write demo text into the sections: plain UPDATEs, demo data rather than someone's typing."""
    now = timezone.now()
    indicators = []
    for section_id, number in report.sections.values_list("pk", "commitment__number"):
        if only is not None and number not in only:
            continue
        indicator = _indicator(report.city.name, report.cycle.year, number, section_id)
        if indicator is not None:
            indicators.append(indicator)
        ReportSection.objects.filter(pk=section_id).update(
            **_section_data(report.city.name, report.cycle.year, number),
            version=F("version") + 1,
            updated_by=actor,
            updated_at=now,
        )
    Indicator.objects.bulk_create(indicators)
    Report.objects.filter(pk=report.pk).update(version=F("version") + 1)
    audit.record(actor=actor, target=report, verb="reporting.demo_text_loaded")


def _evaluate(report: Report, secretariat, *, release: bool, approve: bool) -> None:
    sections = list(report.sections.select_related("commitment"))
    scores: dict[int, tuple[int | None, str]] = {
        s.pk: (
            _n(report.city.name, report.cycle.year, s.commitment.number, low=1, high=4),
            "Clear description of the actions. Report the indicators you use next year.",
        )
        for s in sections
    }
    services.save_evaluation(
        actor=secretariat,
        report=report,
        scores=scores,
        overall=f"{report.city.name} implements the plan steadily; results are well documented.",
        approved_good_practices={s.pk for s in sections if s.good_practice} if approve else set(),
    )
    if release:
        services.release_evaluation(actor=secretariat, report=report)


def _advance(report: Report, target: str, users: dict, actor) -> None:
    order: list[str] = [
        ReportStatus.SUBMITTED,
        ReportStatus.TRANSMITTED,
        ReportStatus.UNDER_EVALUATION,
        ReportStatus.RELEASED,
        ReportStatus.PUBLISHED,
    ]
    steps = order[: order.index(target) + 1]
    services.submit_report(actor=actor, report=report)
    if ReportStatus.TRANSMITTED in steps:
        services.transmit_report(actor=users["bureau"], report=report)
    if ReportStatus.UNDER_EVALUATION in steps:
        _evaluate(
            report,
            users["secretariat"],
            release=ReportStatus.RELEASED in steps,
            approve=ReportStatus.PUBLISHED in steps,
        )
    if ReportStatus.PUBLISHED in steps:
        services.publish_report(
            actor=actor, report=report, publish_scores=_n(report.city.name, low=0, high=1) == 1
        )


def _ensure_chosen_actions(potsdam: City, eccar: Coalition) -> None:
    membership = Membership.objects.filter(
        city=potsdam, coalition=eccar, status=MembershipStatus.MEMBER
    ).first()
    if membership is None or membership.chosen_actions.exists() or membership.plan is None:
        return
    ChosenAction.objects.bulk_create(
        ChosenAction(membership=membership, commitment=c, description=c.example_action_list[0])
        for c in membership.plan.commitments.all()
        if c.example_action_list
    )


#: Casablanca's 2025 report to the Arab Coalition, written in Arabic (shown as written).
CASABLANCA_2025 = {
    "actions": "أنشأت المدينة مرصدًا محليًا لمناهضة التمييز بالشراكة مع 12 جمعية من المجتمع المدني.",
    "resources_human": "أربعة موظفين في قسم الشؤون الاجتماعية.",
    "resources_financial": "350000 درهم من ميزانية الجماعة.",
    "resources_material": "قاعات الاجتماعات في مقاطعات المدينة.",
    "partners": "جمعيات الأحياء، جامعة الحسن الثاني، المجلس الجهوي لحقوق الإنسان.",
    "results": "استقبل المرصد 85 شكاية، وأُحيلت 30 منها إلى الجهات المختصة.",
    "next_steps": "توسيع المرصد ليشمل جميع المقاطعات في السنة المقبلة.",
}


def _arab_demo(users: dict) -> None:
    """Casablanca reports to the Arab Coalition in Arabic (submitted, for the bureau)."""
    arab = Coalition.objects.filter(short_name="Arab Coalition").first()
    if arab is None or arab.plan_in_force() is None or arab.reporting_cycles.exists():
        return
    today = timezone.localdate()
    cycle = services.open_cycle(
        actor=users["admin"],
        coalition=arab,
        year=2025,
        opens_on=today - dt.timedelta(days=30),
        due_on=today + dt.timedelta(days=45),
        grace_days=14,
    )
    report = cycle.reports.filter(city__name="Casablanca").select_related("city", "cycle").first()
    if report is None:
        return
    now = timezone.now()
    report.sections.update(
        **CASABLANCA_2025,
        visibility=Visibility.PUBLIC,
        version=F("version") + 1,
        updated_by=users["admin"],
        updated_at=now,
    )
    Report.objects.filter(pk=report.pk).update(version=F("version") + 1)
    audit.record(actor=users["admin"], target=report, verb="reporting.demo_text_loaded")
    report.refresh_from_db()
    services.submit_report(actor=users["admin"], report=report)


def _arab_demo_quietly(users: dict) -> None:
    with services.quietly():
        _arab_demo(users)


def load(*, users: dict) -> None:
    _arab_demo_quietly(users)
    eccar = Coalition.objects.filter(short_name="ECCAR").first()
    if eccar is None or eccar.plan_in_force() is None:
        return
    ensure_rubric()  # loaded by a migration; again here for databases flushed by tests
    today = timezone.localdate()
    admin, coordinator = users["admin"], users["coordinator"]
    potsdam = City.objects.filter(name="Potsdam").first()
    if potsdam:
        _ensure_chosen_actions(potsdam, eccar)
    with services.quietly():
        if not eccar.reporting_cycles.filter(year=2024).exists():
            cycle = services.open_cycle(
                actor=users["bureau"],
                coalition=eccar,
                year=2024,
                opens_on=today - dt.timedelta(days=400),
                due_on=today - dt.timedelta(days=330),
                grace_days=14,
            )
            for report in cycle.reports.select_related("city", "cycle"):
                name = report.city.name
                if name in MISSING_2024:
                    continue
                actor = coordinator if report.city_id == getattr(potsdam, "pk", None) else admin
                _fill(report, actor)
                target = (
                    ReportStatus.RELEASED if name in UNPUBLISHED_2024 else ReportStatus.PUBLISHED
                )
                _advance(report, target, users, actor)
            for report in cycle.reports.filter(status=ReportStatus.DRAFT).select_related(
                "cycle", "city"
            ):
                services.mark_overdue(actor=None, report=report)
        if not eccar.reporting_cycles.filter(year=2025).exists():
            cycle = services.open_cycle(
                actor=users["bureau"],
                coalition=eccar,
                year=2025,
                opens_on=today - dt.timedelta(days=30),
                due_on=today + dt.timedelta(days=45),
                grace_days=14,
            )
            for report in cycle.reports.select_related("city", "cycle"):
                name = report.city.name
                if report.city_id == getattr(potsdam, "pk", None):
                    _fill(report, coordinator, only=(1, 2, 4))
                elif name in PROGRESS_2025:
                    _fill(report, admin)
                    _advance(report, PROGRESS_2025[name], users, admin)
