"""The foundation as a person meets it, in real Chromium."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from coalition.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_renders_and_passes_axe(page, live_server, demo, axe):
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cities together")
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    expect(page.get_by_role("link", name="Skip to main content")).to_be_attached()
    axe(page)


def test_skip_link_moves_focus_to_the_main_content(page, live_server, demo):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


@pytest.mark.parametrize(
    ("account", "expected", "absent"),
    [
        (
            "coordinator",
            ["My dashboard", "Reports"],
            ["Bureau", "Evaluation", "Reporting cycles", "Administration"],
        ),
        ("delegate", ["My dashboard"], ["Bureau", "Evaluation", "Committee", "Administration"]),
        ("committee", ["My dashboard", "Committee"], ["Bureau", "Evaluation", "Administration"]),
        (
            "bureau",
            ["My dashboard", "Bureau", "Reporting cycles", "Administration"],
            ["Evaluation"],
        ),
        ("secretariat", ["My dashboard", "Evaluation"], ["Bureau", "Committee"]),
        ("admin", ["My dashboard", "Reporting cycles", "Administration"], []),
    ],
)
def test_demo_user_signs_in_and_sees_their_roles_navigation(
    page, live_server, demo, sign_in_through_form, account, expected, absent
):
    # Through the real login form and, for staff, the TOTP step: the other browser tests'
    # `sign_in` posts the same forms from the server side.
    sign_in_through_form(page, account)
    nav = page.get_by_role("navigation", name="Main")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    for label in expected:
        expect(nav.get_by_role("link", name=label, exact=True)).to_be_visible()
    for label in absent:
        expect(nav.get_by_role("link", name=label, exact=True)).to_have_count(0)


def test_wrong_password_gets_a_clear_error(page, live_server, demo, axe):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill("coordinator@demo.coalition.example")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign In").click()
    expect(
        page.get_by_text("The email address and/or password you specified are not correct.")
    ).to_be_visible()
    expect(page.get_by_label("Email")).to_have_value("coordinator@demo.coalition.example")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    axe(page, context="login page with an error")


def test_switching_to_french_changes_the_interface(page, live_server, demo, axe):
    page.goto(live_server.url + "/")
    page.get_by_label("Language").select_option("fr")
    page.get_by_role("button", name="Change").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    nav = page.get_by_role("navigation", name=re.compile("Principal|Main"))
    expect(nav.get_by_role("link", name="Accueil")).to_be_visible()
    expect(page.get_by_role("link", name="Aller au contenu principal")).to_be_attached()
    axe(page, context="home page in French")
    # The choice sticks on the next page.
    page.get_by_role("link", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Connexion")


def test_a_person_downloads_their_data_then_closes_their_account(
    page, live_server, demo, sign_in, axe
):
    person = UserFactory(email="leaving@example.org", full_name="Lea Leaving")
    sign_in(page, person.email, password=PASSWORD, then=live_server.url + "/privacy/")
    axe(page, context="privacy page")
    page.get_by_role("link", name="See and download your data").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your data")
    axe(page, context="the data page")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as JSON").click()
    data = json.loads(download.value.path().read_text(encoding="utf-8"))
    assert data["account"]["email"] == "leaving@example.org"

    page.get_by_role("navigation", name="Your account").get_by_role(
        "link", name="Close your account"
    ).click()
    expect(page).to_have_url(re.compile(r"/accounts/close/$"))
    axe(page, context="the close account page")
    page.get_by_label("I understand that closing my account cannot be undone.").check()
    page.get_by_role("button", name="Close my account").click()
    # allauth asks for the password again, then carries the confirmed request out.
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("Your account is closed.")).to_be_visible()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    assert not User.objects.get(pk=person.pk).is_active
