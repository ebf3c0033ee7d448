"""Pure figure builders, legend classes, formatting and the page's other builders:
no database, no browser."""

from __future__ import annotations

import json
from decimal import Decimal

import plotly.graph_objects as go
import pytest

from dashboard import figures, i18n, views
from dashboard.metrics import class_breaks, class_index, jenks_breaks, metric_change, metric_value, quantile_breaks
from dashboard.state import ViewState
from geodata.queries import Area, AreaRow, Coverage, Indicators, Page, Summary, Totals


def _row(
    code: str,
    requested: str | None,
    funded: str = "0",
    *,
    name: str = "พื้นที่",
    drawable: bool = True,
    population: int | None = None,
    prev: str | None = None,
    lon: float | None = None,
    lat: float | None = None,
    level: str = "province",
) -> AreaRow:
    current = Totals() if requested is None else Totals(3, Decimal(requested), 1, Decimal(funded), 0, Decimal(0))
    previous = Totals() if prev is None else Totals(2, Decimal(prev), 0, Decimal(0), 0, Decimal(0))
    return AreaRow(code, level, name, f"{name} EN", population, drawable, lon, lat, current, previous)


# --------------------------------------------------------------------------- classes


def test_quantile_breaks_split_equal_counts_and_end_at_the_maximum() -> None:
    assert quantile_breaks([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], k=5) == [2.8, 4.6, 6.4, 8.2, 10.0]
    assert quantile_breaks([5, 5, 5], k=5) == [5.0]  # ties collapse into one class
    assert quantile_breaks([None, float("nan")]) == []


def test_jenks_finds_the_natural_groups() -> None:
    values = [1, 2, 3, 10, 11, 12, 50, 51, 52]
    assert jenks_breaks(values, k=3) == [3.0, 12.0, 52.0]
    assert jenks_breaks([4, 4, 9], k=5) == [4.0, 9.0]
    many = [float(v) for v in range(2000)] + [10_000.0] * 10
    breaks = jenks_breaks(many, k=5)  # sampled: still ends at the maximum, sorted
    assert breaks[-1] == 10_000.0 and breaks == sorted(breaks) and len(breaks) <= 5
    with pytest.raises(ValueError):
        class_breaks([1.0], "equal")


def test_class_index_puts_no_data_in_class_zero() -> None:
    breaks = [10.0, 20.0, 30.0]
    assert [class_index(v, breaks) for v in (None, 0.0, 10.0, 10.5, 30.0, 99.0)] == [0, 1, 1, 2, 3, 3]
    assert class_index(5.0, []) == 0


def test_metric_values_and_changes() -> None:
    t = Totals(4, Decimal("1000.50"), 1, Decimal("250.25"), 2, Decimal("300"))
    assert metric_value(t, "gap") == 750.25
    assert metric_value(t, "share_amount") == pytest.approx(250.25 / 1000.5)
    assert metric_value(t, "share_count") == 0.25
    assert metric_value(t, "items") == 4.0
    assert metric_value(t, "allocated") == 300.0
    assert metric_value(t, "requested_pc") is None  # population not loaded
    assert metric_value(t, "requested_pc", 100) == pytest.approx(10.005)
    assert metric_value(Totals(), "gap") is None  # no items: no data, not 0
    assert metric_change(t, Totals(2, Decimal("500"), 0, Decimal("0")), "requested") == 500.5
    assert metric_change(t, Totals(), "requested") is None


# --------------------------------------------------------------------------- map figures


def test_area_map_has_a_grey_no_data_class_and_a_legend_in_millions() -> None:
    rows = [_row("37", "1500000.50"), _row("22", None), _row("10", "250000000"), _row("99", "5", drawable=False)]
    fig = figures.area_map(rows, metric="requested", geojson_url="/geo/province/TH.json?v=1")
    go.Figure(fig)  # a valid plotly figure
    no_data, trace = fig["data"]
    assert trace["geojson"] == no_data["geojson"] == "/geo/province/TH.json?v=1"
    assert no_data["locations"] == ["22"] and no_data["z"] == [0] and not no_data["showscale"]
    assert trace["locations"] == ["37", "10"]  # undrawable areas are listed, not drawn
    assert trace["colorscale"][0][1] == figures.NO_DATA_COLOUR and min(trace["z"]) >= 1
    ticks = trace["colorbar"]["ticktext"]
    assert ticks[0] == "ไม่มีข้อมูล" and "ล้านบาท" in trace["colorbar"]["title"]["text"]
    assert ticks[-1].endswith("250.00") and not any("B" in t for t in ticks)
    assert trace["customdata"][0][2] == 1.5 and "%{customdata[2]:,.2f} ล้านบาท" in trace["hovertemplate"]
    assert fig["layout"]["map"]["style"] == "white-bg"
    assert figures.area_map(rows, tiles=True)["layout"]["map"]["style"] == "open-street-map"


