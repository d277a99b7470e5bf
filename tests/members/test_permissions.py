"""Every members URL × every persona → the expected status."""

import pytest

from members.models import City, Membership, PlanOfAction
from tests import permissions
from tests.conftest import PERSONAS
from tests.factories import CityFactory
from tests.permissions import expect

PUBLIC_URLS = [
    "/coalitions/",
    "/coalitions/eccar/",
    "/cities/",
    "/cities/?q=potsdam&coalition=eccar&country=DE&status=member&sort=joined",
    "/cities/potsdam/",
    "/api/v1/",
    "/api/v1/cities/",
    "/api/v1/cities/potsdam/",
    "/api/v1/coalitions/",
    "/api/v1/coalitions/eccar/",
    "/api/v1/plans/",
    "/api/v1/cities.csv",
    "/api/v1/cities.geojson",
    "/api/schema/",
    "/api/docs/",
]


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_public_pages_are_open_to_everyone(persona_client, no_template_rendering, url):
    problems = permissions.check(persona_client, url, expect(200))
    assert not problems, problems


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_plan_of_action_is_open_data_for_everyone(persona_client, persona):
    plan = PlanOfAction.objects.get(coalition__slug="eccar")
    response = persona_client(persona).get(f"/api/v1/plans/{plan.pk}/")
    assert response.status_code == 200
    assert len(response.json()["commitments"]) == 10


IMPORT_URL = "/admin/members/city/import/"
IMPORT_EXPECTED = expect(
    302,  # to the admin login
    bureau=200,
    secretariat=403,  # staff who may only view members data
    administrator=200,
)


def test_admin_import_is_for_staff_who_may_change_members(persona_client, no_template_rendering):
    problems = permissions.check(
        persona_client,
        IMPORT_URL,
        IMPORT_EXPECTED,
        redirects=dict.fromkeys(PERSONAS, "/admin/login/"),
    )
    assert not problems, problems


@pytest.mark.parametrize("persona", ["anonymous", "outsider", "coordinator"])
def test_hidden_cities_are_404_for_everyone(persona_client, persona):
    city = CityFactory(name="Hopeville", slug="hopeville")
    Membership.objects.create(
        city=city, coalition=Membership.objects.first().coalition, status="applicant"
    )
    assert City.objects.filter(slug="hopeville").exists()
    client = persona_client(persona)
    assert client.get("/cities/hopeville/").status_code == 404
    assert client.get("/api/v1/cities/hopeville/").status_code == 404
