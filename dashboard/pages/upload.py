"""The upload page (``view=upload``, officers): drop a CSV or XLSX file, choose its kind, plan
level, source name and fiscal year, see a dry run (rows read, ignored, rejected with reasons and
cells, located per precision with a map, data-health findings, the difference against the
current version of the source), then confirm or cancel; and the officer's sources, each with a
Remove button.

The file stays on the server (:mod:`dashboard.uploads`); the browser holds only its token.
Confirming re-runs the import from the stored bytes and the choices of the last dry run, and
loads only when every area the file touches is within the officer's scope. The import itself
is etl's (``etl.upload``, found through an entry point): it connects as the database owner,
because the dashboard's web role may not write plans or budget.
"""

from __future__ import annotations

import base64
import binascii
from collections import Counter
from typing import Any

import dash
import psycopg
from dash import ALL, Input, Output, State, dcc, html

from dashboard import auth, figures, i18n, ids, posted, uploads
from dashboard.context import Context
from dashboard.i18n import t
from dashboard.pages.common import graph
from dashboard.request import DB_ERRORS
from dashboard.state import DEFAULT, parse, to_search
from geodata import queries
from geodata.areas import COUNTRY, PLAN_LEVELS
from geodata.pgcluster import ClusterError

NAME = "upload"
ROLE = "officer"
KINDS = ("plans", "budget")
DECISIONS = {  # etl.health.DECISION_OPTIONS: the decision and its actions
    "implausible_years": ("drop", "keep"),
    "drag_filled_dates": ("file-year", "keep"),
    "summary_rows": ("drop", "keep"),
}
SHOWN_REJECTS = 50
# The importer's reject reasons are English (etl.normalize, etl.records, etl.load); the Thai page
# names the field and the rule in Thai and keeps the importer's message after it.
REJECT_FIELDS_TH = {
    "title": "ชื่อโครงการ",
    "amount": "วงเงิน",
    "area_code": "รหัสพื้นที่",
    "fiscal_year": "ปีงบประมาณ",
    "date": "วันที่",
    "ministry": "กระทรวง",
    "agency": "หน่วยงาน",
    "item_id": "รหัสรายการ",
    "item_description": "รายละเอียดรายการ",
    "escalated_to_ref": "รายการที่ส่งต่อไป",
}
REJECT_RULES_TH = (  # (how the rule begins, what it says in Thai)
    ("not a number", "ไม่ใช่ตัวเลข"),
    ("not a finite number", "ไม่ใช่ตัวเลขที่ใช้ได้"),
    ("negative amount", "วงเงินติดลบ"),
    ("empty amount", "ไม่มีวงเงิน"),
    ("malformed thousands separators", "เครื่องหมายคั่นหลักพันไม่ถูกต้อง"),
    ("more than ", "วงเงินสูงเกินกว่างบประมาณใด ๆ"),
    ("year out of range", "ปีอยู่นอกช่วง พ.ศ. 2500–2700"),
    ("implausible year", "ปีไม่น่าเป็นไปได้"),
    ("not a whole year", "ปีต้องเป็นจำนวนเต็ม"),
    ("not a year", "ไม่ใช่ปี"),
    ("no year found", "ไม่พบปีในช่องนี้"),
    ("several years", "ระบุหลายปีในช่องเดียว (หนึ่งแถวต่อหนึ่งปี)"),
    ("two-digit year", "ปีสองหลักต้องมีคำว่า ปีงบประมาณ หรือ พ.ศ. กำกับ"),
    ("empty date", "ไม่มีวันที่"),
    ("not a date", "ไม่ใช่วันที่"),
    ("not an Excel date serial", "ไม่ใช่วันที่ของ Excel"),
    ("invalid date", "วันที่ไม่ถูกต้อง"),
    ("unrecognised date format", "อ่านรูปแบบวันที่ไม่ได้"),
    ("unknown Thai month", "ไม่รู้จักชื่อเดือน"),
    ("unsupported type", "ชนิดข้อมูลในช่องนี้ใช้ไม่ได้"),
    ("empty ministry", "ไม่มีชื่อกระทรวง"),
    ("empty agency", "ไม่มีชื่อหน่วยงาน"),
    ("missing title", "ไม่มีชื่อโครงการ"),
    ("missing fiscal year", "ไม่มีปีงบประมาณ (ไม่มีคอลัมน์ปี วันที่ หรือปีที่เลือกไว้)"),
    ("unknown code", "ไม่พบรหัสพื้นที่นี้"),
    ("missing item id", "ไม่มีรหัสรายการ"),
    ("missing description", "ไม่มีรายละเอียดรายการ"),
    ("unknown reference", "รายการที่ส่งต่อไปไม่มีอยู่"),
    ("in another source", "แถวเดียวกันนี้นำเข้าไว้แล้วในแหล่งข้อมูลอื่น"),
    ("escalation loop", "การส่งต่อวนกลับมาที่รายการเดิม"),
    ("imported before sources", "มีข้อมูลเก่าที่นำเข้าก่อนมีระบบแหล่งข้อมูล"),
)
SHOWN_DIFFERENCE = 200
MAX_CLICKS = 2**31
ERRORS = (*DB_ERRORS, psycopg.Error, ClusterError, OSError)
_settings_limit = {"bytes": 1024 * 1024}  # the page's upload limit, set at registration

