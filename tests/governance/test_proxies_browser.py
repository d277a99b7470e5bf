"""Proxies and the second convocation in real Chromium, with axe on every new page (en, fr).

Graz's coordinator gives Graz's proxy to Potsdam with the signed form; the bureau validates
it; the first convocation is not quorate, so the bureau convenes the second (no quorum); the
chair opens a poll and Potsdam's delegate, holding Potsdam's card, casts two separate ballots:
Potsdam's and Graz's by proxy.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from coalition.models import User
from governance.demo import NEXT_ASSEMBLY_TITLE
from governance.letters import minimal_pdf
from governance.models import AssemblySession, CityBallot, Proxy, Registration
from governance.services import attendance
from governance.services import polls as poll_services
from members.models import City

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sitting() -> AssemblySession:
    session = AssemblySession.objects.get(title=NEXT_ASSEMBLY_TITLE)
    now = timezone.now()
    AssemblySession.objects.filter(pk=session.pk).update(
        status="in_session",
        starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(hours=6),
        statute_snapshot={
            **session.statute_snapshot,
            "proxies_allowed": True,
            "proxy_cap": 2,
            "quorum_kind": "number",
            "quorum_number": 50,
            "second_convocation_allowed": True,
            "second_quorum_kind": "none",
        },
    )
    session.refresh_from_db()
    return session


def _new(browser, browser_context_args, sign_in, account):
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    sign_in(page, account)
    return context, page


def test_a_city_gives_its_proxy_the_bureau_validates_and_the_holder_votes_twice(
    browser, browser_context_args, live_server, demo, sign_in, axe, tmp_path
):
    session = _sitting()
    base = live_server.url
    graz, potsdam = City.objects.get(name="Graz"), City.objects.get(name="Potsdam")
    form_pdf = tmp_path / "graz-proxy.pdf"
    form_pdf.write_bytes(minimal_pdf(["Proxy form of Graz", "Signed by the mayor."]))

    graz_ctx, city = _new(browser, browser_context_args, sign_in, "graz")
    city.goto(f"{base}/sessions/{session.pk}/proxies/{graz.pk}/")
    axe(city, context="the city's proxies page")
    city.get_by_label("City that will hold the proxy").select_option(label="Potsdam")
    city.get_by_label("Signed by (name and office)").fill("Mayor of Graz")
    city.get_by_label("Signed proxy form (PDF)").set_input_files(str(form_pdf))
    city.get_by_role("button", name="Send the proxy to the bureau").click()
    expect(city.get_by_text("The proxy was sent to the bureau.")).to_be_visible()
    axe(city, context="the city's proxies page with a proxy")
    proxy = Proxy.objects.get(session=session, principal=graz)
    assert proxy.holder == potsdam and proxy.status == "submitted"

    bureau_ctx, bureau = _new(browser, browser_context_args, sign_in, "bureau")
    bureau.goto(f"{base}/bureau/sessions/{session.pk}/proxies/")
    axe(bureau, context="the session's proxies")
    bureau.get_by_role("button", name="Validate the proxy of Graz").click()
    expect(bureau.get_by_text("The proxy of Graz to Potsdam is validated.")).to_be_visible()
    bureau.goto(f"{base}/bureau/proxies/{proxy.pk}/reject/")
    axe(bureau, context="the reject form")

    delegate_user = User.objects.get(email="delegate@demo.coalition.example")
    attendance.check_in(
        actor=User.objects.get(email="bureau@demo.coalition.example"),
        registration=Registration.objects.get(session=session, person=delegate_user),
        channel="desk",
    )
    bureau.goto(f"{base}/sessions/{session.pk}/desk/")
    expect(bureau.get_by_text("not quorate").first).to_be_visible()
    bureau.get_by_role("button", name="Convene the second convocation").click()
    axe(bureau, context="the second convocation's confirmation")
    bureau.get_by_role("button", name="Convene the second convocation").click()
    expect(bureau.get_by_text("Second convocation:").first).to_be_visible()

    items = {i.kind: i for i in session.items.all()}
    poll = poll_services.open_poll(
        actor=User.objects.get(email="bureau@demo.coalition.example"),
        item=items["budget"],
        kind="motion",
        question="Approve the accounts?",
    )
    delegate_ctx, delegate = _new(browser, browser_context_args, sign_in, "delegate")
    delegate.goto(f"{base}/sessions/polls/{poll.pk}/")
    expect(delegate.get_by_role("heading", name="Your vote for Potsdam")).to_be_visible()
    graz_heading = "Your vote for Graz, by proxy of Potsdam"
    expect(delegate.get_by_role("heading", name=graz_heading)).to_be_visible()
    axe(delegate, context="the poll page with two cities")
    delegate.locator("section", has_text=graz_heading).get_by_label("Yes").check()
    delegate.get_by_role("button", name="Cast the vote of Graz").click()
    expect(delegate.get_by_text("The vote of Graz is recorded.")).to_be_visible()
    delegate.locator("section", has_text="Your vote for Potsdam").get_by_label("No").check()
    delegate.get_by_role("button", name="Cast the city's vote").click()
    expect(delegate.get_by_text("Your city's vote is recorded.")).to_be_visible()
    ballots = {b.city.name: (b.via, b.choice) for b in CityBallot.objects.filter(poll=poll)}
    assert ballots == {"Graz": ("proxy", "yes"), "Potsdam": ("card", "no")}

    for ctx, page, path in (
        (graz_ctx, city, f"/sessions/{session.pk}/proxies/{graz.pk}/"),
        (bureau_ctx, bureau, f"/bureau/sessions/{session.pk}/proxies/"),
        (delegate_ctx, delegate, f"/sessions/polls/{poll.pk}/"),
    ):
        ctx.add_cookies([{"name": "django_language", "value": "fr", "url": base}])
        page.goto(base + path)
        expect(page.locator("html")).to_have_attribute("lang", "fr")
        axe(page, context=f"{path} in French")
    for ctx in (graz_ctx, bureau_ctx, delegate_ctx):
        ctx.close()
