"""Exports (issue 5), pure: no database. Each format is rendered from a sample built on the real
district boundaries of one province (37 อำนาจเจริญ) with made-up values, then read back with an
independent reader (PIL, ElementTree, poppler, python-pptx, openpyxl, csv, geopandas).

Rendered files are left in ``tests/artifacts/exports-*`` for people to look at.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
from openpyxl import load_workbook
from PIL import Image
from pptx import Presentation
from pptx.oxml.ns import qn

from dashboard import i18n
from dashboard.exports import (
    Column,
    ExportMeta,
    MapView,
    PackData,
    area_frame,
    ascii_filename,
    columns_from_grid,
    content_disposition,
    filters_dict,
    fonts,
    geometry_frame,
    map_notes,
    mapimage,
    render_map,
    render_pack,
    safe_filename,
    to_csv,
    to_geojson,
    to_geopackage,
    to_xlsx,
)
from dashboard.exports.pack import slides, top_unfunded
from dashboard.exports.tables import header_row, neutralise
from dashboard.figures import build_legend
from dashboard.metrics import metric_value
from geodata.queries import Area, AreaRow, Coverage, Filters, Indicators, Summary, Totals
from tests.helpers import shared_data_dir

PROVINCE = "37"
FY = 2568


# --------------------------------------------------------------------------- sample data
# (also used by tests/benchmarks/bench_exports.py)


def read_boundaries(level: int, folder: Path | None = None) -> gpd.GeoDataFrame:
    """COD-AB boundaries of one level (1 provinces, 2 districts, 3 tambons) as code, names,
    geometry, with DOPA codes (P-code without 'TH')."""
    folder = folder or shared_data_dir() / "boundaries"
    raw = gpd.read_file(folder / f"tha_adm{level}.geojson")
    return gpd.GeoDataFrame(
        {"code": raw[f"ADM{level}_PCODE"].str[2:], "name_th": raw[f"ADM{level}_TH"], "name_en": raw[f"ADM{level}_EN"]},
        geometry=raw.geometry.values,
        crs=raw.crs,
    )


def _totals(rng: random.Random, scale: int) -> Totals:
    items = rng.randint(5, 60)
    requested = Decimal(rng.randint(scale // 10, scale)) + Decimal(rng.randint(0, 99)) / 100
    funded = (requested * Decimal(rng.randint(0, 90)) / 100).quantize(Decimal("0.01"))
    allocated = (funded * Decimal("1.1")).quantize(Decimal("0.01"))
    return Totals(items, requested, rng.randint(0, items), funded, rng.randint(1, 30), allocated)


def sample_rows(
    areas: gpd.GeoDataFrame, level: str, seed: int = 37, scale: int = 90_000_000, no_data: int = 1
) -> list[AreaRow]:
    """Made-up totals for the areas (exact Decimal baht), the last ``no_data`` without items."""
    rng = random.Random(seed)
    rows = []
    for n, (code, name_th, name_en) in enumerate(zip(areas["code"], areas["name_th"], areas["name_en"])):
        empty = n >= len(areas) - no_data
        current = Totals() if empty else _totals(rng, scale)
        rows.append(
            AreaRow(
                code,
                level,
                name_th,
                name_en,
                rng.randint(20_000, 120_000),
                True,
                None,
                None,
                current,
                Totals() if empty else _totals(rng, scale),
            )
        )
    return rows


def sample_meta(title: str, lang: str = "th") -> ExportMeta:
    filters = filters_dict(Filters(FY, "province", sector="โครงสร้างพื้นฐาน"), lang, area_level="district")
    return ExportMeta(
        title=title,
        fiscal_year=FY,
        filters=filters,
        data_date=dt.datetime(2025, 1, 31, 14, 5),
        source="ข้อมูลสังเคราะห์ planmap demo · ขอบเขต OCHA COD-AB (HDX)",
        boundary_version="COD-AB 2019 (simplified)",
        lang=lang,
        synthetic=True,
        generated_at=dt.datetime(2025, 2, 1, 9, 0),
    )


def sample_pack(
    areas: gpd.GeoDataFrame,
    provinces: gpd.GeoDataFrame,
    code: str = PROVINCE,
    level: str = "district",
    lang: str = "th",
    seed: int = 37,
) -> PackData:
    """A province's pack: children ``areas`` with made-up totals, province-wide items on top."""
    rows = sample_rows(areas, level, seed)
    own = Totals(7, Decimal("45000000.25"), 2, Decimal("10000000.10"), 3, Decimal("12000000.00"))
    total = sum((r.current for r in rows), own)
    previous = sum((r.previous for r in rows), Totals())
    indicators = Indicators(120, Decimal("950123456.78"), 40, Decimal("210000000.55"), 25, Decimal("98765432.10"))
    before = Indicators(100, Decimal("800000000.00"), 35, Decimal("190000000.00"), 20, Decimal("80000000.00"))
    province = provinces[provinces["code"] == code].iloc[0]
    area = Area(code, "province", province["name_th"], province["name_en"], 380_000, "TH")
    summary = Summary(
        area,
        total,
        own,
        previous,
        indicators,
        before,
        coverage=Coverage(total.allocated, total.allocated, total.requested, total.funded),
    )
    name = i18n.name(area, lang)
    meta = sample_meta(f"ข้อมูลประกอบการประชุม ก.บ.จ. จังหวัด{name}" if lang == "th" else f"{name} briefing", lang)
    frame = area_frame(rows, {c: g for c, g in zip(areas["code"], areas.geometry)})
    view = MapView(
        meta=meta,
        area_code=code,
        area_name_th=area.name_th,
        area_name_en=area.name_en,
        level=level,
        metric="gap",
        frame=frame,
        inset=provinces[["code", "geometry"]],
        notes=map_notes(rows, summary, level, lang),
    )
    return PackData(meta, area, summary, rows, view)


