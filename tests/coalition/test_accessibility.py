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
#: The public pages and the coordinator's (the people most likely to read the portal in
#: German or Spanish) are checked in every language. The other roles' pages are checked in
#: English, French and Arabic: left to right with and without accents, and right to left.
#: German and Spanish give those pages the same markup with other words, and the overflow
#: test (test_i18n_browser) measures them in every language. Checking every role in every
#: language took a third of CI's time.
EVERY_LANGUAGE_ACCOUNTS = {"anonymous", "coordinator"}
SAMPLE_LANGUAGES = [code for code in ("en", "fr", "ar") if code in LANGUAGES]
#: Colour contrast is checked in English and in Arabic (right to left, another font), not
#: again in French, German and Spanish: a page's colours come from the one stylesheet
#: whatever its language, and the rule was about 70 % of axe's time in the sweep (the
#: journeys check it on their pages too). Every other rule runs in every language.
CONTRAST_LANGUAGES = {"en", "ar"}


def use_language(page, live_server, language: str) -> None:
    """The language cookie the switch sets: every next page comes in that language."""
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


ACCOUNTS = [
    "anonymous",
    "coordinator",
    "delegate",
    "applicant",
    "committee",
    "bureau",
    "secretariat",
]
#: One test per account and language, so that pytest-xdist shares the sweep out between its
#: processes (as one test per account, the bureau's and the coordinator's ran last and alone).
SWEEP = [
    (account, language)
    for account in ACCOUNTS
    for language in (LANGUAGES if account in EVERY_LANGUAGE_ACCOUNTS else SAMPLE_LANGUAGES)
]


# The coordinator's and the bureau's pages take longer than the suite's 300 s on a busy machine.
@pytest.mark.timeout(600)
@pytest.mark.parametrize(("account", "language"), SWEEP)
def test_every_page_of_the_account_passes_axe(
    page, live_server, demo, sign_in, axe, account, language
):
    if account != "anonymous":
        sign_in(page, account)
        page.wait_for_url(f"{live_server.url}/dashboard/")
    use_language(page, live_server, language)
    for path in pages_of(account):
        response = page.goto(live_server.url + path)
        assert response.status == 200, f"{path} in {language}: {response.status}"
        assert page.locator("html").get_attribute("lang") == language
        axe(
            page,
            context=f"{path} as {account} in {language}",
            skip=() if language in CONTRAST_LANGUAGES else ("color-contrast",),
        )


def test_the_axe_helper_fails_on_a_page_with_violations(page, live_server, axe):
    """The sweep above is only worth something if the helper can fail."""
    page.goto(live_server.url + "/healthz")
    page.set_content('<html><body><img src="x.png"><form><input name="q"></form></body></html>')
    with pytest.raises(pytest.fail.Exception) as failure:
        axe(page, context="a broken page")
    assert "image-alt" in str(failure.value)
    assert "label" in str(failure.value)


def test_the_axe_helper_leaves_out_only_the_rules_it_is_told_to(page, live_server, axe):
    """The sweep's French, German and Spanish pages skip colour contrast, and nothing else."""
    page.goto(live_server.url + "/healthz")
    page.set_content(
        '<html lang="en"><head><title>t</title></head><body><main>'
        '<p style="color:#bbb;background:#fff">faint</p><img src="x.png">'
        "</main></body></html>"
    )
    with pytest.raises(pytest.fail.Exception) as failure:
        axe(page, context="faint text")
    assert "color-contrast" in str(failure.value)
    with pytest.raises(pytest.fail.Exception) as failure:
        axe(page, context="faint text, contrast skipped", skip=("color-contrast",))
    assert "color-contrast" not in str(failure.value)
    assert "image-alt" in str(failure.value)
