"""Upload in the browser, through the real app (Flask test client, the callbacks posted as the
page posts them): an officer of Phitsanulok uploads a real provincial workbook, sees the dry run
(counts, all rows new) and its Excel reports, confirms, and the rows and the source are in the
database with an audit entry; bad files load nothing and say why; an officer of another province
cannot confirm; a viewer is refused; another account's token is refused; Remove deletes the
source."""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import flask
import openpyxl
import pytest

from dashboard import access, ids, uploads
from dashboard.app import create_app
from etl import upload as facade
from geodata.db import connect, open_pool
from geodata.settings import Settings
from tests.dashboard.test_callback_fuzz import Callback, _callbacks
from tests.helpers import add_account, demo_database, scratch_dir, shared_data_dir, sign_in

pytestmark = [pytest.mark.real_data, pytest.mark.slow]

WORKBOOK = "131 พิษณุโลก (99คก491ลบ)อปท.xlsx"
SOURCE = "พิษณุโลก อปท. (อัปโหลด)"
PROVINCE, OTHER = "65", "37"  # Phitsanulok, Amnat Charoen
GRANTS = {"officer.65": ("officer", PROVINCE), "officer.37": ("officer", OTHER), "viewer.65": ("viewer", PROVINCE)}
SEARCH = "?view=upload"


@dataclass
class World:
    settings: Settings
    server: flask.Flask
    clients: dict[str, flask.testing.FlaskClient]
    callbacks: dict[str, Callback]


@pytest.fixture(scope="module")
def world(pg_cluster, demo_template) -> Iterator[World]:  # noqa: ANN001 - the session's cluster
    with demo_database(pg_cluster, "upload") as demo:
        settings = demo.model_copy(update={"anonymous_read": False, "data_dir": scratch_dir("planmap-upload-")})
        for name, (role, area) in GRANTS.items():
            add_account(settings, name, role, area)
        pool = open_pool(settings, wait=True)
        try:
            server = create_app(settings, pool).server
            clients = {}
            for name in GRANTS:
                clients[name] = server.test_client()
                sign_in(clients[name], name)
            found = {access.first_output(cb.output): cb for cb in _callbacks(clients["officer.65"])}
            yield World(settings, server, clients, found)
        finally:
            pool.close()


def _workbook() -> bytes:
    return (shared_data_dir() / "plans" / "thaime_2020_loan_proposals" / "raw_by_province" / WORKBOOK).read_bytes()


def _post(world: World, who: str, first: str, values: dict, changed: tuple[object, str]):  # noqa: ANN202
    """Post the callback whose first output is ``first`` with ``values`` ((id, property) → value)."""
    cb = world.callbacks[first]

    def entries(specs: list[dict]) -> list:
        out = []
        for spec in specs:
            if isinstance(spec["id"], dict):
                out.append([{"id": i, "property": spec["property"], "value": v} for i, v in values.get("pattern", [])])
            else:
                out.append({**spec, "value": values.get((spec["id"], spec["property"]))})
        return out

    component = (
        changed[0] if isinstance(changed[0], str) else json.dumps(changed[0], sort_keys=True, separators=(",", ":"))
    )
    body = cb.request({"inputs": entries(cb.inputs), "state": entries(cb.state)}, [f"{component}.{changed[1]}"])
    return world.clients[who].post("/_dash-update-component", json=body)


def _response(answer) -> dict:  # noqa: ANN001 - a test response
    assert answer.status_code == 200, answer.get_data(as_text=True)[:500]
    return answer.get_json()["response"]


