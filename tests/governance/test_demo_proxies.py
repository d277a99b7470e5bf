"""The demo shows proxies at work (governance/demo/proxies.py): ECCAR-DE's statute allows them,
and in its next members' meeting Berlin holds Munich's validated proxy and Karlsruhe's pending one.
"""

from __future__ import annotations

from django.urls import reverse

from coalition.demo import seat_account
from governance.demo import NEXT_ASSEMBLY_TITLE
from governance.demo.proxies import SESSION_TITLE
from governance.models import AssemblySession, Proxy, ProxyStatus, Registration
from governance.services import attendance
from governance.services import proxies as proxy_services
from members.models import City


def _proxies() -> dict[str, Proxy]:
    session = AssemblySession.objects.get(title=SESSION_TITLE)
    return {p.principal.name: p for p in Proxy.objects.filter(session=session)}


def test_the_demo_has_a_validated_proxy_and_one_waiting_for_the_bureau(demo):
    session = AssemblySession.objects.get(title=SESSION_TITLE)
    assert session.coalition.short_name == "ECCAR-DE"
    assert session.status == "convened"
    assert proxy_services.proxies_allowed(session) and proxy_services.proxy_cap(session) == 2
    proxies = _proxies()
    assert {name: (p.holder.name, p.status) for name, p in proxies.items()} == {
        "Munich": ("Berlin", ProxyStatus.VALIDATED),
        "Karlsruhe": ("Berlin", ProxyStatus.SUBMITTED),
    }
    assert proxies["Munich"].decided_by == demo["bureau-de"]
    for proxy in proxies.values():
        with proxy.form.open("rb") as form:
            assert form.read(5) == b"%PDF-"
    # The holder city's delegate is accredited: once present, Berlin votes for Munich too.
    holder = Registration.objects.get(session=session, city__name="Berlin", role="delegate")
    assert holder.person == demo[seat_account("Berlin")] and holder.status == "accredited"
    # ECCAR's own statute still allows none (ADR 0016).
    assert not proxy_services.proxies_allowed(
        AssemblySession.objects.get(title=NEXT_ASSEMBLY_TITLE)
    )


def test_the_holder_citys_delegate_sees_both_proxies_on_the_citys_page(client, demo):
    session = AssemblySession.objects.get(title=SESSION_TITLE)
    berlin = City.objects.get(name="Berlin")
    client.force_login(demo[seat_account("Berlin")])
    page = client.get(reverse("governance:city_proxies", args=[session.pk, berlin.pk]))
    assert page.status_code == 200
    shown = {p.principal.name: p.status for p in page.context["proxies"]}
    assert shown == {"Munich": ProxyStatus.VALIDATED, "Karlsruhe": ProxyStatus.SUBMITTED}
    body = page.content.decode()
    assert "Validated" in body and "Waiting for the bureau" in body
    munich_form = reverse("governance:proxy_form", args=[_proxies()["Munich"].pk])
    assert munich_form in body
    assert client.get(munich_form).status_code == 200


def test_the_bureau_of_eccar_de_can_validate_the_pending_proxy(client, demo):
    session = AssemblySession.objects.get(title=SESSION_TITLE)
    client.force_login(demo["bureau-de"])
    page = client.get(reverse("governance:session_proxies", args=[session.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert reverse("governance:proxy_validate", args=[_proxies()["Karlsruhe"].pk]) in body
    assert reverse("governance:proxy_validate", args=[_proxies()["Munich"].pk]) not in body


def test_once_berlin_checks_in_the_desk_counts_munich_by_proxy(client, demo):
    session = AssemblySession.objects.get(title=SESSION_TITLE)
    holder = Registration.objects.get(session=session, city__name="Berlin", role="delegate")
    attendance.check_in(actor=demo["bureau-de"], registration=holder, channel="desk")
    client.force_login(demo["bureau-de"])
    quorum = client.get(reverse("governance:session_quorum", args=[session.pk]))
    assert "2 of 4 cities with voting rights present (1 by proxy)" in quorum.content.decode()
    desk = client.get(reverse("governance:session_desk", args=[session.pk])).content.decode()
    assert "represented by <bdi>Berlin</bdi> (proxy)" in desk
