"""Issue 12 in real Chromium: no public page scrolls sideways; irreversible steps ask first."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from governance.models import AdmissionApplication
from members.models import City
from reporting import services
from reporting.models import Report, ReportStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (390, 768, 1280)

#: Set UI_SHOTS_DIR to keep a screenshot of each page looked at (for a person to check).
SHOTS = os.environ.get("UI_SHOTS_DIR")


def shoot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


MEASURE = """() => {
  const inner = window.innerWidth;
  let widest = null, right = 0;
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width && r.right > right) { right = r.right; widest = el; }
  }
  const describe = (el) => el ? el.tagName.toLowerCase()
    + (el.id ? '#' + el.id : '')
    + (typeof el.className === 'string' && el.className.trim()
        ? '.' + el.className.trim().split(/\\s+/).join('.') : '') : '';
  return {scroll: document.documentElement.scrollWidth, inner, widest: describe(widest),
          right: Math.round(right), text: widest ? widest.textContent.trim().slice(0, 60) : ''};
}"""


def _public_pages() -> list[str]:
    city = City.objects.filter(memberships__isnull=False).order_by("name").first()
    return [
        "/",
        reverse("members:coalition_list"),
        reverse("members:coalition_detail", args=["eccar"]),
        reverse("members:city_list"),
        city.get_absolute_url(),
        reverse("reporting:good_practice_list"),
        reverse("privacy"),
        reverse("members:api_docs"),
        reverse("account_login"),
        reverse("account_signup"),
    ]


def at_each_width(page, live_server, paths: list[str], widths) -> Iterator[tuple[str, int]]:
    """Each page loaded once and laid out at each width in turn: yields (path, width).

    The page is loaded at one width and the window then resized to the others: the layout
    is the one a page loaded at that width gets (the portal's scripts read no width; the
    map's library redraws on resize), with one page load instead of one per width. The
    widths take turns from one page to the next as the one the page is loaded at.
    """
    order = list(widths)
    for path in paths:
        page.set_viewport_size({"width": order[0], "height": 900})
        response = page.goto(live_server.url + path)
        assert response.status == 200, f"{path}: {response.status}"
        for width in order:
            page.set_viewport_size({"width": width, "height": 900})
            yield path, width
        order = order[1:] + order[:1]


def test_no_public_page_scrolls_sideways_on_a_phone_a_tablet_or_a_laptop(page, live_server, demo):
    too_wide = []
    for url, width in at_each_width(page, live_server, _public_pages(), WIDTHS):
        m = page.evaluate(MEASURE)
        if m["scroll"] > m["inner"]:
            too_wide.append(
                f"{url} at {width}px: {m['scroll']}px wide; widest element {m['widest']} "
                f"(right edge {m['right']}px, “{m['text']}”)"
            )
        if url in ("/", reverse("reporting:good_practice_list")) and width != 768:
            shoot(page, f"{url.strip('/') or 'home'}-{width}")
    assert not too_wide, "\n".join(too_wide)


def _open_application(demo):
    return next(
        a for a in AdmissionApplication.objects.filter(applicant=demo["applicant"]) if a.is_open
    )


@pytest.mark.parametrize("width", [390, 1280])
def test_withdrawing_asks_in_a_dialog_first(page, live_server, demo, sign_in, width):
    page.set_viewport_size({"width": width, "height": 900})
    application = _open_application(demo)
    sign_in(page, "applicant", then=live_server.url + application.get_absolute_url())
    page.get_by_role("button", name="Withdraw the application…").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("cannot be undone")
    shoot(page, f"withdraw-dialog-{width}")
    assert "/withdraw/" not in page.url  # the page stayed: the dialog asks, nothing was sent
    dialog.get_by_role("button", name="Keep the application").click()
    expect(dialog).to_be_hidden()
    application.refresh_from_db()
    assert application.is_open
    page.get_by_role("button", name="Withdraw the application…").click()
    dialog.get_by_label("Reason (optional)").fill("The council changed its mind.")
    dialog.get_by_role("button", name="Withdraw the application", exact=True).click()
    expect(page.get_by_text("Your application has been withdrawn.")).to_be_visible()
    application.refresh_from_db()
    assert not application.is_open
    if width == 390:
        page.goto(live_server.url + reverse("governance:my_applications"))
        shoot(page, "my-applications-390")


def test_save_and_release_asks_in_a_dialog_first(page, live_server, demo, sign_in):
    report = Report.objects.filter(status=ReportStatus.UNDER_EVALUATION).first() or (
        Report.objects.filter(status=ReportStatus.TRANSMITTED).first()
    )
    scores = {s.pk: (3, "Fine.") for s in report.sections.all()}
    services.save_evaluation(
        actor=demo["secretariat"], report=report, scores=scores, overall="Steady progress."
    )
    sign_in(
        page, "secretariat", then=live_server.url + reverse("reporting:evaluate", args=[report.pk])
    )
    release = page.get_by_role("button", name="Save and release to the city…")
    release.click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text(f"Release the evaluation to {report.city.name}?")
    shoot(page, "release-dialog-1280")
    dialog.get_by_role("button", name="Not yet").click()
    expect(dialog).to_be_hidden()
    report.refresh_from_db()
    assert report.status != ReportStatus.RELEASED
    release.click()
    dialog.get_by_role("button", name="Save and release").click()
    expect(page.get_by_text("The evaluation was released to the city.")).to_be_visible()
    report.refresh_from_db()
    assert report.status == ReportStatus.RELEASED
