"""An officer election in real Chromium: the bureau creates it, a committee member stands
for President from the seat of Ghent, the committee's seats vote, and once certified the
coalition page shows the new President with the term. axe on each new page, in English
and French."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from governance.models import CommitteeOfficer, CommitteeSeat, Election, OfficerOffice
from governance.services import election_release, officer_elections
from governance.services import elections as services
from members.models import Coalition
from tests.governance.election_world import end_window, sealed_ballot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _in_french(page, live_server):
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "fr", "url": live_server.url}]
    )


def test_the_committee_elects_its_president_and_the_coalition_page_shows_the_term(
    browser, browser_context_args, live_server, demo, sign_in, axe
):
    eccar = Coalition.objects.get(short_name="ECCAR")

    # The bureau creates the election of the President.
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    sign_in(page, "bureau", then=f"{live_server.url}/coalitions/eccar/elections/")
    page.get_by_role("link", name="New officer election").click()
    axe(page, context="the new officer election page")
    # The election renews the sitting President's term (Bologna): the bureau ticks it.
    _fill_officer_election(
        page, "president", r"\(Bologna\), President,", "Election of the President 2027", "plurality"
    )
    expect(page.get_by_text("The election is created as a draft.")).to_be_visible()
    election = Election.objects.get(title="Election of the President 2027")
    assert (election.body, election.office, election.seats) == ("officers", "president", 1)
    _in_french(page, live_server)
    page.goto(f"{live_server.url}/bureau/coalitions/eccar/elections/new-officers/")
    axe(page, context="the new officer election page in French")
    context.close()
    services.open_call(actor=demo["bureau"], election=election)

    # Ghent's representative (the committee persona) stands for office.
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    sign_in(page, "committee", then=f"{live_server.url}/elections/{election.pk}/")
    page.get_by_role("link", name="Stand for office from the seat of Ghent").click()
    axe(page, context="the stand for office page")
    page.get_by_label("Statement").fill("Ghent will chair with every city in mind.")
    page.get_by_role("button", name="Stand for office").click()
    expect(page.get_by_text("You stand for office.")).to_be_visible()
    expect(page.get_by_role("heading", name="Your candidacy")).to_be_visible()
    axe(page, context="the officer election page with the candidacy")
    _in_french(page, live_server)
    page.goto(f"{live_server.url}/elections/{election.pk}/")
    axe(page, context="the officer election page in French")
    context.close()

    # The committee's voting seats vote (through the services, as the ballot page does).
    seats = list(CommitteeSeat.objects.current().voting().filter(coalition=eccar))
    bologna = next(s for s in seats if s.city.name == "Bologna")
    officer_elections.stand_for_office(
        actor=bologna.representative, election=election, seat=bologna, statement="Again."
    )
    ceremony, ghent = _publish_candidates_and_open_voting(demo, election, seats)
    candidacy = {c.city.name: c.pk for c in election.candidacies.all()}
    for n, seat in enumerate(seats[:7]):
        choice = candidacy["Bologna"] if n == 0 else candidacy["Ghent"]
        ciphertext, _t = sealed_ballot(election, [choice])
        services.cast_ballot(
            actor=seat.representative, election=election, city=seat.city, ciphertext=ciphertext
        )
    end_window(election)
    services.close_voting(actor=demo["bureau"], election=election)
    election.refresh_from_db()
    services.tally(actor=ghent.representative, election=election, shares=ceremony.shares)
    # Four eyes: the returning officer releases, the other teller confirms.
    election_release.release_result(actor=demo["bureau"], election=election)
    election_release.confirm_release(actor=ghent.representative, election=election)
    # The challenge period is over and the new term starts today.
    today = timezone.localdate()
    Election.objects.filter(pk=election.pk).update(
        challenge_ends_on=today - dt.timedelta(days=1), term_starts_on=today
    )
    election.refresh_from_db()
    services.certify_election(actor=demo["bureau"], election=election)
    president = CommitteeOfficer.objects.current().get(
        coalition=eccar, office=OfficerOffice.PRESIDENT
    )
    assert president.city.name == "Ghent" and president.election == election

    # Anyone sees the new President and the term on the coalition page.
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    page.goto(f"{live_server.url}/coalitions/eccar/")
    officers = page.locator(".officer-list")
    expect(officers.get_by_role("listitem").first).to_contain_text("President")
    expect(officers.get_by_role("listitem").first).to_contain_text("Ghent")
    expect(officers).not_to_contain_text("Bologna")
    axe(page, context="the coalition page with its officers")
    _in_french(page, live_server)
    page.goto(f"{live_server.url}/coalitions/eccar/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    axe(page, context="the coalition page with its officers in French")
    context.close()


def test_a_by_election_replaces_one_vice_president_and_the_other_stays(
    browser, browser_context_args, live_server, demo, sign_in, axe
):
    """The bureau ticks Potsdam's term among the outgoing officers; once certified the
    coalition page shows Ghent's Vice-President unchanged and the new one with the new term."""
    eccar = Coalition.objects.get(short_name="ECCAR")
    ghent_vp = CommitteeOfficer.objects.current().get(
        coalition=eccar, office=OfficerOffice.VICE_PRESIDENT, city__name="Ghent"
    )
    ghent_term = (ghent_vp.starts_on, ghent_vp.ends_on)
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    sign_in(
        page, "bureau", then=f"{live_server.url}/bureau/coalitions/eccar/elections/new-officers/"
    )
    _fill_officer_election(
        page,
        "vice_president",
        r"\(Potsdam\), Vice-President,",
        "By-election of a Vice-President",
        "approval",
    )
    expect(page.get_by_text("The election is created as a draft.")).to_be_visible()
    expect(page.locator("dl")).to_contain_text("Potsdam")
    axe(page, context="the by-election's manage page")
    context.close()
    election = Election.objects.get(title="By-election of a Vice-President")
    assert [o.city.name for o in election.outgoing_officers.all()] == ["Potsdam"]

    # The call, Rotterdam standing, the vote, the count and the four-eyes release.
    services.open_call(actor=demo["bureau"], election=election)
    seats = list(CommitteeSeat.objects.current().voting().filter(coalition=eccar))
    rotterdam = next(s for s in seats if s.city.name == "Rotterdam")
    officer_elections.stand_for_office(
        actor=rotterdam.representative, election=election, seat=rotterdam, statement="Yes."
    )
    ceremony, ghent = _publish_candidates_and_open_voting(demo, election, seats)
    candidacy = election.candidacies.get()
    for seat in seats[:5]:
        ciphertext, _t = sealed_ballot(election, [candidacy.pk])
        services.cast_ballot(
            actor=seat.representative, election=election, city=seat.city, ciphertext=ciphertext
        )
    end_window(election)
    services.close_voting(actor=demo["bureau"], election=election)
    election.refresh_from_db()
    services.tally(actor=ghent.representative, election=election, shares=ceremony.shares)
    election_release.release_result(actor=demo["bureau"], election=election)
    election_release.confirm_release(actor=ghent.representative, election=election)
    today = timezone.localdate()
    Election.objects.filter(pk=election.pk).update(
        challenge_ends_on=today - dt.timedelta(days=1), term_starts_on=today
    )
    election.refresh_from_db()
    services.certify_election(actor=demo["bureau"], election=election)
    ghent_vp.refresh_from_db()
    assert (ghent_vp.starts_on, ghent_vp.ends_on) == ghent_term

    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    page.goto(f"{live_server.url}/coalitions/eccar/")
    officers = page.locator(".officer-list")
    expect(officers.get_by_role("listitem")).to_have_count(3)
    expect(officers).to_contain_text("Ghent")
    expect(officers).to_contain_text("Rotterdam")
    expect(officers).not_to_contain_text("Potsdam")
    context.close()


