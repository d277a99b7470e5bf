"""The public directory and coalition pages as a visitor meets them, in real Chromium."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db.models import F, Min, Q
from playwright.sync_api import expect

from members.models import City
from tests.factories import CityFactory, CoalitionFactory, MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The cities the map shows: single markers, plus the count written in each cluster.
CITIES_ON_MAP = """
document.querySelectorAll('#city-map path.leaflet-interactive').length +
Array.from(document.querySelectorAll('#city-map .map-cluster span'))
  .reduce((sum, el) => sum + Number(el.textContent), 0)
"""


def test_visitor_searches_filters_opens_a_city_and_reaches_its_coalitions_plan(
    page, live_server, demo
):
    page.goto(live_server.url + "/cities/")
    # The map draws the listed cities without any tile server (no internet here), on the
    # vendored country outlines, nearby cities clustered.
    expect(page.locator("#city-map")).to_be_visible()
    expect(page.locator("#city-map .map-cluster").first).to_be_visible()
    expect(page.locator("#city-map path:not(.leaflet-interactive)")).not_to_have_count(0)
    assert page.locator("#city-map .leaflet-tile").count() == 0

    page.get_by_label("Search by name").fill("zurich")
    page.get_by_role("button", name="Show cities").click()
    expect(page).to_have_url(re.compile(r"/cities/\?q=zurich"))
    table = page.get_by_role("table")
    expect(table.get_by_role("link", name="Zürich")).to_be_visible()
    expect(table.get_by_role("row")).to_have_count(2)  # header + Zürich

    page.get_by_label("Search by name").fill("")
    page.get_by_label("Coalition", exact=True).select_option("eccar")
    page.get_by_label("Country", exact=True).select_option("DE")
    page.get_by_role("button", name="Show cities").click()
    expect(page).to_have_url(re.compile(r"coalition=eccar.*country=DE"))
    expect(page.get_by_role("heading", name=re.compile(r"\d+ cities found"))).to_be_visible()
    expect(table.get_by_role("link", name="Köln")).to_be_visible()
    expect(table.get_by_role("link", name="Bern")).to_have_count(0)
    rows = table.locator("tbody tr").count()
    page.wait_for_function(f"({CITIES_ON_MAP}) === {rows}")

    table.get_by_role("link", name="Potsdam").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Potsdam")
    expect(page.get_by_text("Corinna Coordinator")).to_be_visible()  # published contact
    page.get_by_role("link", name="European Coalition of Cities against Racism").first.click()

    expect(page).to_have_url(re.compile(r"/coalitions/eccar/$"))
    expect(page.get_by_role("heading", name="Ten-Point Plan of Action")).to_be_visible()
    commitments = page.locator(".commitment-list > li")
    expect(commitments).to_have_count(10)
    expect(commitments.first).to_contain_text("Greater vigilance against racism")
    expect(commitments.last).to_contain_text("Hate crimes and conflict management")


def test_directory_filters_work_without_javascript(browser, live_server, demo):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/cities/")
    page.get_by_label("Status", exact=True).select_option("member")
    page.get_by_label("Sort by", exact=True).select_option("-joined")
    page.get_by_role("button", name="Show cities").click()
    expect(page).to_have_url(re.compile(r"status=member.*sort=-joined"))
    first_city = page.locator("tbody tr").first.get_by_role("link").first
    # The latest to join in the demo data (its national coalitions' members count too).
    latest = (
        City.objects.filter(memberships__status="member")
        .annotate(joined_on=Min("memberships__signed_on", filter=Q(memberships__status="member")))
        .order_by(F("joined_on").desc(nulls_last=True), "name")
        .first()
    )
    expect(first_city).to_have_text(latest.name)
    context.close()


PAGES = [
    "/",
    "/cities/",
    "/cities/?q=koln",
    "/cities/potsdam/",
    "/coalitions/",
    "/coalitions/eccar/",
]


@pytest.mark.parametrize("language", ["English", "Français"])
def test_public_pages_pass_axe_in_english_and_french(page, live_server, demo, axe, language):
    page.goto(live_server.url + "/")
    if language != "English":
        page.get_by_label("Language").select_option(label=language)
        page.get_by_role("button", name="Change").click()
        expect(page.locator("html")).to_have_attribute("lang", "fr")
    for path in PAGES:
        page.goto(live_server.url + path)
        page.wait_for_load_state("load")
        axe(page, context=f"{path} ({language})")


def test_api_docs_work_offline_under_the_csp(browser, live_server, demo):
    # A context that enforces the Content-Security-Policy, unlike the axe one.
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(live_server.url + "/api/docs/")
    expect(page.get_by_text("/api/v1/cities/").first).to_be_visible(timeout=15000)
    assert not [e for e in errors if "Content Security Policy" in e and "script" in e], errors
    context.close()


def test_a_city_name_with_markup_shows_as_text_on_the_map(page, live_server, db):
    """The map's label and popup are built from text: a name is never parsed as HTML."""
    name = "<img src=x onerror=alert(1)>"
    city = CityFactory(
        name=name, slug="markup", country="FR", latitude=Decimal("48.85"), longitude=Decimal("2.35")
    )
    coalition = "<b>TCC</b>"
    MembershipFactory(city=city, coalition=CoalitionFactory(short_name=coalition, slug="tcc"))
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    page.goto(live_server.url + "/cities/")
    label = page.locator("#city-map .leaflet-tooltip")
    expect(label).to_have_text(name)  # a single city is labelled on the map
    page.locator("#city-map path.leaflet-interactive").click()
    popup = page.locator("#city-map .leaflet-popup-content")
    expect(popup.locator(".map-popup__name")).to_have_text(name)
    expect(popup).to_contain_text(f"Member of: {coalition}")
    expect(popup.get_by_role("link", name="City profile")).to_have_attribute(
        "href", "/cities/markup/"
    )
    assert page.locator("#city-map img, #city-map b").count() == 0
    assert dialogs == []


