"""Governance as people meet it, in real Chromium: apply, review, vote, join the directory."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from governance import services
from governance.models import AdmissionApplication, CommitteeSeat, SeatKind
from members.models import MembershipStatus
from tests.factories import PASSWORD, UserFactory
from tests.governance.browser_steps import open_the_vote_confirming, tick_the_application_check
from tests.governance.conftest import pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OUTSIDER = "outsider@example.org"


def fill_application(page, *, city: str = "Lyon", letter: dict | None = None) -> None:
    """Fill every field of /apply/ as an applicant would (ECCAR's ten commitments)."""
    page.get_by_label("City name").fill(city)
    page.get_by_label("Name in the local language").fill(f"{city} (local)")
    page.get_by_label("Country").select_option("FR")
    page.get_by_label("Region or state").fill("Auvergne-Rhône-Alpes")
    page.get_by_label("Latitude").fill("45.764043")
    page.get_by_label("Longitude").fill("4.835659")
    page.get_by_label("Contact person (required)").fill("Claire Contact")
    page.get_by_label("Position in the city administration").fill("Deputy mayor")
    page.get_by_label("Contact email (required)").fill("claire@lyon.example")
    page.get_by_label("Focal point (future city coordinator) (required)").fill("Fabien Focal")
    page.get_by_label("Focal point email (required)").fill("fabien@lyon.example")
    page.get_by_label("Date the mayor signed the letter").fill(
        (timezone.localdate() - dt.timedelta(days=5)).isoformat()
    )
    for n, textarea in enumerate(page.locator("textarea[name^='actions_']").all(), start=1):
        textarea.fill(f"Action {n} of {city}\nSecond action {n}")
    if letter is not None:
        page.get_by_label("Mayor's signed letter of commitment (PDF)").set_input_files(letter)


def pdf_file(name: str = "lyon-letter.pdf", content: bytes | None = None) -> dict:
    return {"name": name, "mimeType": "application/pdf", "buffer": content or pdf_bytes()}


def committee_of_three(admin) -> list:
    """ECCAR's committee reduced to three voting seats, each with a person who can sign in."""
    today = timezone.localdate()
    keep = {"Ghent": None, "Berlin": UserFactory(), "Bologna": UserFactory()}
    for seat in CommitteeSeat.objects.current().filter(
        coalition__short_name="ECCAR", kind=SeatKind.VOTING
    ):
        name = seat.city.name
        if name not in keep:
            services.update_seat(
                actor=admin,
                seat=seat,
                starts_on=today - dt.timedelta(days=60),
                ends_on=today - dt.timedelta(days=1),
            )
        elif keep[name] is not None:
            services.update_seat(actor=admin, seat=seat, representative=keep[name])
    return ["committee", keep["Berlin"].email, keep["Bologna"].email]


@pytest.fixture
def new_page(browser, browser_context_args):
    """A page in a fresh browser context (its own cookies), configured like the `page` fixture."""
    contexts = []

    def make():
        context = browser.new_context(**browser_context_args)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def test_a_city_applies_is_voted_in_and_appears_in_the_directory(
    live_server, new_page, demo, outsider, administrator, sign_in, axe
):
    voters = committee_of_three(administrator)

    # The applicant applies for a new city with the mayor's letter.
    applicant = new_page()
    sign_in(applicant, OUTSIDER, password=PASSWORD, then=live_server.url + "/apply/")
    expect(applicant.get_by_role("heading", level=1)).to_have_text("Apply for your city to join")
    axe(applicant, context="application form")
    fill_application(applicant, letter=pdf_file())
    applicant.get_by_role("button", name="Submit the application").click()
    expect(applicant.locator("#application-status")).to_have_text(
        "Submitted, waiting for the bureau"
    )
    axe(applicant, context="application page")

    # The bureau (with its two-factor step) puts it to the committee's vote.
    bureau = new_page()
    sign_in(bureau, "bureau", then=live_server.url + "/bureau/")
    bureau.get_by_role("link", name="Lyon").click()
    expect(bureau.get_by_role("heading", level=1)).to_contain_text("Application of Lyon")
    axe(bureau, context="review page")
    tick_the_application_check(bureau)
    open_the_vote_confirming(bureau)
    expect(bureau.get_by_role("heading", level=1)).to_have_text(
        "Admit Lyon (France) as a member of ECCAR?"
    )
    expect(bureau.locator("#vote-tally")).to_contain_text("0 / 3")

    # Three committee members vote through their pages; the last vote closes it.
    for n, account in enumerate(voters):
        member = new_page()
        if account == "committee":
            sign_in(member, account)
        else:
            sign_in(member, account, password=PASSWORD)
        member.goto(live_server.url + "/committee/")
        member.get_by_role("link", name=re.compile("Admit Lyon")).click()
        if n == 0:
            axe(member, context="voting page")
        member.get_by_label("Yes").check()
        member.get_by_role("button", name="Cast my vote").click()
        if n < len(voters) - 1:
            expect(member.locator("#my-choice")).to_have_text("Yes")
            expect(member.locator("#vote-tally")).to_contain_text(f"{n + 1} / 3")
        else:
            expect(member.locator("#vote-outcome")).to_have_text("Adopted")

    # The applicant sees the decision, and the public directory lists the city as a member.
    applicant.reload()
    expect(applicant.locator("#application-status")).to_have_text("Admitted")
    visitor = new_page()
    visitor.goto(live_server.url + "/cities/?q=lyon")
    visitor.get_by_role("link", name="Lyon", exact=True).first.click()
    expect(visitor.get_by_role("heading", level=1)).to_contain_text("Lyon")
    application = AdmissionApplication.objects.get(city_name="Lyon")
    assert application.membership.status == MembershipStatus.MEMBER
    assert application.membership.chosen_actions.count() == 20


def test_a_wrong_upload_gets_a_clear_message_and_nothing_typed_is_lost(
    live_server, page, demo, outsider, sign_in, axe
):
    sign_in(page, OUTSIDER, password=PASSWORD, then=live_server.url + "/apply/")

    # Not a PDF, whatever its name says.
    fill_application(page, letter=pdf_file("letter.pdf", b"PK\x03\x04 a zip file, not a PDF"))
    page.get_by_role("button", name="Submit the application").click()
    letter = page.get_by_label("Mayor's signed letter of commitment (PDF)")
    expect(page.locator("#id_letter_errors")).to_contain_text("This file is not a PDF")
    expect(letter).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("City name")).to_have_value("Lyon")
    expect(page.get_by_label("Contact email (required)")).to_have_value("claire@lyon.example")
    expect(page.get_by_label("Country")).to_have_value("FR")
    expect(page.locator("textarea[name^='actions_']").nth(9)).to_have_value(
        "Action 10 of Lyon\nSecond action 10"
    )
    axe(page, context="application form with errors")

    # Too large: 12 MB.
    big = pdf_bytes() + b"%" + b"0" * (12 * 1024 * 1024)
    letter.set_input_files(pdf_file("scan.pdf", big))
    page.get_by_role("button", name="Submit the application").click()
    expect(page.locator("#id_letter_errors")).to_contain_text("the largest file accepted is 10")
    expect(page.get_by_label("Focal point email (required)")).to_have_value("fabien@lyon.example")

    # A good letter with a mistake elsewhere: the letter is kept, not asked for again.
    letter.set_input_files(pdf_file("signed.pdf"))
    page.get_by_label("Contact email (required)").fill("claire-at-lyon")
    page.get_by_role("button", name="Submit the application").click()
    expect(page.locator("#id_contact_email_errors")).to_be_visible()
    expect(page.locator("#kept-letter-note")).to_contain_text("signed.pdf")
    page.get_by_label("Contact email (required)").fill("claire@lyon.example")
    page.get_by_role("button", name="Submit the application").click()
    expect(page.locator("#application-status")).to_have_text("Submitted, waiting for the bureau")
    assert AdmissionApplication.objects.get(city_name="Lyon").letter_filename == "signed.pdf"
