"""Every proxy and second-convocation URL against every persona.

The demo's next assembly, sitting, with a statute snapshot that allows proxies (two per
holder) and a second convocation without quorum, and a first quorum it does not reach.
Potsdam (the coordinator's and the delegate's city) has given its proxy to Ghent (waiting
for the bureau); Graz's proxy to Potsdam was rejected (a city holding a proxy cannot give one).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from governance.services import proxies
from governance.urls import urlpatterns
from members.models import City
from tests import permissions
from tests.governance.conftest import pdf_upload
from tests.governance.room_support import PERSONAS, expect

BUREAU = {"bureau": 200, "administrator": 200}
POTSDAM = {"coordinator": 200, "delegate": 200}

# (label, method, url name, object keys, POST data, expected statuses)
PROXY_MATRIX = [
    ("city's proxies", "get", "governance:city_proxies", ("session", "potsdam"), None,
     expect(404, **POTSDAM)),
    ("give a proxy", "post", "governance:city_proxies", ("session", "potsdam"), {},
     expect(404, coordinator=400, delegate=400)),
    ("signed form", "get", "governance:proxy_form", ("given",), None,
     expect(404, **POTSDAM, **BUREAU)),
    ("signed form of a proxy held", "get", "governance:proxy_form", ("held",), None,
     expect(404, **POTSDAM, **BUREAU)),
    ("withdraw a proxy", "post", "governance:proxy_withdraw", ("given",), {},
     expect(404, coordinator=302, delegate=302, bureau=302, administrator=302)),
    ("withdraw a proxy held (holder city)", "post", "governance:proxy_withdraw", ("held",), {},
     expect(404, coordinator=403, delegate=403, bureau=302, administrator=302)),
    ("session's proxies", "get", "governance:session_proxies", ("session",), None,
     expect(403, **BUREAU)),
    ("validate a proxy", "post", "governance:proxy_validate", ("given",), {},
     expect(403, bureau=302, administrator=302)),
    ("reject form", "get", "governance:proxy_reject", ("given",), None,
     expect(403, **BUREAU)),
    ("reject a proxy", "post", "governance:proxy_reject", ("given",), {},
     expect(403, bureau=400, administrator=400)),
    ("second convocation", "post", "governance:second_convocation", ("session",), {},
     expect(403, **BUREAU)),
]  # fmt: skip


@pytest.fixture
def room_statute() -> dict:
    return {
        "proxies_allowed": True,
        "proxy_cap": 2,
        "quorum_kind": "number",
        "quorum_number": 50,
        "second_convocation_allowed": True,
        "second_quorum_kind": "none",
    }


@pytest.fixture
def furnish_room(bureau, coordinator):
    """Graz's proxy to Potsdam, rejected; Potsdam's to Ghent, waiting for the bureau."""

    def furnish(session) -> dict:
        potsdam, ghent, graz = (City.objects.get(name=n) for n in ("Potsdam", "Ghent", "Graz"))
        held = proxies.register_proxy(
            actor=bureau,
            session=session,
            principal=graz,
            holder=potsdam,
            signed_by_name="Mayor of Graz",
            form=pdf_upload("graz-proxy.pdf", "Proxy form"),
        )
        proxies.reject_proxy(actor=bureau, proxy=held, reason="The form is not signed.")
        given = proxies.register_proxy(
            actor=coordinator,
            session=session,
            principal=potsdam,
            holder=ghent,
            signed_by_name="Mayor of Potsdam",
            form=pdf_upload("potsdam-proxy.pdf", "Proxy form"),
        )
        return {"potsdam": potsdam.pk, "given": given.pk, "held": held.pk}

    return furnish


def test_the_matrix_names_every_proxy_url():
    names = {row[2] for row in PROXY_MATRIX}
    views = {
        f"governance:{p.name}"
        for p in urlpatterns
        if p.callback.__module__ == "governance.views.proxies"
    }
    assert names == views


@pytest.mark.parametrize(
    ("label", "method", "name", "keys", "data", "expected"),
    PROXY_MATRIX,
    ids=[row[0] for row in PROXY_MATRIX],
)
def test_proxy_permission_matrix(
    persona_client, no_template_rendering, room, label, method, name, keys, data, expected
):
    args = [room[key] for key in keys]
    url = reverse(name, args=args)
    wrong = permissions.check(
        persona_client,
        url,
        expected,
        method=method,
        data=data,
        personas=PERSONAS,
        redirects={"anonymous": reverse("account_login")},
        label=label,
    )
    assert not wrong, f"{label} {url}: " + "; ".join(wrong)