def test_map_draws_country_outlines_clusters_nearby_cities_and_opens_a_popup(
    page, live_server, demo
):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/cities/")
    total = page.locator("table.directory-table tbody tr").count()
    page.wait_for_function(f"({CITIES_ON_MAP}) === {total}")
    # Europe's many members are grouped, not piled into one blob of dots.
    clusters = page.locator("#city-map .map-cluster")
    assert clusters.count() >= 1
    # The basemap: Natural Earth's countries as non-interactive paths, credited.
    # (fetched after the cities are drawn: waited for, as a reader waits for it to appear)
    page.wait_for_function(
        "document.querySelectorAll('#city-map path:not(.leaflet-interactive)').length > 100"
    )
    expect(page.locator("#city-map .leaflet-control-attribution")).to_contain_text("Natural Earth")
    # The world fills the frame: the map never zooms out past the frame's width.
    frame = page.locator("#city-map").bounding_box()
    world = page.evaluate(
        "(() => { const m = document.querySelector('#city-map'); return m.offsetWidth; })()"
    )
    assert world == pytest.approx(frame["width"], abs=2)
    # A cluster opens on a click; a city's popup names its coalitions and links to its profile.
    for _ in range(6):
        if page.locator("#city-map path.leaflet-interactive").count():
            break
        page.locator("#city-map .map-cluster").first.click()
        page.wait_for_timeout(400)
    page.locator("#city-map path.leaflet-interactive").first.click(force=True)
    popup = page.locator("#city-map .leaflet-popup-content")
    expect(popup).to_contain_text("Member of:")
    link = popup.get_by_role("link", name="City profile")
    href = link.get_attribute("href")
    assert href.startswith("/cities/")
    link.click()
    expect(page).to_have_url(re.compile(re.escape(href) + "$"))