@pytest.fixture(scope="module")
def provinces() -> gpd.GeoDataFrame:
    return read_boundaries(1)


@pytest.fixture(scope="module")
def districts() -> gpd.GeoDataFrame:
    frame = read_boundaries(2)
    return frame[frame["code"].str.startswith(PROVINCE)].reset_index(drop=True)


@pytest.fixture(scope="module")
def pack(districts, provinces) -> PackData:
    return sample_pack(districts, provinces)


@pytest.fixture(scope="module")
def view(pack) -> MapView:
    return pack.map_view


def _poppler(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.fail(f"{tool} not found: install poppler-utils (.ci/install-system-deps)")
    return path


def _pdf_fonts(pdf: Path) -> str:
    return subprocess.run([_poppler("pdffonts"), str(pdf)], check=True, capture_output=True, text=True).stdout


def _embedded_thai(report: str) -> bool:
    return any("NotoSansThai" in line and " yes " in line for line in report.splitlines())


def _pdf_to_png(pdf: Path, out_prefix: Path, page: int, dpi: int = 70) -> Path:
    subprocess.run(
        [
            _poppler("pdftoppm"),
            "-r",
            str(dpi),
            "-f",
            str(page),
            "-l",
            str(page),
            "-png",
            "-singlefile",
            str(pdf),
            str(out_prefix),
        ],
        check=True,
    )
    return out_prefix.with_suffix(".png")


def _pdf_text(pdf: Path) -> str:
    """The PDF's text layer as a reader's search or copy sees it."""
    return subprocess.run([_poppler("pdftotext"), str(pdf), "-"], check=True, capture_output=True, text=True).stdout


# Extractions before the fix: each glyph of a shaped cluster read back as the whole cluster.
_DUPLICATED_CLUSTERS = re.compile("จัจั|ข้ข้|อำอำ|ที่ที่ที่|งื่งื่|ตร์ร์")


# --------------------------------------------------------------------------- fonts


def test_thai_font_is_found_and_registered():
    found = fonts.thai_fonts()
    assert found.thai == "Noto Sans Thai"
    assert found.families[-1] == "DejaVu Sans" and "Noto Sans Thai" in found.families
    assert found.rc()["pdf.fonttype"] == 42 and found.rc()["svg.fonttype"] == "path"


def _blank_runs(image: Image.Image) -> list[int]:
    """Widths of the blank column runs between the first and last ink: the letter spacing."""
    ink = (np.asarray(image.convert("L")) < 160).any(axis=0)
    cols = np.flatnonzero(ink)
    runs, n = [], 0
    for has_ink in ink[cols[0] : cols[-1] + 1]:
        if not has_ink:
            n += 1
        elif n:
            runs, n = runs + [n], 0
    return runs


def test_pdf_places_thai_clusters_like_the_png(tmp_path):
    """Tone marks over upper vowels (เงื่อน, ที่นี่, ญี่ปุ่น) are multi-glyph clusters; the PDF text
    must end where the PNG's does (matplotlib 3.11 alone adds a gap after each cluster)."""
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    from dashboard.exports._pdftext import shaped_pdf_text

    text = "เงื่อนไขที่นี่ ญี่ปุ่น ปั้นน้ำ เงื่อนไข"
    with rc_context(fonts.thai_fonts().rc()), shaped_pdf_text():
        fig = Figure(figsize=(9, 1))
        fig.text(0.02, 0.3, text, fontsize=30)
        fig.savefig(tmp_path / "agg.png", dpi=100)
        fig.savefig(tmp_path / "text.pdf")
    png = _blank_runs(Image.open(tmp_path / "agg.png"))
    pdf = _blank_runs(Image.open(_pdf_to_png(tmp_path / "text.pdf", tmp_path / "pdf", 1, dpi=100)))
    assert len(pdf) == len(png) and all(abs(a - b) <= 2 for a, b in zip(pdf, png)), (png, pdf)


def test_pdf_text_layer_reads_thai_clusters_once(tmp_path, artifacts):
    """Equal neighbouring clusters (ที่นี่ที่นี่, รร) stay apart and ำ (drawn as two glyphs) adds
    no word break: the text reads back exactly as drawn."""
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    from dashboard.exports._pdftext import shaped_pdf_text

    text = "จัดสรร เงื่อนไข ที่นี่ที่นี่ รร น้ำน้ำ จังหวัดอำนาจเจริญ ผู้ใหญ่ Amnat 37"
    with rc_context(fonts.thai_fonts().rc()), shaped_pdf_text():
        fig = Figure(figsize=(12, 1))
        fig.text(0.02, 0.3, text, fontsize=24)
        fig.savefig(tmp_path / "text.pdf")
    _pdf_to_png(tmp_path / "text.pdf", artifacts / "exports-pdf-thai-text", 1, dpi=100)
    assert _pdf_text(tmp_path / "text.pdf").strip() == text


def test_missing_thai_font_names_the_debian_package(monkeypatch, tmp_path):
    monkeypatch.setattr(fonts.font_manager.fontManager, "ttflist", [])
    with pytest.raises(fonts.ThaiFontMissing, match="fonts-noto-core"):
        fonts.thai_fonts(tmp_path)


# --------------------------------------------------------------------------- model


def test_area_frame_uses_the_dashboards_metric_values(pack):
    frame = pack.map_view.frame
    assert list(frame["code"]) == [r.code for r in pack.rows]
    for row, (_, rec) in zip(pack.rows, frame.iterrows()):
        for metric in ("gap", "requested", "funded", "share_amount", "gap_pc"):
            expected = metric_value(row.current, metric, row.population)
            assert np.isnan(rec[metric]) if expected is None else rec[metric] == expected
    last = frame.iloc[-1]
    assert np.isnan(last["gap"]) and last["gap_change"] != last["gap_change"]  # no data, not 0
    assert frame.crs.to_epsg() == 4326


def test_geometry_frame_from_geojson_features(provinces):
    features = [(c, json.dumps(g.__geo_interface__)) for c, g in zip(provinces["code"], provinces.geometry)][:3]
    frame = geometry_frame(features)
    assert list(frame["code"]) == list(provinces["code"][:3]) and frame.crs.to_epsg() == 4326
    assert frame.geometry.iloc[0].equals(provinces.geometry.iloc[0])


def test_map_notes_reconcile_with_the_area_total(pack):
    notes = map_notes(pack.rows, pack.summary, "district")
    total = pack.summary.total
    [line] = [n for n in notes if n.startswith("รวมทั้งพื้นที่")]
    assert i18n.million(total.requested) in line and line.endswith(i18n.million(total.allocated))
    assert any(i18n.million(pack.summary.own.requested) in n for n in notes)
    assert notes[-1] == "เชื่อมโยงแล้ว 100.0% ของงบที่จัดสรร"


def test_pack_without_links_says_not_linked_never_zero_funded(districts, provinces):
    """The real files' shape: money allocated, none of it linked to a plan item."""
    base = sample_pack(districts, provinces)
    unlinked = replace(
        base.summary,
        coverage=Coverage(base.summary.total.allocated, Decimal(0), base.summary.total.requested, Decimal(0)),
    )
    pack = replace(base, summary=unlinked, map_view=replace(base.map_view, linked=False))
    content = slides(pack)
    kpi = content[2]
    assert [c.value for c in kpi.cards][-1] == "ยังไม่ได้เชื่อมโยง"
    assert "0.0%" == kpi.cards[2].value  # the link coverage, said as such
    assert kpi.cards[2].label == "งบประมาณที่เชื่อมโยงกับโครงการในแผน"
    top = content[3]
    assert "เสนอวงเงินมากที่สุด" in top.title and "col_gap" not in top.table.header
    assert all(
        "ยังไม่ได้เชื่อมโยง" in row[1]
        for row in content[5].table.rows
        if row[0].startswith(("วงเงินที่ได้รับจัดสรร", "ส่วนที่ยังไม่ได้รับจัดสรร", "สัดส่วนที่ได้รับ"))
    )
    text = " ".join(" ".join(s.lines) + " ".join(c.value + c.detail for c in s.cards) for s in content)
    assert "ไม่ใช่ได้รับจัดสรร 0%" in text  # says plainly what the gap is not
    assert not re.search(r"(?<!ไม่ใช่)ได้รับจัดสรร(แล้ว)? 0", text)
    png = render_map(pack.map_view, "png", dpi=60)
    assert Image.open(io.BytesIO(png)).size[0] > 0


# --------------------------------------------------------------------------- map images


def test_map_png_is_a4_landscape_at_print_resolution(view, artifacts):
    png = render_map(view, "png", dpi=300)
    (artifacts / "exports-map-37.png").write_bytes(png)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.size == (3507, 2481)
    small = np.asarray(image.resize((585, 414), Image.NEAREST)).reshape(-1, 3)
    colours = {f"#{r:02x}{g:02x}{b:02x}" for r, g, b in small}
    legend = build_legend([v if v == v else None for v in view.frame["gap"]], "gap")
    assert set(legend.colours) <= colours  # every class is drawn (and in the legend)
    assert "#d9d9d9" in colours  # the grey "no data" class


def test_map_legend_is_the_dashboards(view):
    values = [None if v != v else float(v) for v in view.frame["gap"]]
    breaks, colours, labels, _ = mapimage._legend(values, view)
    legend = build_legend(values, "gap")
    assert (tuple(breaks), tuple(colours), tuple(labels)) == (legend.breaks, legend.colours, legend.labels)


def test_map_with_fixed_breaks_and_english(districts, provinces):
    english = sample_pack(districts, provinces, lang="en").map_view
    fixed = MapView(**{**english.__dict__, "breaks": [1e6, 2e7, 5e7, 1e8, 2e8, 5e8]})
    values = [None if v != v else float(v) for v in fixed.frame["gap"]]
    breaks, colours, labels, title = mapimage._legend(values, fixed)
    assert len(colours) == 6 and labels[0] == "no data" and "M baht" in title
    assert Image.open(io.BytesIO(render_map(fixed, "png", dpi=50))).size == (584, 413)


def test_map_svg_parses_with_text_as_paths(view):
    svg = render_map(view, "svg")
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    ns = {"svg": "http://www.w3.org/2000/svg"}
    assert root.findall(".//svg:text", ns) == []  # Thai drawn as outlines: renders anywhere
    assert len(root.findall(".//svg:path", ns)) > 100


def test_map_pdf_embeds_the_thai_font(view, artifacts):
    pdf = artifacts / "exports-map-37.pdf"
    pdf.write_bytes(render_map(view, "pdf"))
    report = _pdf_fonts(pdf)
    assert _embedded_thai(report), report
    png = _pdf_to_png(pdf, artifacts / "exports-map-37-pdf", 1, dpi=100)
    assert Image.open(png).size == (1169, 827)


def test_map_without_drawable_areas_still_renders(view):
    empty = MapView(**{**view.__dict__, "frame": view.frame.iloc[0:0]})
    assert render_map(empty, "png", dpi=40)[:8] == b"\x89PNG\r\n\x1a\n"


def test_village_points_and_change_maps_render(view):
    points = view.frame.copy()
    points["geometry"] = points.geometry.representative_point()
    village = MapView(**{**view.__dict__, "frame": points, "level": "village", "change": True})
    assert village.column == "gap_change"
    assert Image.open(io.BytesIO(render_map(village, "png", dpi=40))).size == (467, 330)


def test_long_texts_are_clipped_without_orphaned_marks():
    clipped = mapimage._clip("ที่นี่" * 50, 20)
    assert clipped.endswith("…") and mapimage.visible_length(clipped) == 20
    assert clipped[:-1].endswith("ที่") or clipped[:-1].endswith("นี่")
    assert mapimage.wrap("ก ข ค ง", 3) == ["ก ข", "ค ง"]


def test_map_rejects_unknown_format(view):
    with pytest.raises(ValueError, match="format"):
        render_map(view, "jpg")


def test_scale_bar_lengths_are_round_numbers():
    assert [mapimage._nice(x) for x in (37_000, 9_900, 1_200, 260)] == [25_000, 5_000, 1_000, 250]


def test_map_is_drawn_true_to_scale_in_utm(view):
    """Equal metres per inch across and up the map, in the area's UTM zone: the scale bar is
    then a plain distance (Amnat Charoen, 104.6°E, is in zone 48)."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=mapimage.A4_LANDSCAPE)
    mapimage.draw_map(fig, view, title="x")
    ax = fig.axes[0]
    ax.apply_aspect()
    box = ax.get_position()
    width_in, height_in = box.width * 11.69, box.height * 8.27
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    assert (x1 - x0) / width_in == pytest.approx((y1 - y0) / height_in, rel=0.005)
    assert mapimage._utm(view.frame) == "EPSG:32648"
    west, _, east, _ = view.frame.to_crs(32648).total_bounds
    assert x0 < west and east < x1 and (x1 - x0) < 2.5 * (east - west)


@pytest.mark.parametrize("size, title", [(mapimage.A4_LANDSCAPE, "x"), ((40 / 3, 7.5), "x"), ((12.73, 5.75), None)])
def test_every_page_shape_keeps_the_inset_and_legend(view, size, title):
    """A4, a 16:9 PDF slide and the PPTX map picture all carry map, inset and legend."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=size)
    mapimage.draw_map(fig, view, title=title)
    assert len(fig.axes) == 3
    for ax in fig.axes:
        box = ax.get_position()
        assert 0 <= box.x0 and box.x1 <= 1 and 0 <= box.y0 and box.y1 <= 1


def test_english_pack_and_map(districts, provinces):
    english = sample_pack(districts, provinces, lang="en")
    deck = Presentation(io.BytesIO(render_pack(english, "pptx")))
    assert [s.shapes.title.text for s in deck.slides][2:] == [
        "Key indicators",
        f"Top {len(top_unfunded(english.rows, 10))} unfunded areas",
        "Top 10 areas by need, against funding per head",
        "Change from the previous fiscal year",
        "Sources and filters",
    ]
    assert deck.slides[1].shapes.title.text == "Unfunded gap by District"
    assert render_pack(english, "pdf")[:5] == b"%PDF-"


def test_names_with_dollars_are_not_math(view):
    named = view.frame.copy()
    named.loc[0, "name_th"] = "$x^2$ ตำบล"
    render_map(MapView(**{**view.__dict__, "frame": named}), "png", dpi=40)


# --------------------------------------------------------------------------- meeting pack


def _cell_texts(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_pack_pptx_slides_titles_and_values(pack, artifacts):
    data = render_pack(pack, "pptx")
    (artifacts / "exports-pack-37.pptx").write_bytes(data)
    deck = Presentation(io.BytesIO(data))
    assert deck.slide_width * 9 == deck.slide_height * 16
    expected = slides(pack)
    assert [s.shapes.title.text for s in deck.slides] == [s.title for s in expected]
    assert len(deck.slides) == 7
    assert any(shape.shape_type == 13 for shape in deck.slides[1].shapes)  # the map picture
    # The top unfunded table: ล้านบาท with two decimals (one unit rule), in ranking order.
    top = top_unfunded(pack.rows, pack.top_n)
    table = next(s for s in deck.slides[3].shapes if s.has_table).table
    cells = _cell_texts(table)
    assert len(cells) == len(top) + 1
    for row, area in zip(cells[1:], top):
        assert row[1:6] == [
            area.name_th,
            area.code,
            f"{area.current.requested / 1_000_000:,.2f}",
            f"{area.current.funded / 1_000_000:,.2f}",
            f"{area.current.gap / 1_000_000:,.2f}",
        ]
    gaps = [Decimal(r[5].replace(",", "")) for r in cells[1:]]
    assert gaps == sorted(gaps, reverse=True)
    # The KPI slide: the manual's chain and the FY2559 reference.
    kpi = _cell_texts(next(s for s in deck.slides[2].shapes if s.has_table).table)
    assert kpi[1][1:3] == ["120", "950.12"] and kpi[3][1:3] == ["25", "98.77"]
    assert kpi[1][4:6] == ["7,932", "613,919.24"] and kpi[3][4:6] == ["1,402", "19,131.63"]
    assert all("ล้านบาท" in h or "บาท" not in h for h in kpi[0])  # one unit, never baht beside ล้านบาท
    texts = " ".join(sh.text_frame.text for sh in deck.slides[2].shapes if sh.has_text_frame)
    assert i18n.million(pack.summary.total.gap) in texts and i18n.baht(pack.summary.total.gap) in texts
    # Year on year: both years' exact amounts and the signed change.
    # Need: the sample has no TPMAP survey, and the slide says so instead of a table of blanks.
    need_text = " ".join(sh.text_frame.text for sh in deck.slides[4].shapes if sh.has_text_frame)
    assert "ยังไม่ได้นำเข้าข้อมูลความต้องการ" in need_text
    yoy = _cell_texts(next(s for s in deck.slides[5].shapes if s.has_table).table)
    cur, prev = pack.summary.total, pack.summary.previous
    million = Decimal(1_000_000)
    assert yoy[1][1:4] == [
        f"{prev.requested / million:,.2f}",
        f"{cur.requested / million:,.2f}",
        f"{(cur.requested - prev.requested) / million:+,.2f}",
    ]
    # Notes: sources and filters.
    notes = deck.slides[6].shapes
    note_text = " ".join(sh.text_frame.text for sh in notes if sh.has_text_frame)
    assert "COD-AB 2019" in note_text and "โครงสร้างพื้นฐาน" in note_text and "ปีงบประมาณ พ.ศ. 2568" in note_text


def test_pack_need_slide_ranks_the_survey(pack):
    """With TPMAP need on the rows the slide ranks the neediest areas, with the funding per head
    and the cell of the need page's map, and names the survey and the population year."""
    from dataclasses import replace as with_

    from geodata.queries import Need

    def need(target: int) -> Need:
        return Need(2561, 100, 1000, 200, target, 1, 1, 1, 1, 1)

    rows = [with_(r, need=need(10 * k), population=10_000, population_year=2564) for k, r in enumerate(pack.rows)]
    slide = next(s for s in slides(with_(pack, rows=rows)) if s.title.startswith("ความต้องการสูงสุด"))
    assert slide.table is not None
    first = slide.table.rows[0]
    neediest = max((r for r in rows if r.drawable), key=lambda r: (r.need.target_poor, r.code))
    assert first[1:5] == (
        neediest.name_th,
        neediest.code,
        f"{neediest.need.poor_per_1000:,.1f}",
        f"{neediest.need.target_poor:,}",
    )
    assert "จปฐ./TPMAP ปี 2561" in slide.lines[0] and "31 ธ.ค. 2564" in slide.lines[0]


def test_pack_pptx_sets_the_thai_font_on_every_run(pack):
    deck = Presentation(io.BytesIO(render_pack(pack, "pptx")))
    runs = 0
    for slide in deck.slides:
        for element in slide.shapes._spTree.iter(qn("a:r")):
            r_pr = element.find(qn("a:rPr"))
            assert r_pr is not None and r_pr.get("lang") == "th-TH"
            assert r_pr.find(qn("a:cs")).get("typeface") == "Noto Sans Thai"
            assert r_pr.find(qn("a:latin")).get("typeface") == "Noto Sans"
            runs += 1
    assert runs > 100


def test_pack_pdf_has_the_same_slides_and_embeds_thai(pack, artifacts):
    pdf = artifacts / "exports-pack-37.pdf"
    pdf.write_bytes(render_pack(pack, "pdf"))
    info = subprocess.run([_poppler("pdfinfo"), str(pdf)], check=True, capture_output=True, text=True).stdout
    assert re.search(r"^Pages:\s+7$", info, re.M)
    assert re.search(r"^Page size:\s+960(\.0+)? x 540 pts", info, re.M)  # 16:9
    assert _embedded_thai(_pdf_fonts(pdf))
    for page in range(1, 8):
        png = _pdf_to_png(pdf, artifacts / f"exports-pack-37-p{page}", page)
        assert Image.open(png).size[0] > 900


def test_map_and_pack_pdfs_can_be_searched_in_thai(pack, tmp_path):
    (tmp_path / "map.pdf").write_bytes(render_map(pack.map_view, "pdf"))
    (tmp_path / "pack.pdf").write_bytes(render_pack(pack, "pdf"))
    for name in ("map.pdf", "pack.pdf"):
        text = _pdf_text(tmp_path / name)
        assert pack.meta.title in text  # ข้อมูลประกอบการประชุม ก.บ.จ. จังหวัดอำนาจเจริญ
        assert f"{pack.area.name_th} (37)" in text
        assert "ส่วนที่ยังไม่ได้รับจัดสรร" in text and "เงื่อนไข" in text
        assert not _DUPLICATED_CLUSTERS.search(text), _DUPLICATED_CLUSTERS.findall(text)


def test_pack_without_unfunded_areas(pack):
    funded = [
        AreaRow(
            **{
                **r.__dict__,
                "current": Totals(r.current.items, r.current.requested, r.current.items, r.current.requested),
            }
        )
        for r in pack.rows
    ]
    content = slides(PackData(**{**pack.__dict__, "rows": funded}))
    assert content[3].table.rows == () and content[3].lines == ("ไม่มีพื้นที่ที่ยังไม่ได้รับจัดสรร",)
    deck = Presentation(io.BytesIO(render_pack(PackData(**{**pack.__dict__, "rows": funded}), "pptx")))
    assert not any(s.has_table for s in deck.slides[3].shapes)


# --------------------------------------------------------------------------- tables


TABLE_COLUMNS = [
    Column("code", "รหัส"),
    Column("name", "พื้นที่"),
    Column("requested", "วงเงินที่เสนอ (บาท)", "baht"),
    Column("change", "เปลี่ยนแปลง (บาท)", "baht"),
    Column("items", "โครงการ", "int"),
    Column("share", "สัดส่วน", "percent"),
]
TABLE_ROWS = [
    {
        "code": "3701",
        "name": "เมืองอำนาจเจริญ",
        "requested": Decimal("12345678.91"),
        "change": Decimal("-1234.50"),
        "items": 12,
        "share": 45.67,
    },
    {
        "code": "3702",
        "name": '=HYPERLINK("http://evil","x")',
        "requested": 0.1,
        "change": -0.01,
        "items": 0,
        "share": None,
    },
    {"code": "3703", "name": "+1", "requested": Decimal("1.05"), "change": "-5", "items": 3, "share": 0.0},
    {"code": "3704", "name": "@SUM(A1)", "requested": None, "change": None, "items": None, "share": None},
    {"code": "3705", "name": "\tTAB", "requested": 2, "change": 2, "items": 1, "share": 100},
    {"code": "3706", "name": "\rCR", "requested": 3, "change": 3, "items": 1, "share": 1},
    {"code": "3707", "name": "-2+3", "requested": 4, "change": 4, "items": 1, "share": 1},
]


def test_xlsx_numbers_stay_numbers_and_formulas_are_neutralised(artifacts):
    meta = sample_meta("พื้นที่ที่ยังไม่ได้รับจัดสรร เรียงลำดับ")
    data = to_xlsx(TABLE_ROWS, TABLE_COLUMNS, "อันดับ/ranking", meta)
    (artifacts / "exports-table.xlsx").write_bytes(data)
    sheet = load_workbook(io.BytesIO(data)).active
    head = header_row(meta)
    assert sheet.title == "อันดับ_ranking"
    assert [c.value for c in sheet[head]] == [c.header for c in TABLE_COLUMNS]
    assert sheet.freeze_panes == f"A{head + 1}"
    assert sheet.auto_filter.ref == f"A{head}:F{head + len(TABLE_ROWS)}"
    block = {sheet.cell(r, 1).value: sheet.cell(r, 2).value for r in range(1, head - 1)}
    assert block["ชื่อรายงาน"] == meta.title and block["ปีงบประมาณ"] == "ปีงบประมาณ พ.ศ. 2568"
    assert "โครงสร้างพื้นฐาน" in block["เงื่อนไข"] and block["ขอบเขตการปกครอง"] == "COD-AB 2019 (simplified)"
    assert block["แหล่งข้อมูล"].startswith("ข้อมูลสังเคราะห์") and block["ข้อมูล ณ"] == "31 ม.ค. 2568 14:05"
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=head + 1)]
    assert rows[0] == ["3701", "เมืองอำนาจเจริญ", 12345678.91, -1234.5, 12, 45.67]
    assert rows[1][1] == '\'=HYPERLINK("http://evil","x")' and rows[1][3] == -0.01
    assert rows[2][1] == "'+1" and rows[2][3] == "'-5"  # text, even in a number column
    assert rows[3] == ["3704", "'@SUM(A1)", None, None, None, None]
    assert rows[4][1] == "'\tTAB" and rows[5][1] == "'\rCR" and rows[6][1] == "'-2+3"
    for row in sheet.iter_rows(min_row=head + 1):
        assert all(cell.data_type != "f" for cell in row)
    assert sheet.cell(head + 1, 3).number_format == "#,##0.00"
    assert sheet.cell(head + 1, 4).data_type == "n"


