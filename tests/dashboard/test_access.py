"""The access matrix, built from the app itself: every Flask route and every Dash callback, for
no session, a viewer of another province, a viewer of the province, an officer of the province
and an admin of the country. Each entry is allowed where it should be, refused where not, and a
refused write leaves the database as it was. A route or callback without an access decision
fails here (deny by default), and so does a decision for something that no longer exists.

Also: the session cookie's flags, CSRF and same-origin checks on writes, sign-out, the sign-in
rate limit, a disabled account, and anonymous reading when it is switched on.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

import flask
import psycopg
import pytest

from dashboard import access, ids
from dashboard.app import create_app
from geodata import accounts
from geodata.db import connect, open_pool
from geodata.settings import Settings
from tests.dashboard.test_callback_fuzz import BUTTON, Callback, _callbacks, _first, _prop_id
from tests.helpers import add_account, demo_database, sign_in

FY = 2569
PROVINCE, OTHER = "37", "22"  # Amnat Charoen, Chanthaburi
PROVINCE_NAME = "อำนาจเจริญ"
PRINCIPALS = ("nobody", "viewer.22", "viewer.37", "officer.37", "admin")
GRANTS = {"viewer.22": ("viewer", OTHER), "viewer.37": ("viewer", PROVINCE), "officer.37": ("officer", PROVINCE)}
GRANTS["admin"] = ("admin", "TH")


@dataclass
class World:
    settings: Settings
    server: flask.Flask
    clients: dict[str, flask.testing.FlaskClient]
    suggestion: dict
    callbacks: list[Callback]


@pytest.fixture(scope="module")
def world(pg_cluster, demo_template) -> Iterator[World]:  # noqa: ANN001 - the session's cluster
    with demo_database(pg_cluster, "access") as demo:
        settings = demo.model_copy(update={"anonymous_read": False})
        with connect(settings) as conn:
            suggestion = _suggestion(conn)
            conn.commit()
        for name, (role, area) in GRANTS.items():
            add_account(settings, name, role, area)
        pool = open_pool(settings, wait=True)
        try:
            server = create_app(settings, pool).server
            clients = {"nobody": server.test_client()}
            for name in GRANTS:
                clients[name] = server.test_client()
                sign_in(clients[name], name)
            yield World(settings, server, clients, suggestion, _callbacks(clients["admin"]))
        finally:
            pool.close()


def _suggestion(conn: psycopg.Connection) -> dict:
    """A matching suggestion in the province, to decide on."""
    return conn.execute(
        "INSERT INTO match_review (allocation_key, item_level, item_area, item_fiscal_year, item_key, confidence,"
        " title_score) SELECT a.source_key, k.item_level, k.item_area, k.item_fiscal_year, k.item_key, 0.8, 0.9"
        " FROM allocations a JOIN plan_item_keys k ON k.item_area LIKE '37%%' AND k.item_fiscal_year = %s"
        " WHERE a.fiscal_year = %s AND a.area_code LIKE '37%%' ORDER BY a.id, k.id LIMIT 1"
        " RETURNING allocation_key, item_key",
        [FY, FY],
    ).fetchone()


def _text(response) -> str:  # noqa: ANN001 - a test response
    """What a response says, with JSON's escaped Thai read back as Thai."""
    if response.is_json:
        return json.dumps(response.get_json(), ensure_ascii=False)
    return response.get_data(as_text=True)


def _decisions(settings: Settings) -> int:
    with connect(settings) as conn:
        return conn.execute("SELECT count(*) AS n FROM match_decision_history").fetchone()["n"]


# --------------------------------------------------------------------------- completeness


def test_every_route_and_callback_has_an_access_decision(world: World) -> None:
    endpoints = {rule.endpoint for rule in world.server.url_map.iter_rules()}
    assert endpoints - set(access.ROUTES) == set(), "routes without an access decision"
    assert set(access.ROUTES) - endpoints == set(), "decisions for routes that do not exist"
    firsts = {access.first_output(cb.output) for cb in world.callbacks}
    assert firsts - set(access.CALLBACKS) == set(), "callbacks without an access decision"
    assert set(access.CALLBACKS) - firsts == set(), "decisions for callbacks that do not exist"