UPLOAD_OUT = {
    "info": Output(ids.UPLOAD_FILE, "children"),
    "token": Output(ids.UPLOAD_TOKEN, "data"),
    "name": Output(ids.UPLOAD_NAME, "value"),
}
CHECK_OUT = {"result": Output(ids.UPLOAD_RESULT, "children")}
CONFIRM_OUT = {"status": Output(ids.UPLOAD_STATUS, "children"), "loaded": Output(ids.UPLOAD_LOADED, "data")}
SOURCES_OUT = {"sources": Output(ids.UPLOAD_SOURCES, "children")}
REMOVE_OUT = {"status": Output(ids.UPLOAD_REMOVED, "children"), "removed": Output(ids.UPLOAD_REMOVED_N, "data")}


# --------------------------------------------------------------------------- layout


def layout() -> html.Div:
    mb = _settings_limit["bytes"] / 2**20
    return html.Div(
        className="chain-page upload-page",
        children=[
            html.H2(t("up_title")),
            html.P(t("up_note"), className="muted note"),
            dcc.Upload(
                id=ids.UPLOAD,
                children=html.Div(t("up_drop", mb=f"{mb:,.1f}")),
                max_size=_settings_limit["bytes"],
                multiple=False,
                accept=".csv,.xlsx,.gz,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                className="upload-drop",
                style={
                    "border": "2px dashed #1f5fa8",
                    "borderRadius": "6px",
                    "padding": "1.2rem",
                    "textAlign": "center",
                    "cursor": "pointer",
                },
            ),
            html.Div(id=ids.UPLOAD_FILE, className="status", role="status"),
            html.Div(
                className="controls upload-controls",
                children=[
                    _labelled(
                        t("up_kind"),
                        dcc.RadioItems(
                            id=ids.UPLOAD_KIND,
                            options=[{"label": t(f"up_kind_{k}"), "value": k} for k in KINDS],
                            value="plans",
                            inline=True,
                        ),
                    ),
                    _labelled(
                        t("plan_level"),
                        dcc.Dropdown(
                            id=ids.UPLOAD_LEVEL,
                            options=[{"label": i18n.plan_level(lv), "value": lv} for lv in PLAN_LEVELS],
                            value="local",
                            clearable=False,
                            searchable=False,
                        ),
                    ),
                    _labelled(t("up_name"), dcc.Input(id=ids.UPLOAD_NAME, type="text", maxLength=300, debounce=False)),
                    _labelled(
                        t("up_year"),
                        dcc.Input(id=ids.UPLOAD_YEAR, type="number", min=2400, max=2700, step=1, placeholder="2569"),
                    ),
                ],
            ),
            html.Details(
                [
                    html.Summary(t("up_decide")),
                    html.Div(
                        className="controls",
                        children=[
                            _labelled(
                                t(f"up_decide_{d}"),
                                dcc.RadioItems(
                                    id=f"{ids.UPLOAD_DECIDE}-{d}",
                                    options=[{"label": t("up_ask"), "value": ""}]
                                    + [{"label": t(f"up_action_{a}"), "value": a} for a in actions],
                                    value="",
                                    inline=True,
                                ),
                            )
                            for d, actions in DECISIONS.items()
                        ],
                    ),
                    dcc.Checklist(
                        id=ids.UPLOAD_REJECTS_OK,
                        options=[{"label": t("up_allow_rejects"), "value": "1"}],
                        value=[],
                        inline=True,
                    ),
                ]
            ),
            html.Button(t("up_check"), id=ids.UPLOAD_CHECK, n_clicks=0, className="button primary"),
            dcc.Loading(html.Div(id=ids.UPLOAD_RESULT, className="upload-result")),
            html.Div(
                className="upload-actions",
                children=[
                    html.Button(t("up_confirm"), id=ids.UPLOAD_CONFIRM, n_clicks=0, className="button primary"),
                    html.Button(t("up_cancel"), id=ids.UPLOAD_CANCEL, n_clicks=0, className="button"),
                ],
            ),
            dcc.Loading(html.Div(id=ids.UPLOAD_STATUS, className="status", role="status")),
            html.Hr(),
            html.H3(t("up_sources")),
            html.Div(id=ids.UPLOAD_REMOVED, className="status", role="status"),
            html.Div(id=ids.UPLOAD_SOURCES),
            dcc.Store(id=ids.UPLOAD_TOKEN),
            dcc.Store(id=ids.UPLOAD_LOADED, data=0),
            dcc.Store(id=ids.UPLOAD_REMOVED_N, data=0),
        ],
    )


