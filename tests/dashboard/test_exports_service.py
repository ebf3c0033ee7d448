"""Exports of a dashboard view through the same reads as the page: the numbers in every export
equal the page's, to the satang; names are safe; the CLI writes the batch of all provinces."""

from __future__ import annotations

import csv
import io
import pickle
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import geopandas as gpd
import openpyxl
import psycopg
import pytest
from click.testing import CliRunner
from PIL import Image
from pptx import Presentation

from dashboard.exports import service
from dashboard.exports.service import MIMETYPES, ExportError, export, read, render
from dashboard.i18n import baht, t
from dashboard.metrics import metric_value
from dashboard.pages import data as data_page
from dashboard.state import ViewState
from geodata import datapage, queries
from geodata.accounts import Scope
from geodata.cli import main
from geodata.queries import Filters
from geodata.settings import Settings

FY = 2569
STATE = ViewState(area="37", level="district", fy=FY)


@pytest.fixture()
def demo(demo_conn: psycopg.Connection) -> psycopg.Connection:
    return demo_conn


def _page_rows(conn: psycopg.Connection) -> dict[str, queries.AreaRow]:
    rows = queries.children(conn, "37", "district", Filters(FY, "province"), previous=True, supply=True)
    return {r.code: r for r in rows}


def test_ranking_xlsx_and_csv_equal_the_page(demo: psycopg.Connection) -> None:
    page = _page_rows(demo)
    xlsx = export(demo, STATE, "ranking", "xlsx")
    assert xlsx.filename.endswith(".xlsx") and "37" in xlsx.filename
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.data)).active
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    header_at = next(i for i, r in enumerate(rows) if "37" not in str(r) and any("รหัส" in str(c) for c in r if c))
    header = rows[header_at]
    body = [dict(zip(header, r)) for r in rows[header_at + 1 :] if r[0]]
    assert body, rows[:12]
    code_col = next(h for h in header if h and "รหัส" in h)
    for line in body:
        area = page[str(line[code_col])]
        gap = next(v for k, v in line.items() if k and "ยังไม่ได้รับ" in k and isinstance(v, (int, float, Decimal)))
        assert Decimal(str(gap)).quantize(Decimal("0.01")) == area.current.gap.quantize(Decimal("0.01"))
    text = export(demo, STATE, "ranking", "csv").data
    assert text.startswith(b"\xef\xbb\xbf")
    assert len(list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))) > len(body)


def test_layer_carries_every_metric_of_the_page(demo: psycopg.Connection, tmp_path: Path) -> None:
    page = _page_rows(demo)
    result = export(demo, STATE, "layer", "gpkg")
    path = tmp_path / result.filename
    path.write_bytes(result.data)
    layer = gpd.read_file(path, layer="district_37")
    assert layer.crs.to_epsg() == 4326
    assert set(layer["code"]) == set(page)
    for row in layer.itertuples():
        area = page[row.code]
        assert Decimal(str(row.requested)).quantize(Decimal("0.01")) == area.current.requested
        assert row.gap == pytest.approx(float(metric_value(area.current, "gap", area.population)))


def test_pack_and_map_show_the_cards_numbers(demo: psycopg.Connection) -> None:
    summary = queries.summary(demo, "37", Filters(FY, "province"))
    pack = Presentation(io.BytesIO(export(demo, STATE, "pack", "pptx").data))
    texts = " ".join(shape.text_frame.text for slide in pack.slides for shape in slide.shapes if shape.has_text_frame)
    assert f"{summary.total.requested:,.2f}" in texts or baht(summary.total.requested) in texts
    assert len(pack.slides) == 7  # with the need slide; a province's pack has no national inventory
    png = export(demo, STATE, "map", "png")
    assert Image.open(io.BytesIO(png.data)).size == (3507, 2481)


def _slide_texts(data: bytes) -> list[str]:
    pack = Presentation(io.BytesIO(data))
    return [" ".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame) for slide in pack.slides]


def test_a_province_pack_carries_no_national_import_lines(demo: psycopg.Connection, monkeypatch) -> None:
    """The loaded-data slide sums up the imports of the whole country (as the data page, which
    only national readers see): a province's pack, made for its committee by anyone, keeps of it
    only what limits every area alike (Budget Bill volumes not loaded); the country's pack has it
    whole for a national reader and the command line, not for others."""
    full = datapage.report(demo)
    national = data_page.summary_lines(full, "th")
    assert national  # the demo's imports: what the slide would say
    reader = Scope({"viewer": frozenset({"37"})})
    for scope in (reader, None, Scope({"viewer": frozenset({"TH"})})):
        report = read(demo, STATE, "pack", "pptx", scope=scope).report
        assert report is None or not (report.runs or report.findings or report.years or report.precision), scope
    text = " ".join(_slide_texts(render(read(demo, STATE, "pack", "pptx", scope=reader)).data))
    assert not any(line in text for line in national)
    assert t("slide_notes") in text and "อำนาจเจริญ" in text  # its own sources slide stays
    country = ViewState(area="TH", level="province", fy=FY)
    assert read(demo, country, "pack", "pptx").report == full  # the command line's
    assert read(demo, country, "pack", "pptx", scope=Scope({"viewer": frozenset({"TH"})})).report == full
    # a reader of one province never reaches the country's view; were one to, still no inventory
    assert read(demo, country, "pack", "pptx", scope=reader).report is None

    # Budget Bill volumes not loaded limit every province's figures: that line stays, alone
    gap = replace(full, missing_volumes={"2569.3": (5, 8)})
    monkeypatch.setattr(service.datapage, "report", lambda conn: gap)
    reads = read(demo, STATE, "pack", "pptx", scope=reader)
    assert reads.report is not None and reads.report.missing_volumes == {"2569.3": (5, 8)}
    slides = _slide_texts(render(reads).data)
    assert t("slide_data") in slides[-1] and "3.5, 3.8" in slides[-1], slides[-1]
    assert not any(line in " ".join(slides) for line in national)


