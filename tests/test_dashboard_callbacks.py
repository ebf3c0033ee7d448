"""The callbacks called directly (no browser) on the tiny demo, the geometry route, and the
database-down path."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator

import dash
import psycopg
import pytest
from flask import Flask

from dashboard import ids
from dashboard.app import Callbacks, create_app, gzip_response
from geodata.db import open_pool
from geodata.settings import Settings, load_settings
from tests.conftest import dashboard_callbacks, demo_database

DB = {"ok": True, "version": 1}


@pytest.fixture(scope="module")
def demo(pg_cluster) -> Iterator[Settings]:  # noqa: ANN001 - the session's cluster
    """One database with the tiny demo, shared by the read-only tests of this module."""
    with demo_database(pg_cluster, "callbacks") as settings:
        yield settings


@pytest.fixture(scope="module")
def callbacks(demo: Settings) -> Iterator[Callbacks]:
    with dashboard_callbacks(demo) as callbacks:
        yield callbacks


def _navigate(cb: Callbacks, trigger, search, **changed):  # noqa: ANN001, ANN202
    values = {"plan": None, "metric": None, "fy": None, "compare": None, "classes": None, "sector": None,
              "agency": None, "source": None, "level": None, "tiles": None, "lang": None, "rank": None,
              "click": None, "cell": None, **changed}
    return cb.navigate(trigger, search, *values.values())


def test_navigate_canonicalises_and_falls_back_to_the_national_view(callbacks: Callbacks) -> None:
    out = _navigate(callbacks, ids.URL, "?area=99&metric=nope")
    assert out[0] == "?fy=2569" and out[2] == "gap" and out[3] == 2569
    out = _navigate(callbacks, ids.URL, "?area=37&fy=2569")
    assert out[0] is dash.no_update                                       # already canonical
    assert out[9] == "district"                                           # the level control follows


def test_navigate_turns_clicks_and_controls_into_a_url(callbacks: Callbacks) -> None:
    click = {"points": [{"location": "37", "customdata": ["อำนาจเจริญ", "37"]}]}
    assert _navigate(callbacks, ids.MAP, "?fy=2569", click=click)[0] == "?area=37&fy=2569"
    evil = {"points": [{"location": "37' OR 1=1", "customdata": ["x", "<b>"]}]}
    assert _navigate(callbacks, ids.MAP, "?fy=2569", click=evil)[0] != "?area=37&fy=2569"
    assert _navigate(callbacks, ids.RANKING, "?area=37&fy=2569", cell={"rowId": "3701"})[0] == "?area=3701&fy=2569"
    assert _navigate(callbacks, ids.METRIC, "?fy=2569", metric="funded")[0] == "?metric=funded&fy=2569"
    assert _navigate(callbacks, ids.METRIC, "?fy=2569", metric="drop table")[2] == "gap"
    assert _navigate(callbacks, ids.YEAR, "?fy=2569", fy=2568)[0] == "?fy=2568"
    assert _navigate(callbacks, ids.YEAR, "?fy=2569", fy=2400)[3] == 2569              # not loaded
    assert _navigate(callbacks, ids.LANG, "?fy=2569", lang="en")[0] == "?lang=en&fy=2569"
    assert _navigate(callbacks, ids.SECTOR, "?fy=2569", sector="ไม่มีด้านนี้")[6] is None
    out = _navigate(callbacks, ids.COMPARE, "?fy=2569", compare=["1"])
    assert out[0] == "?fy=2569&cmp=1" and out[4] == ["1"]
    assert _navigate(callbacks, ids.LEVEL, "?area=37&fy=2569", level="village")[9] == "district"


def test_render_map_draws_the_children_and_lists_the_rest(callbacks: Callbacks) -> None:
    fig, side, notes, ranking, columns, title = callbacks.render_map("?area=37&fy=2569", DB)
    no_data, trace = fig["data"]
    assert trace["geojson"] == "/_planmap/geo/district/37.json?v=1"
    assert trace["locations"] and all(code.startswith("37") for code in trace["locations"] + no_data["locations"])
    assert [n.id for n in notes] == ["note-inventory"]             # the demo's funding is linked
    assert title == "พื้นที่ที่ยังไม่ได้รับจัดสรร เรียงลำดับ"
    text = json.dumps(side.to_plotly_json(), default=str, ensure_ascii=False)
    assert "ระบุทั้งจังหวัด" in text and "รวมทั้งพื้นที่" in text
    assert ranking and ranking[0]["rank"] == 1 and columns[0]["field"] == "rank"
    fig, *_ = callbacks.render_map("?area=370101&fy=2569&plan=village", DB)
    outline, no_data, points = fig["data"]
    assert outline["locations"] == ["370101"]
    assert all(code.startswith("370101") for code in points["ids"] + no_data["ids"])
    fig, *_ = callbacks.render_map("?level=cluster&fy=2569&lang=en&metric=allocated", DB)
    assert fig["data"][0]["geojson"].startswith("/_planmap/geo/cluster/TH.json")
    assert "M baht" in fig["data"][1]["colorbar"]["title"]["text"]


def test_render_summary_and_items(callbacks: Callbacks) -> None:
    crumbs, cards, indicators = callbacks.render_summary("?area=3701&fy=2569", DB)
    names = [getattr(c, "children", None) for c in crumbs]
    assert "ประเทศไทย" in names and names[-1] == "เมืองอำนาจเจริญ"
    assert {c.id for c in cards} >= {"card-requested", "card-funded", "card-gap", "card-share"}
    items, item_cols, count, allocs, alloc_cols, alloc_count = callbacks.render_items("?area=37&fy=2569", DB, None)
    assert items and "แสดง" in count and item_cols[0]["field"] == "title"
    found = callbacks.render_items("?area=37&fy=2569&plan=village", DB, "ถนน")[0]
    assert found and all("ถนน" in row["title"] for row in found)


def test_controls_follow_the_language(callbacks: Callbacks) -> None:
    out = callbacks.controls("?lang=en&fy=2569", DB)
    assert out[0] == "planmap — development needs and budget"
    assert {"label": "FY 2569 (BE)", "value": 2569} in out[3]
    assert "Plan level" in out


def test_status_bar_reports_synthetic_data_and_version(callbacks: Callbacks) -> None:
    notes, db = callbacks.status_bar("", 1, {"ok": False, "version": 0})
    assert db["ok"] is True and db["version"] > 0
    assert "ข้อมูลสังเคราะห์" in json.dumps([n.to_plotly_json() for n in notes], default=str, ensure_ascii=False)


def test_database_down_is_said_plainly() -> None:
    settings = load_settings(database_url="postgresql://nobody:x@127.0.0.1:9/none")
    pool = open_pool(settings, timeout=0.5)
    try:
        cb = Callbacks(pool)
        banner, db = cb.status_bar("", 1, {"ok": True, "version": 3})
        assert "เชื่อมต่อฐานข้อมูลไม่ได้" in json.dumps(banner.to_plotly_json(), ensure_ascii=False)
        assert db == {"ok": False, "version": 3}
        assert cb.render_map("?area=37", DB)[2] == "ขณะนี้เชื่อมต่อฐานข้อมูลไม่ได้ ระบบจะลองใหม่อัตโนมัติ"
        out = _navigate(cb, ids.METRIC, "", metric="funded")           # still navigates, unvalidated
        assert out[0] == "?metric=funded"
    finally:
        pool.close()


def test_geometry_route_is_gzipped_cached_and_strict(demo: Settings) -> None:
    pool = open_pool(demo, wait=True)
    try:
        client = create_app(demo, pool).server.test_client()
        response = client.get("/_planmap/geo/district/37.json?v=1", headers={"Accept-Encoding": "gzip"})
        assert response.status_code == 200 and response.headers["Content-Encoding"] == "gzip"
        assert "immutable" in response.headers["Cache-Control"]
        collection = json.loads(gzip.decompress(response.data))
        assert collection["features"] and all(f["id"].startswith("37") for f in collection["features"])
        again = client.get("/_planmap/geo/district/37.json?v=1", headers={"If-None-Match": response.headers["ETag"]})
        assert again.status_code == 304
        for bad in ("/_planmap/geo/village/37.json", "/_planmap/geo/district/3701.json",
                    "/_planmap/geo/district/C01.json", "/_planmap/geo/district/x'y.json"):
            assert client.get(bad).status_code == 404
        layout = client.get("/_dash-layout", headers={"Accept-Encoding": "gzip"})
        assert layout.headers.get("Content-Encoding") == "gzip"
    finally:
        pool.close()


def test_gzip_response_leaves_small_and_unaccepted_responses_alone() -> None:
    app = Flask(__name__)
    with app.test_request_context(headers={"Accept-Encoding": "gzip"}):
        small = gzip_response(app.response_class("{}", mimetype="application/json"))
        assert "Content-Encoding" not in small.headers
        big = gzip_response(app.response_class(json.dumps(["x"] * 1000), mimetype="application/json"))
        assert big.headers["Content-Encoding"] == "gzip"
    with app.test_request_context():
        plain = gzip_response(app.response_class(json.dumps(["x"] * 1000), mimetype="application/json"))
        assert "Content-Encoding" not in plain.headers


class _Counting(psycopg.Connection):
    """A connection that remembers the SQL it ran (the test's own pool uses it)."""

    ran: list[str] = []

    def execute(self, query, params=None, **kwargs):  # noqa: ANN001, ANN201
        _Counting.ran.append(str(query))
        return super().execute(query, params, **kwargs)


def test_one_click_reads_the_options_once(demo: Settings) -> None:
    """A drill-down click runs the navigate, controls, map, summary and items callbacks; the
    options behind every one of them are read once per data version, not once per callback."""
    from psycopg.rows import dict_row
    from psycopg_pool import ConnectionPool

    from geodata.cluster import database_url
    from geodata.db import query

    pool = ConnectionPool(database_url(demo), connection_class=_Counting, min_size=1, max_size=2,
                          kwargs={"row_factory": dict_row, "autocommit": True}, open=True)
    try:
        cb = Callbacks(pool)
        options_sql = query("dash_options")

        def click(search: str) -> int:
            _Counting.ran.clear()
            out = _navigate(cb, ids.MAP, search, click={"points": [{"location": "37"}]})
            url = out[0]
            cb.controls(url, DB)
            cb.render_map(url, DB)
            cb.render_summary(url, DB)
            cb.render_items(url, DB, None)
            return sum(1 for q in _Counting.ran if q == options_sql)

        assert click("?fy=2569") == 1
        assert click("?fy=2569&lang=en") == 0                        # same data version: kept
        with pool.connection() as conn:
            conn.execute("INSERT INTO import_runs (kind, source, status) VALUES ('plans', 'test', 'loaded')")
        assert click("?fy=2569") == 1                                # a new load: read again
    finally:
        with pool.connection() as conn:
            conn.execute("DELETE FROM import_runs WHERE source = 'test'")
        pool.close()
