"""Benchmark of the dashboard's drill-down callbacks (a script, not a test).

Server-side latency (p50/p95) and response size (gzip, as sent, and raw) of each callback,
measured through Dash's own endpoint (POST /_dash-update-component on the Flask app, so JSON
encoding and compression are included), next to a minimal Dash choropleth callback (77
provinces, geometry inline, no database) measured the same way in the same run; the table
gives the ratio of each p95 to that floor. The geometry files the browser fetches once per
data version are measured too.

    # a private cluster of its own, with the national demo on real boundaries
    PLANMAP_DATA_DIR=/tmp/pm-bench PLANMAP_PG_PORT=54410 .venv/bin/planmap db start
    PLANMAP_DATA_DIR=/tmp/pm-bench PLANMAP_PG_PORT=54410 \\
        .venv/bin/python tests/benchmarks/bench_dashboard.py --load --boundaries ../shared/data/boundaries

The database is PLANMAP_DATABASE_URL, or the private cluster of PLANMAP_DATA_DIR/PLANMAP_PG_PORT.
``--load`` (re)loads the national demo when the database holds fewer than ``--min-items`` items.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import dash
from dash import Input, Output, dcc

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from dashboard.app import create_app, gzip_response  # noqa: E402
from geodata.db import connect, open_pool  # noqa: E402
from geodata.settings import Settings, load_settings  # noqa: E402


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def _callback_key(app: dash.Dash, output: str) -> str:
    """The callback_map key of the callback that has ``output`` ("id.prop") among its outputs."""
    for key in app.callback_map:
        if output in key.strip(".").split("..."):
            return key
    raise KeyError(output)


def _payload(app: dash.Dash, output: str, inputs: list[tuple[str, str, object]]) -> dict:
    """The POST body of the callback that has ``output``, built from the app's own callback map
    (every input and state it declares, None unless given), so a callback that gains an input
    does not break the benchmark."""
    key = _callback_key(app, output)
    spec = app.callback_map[key]
    given = {(i, p): v for i, p, v in inputs}
    outputs = []
    for part in key.strip(".").split("..."):
        component, prop = part.rsplit(".", 1)
        outputs.append({"id": component, "property": prop})
    return {
        "output": key,
        "outputs": outputs if key.startswith("..") else outputs[0],
        "inputs": [{**x, "value": given.get((x["id"], x["property"]))} for x in spec["inputs"]],
        "changedPropIds": [f"{inputs[0][0]}.{inputs[0][1]}"],
        "state": [{**x, "value": given.get((x["id"], x["property"]))} for x in spec["state"]],
    }


def _measure(client, path: str, body: dict | None, runs: int, warmup: int) -> tuple[list[float], int, int]:
    headers = {"Accept-Encoding": "gzip", "Content-Type": "application/json"}
    data = json.dumps(body) if body is not None else None
    times: list[float] = []
    size = raw = 0
    for n in range(warmup + runs):
        started = time.perf_counter()
        response = (
            client.post(path, data=data, headers=headers) if body is not None else client.get(path, headers=headers)
        )
        elapsed = time.perf_counter() - started
        if response.status_code != 200:
            raise RuntimeError(f"{path}: HTTP {response.status_code} {response.data[:300]!r}")
        if n >= warmup:
            times.append(elapsed * 1000)
        size = len(response.data)
        raw = len(gzip.decompress(response.data)) if response.headers.get("Content-Encoding") == "gzip" else size
    return times, size, raw


def baseline_app(geojson: dict) -> dash.Dash:
    """The floor: a minimal Dash app whose one callback returns a 77-province choropleth."""
    app = dash.Dash(__name__)
    codes = [f["id"] for f in geojson["features"]]
    app.layout = dash.html.Div([dcc.Dropdown(id="pick", options=["a", "b"], value="a"), dcc.Graph(id="map")])

    @app.callback(Output("map", "figure"), Input("pick", "value"))
    def draw(value: str) -> dict:
        import plotly.graph_objects as go

        z = [(hash((value, c)) % 1000) / 10 for c in codes]
        fig = go.Figure(
            go.Choroplethmap(
                geojson=geojson, locations=codes, z=z, featureidkey="id", colorscale="YlOrRd", marker_line_width=0.5
            )
        )
        fig.update_layout(
            map={"style": "white-bg", "center": {"lat": 13, "lon": 101}, "zoom": 4.4},
            margin={"l": 0, "r": 0, "t": 0, "b": 0},
        )
        return fig

    app.server.after_request(gzip_response)
    return app


def main(argv: Sequence[str] | None = None, settings: Settings | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--load", action="store_true", help="load the national demo when missing")
    parser.add_argument("--boundaries", type=Path, default=None)
    parser.add_argument("--min-items", type=int, default=900_000)
    args = parser.parse_args(argv)

    settings = settings or load_settings()
    with connect(settings) as conn:
        if args.load:
            from etl.demo_load import load_demo
            from etl.geoload import load_boundaries
            from geodata.prepare import prepare_database

            prepare_database(conn, settings)
            n = conn.execute("SELECT count(*) AS n FROM plan_items").fetchone()["n"]
            if n < args.min_items:
                if args.boundaries:
                    print(load_boundaries(conn, [args.boundaries]).describe())
                print(load_demo(conn, "national").describe())
        stats = conn.execute(
            "SELECT (SELECT count(*) FROM plan_items) AS items, (SELECT count(*) FROM allocations) AS allocations,"
            " (SELECT count(*) FROM areas WHERE level = 'village') AS villages,"
            " (SELECT string_agg(DISTINCT source, ',') FROM area_web_geom) AS geometry"
        ).fetchone()
        fy = conn.execute("SELECT max(fiscal_year) AS fy FROM agg_demand WHERE area_code = 'TH'").fetchone()["fy"]
        tambon = conn.execute(
            "SELECT parent_code AS code FROM areas WHERE level = 'village' AND parent_code LIKE '37%'"
            " AND point IS NOT NULL ORDER BY 1 LIMIT 1"
        ).fetchone()["code"]
        provinces = conn.execute("SELECT code, geojson FROM area_web_geom WHERE level = 'province'").fetchall()
        version = conn.execute("SELECT coalesce(max(id), 0) AS v FROM import_runs").fetchone()["v"]
    print(
        f"database: {stats['items']:,} plan items, {stats['allocations']:,} allocations, "
        f"{stats['villages']:,} villages, geometry: {stats['geometry']}; fiscal year {fy}; "
        f"{args.runs} runs after {args.warmup} warm-up\n"
    )

    pool = open_pool(settings, wait=True)
    app = create_app(settings.model_copy(update={"anonymous_read": True}), pool)  # reads as the demo does
    client = app.server.test_client()
    geojson = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "id": r["code"], "properties": {}, "geometry": json.loads(r["geojson"])}
            for r in provinces
        ],
    }
    base = baseline_app(geojson)
    floor_client = base.server.test_client()
    floor_body = _payload(base, "map.figure", [("pick", "value", "b")])

    db = {"ok": True, "version": version}
    views: list[tuple[str, str]] = [
        ("national: provinces", f"?fy={fy}"),
        ("national: clusters", f"?level=cluster&fy={fy}"),
        ("cluster: its provinces", f"?area=C05&fy={fy}"),
        ("province 37: districts", f"?area=37&fy={fy}"),
        ("district 3701: tambons", f"?area=3701&fy={fy}"),
        (f"tambon {tambon}: villages", f"?area={tambon}&fy={fy}&plan=village"),
        ("province 37: districts, change", f"?area=37&fy={fy}&cmp=1&metric=share_amount"),
        ("national: districts", f"?level=district&fy={fy}"),
        ("national: tambons", f"?level=tambon&fy={fy}"),
    ]
    rows: list[tuple[str, str, list[float], int, int]] = []
    floor_times, floor_size, floor_raw = _measure(
        floor_client, "/_dash-update-component", floor_body, args.runs, args.warmup
    )
    rows.append(("floor: minimal Dash choropleth", "77 provinces, inline geometry", floor_times, floor_size, floor_raw))
    bench: list[tuple[str, str, Callable[[str], dict]]] = [
        (
            "render_map",
            "map.figure",
            lambda s: _payload(app, "map.figure", [("url", "search", s), ("db-ok", "data", db)]),
        ),
        (
            "render_summary",
            "cards.children",
            lambda s: _payload(app, "cards.children", [("url", "search", s), ("db-ok", "data", db)]),
        ),
        (
            "render_items",
            "items-grid.rowData",
            lambda s: _payload(
                app, "items-grid.rowData", [("url", "search", s), ("db-ok", "data", db), ("search", "value", None)]
            ),
        ),
    ]
    for name, _output, make in bench:
        for label, search in views:
            if name != "render_map" and label not in (
                "national: provinces",
                "province 37: districts",
                "district 3701: tambons",
                f"tambon {tambon}: villages",
            ):
                continue
            times, size, raw = _measure(client, "/_dash-update-component", make(search), args.runs, args.warmup)
            rows.append((name, label, times, size, raw))
    nav = _payload(
        app,
        "url.search",
        [("url", "search", f"?area=37&fy={fy}")]
        + [
            (c, "value", None)
            for c in (
                "plan-level",
                "metric",
                "fiscal-year",
                "compare",
                "classes",
                "sector",
                "agency",
                "funding-source",
                "level",
                "tiles",
                "lang",
                "rank-by",
            )
        ]
        + [("map", "clickData", {"points": [{"location": "3701"}]}), ("ranking", "cellClicked", None)],
    )
    nav["changedPropIds"] = ["map.clickData"]
    times, size, raw = _measure(client, "/_dash-update-component", nav, args.runs, args.warmup)
    rows.append(("navigate", "map click → URL", times, size, raw))
    for label, path in (
        ("geometry: provinces (once)", f"/_planmap/geo/province/TH.json?v={version}"),
        ("geometry: districts of 37", f"/_planmap/geo/district/37.json?v={version}"),
        ("geometry: tambons of 37", f"/_planmap/geo/tambon/37.json?v={version}"),
        ("geometry: national tambons", f"/_planmap/geo/tambon/TH.json?v={version}"),
    ):
        times, size, raw = _measure(client, path, None, max(5, args.runs // 4), 1)
        rows.append(("GET geometry", label, times, size, raw))

    floor_p95 = _percentile(floor_times, 0.95)
    print(f"{'callback':<16} {'view':<34} {'p50 ms':>8} {'p95 ms':>8} {'p95/floor':>9} {'gzip KB':>8} {'raw KB':>8}")
    print("-" * 98)
    for name, label, times, size, raw in rows:
        p50, p95 = statistics.median(times), _percentile(times, 0.95)
        print(
            f"{name:<16} {label:<34} {p50:8.1f} {p95:8.1f} {p95 / floor_p95:8.1f}x {size / 1024:8.1f} {raw / 1024:8.1f}"
        )
    tambon_map = next(r for r in rows if r[0] == "render_map" and r[1] == "national: tambons")
    tambon_geo = next(r for r in rows if r[1] == "geometry: national tambons")
    print(
        f"\nnational tambon map: callback p95 {_percentile(tambon_map[2], 0.95):.0f} ms; on the wire "
        f"{(tambon_map[3] + tambon_geo[3]) / 1024:.0f} KB gzip the first time (callback + geometry), "
        f"{tambon_map[3] / 1024:.0f} KB after (geometry cached by the browser)"
    )
    pool.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