def test_names_from_data_are_escaped_in_hover() -> None:
    fig = figures.area_map([_row("37", "1", name="<script>alert(1)</script>")], lang="th")
    assert fig["data"][1]["customdata"][0][0] == "&lt;script&gt;alert(1)&lt;/script&gt;"
    no_data = figures.area_map([_row("37", None, name="<b>x</b>")])["data"][0]
    assert no_data["customdata"][0][0] == "&lt;b&gt;x&lt;/b&gt;"


def test_english_labels_use_english_names() -> None:
    fig = figures.area_map([_row("37", "1", name="อำนาจเจริญ")], lang="en", metric="gap")
    trace = fig["data"][1]
    assert trace["customdata"][0][0] == "อำนาจเจริญ EN"
    assert "Unfunded gap" in trace["hovertemplate"] and "M baht" in trace["colorbar"]["title"]["text"]


def test_change_mode_uses_a_diverging_scale_and_signed_values() -> None:
    rows = [_row("37", "300", prev="100"), _row("22", "100", prev="300"), _row("10", "100")]
    fig = figures.area_map(rows, metric="requested", change=True)
    no_data, trace = fig["data"]
    assert no_data["locations"] == ["10"]  # no previous year: no data
    colours = {c for _, c in trace["colorscale"]}
    assert colours & set(figures.CHANGE_NEUTRAL[:5]) and colours & set(figures.CHANGE_NEUTRAL[6:])
    assert trace["customdata"][0][2] == 0.0002 and ":+,.2f}" in trace["hovertemplate"]
    assert "ส้ม = เพิ่มขึ้น" in trace["colorbar"]["title"]["text"]  # more requests: neither good nor bad


@pytest.mark.parametrize(
    "metric, rise, fall, meaning",
    [
        ("funded", "green", "red", "green = better (up)"),  # more funding is good
        ("gap", "red", "green", "green = better (down)"),  # a larger unfunded gap is bad
    ],
)
def test_change_colours_say_better_or_worse(metric: str, rise: str, fall: str, meaning: str) -> None:
    values = [-300_000.0, -100_000.0, 0.0, 100_000.0, 300_000.0]
    legend = figures.build_legend(values, metric, "en", change=True)
    side = {"green": set(figures.CHANGE_GOOD_UP[6:]), "red": set(figures.CHANGE_GOOD_UP[:5])}
    assert legend.colours[-1] in side[rise] and legend.colours[0] in side[fall]
    assert legend.colours[2] == figures.CHANGE_GOOD_UP[5]  # a class across no change: neither
    assert meaning in legend.title and legend.title.count("<br>") == 2


def test_a_small_fall_is_still_coloured_as_a_fall() -> None:
    """Falls take the falling side's shades however small they are next to the largest rise."""
    colours = figures.change_colours(-0.85, [-0.32, 0.07, 0.77, 1.3, 5.19], figures.CHANGE_GOOD_UP)
    assert colours[0] in figures.CHANGE_GOOD_UP[:5] and colours[1] == figures.CHANGE_GOOD_UP[5]
    assert all(c in figures.CHANGE_GOOD_UP[6:] for c in colours[2:]) and len(set(colours[2:])) == 3


def test_a_single_class_legend_leaves_room_for_its_title() -> None:
    for legend in (figures.build_legend([5.0, 5.0], "gap"), figures.not_linked_legend("gap")):
        bar = legend.colorbar()
        assert len(legend.labels) == 2
        lines = legend.title.count("<br>") + 1
        assert bar["len"] >= 2 * 28 + lines * 18 + 8  # the boxes keep their height under the title