def test_csv_has_a_bom_plain_numbers_and_neutralised_text():
    meta = sample_meta("ranking")
    data = to_csv(TABLE_ROWS, TABLE_COLUMNS, meta)
    assert data.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert lines[0] == ["ชื่อรายงาน", "ranking"]
    start = lines.index([c.header for c in TABLE_COLUMNS])
    body = lines[start + 1 :]
    assert body[0] == ["3701", "เมืองอำนาจเจริญ", "12345678.91", "-1234.50", "12", "45.67"]
    assert body[1][1].startswith("'=") and body[1][3] == "-0.01"
    assert body[2][1] == "'+1" and body[2][3] == "'-5"
    assert body[3] == ["3704", "'@SUM(A1)", "", "", "", ""]
    assert body[4][1] == "'\tTAB" and body[5][1] == "'\rCR"
    bare = to_csv(TABLE_ROWS[:1], TABLE_COLUMNS, meta, with_meta=False).decode("utf-8-sig")
    assert bare.splitlines()[0] == ",".join(c.header for c in TABLE_COLUMNS)


def test_neutralise_only_touches_dangerous_starts():
    assert [neutralise(s) for s in ("=1", "+1", "-1", "@a", "\t", "\r", "a=b", "ก-", "")] == [
        "'=1",
        "'+1",
        "'-1",
        "'@a",
        "'\t",
        "'\r",
        "a=b",
        "ก-",
        "",
    ]


