"""The admin's import page in Chromium: a GeoJSON file with a bad feature, named by number."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from members.models import City

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("SCREENSHOTS_DIR")


def test_the_bureau_uploads_a_geojson_file_and_sees_the_bad_feature_named(
    page, live_server, sign_in, demo, tmp_path
):
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [18.9553, 69.6492]},
            "properties": {"name": "Tromsø", "country": "NO", "coalition": "ECCAR"},
        },
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [13.7563, 100.5018]},
            "properties": {"name": "Swapville", "country": "TH"},
        },
    ]
    path = Path(tmp_path) / "cities.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    sign_in(page, "bureau")
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/admin/members/city/import/")
        expect(page.get_by_text("[longitude, latitude]").first).to_be_visible()
        page.get_by_label("CSV or GeoJSON file").set_input_files(str(path))
        page.get_by_role("button", name="Check and import").click()
        alert = page.get_by_role("alert")
        expect(alert).to_contain_text("Nothing imported: 1 problem")
        expect(alert.get_by_role("columnheader", name="Feature")).to_be_visible()
        expect(alert).to_contain_text("the coordinates look swapped")
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/import-geojson-{width}.png", full_page=True)
    assert not City.objects.filter(name="Tromsø").exists()