def test_map_figures_carry_their_bounds_and_names_for_the_browser() -> None:
    rows = [
        _row("3701", "10", name="เมือง", lon=104.6, lat=15.8, level="district"),
        _row("3702", "20", name="ชานุมาน", level="district"),  # no label point: the browser finds one
        _row("3703", "5", name="ไม่มีขอบเขต", drawable=False, level="district"),
    ]
    fig = figures.area_map(rows, bounds=(104.3, 15.4, 105.2, 16.3))
    go.Figure(fig)
    meta = fig["layout"]["meta"]["planmap"]
    assert meta["bounds"] == [104.3, 15.4, 105.2, 16.3] and meta["padding"] == figures.FIT_PADDING
    assert meta["labels"] == [["3701", "เมือง", 104.6, 15.8], ["3702", "ชานุมาน", None, None]]
    assert meta["download"] == "ดาวน์โหลดแผนที่ (PNG)" and not meta["points"]
    en = figures.area_map(rows, lang="en")["layout"]["meta"]["planmap"]
    assert en["bounds"] == list(figures.THAILAND_BOUNDS)  # the country without bounds
    assert [label[1] for label in en["labels"]] == ["เมือง EN", "ชานุมาน EN"]
    many = [_row(f"{n:06d}", "1", level="tambon") for n in range(figures.LABEL_LIMIT + 1)]
    assert figures.area_map(many)["layout"]["meta"]["planmap"]["labels"] == []
    assert figures.empty_map()["layout"]["meta"]["planmap"]["bounds"] == list(figures.THAILAND_BOUNDS)


def test_the_map_toolbar_is_zoom_reset_and_no_cloud() -> None:
    config = figures.MAP_GRAPH_CONFIG
    assert config["modeBarButtons"] == [["zoomInMap", "zoomOutMap", "resetViewMap"]]
    assert not config["displaylogo"] and not config["showSendToCloud"] and not config["showEditInChartStudio"]
    assert "toImage" not in str(config)  # plotly's own PNG: the download is planmap's map export


def test_village_map_draws_points_over_the_tambon_outline() -> None:
    rows = [
        _row("37010101", "10", lon=104.6, lat=15.8, level="village"),
        _row("37010102", "20", lon=104.7, lat=15.9, level="village"),
        _row("37010103", "30", drawable=False, level="village"),
    ]
    fig = figures.village_map(
        rows,
        outline_url="/geo/tambon/37.json",
        outline_code="370101",
        selected="37010102",
        bounds=(104.5, 15.7, 104.8, 16.0),
    )
    go.Figure(fig)
    outline, no_data, points = fig["data"]
    assert outline["locations"] == ["370101"] and outline["hoverinfo"] == "skip"
    assert no_data["ids"] == [] and points["mode"] == "markers"
    assert points["ids"] == ["37010101", "37010102"] and points["marker"]["size"] == [15, 22]
    assert fig["layout"]["map"]["zoom"] > 8
    meta = fig["layout"]["meta"]["planmap"]
    assert meta["points"] and meta["bounds"] == [104.5, 15.7, 104.8, 16.0] and len(meta["labels"]) == 2


def test_fit_view_zooms_to_the_bounds() -> None:
    center, zoom = figures.fit_view(None)
    assert center == figures.THAILAND_CENTER
    center, zoom = figures.fit_view((104.3, 15.4, 105.2, 16.3))
    assert center == {"lat": pytest.approx(15.85), "lon": pytest.approx(104.75)} and 7 < zoom < 10


def test_empty_map_has_a_plain_background() -> None:
    fig = figures.empty_map()
    go.Figure(fig)
    assert fig["layout"]["map"]["style"] == "white-bg"


def test_formats() -> None:
    assert i18n.baht(Decimal("1234567.5")) == "1,234,567.50"
    assert i18n.million(Decimal("3000000000")) == "3,000.00 ล้านบาท"
    assert i18n.million(Decimal("3000000000"), "en") == "3,000.00 M baht"
    assert i18n.fiscal_year(2569) == "ปีงบประมาณ พ.ศ. 2569" and i18n.fiscal_year(2569, "en") == "FY 2569 (BE)"
    assert figures.format_value(0.125, "share_amount") == "12.5%"
    assert figures.format_value(0.02, "share_amount", change=True) == "+2.0 pp"
    assert figures.format_value(12.345, "gap_pc") == "12.35 บาท"
    assert figures.format_value(None, "gap", "en") == "no data"
    assert figures.class_labels([1_200_000, 3_400_000], "gap", lower=500_000) == ["0.50 – 1.20", "1.20 – 3.40"]
    assert figures.class_labels([-0.01, 0.02], "share_amount", lower=-0.03, change=True) == [
        "-3.0 pp – -1.0 pp",
        "-1.0 pp – +2.0 pp",
    ]