def test_columns_from_the_dashboards_grid_definitions():
    grid = [
        {"field": "rank", "headerName": "ลำดับ"},
        {
            "field": "gap",
            "headerName": "ยังไม่ได้รับจัดสรร (บาท)",
            "valueFormatter": {"function": "params.value == null ? '' : d3.format(',.2f')(params.value)"},
        },
        {
            "field": "share",
            "headerName": "สัดส่วน",
            "valueFormatter": {"function": "params.value == null ? '' : d3.format(',.1f')(params.value) + '%'"},
        },
        {
            "field": "items",
            "headerName": "โครงการ",
            "valueFormatter": {"function": "params.value == null ? '' : d3.format(',')(params.value)"},
        },
    ]
    assert [(c.key, c.kind) for c in columns_from_grid(grid)] == [
        ("rank", "text"),
        ("gap", "baht"),
        ("share", "percent"),
        ("items", "int"),
    ]


# --------------------------------------------------------------------------- GIS layers


def test_geopackage_reads_back_with_codes_values_and_wgs84(pack, tmp_path, artifacts):
    frame = pack.map_view.frame
    data = to_geopackage(frame.to_crs(32648), "อำเภอ จ.37/../x", pack.meta)
    path = tmp_path / "layer.gpkg"
    path.write_bytes(data)
    (artifacts / "exports-layer-37.gpkg").write_bytes(data)
    layers = dict(pyogrio.list_layers(path))
    assert set(layers) == {"อำเภอ_จ_37_x", "metadata"}
    back = gpd.read_file(path, layer="อำเภอ_จ_37_x")
    assert back.crs.to_epsg() == 4326
    assert list(back["code"]) == list(frame["code"]) and list(back["name_th"]) == list(frame["name_th"])
    for column in ("gap", "requested", "funded", "share_amount", "gap_change", "funded_items", "population"):
        assert back[column].astype(float).fillna(-1).tolist() == frame[column].astype(float).fillna(-1).tolist()
    for row, value in zip(pack.rows, back["requested"]):
        if row.current.items:
            assert Decimal(f"{value:.2f}") == row.current.requested  # to the satang
    assert back.geometry.is_valid.all() and back.total_bounds[0] > 104
    meta = gpd.read_file(path, layer="metadata")
    assert dict(zip(meta["label"], meta["value"]))["ชื่อรายงาน"] == pack.meta.title


