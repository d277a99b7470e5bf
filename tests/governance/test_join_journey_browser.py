"""Joining, end to end in real Chromium (issue 12): an unknown visitor finds "Join the
coalition" on the home page, signs up (with the email verification allauth requires), applies
for a new city with the mayor's letter; the bureau (with its two-factor step) works through the
application check and opens the committee's vote, confirming it; the demo committee's members
vote on their own pages until every seat has voted and the vote closes with its quorum; the
applicant sees the decision. axe-core checks every kind of page on the way, in English."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from coalition.demo import COMMITTEE_SEAT_CITIES, seat_account
from governance.models import AdmissionApplication, ApplicationCheck, ApplicationStatus
from members.models import MembershipStatus, Role, RoleKind
from tests.governance.browser_steps import open_the_vote_confirming
from tests.governance.conftest import pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CITY = "Aurillac"
EMAIL = "claire.martin@aurillac.example"
PASSWORD = "a-long-pass-phrase-for-aurillac"
#: Set UI_SHOTS_DIR to keep screenshots of the review page with its check (390 and 1280 px).
SHOTS = os.environ.get("UI_SHOTS_DIR")


def _shoot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


@pytest.fixture
def new_page(browser, browser_context_args):
    contexts = []

    def make(width: int = 1280):
        context = browser.new_context(
            **browser_context_args, viewport={"width": width, "height": 900}
        )
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def _confirmation_link(mailoutbox) -> str:
    for message in reversed(mailoutbox):
        if EMAIL in message.to:
            found = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body)
            if found:
                return found.group(0)
    raise AssertionError(f"no confirmation email to {EMAIL} in {len(mailoutbox)} messages")


def _sign_up_and_apply(page, live_server, mailoutbox, axe) -> None:
    page.goto(live_server.url + "/")
    axe(page, context="home page, unknown visitor")
    page.get_by_role("main").get_by_role("link", name="Join the coalition").click()
    # Applying needs an account: the sign-in page offers to create one.
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=(%2F|/)apply"))
    axe(page, context="sign-in page")
    page.get_by_role("main").get_by_role("link", name=re.compile("sign up", re.I)).click()
    expect(page.get_by_label("Full name")).to_be_visible()
    axe(page, context="sign-up page")
    page.get_by_label("Full name").fill("Claire Martin")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_label(re.compile(r"^Password \(again\):?$")).fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    expect(page).to_have_url(re.compile("/accounts/confirm-email/"))
    axe(page, context="verify your email page")

    # The link in the email confirms the address and signs the person in.
    page.goto(_confirmation_link(mailoutbox))
    axe(page, context="email confirmation page")
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_load_state()
    axe(page, context="after the confirmation")
    page.goto(live_server.url + "/")
    page.get_by_role("main").get_by_role("link", name="Join the coalition").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Apply for your city to join")
    axe(page, context="application form")

    page.get_by_label("City name").fill(CITY)
    page.get_by_label("Country").select_option("FR")
    page.get_by_label("Region or state").fill("Auvergne-Rhône-Alpes")
    page.get_by_label("Latitude").fill("44.926")
    page.get_by_label("Longitude").fill("2.440")
    expect(page.get_by_label("Contact person (required)")).to_have_value("Claire Martin")
    page.get_by_label("Position in the city administration").fill("Deputy mayor")
    page.get_by_label("Focal point (future city coordinator) (required)").fill("Claire Martin")
    page.get_by_label("Focal point email (required)").fill(EMAIL)
    page.get_by_label("Date the mayor signed the letter").fill("2026-11-20")
    for n, textarea in enumerate(page.locator("textarea[name^='actions_']").all(), start=1):
        textarea.fill(f"{CITY}: action {n}, with a named officer")
    page.get_by_label("Mayor's signed letter of commitment (PDF)").set_input_files(
        {"name": "aurillac-letter.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}
    )
    page.get_by_role("button", name="Submit the application").click()
    expect(page.locator("#application-status")).to_have_text("Submitted, waiting for the bureau")
    axe(page, context="the applicant's application page")


def _bureau_checks_and_opens_the_vote(page, live_server, sign_in, axe) -> None:
    sign_in(page, "bureau", then=live_server.url + "/bureau/")
    axe(page, context="bureau home")
    page.get_by_role("link", name=CITY).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Application of {CITY}")
    check = page.locator("#application-check")
    expect(check).to_contain_text("0 of 4 items checked.")
    # What the portal found itself is there already; the vote waits for the bureau's ticks.
    expect(check).to_contain_text("10 of 10 commitments have at least one action")
    expect(check).to_contain_text("A portal account has confirmed this address")
    expect(check).to_contain_text("Cities in France need their council's resolution")
    opening = page.get_by_role("button", name="Open the vote…")
    expect(opening).to_be_disabled()
    expect(page.locator("#open-vote-blocked")).to_contain_text("4 items are still to tick")
    axe(page, context="review page, check not started")
    _shoot(page, "application-check-1280")

    for box in check.locator("input[type=checkbox]").all():
        box.check()
    check.locator("textarea[name='letter_signed_note']").fill("Signed by the mayor, 20 Nov.")
    check.locator("textarea[name='council_resolution_note']").fill(
        "Council resolution 2026-114 of 18 November, sent with the letter."
    )
    check.get_by_role("button", name="Save the check").click()
    expect(page.get_by_text("The application check was saved.")).to_be_visible()
    expect(check).to_contain_text("4 of 4 items checked.")
    expect(check).to_contain_text("Ticked by Bruno Bureau")
    expect(opening).to_be_enabled()
    axe(page, context="review page, check complete")
    _shoot(page, "application-check-done-1280")

    # Without JavaScript the button leads to a confirmation page; it asks, and opens nothing.
    review_url = page.url.split("#")[0]
    page.goto(review_url + "open-vote/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Open the committee's vote on the admission of {CITY} to ECCAR?"
    )
    axe(page, context="the open-the-vote confirmation page")
    page.get_by_role("link", name="Not yet").click()
    expect(page).to_have_url(review_url)

    # With it, a dialog asks first; "Not yet" changes nothing.
    opening.click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text(f"Open the committee's vote on the admission of {CITY}?")
    axe(page, context="the open-the-vote dialog")
    dialog.get_by_role("button", name="Not yet").click()
    expect(dialog).to_be_hidden()
    assert not AdmissionApplication.objects.get(city_name=CITY).votes.exists()
    open_the_vote_confirming(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Admit {CITY} (France) as a member of ECCAR?"
    )
    expect(page.get_by_text("The steering committee's vote is open.")).to_be_visible()
    axe(page, context="the vote page, for the bureau")


def _committee_votes(new_page, live_server, sign_in, axe) -> None:
    """Each of the 17 voting seats votes on its own page; the last ballot closes the vote."""
    accounts = [seat_account(city) for city in COMMITTEE_SEAT_CITIES]
    choices = {accounts[1]: "No", accounts[2]: "Abstain"}
    for n, account in enumerate(accounts, start=1):
        page = new_page()
        sign_in(page, account, then=live_server.url + "/committee/")
        if n == 1:
            axe(page, context="committee home")
        page.get_by_role("link", name=re.compile(f"Admit {CITY}")).click()
        if n == 1:
            axe(page, context="the vote page, for a member")
        page.get_by_label(choices.get(account, "Yes"), exact=True).check()
        page.get_by_role("button", name="Cast my vote").click()
        if n < len(accounts):
            expect(page.locator("#vote-tally")).to_contain_text(f"{n} / {len(accounts)}")
            if n == 1:
                axe(page, context="the vote page after one's vote")
        else:
            expect(page.locator("#vote-outcome")).to_have_text("Adopted")
            expect(page.get_by_text("Every seat has voted: the vote is closed.")).to_be_visible()
            axe(page, context="the closed vote page")
        page.context.close()


def test_a_visitor_joins_from_the_home_page_and_the_demo_committee_decides(
    live_server, new_page, demo, sign_in, axe, mailoutbox
):
    applicant = new_page()
    _sign_up_and_apply(applicant, live_server, mailoutbox, axe)
    _bureau_checks_and_opens_the_vote(new_page(), live_server, sign_in, axe)
    _committee_votes(new_page, live_server, sign_in, axe)

    # The applicant sees the decision on the application's page.
    applicant.reload()
    expect(applicant.locator("#application-status")).to_have_text("Admitted")
    decision = applicant.get_by_role("region", name="Decision")
    expect(decision).to_contain_text("Admitted by the steering committee's vote: 15 yes, 1 no")
    axe(applicant, context="the applicant's decided application")
    application = AdmissionApplication.objects.get(city_name=CITY)
    assert application.status == ApplicationStatus.ADMITTED
    assert application.membership.status == MembershipStatus.MEMBER
    assert ApplicationCheck.objects.filter(application=application, checked=True).count() == 4
    # The focal point named was the applicant's own confirmed address: now the city's coordinator.
    assert Role.objects.filter(
        user__email=EMAIL, kind=RoleKind.COORDINATOR, city=application.membership.city
    ).exists()


def test_the_review_page_with_its_check_on_a_phone(live_server, new_page, demo, sign_in, axe):
    page = new_page(390)
    application = AdmissionApplication.objects.get(city_name="Leipzig")
    sign_in(page, "bureau", then=f"{live_server.url}/bureau/applications/{application.pk}/")
    check = page.locator("#application-check")
    expect(check).to_contain_text("Cities in Germany need their council's resolution")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"the review page is {width}px wide on a 390px phone"
    axe(page, context="review page at 390px")
    _shoot(page, "application-check-390")