# --------------------------------------------------------------------------- page parts


LINKED = Coverage(Decimal("600000"), Decimal("600000"), Decimal("2000000"), Decimal("500000"))


def _summary(total: Totals, own: Totals, area: Area | None = None, coverage: Coverage = LINKED) -> Summary:
    return Summary(
        area or Area("37", "province", "อำนาจเจริญ", "Amnat Charoen", 370_000, "TH"),
        total,
        own,
        Totals(2, Decimal("100"), 1, Decimal("50"), 1, Decimal("10")),
        Indicators(10, Decimal("1000"), 3, Decimal("300"), 2, Decimal("200")),
        Indicators(),
        Decimal("7"),
        coverage,
    )


def test_cards_show_amounts_in_millions_with_the_change() -> None:
    total = Totals(4, Decimal("2000000"), 1, Decimal("500000"), 2, Decimal("600000"))
    out = views.cards(_summary(total, Totals()), ViewState(fy=2569))
    text = json.dumps([c.to_plotly_json() for c in out], default=str, ensure_ascii=False)
    assert "2.00 ล้านบาท" in text and "1.50 ล้านบาท" in text and "25.0%" in text
    assert "เทียบปีงบประมาณ 2568" in text
    assert any(c.id == "card-per-capita" for c in out)  # population is loaded
    assert "เชื่อมโยงแล้ว 100.0% ของงบที่จัดสรร" in text  # the coverage beside the funded figure


@pytest.mark.parametrize(
    "coverage, word",
    [
        (Coverage(Decimal("2381399027261"), Decimal(0), Decimal("2000000"), Decimal(0)), "ยังไม่ได้เชื่อมโยง"),
        (Coverage(Decimal(0), Decimal(0), Decimal("2000000"), Decimal(0)), "ไม่มีข้อมูลงบประมาณ"),
    ],
)
def test_cards_never_say_zero_funded_without_links(coverage: Coverage, word: str) -> None:
    """The real files: no allocation is linked to a plan item. Zero links is not zero funding."""
    total = Totals(4, Decimal("2000000"), 0, Decimal(0), 2, coverage.allocated, Decimal(0), Decimal(0), Decimal(0))
    out = views.cards(_summary(total, Totals(), coverage=coverage), ViewState(fy=2565))
    by_id = {c.id: json.dumps(c.to_plotly_json(), default=str, ensure_ascii=False) for c in out}
    values = {c.id: c.children[0].children for c in out}
    for card in ("card-funded", "card-gap", "card-share"):
        assert values[card] == word  # a word, not 0.00 ล้านบาท or 0.0%
    assert "ไม่ใช่ได้รับจัดสรร 0%" in by_id["card-funded"] or "ยังไม่ได้นำเข้างบประมาณ" in by_id["card-funded"]
    if coverage.allocated:
        assert "งบประมาณที่เชื่อมโยงกับโครงการในแผน" in by_id["card-coverage"]
        assert values["card-coverage"] == "0.0%"  # the coverage KPI says it plainly
        assert "card-area-compare" in by_id  # the area-level comparison is offered
        assert "ไม่ใช่การได้รับจัดสรรรายโครงการ" in by_id["card-area-compare"]
    en = json.dumps(
        [
            c.to_plotly_json()
            for c in views.cards(_summary(total, Totals(), coverage=coverage), ViewState(fy=2565, lang="en"))
        ],
        default=str,
    )
    assert "0.0% funded" not in en.lower() and ("not linked" in en or "no budget data" in en)


def test_indicators_sit_next_to_the_fy2559_reference() -> None:
    div = views.indicators(
        Indicators(10, Decimal("1000000"), 3, Decimal("300"), 2, Decimal("200")),
        Indicators(),
        ViewState(fy=2569, lang="en"),
    )
    text = json.dumps(div.to_plotly_json(), default=str)
    assert "7,932" in text and "613,919.24 M baht" in text and "2,063" in text and "1,402" in text
    assert "30.0%" in text  # 3 of 10 proposed put into requests


