"""Reporting as people meet it, in real Chromium: autosave, lost connections, ended sessions,
and the whole journey from draft to published evaluation."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from reporting import services
from reporting.models import SECTION_TEXT_FIELDS, ReportSection, ReportStatus
from tests.factories import RoleFactory
from tests.reporting.helpers import report_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAVED = re.compile(r"Saved at \d\d:\d\d")


def _section(number: int) -> ReportSection:
    return report_of("Potsdam", 2025).sections.get(commitment__number=number)


def _actions_box(page, section: ReportSection):
    return page.locator(f"#id_s{section.pk}-actions")


def _edit_url(live_server, section: ReportSection) -> str:
    """The section's own page of the editor (one commitment a page)."""
    return f"{live_server.url}/reports/{section.report_id}/edit/{section.pk}/"


def _status(page, section: ReportSection):
    return page.locator(f"#section-{section.pk} [data-autosave-status]")


def test_autosave_survives_a_reload(page, live_server, demo, sign_in):
    section = _section(5)
    sign_in(page, "coordinator", then=_edit_url(live_server, section))
    box = _actions_box(page, section)
    box.fill("Typed, never clicked save")
    expect(_status(page, section)).to_have_text(SAVED, timeout=10_000)
    page.reload()
    expect(_actions_box(page, section)).to_have_value("Typed, never clicked save")
    section.refresh_from_db()
    assert section.actions == "Typed, never clicked save"


def test_a_failed_save_is_told_and_retried(page, live_server, demo, sign_in):
    section = _section(6)
    sign_in(page, "coordinator", then=_edit_url(live_server, section))
    pattern = f"**/sections/{section.pk}/"
    page.route(pattern, lambda route: route.abort("internetdisconnected"))
    _actions_box(page, section).fill("Written while the network was down")
    expect(_status(page, section)).to_contain_text("Could not save", timeout=10_000)
    expect(_status(page, section)).to_contain_text("kept in this browser")
    stored = page.evaluate(
        "() => Object.keys(localStorage).filter(k => k.startsWith('report-draft:'))"
    )
    assert any(key.split(":")[2] == str(section.pk) for key in stored)
    page.unroute(pattern)
    expect(_status(page, section)).to_have_text(SAVED, timeout=30_000)
    section.refresh_from_db()
    assert section.actions == "Written while the network was down"


def test_an_ended_session_loses_nothing_and_saves_after_signing_in(
    page, context, live_server, demo, sign_in
):
    section = _section(7)
    sign_in(page, "coordinator", then=_edit_url(live_server, section))
    _actions_box(page, section).fill("Before the session ended")
    expect(_status(page, section)).to_have_text(SAVED, timeout=10_000)

    context.clear_cookies()  # the session times out
    _actions_box(page, section).fill("After the session ended: must not be lost")
    banner = page.locator("#autosave-banner")
    expect(banner).to_contain_text("Your session has ended", timeout=10_000)
    expect(banner.get_by_role("link", name=re.compile("Sign in again"))).to_be_visible()
    section.refresh_from_db()
    assert section.actions == "Before the session ended"

    # A reload while signed out: the page asks for a sign-in, the text stays in this browser.
    other = context.new_page()
    sign_in(other, "coordinator")
    expect(_status(page, section)).to_have_text(SAVED, timeout=20_000)
    expect(banner).to_be_hidden()
    section.refresh_from_db()
    assert section.actions == "After the session ended: must not be lost"
    other.close()


def test_text_kept_locally_is_restored_after_signing_in_again(
    page, context, live_server, demo, sign_in
):
    section = _section(8)
    sign_in(page, "coordinator")
    edit_url = _edit_url(live_server, section)
    page.goto(edit_url)
    context.clear_cookies()
    _actions_box(page, section).fill("Typed just before the time-out")
    expect(page.locator("#autosave-banner")).to_contain_text("session has ended", timeout=10_000)
    page.goto(edit_url)  # signed out: the login page
    assert "/accounts/login/" in page.url
    sign_in(page, "coordinator", then=edit_url)
    expect(_actions_box(page, section)).to_have_value("Typed just before the time-out")
    expect(_status(page, section)).to_have_text(SAVED, timeout=10_000)
    section.refresh_from_db()
    assert section.actions == "Typed just before the time-out"