def test_geojson_reads_back_with_metadata(pack, tmp_path):
    frame = pack.map_view.frame
    data = to_geojson(frame, pack.meta)
    document = json.loads(data)
    assert document["metadata"]["ขอบเขตการปกครอง"] == "COD-AB 2019 (simplified)"
    assert "crs" not in document  # RFC 7946: WGS 84 implied
    path = tmp_path / "layer.geojson"
    path.write_bytes(data)
    back = gpd.read_file(path)
    assert back.crs.to_epsg() == 4326
    assert list(back["code"]) == list(frame["code"])
    assert back["gap"].fillna(-1).tolist() == frame["gap"].fillna(-1).tolist()


# --------------------------------------------------------------------------- download names


@pytest.mark.parametrize(
    "parts, expected",
    [
        (("../../etc/passwd",), "etc-passwd.csv"),
        (('"quoted"', "'single'"), "quoted_single.csv"),
        (("planmap", "37", "อำนาจเจริญ", 2568), "planmap_37_อำนาจเจริญ_2568.csv"),
        (("..\\..\\windows\\system32",), "windows-system32.csv"),
        (("a\x00b\x1b\u202ec",), "abc.csv"),
        (("..",), "planmap-export.csv"),
        (("CON",), "_CON.csv"),
        (("", None, " .hidden"), "hidden.csv"),
    ],
)
def test_safe_filename(parts, expected):
    assert safe_filename(*parts, ext="csv") == expected