def _publish_candidates_and_open_voting(demo, election, seats):
    """The candidacy deadline passed, the list published, voting open with Ghent's
    representative and the bureau as tellers (two of two shares): the ceremony and Ghent's seat."""
    Election.objects.filter(pk=election.pk).update(
        candidacy_deadline=timezone.now() - dt.timedelta(minutes=5),
        voting_opens_at=timezone.now() - dt.timedelta(minutes=4),
    )
    election.refresh_from_db()
    services.publish_candidates(actor=demo["bureau"], election=election)
    election.refresh_from_db()
    ghent = next(s for s in seats if s.city.name == "Ghent")
    ceremony = services.open_voting(
        actor=demo["bureau"],
        election=election,
        tellers=[ghent.representative, demo["bureau"]],
        threshold=2,
    )
    election.refresh_from_db()
    return ceremony, ghent


def _fill_officer_election(page, office: str, outgoing: str, title: str, method: str) -> None:
    """The bureau's officer election form, one office to fill, the term matching `outgoing`
    ticked, the timetable from 5 days (candidacies) to 40 days (the new term) ahead; sent."""
    now = timezone.localtime()
    fmt = "%Y-%m-%dT%H:%M"
    page.get_by_label(re.compile(r"^Office\b")).select_option(office)
    page.get_by_label("Offices to fill").fill("1")
    page.get_by_label(re.compile(outgoing)).check()
    page.get_by_label("Title").fill(title)
    page.get_by_label("Method").select_option(method)
    page.get_by_label("New terms start").fill((now + dt.timedelta(days=40)).date().isoformat())
    page.get_by_label("New terms end").fill((now + dt.timedelta(days=1500)).date().isoformat())
    page.get_by_label("Candidacy deadline").fill((now + dt.timedelta(days=5)).strftime(fmt))
    page.get_by_label("Voting opens").fill((now + dt.timedelta(days=6)).strftime(fmt))
    page.get_by_label("Voting closes").fill((now + dt.timedelta(days=9)).strftime(fmt))
    page.get_by_label("Challenge period ends").fill(
        (now + dt.timedelta(days=20)).date().isoformat()
    )
    page.get_by_role("button", name="Create the draft").click()
