"""Benchmark of the reporting pages as a cycle grows to 100, 500 and 1,000 member cities.

    .venv/bin/python bench/reporting.py [--repeat 11]

Builds a throwaway database (its own SQLite file under var/, or a test database
next to DATABASE_URL when that is set, e.g. PostgreSQL), loads the demo world,
then gives ECCAR more member cities, each with its report in the current cycle
(half of them handed in). Prints the median server time of the pages the bureau,
the secretariat and a coordinator use, and of one autosave, measured with
Django's test Client (no network, no browser), with the number of queries.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time

from support import median_ms, setup_database

SIZES = (100, 500, 1_000)


def grow_to(total: int, cycle) -> None:
    """Member cities of the cycle's coalition, each with a report, until it has `total`."""
    from members.models import City, Membership
    from reporting import services
    from reporting.models import Report, ReportStatus

    missing = total - cycle.reports.count()
    if missing <= 0:
        return
    start = City.objects.count()
    cities = City.objects.bulk_create(
        City(name=f"Bench {start + i}", slug=f"bench-{start + i}", country="DE")
        for i in range(missing)
    )
    Membership.objects.bulk_create(
        Membership(
            city=c, coalition=cycle.coalition, status="member", signed_on=dt.date(2010, 1, 1)
        )
        for c in cities
    )
    services.add_missing_reports(actor=None, cycle=cycle)
    # Half of the new reports handed in, as a cycle looks near its due date.
    new = Report.objects.filter(cycle=cycle, city__in=cities).order_by("pk")
    handed_in = list(new.values_list("pk", flat=True)[: missing // 2])
    Report.objects.filter(pk__in=handed_in).update(
        status=ReportStatus.SUBMITTED, submitted_at=dt.datetime.now(dt.UTC)
    )


def measure(client, method: str, url: str, repeat: int, data=None) -> tuple[float, int]:
    """Median milliseconds of the request, and the number of queries it makes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def request():
        if method == "post":
            response = client.post(url, data(), HTTP_ACCEPT="application/json")
        else:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    ms = median_ms(request, repeat)
    with CaptureQueriesContext(connection) as queries:
        request()
    return ms, len(queries.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=11, help="requests per page and size")
    args = parser.parse_args()

    connection, old_name = setup_database("bench-reporting.sqlite3")
    try:
        from django.test import Client
        from django.test.utils import setup_test_environment
        from django.urls import reverse

        from coalition.demo import demo_email, load_demo
        from coalition.models import User
        from members.seed import load_coalition_data
        from reporting.forms import SectionForm
        from reporting.models import Report, ReportingCycle, ReportSection

        setup_test_environment()
        load_coalition_data()
        load_demo()
        cycle = ReportingCycle.objects.filter(coalition__slug="eccar").latest("year")
        potsdam = Report.objects.get(cycle=cycle, city__name="Potsdam")
        section = potsdam.sections.order_by("commitment__number").first()

        def autosave_data():
            current = ReportSection.objects.get(pk=section.pk)
            form = SectionForm(section=current)
            values = {name: form[name].value() or "" for name in form.fields}
            values["actions"] = f"Autosaved text {time.perf_counter()}"
            return {f"{form.prefix}-{name}": value for name, value in values.items()}

        clients = {}
        for name in ("bureau", "secretariat", "coordinator"):
            clients[name] = Client()
            clients[name].force_login(User.objects.get(email=demo_email(name)))
        dashboard = reverse("reporting:cycle_dashboard", args=[cycle.pk])
        review = reverse("reporting:cycle_review", args=[cycle.pk])
        editor = reverse("reporting:report_edit", args=[potsdam.pk])
        autosave = reverse("reporting:section_save", args=[potsdam.pk, section.pk])
        pages = [
            ("bureau", "get", "cycle dashboard", dashboard),
            ("bureau", "get", "review list", review),
            ("secretariat", "get", "cycle dashboard", dashboard),
            ("coordinator", "get", "report editor", editor),
            ("coordinator", "post", "autosave", autosave),
        ]
        print(
            f"Reporting benchmark on {connection.vendor} ({connection.settings_dict['NAME']}), "
            f"median of {args.repeat} requests, milliseconds of server time (queries)"
        )
        labels = [f"{who}: {label}" for who, _, label, _ in pages]
        print(f"{'reports':>8} | " + " | ".join(f"{label:>26}" for label in labels))
        for size in SIZES:
            grow_to(size, cycle)
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            figures = [
                measure(clients[who], method, url, args.repeat, autosave_data)
                for who, method, _, url in pages
            ]
            print(
                f"{cycle.reports.count():>8,} | "
                + " | ".join(f"{ms:>16.1f} ms ({n:>3})" for ms, n in figures)
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
