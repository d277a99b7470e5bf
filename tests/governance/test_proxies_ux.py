"""What the demo walk found on the proxies' pages, the desk and the dashboard (issue 10).

One card per city on the dashboard, whatever the roles; a proxies page that offers only what
can succeed; the desk naming a proxy once; wording that says what the city has.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coalition.demo import seat_account
from governance.demo.proxies import SESSION_TITLE
from governance.models import AssemblySession, Proxy, Registration
from governance.services import attendance
from governance.services import proxies as proxy_services
from members.models import City, Role, RoleKind
from tests.factories import UserFactory
from tests.governance.conftest import pdf_upload

pytestmark = pytest.mark.django_db


def _session() -> AssemblySession:
    return AssemblySession.objects.get(title=SESSION_TITLE)


def _cards(html: str) -> list[str]:
    """Each dashboard card's HTML (up to the next card)."""
    return html.split('<li class="card">')[1:]


def test_a_person_with_several_roles_for_one_city_sees_one_card_naming_each_once(client, demo):
    berlin_rep = demo[seat_account("Berlin")]
    berlin = City.objects.get(name="Berlin")
    # Certified for Berlin in a second coalition: a second delegate role for the same city.
    Role.objects.create(user=berlin_rep, city=berlin, kind=RoleKind.DELEGATE)
    client.force_login(berlin_rep)
    html = client.get(reverse("dashboard")).content.decode()
    berlin_cards = [c for c in _cards(html) if "ECCAR-DE: Member since" in c]
    assert len(berlin_cards) == 1
    card = berlin_cards[0]
    assert "<h2>Berlin</h2>" in card
    assert "Your roles: City coordinator (focal point), City delegate" in card
    delegate_line = f"City delegate: {berlin_rep.get_full_name()} ({berlin_rep.email})"
    assert card.count(delegate_line) == 1
    assert card.count("City coordinator (focal point): ") == 1


def _page(client, user, city_name: str):
    city = City.objects.get(name=city_name)
    client.force_login(user)
    return client.get(reverse("governance:city_proxies", args=[_session().pk, city.pk]))


def _dresden_coordinator():
    user = UserFactory(email="dresden@example.org", full_name="Dresden Coordinator")
    Role.objects.create(user=user, city=City.objects.get(name="Dresden"), kind="coordinator")
    return user


def test_a_city_holding_proxies_is_told_why_it_cannot_give_its_own(client, demo):
    page = _page(client, demo[seat_account("Berlin")], "Berlin")
    html = page.content.decode()
    assert "Send the proxy to the bureau" not in html
    assert (
        "<bdi>Berlin</bdi> holds the proxies of Karlsruhe and Munich for this session "
        "(validated or waiting for the bureau): a city that holds a proxy cannot give its own."
    ) in html
    assert 'href="#proxies-list"' in html and 'id="proxies-list"' in html


def test_a_city_that_gave_its_proxy_is_told_so_and_pointed_to_it(client, demo):
    page = _page(client, demo[seat_account("Munich")], "Munich")
    html = page.content.decode()
    assert "Send the proxy to the bureau" not in html
    munich = Proxy.objects.get(session=_session(), principal__name="Munich")
    assert (
        "<bdi>Munich</bdi> has given its proxy for this session to <bdi>Berlin</bdi>, "
        "and the bureau validated it."
    ) in html
    assert f'href="#proxy-{munich.pk}"' in html and f'id="proxy-{munich.pk}"' in html
    html = _page(client, demo[seat_account("Karlsruhe")], "Karlsruhe").content.decode()
    waiting = "has given its proxy for this session to <bdi>Berlin</bdi>; it waits for the bureau."
    assert waiting in html
    assert "Send the proxy to the bureau" not in html


def test_the_holder_choices_leave_out_cities_that_gave_theirs_or_hold_their_cap(client, demo):
    dresden = _dresden_coordinator()
    html = _page(client, dresden, "Dresden").content.decode()
    # Karlsruhe and Munich gave theirs; Berlin holds two, the cap.
    assert "Send the proxy to the bureau" not in html
    assert "No city can hold your city's proxy now" in html
    karlsruhe = Proxy.objects.get(session=_session(), principal__name="Karlsruhe")
    proxy_services.withdraw_proxy(actor=demo[seat_account("Karlsruhe")], proxy=karlsruhe)
    page = _page(client, dresden, "Dresden")
    choices = [c.name for c in page.context["form"].fields["holder"].queryset]
    assert choices == ["Berlin", "Karlsruhe"]
    assert "Send the proxy to the bureau" in page.content.decode()


