"""The coalition page summarises its members: its cost and its size do not grow with them."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members import services
from members.models import CoalitionKind
from members.selectors import COALITION_PAGE_MEMBERS
from tests.factories import CityFactory, CoalitionFactory, MembershipFactory
from tests.members.conftest import make_cities


def _get(client, url):
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(ctx.captured_queries)


def test_coalition_page_costs_the_same_queries_for_10_and_1000_members(client, world):
    make_cities(10, world["eccar"])
    small, small_queries = _get(client, "/coalitions/eccar/")
    make_cities(990, world["eccar"], prefix="More")
    large, large_queries = _get(client, "/coalitions/eccar/")
    assert small_queries == large_queries
    assert large.context["member_total"] == 1004  # the world's four and the thousand


def test_coalition_page_html_stays_bounded_however_many_members(client, world):
    make_cities(40, world["eccar"])
    small, _ = _get(client, "/coalitions/eccar/")
    make_cities(2000, world["eccar"], prefix="More")
    large, _ = _get(client, "/coalitions/eccar/")
    assert len(large.content) < len(small.content) + 1024, (len(small.content), len(large.content))
    assert len(large.context["memberships"]) == COALITION_PAGE_MEMBERS


def test_coalition_page_counts_per_country_lists_the_first_and_links_to_the_directory(
    client, world
):
    make_cities(60, world["eccar"])  # 30 in DE, 30 in FR, named "Bulk i"
    response = client.get("/coalitions/eccar/")
    content = response.content.decode()
    assert response.context["member_total"] == 64
    countries = {c["code"]: c["count"] for c in response.context["member_countries"]}
    assert countries == {"DE": 32, "FR": 30, "CH": 1, "BE": 1}
    names = [m.city.name for m in response.context["memberships"]]
    assert names[:2] == ["Bulk 0", "Bulk 1"]
    assert len(names) == COALITION_PAGE_MEMBERS
    assert "64 member cities" in content
    assert f"The first {COALITION_PAGE_MEMBERS} by name" in content
    assert 'href="/cities/?coalition=eccar"' in content
    assert 'href="/cities/?coalition=eccar&amp;country=DE"' in content
    assert "See all 64 member cities" in content


@pytest.mark.django_db
def test_the_directory_filtered_by_a_coalition_shows_the_cities_its_page_counts(client):
    regional = CoalitionFactory(short_name="REG", slug="reg", kind=CoalitionKind.REGIONAL)
    national = CoalitionFactory(
        short_name="NAT", slug="nat", kind=CoalitionKind.NATIONAL, parent=regional
    )
    MembershipFactory(city=CityFactory(name="Regville"), coalition=regional)
    MembershipFactory(city=CityFactory(name="Natville"), coalition=national)
    page = client.get("/coalitions/reg/")
    directory = client.get("/cities/?coalition=reg")
    assert page.context["member_total"] == directory.context["page_obj"].paginator.count == 2
    natpage = client.get("/cities/?coalition=nat")
    assert [c.name for c in natpage.context["cities"]] == ["Natville"]


def test_member_counts_are_cached_and_refreshed_by_a_membership_decision(
    client, world, django_capture_on_commit_callbacks, django_assert_num_queries
):
    def counts():
        return {
            c.short_name: c.member_count for c in client.get("/coalitions/").context["coalitions"]
        }

    assert counts()["ECCAR"] == 4
    with django_assert_num_queries(1):  # the coalitions; their counts come from the cache
        client.get("/coalitions/")
    with django_capture_on_commit_callbacks(execute=True):
        city = services.create_city(actor=None, name="Tromsø", country="NO")
        services.create_membership(actor=None, city=city, coalition=world["eccar"])
    assert counts()["ECCAR"] == 5
    assert counts()["ICCAR"] == 6
