"""Benchmark of the exports (a script, not a test; run it, read the figures).

    .venv/bin/python -m tests.benchmarks.bench_exports [--provinces 77] [--skip-batch]
    PLANMAP_DATA_DIR=/tmp/pm-bench PLANMAP_PG_PORT=54410 PLANMAP_ANONYMOUS_READ=1 \
        .venv/bin/python -m tests.benchmarks.bench_exports --service   # on a national database

On the real national boundaries of ../shared/data/boundaries (77 provinces, 928 districts,
7,425 tambons) with synthetic values (no database: the renderers are pure):
1. Baseline, same run: a bare geopandas plot of the same areas saved as PNG (no furniture).
2. One map PNG (A4, 300 dpi) and PDF: a province by district, the largest province by tambon,
   and the whole country by tambon. Goal ≤ 3 s each.
3. One province pack (PPTX and PDF) of the largest province. Goal ≤ 10 s.
4. The batch: one pack per province, PPTX + PDF. Goal ≤ 5 min for all 77.
Prints seconds, the ratio to the baseline and the goal.

With ``--service`` it times instead the national tambon map PNG through the export service on the
database of the settings (read + render in this process, twice: the second draws from the kept
projected geometry) and through the download route of an app (a render worker warmed as the page
warms it, then the file again from the cache of rendered files, then drawn again). Goal ≤ 3 s.
"""

from __future__ import annotations

import argparse
import io
import time
from collections.abc import Callable, Sequence

import geopandas as gpd
from matplotlib.figure import Figure

from dashboard.exports import ExportMeta, MapView, area_frame, render_map, render_pack
from tests.dashboard.test_exports import read_boundaries, sample_meta, sample_pack, sample_rows

GOAL_MAP, GOAL_PACK, GOAL_BATCH = 3.0, 10.0, 300.0


