"""The data page (``view=data``): what is loaded, how well it is placed and linked, what the
imports found questionable and what was decided, and the known gaps (DESIGN §3.7, §3.11).

Pure builders over :class:`geodata.datapage.DataReport`; the same figures feed the meeting
pack's sources slide (:func:`summary_lines`), so the two cannot disagree. Text from files (file
names, finding messages) is rendered as text by Dash, never as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import dash
import psycopg
from dash import Input, Output, html

from dashboard import i18n, ids
from dashboard.context import Context
from dashboard.i18n import t
from dashboard.request import View
from geodata import datapage
from geodata.areas import PLAN_LEVELS
from geodata.datapage import DataReport, Finding, Run, Year

NAME = "data"
OUT = {"content": Output(ids.DATA_CONTENT, "children")}

RULES = {  # finding rule → (Thai, English)
    "implausible_years": ("ปีงบประมาณที่เป็นไปไม่ได้", "Implausible fiscal years"),
    "drag_filled_dates": ("วันที่ลากต่อเนื่องลงมา (ไม่ใช่วันที่จริง)", "Dates filled down a column"),
    "summary_rows": ("แถวสรุป/ยอดรวมย่อย", "Summary or subtotal rows"),
    "obligation_other_years": ("งบผูกพันของปีอื่น (ไม่นับ)", "Other years of multi-year obligations (not counted)"),
}
ACTIONS = {  # decision → (Thai, English)
    None: ("รอการตัดสินใจ (ยังไม่นำเข้า)", "waiting for a decision (not loaded)"),
    "drop": ("ตัดออก", "dropped"),
    "keep": ("เก็บไว้ตามเดิม", "kept as is"),
    "file-year": ("ใช้ปีของไฟล์", "given the file's year"),
    "noted": ("บันทึกไว้ ไม่นับ", "noted, not counted"),
}
STATUS = {
    "loaded": ("นำเข้าแล้ว", "loaded"),
    "rejected": ("ไม่นำเข้า (มีแถวผิดพลาด)", "rejected (bad rows)"),
    "held": ("รอการตัดสินใจ", "held for a decision"),
    "failed": ("ล้มเหลว", "failed"),
    "dry_run": ("ทดลอง (ไม่บันทึก)", "dry run"),
    "running": ("กำลังทำงาน", "running"),
}
KINDS = i18n.SOURCE_KINDS
LOW_LOCATED = 0.5  # below this share of rows placed below the country, the map shows little


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def layout() -> list:
    return [html.Div(id=ids.DATA_CONTENT, className="data-page")]


def render_page(ctx: Context, search: str | None, db: dict | None) -> dict[str, Any]:
    """The data page: what is loaded, placed, linked and questionable."""

    def build(conn: psycopg.Connection, view: View) -> dict[str, Any]:
        if not view.scope.national():  # the imports of the whole country are national figures
            return {
                "content": [html.H2(t("data_title", view.state.lang)), html.P(t("data_national_only", view.state.lang))]
            }
        return {"content": render(datapage.report(conn), view.state.lang)}

    return ctx.render(
        search, OUT, build, page=NAME, down=lambda lang: {"content": [html.P(t("db_down", lang), className="alert")]}
    )


def register(app: dash.Dash, ctx: Context) -> None:
    @app.callback(output=OUT, inputs={"search": Input(ids.URL, "search"), "db": Input(ids.DB_OK, "data")})
    def _render(search, db):
        return render_page(ctx, search, db)


# --------------------------------------------------------------------------- the page


def render(report: DataReport, lang: str = "th") -> list:
    """The whole page: years, placement, findings, runs and known gaps."""
    return [
        html.H2(t("data_title", lang)),
        html.P(t("data_note", lang), className="muted note"),
        html.H3(t("data_years", lang)),
        _years(report.years, lang),
        html.H3(t("data_gaps", lang)),
        html.Ul([html.Li(g) for g in gaps(report, lang)] or [html.Li(t("data_no_gaps", lang))], id="data-gaps"),
        html.H3(t("data_located", lang)),
        _located(report, lang),
        html.H3(t("data_findings", lang)),
        _findings(report.findings, lang),
        html.H3(t("data_runs", lang)),
        _runs(report.runs, lang),
    ]


def _table(head: Sequence[str], rows: Sequence[Sequence[object]], table_id: str, num_from: int = 1) -> html.Table:
    return html.Table(
        id=table_id,
        className="chain-table data-table",
        children=[
            html.Thead(html.Tr([html.Th(h) for h in head])),
            html.Tbody(
                [
                    html.Tr([html.Td(str(v), className="num" if n >= num_from else None) for n, v in enumerate(row)])
                    for row in rows
                ]
            ),
        ],
    )


def _years(years: Sequence[Year], lang: str) -> html.Table:
    head = [
        t("fiscal_year", lang),
        t("col_items", lang),
        t("m_requested", lang),
        t("col_allocations", lang),
        t("m_allocated", lang),
        t("data_multi_year", lang),
        t("data_linked", lang),
    ]
    rows = []
    for y in years:
        items = sum(n for n, _ in y.plan_items.values())
        requested = sum((a for _, a in y.plan_items.values()), start=0)
        levels = ", ".join(
            f"{i18n.plan_level(level, lang)} {y.plan_items[level][0]:,}"
            for level in PLAN_LEVELS
            if level in y.plan_items
        )
        rows.append(
            [
                i18n.fiscal_year(y.fiscal_year, lang, short=True),
                f"{items:,}" + (f" ({levels})" if levels else ""),
                i18n.million(requested, lang),
                f"{y.allocations:,}",
                i18n.million(y.allocated, lang),
                i18n.million(y.multi_year, lang),
                i18n.percent(y.link_share, lang) if y.allocated else "–",
            ]
        )
    return _table(head, rows, "data-years")


def _located(report: DataReport, lang: str) -> html.Table:
    head = [
        t("col_kind", lang),
        t("col_precision", lang),
        t("data_rows", lang),
        t("data_share", lang),
        t("col_amount", lang),
    ]
    rows = []
    for kind, by_precision in report.precision.items():
        total = sum(n for n, _ in by_precision.values())
        for precision, (n, amount) in by_precision.items():
            rows.append(
                [
                    _pick(KINDS[kind], lang),
                    _precision(precision, lang),
                    f"{n:,}",
                    i18n.percent(n / total, lang) if total else "–",
                    i18n.million(amount, lang),
                ]
            )
    return _table(head, rows, "data-located", num_from=2)


def _precision(precision: str, lang: str) -> str:
    if precision == "country":  # an item naming areas in several provinces, counted once at the country
        return t("several_provinces", lang)
    return t("data_unlocated", lang) if precision == "none" else i18n.area_level(precision, lang)


def _where(f: Finding) -> str:
    rows = (
        ""
        if f.first_row is None
        else (f"{f.first_row}" if f.first_row == f.last_row else f"{f.first_row}–{f.last_row}")
    )
    return " · ".join(x for x in (f.file, f.sheet, rows) if x)


def _grouped(findings: Sequence[Finding]) -> list[Finding]:
    """Noted findings (a fixed rule settled them) of one run and rule as one row: the other years
    of multi-year obligations are found once per Budget Bill volume."""
    out: list[Finding] = []
    noted: dict[tuple[int, str], list[Finding]] = {}
    for f in findings:
        if f.action == "noted":
            if (f.run_id, f.rule) not in noted:
                noted[(f.run_id, f.rule)] = []
                out.append(f)
            noted[(f.run_id, f.rule)].append(f)
        else:
            out.append(f)
    merged = []
    for f in out:
        group = noted.get((f.run_id, f.rule)) if f.action == "noted" else None
        if group and len(group) > 1:
            f = Finding(
                f.run_id,
                f.rule,
                f"{len(group):,} files",
                None,
                None,
                None,
                sum(g.rows for g in group),
                sum((g.amount for g in group), start=f.amount * 0),
                "; ".join(g.message for g in group[:2]) + (" …" if len(group) > 2 else ""),
                None,
                "noted",
            )
        merged.append(f)
    return merged


def _findings(findings: Sequence[Finding], lang: str) -> html.Div | html.Table:
    if not findings:
        return html.P(t("data_no_findings", lang), className="muted")
    findings = _grouped(findings)
    head = [
        t("data_run", lang),
        t("data_rule", lang),
        t("data_where", lang),
        t("data_rows", lang),
        t("col_amount", lang),
        t("data_what", lang),
        t("data_decision", lang),
    ]
    rows = [
        [
            f"#{f.run_id}",
            _pick(RULES.get(f.rule, (f.rule, f.rule)), lang),
            _where(f),
            f"{f.rows:,}",
            i18n.million(f.amount, lang),
            f.message,
            _pick(ACTIONS.get(f.action, (f.action or "", f.action or "")), lang)
            + (f" ({f.option})" if f.action is None and f.option else ""),
        ]
        for f in findings
    ]
    return _table(head, rows, "data-findings", num_from=3)


def _runs(runs: Sequence[Run], lang: str) -> html.Table:
    head = [
        t("data_run", lang),
        t("col_kind", lang),
        t("data_status", lang),
        t("data_when", lang),
        t("data_loaded_rows", lang),
        t("data_rejected", lang),
        t("data_set_aside", lang),
        t("data_findings_short", lang),
        t("data_source", lang),
    ]
    rows = []
    for r in runs:
        extra = []
        if r.details.get("level"):
            extra.append(i18n.plan_level(r.details["level"], lang))
        if r.details.get("cycle") == "one_off":
            extra.append(t("data_one_off", lang))
        decisions = r.details.get("decisions") or {}
        extra += [f"{k.replace('_', '-')}={v}" for k, v in decisions.items()]
        source = r.source if len(r.source) <= 160 else r.source[:159] + "…"
        rows.append(
            [
                f"#{r.id}",
                _pick(KINDS.get(r.kind, (r.kind, r.kind)), lang) + (f" ({', '.join(extra)})" if extra else ""),
                _status(r, lang),
                i18n.date(r.started_at.date(), lang),
                f"{r.loaded_rows:,}",
                f"{r.rejected_rows:,}",
                f"{r.set_aside_rows:,}",
                f"{r.findings:,}",
                source,
            ]
        )
    return _table(head, rows, "data-runs", num_from=4)


def _status(run: Run, lang: str) -> str:
    """The run's status; a failed run says why, and that it left no data (loads are all or
    nothing)."""
    label = _pick(STATUS.get(run.status, (run.status, run.status)), lang)
    if run.status != "failed":
        return label
    error = str(run.details.get("error") or "")
    if not error or run.details.get("stopped"):
        return f"{label}: {t('run_stopped', lang)}"
    return f"{label}: {t('run_error', lang, error=error[:200])}"


# --------------------------------------------------------------------------- shared with the pack


def gaps(report: DataReport, lang: str = "th") -> list[str]:
    """What the data cannot support, in sentences: absent Budget Bill volumes, money not linked
    to plan items, rows placed no finer than the country, findings still waiting."""
    out = []
    for document, volumes in sorted(report.missing_volumes.items()):
        out.append(t("gap_volumes", lang, document=document, volumes=", ".join(f"{document[5:]}.{v}" for v in volumes)))
    for y in report.years:
        if y.allocated and (y.link_share or 0.0) < 0.5:
            out.append(
                t(
                    "gap_links",
                    lang,
                    year=i18n.fiscal_year(y.fiscal_year, lang, short=True),
                    share=i18n.percent(y.link_share, lang),
                )
            )
    for kind in ("plans", "budget"):
        share = report.located_share(kind)
        if share is not None and share < LOW_LOCATED:
            out.append(t("gap_located", lang, kind=_pick(KINDS[kind], lang), share=i18n.percent(share, lang)))
    held = [f for f in report.findings if f.action is None]
    if held:
        out.append(t("gap_held", lang, n=f"{len(held):,}"))
    demand_years = {y.fiscal_year for y in report.years if y.plan_items}
    supply_years = {y.fiscal_year for y in report.years if y.allocated}
    if demand_years and supply_years and not demand_years & supply_years:
        out.append(
            t(
                "gap_years",
                lang,
                plans=", ".join(str(y) for y in sorted(demand_years)),
                budget=", ".join(str(y) for y in sorted(supply_years)),
            )
        )
    return out


def summary_lines(report: DataReport, lang: str = "th") -> list[str]:
    """The data page in a few lines, for the meeting pack's sources slide."""
    lines = []
    for y in report.years:
        parts = []
        if y.plan_items:
            parts.append(
                f"{sum(n for n, _ in y.plan_items.values()):,} {t('ind_projects', lang)} "
                f"{i18n.million(sum((a for _, a in y.plan_items.values()), start=0), lang)}"
            )
        if y.allocations:
            parts.append(
                f"{y.allocations:,} {t('budget_lines', lang)} {i18n.million(y.allocated, lang)} "
                f"({t('data_linked', lang)} {i18n.percent(y.link_share, lang)})"
            )
        lines.append(f"{i18n.fiscal_year(y.fiscal_year, lang)}: " + " · ".join(parts))
    for kind in ("plans", "budget"):
        share = report.located_share(kind)
        if share is not None:
            lines.append(t("data_located_line", lang, kind=_pick(KINDS[kind], lang), share=i18n.percent(share, lang)))
    decided = [f for f in report.findings if f.action not in (None, "noted")]
    if decided:
        lines.append(
            t(
                "data_decided_line",
                lang,
                n=f"{len(decided):,}",
                what="; ".join(
                    f"{_pick(RULES.get(f.rule, (f.rule, f.rule)), lang)}: {f.file} {_where(f).split(' · ')[-1]}"
                    f" → {_pick(ACTIONS.get(f.action, ('', '')), lang)}"
                    for f in decided[:4]
                ),
            )
        )
    return lines + gaps(report, lang)