def test_the_service_still_refuses_a_grant_the_page_no_longer_offers(client, demo):
    """A grant posted anyway (a stale page, another tab) gets the service's reason."""
    munich_coordinator = demo[seat_account("Munich")]
    client.force_login(munich_coordinator)
    session, munich = _session(), City.objects.get(name="Munich")
    response = client.post(
        reverse("governance:city_proxies", args=[session.pk, munich.pk]),
        {
            "holder": City.objects.get(name="Dresden").pk,
            "signed_by_name": "Mayor of Munich",
            "form": pdf_upload("munich.pdf", "Proxy form"),
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Munich has given its proxy for this session already." in html
    assert Proxy.objects.filter(session=session, principal=munich).count() == 1


def _berlin_checked_in(demo):
    registration = Registration.objects.get(session=_session(), city__name="Berlin")
    attendance.check_in(actor=demo["bureau-de"], registration=registration, channel="desk")


def _row(html: str, start: str) -> str:
    return html.split(start, 1)[1].split("</tr>", 1)[0]


REPRESENTED = "represented by <bdi>Berlin</bdi> (proxy)"


def test_the_desk_names_the_proxy_once_in_the_voting_card_column(client, demo):
    _berlin_checked_in(demo)
    client.force_login(demo["bureau-de"])
    html = client.get(reverse("governance:session_desk", args=[_session().pk])).content.decode()
    row = _row(html, '<th scope="row">Munich')
    assert row.count(REPRESENTED) == 1
    people, card = row.split("</td>")[0], row.split("</td>")[1]
    assert REPRESENTED not in people and "none accredited" in people
    assert REPRESENTED in card
    # The live quorum names it once too.
    quorum = client.get(reverse("governance:session_quorum", args=[_session().pk]))
    assert quorum.content.decode().count(REPRESENTED) == 1


def test_the_room_says_a_represented_city_is_there_by_proxy_not_present(client, demo):
    _berlin_checked_in(demo)
    client.force_login(demo["bureau-de"])
    url = reverse("governance:session_room", args=[_session().pk])
    row = _row(client.get(url).content.decode(), "<tr><td>Munich")
    assert row.count(REPRESENTED) == 1
    assert "<td>by proxy</td>" in row and "<td>present</td>" not in row
    # Where the statute does not count it for the quorum, the city still votes: it is listed.
    session = _session()
    session.statute_snapshot = {**session.statute_snapshot, "proxies_count_for_quorum": False}
    session.save(update_fields=["statute_snapshot"])
    row = _row(client.get(url).content.decode(), "<tr><td>Munich")
    assert "<td>by proxy</td>" in row and REPRESENTED in row


def _registrations(client, user, city_name: str) -> str:
    city = City.objects.get(name=city_name)
    client.force_login(user)
    url = reverse("governance:city_registrations", args=[_session().pk, city.pk])
    return client.get(url).content.decode()


def test_the_registrations_page_says_what_the_proxies_page_holds_for_the_city(client, demo):
    proxies_url = reverse(
        "governance:city_proxies", args=[_session().pk, City.objects.get(name="Berlin").pk]
    )
    html = _registrations(client, demo[seat_account("Berlin")], "Berlin")
    assert f'<a href="{proxies_url}">Proxies held by Berlin: Karlsruhe and Munich</a>' in html
    assert "Give your city&#x27;s proxy to another city" not in html
    html = _registrations(client, demo[seat_account("Munich")], "Munich")
    assert "Proxy given by Munich to Berlin</a>" in html
    html = _registrations(client, _dresden_coordinator(), "Dresden")
    assert "Give your city&#x27;s proxy to another city</a>" in html


def test_the_dashboard_tells_the_holder_delegate_which_proxies_the_city_holds(client, demo):
    session, berlin = _session(), City.objects.get(name="Berlin")
    berlin_rep = demo[seat_account("Berlin")]
    client.force_login(berlin_rep)
    html = client.get(reverse("dashboard")).content.decode()
    proxies_url = reverse("governance:city_proxies", args=[session.pk, berlin.pk])
    assert (
        f'<a href="{proxies_url}">Berlin holds the proxy of Munich for {session.title}</a>'
    ).replace("'", "&#x27;") in html
    assert "Karlsruhe gave its proxy to Berlin for" in html and "it waits for the bureau" in html
    # Munich's coordinator reads the same sentence, linking to Munich's page.
    client.force_login(demo[seat_account("Munich")])
    html = client.get(reverse("dashboard")).content.decode()
    munich_url = reverse(
        "governance:city_proxies", args=[session.pk, City.objects.get(name="Munich").pk]
    )
    assert f'<a href="{munich_url}">Berlin holds the proxy of Munich' in html


def test_the_dashboards_proxies_cost_one_query_however_many(client, demo):

    client.force_login(demo[seat_account("Berlin")])

    def count() -> int:
        client.get(reverse("dashboard"))
        with CaptureQueriesContext(connection) as ctx:
            client.get(reverse("dashboard"))
        return len(ctx.captured_queries)

    two = count()
    karlsruhe = Proxy.objects.get(session=_session(), principal__name="Karlsruhe")
    proxy_services.withdraw_proxy(actor=demo[seat_account("Karlsruhe")], proxy=karlsruhe)
    assert count() == two
