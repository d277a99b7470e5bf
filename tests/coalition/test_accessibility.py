"""axe-core (WCAG 2.2 AA) on every page each demo account works with, in every language.

The journeys run axe on the pages they pass through; this sweep covers the rest:
dashboards, queues, lists, forms and the account pages, as each role sees them
with the demo data, in each of the portal's languages (Arabic right to left).
"""

from __future__ import annotations

import pytest
from django.conf import settings

from tests.coalition.pages import pages_of

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def use_language(page, live_server, language: str) -> None:
    """The language cookie the switch sets: every next page comes in that language."""
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# Five languages of every page: the bureau's 29 pages take longer than the suite's 300 s.
@pytest.mark.timeout(1200)
@pytest.mark.parametrize(
    "account",
    ["anonymous", "coordinator", "delegate", "applicant", "committee", "bureau", "secretariat"],
)
def test_every_page_of_the_account_passes_axe(page, live_server, demo, sign_in, axe, account):
    if account != "anonymous":
        sign_in(page, account)
        page.wait_for_url(f"{live_server.url}/dashboard/")
    paths = pages_of(account)
    for language in LANGUAGES:
        use_language(page, live_server, language)
        for path in paths:
            response = page.goto(live_server.url + path)
            assert response.status == 200, f"{path} in {language}: {response.status}"
            assert page.locator("html").get_attribute("lang") == language
            axe(page, context=f"{path} as {account} in {language}")


def test_the_axe_helper_fails_on_a_page_with_violations(page, live_server, axe):
    """The sweep above is only worth something if the helper can fail."""
    page.goto(live_server.url + "/healthz")
    page.set_content('<html><body><img src="x.png"><form><input name="q"></form></body></html>')
    with pytest.raises(pytest.fail.Exception) as failure:
        axe(page, context="a broken page")
    assert "image-alt" in str(failure.value)
    assert "label" in str(failure.value)
