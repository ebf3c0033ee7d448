"""Words and numbers the page shows, called directly on the tiny demo: one unit rule (ล้านบาท with
two decimals on cards, rankings, grids and the pack; exact baht in tooltips and in Excel/CSV), one
definition per figure, the grids' own texts in the page's language, Buddhist Era dates, and deep
links that use every documented metric name and say what they could not use."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal

import dash
import pytest

from dashboard import chain_figures, i18n, ids, shell, state, views
from dashboard.context import Context
from dashboard.exports import pack as pack_module
from dashboard.exports.tables import columns_from_grid, to_csv
from dashboard.pages import common
from dashboard.pages import map as map_page
from geodata import queries
from geodata.queries import Indicators
from geodata.settings import Settings
from tests.helpers import dashboard_context, demo_database

DB = {"ok": True, "version": 1}
FOUR_DECIMALS = re.compile(r"\d\.\d{3,}")


@pytest.fixture(scope="module")
def demo(pg_cluster, demo_template) -> Iterator[Settings]:  # noqa: ANN001 - the session's cluster
    with demo_database(pg_cluster, "words") as settings:
        yield settings


@pytest.fixture(scope="module")
def callbacks(demo: Settings) -> Iterator[Context]:
    with dashboard_context(demo) as ctx:
        yield ctx


def _text(component) -> str:  # noqa: ANN001 - a Dash component or a list of them
    def plain(c):  # noqa: ANN001, ANN202
        return c.to_plotly_json() if hasattr(c, "to_plotly_json") else c

    return json.dumps(component, default=plain, ensure_ascii=False)


# --------------------------------------------------------------------------- units


def test_cards_show_million_baht_with_two_decimals_and_exact_baht_as_tooltip(callbacks: Context) -> None:
    out = map_page.render_summary(callbacks, "?area=37&fy=2569", DB)
    cards = {c.id: c for c in out["cards"]}
    requested = cards["card-requested"].children[0]
    assert re.fullmatch(r"[\d,]+\.\d\d ล้านบาท", requested.children)
    assert re.fullmatch(r"[\d,]+\.\d\d บาท", requested.title)  # the exact amount, to the satang
    million = Decimal(requested.title.split()[0].replace(",", "")) / Decimal(1_000_000)
    assert requested.children == f"{million:,.2f} ล้านบาท"
    english = map_page.render_summary(callbacks, "?area=37&fy=2569&lang=en", DB)
    value = english["cards"][0].children[0]
    assert value.children.endswith(" M baht") and value.title.endswith(" baht")


def test_ranking_and_grids_show_million_baht_and_export_exact_baht(callbacks: Context) -> None:
    out = map_page.render_map(callbacks, "?area=37&fy=2569", DB)
    columns = {c["field"]: c for c in out["ranking_columns"]}
    for field in ("gap", "requested", "allocated"):
        col = columns[field]
        assert "(ล้านบาท)" in col["headerName"] and "/ 1e6" in col["valueFormatter"]["function"]
        assert "บาท" in col["tooltipValueGetter"]["function"] and col["wrapHeaderText"]
    row = out["ranking"][0]
    assert isinstance(row["gap"], float) and row["gap"] > 1_000_000  # the data stay exact baht
    exported = {c.key: c for c in columns_from_grid(out["ranking_columns"])}
    assert exported["gap"].kind == "baht" and exported["gap"].header == i18n.t("col_gap")  # '… (บาท)'
    items = {c["field"]: c for c in views.item_columns("en")}
    assert items["requested"]["headerName"] == "Requested (M baht)"
    allocations = {c["field"]: c for c in views.allocation_columns()}
    assert allocations["amount"]["headerName"] == "จำนวนเงิน (ล้านบาท)"
    header = next(c.header for c in columns_from_grid(views.allocation_columns()) if c.key == "amount")
    assert header == "จำนวนเงิน (บาท)"


def test_ranking_csv_is_exact_baht(callbacks: Context) -> None:
    from tests.dashboard.test_exports import sample_meta

    out = map_page.render_map(callbacks, "?area=37&fy=2569", DB)
    csv = to_csv(out["ranking"], columns_from_grid(out["ranking_columns"]), sample_meta("r"), with_meta=False)
    lines = csv.decode("utf-8-sig").splitlines()
    assert "ยังไม่ได้รับจัดสรร (บาท)" in lines[0] and "ล้านบาท" not in lines[0]
    first_gap = lines[1].split(",")[2]
    assert first_gap == f"{out['ranking'][0]['gap']:.2f}"


def test_pack_tables_use_one_unit_and_two_decimals() -> None:
    ind = Indicators(120, Decimal("950123456.78"), 40, Decimal("210000000.55"), 25, Decimal("98765432.10"))
    for lang, unit in (("th", "ล้านบาท"), ("en", "M baht")):
        table = pack_module.indicator_table(ind, lang)
        amount_headers = [h for h in table.header if "บาท" in h or "baht" in h]
        assert amount_headers and all(unit in h for h in amount_headers)  # never baht beside ล้านบาท
        cells = [c for row in table.rows for c in row]
        assert not any(FOUR_DECIMALS.search(c) for c in cells), cells
        assert "950.12" in cells and "613,919.24" in cells


def test_pack_top_ten_headers_are_short_lines() -> None:
    from tests.dashboard.test_exports import read_boundaries, sample_pack

    pack = sample_pack(read_boundaries(2), read_boundaries(1))
    slide = next(s for s in pack_module.slides(pack) if s.kind == "table")
    table = slide.table
    total = sum(table.widths)
    for header, width in zip(table.header, table.widths):
        inches = width / total * 12.3
        longest = max(len(line) for line in header.split("\n"))
        assert longest * 0.62 * 13 / 72 <= inches + 0.35, (header, inches)  # no header runs into the next
    assert all("ล้านบาท" in h for h in table.header[3:6])


# --------------------------------------------------------------------------- one definition per figure


def test_indicators_state_their_denominators_and_definitions(callbacks: Context) -> None:
    out = map_page.render_summary(callbacks, "?area=37&fy=2569", DB)
    text = _text(out["indicators"])
    funded_row = re.search(r'"id": "indicator-ind_funded".*?"title": "([^"]+)"', text)
    assert "ของที่จังหวัดเสนอ" in text and "ของที่อยู่ในคำขอ" in text
    assert i18n.t("def_ind_funded") in text and i18n.t("def_ind_requests") in text
    assert funded_row is None or funded_row.group(1)
    with callbacks.pool.connection() as conn:
        summary = queries.summary(
            conn, "37", callbacks.resolver.resolve(conn, state.parse("?area=37&fy=2569"), callbacks.scope()).filters
        )
    ind = summary.indicators
    if ind.proposed_items:
        share = i18n.percent(ind.funded_items / ind.proposed_items)
        assert i18n.t("ind_of_proposed", share=share) in text
        # the FY2559 chart shows the same share of the proposed projects for the same count
        bars = chain_figures.shape_figure(ind)["data"][1]["text"]
        assert bars[2] == f"{ind.funded_items / ind.proposed_items * 100:,.1f}% ({ind.funded_items:,})"
        assert share.rstrip("%") in bars[2]
    # the funnel counts village needs, not budget lines: it says so, under another label
    assert i18n.t("funnel_funded") != i18n.t("ind_funded")
    assert "ความต้องการ" in i18n.t("funnel_funded") and i18n.t("def_funnel_funded")


# --------------------------------------------------------------------------- grids and dates


def test_grid_texts_follow_the_language() -> None:
    th, en = i18n.grid_locale("th"), i18n.grid_locale("en")
    assert th["noRowsToShow"] == "ไม่มีรายการ" and th["page"] == "หน้า" and th["of"] == "จาก"
    assert th["contains"] and th["equals"] and th["filterOoo"]
    assert en["noRowsToShow"] == "No rows to show"
    function = i18n.grid_text_function()["function"]
    assert function.startswith("planmapGridText(params, ") and '"หน้า"' in function
    assert common.GRID["dashGridOptions"]["getLocaleText"] == i18n.grid_text_function()
    layout = _text(map_page.layout())
    assert layout.count("planmapGridText(params") >= 3  # ranking, items, allocations


def test_dates_are_buddhist_era_in_thai(callbacks: Context, monkeypatch) -> None:
    real = queries.dashboard_status

    def dated(conn):  # noqa: ANN001, ANN202
        return replace(real(conn), schematic=False, data_date=dt.datetime(2026, 11, 30, 14, 0))

    monkeypatch.setattr(shell.queries, "dashboard_status", dated)
    th = _text(shell.status_bar(callbacks, "?fy=2569", {"ok": True, "version": -1})["banner"])
    en = _text(shell.status_bar(callbacks, "?fy=2569&lang=en", {"ok": True, "version": -1})["banner"])
    assert "ข้อมูล ณ 30 พ.ย. 2569 14:00" in th and "2026-11-30" not in th
    assert "Data as of 30 Nov 2026 14:00" in en
    assert i18n.date(dt.date(2024, 1, 6)) == "6 ม.ค. 2567"


# --------------------------------------------------------------------------- deep links


@pytest.mark.parametrize(
    ("name", "metric"),
    [
        ("requested", "requested"),
        ("funded", "funded"),
        ("gap", "gap"),
        ("share", "share_amount"),
        ("share_count", "share_count"),
        ("items", "items"),
        ("per_capita", "requested_pc"),
        ("gap_per_capita", "gap_pc"),
        ("allocated", "allocated"),
    ],
)
def test_every_documented_metric_name_works(name: str, metric: str) -> None:
    assert state.parse(f"?metric={name}").metric == metric
    assert state.ignored(f"?metric={name}", state.parse(f"?metric={name}")) == []


def test_readme_metric_names_are_all_understood() -> None:
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    documented = re.search(r"`metric` \((.*?)\), `plan`", readme.replace("\n", " "))
    assert documented
    names = re.findall(r"`([a-z_]+)`", documented.group(1))
    assert {"share", "per_capita", "share_count"} <= set(names)
    for name in names:
        assert state.parse(f"?metric={name}").metric is not None, name


def test_a_link_with_unusable_values_opens_the_nearest_view_and_says_what_was_ignored(callbacks: Context) -> None:
    out = shell.navigate(callbacks, ids.URL, "?area=37&metric=per_capita&fy=2400&rank=zzz&cls=jenks")
    assert out["search"] == "?area=37&metric=requested_pc&cls=jenks&fy=2569"
    notice = _text(out["notice"])
    assert "fy=2400" in notice and "rank=zzz" in notice and "metric" not in notice and "cls" not in notice
    assert "ลิงก์นี้มีค่าที่ใช้ไม่ได้" in notice
    # the canonical link it rewrote to keeps the notice (no update) and has nothing to ignore
    again = shell.navigate(callbacks, ids.URL, out["search"])
    assert again["search"] is dash.no_update and again["notice"] is dash.no_update
    english = shell.navigate(callbacks, ids.URL, "?area=99999&metric=<script>&lang=en")
    text = _text(english["notice"])
    assert "area=99999" in text and "metric=<script>" in text and "ignored" in text
    # a control change is not a link: nothing is said
    assert shell.navigate(callbacks, ids.METRIC, "?fy=2569", metric="funded")["notice"] is None
    assert state.ignored("?area=37&foo=1", state.parse("?area=37")) == []  # unknown keys: not ours