def test_concurrent_edit_shows_both_texts_in_the_browser(page, browser, live_server, demo, sign_in):
    section = _section(9)
    sign_in(page, "coordinator", then=_edit_url(live_server, section))
    # Someone else saves while this page is open.
    other = RoleFactory(city=section.report.city).user
    services.save_section(
        actor=other,
        section=section,
        expected_version=section.version,
        data={"actions": "The other coordinator's text"},
    )
    _actions_box(page, section).fill("My own text")
    conflict = page.locator(f"#section-{section.pk} [data-conflict]")
    expect(conflict).to_be_visible(timeout=10_000)
    expect(conflict).to_contain_text("The other coordinator's text")
    expect(conflict).to_contain_text("My own text")
    section.refresh_from_db()
    assert section.actions == "The other coordinator's text"
    conflict.get_by_role("button", name="Keep my text (replace theirs)").click()
    expect(_status(page, section)).to_have_text(SAVED, timeout=10_000)
    section.refresh_from_db()
    assert section.actions == "My own text"


def test_report_journey_from_draft_to_released_feedback(
    page, browser, live_server, demo, sign_in, axe
):
    report = report_of("Potsdam", 2025)
    base = live_server.url
    # The coordinator opens the cycle's report from their list and fills two sections.
    sign_in(page, "coordinator", then=f"{base}/reports/")
    page.get_by_role("link", name="Edit the ECCAR 2025 report").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Potsdam")
    axe(page, context="report overview")
    three, five = _section(3), _section(5)
    page.locator("table.report-overview").get_by_role(
        "link", name=f"3. {three.commitment.title}"
    ).click()
    expect(_actions_box(page, three)).to_be_visible()
    axe(page, context="section page of the report editor")
    _actions_box(page, three).fill("A counselling office for victims opened in March.")
    expect(_status(page, three)).to_have_text(SAVED, timeout=10_000)
    # The overview beside it leads to another commitment.
    page.locator("#report-sections-nav").get_by_role(
        "link", name=five.commitment.title, exact=True
    ).click()
    _actions_box(page, five).fill("Equal-treatment clauses in all municipal contracts.")
    expect(_status(page, five)).to_have_text(SAVED, timeout=10_000)
    page.reload()
    expect(_actions_box(page, five)).to_have_value(
        "Equal-treatment clauses in all municipal contracts."
    )
    page.get_by_role("link", name=re.compile(r"^Previous: 4\.")).click()
    page.get_by_role("link", name=re.compile(r"^Previous: 3\.")).click()
    expect(_actions_box(page, three)).to_have_value(
        "A counselling office for victims opened in March."
    )
    page.get_by_role("link", name="Check and submit the report").click()
    expect(page).to_have_url(re.compile(r"/submit/$"))
    axe(page, context="submit page")
    page.get_by_label(re.compile("I have checked the report")).check()
    page.get_by_role("button", name="Submit the report").click()
    expect(page.locator(".report-steps [aria-current='step']")).to_contain_text("Submitted")
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED

    # The bureau transmits it.
    bureau = browser.new_context(bypass_csp=True, locale="en-GB").new_page()
    sign_in(bureau, "bureau", then=f"{base}/reporting/cycles/{report.cycle_id}/review/")
    axe(bureau, context="review page")
    bureau.get_by_role("button", name="Transmit Potsdam").click()
    # Irreversible: asked in a dialog first.
    dialog = bureau.locator("dialog.confirm-dialog")
    expect(dialog).to_contain_text("Transmit Potsdam's report to the secretariat?")
    dialog.get_by_role("button", name="Transmit the report").click()
    # Transmitting draws the report's PDFs in the request here (eager Celery): on a busy
    # machine that takes longer than Playwright's default 5 s.
    expect(bureau.get_by_text("report was transmitted")).to_be_visible(timeout=30_000)

    # The secretariat scores every commitment and releases.
    secretariat = browser.new_context(bypass_csp=True, locale="en-GB").new_page()
    sign_in(secretariat, "secretariat", then=f"{base}/reports/{report.pk}/evaluate/")
    axe(secretariat, context="evaluation page")
    for section in report.sections.select_related("commitment"):
        number = section.commitment.number
        secretariat.get_by_label(re.compile(rf"^Score for commitment {number}\b")).select_option(
            "3"
        )
    secretariat.get_by_label(re.compile(r"^Feedback on commitment 5\b")).fill(
        "Excellent: share the contract clause with other cities."
    )
    secretariat.get_by_label(re.compile("^Overall assessment")).fill("A strong year.")
    secretariat.get_by_role("button", name="Save and release to the city").click()
    # Releasing cannot be undone: a dialog asks first (issue 12).
    secretariat.get_by_role("dialog").get_by_role("button", name="Save and release").click()
    expect(secretariat.get_by_text("The evaluation was released to the city.")).to_be_visible()
    secretariat.goto(f"{base}/reporting/cycles/{report.cycle_id}/?city=potsdam")
    axe(secretariat, context="cycle dashboard")
    expect(secretariat.locator("svg[role='img']").first).to_be_visible()

    # The coordinator reads the feedback and downloads the PDF.
    page.goto(f"{base}/reports/{report.pk}/")
    expect(page.get_by_text("Excellent: share the contract clause")).to_be_visible()
    expect(page.get_by_text("A strong year.")).to_be_visible()
    axe(page, context="released report page")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("PDF")).first.click()
    data = Path(download_info.value.path()).read_bytes()
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())
    assert "Potsdam" in text and "Excellent: share the contract clause" in text


