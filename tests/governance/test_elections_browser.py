"""An election in real Chromium: the bureau opens voting and hands out the shares, the
delegate's page seals the ballot with the vendored libsodium, a teller opens the box, the
bureau releases the result and another teller confirms it, the delegate finds their tracker
and files a challenge, the bureau records the committee's decision. axe on every page, in
English and French."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from governance.models import Election, OpenedBallot, SealedBallot
from governance.services import elections as services
from members.models import City, Coalition
from tests.governance.election_world import end_window, letter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _published_election(demo) -> Election:
    now = timezone.now()
    today = timezone.localdate()
    election = services.create_election(
        actor=demo["bureau"],
        coalition=Coalition.objects.get(short_name="ECCAR"),
        details=services.ElectionDetails(
            title="Election of an added seat",
            method="approval",
            term_starts_on=today + dt.timedelta(days=40),
            term_ends_on=today + dt.timedelta(days=400),
            candidacy_deadline=now + dt.timedelta(hours=1),
            voting_opens_at=now + dt.timedelta(hours=2),
            voting_closes_at=now + dt.timedelta(days=7),
            challenge_ends_on=today + dt.timedelta(days=20),
        ),
        outgoing_seats=[],
        additional_seats=1,
    )
    services.open_call(actor=demo["bureau"], election=election)
    for name, coordinator, person in [
        ("Potsdam", demo["coordinator"], demo["substitute"]),
        ("Graz", demo["graz"], demo["graz"]),
    ]:
        services.nominate_candidate(
            actor=coordinator,
            election=election,
            city=City.objects.get(name=name),
            person=person,
            statement=f"{name} stands.",
            letter=letter(),
        )
    Election.objects.filter(pk=election.pk).update(
        candidacy_deadline=now - dt.timedelta(minutes=5), voting_opens_at=now
    )
    election.refresh_from_db()
    services.publish_candidates(actor=demo["bureau"], election=election)
    return election


def test_a_delegate_casts_a_sealed_ballot_and_the_tellers_count_it(
    browser, browser_context_args, live_server, demo, sign_in, axe
):
    election = _published_election(demo)
    detail_url = f"{live_server.url}/elections/{election.pk}/"

    # The bureau opens voting; the page shows each teller's share once.
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    sign_in(page, "bureau", then=f"{live_server.url}/bureau/elections/{election.pk}/")
    page.get_by_label("Camille Committee").check()
    page.get_by_label("Bruno Bureau").check()
    page.get_by_label("Shares needed to open the ballot box").fill("2")
    axe(page, context="the bureau's election page")
    page.get_by_role("button", name="Open voting and make the shares").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The tellers' shares")
    shares = page.locator("code.share").all_inner_texts()
    assert len(shares) == 2 and all(s.startswith("ccp-share:") for s in shares)
    axe(page, context="the shares page")
    context.close()

    # The delegate seals and casts Potsdam's ballot in the page.
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    sign_in(page, "delegate", then=detail_url)
    page.get_by_role("link", name="Cast the ballot of Potsdam").click()
    expect(page.locator("#ballot-form")).to_be_visible()  # libsodium loaded: the form shows
    expect(page.get_by_text("Voting needs JavaScript")).to_be_hidden()
    axe(page, context="the ballot page")
    page.get_by_label(re.compile("^Graz")).check()
    errors = []
    page.on("pageerror", lambda error: errors.append(error))
    bodies = []
    page.on("request", lambda r: bodies.append(r.post_data or "") if r.method == "POST" else None)
    page.get_by_role("button", name="Seal and cast the ballot").click()
    expect(page.get_by_text("The ballot of Potsdam is cast.")).to_be_visible()
    assert not errors
    assert bodies and "ciphertext=" in bodies[0]
    assert "Graz" not in bodies[0] and "choice" not in bodies[0]
    tracker = page.locator("#ballot-tracker-value").inner_text()
    assert re.fullmatch(r"[0-9a-f]{32}", tracker)
    sealed = SealedBallot.objects.get(election=election)
    expect(page.get_by_text(sealed.receipt)).to_be_visible()
    axe(page, context="the ballot page with its receipt")
    # In French too.
    page.get_by_label("Language").select_option("fr")
    page.get_by_role("button", name="Change").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    axe(page, context="the ballot page in French")
    page.goto(detail_url)
    axe(page, context="the election page in French")
    context.close()

    # Voting ends; the bureau closes the box; a teller enters the two shares.
    end_window(election)
    services.close_voting(actor=demo["bureau"], election=election)
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    sign_in(page, "committee", then=detail_url)
    page.get_by_role("link", name="Enter your share to open the ballot box").click()
    page.get_by_label("Share 1").fill(shares[0])
    page.get_by_label("Share 2").fill(shares[1])
    axe(page, context="the tally page")
    page.get_by_role("button", name="Open and count").click()
    expect(page.get_by_text("The ballot box is opened and counted.")).to_be_visible()
    graz = election.candidacies.get(city__name="Graz")
    assert list(
        OpenedBallot.objects.filter(election=election).values_list("choices", flat=True)
    ) == [[graz.pk]]
    # Counted, not public: the teller reviews it, the returning officer must release it.
    expect(page.get_by_role("cell", name=tracker)).to_have_count(0)
    page.get_by_role("link", name="Review the count before its release").click()
    expect(page.get_by_role("cell", name=tracker)).to_be_visible()
    expect(
        page.get_by_text("Waiting for the returning officer to release the result.")
    ).to_be_visible()
    axe(page, context="the result review page")
    context.close()
    review_url = f"{live_server.url}/elections/{election.pk}/result-review/"

    # The returning officer (the bureau, a teller too) releases; they may not also confirm.
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    sign_in(page, "bureau", then=f"{live_server.url}/bureau/elections/")
    axe(page, context="the bureau's elections")
    page.get_by_role("link", name="Election of an added seat").click()
    page.get_by_role("link", name="Review the count before its release").click()
    page.get_by_role("button", name="Release the result (returning officer)").click()
    page.get_by_role("dialog").get_by_role("button", name="Release the result").click()
    expect(page.get_by_text("a teller must now confirm it")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Confirm the release"))).to_have_count(0)
    axe(page, context="the result review page, released")
    context.close()

    # Meanwhile a city sees no result.
    demo["delegate"].language = "en"  # back from French, earlier in the journey
    demo["delegate"].save(update_fields=["language"])
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    sign_in(page, "delegate", then=detail_url)
    expect(page.get_by_text("The result is published once the returning officer")).to_be_visible()
    expect(page.get_by_role("cell", name=tracker)).to_have_count(0)
    context.close()

    # Another teller confirms: published, the challenge period runs.
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    sign_in(page, "committee", then=review_url)
    page.get_by_role("button", name="Confirm the release and publish (teller)").click()
    page.get_by_role("dialog").get_by_role("button", name="Confirm and publish").click()
    expect(
        page.get_by_text("the result is published and the challenge period runs")
    ).to_be_visible()
    context.close()

    # The city finds its tracker in the published list and the result; it may challenge.
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    sign_in(page, "delegate", then=detail_url)
    expect(page.get_by_role("cell", name=tracker)).to_be_visible()
    expect(page.get_by_text(re.compile(r"Elected:\s*Graz"))).to_be_visible()
    axe(page, context="the result page")
    page.get_by_role("link", name="Challenge the election for Potsdam").click()
    axe(page, context="the challenge page")
    page.get_by_label(re.compile("^Grounds of the challenge")).fill("Our delegate saw no receipt.")
    page.get_by_role("button", name="File the challenge").click()
    expect(page.get_by_text("The challenge of Potsdam is filed.")).to_be_visible()
    page.get_by_label("Language").select_option("fr")
    page.get_by_role("button", name="Change").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    axe(page, context="the result page in French")
    potsdam = City.objects.get(name="Potsdam")
    page.goto(f"{live_server.url}/elections/{election.pk}/challenge/{potsdam.pk}/")
    axe(page, context="the challenge page in French")
    context.close()

    # The bureau records the committee's decision: rejected; the pages in French too.
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    sign_in(page, "bureau", then=f"{live_server.url}/bureau/elections/{election.pk}/")
    page.get_by_role("link", name=re.compile("Record the committee's decision")).click()
    axe(page, context="the challenge decision page")
    page.get_by_role("radio", name=re.compile("Rejected")).check()
    page.get_by_label(re.compile("Date of the committee.s decision")).fill(
        timezone.localdate().isoformat()
    )
    page.get_by_label(re.compile("Reasons of the decision")).fill("The receipt was shown.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("The committee's decision is recorded.")).to_be_visible()
    page.get_by_label("Language").select_option("fr")
    page.get_by_role("button", name="Change").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.goto(review_url)
    axe(page, context="the result review page in French")
    page.goto(f"{live_server.url}/bureau/elections/")
    axe(page, context="the bureau's elections in French")
    challenge = election.challenges.get()
    page.goto(f"{live_server.url}/bureau/elections/challenges/{challenge.pk}/decide/")
    axe(page, context="the challenge decision page in French")
    context.close()
    assert election.challenges.get().status == "rejected"
