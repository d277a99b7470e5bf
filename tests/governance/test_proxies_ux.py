"""What the demo walk found on the proxies' pages, the desk and the dashboard (issue 10).

One card per city on the dashboard, whatever the roles; a proxies page that offers only what
can succeed; the desk naming a proxy once; wording that says what the city has.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from coalition.demo import seat_account
from governance.demo.proxies import SESSION_TITLE
from governance.models import AssemblySession
from members.models import City, Role, RoleKind

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