def _labelled(label: str, control: Any) -> html.Div:
    return html.Div(className="control", children=[html.Label(label), control])


# --------------------------------------------------------------------------- who may


def _officer(ctx: Context) -> auth.Principal | None:
    """The signed-in officer asking (the access layer refused everyone else already)."""
    principal = ctx.principal()
    return principal if principal.signed_in and principal.scope.any(ROLE) else None


def _outside(principal: auth.Principal, areas: tuple[str, ...]) -> list[str]:
    return [a for a in areas if not principal.scope.covers(a, ROLE)]


# --------------------------------------------------------------------------- callbacks


def receive(ctx: Context, contents: object, filename: object, search: object) -> dict[str, Any]:
    """Keep a dropped file on the server (checked by content and size) and hand back its token."""
    lang = parse(search).lang
    nothing = {k: dash.no_update for k in UPLOAD_OUT}
    principal = _officer(ctx)
    if principal is None or ctx.settings is None or not isinstance(contents, str) or "," not in contents:
        return nothing
    facade = uploads.facade()
    limit = uploads.max_bytes(ctx.settings)
    encoded = contents.split(",", 1)[1]
    if len(encoded) > (limit + 2) // 3 * 4 + 4:
        return {**nothing, "info": _alert(t("up_too_big", lang, mb=f"{limit / 2**20:,.1f}")), "token": None}
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        return {**nothing, "info": _alert(t("up_refused", lang, reason="base64")), "token": None}
    name = facade.safe_name(filename) if facade else "upload"
    if facade is None:
        return {**nothing, "info": _alert("etl.upload is not installed"), "token": None}
    try:
        form = facade.check_file(data, name, ctx.settings)
    except ValueError as exc:
        return {**nothing, "info": _alert(t("up_refused", lang, reason=str(exc))), "token": None}
    try:
        token = uploads.save(ctx.settings, principal.name, name, data)
    except OSError:
        return {**nothing, "info": _alert(t("up_failed", lang, reason="storage")), "token": None}
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return {
        "info": t("up_received", lang, file=name, size=f"{len(data) / 1024:,.0f} KB", form=form.upper()),
        "token": token,
        "name": stem,
    }