def test_good_practice_library_passes_axe(page, live_server, demo, axe):
    page.goto(f"{live_server.url}/good-practices/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Good practices")
    expect(page.locator(".good-practices .card").first).to_be_visible()
    axe(page, context="good-practice library")
    page.get_by_role("textbox", name=re.compile("^Search")).fill("guide")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"q=guide"))
    axe(page, context="good-practice search")


def test_secretariat_cycle_list_passes_axe(page, live_server, demo, sign_in, axe):
    sign_in(page, "secretariat", then=f"{live_server.url}/reporting/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Reporting cycles")
    axe(page, context="cycle list")


def test_a_section_page_is_a_few_tabs_from_submitting_and_its_checklist_stays_live(
    page, live_server, demo, coordinator, sign_in, axe
):
    """One commitment a page: "Check and submit" is near the top, and autosave refreshes the
    list of commitments and the check before submitting without a reload."""
    section = _section(4)
    services.save_section(
        actor=coordinator,
        section=section,
        expected_version=section.version,
        data={**dict.fromkeys(SECTION_TEXT_FIELDS, ""), "good_practice": False},
    )
    section.refresh_from_db()
    sign_in(page, "coordinator")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(_edit_url(live_server, section))
    axe(page, context="section page")
    presses = 0
    for presses in range(1, 60):  # noqa: B007 - the count is what the test measures
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.textContent.trim()") == (
            "Check and submit the report"
        ):
            break
    else:
        pytest.fail("Check and submit the report is not reachable by Tab")
    assert presses <= 25, presses

    title = section.commitment.title
    item = page.locator("#report-sections-nav li").filter(has_text=title)
    check = page.locator("#report-check")
    expect(item.locator(".badge")).to_have_text("empty")
    expect(check).to_contain_text(f"4. {title}: no action is reported.")
    _actions_box(page, section).fill("A municipal equal-opportunities plan.")
    page.locator(f"#id_s{section.pk}-results").fill("Two hundred staff trained.")
    expect(_status(page, section)).to_have_text(SAVED, timeout=10_000)
    expect(item.locator(".badge")).to_have_text("complete", timeout=10_000)
    expect(check).not_to_contain_text(f"4. {title}: no action is reported.")
    page.locator(f"#id_s{section.pk}-results").fill("")
    expect(item.locator(".badge")).to_have_text("in progress", timeout=10_000)

    shots = Path(__file__).resolve().parents[2] / "var" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(_edit_url(live_server, section))
        page.screenshot(path=str(shots / f"report-section-{width}.png"), full_page=True)
        overflow = page.evaluate("() => document.documentElement.scrollWidth")
        assert overflow <= width, f"the section page is {overflow} px wide at {width}"
        page.goto(f"{live_server.url}/reports/{section.report_id}/edit/")
        page.screenshot(path=str(shots / f"report-overview-{width}.png"), full_page=True)