def test_safe_filename_bounds_length_without_cutting_thai_marks():
    name = safe_filename("ที่" * 200, ext="pptx")
    assert len(name.encode("utf-8")) <= 150 and name.endswith("ที่.pptx")
    with pytest.raises(ValueError):
        safe_filename("x", ext="../sh")


def test_content_disposition_has_ascii_fallback_and_utf8_name():
    name = safe_filename("planmap", "37", "อำนาจเจริญ", '"x"', ext="pdf")
    header = content_disposition(name)
    assert header.startswith("attachment; filename=\"planmap_37_x.pdf\"; filename*=UTF-8''planmap_37_%E0%B8%AD")
    assert header.isascii() and "/" not in header.split("filename*=")[1]
    assert ascii_filename("อำนาจเจริญ.pdf") == "planmap-export.pdf"


# --------------------------------------------------------------------------- village maps (issue 12)


def _village_view(view: MapView, names: list[str] | None = None) -> MapView:
    """The province's districts as village points, three of them close together (villages of one
    tambon often are), named with Thai vowel and tone marks above and below."""
    frame = view.frame.copy()
    points = list(frame.geometry.representative_point())
    from shapely.geometry import Point

    base = points[0]
    for n in (1, 2):
        points[n] = Point(base.x + 0.004 * n, base.y + 0.002 * n)
    frame["geometry"] = points
    frame["name_th"] = names or [f"บ้านม่วงป่าหนองผึ้ง {n}" for n in range(len(frame))]
    return MapView(**{**view.__dict__, "frame": frame, "level": "village", "inset": None})