def _choices(
    kind: object, level: object, year: object, name: object, decisions: dict[str, object], allow: object
) -> dict[str, Any]:
    return {
        "kind": posted.choice(kind, KINDS) or "plans",
        "level": posted.choice(level, PLAN_LEVELS),
        "fiscal_year": posted.integer(year, 2400, 2700),
        "source_name": posted.text(name, 300),
        "decisions": {d: v for d, v in decisions.items() if posted.choice(v, DECISIONS[d])},
        "allow_rejects": bool(posted.ticked(allow)),
    }


def check(
    ctx: Context,
    clicks: object,
    token: object,
    search: object,
    kind: object = None,
    level: object = None,
    year: object = None,
    name: object = None,
    allow: object = None,
    **decisions: object,
) -> dict[str, Any]:
    """The dry run of the stored upload with the chosen kind, level, name and year."""
    lang = parse(search).lang
    principal = _officer(ctx)
    if principal is None or ctx.settings is None or posted.integer(clicks, 1, MAX_CLICKS) is None:
        return {"result": dash.no_update}
    facade = uploads.facade()
    stored = uploads.load(ctx.settings, token, principal.name)
    if stored is None or facade is None:
        return {"result": _alert(t("up_expired" if token else "up_none", lang))}
    choices = _choices(kind, level, year, name, decisions, allow)
    try:
        report = facade.dry_run(
            ctx.settings,
            stored.data,
            stored.filename,
            choices["kind"],
            choices["level"],
            choices["fiscal_year"],
            choices["source_name"],
            choices["decisions"],
            choices["allow_rejects"],
        )
        uploads.remember(
            stored, choices, [("rejects", facade.rejects_xlsx(report)), ("difference", facade.difference_xlsx(report))]
        )
    except ValueError as exc:
        return {"result": _alert(t("up_failed", lang, reason=str(exc)))}
    except ERRORS:
        return {"result": _alert(t("db_down", lang))}
    links = {what: f"{_base(ctx)}{uploads.ROUTE}/{stored.token}/{what}.xlsx" for what in uploads.REPORTS}
    return {"result": dry_run_view(ctx, report, principal, lang, links, choices["allow_rejects"])}


def decide(ctx: Context, trigger: object, token: object, search: object, loaded: object) -> dict[str, Any]:
    """Confirm (re-run from the stored bytes and choices, check the scope, load) or cancel."""
    lang = parse(search).lang
    nothing = {k: dash.no_update for k in CONFIRM_OUT}
    principal = _officer(ctx)
    if principal is None or ctx.settings is None or trigger not in (ids.UPLOAD_CONFIRM, ids.UPLOAD_CANCEL):
        return nothing
    stored = uploads.load(ctx.settings, token, principal.name)
    facade = uploads.facade()
    if stored is None or facade is None:
        return {**nothing, "status": _alert(t("up_expired" if token else "up_none", lang))}
    if trigger == ids.UPLOAD_CANCEL:
        uploads.drop(stored)
        return {**nothing, "status": t("up_cancelled", lang)}
    choices = stored.choices
    if not choices:
        return {**nothing, "status": _alert(t("up_none", lang) + " — " + t("up_check", lang))}
    args = (
        ctx.settings,
        stored.data,
        stored.filename,
        choices.get("kind"),
        choices.get("level"),
        choices.get("fiscal_year"),
        choices.get("source_name"),
        choices.get("decisions") or {},
        bool(choices.get("allow_rejects")),
    )
    try:
        dry = facade.dry_run(*args)
        outside = _outside(principal, dry.checked_areas)
        if outside:
            return {**nothing, "status": _alert(t("up_outside", lang, areas=", ".join(outside)))}
        reason = _why_nothing(dry, lang, bool(choices.get("allow_rejects")))
        if reason:
            return {**nothing, "status": _alert(t("up_would_nothing", lang, reason=reason))}
        report = facade.confirm(*args, by=principal.name, address=auth.client_address())
    except ValueError as exc:
        return {**nothing, "status": _alert(t("up_failed", lang, reason=str(exc)))}
    except ERRORS:
        return {**nothing, "status": _alert(t("db_down", lang))}
    if not report.loaded:
        return {**nothing, "status": _alert(t("up_not_loaded", lang, status=report.status))}
    uploads.drop(stored)
    owner = report.owner_area if report.owner_area and principal.scope.covers(report.owner_area) else None
    search_of = to_search(DEFAULT.with_area(owner) if owner else DEFAULT)
    return {
        "status": html.Div(
            [
                html.P(
                    t(
                        "up_loaded",
                        lang,
                        source=report.source_name,
                        new=f"{report.count('new'):,}",
                        changed=f"{report.count('changed'):,}",
                        retired=f"{report.count('retired'):,}",
                        run=report.run_id,
                    ),
                    className="ok",
                ),
                html.A(t("up_open_map", lang), href=f"{_base(ctx)}/{search_of}", className="export-link"),
            ]
        ),
        "loaded": (posted.integer(loaded, 0, MAX_CLICKS) or 0) + 1,
    }