def test_the_render_phase_needs_no_connection(demo: psycopg.Connection) -> None:
    """A server reads on a pooled connection, gives it back, and draws in a worker process:
    what was read travels there pickled."""
    formats = {"pack": "pdf", "map": "svg", "ranking": "csv", "items": "csv", "allocations": "csv", "layer": "geojson"}
    reads = {kind: pickle.loads(pickle.dumps(read(demo, STATE, kind, fmt))) for kind, fmt in formats.items()}
    demo.close()
    for kind, fmt in formats.items():
        made = render(reads[kind])
        assert made.mimetype == MIMETYPES[fmt] and made.filename.endswith(f".{fmt}") and len(made.data) > 100, kind
    assert render(reads["pack"]).data.startswith(b"%PDF")


def test_unknown_area_and_format_are_refused(demo: psycopg.Connection) -> None:
    with pytest.raises(ExportError, match="unknown area"):
        export(demo, ViewState(area="99", fy=FY), "map", "png")
    with pytest.raises(ExportError, match="as 'exe'"):
        export(demo, STATE, "map", "exe")


def test_cli_batch_of_all_provinces(
    demo_db: Settings, demo: psycopg.Connection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLANMAP_DATABASE_URL", demo_db.database_url or "")
    result = CliRunner().invoke(
        main,
        ["export", "ranking", "--all-provinces", "--fiscal-year", str(FY), "--format", "csv", "--out", str(tmp_path)],
    )
    assert result.exit_code == 0, result.output
    files = sorted(tmp_path.glob("*.csv"))
    assert len(files) == 77
    assert all(".." not in f.name and "/" not in f.name for f in files)


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--area", "../../etc"], "not an area code: '../../etc'"),
        (["--area", "99"], "unknown area '99'"),
        (["--fiscal-year", "2599"], f"fiscal year 2599 is not loaded (loaded: {FY - 1}, {FY})"),
        (["--view", "?fy=2500"], "fiscal year 2500 is not loaded"),
        (["--format", "exe"], "no 'map' export as 'exe'"),
    ],
)
def test_cli_refuses_what_it_cannot_export_plainly(
    demo_db: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], says: str
) -> None:
    monkeypatch.setenv("PLANMAP_DATABASE_URL", demo_db.database_url or "")
    result = CliRunner().invoke(main, ["export", "map", *args, "--out", str(tmp_path)])
    assert result.exit_code == 1 and says in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not list(tmp_path.iterdir())


def test_download_route_serves_the_view_with_a_safe_name(demo_db: Settings, demo: psycopg.Connection) -> None:
    from dashboard.app import create_app
    from geodata.db import open_pool

    demo.commit()
    pool = open_pool(demo_db, wait=True)
    with pool:
        client = create_app(demo_db, pool).server.test_client()
        ok = client.get("/_planmap/export/ranking.csv?area=37&level=district&fy=2569")
        assert ok.status_code == 200 and ok.data.startswith(b"\xef\xbb\xbf")
        disposition = ok.headers["Content-Disposition"]
        assert disposition.startswith('attachment; filename="') and "filename*=UTF-8''" in disposition
        assert "/" not in disposition.split("filename=")[1].split(";")[0]
        pptx = client.get("/_planmap/export/pack.pptx?area=37&fy=2569")
        assert pptx.status_code == 200 and len(Presentation(io.BytesIO(pptx.data)).slides) == 7  # no national inventory
        assert client.get("/_planmap/export/ranking.exe?area=37").status_code == 404
        sneaky = client.get("/_planmap/export/..%2F..%2Fetc%2Fpasswd.csv")  # not a kind: Dash's page, no file
        assert "Content-Disposition" not in sneaky.headers and b"root:" not in sneaky.data
        # A malformed view falls back to the national view rather than failing.
        national = client.get("/_planmap/export/ranking.csv?area=<script>&fy=abc")
        assert national.status_code == 200 and "_TH_" in national.headers["Content-Disposition"]
