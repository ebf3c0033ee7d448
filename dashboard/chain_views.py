"""Pure builders of the planning-chain pages' tables and texts (data in, Dash components or grid
rows out). Dash renders component text as text and dash-ag-grid renders cells as text, so names
from data cannot inject markup here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from dash import html

from dashboard import i18n, ids
from dashboard.chain_figures import step_name
from dashboard.i18n import t
from geodata.areas import PLAN_LEVELS
from geodata.chain import FunnelStep
from geodata.chain_view import (
    ComplianceSummary,
    NeedHit,
    Outcome,
    Overlap,
    OverlapSide,
    PlanCounts,
    Trace,
    TraceAllocation,
    TraceStep,
)
from geodata.compliance import NoticeCompliance, PlanCompliance
from geodata.review import Suggestion

_NUMBER = {"function": "params.value == null ? '' : d3.format(',.2f')(params.value)"}
_INTEGER = {"function": "params.value == null ? '' : d3.format(',')(params.value)"}
_PERCENT = {"function": "params.value == null ? '' : d3.format(',.1f')(params.value) + '%'"}
_WRAP = {
    "wrapText": True,
    "autoHeight": True,
    "cellStyle": {"lineHeight": "1.5", "paddingTop": "4px", "paddingBottom": "4px"},
}


def _num(text: str) -> html.Td:
    return html.Td(text, className="num")


# --------------------------------------------------------------------------- funnel


def funnel_table(steps: Sequence[FunnelStep], lang: str = "th") -> html.Table:
    """Every step by count and amount with the share kept from (and lost at) each step."""
    first = steps[0].items if steps else 0
    head = html.Tr(
        [
            html.Th(t("col_step", lang)),
            html.Th(t("col_needs", lang)),
            html.Th(t("m_requested", lang)),
            html.Th(t("col_kept", lang)),
            html.Th(t("col_lost", lang)),
            html.Th(t("col_of_needs", lang)),
        ]
    )
    body = []
    for n, s in enumerate(steps, start=1):
        body.append(
            html.Tr(
                id=f"funnel-{s.key}",
                className=f"step-{n}",
                children=[
                    html.Td(
                        f"{n}. {step_name(s, lang)}",
                        # a definition where the label could be read as the manual's "funded" indicator
                        title=t("def_funnel_funded", lang) if s.key == "funded" else None,
                    ),
                    _num(f"{s.items:,}"),
                    _num(i18n.million(s.amount, lang)),
                    _num("–" if s.share_of_previous is None else i18n.percent(s.share_of_previous, lang)),
                    _num("–" if s.lost_share is None else i18n.percent(s.lost_share, lang)),
                    _num(i18n.percent(s.items / first, lang) if first else "–"),
                ],
            )
        )
    return html.Table([html.Thead(head), html.Tbody(body)], className="chain-table funnel-table")


# --------------------------------------------------------------------------- trace


def _reached(hit: NeedHit, lang: str) -> str:
    if hit.funded:
        return t("short_funded", lang)
    if hit.requested:
        return t("short_requested", lang)
    return t(f"at_{hit.top_level}", lang) if hit.top_level in PLAN_LEVELS else hit.top_level


def search_rows(hits: Sequence[NeedHit], lang: str = "th") -> list[dict]:
    return [
        {
            "id": str(h.id),
            "title": h.title,
            "area": (h.area_en or h.area_th) if lang == "en" else h.area_th,
            "code": h.area_code,
            "starts": i18n.plan_level(h.plan_level, lang),
            "amount": float(h.amount),
            "reached": _reached(h, lang),
        }
        for h in hits
    ]


def search_columns(lang: str = "th") -> list[dict]:
    return [
        {"field": "title", "headerName": t("col_title", lang), "flex": 4, "minWidth": 260, "tooltipField": "title"},
        {"field": "reached", "headerName": t("col_reached", lang), "flex": 1.3},
        {
            "field": "amount",
            "headerName": t("col_requested", lang),
            "type": "rightAligned",
            "valueFormatter": _NUMBER,
            "flex": 1.3,
        },
        {"field": "area", "headerName": t("col_area", lang), "flex": 1.5},
        {"field": "starts", "headerName": t("col_starts", lang), "flex": 1.5},
        {"field": "code", "headerName": t("col_code", lang), "flex": 1},
    ]


def search_count(hits: Sequence[NeedHit], total: int, lang: str = "th") -> str:
    if not total:
        return t("trace_none", lang)
    return t("trace_found", lang, total=f"{total:,}", shown=f"{len(hits):,}")


def _who(allocations: Sequence[TraceAllocation], lang: str) -> str:
    names = dict.fromkeys(
        i18n.pick(a.agency_th, a.agency_en, lang) or i18n.funding_source(a.funding_source, lang) for a in allocations
    )
    return ", ".join(names)


def outcome_text(outcome: Outcome, lang: str = "th") -> str:
    """Where the need stopped, in one sentence ("stopped at district level", "funded by …")."""
    if outcome.kind == "funded":
        return t("outcome_funded", lang, who=_who(outcome.allocations, lang))
    if outcome.kind == "requested":
        return t("outcome_requested", lang, who=_who(outcome.allocations, lang))
    if outcome.kind == "sent":
        return t("outcome_sent", lang)
    if outcome.kind == "kept":
        return t("outcome_kept", lang)
    return t("outcome_stopped", lang, level=t(f"at_{outcome.level}", lang))


def outcome_banner(item: Trace, lang: str = "th") -> html.Div:
    kind = item.outcome.kind
    return html.Div(
        className=f"outcome {kind}",
        id=f"outcome-{kind}",
        children=[
            html.Div(outcome_text(item.outcome, lang), className="outcome-text"),
            html.Div(item.root.title, className="outcome-title"),
        ],
    )


def _plan_status(step: TraceStep, lang: str) -> html.Span:
    if step.plan_status == "not_applicable":
        return html.Span(t("col_not_applicable", lang), className="badge unknown")
    if step.submitted_on is None:
        return html.Span(t("no_date", lang), className="badge unknown")
    if step.plan_status == "late":
        return html.Span(t("late_days", lang, days=f"{step.days_late:,}"), className="badge late")
    if step.plan_status == "early":
        return html.Span(t("early", lang), className="badge early")
    return html.Span(t("on_time", lang), className="badge on-time")


def _allocation(a: TraceAllocation, lang: str) -> html.Li:
    parts: list = [
        html.Span(i18n.status(a.status, lang), className=f"badge alloc-{a.status}"),
        html.Span(f" {i18n.million(a.amount, lang)} · {i18n.funding_source(a.funding_source, lang)}"),
    ]
    agency = i18n.pick(a.agency_th, a.agency_en, lang)
    if agency:
        parts.append(html.Span(f" · {agency}", className="agency"))
    parts.append(html.Span(f" · {i18n.fiscal_year(a.fiscal_year, lang)}", className="muted"))
    notice = a.notice
    if notice is not None:
        due = f"{t('due', lang)} {i18n.date(a.notice_due, lang)}"
        if notice == "missing":
            parts.append(html.Div([html.Span(t("not_notified", lang), className="badge late"), f" ({due})"]))
        else:
            badge = (
                html.Span(t("late_days", lang, days=f"{(a.notified_on - a.notice_due).days:,}"), className="badge late")
                if notice == "late"
                else html.Span(t("on_time", lang), className="badge on-time")
            )
            parts.append(html.Div([f"{t('notified', lang)} {i18n.date(a.notified_on, lang)} ({due}) ", badge]))
    if a.match_method:
        parts.append(html.Div(t(f"link_{a.match_method}", lang), className="muted"))
    return html.Li(parts, className="allocation")


def timeline(item: Trace, lang: str = "th") -> html.Ol:
    """The chain as a timeline, root need first: level, title, the plan's area, amount, plan
    submission against its calendar window, and the allocations with their notices."""
    out = []
    previous: TraceStep | None = None
    for n, s in enumerate(item.steps, start=1):
        same_title = previous is not None and previous.title == s.title
        same_area = previous is not None and previous.area_code == s.area_code
        previous = s
        owner = i18n.pick(s.owner_th, s.owner_en, lang)
        plan_of = i18n.pick(s.plan_area_th, s.plan_area_en, lang) + (f" · {owner}" if owner else "")
        capacity = t("beyond", lang) if s.beyond_capacity else t("within", lang)
        children: list = [
            html.Div(
                className="step-head",
                children=[
                    html.Span(i18n.plan_level(s.plan_level, lang), className=f"level level-{s.plan_level}"),
                    html.Span(f"{t('step_plan_of', lang)} {plan_of} ({s.plan_area_code})", className="plan-of"),
                    html.Span(t("selected_item", lang), className="badge selected")
                    if s.item_id == item.item_id
                    else None,
                ],
            ),
            None if same_title else html.Div(s.title, className="step-title"),
            html.Div(
                className="step-facts",
                children=[
                    None
                    if same_area
                    else html.Span(
                        f"{t('step_area', lang)}: {i18n.pick(s.area_th, s.area_en, lang)} ({s.area_code}) · "
                    ),
                    html.Span(
                        f"{t('step_requested', lang)} {i18n.million(s.amount, lang)}"
                        f" ({i18n.baht(s.amount, lang)} {t('baht_unit', lang)})"
                    ),
                    html.Span(f" · {capacity}", className="beyond" if s.beyond_capacity else "within"),
                ],
            ),
            html.Div(
                className="step-dates",
                children=[
                    f"{t('submitted', lang)} {i18n.date(s.submitted_on, lang)} "
                    + (
                        ""
                        if s.plan_status == "not_applicable"
                        else f"({t('window', lang)} {i18n.date_range(s.window_start, s.window_end, lang)}) "
                    ),
                    _plan_status(s, lang),
                ],
            ),
        ]
        if s.allocations:
            children.append(html.Ul([_allocation(a, lang) for a in s.allocations], className="allocations"))
        out.append(
            html.Li(
                [c for c in children if c is not None],
                id=f"trace-step-{n}",
                className=f"step level-{s.plan_level}" + (" selected" if s.item_id == item.item_id else ""),
            )
        )
    return html.Ol(out, className="timeline")


# --------------------------------------------------------------------------- compliance


def plans_summary(summary: ComplianceSummary, lang: str = "th") -> str:
    """Plans late out of the plans the calendar judges; plans of one-off programmes are said
    to be outside it (DESIGN §3.12), never counted as late."""
    total = summary.total
    parts = []
    if total.plans or not total.not_applicable:
        parts.append(
            t(
                "plans_summary",
                lang,
                late=f"{total.late:,}",
                plans=f"{total.plans:,}",
                share=i18n.percent(total.late_share, lang),
            )
        )
    if total.not_applicable:
        parts.append(t("plans_not_applicable", lang, n=f"{total.not_applicable:,}"))
    return " · ".join(parts)


def level_table(summary: ComplianceSummary, lang: str = "th") -> html.Table:
    """Plans by level: how many, how many late, the share late, how many without a date."""
    head = html.Tr(
        [
            html.Th(t("col_level", lang)),
            html.Th(t("col_plans", lang)),
            html.Th(t("col_late", lang)),
            html.Th(t("col_late_share", lang)),
            html.Th(t("col_no_date", lang)),
            html.Th(t("col_not_applicable", lang)),
        ]
    )

    def row(label: str, c: PlanCounts, cls: str = "", key: str = "") -> html.Tr:
        return html.Tr(
            className=cls,
            id=f"compliance-level-{key}" if key else None,
            children=[
                html.Td(label),
                _num(f"{c.plans:,}"),
                _num(f"{c.late:,}"),
                _num(i18n.percent(c.late_share, lang) if c.plans else "–"),
                _num(f"{c.unknown:,}"),
                _num(f"{c.not_applicable:,}"),
            ],
        )

    body = [
        row(i18n.plan_level(level, lang), summary.by_level[level], key=level)
        for level in PLAN_LEVELS
        if level in summary.by_level
    ]
    body.append(row(t("area_total", lang), summary.total, "total", "total"))
    return html.Table([html.Thead(head), html.Tbody(body)], className="chain-table")


def late_plan_rows(rows: Sequence[PlanCompliance], lang: str = "th") -> list[dict]:
    return [
        {
            "id": str(r.plan_id),
            "level": i18n.plan_level(r.level, lang),
            "area": (r.name_en or r.name_th) if lang == "en" else r.name_th,
            "code": r.area_code,
            "submitted": i18n.date(r.submitted_on, lang),
            "window": i18n.date_range(r.window_start, r.window_end, lang),
            "days_late": r.days_late,
        }
        for r in rows
    ]


def late_plan_columns(lang: str = "th") -> list[dict]:
    return [
        {"field": "level", "headerName": t("col_level", lang), "flex": 2},
        {"field": "area", "headerName": t("col_area", lang), "flex": 2},
        {"field": "code", "headerName": t("col_code", lang), "flex": 1},
        {"field": "submitted", "headerName": t("col_submitted", lang), "flex": 1.3},
        {"field": "window", "headerName": t("col_window", lang), "flex": 2},
        {
            "field": "days_late",
            "headerName": t("col_days_late", lang),
            "type": "rightAligned",
            "valueFormatter": _INTEGER,
            "filter": "agNumberColumnFilter",
            "flex": 1,
            "sort": "desc",
        },
    ]


def notice_rows(units: Sequence[NoticeCompliance], lang: str = "th") -> list[dict]:
    """The agency–province pairs that notified late or not at all."""
    return [
        {
            "id": f"{u.agency_id}-{u.province_code}",
            "agency": u.agency or "–",
            "province": u.province,
            "code": u.province_code,
            "funded_items": u.funded_items,
            "funded_amount": float(u.funded_amount),
            "late": u.late,
            "not_notified": u.not_notified,
            "max_days": u.max_days,
            "due": i18n.date(u.effective_on + dt.timedelta(days=u.notice_days), lang),
        }
        for u in units
        if u.overdue
    ]


def notice_columns(lang: str = "th") -> list[dict]:
    return [
        {"field": "agency", "headerName": t("col_agency", lang), "flex": 2.5},
        {"field": "province", "headerName": t("col_province", lang), "flex": 1.5},
        {
            "field": "funded_items",
            "headerName": t("col_funded_items", lang),
            "type": "rightAligned",
            "valueFormatter": _INTEGER,
            "flex": 1,
        },
        {
            "field": "funded_amount",
            "headerName": t("col_funded", lang),
            "type": "rightAligned",
            "valueFormatter": _NUMBER,
            "flex": 1.5,
        },
        {
            "field": "late",
            "headerName": t("col_notice_late", lang),
            "type": "rightAligned",
            "valueFormatter": _INTEGER,
            "flex": 1,
        },
        {
            "field": "not_notified",
            "headerName": t("col_not_notified", lang),
            "type": "rightAligned",
            "valueFormatter": _INTEGER,
            "flex": 1,
        },
        {
            "field": "max_days",
            "headerName": t("col_max_days", lang),
            "type": "rightAligned",
            "valueFormatter": _INTEGER,
            "flex": 1.4,
        },
        {"field": "due", "headerName": t("col_due", lang), "flex": 1.2},
    ]


def notices_summary(units: Sequence[NoticeCompliance], lang: str = "th", untracked: int = 0) -> str:
    """How agencies did on the notice rule; allocations whose source records no notice date
    (the Budget Bill) are said to be outside the rule, never "not notified"."""
    if untracked:
        note = t("notices_untracked", lang, n=f"{untracked:,}")
        return note if not units else f"{notices_summary(units, lang)} · {note}"
    if not units:
        return t("notices_none", lang)
    if not any(u.overdue for u in units):
        return t("notices_ok", lang, n=f"{len(units):,}")
    return t("notices_summary", lang, late=f"{sum(u.overdue for u in units):,}", n=f"{len(units):,}")


# --------------------------------------------------------------------------- overlaps


def side_source(side: OverlapSide, lang: str = "th") -> str:
    """Where a record comes from: its plan, or its funding source and agency."""
    if side.kind == "plan_item" and side.plan_level in PLAN_LEVELS:
        return i18n.plan_level(side.plan_level, lang)
    if side.kind == "allocation" and side.funding_source:
        source = i18n.funding_source(side.funding_source, lang)
        agency = i18n.pick(side.agency_th, side.agency_en, lang)
        return f"{source} · {agency}" if agency else source
    return side.source


def overlap_rows(pairs: Sequence[Overlap], lang: str = "th") -> list[dict]:
    return [
        {
            "id": str(o.id),
            "tambon": " · ".join(
                x
                for x in (i18n.pick(o.tambon_th, o.tambon_en, lang), i18n.pick(o.district_th, o.district_en, lang))
                if x
            ),
            "code": o.tambon_code,
            "title_a": o.a.title,
            "source_a": side_source(o.a, lang),
            "amount_a": float(o.a.amount),
            "title_b": o.b.title,
            "source_b": side_source(o.b, lang),
            "amount_b": float(o.b.amount),
            "similarity": round(o.similarity * 100, 1),
        }
        for o in pairs
    ]


def overlap_columns(lang: str = "th") -> list[dict]:
    return [
        {"field": "tambon", "headerName": t("col_tambon", lang), "flex": 1.6, "tooltipField": "tambon", **_WRAP},
        {"field": "title_a", "headerName": t("col_title_a", lang), "flex": 3, "tooltipField": "title_a", **_WRAP},
        {"field": "source_a", "headerName": t("col_source_a", lang), "flex": 1.8, "tooltipField": "source_a", **_WRAP},
        {
            "field": "amount_a",
            "headerName": t("col_amount_a", lang),
            "type": "rightAligned",
            "valueFormatter": _NUMBER,
            "flex": 1.2,
        },
        {"field": "title_b", "headerName": t("col_title_b", lang), "flex": 3, "tooltipField": "title_b", **_WRAP},
        {"field": "source_b", "headerName": t("col_source_b", lang), "flex": 1.8, "tooltipField": "source_b", **_WRAP},
        {
            "field": "amount_b",
            "headerName": t("col_amount_b", lang),
            "type": "rightAligned",
            "valueFormatter": _NUMBER,
            "flex": 1.2,
        },
        {
            "field": "similarity",
            "headerName": t("col_similarity", lang),
            "type": "rightAligned",
            "valueFormatter": _PERCENT,
            "flex": 1,
            "minWidth": 110,
        },
    ]


# --------------------------------------------------------------------------- review


def review_table(rows: Sequence[Suggestion], lang: str = "th") -> html.Div:
    """The suggestions with accept/reject buttons (their ids carry the suggestion's natural key;
    the server checks it against the review list before recording anything)."""
    if not rows:
        return html.Div(t("review_none", lang), className="muted")
    head = html.Tr(
        [
            html.Th(t("col_allocation", lang)),
            html.Th(t("col_plan_item", lang)),
            html.Th(t("col_confidence", lang)),
            html.Th(t("col_decision", lang)),
        ]
    )
    body = []
    for r in rows:
        key = {"allocation": r.allocation_key, "item": r.item_key}
        decided = t(f"decision_{r.decision}", lang) if r.decision else t("pending", lang)
        body.append(
            html.Tr(
                className=f"suggestion {r.decision or 'pending'}",
                children=[
                    html.Td(
                        [
                            html.Div(r.allocation_title),
                            html.Div(
                                f"{i18n.million(r.allocation_amount, lang)} · {i18n.pick(r.agency_th, r.agency_en, lang) or '–'} · {r.allocation_key}",
                                className="muted",
                            ),
                        ]
                    ),
                    html.Td(
                        [
                            html.Div(r.item_title),
                            html.Div(
                                f"{i18n.million(r.item_amount, lang)} · {i18n.plan_level(r.item_level, lang)} · {i18n.pick(r.area_th, r.area_en, lang)}"
                                f" ({r.item_area})",
                                className="muted",
                            ),
                        ]
                    ),
                    _num(i18n.percent(r.confidence, lang)),
                    html.Td(
                        className="decide",
                        children=[
                            html.Div(decided, className=f"decision {r.decision or 'pending'}"),
                            html.Button(
                                t("accept", lang),
                                id={"type": ids.REVIEW_DECIDE, "action": "accepted", **key},
                                className="accept",
                                n_clicks=0,
                            ),
                            html.Button(
                                t("reject", lang),
                                id={"type": ids.REVIEW_DECIDE, "action": "rejected", **key},
                                className="reject",
                                n_clicks=0,
                            ),
                        ],
                    ),
                ],
            )
        )
    return html.Table([html.Thead(head), html.Tbody(body)], className="chain-table review-table")