def _map_texts(fig):
    ax = fig.axes[0]
    labels = [a for a in ax.texts if a.get_gid() == "name"]
    halos = [a for a in ax.texts if a.get_gid() == "halo"]
    return ax, labels, halos


def test_village_names_beside_markers_without_collisions(view):
    """Markers above the names (a name never hides its village), each name beside its marker,
    no two names and no name and marker overlapping, every halo under every name."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=mapimage.A4_LANDSCAPE, dpi=100)
    village = _village_view(view)
    mapimage.draw_map(fig, village, title="x")
    ax, labels, halos = _map_texts(fig)
    renderer = mapimage._renderer(fig)
    markers = [c for c in ax.collections if len(c.get_offsets()) == len(village.frame)]
    assert markers and all(m.get_zorder() > max(t.get_zorder() for t in labels) for m in markers)
    assert len(labels) >= len(village.frame) - 2 and len(halos) == len(labels)
    assert max(h.get_zorder() for h in halos) < min(t.get_zorder() for t in labels)
    assert all(not t.get_path_effects() for t in labels)  # the halo is its own text, drawn first
    boxes = [t.get_window_extent(renderer) for t in labels]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b), "two names overlap"
    centres = ax.transData.transform(markers[0].get_offsets())
    radius = (60**0.5) / 2 * fig.dpi / 72
    for box in boxes:
        for x, y in centres:
            inside_x = box.x0 < x + radius and x - radius < box.x1
            inside_y = box.y0 < y + radius and y - radius < box.y1
            assert not (inside_x and inside_y), "a name covers a marker"


def test_name_halos_never_cut_thai_marks():
    """Every dark pixel of a name drawn alone is still dark with the halos of the names around
    it (a halo stroked name by name whitened the marks of the name before it)."""
    from matplotlib import rc_context
    from matplotlib.figure import Figure
    from shapely.geometry import Point

    def draw(names: list[str]) -> np.ndarray:
        fig = Figure(figsize=(3, 1.2), dpi=200)
        ax = fig.add_axes([0, 0, 1, 1])
        ax.set_xlim(0, 100)
        ax.set_ylim(0, 40)
        frame = gpd.GeoDataFrame({"name_th": names}, geometry=[Point(10 + 22 * n, 20) for n in range(len(names))])
        with rc_context(fonts.thai_fonts().rc()):
            mapimage._names(ax, frame, np.ones(len(frame), bool), "th", 1.6)
            buffer = io.BytesIO()
            fig.savefig(buffer, format="png", dpi=200)
        return np.asarray(Image.open(buffer).convert("L")) < 110

    alone = draw(["บ้านปู่ม่วง"])
    together = draw(["บ้านปู่ม่วง", "ผึ้งน้ำใส", "ญี่ปุ่น"])
    assert alone.sum() > 200
    assert (together[alone]).mean() == 1.0


def test_the_mapped_tambon_is_outlined(view):
    """With the area's own outline, a line is drawn around its villages and the map is fitted to it."""
    from matplotlib.figure import Figure

    village = _village_view(view)
    object.__setattr__(village, "outline", view.frame.dissolve()[["geometry"]])
    fig = Figure(figsize=mapimage.A4_LANDSCAPE, dpi=60)
    mapimage.draw_map(fig, village, title="x")
    ax = fig.axes[0]
    lines = [c for c in ax.collections if c.get_zorder() == 2]
    assert lines and lines[0].get_edgecolor()[0][:3] == pytest.approx((0x22 / 255,) * 3)


