"""Pure figure builders: no database, no browser."""

from __future__ import annotations

import json
from decimal import Decimal

from dashboard.figures import NO_DATA_COLOUR, choropleth, empty_map
from geodata.queries import MapArea

SQUARE = json.dumps({"type": "MultiPolygon", "coordinates": [[[[100, 14], [101, 14], [101, 15], [100, 14]]]]})


def test_areas_without_items_are_a_separate_no_data_trace() -> None:
    areas = [MapArea("37", "อำนาจเจริญ", "Amnat Charoen", SQUARE, 3, Decimal("1500000.50")),
             MapArea("22", "จันทบุรี", "Chanthaburi", SQUARE, None, None)]
    fig = choropleth(areas)
    no_data, values = fig.data
    assert list(no_data.locations) == ["22"] and no_data.colorscale[0][1] == NO_DATA_COLOUR
    assert list(values.locations) == ["37"] and list(values.z) == [1500000.5]
    assert values.customdata[0][2] == "1,500,000.50"
    assert fig.layout.map.style == "white-bg"
    assert {f["id"] for f in values.geojson["features"]} == {"37", "22"}


def test_names_from_data_are_escaped_in_hover() -> None:
    evil = MapArea("37", "<script>alert(1)</script>", None, SQUARE, 1, Decimal("1"))
    fig = choropleth([evil])
    assert fig.data[0].customdata[0][0] == "&lt;script&gt;alert(1)&lt;/script&gt;"


def test_english_labels_use_english_names() -> None:
    fig = choropleth([MapArea("37", "อำนาจเจริญ", "Amnat Charoen", SQUARE, 1, Decimal("1"))], lang="en")
    assert fig.data[0].customdata[0][0] == "Amnat Charoen"
    assert "Requested" in fig.data[0].hovertemplate


def test_empty_map_has_a_plain_background() -> None:
    assert empty_map().layout.map.style == "white-bg"