def _text(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _upload(world: World, who: str, data: bytes, name: str) -> dict:
    contents = "data:application/octet-stream;base64," + base64.b64encode(data).decode()
    return _response(
        _post(
            world,
            who,
            ids.UPLOAD_FILE,
            {(ids.UPLOAD, "contents"): contents, (ids.UPLOAD, "filename"): name, (ids.URL, "search"): SEARCH},
            (ids.UPLOAD, "contents"),
        )
    )


def _check(world: World, who: str, token: str, name: str = SOURCE, **extra: object) -> dict:
    values = {
        (ids.UPLOAD_CHECK, "n_clicks"): 1,
        (ids.UPLOAD_TOKEN, "data"): token,
        (ids.URL, "search"): SEARCH,
        (ids.UPLOAD_KIND, "value"): "plans",
        (ids.UPLOAD_LEVEL, "value"): "local",
        (ids.UPLOAD_NAME, "value"): name,
        (ids.UPLOAD_REJECTS_OK, "value"): [],
        **extra,
    }
    return _response(_post(world, who, ids.UPLOAD_RESULT, values, (ids.UPLOAD_CHECK, "n_clicks")))


def _decide(world: World, who: str, token: str, button: str = ids.UPLOAD_CONFIRM) -> dict:
    values = {
        (button, "n_clicks"): 1,
        (ids.UPLOAD_TOKEN, "data"): token,
        (ids.URL, "search"): SEARCH,
        (ids.UPLOAD_LOADED, "data"): 0,
    }
    return _response(_post(world, who, ids.UPLOAD_STATUS, values, (button, "n_clicks")))


def _cards(tree: object) -> dict[str, int]:
    """The dry run's counts: card label → value."""
    found: dict[str, int] = {}

    def walk(node: object) -> None:
        if isinstance(node, dict):
            props = node.get("props", {})
            if "card" in str(props.get("className", "")).split():
                value, label = props["children"]
                found[label["props"]["children"]] = int(value["props"]["children"].replace(",", ""))
            for child in props.values() if "props" in node else node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(tree)
    return found


def _count(settings: Settings, sql: str, *params: object) -> int:
    with connect(settings) as conn:
        return conn.execute(sql, params).fetchone()["n"]


def _items(settings: Settings, source: str) -> int:
    return _count(
        settings,
        "SELECT count(*) AS n FROM plan_items i JOIN sources s ON s.id = i.source_id WHERE s.name = %s",
        source,
    )


# --------------------------------------------------------------------------- the whole path


def test_an_officer_uploads_checks_and_confirms_then_removes(world: World) -> None:
    data = _workbook()
    received = _upload(world, "officer.65", data, WORKBOOK)
    token = received[ids.UPLOAD_TOKEN]["data"]
    assert uploads.TOKEN.match(token) and "XLSX" in _text(received[ids.UPLOAD_FILE])
    assert received[ids.UPLOAD_NAME]["value"] == WORKBOOK.rsplit(".", 1)[0]
    stored = Path(world.settings.data_dir) / "uploads" / token
    assert (stored / "data.bin").read_bytes() == data

    result = _check(world, "officer.65", token)[ids.UPLOAD_RESULT]["children"]
    cards = _cards(result)
    print("\n" + _text(cards))
    assert cards["แถวที่อ่าน"] >= cards["แถวที่จะนำเข้า"] > 90
    assert cards["ใหม่"] == cards["แถวที่จะนำเข้า"] and cards["เปลี่ยนแปลง"] == cards["เลิกใช้"] == 0
    text = _text(result)
    assert "ท่านไม่มีสิทธิ์" not in text and "พื้นที่ของข้อมูล: 65" in text
    assert _items(world.settings, SOURCE) == 0  # a dry run loads nothing

    client = world.clients["officer.65"]
    difference = client.get(f"{uploads.ROUTE}/{token}/difference.xlsx")
    assert difference.status_code == 200 and difference.mimetype == uploads.XLSX
    sheet = openpyxl.load_workbook(io.BytesIO(difference.data)).active
    assert sheet.max_row - 1 == cards["ใหม่"] and "การเปลี่ยนแปลง" in sheet.cell(1, 1).value
    assert {sheet.cell(r, 1).value for r in range(2, sheet.max_row + 1)} == {"ใหม่"}
    assert client.get(f"{uploads.ROUTE}/{token}/rejects.xlsx").status_code == 200
    assert world.clients["officer.37"].get(f"{uploads.ROUTE}/{token}/rejects.xlsx").status_code == 404
    assert world.clients["viewer.65"].get(f"{uploads.ROUTE}/{token}/rejects.xlsx").status_code == 403

    # another officer cannot use the token, nor see the upload
    forged = _decide(world, "officer.37", token)
    assert "ไม่พบไฟล์ที่อัปโหลด" in _text(forged[ids.UPLOAD_STATUS])
    assert _items(world.settings, SOURCE) == 0

    done = _decide(world, "officer.65", token)
    assert "นำเข้าแล้ว" in _text(done[ids.UPLOAD_STATUS]) and "area=65" in _text(done[ids.UPLOAD_STATUS])
    assert done[ids.UPLOAD_LOADED]["data"] == 1
    assert _items(world.settings, SOURCE) == cards["แถวที่จะนำเข้า"]
    assert not stored.exists()  # the upload is gone once loaded
    assert (
        _count(
            world.settings,
            "SELECT count(*) AS n FROM audit_log WHERE actor = 'officer.65' AND action = 'import' AND target = %s",
            SOURCE,
        )
        == 1
    )
    again = _decide(world, "officer.65", token)  # a second click finds nothing to load
    assert "ไม่พบไฟล์ที่อัปโหลด" in _text(again[ids.UPLOAD_STATUS])

    # the source is listed for its officer, not for the other province's
    listed = _response(
        _post(world, "officer.65", ids.UPLOAD_SOURCES, {(ids.URL, "search"): SEARCH}, (ids.URL, "search"))
    )
    assert SOURCE in _text(listed)
    other = _response(
        _post(world, "officer.37", ids.UPLOAD_SOURCES, {(ids.URL, "search"): SEARCH}, (ids.URL, "search"))
    )
    assert SOURCE not in _text(other)

    (source,) = [s for s in facade.sources(world.settings) if s.name == SOURCE]
    button = {"type": ids.UPLOAD_REMOVE, "source": source.id}

    def remove(who: str) -> dict:
        values = {"pattern": [(button, 1)], (ids.URL, "search"): SEARCH, (ids.UPLOAD_REMOVED_N, "data"): 0}
        return _response(_post(world, who, ids.UPLOAD_REMOVED, values, (button, "submit_n_clicks")))

    refused = remove("officer.37")
    assert "ลบไม่ได้" in _text(refused[ids.UPLOAD_REMOVED]) and _items(world.settings, SOURCE) > 0
    removed = remove("officer.65")
    assert "ลบแล้ว" in _text(removed[ids.UPLOAD_REMOVED]) and removed[ids.UPLOAD_REMOVED_N]["data"] == 1
    assert _items(world.settings, SOURCE) == 0
    assert not [s for s in facade.sources(world.settings) if s.name == SOURCE]
    assert (
        _count(
            world.settings,
            "SELECT count(*) AS n FROM audit_log WHERE actor = 'officer.65' AND action = 'source_remove'",
        )
        == 1
    )


# --------------------------------------------------------------------------- refusals


def test_an_officer_of_another_province_cannot_confirm(world: World) -> None:
    token = _upload(world, "officer.37", _workbook(), WORKBOOK)[ids.UPLOAD_TOKEN]["data"]
    result = _text(_check(world, "officer.37", token, name="elsewhere"))
    assert "ท่านไม่มีสิทธิ์นำเข้าข้อมูลของพื้นที่ 65" in result
    status = _decide(world, "officer.37", token)
    assert "ท่านไม่มีสิทธิ์นำเข้าข้อมูลของพื้นที่ 65" in _text(status[ids.UPLOAD_STATUS])
    assert _items(world.settings, "elsewhere") == 0


def test_a_file_that_is_no_workbook_is_refused_by_its_content(world: World) -> None:
    binary = _upload(world, "officer.65", b"\x89PNG\r\n\x1a\n\x00\x00\x00" + bytes(range(256)), "plans.xlsx")
    assert binary[ids.UPLOAD_TOKEN]["data"] is None
    assert "ไม่รับไฟล์นี้" in _text(binary[ids.UPLOAD_FILE]) and "neither a CSV" in _text(binary[ids.UPLOAD_FILE])
    zipped = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    fake_zip = _upload(world, "officer.65", zipped.getvalue(), "plans.xlsx")
    assert fake_zip[ids.UPLOAD_TOKEN]["data"] is None and "not an Excel workbook" in _text(fake_zip)

    # a text file named .xlsx is read as the text it is: no header, nothing to load, a clear reason
    text = _upload(world, "officer.65", b"just some words\nand more\n", "plans.xlsx")
    token = text[ids.UPLOAD_TOKEN]["data"]
    result = _text(_check(world, "officer.65", token, name="text file"))
    assert "จะไม่นำเข้าข้อมูลใด ๆ" in result
    status = _decide(world, "officer.65", token)
    assert "จะไม่นำเข้าข้อมูลใด ๆ" in _text(status[ids.UPLOAD_STATUS])
    assert _items(world.settings, "text file") == 0


def test_a_negative_amount_is_rejected_with_its_cell(world: World) -> None:
    csv = "ชื่อโครงการ,วงเงิน,รหัสพื้นที่,ปีงบประมาณ\nก่อสร้างถนนสายทดสอบ,-500000,6501,2569\nขุดลอกคลองทดสอบ,200000,6502,2569\n"
    token = _upload(world, "officer.65", csv.encode("utf-8"), "negative.csv")[ids.UPLOAD_TOKEN]["data"]
    result = _check(world, "officer.65", token, name="negative")[ids.UPLOAD_RESULT]["children"]
    cards = _cards(result)
    assert cards["แถวที่ไม่ผ่าน"] == 1 and cards["แถวที่จะนำเข้า"] == 1
    text = _text(result)
    assert "-500000" in text and "amount" in text  # the cell and its field
    rejects = world.clients["officer.65"].get(f"{uploads.ROUTE}/{token}/rejects.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(rejects.data)).worksheets[0]
    assert sheet.cell(2, 3).value == 2 and sheet.cell(2, 5).value == "'-500000"  # neutralised, never a formula
    status = _decide(world, "officer.65", token)
    assert "มีแถวที่ไม่ผ่าน" in _text(status[ids.UPLOAD_STATUS])
    assert _items(world.settings, "negative") == 0


def test_a_viewer_is_refused(world: World) -> None:
    contents = "data:text/csv;base64," + base64.b64encode(b"a,b\n1,2\n").decode()
    answer = _post(
        world,
        "viewer.65",
        ids.UPLOAD_FILE,
        {(ids.UPLOAD, "contents"): contents, (ids.UPLOAD, "filename"): "x.csv", (ids.URL, "search"): SEARCH},
        (ids.UPLOAD, "contents"),
    )
    assert answer.status_code == 403
    assert not any((Path(world.settings.data_dir) / "uploads").glob("*/data.bin")) or all(
        json.loads((p.parent / "meta.json").read_text())["user"] != "viewer.65"
        for p in (Path(world.settings.data_dir) / "uploads").glob("*/data.bin")
    )
    layout = world.clients["viewer.65"].get("/_dash-layout").get_data(as_text=True)
    assert ids.UPLOAD_RESULT not in layout


# --------------------------------------------------------------------------- pieces


def test_file_checks_and_safe_names() -> None:
    settings = Settings(import_max_mb=1)
    assert facade.check_file("ก,ข\n1,2\n".encode("cp874"), "x.csv", settings) == "csv"
    assert facade.check_file("\ufeffa,b\n".encode(), "x.txt", settings) == "csv"
    with pytest.raises(facade.UploadError, match="more than the 1 MB"):
        facade.check_file(b"a" * (2**20 + 1), "big.csv", settings)
    with pytest.raises(facade.UploadError, match="xls"):
        facade.check_file(b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "old.xls", settings)
    assert facade.safe_name("../../etc/passwd") == "passwd"
    assert facade.safe_name("C:\\Users\\a\\แผน 2569 (ฉบับ 2).xlsx") == "แผน 2569 (ฉบับ 2).xlsx"
    assert facade.safe_name("\x00..") == "upload" and facade.safe_name(None) == "upload"
    assert len(facade.safe_name("ก" * 500 + ".xlsx")) == facade.MAX_NAME
    assert facade.safe_name("ก" * 500 + ".xlsx").endswith(".xlsx")


def test_uploads_expire_and_belong_to_their_uploader(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    token = uploads.save(settings, "officer.a", "f.csv", b"a,b\n")
    assert uploads.load(settings, token, "officer.a").data == b"a,b\n"
    assert uploads.load(settings, token, "officer.b") is None
    assert uploads.load(settings, "../" + token[3:], "officer.a") is None
    assert uploads.sweep(settings, now=__import__("time").time() + uploads.EXPIRE_SECONDS + 1) == 1
    assert uploads.load(settings, token, "officer.a") is None
