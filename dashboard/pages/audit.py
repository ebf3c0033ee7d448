"""The audit page (``view=audit``, admins only): every write, who made it, when, from where and
what changed, newest first, filtered by account and action, and the same list as CSV.

The trail itself is append-only (``geodata.audit``); this page only reads it. Names and details
come from accounts and files, so they are rendered as text, never as markup, and neutralised in
the CSV.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

import dash
import psycopg
from dash import Input, Output, dcc, html
from flask import Flask, Response, request
from psycopg_pool import ConnectionPool

from dashboard import i18n, ids, posted
from dashboard.context import Context
from dashboard.exports.tables import neutralise
from dashboard.i18n import t
from dashboard.request import DB_ERRORS, View
from geodata import audit

NAME = "audit"
CSV_ROUTE = "/_planmap/audit.csv"
ACTION_NAMES = {  # action → Thai name (the filter shows both; the trail stores the code)
    "login": "เข้าสู่ระบบ",
    "login_failed": "เข้าสู่ระบบไม่สำเร็จ",
    "login_refused": "ถูกปฏิเสธการเข้าสู่ระบบ",
    "login_sso": "เข้าสู่ระบบด้วย SSO",
    "login_sso_failed": "SSO ไม่สำเร็จ",
    "logout": "ออกจากระบบ",
    "decision": "ตัดสินการจับคู่",
    "import": "นำเข้าข้อมูล",
    "source_remove": "ลบแหล่งข้อมูล",
    "user_add": "เพิ่มผู้ใช้",
    "user_disable": "ระงับผู้ใช้",
    "user_enable": "เปิดใช้ผู้ใช้",
    "user_passwd": "เปลี่ยนรหัสผ่าน",
    "grant": "ให้สิทธิ์",
    "revoke": "ถอนสิทธิ์",
}
ACTIONS = tuple(ACTION_NAMES)
OUT = {"content": Output(ids.AUDIT_CONTENT, "children")}
HEADERS = ("audit_when", "audit_actor", "audit_address", "audit_action", "audit_target", "audit_details")


def layout() -> list:
    return [
        html.Div(
            className="controls audit-filters",
            children=[
                dcc.Input(id=ids.AUDIT_ACTOR, type="text", debounce=True, maxLength=64, placeholder="ผู้ใช้ / account"),
                dcc.Dropdown(
                    id=ids.AUDIT_ACTION,
                    options=[{"label": f"{th} ({a})", "value": a} for a, th in ACTION_NAMES.items()],
                    clearable=True,
                    placeholder="การกระทำ / action",
                ),
            ],
        ),
        html.Div(id=ids.AUDIT_CONTENT, className="audit-page"),
    ]


def filters(actor: object, action: object) -> dict[str, str | None]:
    return {"actor": posted.text(actor, 64), "action": posted.choice(action, ACTIONS)}


def render_page(
    ctx: Context, search: str | None, actor: object, action: object, csv_url: str = CSV_ROUTE
) -> dict[str, Any]:
    chosen = filters(actor, action)

    def build(conn: psycopg.Connection, view: View) -> dict[str, Any]:
        lang = view.state.lang
        rows = audit.entries(conn, **chosen)
        link = (
            f"{ctx.geo_prefix.rsplit('/_planmap', 1)[0]}{CSV_ROUTE}?{urlencode({k: v for k, v in chosen.items() if v})}"
        )
        return {"content": [html.A(t("audit_csv", lang), href=link, className="export-link"), table(rows, lang)]}

    return ctx.render(
        search, OUT, build, page=NAME, down=lambda lang: {"content": [html.P(t("db_down", lang), className="alert")]}
    )


def table(rows: Sequence[audit.Entry], lang: str) -> html.Table:
    head = html.Thead(html.Tr([html.Th(t(h, lang)) for h in HEADERS]))
    body = html.Tbody([html.Tr([html.Td(c) for c in cells(e, lang)]) for e in rows])
    return html.Table([head, body], className="chain-table audit-table")


def cells(entry: audit.Entry, lang: str) -> list[str]:
    details = json.dumps(entry.details, ensure_ascii=False, sort_keys=True) if entry.details else ""
    return [i18n.when(entry.at, lang), entry.actor, entry.address or "", entry.action, entry.target or "", details]


def register(app: dash.Dash, ctx: Context) -> None:
    csv_url = app.get_relative_path(CSV_ROUTE)

    @app.callback(
        output=OUT,
        inputs={
            "search": Input(ids.URL, "search"),
            "actor": Input(ids.AUDIT_ACTOR, "value"),
            "action": Input(ids.AUDIT_ACTION, "value"),
        },
    )
    def _render(search, actor, action):
        return render_page(ctx, search, actor, action, csv_url)


def register_csv(server: Flask, pool: ConnectionPool, prefix: str = "/") -> None:
    """The trail as CSV (UTF-8 with BOM so Excel shows Thai), filtered as the page is."""

    def download() -> Response:
        chosen = filters(request.args.get("actor"), request.args.get("action"))
        try:
            with pool.connection() as conn:
                rows = audit.entries(conn, **chosen, limit=100_000)
        except DB_ERRORS:
            return Response("The database cannot be reached right now.", 503, mimetype="text/plain")
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["id", "at", "actor", "address", "action", "target", "details"])
        for e in rows:
            details = json.dumps(e.details, ensure_ascii=False, sort_keys=True)
            writer.writerow(
                [
                    e.id,
                    e.at.isoformat(),
                    *(neutralise(v or "") for v in (e.actor, e.address, e.action, e.target, details)),
                ]
            )
        return Response(
            ("\ufeff" + buffer.getvalue()).encode("utf-8"),
            mimetype="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="planmap_audit.csv"', "Cache-Control": "no-store"},
        )

    server.add_url_rule(f"{prefix.rstrip('/')}{CSV_ROUTE}", "planmap_audit_csv", download)
