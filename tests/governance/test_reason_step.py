"""governance.views.confirm.reason_step on a real page: the bureau rejects a proxy.

A missing reason or a refused step comes back as the form with its error on the field
(HTTP 400), never a server error; a reason given does the step and redirects.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from governance.models import Proxy, ProxyStatus
from governance.services import proxies
from tests.governance.conftest import pdf_upload
from tests.governance.polls_support import sitting_room

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted():
    room = sitting_room(3, present=1, proxies_allowed=True, proxy_cap=2)
    proxy = proxies.register_proxy(
        actor=room.world.bureau,
        session=room.session,
        principal=room.cities[2],
        holder=room.cities[0],
        signed_by_name="The Mayor",
        form=pdf_upload("proxy.pdf", "Proxy form"),
    )
    return room, proxy


def test_a_missing_reason_shows_the_form_again_with_the_error_on_its_field(client, submitted):
    room, proxy = submitted
    client.force_login(room.world.bureau)
    url = reverse("governance:proxy_reject", args=[proxy.pk])
    assert client.get(url).status_code == 200
    for reason in ("", "   "):
        response = client.post(url, {"reason": reason})
        assert response.status_code == 400
        html = response.content.decode()
        assert 'id="id_reason_errors"' in html and 'aria-invalid="true"' in html
        assert "This field is required." in html
        assert response.context["form"].errors["reason"]
    assert Proxy.objects.get(pk=proxy.pk).status == ProxyStatus.SUBMITTED


def test_a_refused_step_comes_back_as_400_and_a_reason_rejects(client, submitted):
    room, proxy = submitted
    client.force_login(room.world.bureau)
    url = reverse("governance:proxy_reject", args=[proxy.pk])
    response = client.post(url, {"reason": "The form is not signed."})
    assert response.status_code == 302
    assert response["Location"] == reverse("governance:session_proxies", args=[room.session.pk])
    proxy.refresh_from_db()
    assert (proxy.status, proxy.rejection_reason) == (
        ProxyStatus.REJECTED,
        "The form is not signed.",
    )
    # Rejected twice: the service refuses, the page says why (not a server error).
    again = client.post(url, {"reason": "Still not signed."})
    assert again.status_code == 400
    assert "This proxy was decided already." in again.content.decode()