def test_projected_geometry_is_kept_per_process(view):
    """A repeated map reuses its projected paths; other geometries are projected anew."""
    mapimage._PROJECTED.clear()
    first, paths = mapimage._projected(view.frame, "EPSG:32648")
    again, same = mapimage._projected(view.frame.copy(), "EPSG:32648")
    assert same is paths and len(mapimage._PROJECTED) == 1
    assert first.geometry.iloc[0].equals(again.geometry.iloc[0])
    moved = view.frame.copy()
    moved["geometry"] = moved.geometry.translate(0.01)
    _, other = mapimage._projected(moved, "EPSG:32648")
    assert other is not paths and len(mapimage._PROJECTED) == 2
    assert all(p is not None and len(p.vertices) > 4 for p in paths)


def test_render_workers_warm_up_with_a_map_of_nothing():
    from dashboard.exports.web import warm_up

    assert warm_up() > 100


def test_the_page_warms_one_render_worker_once():
    """``/_planmap/export/workers.warm`` (asked by assets/export_progress.js once the page shows
    its export links) starts the warm-up once per app and answers at once."""
    import threading

    from flask import Flask

    from dashboard.exports import web
    from dashboard.exports.capacity import ExportCapacity

    calls, done = [], threading.Event()

    class Workers:
        def run(self, fn, arg):  # noqa: ANN001, ANN202 - a stand-in of RenderWorkers
            calls.append(fn)
            done.set()

    server = Flask(__name__)
    web.register_downloads(server, pool=None, capacity=ExportCapacity(workers=Workers()))
    client = server.test_client()
    assert client.get(web.WARM_ROUTE).status_code == 204
    assert client.get(web.WARM_ROUTE).status_code == 204
    assert done.wait(5) and calls == [web.warm_up]
    script = Path(__file__).parents[2] / "dashboard" / "assets" / "export_progress.js"
    assert script.read_text(encoding="utf-8").count("workers.warm") == 1
