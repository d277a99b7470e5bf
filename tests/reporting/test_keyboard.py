"""Reporting's main tasks with the keyboard only, in real Chromium: a coordinator files and
submits a report; the secretariat scores a transmitted report, writes feedback and releases.

At every Tab the focus must be on an element of the page (never lost to <body>), on screen and
visibly marked (tests/keyboard.py); the report editor's contents list skips to each section
and to "Check and submit".
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from reporting.models import Report, ReportStatus
from tests.keyboard import (
    by_name,
    by_text,
    fill,
    focused,
    press_and_load,
    sign_in_with_the_keyboard,
    tab_to,
)
from tests.reporting.helpers import report_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_coordinator_files_and_submits_a_report_with_the_keyboard_only(
    page, live_server, demo, axe
):
    report = report_of("Potsdam", 2025)
    three = report.sections.get(commitment__number=3)
    sign_in_with_the_keyboard(page, live_server, "coordinator")
    page.goto(f"{live_server.url}/reports/")
    tab_to(page, lambda f: f["text"] == "Edit the ECCAR 2025 report")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/reports/{report.pk}/edit/$"))

    # The overview lists the commitments; each opens its own page (one commitment a page).
    tab_to(page, lambda f: f["tag"] == "a" and "Better support for the victims" in f["text"])
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/reports/{report.pk}/edit/{three.pk}/"))
    page.wait_for_load_state("load")
    tab_to(page, lambda f: f["id"] == f"id_s{three.pk}-actions", limit=40)
    page.keyboard.type("A counselling office for victims opened in March.")
    expect(page.locator(f"#section-{three.pk} [data-autosave-status]")).to_have_text(
        re.compile(r"Saved at \d\d:\d\d"), timeout=10_000
    )

    # "Check and submit" is at the top of every section page: back up to it.
    tab_to(page, lambda f: f["text"] == "Check and submit the report", limit=40, backwards=True)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/submit/$"))
    page.wait_for_load_state("load")
    axe(page, context="submit page, reached with the keyboard")
    tab_to(page, lambda f: f["tag"] == "input" and f["name"] == "confirm")
    page.keyboard.press("Space")
    tab_to(page, lambda f: f["text"] == "Submit the report", limit=10)
    page.keyboard.press("Enter")
    expect(page.locator(".report-steps [aria-current='step']")).to_contain_text(
        "Submitted", timeout=20_000
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_the_secretariat_scores_and_releases_an_evaluation_with_the_keyboard_only(
    page, live_server, demo, axe
):
    report = (
        Report.objects.filter(
            cycle__coalition__slug="eccar",
            status__in=[ReportStatus.TRANSMITTED, ReportStatus.UNDER_EVALUATION],
        )
        .select_related("city", "cycle")
        .order_by("-cycle__year", "city__name")
        .first()
    )
    sections = list(report.sections.order_by("commitment__number"))
    sign_in_with_the_keyboard(page, live_server, "secretariat")
    page.goto(f"{live_server.url}/reporting/cycles/{report.cycle_id}/review/")
    tab_to(page, by_text(f"Evaluate {report.city.name}"), limit=200)
    press_and_load(page)
    expect(page).to_have_url(re.compile(rf"/reports/{report.pk}/evaluate/$"))

    # The rubric opens from its summary, with Enter.
    tab_to(page, lambda f: f["tag"] == "summary" and f["text"] == "The rubric")
    page.keyboard.press("Enter")
    expect(page.locator("details.rubric")).to_have_attribute("open", "")
    for section in sections:
        tab_to(page, by_name(f"score_{section.pk}"), limit=60)
        page.keyboard.type("3")  # a closed <select> takes the first option typed
        expect(page.locator(f"select[name='score_{section.pk}']")).to_have_value("3")
        fill(
            page,
            by_name(f"feedback_{section.pk}"),
            f"Commitment {section.commitment.number}: well documented.",
            limit=3,
        )
    fill(page, by_name("overall"), "A strong year, carefully reported.", limit=10)
    tab_to(page, by_text("Save and release to the city…"), limit=5)
    page.keyboard.press("Enter")
    here = focused(page)
    assert here["inDialog"] and here["text"] == "Not yet", here
    axe(page, context="the release dialog")
    page.keyboard.press("Shift+Tab")
    assert focused(page)["text"] == "Save and release"
    press_and_load(page)
    expect(page.get_by_text("The evaluation was released to the city.")).to_be_visible()
    report.refresh_from_db()
    assert report.status == ReportStatus.RELEASED
    scores = {s.section_id: s for s in report.evaluation.scores.all()}
    assert all(scores[s.pk].score == 3 for s in sections)
    assert scores[sections[0].pk].feedback == "Commitment 1: well documented."


def test_the_report_editor_skips_to_its_sections_and_to_check_and_submit(page, live_server, demo):
    report = report_of("Potsdam", 2025)
    one, five = (report.sections.get(commitment__number=n) for n in (1, 5))
    sign_in_with_the_keyboard(page, live_server, "coordinator")
    page.goto(f"{live_server.url}/reports/{report.pk}/edit/{one.pk}/")
    page.wait_for_load_state("load")

    # The page's first stop skips the header; the report's bar is the first thing after it.
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    tab_to(page, by_text("Check and submit the report"), limit=8)
    here = tab_to(page, by_text("All commitments and the check before submitting"), limit=2)
    assert here["tag"] == "a"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "toc-title"
    # From the contents: each commitment's page, and the check before submitting.
    tab_to(page, lambda f: f["tag"] == "a" and f["text"] == five.commitment.title, limit=10)
    press_and_load(page)
    expect(page).to_have_url(re.compile(rf"/edit/{five.pk}/#section-{five.pk}$"))
    # The link leads to the section itself: the bar with "Check and submit" is just above.
    tab_to(page, by_text("Check and submit the report"), limit=30, backwards=True)
    press_and_load(page)
    expect(page).to_have_url(re.compile(rf"/reports/{report.pk}/submit/$"))
