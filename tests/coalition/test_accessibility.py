"""axe-core on every page each demo account works with, in real Chromium.

The journeys run axe on the pages they pass through; this sweep covers the rest:
dashboards, queues, lists, forms and the account pages, as each role sees them
with the demo data.
"""

from __future__ import annotations

import pytest

from tests.coalition.pages import pages_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    "account",
    ["anonymous", "coordinator", "delegate", "applicant", "committee", "bureau", "secretariat"],
)
def test_every_page_of_the_account_passes_axe(page, live_server, demo, sign_in, axe, account):
    if account != "anonymous":
        sign_in(page, account)
        page.wait_for_url(f"{live_server.url}/dashboard/")
    for path in pages_of(account):
        response = page.goto(live_server.url + path)
        assert response.status == 200, f"{path}: {response.status}"
        axe(page, context=f"{path} as {account}")


def test_the_axe_helper_fails_on_a_page_with_violations(page, live_server, axe):
    """The sweep above is only worth something if the helper can fail."""
    page.goto(live_server.url + "/healthz")
    page.set_content('<html><body><img src="x.png"><form><input name="q"></form></body></html>')
    with pytest.raises(pytest.fail.Exception) as failure:
        axe(page, context="a broken page")
    assert "image-alt" in str(failure.value)
    assert "label" in str(failure.value)
