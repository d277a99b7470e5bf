"""Governance's main tasks with the keyboard only, in real Chromium (issues 10 and 14): an
applicant applies for a city, a committee member votes and changes the vote, the assembly's
chair runs a poll and a teller confirms it.

Only Tab, typing, Space, Enter and the arrow keys: at every stop the focus is on an element,
on screen and visibly marked (tests/keyboard.py). The mayor's letter is the one exception:
Space on the file input opens the system's file chooser, which a headless browser cannot
drive, so `set_input_files` on the focused input stands in for it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from governance.models import (
    AdmissionApplication,
    AssemblyPoll,
    Ballot,
    CommitteeVote,
)
from governance.services import polls
from tests.governance.conftest import pdf_bytes
from tests.governance.polls_support import demo_sitting
from tests.keyboard import (
    by_name,
    by_text,
    fill,
    focus_kept,
    focused,
    press_and_load,
    sign_in_with_the_keyboard,
    tab_to,
    type_date,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CITY = "Aurillac"


def test_an_applicant_applies_for_a_city_with_the_keyboard_only(page, live_server, demo, axe):
    sign_in_with_the_keyboard(page, live_server, "applicant")
    page.goto(live_server.url + "/")
    tab_to(page, by_text("Join the coalition"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Apply for your city to join")
    page.wait_for_load_state("load")

    fill(page, by_name("city_name"), CITY)
    tab_to(page, by_name("country"), limit=5)
    page.keyboard.type("France")  # a closed <select> takes the typed name
    expect(page.locator("select[name='country']")).to_have_value("FR")
    fill(page, by_name("region"), "Auvergne-Rhône-Alpes", limit=5)
    fill(page, by_name("latitude"), "44.926", limit=5)
    fill(page, by_name("longitude"), "2.440", limit=5)
    fill(page, by_name("contact_position"), "Deputy mayor", limit=5)
    fill(page, by_name("focal_point_name"), "Anna Applicant", limit=8)
    fill(page, by_name("focal_point_email"), "anna.applicant@aurillac.example", limit=5)
    tab_to(page, by_name("letter"), limit=5)
    # The system's file chooser stands in here (see the module's docstring).
    page.locator(":focus").set_input_files(
        {"name": "aurillac-letter.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}
    )
    focus_kept(page)
    tab_to(page, by_name("letter_signed_on"), limit=5)
    signed = timezone.localdate() - dt.timedelta(days=3)
    type_date(page, signed)
    expect(page.locator("input[name='letter_signed_on']")).to_have_value(signed.isoformat())
    for n in range(1, 11):  # one field a commitment, each reached with Tab
        tab_to(page, lambda f: f["name"].startswith("actions_"), limit=5)
        page.keyboard.type(f"{CITY}: action {n}")
    tab_to(page, by_text("Submit the application"), limit=5)
    page.keyboard.press("Enter")
    expect(page.locator("#application-status")).to_have_text("Submitted, waiting for the bureau")
    axe(page, context="the application page, reached with the keyboard")
    application = AdmissionApplication.objects.get(city_name=CITY)
    assert application.applicant.email == "applicant@demo.coalition.example"
    assert application.letter_filename == "aurillac-letter.pdf"


def test_a_committee_member_votes_and_changes_the_vote_with_the_keyboard_only(
    page, live_server, demo, axe
):
    vote = CommitteeVote.objects.open().first()
    sign_in_with_the_keyboard(page, live_server, "committee")
    page.goto(live_server.url + "/committee/")
    tab_to(page, lambda f: f["tag"] == "a" and f["text"].startswith(vote.question[:40]))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(vote.question)
    page.wait_for_load_state("load")

    tab_to(page, lambda f: f["name"] == "choice")
    page.keyboard.press("Space")  # the first choice is "Yes"
    assert focused(page)["value"] == "yes"
    tab_to(page, by_text("Cast my vote"), limit=3)
    page.keyboard.press("Enter")
    expect(page.locator("#my-choice")).to_have_text("Yes")
    page.wait_for_load_state("load")

    # Tab enters the group on the checked choice; the arrows move (and check) within it.
    tab_to(page, by_name("choice", value="yes"))
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert focused(page)["value"] == "abstain"
    tab_to(page, by_text("Change my vote"), limit=3)
    page.keyboard.press("Enter")
    expect(page.locator("#my-choice")).to_have_text("Abstain")
    expect(page.locator(".messages")).to_contain_text("abstain", ignore_case=True)
    axe(page, context="the vote page after a changed vote")
    ghent = Ballot.objects.get(vote=vote, city__name="Ghent")
    assert ghent.choice == "abstain"


def test_the_chair_runs_a_poll_and_the_teller_confirms_with_the_keyboard_only(
    browser, browser_context_args, live_server, demo, axe
):
    session = demo_sitting(
        title="Sitting run from the keyboard", open_poll=False, released_poll=False
    )
    chair_page = f"{live_server.url}/sessions/{session.pk}/chair/"
    chair_context = browser.new_context(**browser_context_args)
    chair = sign_in_with_the_keyboard(chair_context.new_page(), live_server, "bureau")
    chair.goto(chair_page)
    expect(chair.locator(".quorum")).to_contain_text("quorum")

    # Each item is a <details>: Enter on its summary opens its form.
    tab_to(chair, lambda f: f["tag"] == "summary" and "common data standard" in f["text"])
    chair.keyboard.press("Enter")
    tab_to(chair, lambda f: f["name"].endswith("-kind"), limit=3)
    fill(chair, lambda f: f["name"].endswith("-question"), "Adopt the data standard?", limit=3)
    tab_to(chair, by_text("Open the poll"), limit=5)
    press_and_load(chair)
    expect(chair.get_by_text("The poll is open")).to_be_visible()
    progress = chair.locator(".poll-progress").first
    expect(progress).to_contain_text("0 of 1 cities have voted")
    axe(chair, context="the chair's page with an open poll, from the keyboard")

    # The chair waits on "Close the poll" while the delegate votes: the progress is swapped
    # in by htmx (every 3 s) and the focus stays where it was.
    tab_to(chair, by_text("Close the poll"), limit=30)
    poll = AssemblyPoll.objects.get(session=session, status="open")
    polls.cast_ballot(actor=demo["delegate"], poll=poll, choice="yes")
    expect(progress).to_contain_text("1 of 1 cities have voted", timeout=10_000)
    assert focus_kept(chair)["text"] == "Close the poll"

    # The confirmation dialog: focus on the safe answer; Escape gives it back to the button.
    chair.keyboard.press("Enter")
    here = focused(chair)
    assert here["inDialog"] and here["text"] == "Not yet", here
    axe(chair, context="the close-the-poll dialog")
    chair.keyboard.press("Escape")
    assert focus_kept(chair)["text"] == "Close the poll"
    chair.keyboard.press("Enter")
    chair.keyboard.press("Shift+Tab")
    assert focused(chair)["text"] == "Close"
    press_and_load(chair)
    expect(chair.get_by_text("The poll is closed")).to_be_visible()

    tab_to(chair, by_text("Release the result"))
    chair.keyboard.press("Enter")
    chair.keyboard.press("Shift+Tab")
    assert focused(chair)["text"] == "Release"
    press_and_load(chair)
    expect(chair.get_by_text("The result is released")).to_be_visible()
    axe(chair, context="the chair's page with a released result")

    teller_context = browser.new_context(**browser_context_args)
    teller = sign_in_with_the_keyboard(teller_context.new_page(), live_server, "committee")
    teller.goto(chair_page)
    tab_to(teller, by_text("Confirm the result"))
    teller.keyboard.press("Enter")
    teller.keyboard.press("Shift+Tab")
    assert focused(teller)["text"] == "Confirm"
    press_and_load(teller)
    expect(teller.get_by_text("The result is confirmed and public.")).to_be_visible()
    result = "Yes 1, No 0, Abstain 0"
    expect(teller.locator("main")).to_contain_text(result)
    poll.refresh_from_db()
    assert poll.status == "published"  # confirmed by the teller, and public
    for context in (chair_context, teller_context):
        context.close()
