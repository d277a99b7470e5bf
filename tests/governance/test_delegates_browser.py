"""A delegate certified as people do it, in real Chromium: the city, the bureau, the delegate."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import expect

from tests.factories import PASSWORD, UserFactory
from tests.governance.conftest import pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_city_certifies_a_delegate_the_bureau_validates_the_dashboard_shows_it(
    browser, browser_context_args, live_server, demo, sign_in, axe
):
    person = UserFactory(email="nadia.new@potsdam.example", full_name="Nadia New")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    sign_in(page, "coordinator")
    page.get_by_role("link", name="Delegates of Potsdam").click()
    page.get_by_role("link", name="Certify a delegate or substitute").click()
    page.get_by_label("Email of the person certified").fill(person.email)
    page.get_by_label("Certified as").select_option("delegate")
    page.get_by_label("Valid from").fill(tomorrow.isoformat())
    page.get_by_label("Mandate letter signed by").fill("Mike Mayor")
    page.get_by_label("Office of the signatory").fill("Mayor of Potsdam")
    page.get_by_label("Mandate letter signed for the mayor (PDF)").set_input_files(
        {"name": "mandate.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes("Mandate")}
    )
    axe(page, context="the certification form, filled")
    page.get_by_role("button", name="Send to the bureau").click()
    expect(page.get_by_text("The certification was sent to the bureau")).to_be_visible()
    expect(page.get_by_role("cell", name="Waiting for the bureau")).to_be_visible()
    context.close()

    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    sign_in(page, "bureau", then=f"{live_server.url}/bureau/")
    page.get_by_role("link", name="Certifications").click()
    page.get_by_role("link", name=f"Potsdam: {person.email}").click()
    # The review page has loaded (axe on a page still navigating finds no document to check).
    expect(page.get_by_role("button", name="Validate the certification")).to_be_visible()
    axe(page, context="the bureau's review of a certification")
    page.get_by_role("button", name="Validate the certification").click()
    expect(page.get_by_text("The certification was validated.")).to_be_visible()
    context.close()

    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    sign_in(page, person.email, password=PASSWORD)
    expect(
        page.get_by_text(
            f"Delegate of Potsdam in ECCAR, from {date_format(tomorrow, 'DATE_FORMAT')} "
            "until revoked"
        )
    ).to_be_visible()
    context.close()
