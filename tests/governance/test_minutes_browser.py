"""The minutes of the demo's Zurich assembly, end to end in real Chromium: the minute-taker draws
them and writes the narrative, the bureau circulates them, an attending city reads them, the
window ends without objection (approved on reading), the bureau publishes them and the PDF is
downloaded. axe on every new page (and the editor's translation tab), in English and French."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from governance.demo.minutes import TITLE
from governance.models import AssemblySession, Minutes
from governance.tasks import settle_minutes_circulations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _new(browser, browser_context_args, sign_in, account):
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    sign_in(page, account)
    return context, page


def test_minutes_are_drawn_written_circulated_approved_published_and_downloaded(
    browser, browser_context_args, live_server, demo, sign_in, axe
):
    session = AssemblySession.objects.get(title=TITLE)
    Minutes.objects.filter(session=session).delete()  # start from a session without minutes
    base = live_server.url
    editor_url = f"{base}/sessions/{session.pk}/minutes/edit/"

    taker_ctx, taker = _new(browser, browser_context_args, sign_in, "secretariat")
    taker.goto(f"{base}/sessions/{session.pk}/")
    taker.get_by_role("link", name="Write the minutes").click()
    axe(taker, context="the minutes editor before the draft")
    taker.get_by_role("button", name="Draw the draft minutes").click()
    expect(taker.get_by_text("The record was drawn from the session's data.")).to_be_visible()
    expect(taker.get_by_text("Yes 11, No 1, Abstain 1").first).to_be_visible()
    taker.get_by_label("Narrative: 2. Admission of eight new member cities").fill(
        "Malmö asked for an introduction to reporting <em>for newcomers</em>."
    )
    taker.get_by_label("General remarks").fill("Thanks to Zurich.")
    taker.get_by_role("button", name="Save the narrative").click()
    expect(taker.get_by_text("The narrative is saved.")).to_be_visible()
    expect(taker.get_by_text("reporting <em>for newcomers</em>.").first).to_be_visible()
    axe(taker, context="the minutes editor with a draft")
    taker.goto(editor_url + "?language=fr")
    expect(taker.get_by_text("Authoritative text (English):").first).to_be_visible()
    axe(taker, context="the minutes editor's French translation tab")

    bureau_ctx, bureau = _new(browser, browser_context_args, sign_in, "bureau")
    bureau.goto(editor_url)
    today = timezone.localdate(timezone.now(), session.zone)
    bureau.get_by_label("Objections from").fill(today.isoformat())
    bureau.get_by_label("Objections until").fill(today.isoformat())
    bureau.get_by_role("button", name="Circulate to the attending cities").click()
    expect(
        bureau.get_by_text("The minutes are circulated to the attending cities.")
    ).to_be_visible()
    axe(bureau, context="the minutes editor, circulated")

    city_ctx, city = _new(browser, browser_context_args, sign_in, "coordinator")
    circulation = f"{base}/sessions/{session.pk}/minutes/circulation/"
    city.goto(circulation)
    expect(city.get_by_role("heading", name="Object to the minutes")).to_be_visible()
    axe(city, context="the circulation page with the objection form")
    # The window ends (yesterday, as the clock would have it): reading changes nothing, the
    # page says the approval is pending, and the beat task records it.
    Minutes.objects.filter(session=session).update(
        objections_from=today - dt.timedelta(days=15), objections_until=today - dt.timedelta(days=1)
    )
    city.reload()
    expect(city.get_by_text("the approval is pending")).to_be_visible()
    assert settle_minutes_circulations()
    city.reload()
    expect(city.get_by_role("definition").get_by_text("Approved", exact=True)).to_be_visible()
    expect(city.get_by_role("heading", name="Object to the minutes")).to_have_count(0)

    bureau.goto(editor_url)
    bureau.get_by_role("button", name="Publish the minutes").click()
    expect(bureau.get_by_text("The minutes are published")).to_be_visible()

    public_ctx = browser.new_context(**browser_context_args)
    public = public_ctx.new_page()
    public.goto(f"{base}/sessions/{session.pk}/")
    public.get_by_role("link", name="The minutes", exact=True).click()
    expect(public.get_by_role("heading", level=1)).to_contain_text("Minutes")
    expect(public.get_by_text("Thanks to Zurich.")).to_be_visible()
    axe(public, context="the published minutes")
    link = public.get_by_role("link", name="The minutes (PDF)")
    expect(link).to_be_visible()
    pdf = public.request.get(base + link.get_attribute("href"))
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")

    for ctx, page, path in (
        (taker_ctx, taker, f"/sessions/{session.pk}/minutes/edit/"),
        (taker_ctx, taker, f"/sessions/{session.pk}/minutes/edit/?language=fr"),
        (city_ctx, city, f"/sessions/{session.pk}/minutes/circulation/"),
        (public_ctx, public, f"/sessions/{session.pk}/minutes/"),
    ):
        ctx.add_cookies([{"name": "django_language", "value": "fr", "url": base}])
        page.goto(base + path)
        expect(page.locator("html")).to_have_attribute("lang", "fr")
        axe(page, context=f"{path} in French")
    for ctx in (taker_ctx, bureau_ctx, city_ctx, public_ctx):
        ctx.close()