def sources_list(ctx: Context, search: object, _loaded: object = None, _removed: object = None) -> dict[str, Any]:
    state = parse(search)
    if state.view != NAME:
        return {"sources": dash.no_update}
    lang = state.lang
    principal = _officer(ctx)
    facade = uploads.facade()
    if principal is None or ctx.settings is None or facade is None:
        return {"sources": dash.no_update}
    try:
        found = [s for s in facade.sources(ctx.settings) if not _outside(principal, s.checked_areas)]
    except ERRORS:
        return {"sources": _alert(t("db_down", lang))}
    if not found:
        return {"sources": html.P(t("up_sources_none", lang), className="muted")}
    head = ["up_name", "up_col_kind", "plan_level", "fiscal_year", "up_col_area", "up_col_rows", "up_col_amount"]
    rows = []
    for s in found:
        ask = t("up_remove_ask", lang, name=s.name, rows=f"{s.rows:,}", amount=i18n.baht(s.amount, lang))
        rows.append(
            html.Tr(
                [
                    html.Td(s.name),
                    html.Td(i18n.SOURCE_KINDS.get(s.kind, (s.kind, s.kind))[1 if lang == "en" else 0]),
                    html.Td(i18n.plan_level(s.plan_level, lang) if s.plan_level in PLAN_LEVELS else "–"),
                    html.Td(str(s.fiscal_year or "–")),
                    html.Td(s.owner_area or "–"),
                    html.Td(f"{s.rows:,}", className="num"),
                    html.Td(i18n.millions_number(s.amount), className="num"),
                    html.Td(
                        dcc.ConfirmDialogProvider(
                            html.Button(t("up_remove", lang), className="button danger"),
                            id={"type": ids.UPLOAD_REMOVE, "source": s.id},
                            message=ask,
                        )
                    ),
                ]
            )
        )
    return {
        "sources": html.Table(
            [html.Thead(html.Tr([html.Th(t(h, lang)) for h in head] + [html.Th("")])), html.Tbody(rows)],
            className="chain-table upload-sources",
        )
    }


def remove(ctx: Context, button: object, clicks: object, search: object, removed: object) -> dict[str, Any]:
    """Remove one of the officer's sources (the confirmation dialog asked first)."""
    lang = parse(search).lang
    nothing = {k: dash.no_update for k in REMOVE_OUT}
    principal = _officer(ctx)
    facade = uploads.facade()
    source_id = posted.integer(posted.mapping(button).get("source"), 1, 2**63 - 1)
    if principal is None or ctx.settings is None or facade is None or source_id is None:
        return nothing
    if posted.integer(clicks, 1, MAX_CLICKS) is None:
        return nothing
    try:
        found = next((s for s in facade.sources(ctx.settings) if s.id == source_id), None)
        if found is None or _outside(principal, found.checked_areas):
            return {**nothing, "status": _alert(t("up_remove_refused", lang))}
        gone = facade.remove(ctx.settings, found.kind, found.name, principal.name)
    except ValueError:
        return {**nothing, "status": _alert(t("up_remove_refused", lang))}
    except ERRORS:
        return {**nothing, "status": _alert(t("db_down", lang))}
    return {
        "status": t("up_removed", lang, name=gone.name, rows=f"{gone.rows:,}"),
        "removed": (posted.integer(removed, 0, MAX_CLICKS) or 0) + 1,
    }


