"""The directory's map with the keyboard, in real Chromium (issue 14): its markers and clusters
are not tab stops (the list beside the map is the accessible way to the cities), and every
stop on the page shows its focus."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.keyboard import focused

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: Elements on the map's marker and overlay panes that Tab would stop on.
MAP_TAB_STOPS = """() => Array.from(document.querySelectorAll(
  '.leaflet-marker-pane *, .leaflet-marker-pane, .leaflet-overlay-pane *, .leaflet-tooltip-pane *'
)).filter(el => el.tabIndex >= 0 || el.hasAttribute('tabindex') && el.tabIndex >= 0)
  .map(el => el.outerHTML.slice(0, 160))"""


def test_the_directory_maps_markers_are_not_tab_stops(page, live_server, demo):
    page.goto(live_server.url + "/cities/")
    markers = page.locator(".leaflet-marker-icon, path.leaflet-interactive")
    expect(markers.first).to_be_attached(timeout=10_000)
    assert markers.count() > 1
    assert page.evaluate(MAP_TAB_STOPS) == []

    # Tab through the whole page: never a marker, until the table of cities below the map.
    in_table = "() => !!document.activeElement.closest('.directory-table')"
    for _ in range(400):
        page.keyboard.press("Tab")
        here = focused(page)
        assert not here["onMap"], f"a map marker is a tab stop: {here}"
        if here["tag"] == "a" and page.evaluate(in_table):
            break
    else:
        raise AssertionError("the table of cities below the map was never reached with Tab")
