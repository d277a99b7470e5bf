"""The session page links a city's proxies page for the session, to those who may open it (the
city's delegate or coordinator) only, where the statute allows proxies and the session is open
to them (ADR 0016).

The demo's ECCAR-DE members' meeting (governance/demo/proxies.py): its statute allows proxies,
it is convened, and berlin@demo is Berlin's certified and accredited delegate.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from coalition.demo import seat_account
from governance.demo.proxies import SESSION_TITLE
from governance.models import AssemblySession, SessionStatus
from members.models import City, Membership

pytestmark = pytest.mark.django_db

LINK_TEXT = "Proxies of Berlin"


def _session() -> AssemblySession:
    return AssemblySession.objects.get(title=SESSION_TITLE)


def _berlin_proxies_url(session: AssemblySession) -> str:
    return reverse("governance:city_proxies", args=[session.pk, City.objects.get(name="Berlin").pk])


def _session_page(client, session: AssemblySession) -> str:
    page = client.get(reverse("governance:session_detail", args=[session.pk]))
    assert page.status_code == 200
    return page.content.decode()


def test_berlins_delegate_sees_the_link_to_berlins_proxies_and_it_opens(client, demo):
    session = _session()
    client.force_login(demo[seat_account("Berlin")])
    body = _session_page(client, session)
    url = _berlin_proxies_url(session)
    assert f'<a href="{url}">{LINK_TEXT}</a>' in body
    assert client.get(url).status_code == 200


def test_munichs_coordinator_sees_munichs_link_only(client, demo):
    """Who registered Munich's proxy opens Munich's proxies page from the session page too."""
    session = _session()
    client.force_login(demo[seat_account("Munich")])
    body = _session_page(client, session)
    munich = reverse(
        "governance:city_proxies", args=[session.pk, City.objects.get(name="Munich").pk]
    )
    assert f'<a href="{munich}">Proxies of Munich</a>' in body
    assert client.get(munich).status_code == 200
    assert LINK_TEXT not in body
    assert _berlin_proxies_url(session) not in body


def test_no_link_when_the_statute_allows_no_proxies(client, demo):
    session = _session()
    snapshot = {**session.statute_snapshot, "proxies_allowed": False}
    AssemblySession.objects.filter(pk=session.pk).update(statute_snapshot=snapshot)
    client.force_login(demo[seat_account("Berlin")])
    body = _session_page(client, session)
    assert LINK_TEXT not in body
    assert _berlin_proxies_url(session) not in body


def test_no_link_once_the_session_is_closed_to_proxies(client, demo):
    session = _session()
    AssemblySession.objects.filter(pk=session.pk).update(status=SessionStatus.CLOSED)
    client.force_login(demo[seat_account("Berlin")])
    body = _session_page(client, session)
    assert LINK_TEXT not in body
    assert _berlin_proxies_url(session) not in body


@pytest.mark.parametrize(
    "who",
    [
        "anonymous",
        "outsider",
        # Potsdam's certified delegate, in ECCAR: another city's delegate.
        "delegate",
    ],
)
def test_nobody_else_sees_a_proxies_link(client, demo, request, who):
    session = _session()
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    body = _session_page(client, session)
    assert "Proxies of" not in body
    member_cities = Membership.objects.filter(coalition=session.coalition).values_list(
        "city_id", flat=True
    )
    for city_pk in member_cities:
        assert reverse("governance:city_proxies", args=[session.pk, city_pk]) not in body