# --------------------------------------------------------------------------- the dry run's view


def _alert(text: str) -> html.Div:
    return html.Div(text, className="alert")


def _base(ctx: Context) -> str:
    """The app's path prefix (as the audit page finds it), without the trailing slash."""
    return ctx.geo_prefix.rsplit("/_planmap", 1)[0]


def _why_nothing(report: Any, lang: str, allow_rejects: bool) -> str | None:
    """Why loading would load nothing (rejected rows not allowed, findings undecided, no rows)."""
    if report.would_load == 0:
        return t("up_why_empty", lang)
    if report.held:
        return t("up_why_held", lang)
    if report.problems and not allow_rejects:
        return t("up_why_rejects", lang)
    return None


def _precision(precision: str, lang: str) -> str:
    key = f"at_{precision}"
    return t(key, lang) if key in i18n.LABELS else precision


def _reject_field(field: str | None, lang: str) -> str:
    """A rejected cell's field in plain words (Thai in the Thai page)."""
    if not field:
        return ""
    return field if lang == "en" else REJECT_FIELDS_TH.get(field, field)


def _reject_reason(rule: str | None, message: str, lang: str) -> str:
    """Why a row was rejected: in Thai first when the rule is known, then the importer's message."""
    if lang == "en":
        return message
    thai = next((th for start, th in REJECT_RULES_TH if (rule or "").startswith(start)), None)
    return f"{thai} — {message}" if thai else message


def _card(label: str, value: int) -> html.Div:
    return html.Div(className="card", children=[html.Div(f"{value:,}", className="value"), html.Div(label)])


def _table(head: list[str], rows: list[list], numeric: set[int] = frozenset()) -> html.Table:
    return html.Table(
        [
            html.Thead(html.Tr([html.Th(h) for h in head])),
            html.Tbody(
                [
                    html.Tr([html.Td(c, className="num" if i in numeric else None) for i, c in enumerate(r)])
                    for r in rows
                ]
            ),
        ],
        className="chain-table",
    )


def _millions(value: Any) -> str:
    return "" if value is None else i18n.millions_number(value)


