"""The place search in the header, the trend over the years and two areas side by side, on the
tiny demo: the callbacks through the Flask test client as a province viewer and as an admin, the
renders called directly, and (marked ``browser``) one screenshot of each in headless Chromium."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import dash
import flask
import pytest
from dash import html
from selenium.webdriver.common.keys import Keys

from dashboard import access, figures, i18n, ids, shell
from dashboard.app import create_app
from dashboard.auth import OPERATOR, Principal
from dashboard.context import Context
from dashboard.metrics import class_breaks, class_index
from dashboard.pages import compare, trend
from dashboard.pages import map as map_page
from dashboard.search import PlaceIndex, fold
from dashboard.state import ViewState, asked_other, parse, to_search
from geodata import queries
from geodata.accounts import Scope
from geodata.db import connect, open_pool
from geodata.settings import Settings
from tests.browser import chromium, serving, wait_for
from tests.dashboard.test_callback_fuzz import _callbacks, _first, _prop_id
from tests.dashboard.test_map_browser import _assert_framed, _margins, _wait_fitted, graph
from tests.helpers import add_account, demo_database, sign_in

DB = {"ok": True, "version": 1}
FY = 2569
PROVINCE, OTHER = "37", "22"  # Amnat Charoen (the demo's province), Chanthaburi
KORAT = "30"  # นครราชสีมา, Nakhon Ratchasima


@dataclass
class World:
    settings: Settings
    ctx: Context  # the operator (every area)
    province_ctx: Context  # a viewer of province 37 only
    clients: dict[str, flask.testing.FlaskClient]


@pytest.fixture(scope="module")
def world(pg_cluster, demo_template) -> Iterator[World]:  # noqa: ANN001 - the session's cluster
    with demo_database(pg_cluster, "issue12") as demo:
        settings = demo.model_copy(update={"anonymous_read": False})
        add_account(settings, "viewer.37", "viewer", PROVINCE)
        add_account(settings, "admin.th", "admin", "TH")
        pool = open_pool(settings, wait=True)
        try:
            server = create_app(settings, pool).server
            clients = {}
            for name in ("viewer.37", "admin.th"):
                clients[name] = server.test_client()
                sign_in(clients[name], name)
            reader = Principal(None, Scope({"viewer": frozenset({PROVINCE})}))
            yield World(
                settings,
                Context(pool, principal=lambda: OPERATOR),
                Context(pool, principal=lambda: reader),
                clients,
            )
        finally:
            pool.close()


def _post(client: flask.testing.FlaskClient, output: str, inputs: list, state: list | None = None) -> flask.Response:
    """One callback request as the page posts it (a single output ``id.property``)."""
    component, prop = output.rsplit(".", 1)
    changed = [f"{inputs[0]['id']}.{inputs[0]['property']}"]
    body = {
        "output": output,
        "outputs": {"id": component, "property": prop},
        "inputs": inputs,
        "state": state or [],
        "changedPropIds": changed,
    }
    return client.post("/_dash-update-component", json=body)


def _places(client: flask.testing.FlaskClient, typed: object, search: str = f"?fy={FY}") -> list[dict]:
    response = _post(
        client,
        f"{ids.PLACE}.options",
        [{"id": ids.PLACE, "property": "search_value", "value": typed}],
        [{"id": ids.URL, "property": "search", "value": search}],
    )
    assert response.status_code in (200, 204), response.get_data(as_text=True)[:300]
    if response.status_code == 204:
        return []
    return response.get_json()["response"].get(ids.PLACE, {}).get("options", [])  # none: left as it was


def _call(client: flask.testing.FlaskClient, first: str, search: str, values: dict | None = None) -> dict:
    """Post the app's callback whose first output is ``first`` as the page would, the URL at
    ``search`` (and ``values`` for other inputs); its response's outputs."""
    cb = next(c for c in _callbacks(client) if access.first_output(c.output) == first)
    values = {(ids.URL, "search"): search, **(values or {})}

    def filled(entries: list) -> list:
        return [
            {**e, "value": values[(e["id"], e["property"])]}
            if isinstance(e, dict) and (e["id"], e["property"]) in values
            else e
            for e in entries
        ]

    inputs, state = filled(cb.entries(cb.inputs)), filled(cb.entries(cb.state))
    response = client.post(
        "/_dash-update-component", json=cb.request({"inputs": inputs, "state": state}, [_prop_id(_first(inputs))])
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.get_json()["response"]


def _text(component: object) -> str:
    return json.dumps(
        component.to_plotly_json() if hasattr(component, "to_plotly_json") else component,
        default=lambda c: c.to_plotly_json(),
        ensure_ascii=False,
    )


# --------------------------------------------------------------------------- place search


def test_fold_drops_tone_marks_level_words_and_case() -> None:
    assert fold("ร้อยเอ็ด") == fold("รอยเอด") == "รอยเอด"
    assert fold("จ.นครราชสีมา") == fold("จังหวัด นครราชสีมา") == "นครราชสีมา"
    assert fold("Nakhon  Ratchasima") == fold("nakhon-ratchasima") == "nakhonratchasima"
    assert fold("อ\u0e4d\u0e32นาจเจริญ") == fold("อำนาจเจริญ")  # ำ typed as two characters


def test_place_search_finds_a_province_by_thai_english_typo_and_missing_tone_marks(world: World) -> None:
    client = world.clients["admin.th"]
    for typed in ("นครราชสีมา", "นครราชสิมา", "นครราชสีมมา", "Nakhon Ratchasima", "nakhon ratchasima", "จ.นครราชสีมา"):
        options = _places(client, typed)
        assert options and options[0]["value"] == KORAT, (typed, options[:3])
        assert options[0]["search"] == typed  # the dropdown's own filter keeps a typo's match
    assert _places(client, "นครราชสีมา")[0]["label"] == "นครราชสีมา (จังหวัด)"
    assert _places(client, "Nakhon Ratchasima", f"?fy={FY}&lang=en")[0]["label"] == "Nakhon Ratchasima (Province)"
    assert _places(client, "รอยเอด")[0]["value"] == "45"  # ร้อยเอ็ด without its tone marks
    assert _places(client, "เชียงใหม")[0]["value"] == "50"  # เชียงใหม่ without ่
    # a tambon name shared by many: each result says where it is
    labels = [o["label"] for o in _places(client, "ในเมือง")]
    assert len(labels) > 3 and all(" — " in label for label in labels)


def test_place_search_returns_only_the_readers_areas(world: World) -> None:
    client = world.clients["viewer.37"]
    assert _places(client, "นครราชสีมา") == []
    assert _places(client, "Nakhon Ratchasima") == []
    options = _places(client, "อำนาจ")
    assert options and all(o["value"].startswith(PROVINCE) for o in options)
    assert PROVINCE in [o["value"] for o in options]
    for typed in ("เมือง", "บ้าน", "na", "ตำบล"):  # common words: many matches elsewhere, none shown
        assert all(o["value"].startswith(PROVINCE) for o in _places(client, typed)), typed


def test_place_search_answers_garbage_without_error(world: World) -> None:
    client = world.clients["viewer.37"]
    for typed in (None, "", "x", 5, ["นคร"], {"a": 1}, "\x00\x00", "ก" * 10_000, "%", "'; drop table areas; --"):
        assert _places(client, typed) == [], typed
    assert _places(client, "นครราชสีมา", search=["?area=30"]) == []


def test_picking_a_place_navigates_there_keeping_the_view(world: World) -> None:
    out = shell.navigate(world.ctx, ids.PLACE, f"?fy={FY}&view=trend", place=KORAT)
    assert out["search"] == f"?area={KORAT}&fy={FY}&view=trend" and out["place"] is None
    out = shell.navigate(world.ctx, ids.PLACE, f"?fy={FY}", place="30' OR 1=1")
    assert out["search"] is not None and "area=" not in str(out["search"])
    # a province reader who somehow posts another province lands on its own
    out = shell.navigate(world.province_ctx, ids.PLACE, f"?area={PROVINCE}&fy={FY}", place=KORAT)
    assert f"area={KORAT}" not in str(out["search"]) and "นอกพื้นที่ที่ท่านมีสิทธิ์" in out["notice"].children


def test_the_index_ranks_wider_areas_first_and_obeys_the_scope(world: World) -> None:
    index = PlaceIndex()
    with connect(world.settings) as conn:
        index.load(conn)
    hits = index.search("อำนาจเจริญ", lambda code: True)
    assert hits[0].place.code == PROVINCE and hits[0].how == "exact"
    assert all(h.place.code.startswith(PROVINCE) for h in index.search("อำนาจเจริญ", lambda c: c.startswith("37")))
    assert index.search("ก", lambda code: True) == []  # one character: nothing yet
    assert set(index.siblings("3701")) >= {"3701", "3702"} and all(len(c) == 4 for c in index.siblings("3701"))


# --------------------------------------------------------------------------- trend


def _card(cards: list, key: str) -> str:
    card = next(c for c in cards if getattr(c, "id", None) == f"card-{key}")
    return card.children[0].children


def test_trend_equals_the_cards_of_every_year(world: World) -> None:
    for area in ("TH", PROVINCE, "3701"):
        out = trend.render(world.ctx, f"?area={area}&fy={FY}&view=trend", DB)
        fig, table = out["figure"], out["table"]
        years = [int(x) for x in fig["data"][0]["x"]]
        with connect(world.settings) as conn:
            loaded = queries.options(conn).fiscal_years
        assert years == sorted(loaded) and len(years) >= 2
        rows = {r.id: r for r in table.children[1].children}
        for n, year in enumerate(years):
            cards = map_page.render_summary(world.ctx, f"?area={area}&fy={year}", DB)["cards"]
            with connect(world.settings) as conn:
                summary = queries.summary(conn, area, queries.Filters(year, "province"))
            requested, funded, allocated = (fig["data"][k]["y"][n] for k in range(3))
            assert requested == round(float(summary.total.requested) / 1e6, 2)
            assert allocated == round(float(summary.total.allocated) / 1e6, 2)
            assert funded == (round(float(summary.total.funded) / 1e6, 2) if summary.coverage.linked else None)
            cells = [td.children for td in rows[f"trend-{year}"].children]
            assert cells[2] == _card(cards, "requested") == i18n.million(summary.total.requested)
            assert cells[3] == _card(cards, "funded") and cells[4] == _card(cards, "gap")
            assert cells[6] == _card(cards, "allocated")
            assert cells[1] == i18n.count(summary.total.items)
        assert rows[f"trend-{FY}"].className == "selected"


def test_trend_follows_the_filters_and_the_language(world: World) -> None:
    out = trend.render(world.ctx, f"?area={PROVINCE}&fy={FY}&view=trend&plan=village&lang=en", DB)
    with connect(world.settings) as conn:
        summary = queries.summary(conn, PROVINCE, queries.Filters(FY, "village"))
    n = out["figure"]["data"][0]["x"].index(str(FY))
    assert out["figure"]["data"][0]["y"][n] == round(float(summary.total.requested) / 1e6, 2)
    assert "every loaded fiscal year" in _text(out["head"]) and "Village / community plan" in _text(out["head"])
    assert out["figure"]["data"][0]["name"] == "Requested"
    # another page shown: nothing is read or changed
    assert all(v is dash.no_update for v in trend.render(world.ctx, f"?area={PROVINCE}&fy={FY}", DB).values())


def test_trend_of_a_province_reader_stays_in_its_province(world: World) -> None:
    out = trend.render(world.province_ctx, f"?area={OTHER}&fy={FY}&view=trend", DB)
    assert "อำนาจเจริญ" in _text(out["head"]) and "จันทบุรี" not in _text(out["head"])


# --------------------------------------------------------------------------- compare


def test_compare_state_round_trips_through_the_url() -> None:
    state = parse(f"?area=3701&vs=3702&fy={FY}&view=compare")
    assert state == ViewState(area="3701", level="tambon", fy=FY, view="compare", other="3702")
    assert parse(to_search(state)) == state
    assert to_search(state) == f"?area=3701&fy={FY}&view=compare&vs=3702"
    assert parse("?area=37&vs=37").other is None  # an area beside itself
    assert parse("?area=37&vs=3%00").other is None and parse("?vs=<b>").other is None
    assert parse("?cmp=1&vs=22").compare is True and parse("?cmp=1&vs=22").other == "22"  # two keys
    assert asked_other("?vs=<b>") == "<b>" and asked_other("?area=37") is None and asked_other(7) is None


def test_navigate_keeps_a_valid_comparison_and_says_what_it_ignored(world: World) -> None:
    search = f"?area=3701&fy={FY}&view=compare&vs=3702"
    out = shell.navigate(world.ctx, ids.URL, search)
    assert out["search"] is dash.no_update and out["view"] == "compare"
    picked = shell.navigate(world.ctx, ids.COMPARE_PICK, f"?area={PROVINCE}&fy={FY}", compare_pick="35")
    assert picked["search"] == f"?area={PROVINCE}&fy={FY}&view=compare&vs=35" and picked["compare_pick"] is None
    for bad in ("99", "<b>", "3799"):
        out = shell.navigate(world.ctx, ids.URL, f"?area={PROVINCE}&fy={FY}&view=compare&vs={bad}")
        assert out["search"] == f"?area={PROVINCE}&fy={FY}&view=compare", bad
        assert f'"{bad}"' in out["notice"].children and "ไม่ได้เทียบ" in out["notice"].children
    # out of the reader's scope: refused the same way, and nothing of the other province is read
    out = shell.navigate(world.province_ctx, ids.URL, f"?area={PROVINCE}&fy={FY}&view=compare&vs={OTHER}")
    assert out["search"] == f"?area={PROVINCE}&fy={FY}&view=compare"
    assert f'"{OTHER}"' in out["notice"].children


def test_compare_shows_both_areas_cards_indicators_and_maps(world: World) -> None:
    out = compare.render(world.ctx, f"?area=3701&fy={FY}&view=compare&vs=3702", DB)
    with connect(world.settings) as conn:
        first = queries.summary(conn, "3701", queries.Filters(FY, "province"))
        second = queries.summary(conn, "3702", queries.Filters(FY, "province"))
    text_a, text_b = _text(out["side_a"]), _text(out["side_b"])
    assert first.area.name_th in text_a and second.area.name_th in text_b
    assert i18n.million(first.total.requested) in text_a and i18n.million(second.total.requested) in text_b
    assert "compare-a-card-requested" in text_a and "compare-b-card-requested" in text_b
    assert "compare-b-indicator-ind_funded" in text_b
    ids_a = [c.id for c in out["side_a"]._traverse() if isinstance(getattr(c, "id", None), str)]
    ids_b = [c.id for c in out["side_b"]._traverse() if isinstance(getattr(c, "id", None), str)]
    assert not set(ids_a) & set(ids_b) and all(i.startswith("compare-") for i in ids_a + ids_b)
    for side, code in (("a", "3701"), ("b", "3702")):
        fig = out[f"map_{side}"]
        locations = [c for trace in fig["data"] for c in trace.get("locations", [])]
        assert locations and all(c.startswith(code) for c in locations)
        assert fig["layout"]["map"]["zoom"] > 7
    head = _text(out["head"])
    assert "สลับข้าง" in head and f"?area=3702&fy={FY}&view=compare&vs=3701" in head


@pytest.mark.parametrize("metric", ["gap", "requested"])
def test_compare_maps_share_one_classification(world: World, metric: str) -> None:
    """The same colour means the same value on both small maps: one set of breaks over both
    sides' values, one legend, which says so."""
    out = compare.render(world.ctx, f"?area=3701&fy={FY}&view=compare&vs=3702&metric={metric}", DB)
    scaled = {
        side: next(t for t in out[f"map_{side}"]["data"] if t.get("showscale")) for side in compare.SIDES
    }  # the trace of the areas with a value (it carries the legend)
    a, b = scaled["a"], scaled["b"]
    assert a["colorbar"]["ticktext"] == b["colorbar"]["ticktext"] and a["colorscale"] == b["colorscale"]
    assert a["colorbar"]["title"]["text"] == b["colorbar"]["title"]["text"]
    assert "สีเดียวกัน = ค่าเดียวกัน<br>ทั้งสองแผนที่" in a["colorbar"]["title"]["text"]
    # the breaks are those of both sides' values together, and every area is in its class of them
    with connect(world.settings) as conn:
        rows = {
            side: queries.children(conn, code, "tambon", queries.Filters(FY, "province"), previous=False)
            for side, code in (("a", "3701"), ("b", "3702"))
        }
    values = {side: dict(zip((r.code for r in rs), figures.area_values(rs, metric))) for side, rs in rows.items()}
    pooled = [v for side in values.values() for v in side.values()]
    breaks = class_breaks(pooled, "quantile")
    assert len(breaks) >= 2
    for side, trace in scaled.items():
        assert trace["z"] == [class_index(values[side][c], breaks) for c in trace["locations"]], side
    own = {side: class_breaks(list(v.values()), "quantile") for side, v in values.items()}
    assert own["a"] != own["b"]  # each side alone would have had its own classes
    # in English too
    en = compare.render(world.ctx, f"?area=3701&fy={FY}&view=compare&vs=3702&metric={metric}&lang=en", DB)
    title = next(t for t in en["map_b"]["data"] if t.get("showscale"))["colorbar"]["title"]["text"]
    assert "Same colour = same values<br>on both maps" in title


def test_compare_without_a_second_area_suggests_the_cluster(world: World) -> None:
    out = compare.render(world.ctx, f"?area={PROVINCE}&fy={FY}&view=compare", DB)
    head = _text(out["head"])
    assert "vs=35" in head and "ยโสธร" in head  # a province of the same cluster
    assert isinstance(out["side_b"], html.P)
    picks = compare.pick_options(world.ctx, f"?area={PROVINCE}&fy={FY}&view=compare", None)["options"]
    assert {"33", "34", "35"} <= {o["value"] for o in picks}
    typed = compare.pick_options(world.ctx, f"?area={PROVINCE}&fy={FY}&view=compare", "Yasothon")["options"]
    assert typed[0]["value"] == "35"
    # a province reader is offered nothing outside its province
    assert compare.pick_options(world.province_ctx, f"?area={PROVINCE}&fy={FY}&view=compare", None)["options"] == []
    mine = compare.pick_options(world.province_ctx, f"?area={PROVINCE}&fy={FY}&view=compare", "ชานุมาน")["options"]
    assert "3702" in [o["value"] for o in mine] and all(o["value"].startswith(PROVINCE) for o in mine)


def test_compare_of_a_province_reader_never_shows_the_other_province(world: World) -> None:
    out = compare.render(world.province_ctx, f"?area={PROVINCE}&fy={FY}&view=compare&vs={OTHER}", DB)
    text = _text(list(out.values()))
    assert "จันทบุรี" not in text and "อำนาจเจริญ" in text
    client = world.clients["viewer.37"]
    search = f"?area={PROVINCE}&fy={FY}&view=compare&vs={OTHER}"
    picked = _call(client, ids.COMPARE_PICK, search, {(ids.COMPARE_PICK, "search_value"): "จันทบุรี"})
    assert picked[ids.COMPARE_PICK]["options"] == []
    rendered = _call(client, ids.COMPARE_HEAD, search)
    assert "จันทบุรี" not in json.dumps(rendered, ensure_ascii=False)
    nav = _call(client, ids.URL, search)
    assert nav[ids.URL]["search"] == f"?area={PROVINCE}&fy={FY}&view=compare"
    assert f'"{OTHER}"' in nav[ids.NOTICE]["children"]["props"]["children"]
    # an admin of the country compares them
    admin = _call(world.clients["admin.th"], ids.COMPARE_HEAD, search)
    assert "จันทบุรี" in json.dumps(admin, ensure_ascii=False)


# --------------------------------------------------------------------------- browser


@pytest.mark.browser
def test_screenshots_of_search_trend_and_compare(demo_db: Settings, artifacts: Path) -> None:
    browser = chromium()
    pool = open_pool(demo_db, wait=True)
    try:
        with pool, serving(create_app(demo_db, pool)) as url:
            browser.get(url + f"?fy={FY}")
            wait_for(browser, "document.querySelector('#card-gap')", timeout=30)
            browser.find_element("css selector", f"#{ids.PLACE}").click()
            box = wait_for(browser, "document.querySelector('.dash-dropdown-search')")
            box.send_keys("นครราชสิมา")  # a typo
            wait_for(
                browser,
                "document.querySelector('.dash-dropdown-option') && "
                "document.querySelector('.dash-dropdown-options').innerText.includes('นครราชสีมา')",
                timeout=20,
            )
            browser.save_screenshot(str(artifacts / "issue12-search.png"))
            box.send_keys(Keys.ENTER)  # Enter picks the first
            wait_for(browser, "window.location.search.includes('area=30')", timeout=20)
            wait_for(browser, "document.getElementById('breadcrumbs').innerText.includes('นครราชสีมา')", timeout=20)

            browser.get(url + f"?area={PROVINCE}&fy={FY}&view=trend")
            wait_for(browser, f"document.getElementById('trend-{FY}')", timeout=30)
            wait_for(browser, "document.querySelector('#trend-graph .bar, #trend-graph .point')", timeout=20)
            browser.execute_script(f"document.getElementById('{ids.TREND_HEAD}').scrollIntoView()")
            browser.save_screenshot(str(artifacts / "issue12-trend.png"))

            browser.get(url + f"?area=3701&fy={FY}&view=compare&vs=3702")
            wait_for(browser, "document.getElementById('compare-b-card-requested')", timeout=30)
            wait_for(
                browser,
                "[...document.querySelectorAll('.compare-col .js-plotly-plot')].every(g => g._fullLayout"
                " && g._fullLayout.map && g._fullLayout.map._subplot && g._fullLayout.map._subplot.map.loaded())",
                timeout=30,
            )
            browser.execute_script("document.querySelector('.compare-page').scrollIntoView()")
            browser.save_screenshot(str(artifacts / "issue12-compare.png"))
            text = browser.execute_script("return document.body.innerText")
            assert "เมืองอำนาจเจริญ" in text and "ชานุมาน" in text

            # at a laptop's and a phone's size each small map frames its district whole (MapLibre's
            # own bounds), its legend beside it
            with connect(demo_db) as conn:
                bounds = {side: queries.area_bounds(conn, code) for side, code in (("a", "3701"), ("b", "3702"))}
            for width, height in ((1000, 700), (390, 844)):  # a laptop, a phone (the columns stacked)
                browser.set_window_size(width, height)
                for side, box in bounds.items():
                    gd = graph(f"#{ids.COMPARE_MAP}-{side}")
                    _wait_fitted(browser, box, gd)
                    _assert_framed(_margins(browser, box, gd), box, f"compare {side} at {width}×{height}")
                    legend, canvas = browser.execute_script(
                        f"return [{gd}.querySelector('.colorbar').getBoundingClientRect().left,"
                        f" {gd}.querySelector('canvas.maplibregl-canvas').getBoundingClientRect().right]"
                    )
                    assert legend >= canvas - 1, (side, legend, canvas)  # beside the map, not over it
                browser.execute_script(
                    f"document.getElementById('{ids.COMPARE_MAP}-a').scrollIntoView({{block: 'center'}})"
                )
                time.sleep(0.5)
                browser.save_screenshot(str(artifacts / f"issue12-compare-fit-{width}x{height}.png"))
    finally:
        browser.quit()


def test_a_year_without_plans_says_so_rather_than_zero() -> None:
    """The real files hold FY2563 proposals and the FY2565 Budget Bill: in 2565 nothing was
    requested as far as planmap knows, which is not 0.00 ล้านบาท requested."""
    from geodata.queries import Coverage, Indicators, Summary, Totals

    def summary(items: int, requested: int, allocated: int) -> Summary:
        total = Totals(items=items, requested=Decimal(requested), allocated=Decimal(allocated))
        coverage = Coverage(allocated=Decimal(allocated), requested=Decimal(requested))
        return Summary(None, total, Totals(), Totals(), Indicators(), Indicators(), coverage=coverage)  # type: ignore[arg-type]

    years = [(2563, summary(3340, 4_886_260_000, 0)), (2565, summary(0, 0, 2_798_570_000))]
    text = _text(trend.table(years, 2563, "th", planned={2563}))
    row_2565 = text[text.index("2565") :]
    assert "ไม่มีแผนที่นำเข้า" in row_2565 and "0.00" not in row_2565
    assert "2,798.57" in row_2565 and "4,886.26" in text
    assert trend.values(years[1][1], planned=False)["requested"] is None