# --------------------------------------------------------------------------- routes

ALL = dict.fromkeys(PRINCIPALS[1:], 200)
ROUTE_MATRIX = {  # path → expected status per principal
    "/": {"nobody": 302, **ALL},
    f"/?area={PROVINCE}&view=review": {"nobody": 302, **ALL},
    "/_dash-layout": {"nobody": 401, **ALL},
    "/_dash-dependencies": {"nobody": 401, **ALL},
    "/_planmap/geo/province/TH.json": {"nobody": 401, **ALL},  # the country's outline is everyone's
    f"/_planmap/geo/district/{PROVINCE}.json": {"nobody": 401, **ALL, "viewer.22": 403},
    f"/_planmap/geo/district/{OTHER}.json": {"nobody": 401, **ALL, "viewer.37": 403, "officer.37": 403},
    f"/_planmap/export/ranking.csv?area={PROVINCE}&fy={FY}": {"nobody": 401, **ALL, "viewer.22": 403},
    f"/_planmap/export/items.csv?area={OTHER}&fy={FY}": {"nobody": 401, **ALL, "viewer.37": 403, "officer.37": 403},
    "/_planmap/audit.csv": {"nobody": 401, "viewer.22": 403, "viewer.37": 403, "officer.37": 403, "admin": 200},
    "/login": dict.fromkeys(PRINCIPALS, 200),
    "/assets/planmap.css": dict.fromkeys(PRINCIPALS, 200),
}


def test_route_matrix(world: World) -> None:
    wrong = []
    for path, expected in ROUTE_MATRIX.items():
        for who, status in expected.items():
            response = world.clients[who].get(path)
            if response.status_code != status:
                wrong.append(f"{who} GET {path}: {response.status_code}, expected {status}")
            if who == "viewer.22" and PROVINCE_NAME in _text(response):
                wrong.append(f"{who} GET {path}: the other province's name is in the answer")
    print(f"\nroute matrix: {sum(map(len, ROUTE_MATRIX.values()))} entries")
    assert not wrong, "\n".join(wrong)


def test_each_principal_gets_only_its_tabs(world: World) -> None:
    layouts = {who: _text(world.clients[who].get("/_dash-layout")) for who in PRINCIPALS[1:]}
    for who, text in layouts.items():
        assert (ids.REVIEW_LIST in text) == (who in ("officer.37", "admin")), who
        assert (ids.AUDIT_CONTENT in text) == (who == "admin"), who
        assert who in text  # the account bar names who is signed in
    assert world.clients["nobody"].get("/").headers["Location"].startswith("/login?next=")


# --------------------------------------------------------------------------- callbacks


def _request(cb: Callback, area: str, button: dict | None = None, item: str = "&item=1") -> dict:
    search = f"?area={area}&fy={FY}&view={cb.view}{item}"
    inputs = cb.entries(cb.inputs)
    for entry in inputs:
        if isinstance(entry, dict) and entry["id"] == ids.URL:
            entry["value"] = search
        if isinstance(entry, list) and button is not None:
            entry[0] = {**entry[0], "id": dict(button)}
    state = [
        {**entry, "value": search} if isinstance(entry, dict) and entry["id"] == ids.URL else entry
        for entry in cb.entries(cb.state)
    ]
    return cb.request({"inputs": copy.deepcopy(inputs), "state": state}, [_prop_id(_first(inputs))])


