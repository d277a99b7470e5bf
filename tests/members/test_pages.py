"""Coalition pages and city profiles."""

import datetime as dt

import pytest

from members.models import LeadCity, Membership, RoleKind
from tests.factories import CommitmentFactory, PlanFactory, RoleFactory, UserFactory


def test_coalition_list_shows_every_coalition_with_member_counts(client, world):
    response = client.get("/coalitions/")
    assert response.status_code == 200
    counts = {c.short_name: c.member_count for c in response.context["coalitions"]}
    # ECCAR: Zürich, Köln, Ghent (members) and Munich (suspended); no applicant or leaver.
    # ICCAR, the umbrella, counts the cities of the regional coalitions under it.
    assert counts == {"ICCAR": 5, "ECCAR": 4, "APCAD": 1}


def test_coalition_detail_shows_plan_in_force_with_all_commitments(client, world):
    eccar = world["eccar"]
    # A later version not yet in force must not show.
    future = PlanFactory(coalition=eccar, title="Future plan", adopted_on=dt.date(2999, 1, 1))
    CommitmentFactory(plan=future, number=1, title="Not yet")
    response = client.get(eccar.get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert response.context["plan"] == world["plan"]
    for n in range(1, 4):
        assert f"Commitment number {n}" in content
    assert "Not yet" not in content
    assert '{% include "members/includes/coalition_bodies.html" %}' not in content


def test_commitments_are_grouped_under_their_headings(client, world):
    plan = PlanFactory(coalition=world["apcad"], adopted_on=dt.date(2010, 1, 1), title="Plan")
    CommitmentFactory(plan=plan, number=1, heading="As guardians", title="One")
    CommitmentFactory(plan=plan, number=2, heading="As guardians", title="Two")
    CommitmentFactory(plan=plan, number=3, heading="As employers", title="Three")
    response = client.get(world["apcad"].get_absolute_url())
    groups = response.context["commitment_groups"]
    assert [(g["heading"], len(g["commitments"])) for g in groups] == [
        ("As guardians", 2),
        ("As employers", 1),
    ]
    assert b'<h3 class="plan-heading">As guardians</h3>' in response.content


def test_coalition_detail_lists_public_members_and_lead_cities_current_and_past(client, world):
    eccar = world["eccar"]
    LeadCity.objects.create(
        coalition=eccar,
        city=world["koln"],
        starts_on=dt.date(2004, 1, 1),
        ends_on=dt.date(2010, 12, 31),
    )
    LeadCity.objects.create(coalition=eccar, city=world["zurich"], starts_on=dt.date(2011, 1, 1))
    response = client.get(eccar.get_absolute_url())
    ctx = response.context
    assert [lead.city.name for lead in ctx["current_leads"]] == ["Zürich"]
    assert [lead.city.name for lead in ctx["past_leads"]] == ["Köln"]
    members = [m.city.name for m in ctx["memberships"]]
    assert members == ["Ghent", "Köln", "Munich", "Zürich"]
    content = response.content.decode()
    assert "Former lead cities" in content
    assert "Hopeville" not in content and "Goneville" not in content


def test_coalition_detail_shows_parent_and_children(client, world):
    assert world["iccar"].get_absolute_url() in client.get("/coalitions/eccar/").content.decode()
    content = client.get("/coalitions/iccar/").content.decode()
    assert "/coalitions/eccar/" in content and "/coalitions/apcad/" in content


def test_unknown_coalition_is_404(client, world):
    assert client.get("/coalitions/nope/").status_code == 404


def test_city_profile_shows_coalitions_since_when_and_status(client, world):
    response = client.get("/cities/munich/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "European one" in content
    assert "Suspended" in content
    assert "July 1, 2012" in content or "Jul. 1, 2012" in content
    assert '{% include "members/includes/city_reporting.html" %}' not in content


@pytest.mark.parametrize("key", ["applicant", "withdrawn", "excluded"])
def test_cities_that_are_not_public_members_have_no_profile(client, world, key):
    assert client.get(world[key].get_absolute_url()).status_code == 404


def test_a_lead_city_has_a_profile_even_without_membership(client, world):
    LeadCity.objects.create(
        coalition=world["apcad"], city=world["withdrawn"], starts_on=dt.date(2007, 1, 1)
    )
    response = client.get(world["withdrawn"].get_absolute_url())
    assert response.status_code == 200
    assert b"Lead city of Asian one" in response.content
    assert b"not a member of a coalition at present" in response.content


def test_city_profile_shows_coordinator_contact_only_when_published(client, world):
    public = UserFactory(full_name="Pia Public", email="pia@example.org")
    private = UserFactory(full_name="Paul Private", email="paul@example.org")
    former = UserFactory(full_name="Fred Former", email="fred@example.org")
    RoleFactory(user=public, city=world["ghent"], contact_public=True)
    RoleFactory(user=private, city=world["ghent"], contact_public=False)
    RoleFactory(user=former, city=world["ghent"], contact_public=True, ends_on=dt.date(2021, 1, 1))
    RoleFactory(
        user=UserFactory(email="del@example.org"),
        city=world["ghent"],
        kind=RoleKind.DELEGATE,
        contact_public=True,
    )
    content = client.get("/cities/ghent/").content.decode()
    assert "Pia Public" in content and "mailto:pia@example.org" in content
    assert "Paul Private" not in content and "paul@example.org" not in content
    assert "Fred Former" not in content
    assert "del@example.org" not in content


def test_city_profile_has_a_map_point(client, world):
    response = client.get("/cities/zurich/")
    assert response.context["map_points"] == [
        {
            "name": "Zürich",
            "url": "/cities/zurich/",
            "lat": 47.3769,
            "lon": 8.5417,
            "coalitions": ["ECCAR"],
        }
    ]


def test_a_city_roles_dashboard_says_where_the_city_stands_and_who_acts_for_it(
    client, delegate, coordinator
):
    client.force_login(delegate)
    html = client.get("/dashboard/").content.decode()
    assert "ECCAR: Member since Dec. 10, 2004" in html
    assert (
        f"City coordinator (focal point): {coordinator.get_full_name()} ({coordinator.email})"
        in html
    )
    assert f"City delegate: {delegate.get_full_name()} ({delegate.email})" in html


def test_the_dashboard_says_when_the_citys_report_is_overdue(client, coordinator):
    Membership.objects.filter(city__name="Potsdam", coalition__slug="eccar").update(
        report_overdue_since=dt.date(2026, 1, 7)
    )
    client.force_login(coordinator)
    html = client.get("/dashboard/").content.decode()
    assert "(annual report overdue since Jan. 7, 2026)" in html