def timed(fn: Callable[[], object], repeat: int = 1) -> tuple[float, object]:
    """Best of ``repeat`` runs (the first run also warms font caches)."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def baseline(frame: gpd.GeoDataFrame) -> bytes:
    """The floor: geopandas draws the same polygons, coloured by value, to an A4 PNG."""
    fig = Figure(figsize=(11.69, 8.27))
    ax = fig.add_axes([0, 0, 1, 1])
    frame.to_crs(32647).plot(ax=ax, column="gap", cmap="YlOrRd", edgecolor="white", linewidth=0.5)
    ax.set_axis_off()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=300)
    return buffer.getvalue()


def report(label: str, seconds: float, goal: float, base: float | None = None) -> None:
    ratio = f"{seconds / base:5.2f}× baseline" if base else " " * 16
    verdict = "ok" if seconds <= goal else "OVER GOAL"
    print(f"{label:<48} {seconds:8.2f} s   {ratio}   goal ≤ {goal:g} s  {verdict}")


def map_view(areas: gpd.GeoDataFrame, provinces: gpd.GeoDataFrame, code: str, level: str, meta: ExportMeta) -> MapView:
    rows = sample_rows(areas, level, seed=int(code) if code.isdigit() else 0)
    frame = area_frame(rows, {c: g for c, g in zip(areas["code"], areas.geometry)})
    return MapView(
        meta=meta,
        area_code=code,
        area_name_th=code,
        level=level,
        metric="gap",
        frame=frame,
        inset=provinces[["code", "geometry"]],
    )


def service(url: str = "/_planmap/export/map.png?area=TH&level=tambon") -> None:
    """The national tambon map PNG through the export service and the download route."""
    from dashboard.app import create_app
    from dashboard.exports.service import read, render
    from dashboard.state import ViewState
    from geodata.db import connect, open_pool
    from geodata.settings import Settings

    settings = Settings()
    print("national tambon map PNG through the export service (read + render, one process)")
    with connect(settings) as conn:
        for label in ("first (geometry projected)", "second (projected geometry kept)"):
            seconds, _ = timed(lambda: render(read(conn, ViewState(area="TH", level="tambon"), "map", "png")))
            report(f"  {label}", seconds, GOAL_MAP)
    print("through the download route (render worker processes)")
    with open_pool(settings, wait=True) as pool:
        app = create_app(settings, pool)
        client = app.server.test_client()
        capacity = app.server.extensions["planmap_exports"]
        try:
            assert client.get("/_planmap/export/workers.warm").status_code == 204
            time.sleep(8)  # the page asks for the warm-up when shown; a reader clicks later
            for label in ("first export (worker warmed)", "same file again (cache)"):
                seconds, response = timed(lambda: client.get(url))
                assert response.status_code == 200, response.status_code
                report(f"  {label}", seconds, GOAL_MAP)
            capacity.cache._files.clear()  # the cache of rendered files, emptied for a fresh draw
            capacity.cache._bytes = 0
            seconds, _ = timed(lambda: client.get(url))
            report("  drawn again (file cache emptied)", seconds, GOAL_MAP)
        finally:
            capacity.workers.close()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--provinces", type=int, default=77, help="how many provinces the batch renders")
    parser.add_argument("--skip-batch", action="store_true")
    parser.add_argument("--repeat", type=int, default=2, help="best of this many runs of each case")
    parser.add_argument("--cases", type=int, default=3, help="how many of the map cases to render")
    parser.add_argument("--service", action="store_true", help="the national map through the export service")
    args = parser.parse_args(argv)
    if args.service:
        service()
        return

    start = time.perf_counter()
    provinces, districts, tambons = read_boundaries(1), read_boundaries(2), read_boundaries(3)
    print(
        f"boundaries read: {len(provinces)} provinces, {len(districts)} districts, {len(tambons)} tambons "
        f"in {time.perf_counter() - start:.2f} s"
    )
    largest = tambons["code"].str[:2].value_counts().index[0]
    meta = sample_meta("เกณฑ์มาตรฐาน: ส่วนที่ยังไม่ได้รับจัดสรร")

    cases = [
        ("province 37 by district", districts[districts["code"].str.startswith("37")], "37", "district"),
        (f"province {largest} by tambon", tambons[tambons["code"].str.startswith(largest)], largest, "tambon"),
        ("Thailand by tambon (7,425 areas)", tambons, "TH", "tambon"),
    ]
    print("\n1-2. maps (A4 landscape, 300 dpi; best of 2)")
    for label, areas, code, level in cases[: args.cases]:
        view = map_view(areas.reset_index(drop=True), provinces, code, level, meta)
        base, _ = timed(lambda view=view: baseline(view.frame), repeat=args.repeat)
        png, _ = timed(lambda view=view: render_map(view, "png"), repeat=args.repeat)
        pdf, _ = timed(lambda view=view: render_map(view, "pdf"), repeat=args.repeat)
        print(f"  {label}: baseline (bare geopandas PNG) {base:.2f} s")
        report(f"  map PNG, {label}", png, GOAL_MAP, base)
        report(f"  map PDF, {label}", pdf, GOAL_MAP, base)

    print(f"\n3. one pack: province {largest} (its districts on the map)")
    pack = sample_pack(
        districts[districts["code"].str.startswith(largest)].reset_index(drop=True), provinces, code=largest
    )
    pptx, _ = timed(lambda: render_pack(pack, "pptx"), repeat=args.repeat)
    pdf, _ = timed(lambda: render_pack(pack, "pdf"), repeat=args.repeat)
    report("  pack PPTX", pptx, GOAL_PACK)
    report("  pack PDF", pdf, GOAL_PACK)
    report("  pack PPTX + PDF", pptx + pdf, GOAL_PACK)

    if args.skip_batch:
        return
    codes = sorted(provinces["code"])[: args.provinces]
    print(f"\n4. batch: {len(codes)} provinces, PPTX + PDF each (sequential, one process)")
    start = time.perf_counter()
    sizes = 0
    slowest = (0.0, "")
    for code in codes:
        t0 = time.perf_counter()
        children = districts[districts["code"].str.startswith(code)].reset_index(drop=True)
        pack = sample_pack(children, provinces, code=code, seed=int(code))
        sizes += len(render_pack(pack, "pptx")) + len(render_pack(pack, "pdf"))
        slowest = max(slowest, (time.perf_counter() - t0, code))
    total = time.perf_counter() - start
    report(f"  all {len(codes)} packs", total, GOAL_BATCH * len(codes) / 77)
    print(
        f"  mean {total / len(codes):.2f} s per province, slowest {slowest[1]} {slowest[0]:.2f} s, "
        f"{sizes / 1e6:.1f} MB written"
    )


if __name__ == "__main__":
    main()