def test_callback_matrix(world: World) -> None:
    button = {**BUTTON, "allocation": world.suggestion["allocation_key"], "item": world.suggestion["item_key"]}
    wrong, entries, named = [], 0, set()
    for cb in world.callbacks:
        role = access.callback_role(cb.output)
        for who in PRINCIPALS:
            before = _decisions(world.settings)
            response = world.clients[who].post("/_dash-update-component", json=_request(cb, PROVINCE, button))
            after = _decisions(world.settings)
            entries += 1
            may = who != "nobody" and (role == "viewer" or (role == "officer" and who in ("officer.37", "admin")))
            may = may or (role == "admin" and who == "admin")
            expected = (200, 204) if may else ((401,) if who == "nobody" else (403,))
            if response.status_code not in expected:
                wrong.append(f"{who} {cb.output[:60]}: {response.status_code}, expected {expected}")
            writes = role == "officer" and cb.output.startswith(f"..{ids.REVIEW_STATUS}")
            if after != before + (1 if writes and may else 0):
                wrong.append(f"{who} {cb.output[:60]}: decisions {before} → {after}")
            if PROVINCE_NAME in _text(response):
                named.add(who)
    assert named == {"viewer.37", "officer.37", "admin"}  # the province's name reaches its readers only
    print(f"\ncallback matrix: {len(world.callbacks)} callbacks × {len(PRINCIPALS)} principals = {entries} entries")
    assert not wrong, "\n".join(wrong)
    with connect(world.settings) as conn:
        deciders = [r["decided_by"] for r in conn.execute("SELECT decided_by FROM match_decision_history ORDER BY id")]
    assert deciders == ["officer.37", "admin"]  # the reviewer recorded is the user


def test_a_viewer_of_another_province_sees_its_own_area_instead(world: World) -> None:
    nav = next(cb for cb in world.callbacks if access.first_output(cb.output) == ids.URL)
    answer = world.clients["viewer.22"].post("/_dash-update-component", json=_request(nav, PROVINCE)).get_json()
    outputs = answer["response"]
    assert f"area={OTHER}" in outputs[ids.URL]["search"]
    assert "นอกพื้นที่ที่ท่านมีสิทธิ์" in str(outputs[ids.NOTICE]["children"])
    trace = world.clients["viewer.22"].get(f"/_planmap/export/items.csv?area={OTHER}&fy={FY}&view=trace&item=1")
    assert trace.status_code in (200, 403)  # item 1's province decides; never another province's rows
    assert PROVINCE_NAME not in _text(trace)


def test_the_country_of_a_province_reader_is_an_outline_around_its_own_province(world: World) -> None:
    """No national figure and no other province's name or value: only outlines around theirs."""
    callbacks = {access.first_output(cb.output): cb for cb in world.callbacks}
    client = world.clients["viewer.37"]
    nav = client.post("/_dash-update-component", json=_request(callbacks[ids.URL], "TH", item="")).get_json()[
        "response"
    ]
    assert f"area={PROVINCE}" not in str(nav[ids.URL]) and not nav[ids.NOTICE]["children"]
    body = _request(callbacks[ids.MAP], "TH", item="")
    answer = client.post("/_dash-update-component", json=body)
    outputs = answer.get_json()["response"]
    outline, *traces = outputs[ids.MAP]["figure"]["data"]
    drawn = {code for trace in traces for code in trace["locations"]}
    assert drawn == {PROVINCE}
    assert PROVINCE not in outline["locations"] and len(outline["locations"]) >= 70
    assert outline["hoverinfo"] == "skip" and "customdata" not in outline
    assert [row["code"] for row in outputs[ids.RANKING]["rowData"]] == [PROVINCE]
    assert "จันทบุรี" not in _text(answer)
    # The data page sums up the country's imports: for national readers only.
    data_page = client.post("/_dash-update-component", json=_request(callbacks[ids.DATA_CONTENT], PROVINCE, item=""))
    assert "ระดับประเทศ" in _text(data_page) and "data-gaps" not in _text(data_page)
    admin_data = world.clients["admin"].post(
        "/_dash-update-component", json=_request(callbacks[ids.DATA_CONTENT], PROVINCE, item="")
    )
    assert "ระดับประเทศ" not in _text(admin_data) and "data-gaps" in _text(admin_data)
    # At its own province: the cluster is named, not a link to a refusal; no country-wide counts.
    summary = client.post("/_dash-update-component", json=_request(callbacks[ids.CRUMBS], PROVINCE, item=""))
    crumbs = summary.get_json()["response"][ids.CRUMBS]["children"]
    links = [c["props"]["id"] for c in crumbs if c["type"] == "Link"]
    assert links == ["crumb-TH"], links
    mapped = client.post("/_dash-update-component", json=_request(callbacks[ids.MAP], PROVINCE, item=""))
    admin_map = world.clients["admin"].post(
        "/_dash-update-component", json=_request(callbacks[ids.MAP], PROVINCE, item="")
    )
    assert "โครงการ" not in str(mapped.get_json()["response"][ids.STATUS]["children"])
    assert "โครงการ" in str(admin_map.get_json()["response"][ids.STATUS]["children"])
    national = world.clients["admin"].post("/_dash-update-component", json=body).get_json()["response"]
    assert len({c for trace in national[ids.MAP]["figure"]["data"] for c in trace["locations"]}) >= 70