def dry_run_view(
    ctx: Context, report: Any, principal: auth.Principal, lang: str, links: dict[str, str], allow_rejects: bool = False
) -> list:
    ignored = sum(n for _r, n in report.ignored)
    parts: list = [
        html.H3(t("up_dry_title", lang, file=report.file, source=report.source_name)),
        html.Div(
            className="cards upload-counts",
            children=[
                _card(t("up_read", lang), report.rows_read),
                _card(t("up_ignored", lang), ignored),
                _card(t("up_rejected", lang), report.rejected_rows),
                _card(t("up_would_load", lang), report.would_load),
                _card(t("up_new", lang), report.count("new")),
                _card(t("up_changed", lang), report.count("changed")),
                _card(t("up_retired", lang), report.count("retired")),
                _card(t("up_unchanged", lang), report.unchanged),
            ],
        ),
    ]
    if report.ignored:
        parts.append(
            html.P(
                t("up_ignored_list", lang)
                + ": "
                + ", ".join(f"{i18n.skip_reason(r, lang)} ({n:,})" for r, n in report.ignored),
                className="muted",
            )
        )
    areas = report.checked_areas
    parts.append(html.P(t("up_areas", lang, areas=", ".join(areas) or "–")))
    if report.owner_area:
        parts.append(html.P(t("up_owner", lang, area=report.owner_area)))
    outside = _outside(principal, areas)
    if outside:
        parts.append(_alert(t("up_outside", lang, areas=", ".join(outside))))
    reason = _why_nothing(report, lang, allow_rejects)
    if reason:
        parts.append(_alert(t("up_would_nothing", lang, reason=reason)))
    parts.append(
        html.P(
            t("up_located", lang)
            + ": "
            + (" · ".join(f"{_precision(p, lang)} {n:,}" for p, n in report.by_precision) or "–")
        )
    )
    parts.append(html.H4(t("up_map", lang)))
    parts.append(graph(f"{ids.UPLOAD_RESULT}-map", "360px", where_figure(ctx, report, lang), tools=False))
    if report.findings:
        parts.append(html.H4(t("up_findings", lang)))
        parts.append(
            html.Ul(
                [
                    html.Li(
                        f"{f.file}{':' + f.sheet if f.sheet else ''} {f.first_row or ''}–{f.last_row or ''}"
                        f" ({f.rows:,}, {i18n.baht(f.amount, lang)}): {f.message}"
                        f" [{f.action or t('up_ask', lang)}]"
                    )
                    for f in report.findings
                ]
            )
        )
    if report.problems:
        parts.append(html.H4(t("up_rejects_head", lang, n=min(SHOWN_REJECTS, len(report.problems)))))
        parts.append(
            _table(
                [
                    t(k, lang)
                    for k in (
                        "up_col_file",
                        "up_col_sheet",
                        "up_col_row",
                        "up_col_field",
                        "up_col_value",
                        "up_col_message",
                    )
                ],
                [
                    [
                        p.file,
                        p.sheet or "",
                        "" if p.row is None else str(p.row),
                        _reject_field(p.field, lang),
                        p.value or "",
                        _reject_reason(p.rule, p.message, lang),
                    ]
                    for p in report.problems[:SHOWN_REJECTS]
                ],
            )
        )
    parts.append(html.H4(t("up_difference", lang)))
    if report.difference:
        totals = ", ".join(
            f"{t(f'up_{c}', lang)} {report.count(c):,} ({i18n.millions_number(report.amount(c))})"
            for c in ("new", "changed", "retired")
        )
        parts.append(html.P(totals))
        parts.append(
            _table(
                [
                    t(k, lang)
                    for k in (
                        "up_col_change",
                        "up_col_row",
                        "up_col_title",
                        "up_col_before",
                        "up_col_after",
                        "up_col_area",
                    )
                ],
                [
                    [
                        t(f"up_{d.change}", lang),
                        "" if d.row is None else str(d.row),
                        d.title,
                        _millions(d.amount_before),
                        _millions(d.amount_after),
                        d.area_after or d.area_before or "",
                    ]
                    for d in report.difference[:SHOWN_DIFFERENCE]
                ],
                numeric={3, 4},
            )
        )
    else:
        parts.append(html.P(t("up_no_difference", lang), className="muted"))
    parts.append(
        html.P(
            [
                html.A(t("up_rejects_xlsx", lang), href=links["rejects"], className="export-link"),
                " · ",
                html.A(t("up_difference_xlsx", lang), href=links["difference"], className="export-link"),
            ]
        )
    )
    return parts


def where_figure(ctx: Context, report: Any, lang: str) -> dict:
    """Rows per district when they fall in one province, else per province."""
    provinces = [p for p in report.provinces if not p.startswith("C")]
    one = provinces[0] if len(provinces) == 1 else None
    counts: Counter = Counter()
    for code, n in report.areas:
        if one and len(code) >= 4 and code[:2] == one:
            counts[code[:4]] += n
        elif not one and code[:2].isdigit():
            counts[code[:2]] += n
    level, within = ("district", one) if one else ("province", COUNTRY)
    try:
        with ctx.pool.connection() as conn:
            version = queries.data_version(conn)
            names = queries.areas(conn, list(counts))
            bounds = queries.area_bounds(conn, one) if one else None
    except DB_ERRORS:
        return {"data": [], "layout": figures.map_layout()}
    codes = sorted(counts)
    trace = {
        "type": "choroplethmap",
        "geojson": ctx.geojson_url(level, within, version),
        "featureidkey": "id",
        "locations": codes,
        "z": [counts[c] for c in codes],
        "colorscale": "Blues",
        "showscale": True,
        "customdata": [[i18n.name(names[c], lang) if c in names else c, c] for c in codes],
        "hovertemplate": "<b>%{customdata[0]}</b> (%{customdata[1]})<br>%{z:,} rows<extra></extra>",
        "marker": {"line": {"width": 0.6, "color": "#ffffff"}, "opacity": 0.9},
    }
    center, zoom = figures.fit_view(bounds, 600, 360)  # the first guess; the browser fits ``bounds``
    meta = figures.map_meta(bounds, lang=lang)  # the province's, or the country's
    return {"data": [trace], "layout": figures.map_layout(center=center, zoom=zoom, revision="upload", meta=meta)}


