"""Coalitions inside coalitions: national ones in a regional one, never inside themselves."""

import pytest
from django.core.exceptions import ValidationError

from members import selectors
from members.models import Coalition, CoalitionKind
from tests.factories import CityFactory, CoalitionFactory, MembershipFactory


def test_demo_data_has_national_coalitions_inside_eccar(demo):
    eccar = Coalition.objects.get(short_name="ECCAR")
    national = Coalition.objects.filter(parent=eccar)
    assert national.count() >= 2
    assert set(national.values_list("kind", flat=True)) == {CoalitionKind.NATIONAL}
    assert all(c.memberships.public().exists() for c in national)


def test_eccar_card_and_page_agree_on_member_count(client, demo):
    cards = {c.short_name: c.member_count for c in client.get("/coalitions/").context["coalitions"]}
    for short in ("ECCAR", "ICCAR", "ECCAR-DE"):
        slug = Coalition.objects.get(short_name=short).slug
        page = client.get(f"/coalitions/{slug}/")
        assert page.context["member_total"] == cards[short], short
    home = {c.short_name: c.member_count for c in client.get("/").context["coalitions"]}
    assert home["ECCAR"] == cards["ECCAR"]


@pytest.mark.django_db
def test_coalition_page_lists_members_of_national_coalitions_once_saying_through_which(client):
    regional = CoalitionFactory(short_name="REG", slug="reg", kind=CoalitionKind.REGIONAL)
    national = CoalitionFactory(
        short_name="NAT", slug="nat", kind=CoalitionKind.NATIONAL, parent=regional
    )
    both, only_national = CityFactory(name="Bothville"), CityFactory(name="Natville")
    MembershipFactory(city=both, coalition=regional)
    MembershipFactory(city=both, coalition=national)
    MembershipFactory(city=only_national, coalition=national)
    page = client.get("/coalitions/reg/")
    rows = {m.city.name: m.through for m in page.context["memberships"]}
    assert rows == {"Bothville": None, "Natville": national}
    assert "2 member cities" in page.content.decode()
    assert "through NAT" in page.content.decode()


@pytest.mark.django_db
def test_a_coalition_cannot_become_its_own_ancestor():
    top = CoalitionFactory(short_name="TOP", slug="top")
    middle = CoalitionFactory(short_name="MID", slug="mid", parent=top)
    bottom = CoalitionFactory(short_name="BOT", slug="bot", parent=middle)
    for coalition, parent in ((top, bottom), (top, middle), (middle, middle)):
        coalition.parent = parent
        with pytest.raises(ValidationError) as refused:
            coalition.full_clean()
        assert "inside itself" in refused.value.message_dict["parent"][0]
    bottom.parent = top
    bottom.full_clean()  # moving a coalition up is fine


def test_admin_refuses_a_loop_with_a_message_on_the_parent_field(client, administrator):
    iccar = Coalition.objects.get(short_name="ICCAR")
    eccar = Coalition.objects.get(short_name="ECCAR")
    client.force_login(administrator)
    url = f"/admin/members/coalition/{iccar.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "parent": eccar.pk,
            "lead_cities-TOTAL_FORMS": 0,
            "lead_cities-INITIAL_FORMS": 0,
        }
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert "parent" in response.context["adminform"].form.errors
    iccar.refresh_from_db()
    assert iccar.parent is None
    assert selectors.coalitions_for_pages()  # the counts survive a refused edit