# --------------------------------------------------------------------------- writes and sessions


def test_writes_need_this_sites_page_and_the_csrf_token(world: World) -> None:
    decide = next(cb for cb in world.callbacks if access.first_output(cb.output) == ids.REVIEW_STATUS)
    button = {**BUTTON, "action": "rejected", "allocation": world.suggestion["allocation_key"]}
    body = _request(decide, PROVINCE, {**button, "item": world.suggestion["item_key"]})
    client = world.clients["officer.37"]
    before = _decisions(world.settings)
    no_token = client.post("/_dash-update-component", json=body, headers={"X-CSRFToken": "forged"})
    cross_site = client.post("/_dash-update-component", json=body, headers={"Origin": "https://evil.example"})
    assert (no_token.status_code, cross_site.status_code) == (403, 403)
    assert _decisions(world.settings) == before


def test_session_cookie_sign_out_and_audit(world: World) -> None:
    add_account(world.settings, "leaving", "viewer", PROVINCE)
    client = world.server.test_client()
    csrf = sign_in(client, "leaving")
    cookie = client.get_cookie("planmap_session")
    assert cookie.http_only and cookie.same_site == "Lax"
    assert client.get("/_dash-layout").status_code == 200
    assert client.post("/logout", data={"csrf": csrf}).status_code == 302
    assert client.get("/_dash-layout").status_code == 401
    with connect(world.settings) as conn:
        actions = [
            r["action"] for r in conn.execute("SELECT action FROM audit_log WHERE actor = 'leaving' ORDER BY id")
        ]
        assert actions == ["login", "logout"]
        assert (
            conn.execute(
                "SELECT count(*) AS n FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username = 'leaving'"
            ).fetchone()["n"]
            == 0
        )


def test_sign_in_is_rate_limited_and_a_disabled_account_is_out(world: World) -> None:
    add_account(world.settings, "guessed", "viewer", PROVINCE)
    client = world.server.test_client()

    def attempt(password: str):  # noqa: ANN202
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="t" value="([^"]+)"', page).group(1)
        data = {"t": token, "username": "guessed", "password": password}
        return client.post("/login", data=data, headers={"Origin": "http://localhost"})

    for _ in range(5):
        assert attempt("not it at all").status_code == 401
    right = attempt("a long password 1")
    assert right.status_code == 429 and "ลองใหม่ได้ในอีก" in right.get_data(as_text=True)

    add_account(world.settings, "disabled.soon", "viewer", PROVINCE)
    signed = world.server.test_client()
    sign_in(signed, "disabled.soon")
    with connect(world.settings, autocommit=True) as conn:
        accounts.update_user(conn, "disabled.soon", disabled=True)
    assert signed.get("/_dash-layout").status_code == 401


def test_anonymous_reading_only_when_switched_on(world: World, pg_cluster) -> None:  # noqa: ANN001
    assert world.clients["nobody"].get("/_dash-layout").status_code == 401
    open_settings = world.settings.model_copy(update={"anonymous_read": True})
    pool = open_pool(open_settings, wait=True)
    try:
        client = create_app(open_settings, pool).server.test_client()
        layout = client.get("/_dash-layout")
        assert layout.status_code == 200 and "เปิดให้อ่านได้โดยไม่ต้องเข้าสู่ระบบ" in _text(layout)
        assert client.get("/_planmap/audit.csv").status_code == 401
    finally:
        pool.close()