def test_side_list_reconciles_what_the_map_cannot_draw() -> None:
    rows = [_row("3701", "100"), _row("3702", "50"), _row("3703", "7", drawable=False)]
    own = Totals(2, Decimal("20"), 0, Decimal("0"))
    wider = Totals(1, Decimal("3"), 0, Decimal("0"))
    total = sum((r.current for r in rows), Totals()) + own + wider
    div = views.side_list(
        rows, _summary(total, own, Area("37", "province", "อำนาจเจริญ")), ViewState(area="37", level="district")
    )
    text = json.dumps(div.to_plotly_json(), default=str, ensure_ascii=False)
    for needle in ("ระบุทั้งจังหวัด", "ระบุพื้นที่กว้างกว่าอำเภอ", "อำเภอที่ไม่มีพิกัด", "รวมทั้งพื้นที่"):
        assert needle in text
    assert "?area=3703" in text  # the undrawn area is a link


def test_ranking_orders_by_gap_share_and_per_capita() -> None:
    rows = [
        _row("10", "100", "90", population=10),
        _row("11", "300", "0", population=1000),
        _row("12", "50", "0"),
        _row("13", None),
    ]
    assert [r["code"] for r in views.ranking_rows(rows, "gap")] == ["11", "12", "10"]
    assert [r["code"] for r in views.ranking_rows(rows, "share")] == ["11", "12", "10"]
    assert [r["code"] for r in views.ranking_rows(rows, "pc")] == ["10", "11"]  # needs population
    first = views.ranking_rows(rows, "gap")[0]
    assert first["rank"] == 1 and first["gap"] == 300.0 and first["share"] == 0.0


def test_breadcrumbs_are_links_that_keep_the_view() -> None:
    chain = [
        Area("TH", "country", "ประเทศไทย"),
        Area("37", "province", "อำนาจเจริญ"),
        Area("3701", "district", "เมืองอำนาจเจริญ"),
    ]
    out = views.breadcrumbs(chain, ViewState(area="3701", level="tambon", metric="funded", fy=2569))
    links = [c for c in out if hasattr(c, "href")]
    assert [link.href for link in links] == ["?metric=funded&fy=2569", "?area=37&metric=funded&fy=2569"]
    assert out[-1].children == "เมืองอำนาจเจริญ"


def test_grid_rows_are_plain_text_and_columns_have_no_html_renderer() -> None:
    page = Page(
        [
            {
                "id": 5,
                "title": "<img src=x onerror=alert(1)>",
                "sector": None,
                "area_code": "37",
                "area_name_th": "อำนาจเจริญ",
                "area_name_en": None,
                "location_precision": "province",
                "requested_amount": Decimal("10.50"),
                "funded": Decimal("0"),
                "is_funded": False,
            }
        ],
        1,
    )
    rows = views.item_rows(page, "th")
    assert rows[0]["title"] == "<img src=x onerror=alert(1)>" and rows[0]["id"] == "5"
    for columns in (views.item_columns(), views.allocation_columns(), views.ranking_columns()):
        assert not any("cellRenderer" in c for c in columns)
    assert views.showing(page, "en") == "Showing 1 of 1 rows (largest first)"


def test_geometry_files_are_shared_between_views() -> None:
    assert views.geometry_path("province", ViewState()) == ("province", "TH")
    assert views.geometry_path("province", ViewState(area="C05")) == ("province", "TH")
    assert views.geometry_path("tambon", ViewState(area="3701", level="tambon")) == ("tambon", "37")
    assert views.geometry_path("village", ViewState(area="37010101", level="village")) == ("tambon", "37")
    assert views.map_parent(ViewState(area="37010101", level="village")) == "370101"


def test_control_options_follow_the_language() -> None:
    opts = views.control_options(
        ViewState(area="37", level="district", lang="en"),
        fiscal_years=[2568, 2569],
        sectors=["การศึกษา"],
        agencies=[(1, "กรมชลประทาน", None)],
    )
    assert opts["year"][0] == {"label": "FY 2569 (BE)", "value": 2569}
    assert [o["value"] for o in opts["level"]] == ["district", "tambon"]
    assert opts["agency"] == [{"label": "กรมชลประทาน", "value": 1}]
