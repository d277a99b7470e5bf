"""Every list page costs the same number of queries with more rows (the demo data, then grown).

The app modules count their main pages; this covers the rest of the lists people
work with: the bureau's seats and memberships, the reporting cycles, a cycle's
dashboard and review list, my reports and my applications, the dashboard.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance.models import AdmissionApplication, CommitteeSeat
from members.models import City, Coalition, Membership
from reporting import services
from reporting.models import ReportingCycle

pytestmark = pytest.mark.django_db


def _grow(n: int) -> None:
    """n more member cities of ECCAR, each with a voting seat and a report in every cycle."""
    eccar = Coalition.objects.get(slug="eccar")
    start = City.objects.count()
    cities = City.objects.bulk_create(
        City(name=f"Grown {start + i}", slug=f"grown-{start + i}", country="DE") for i in range(n)
    )
    Membership.objects.bulk_create(
        Membership(city=c, coalition=eccar, status="member", signed_on=dt.date(2010, 1, 1))
        for c in cities
    )
    CommitteeSeat.objects.bulk_create(
        CommitteeSeat(coalition=eccar, city=c, kind="voting", starts_on=dt.date(2026, 1, 1))
        for c in cities
    )
    for cycle in ReportingCycle.objects.filter(coalition=eccar):
        services.add_missing_reports(actor=None, cycle=cycle)


def _pages():
    cycle = ReportingCycle.objects.filter(coalition__slug="eccar").latest("year")
    return [
        ("bureau", reverse("governance:seat_list")),
        ("bureau", reverse("governance:membership_list")),
        ("bureau", reverse("reporting:secretariat_home")),
        ("bureau", reverse("reporting:cycle_dashboard", args=[cycle.pk])),
        ("bureau", reverse("reporting:cycle_review", args=[cycle.pk])),
        ("bureau", reverse("dashboard")),
        ("secretariat", reverse("reporting:cycle_dashboard", args=[cycle.pk])),
        ("secretariat", reverse("dashboard")),
        ("committee_member", reverse("reporting:cycle_review", args=[cycle.pk])),
        ("coordinator", reverse("reporting:my_reports")),
        ("coordinator", reverse("dashboard")),
        ("outsider", reverse("governance:my_applications")),
        (
            "bureau",
            AdmissionApplication.objects.waiting_for_bureau().first().get_absolute_url(),
        ),
    ]


def _count(client, user, url: str) -> int:
    client.force_login(user)
    client.get(url)  # warm the per-process caches (content types, sessions)
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_list_pages_cost_the_same_queries_for_more_rows(client, request, demo):
    pages = _pages()
    before = [_count(client, request.getfixturevalue(p), url) for p, url in pages]
    _grow(40)
    after = [_count(client, request.getfixturevalue(p), url) for p, url in pages]
    grew = [
        f"{url} as {persona}: {b} → {a} queries"
        for (persona, url), b, a in zip(pages, before, after, strict=True)
        if a != b
    ]
    assert not grew, "\n".join(grew)


def test_the_grown_rows_do_appear_on_the_lists(client, bureau, demo):
    """The comparison above means something only if the lists did get longer."""
    _grow(3)
    client.force_login(bureau)
    seats, memberships, _cycles, dashboard, review = (url for _, url in _pages()[:5])
    for url in (seats, memberships, dashboard, review):
        assert "Grown" in client.get(url).content.decode(), url