# --------------------------------------------------------------------------- registration


def register(app: dash.Dash, ctx: Context) -> None:
    if ctx.settings is not None:
        _settings_limit["bytes"] = uploads.max_bytes(ctx.settings)

    @app.callback(
        output=UPLOAD_OUT,
        inputs={
            "contents": Input(ids.UPLOAD, "contents"),
            "filename": State(ids.UPLOAD, "filename"),
            "search": State(ids.URL, "search"),
        },
        prevent_initial_call=True,
    )
    def _receive(contents, filename, search):
        return receive(ctx, contents, filename, search)

    @app.callback(
        output=CHECK_OUT,
        inputs={
            "clicks": Input(ids.UPLOAD_CHECK, "n_clicks"),
            "token": State(ids.UPLOAD_TOKEN, "data"),
            "search": State(ids.URL, "search"),
            "kind": State(ids.UPLOAD_KIND, "value"),
            "level": State(ids.UPLOAD_LEVEL, "value"),
            "year": State(ids.UPLOAD_YEAR, "value"),
            "name": State(ids.UPLOAD_NAME, "value"),
            "allow": State(ids.UPLOAD_REJECTS_OK, "value"),
            **{d: State(f"{ids.UPLOAD_DECIDE}-{d}", "value") for d in DECISIONS},
        },
        prevent_initial_call=True,
    )
    def _check(clicks, token, search, kind, level, year, name, allow, **decisions):
        return check(ctx, clicks, token, search, kind, level, year, name, allow, **decisions)

    @app.callback(
        output=CONFIRM_OUT,
        inputs={
            "confirm": Input(ids.UPLOAD_CONFIRM, "n_clicks"),
            "cancel": Input(ids.UPLOAD_CANCEL, "n_clicks"),
            "token": State(ids.UPLOAD_TOKEN, "data"),
            "search": State(ids.URL, "search"),
            "loaded": State(ids.UPLOAD_LOADED, "data"),
        },
        prevent_initial_call=True,
    )
    def _decide(confirm, cancel, token, search, loaded):
        changed = posted.trigger()
        if posted.integer(changed.value, 1, MAX_CLICKS) is None:
            return {k: dash.no_update for k in CONFIRM_OUT}
        return decide(ctx, changed.id, token, search, loaded)

    @app.callback(
        output=SOURCES_OUT,
        inputs={
            "search": Input(ids.URL, "search"),
            "loaded": Input(ids.UPLOAD_LOADED, "data"),
            "removed": Input(ids.UPLOAD_REMOVED_N, "data"),
        },
    )
    def _sources(search, loaded, removed):
        return sources_list(ctx, search, loaded, removed)

    @app.callback(
        output=REMOVE_OUT,
        inputs={
            "clicks": Input({"type": ids.UPLOAD_REMOVE, "source": ALL}, "submit_n_clicks"),
            "search": State(ids.URL, "search"),
            "removed": State(ids.UPLOAD_REMOVED_N, "data"),
        },
        prevent_initial_call=True,
    )
    def _remove(clicks, search, removed):
        changed = posted.trigger()
        return remove(ctx, changed.id, changed.value, search, removed)
