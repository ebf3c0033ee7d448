"""Pure builders of the page's parts other than the map: cards, breadcrumbs, the list of what the
map cannot draw, the ranking and the item grids (data in, Dash components or row dicts out).

Dash renders component text as text, and dash-ag-grid renders cells as text (no HTML renderer is
configured), so names from data cannot inject markup here.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from dash import dcc, html

from dashboard import i18n
from dashboard.i18n import REFERENCE_FY2559, t
from dashboard.metrics import metric_value
from dashboard.state import ViewState, to_search
from geodata.queries import Area, AreaRow, Indicators, Page, Summary, Totals

RANKING_ROWS = 100


def _change(now: Decimal | float | None, before: Decimal | float | None) -> float | None:
    if now is None or before is None or not before:
        return None
    return float(now) / float(before) - 1


def _delta(now, before, state: ViewState, *, points: bool = False) -> html.Div:
    lang = state.lang
    year = (state.fy or 0) - 1
    if before is None or (not points and not before):
        return html.Div(t("no_prev", lang), className="delta none")
    if points:
        if now is None:
            return html.Div(t("no_prev", lang), className="delta none")
        text = f"{(now - before) * 100:+,.1f} pp"
        up = now > before
    else:
        change = _change(now, before)
        text = i18n.signed_percent(change, lang)
        up = (change or 0) > 0
    return html.Div(f"{text} {t('vs_prev', lang, year=year)}", className="delta " + ("up" if up else "down"))


def _card(key: str, value: str, *extra, kind: str = "") -> html.Div:
    return html.Div(className=f"card {kind}", id=f"card-{key}", children=[
        html.Div(value, className="value"), *extra])


def cards(summary: Summary, state: ViewState) -> list:
    """The KPI cards of the selected area: requested, funded, gap, funded share, items,
    budget allocated here, per capita; each with the change from the year before."""
    lang = state.lang
    cur, prev = summary.total, summary.previous
    population = summary.area.population

    def label(key: str) -> html.Div:
        return html.Div(t(key, lang), className="label")

    out = [
        _card("requested", i18n.million(cur.requested, lang), label("card_requested"),
              _delta(cur.requested, prev.requested if prev.items else None, state)),
        _card("funded", i18n.million(cur.funded, lang), label("card_funded"),
              _delta(cur.funded, prev.funded if prev.items else None, state), kind="good"),
        _card("gap", i18n.million(cur.gap, lang), label("card_gap"),
              _delta(cur.gap, prev.gap if prev.items else None, state), kind="bad"),
        _card("share", i18n.percent(cur.share_amount, lang),
              html.Div(f"{t('card_share', lang)} ({t('by_amount', lang)})", className="label"),
              html.Div(f"{i18n.percent(cur.share_count, lang)} {t('by_count', lang)}", className="sub"),
              _delta(cur.share_amount, prev.share_amount, state, points=True)),
        _card("items", i18n.count(cur.items, lang), label("card_items"),
              html.Div(t("funded_items_of", lang, funded=f"{cur.funded_items:,}", items=f"{cur.items:,}"),
                       className="sub"),
              _delta(cur.items, prev.items if prev.items else None, state), kind="small"),
        _card("allocated", i18n.million(cur.allocated, lang), label("card_allocated"),
              html.Div(f"{cur.allocations:,} {t('ind_projects', lang)} · {t('in_requests', lang)} "
                       f"{i18n.million(summary.in_requests, lang)}", className="sub"),
              _delta(cur.allocated, prev.allocated if prev.allocations else None, state), kind="small"),
    ]
    if population:
        pc = metric_value(cur, "requested_pc", population)
        gap_pc = metric_value(cur, "gap_pc", population)
        out.append(_card("per-capita", f"{pc:,.2f} {t('baht_unit', lang)}" if pc is not None else t("no_value", lang),
                         html.Div(f"{t('card_requested', lang)} {t('per_capita', lang)}", className="label"),
                         html.Div(f"{t('card_gap', lang)}: {gap_pc:,.2f} {t('baht_unit', lang)}"
                                  if gap_pc is not None else "", className="sub"),
                         html.Div(f"{population:,} {'คน' if lang == 'th' else 'people'}", className="sub"),
                         kind="small"))
    return out


def indicators(ind: Indicators, previous: Indicators, state: ViewState) -> html.Div:
    """The manual's indicators for the area next to the FY2559 national reference figures."""
    lang = state.lang
    ref = REFERENCE_FY2559

    def share(part: float, whole: float) -> str:
        return i18n.percent(part / whole, lang) if whole else "–"

    rows = [
        ("ind_proposed", ind.proposed_items, ind.proposed_amount, previous.proposed_items,
         ref["proposed_items"], ref["proposed_amount"], "", ""),
        ("ind_requests", ind.requested_items, ind.requested_amount, previous.requested_items,
         ref["requested_items"], ref["requested_amount"],
         share(ind.requested_items, ind.proposed_items), share(ref["requested_items"], ref["proposed_items"])),
        ("ind_funded", ind.funded_items, ind.funded_amount, previous.funded_items,
         ref["funded_items"], ref["funded_amount"],
         share(ind.funded_items, ind.requested_items), share(ref["funded_items"], ref["requested_items"])),
    ]
    head = html.Tr([html.Th(""), html.Th(t("this_area", lang) + f" ({i18n.fiscal_year(state.fy or 0, lang)})"),
                    html.Th(t("reference", lang))])
    body = []
    for key, n, amount, n_prev, ref_n, ref_amount, ratio, ref_ratio in rows:
        change = _change(n, n_prev) if n_prev else None
        body.append(html.Tr(id=f"indicator-{key}", children=[
            html.Th(t(key, lang)),
            html.Td([html.Span(f"{n:,} {t('ind_projects', lang)}", className="n"),
                     html.Span(f" · {i18n.million(amount, lang)}"),
                     html.Span(f" · {ratio}" if ratio else ""),
                     html.Span(f" ({i18n.signed_percent(change, lang)})" if change is not None else "",
                               className="muted")]),
            html.Td([html.Span(f"{ref_n:,}"), html.Span(f" · {i18n.million(ref_amount, lang)}"),
                     html.Span(f" · {ref_ratio}" if ref_ratio else "")], className="muted"),
        ]))
    return html.Div(className="indicators", children=[
        html.H3(t("indicators", lang)), html.Table([html.Thead(head), html.Tbody(body)])])


def breadcrumbs(chain: Sequence[Area], state: ViewState) -> list:
    """Links up the hierarchy (each keeps every other setting of the view)."""
    out: list = []
    for n, area in enumerate(chain):
        name = t("thailand", state.lang) if area.code == "TH" else area.name(state.lang)
        if n:
            out.append(html.Span("›", className="sep"))
        if n == len(chain) - 1:
            out.append(html.Span(name, className="crumb current", id=f"crumb-{area.code}"))
        else:
            out.append(dcc.Link(name, href=to_search(state.with_area(area.code)) or "?",
                                className="crumb", id=f"crumb-{area.code}"))
    return out


def _line(label: str, totals: Totals, lang: str, cls: str = "") -> html.Tr:
    return html.Tr(className=cls, children=[
        html.Td(label), html.Td(f"{totals.items:,}", className="num"),
        html.Td(i18n.million(totals.requested, lang), className="num"),
        html.Td(i18n.million(totals.funded, lang), className="num")])


def side_list(rows: Sequence[AreaRow], total: Totals, own: Totals, area: Area, state: ViewState) -> html.Div:
    """What the map cannot draw, with totals, so nothing is lost (DESIGN §3.2):
    items tagged to the whole area ('own'), to areas between it and the drawn level, and the
    areas of the drawn level without geometry (villages without a point)."""
    lang = state.lang
    drawn = [r for r in rows if r.drawable]
    undrawn = [r for r in rows if not r.drawable and r.current.items]
    on_map = sum((r.current for r in drawn), Totals())
    off_map = sum((r.current for r in undrawn), Totals())
    wider = total - own - on_map - off_map
    level = i18n.area_level(state.level, lang)
    area_level = i18n.area_level(area.level, lang) if area.level != "country" else t("thailand", lang)
    lines = [_line(t("on_map", lang), on_map, lang)]
    if own.items:
        lines.append(_line(t("own_items", lang, level=area_level), own, lang, "own"))
    if wider.items:
        lines.append(_line(t("wider_items", lang, level=level), wider, lang, "wider"))
    if undrawn:
        lines.append(_line(t("not_drawn", lang, level=level), off_map, lang, "undrawn"))
    lines.append(_line(t("area_total", lang), total, lang, "total"))
    head = html.Tr([html.Th(""), html.Th(t("col_items", lang)), html.Th(t("m_requested", lang)),
                    html.Th(t("m_funded", lang))])
    children = [html.H3(t("wider", lang)), html.Table([html.Thead(head), html.Tbody(lines)], className="reconcile")]
    if undrawn:
        links = [html.Li(dcc.Link(f"{r.name(lang)} ({r.current.items:,} · {i18n.million(r.current.requested, lang)})",
                                  href=to_search(state.with_area(r.code)) or "?"))
                 for r in undrawn[:40]]
        more = [html.Li(f"… +{len(undrawn) - 40:,}")] if len(undrawn) > 40 else []
        children += [html.H4(t("villages_listed", lang) if state.level == "village" else t("not_drawn", lang, level=level)),
                     html.Ul(links + more, className="undrawn-list")]
    return html.Div(children, className="side")


def ranking_rows(rows: Sequence[AreaRow], rank: str, lang: str = "th", limit: int = RANKING_ROWS) -> list[dict]:
    """Children ranked: largest gap, lowest funded share, or largest gap per capita."""
    candidates = [r for r in rows if r.current.items]
    if rank == "gap":
        candidates = [r for r in candidates if r.current.gap > 0]
        candidates.sort(key=lambda r: (-r.current.gap, r.code))
    elif rank == "share":
        candidates.sort(key=lambda r: (r.current.share_amount or 0.0, -r.current.gap, r.code))
    else:
        candidates = [r for r in candidates if r.population and r.current.gap > 0]
        candidates.sort(key=lambda r: (-(metric_value(r.current, "gap_pc", r.population) or 0), r.code))
    out = []
    for n, r in enumerate(candidates[:limit], start=1):
        c = r.current
        out.append({
            "rank": n, "code": r.code, "name": r.name(lang),
            "gap": float(c.gap), "requested": float(c.requested), "funded": float(c.funded),
            "share": round((c.share_amount or 0.0) * 100, 2), "items": c.items,
            "per_capita": metric_value(c, "gap_pc", r.population),
        })
    return out


_NUMBER = {"function": "params.value == null ? '' : d3.format(',.2f')(params.value)"}
_INTEGER = {"function": "params.value == null ? '' : d3.format(',')(params.value)"}
_PERCENT = {"function": "params.value == null ? '' : d3.format(',.1f')(params.value) + '%'"}


def ranking_columns(lang: str = "th") -> list[dict]:
    return [
        {"field": "rank", "headerName": t("col_rank", lang), "width": 80, "filter": False},
        {"field": "name", "headerName": t("col_area", lang), "flex": 2, "minWidth": 150},
        {"field": "gap", "headerName": t("col_gap", lang), "type": "rightAligned", "valueFormatter": _NUMBER,
         "filter": "agNumberColumnFilter", "flex": 2},
        {"field": "share", "headerName": t("col_share", lang), "type": "rightAligned",
         "valueFormatter": _PERCENT, "filter": "agNumberColumnFilter", "flex": 1},
        {"field": "requested", "headerName": t("col_requested", lang), "type": "rightAligned",
         "valueFormatter": _NUMBER, "filter": "agNumberColumnFilter", "flex": 2},
        {"field": "items", "headerName": t("col_items", lang), "type": "rightAligned",
         "valueFormatter": _INTEGER, "filter": "agNumberColumnFilter", "flex": 1},
        {"field": "per_capita", "headerName": t("col_pc", lang), "type": "rightAligned",
         "valueFormatter": _NUMBER, "filter": "agNumberColumnFilter", "flex": 1},
        {"field": "code", "headerName": t("col_code", lang), "width": 100},
    ]


def item_rows(page: Page, lang: str = "th") -> list[dict]:
    return [{
        "id": str(r["id"]), "title": r["title"], "sector": r["sector"] or t("no_sector", lang),
        "area": (r["area_name_en"] or r["area_name_th"]) if lang == "en" else r["area_name_th"],
        "code": r["area_code"], "precision": i18n.area_level(r["location_precision"], lang)
        if r["location_precision"] in i18n.LABELS else r["location_precision"],
        "requested": float(r["requested_amount"]), "funded": float(r["funded"]),
        "status": i18n.status("funded" if r["is_funded"] else "unfunded", lang),
    } for r in page.rows]


def item_columns(lang: str = "th") -> list[dict]:
    return [
        {"field": "title", "headerName": t("col_title", lang), "flex": 4, "minWidth": 260, "tooltipField": "title"},
        {"field": "requested", "headerName": t("col_requested", lang), "type": "rightAligned",
         "valueFormatter": _NUMBER, "filter": "agNumberColumnFilter", "flex": 1.5},
        {"field": "funded", "headerName": t("col_funded", lang), "type": "rightAligned",
         "valueFormatter": _NUMBER, "filter": "agNumberColumnFilter", "flex": 1.5},
        {"field": "status", "headerName": t("col_status", lang), "flex": 1},
        {"field": "sector", "headerName": t("col_sector", lang), "flex": 1.5},
        {"field": "area", "headerName": t("col_area", lang), "flex": 1.5},
        {"field": "precision", "headerName": t("col_precision", lang), "flex": 1},
        {"field": "code", "headerName": t("col_code", lang), "flex": 1},
    ]


def allocation_rows(page: Page, lang: str = "th") -> list[dict]:
    return [{
        "id": str(r["id"]), "title": r["title"], "sector": r["sector"] or t("no_sector", lang),
        "area": (r["area_name_en"] or r["area_name_th"]) if lang == "en" else r["area_name_th"],
        "code": r["area_code"], "amount": float(r["amount"]),
        "status": i18n.status(r["status"], lang), "source": i18n.funding_source(r["funding_source"], lang),
        "agency": ((r["agency_en"] or r["agency_th"]) if lang == "en" else r["agency_th"]) or "",
        "notified": r["notified_on"].isoformat() if r["notified_on"] else "",
        "linked": i18n.plan_level(r["linked_level"], lang) if r["linked_level"] else "",
    } for r in page.rows]


def allocation_columns(lang: str = "th") -> list[dict]:
    return [
        {"field": "title", "headerName": t("col_title", lang), "flex": 4, "minWidth": 260, "tooltipField": "title"},
        {"field": "amount", "headerName": t("col_amount", lang), "type": "rightAligned",
         "valueFormatter": _NUMBER, "filter": "agNumberColumnFilter", "flex": 1.5},
        {"field": "status", "headerName": t("col_status", lang), "flex": 1},
        {"field": "agency", "headerName": t("col_agency", lang), "flex": 2},
        {"field": "source", "headerName": t("col_source", lang), "flex": 1.5},
        {"field": "linked", "headerName": t("col_linked", lang), "flex": 1.5},
        {"field": "area", "headerName": t("col_area", lang), "flex": 1.5},
        {"field": "notified", "headerName": t("col_notified", lang), "flex": 1},
    ]


def showing(page: Page, lang: str = "th") -> str:
    return t("showing", lang, shown=f"{len(page.rows):,}", total=f"{page.total:,}")


def control_options(state: ViewState, *, fiscal_years: Sequence[int], sectors: Sequence[str],
                    agencies: Sequence[tuple[int, str, str | None]]) -> dict[str, list[dict]]:
    """Options of every selector in the state's language (values are the URL's values)."""
    from dashboard.metrics import CLASS_METHODS, METRICS
    from dashboard.state import MAP_LEVELS_FOR, RANKINGS
    from geodata.queries import FUNDING_SOURCES, PLAN_LEVELS
    lang = state.lang
    return {
        "plan": [{"label": i18n.plan_level(p, lang), "value": p} for p in PLAN_LEVELS],
        "metric": [{"label": t(f"m_{m}", lang), "value": m} for m in METRICS],
        "year": [{"label": i18n.fiscal_year(y, lang, short=True), "value": y}
                 for y in sorted(fiscal_years, reverse=True)],
        "classes": [{"label": t(c, lang), "value": c} for c in CLASS_METHODS],
        "sector": [{"label": s, "value": s} for s in sectors],
        "agency": [{"label": (en or th) if lang == "en" else th, "value": i} for i, th, en in agencies],
        "source": [{"label": i18n.funding_source(s, lang), "value": s} for s in FUNDING_SOURCES],
        "level": [{"label": i18n.area_level(lv, lang), "value": lv} for lv in MAP_LEVELS_FOR[state.area_level]],
        "rank": [{"label": t(f"rank_{r}", lang), "value": r} for r in RANKINGS],
        "compare": [{"label": t("compare", lang), "value": "1"}],
        "tiles": [{"label": t("tiles", lang), "value": "1"}],
    }


def map_parent(state: ViewState) -> str:
    """The area whose children the map draws (a village's map shows its tambon's villages)."""
    return state.area[:6] if state.area_level == "village" else state.area


def geometry_path(level: str, state: ViewState) -> tuple[str, str] | None:
    """(level, within) of the geometry file a view draws: national files for the country and
    for clusters, one file per province otherwise (shared by all its districts' views)."""
    if level == "village":
        return ("tambon", state.area[:2])
    if state.area_level in ("country", "cluster"):
        return (level, "TH")
    return (level, state.area[:2])



EXPORT_LINKS = (  # (kind, format, Thai label, English label)
    ("map", "png", "แผนที่ PNG", "Map PNG"), ("map", "pdf", "แผนที่ PDF", "Map PDF"),
    ("map", "svg", "แผนที่ SVG", "Map SVG"),
    ("pack", "pptx", "ชุดนำเสนอ PPTX", "Meeting pack PPTX"), ("pack", "pdf", "ชุดนำเสนอ PDF", "Meeting pack PDF"),
    ("ranking", "xlsx", "จัดอันดับ Excel", "Ranking Excel"), ("ranking", "csv", "จัดอันดับ CSV", "Ranking CSV"),
    ("items", "xlsx", "รายการโครงการ Excel", "Plan items Excel"),
    ("allocations", "xlsx", "รายการงบประมาณ Excel", "Allocations Excel"),
    ("layer", "gpkg", "ชั้นข้อมูล GeoPackage", "Layer GeoPackage"), ("layer", "geojson", "GeoJSON", "GeoJSON"),
)


def export_links(state: ViewState, search: str | None, prefix: str) -> list:
    """Download links of the view on screen: each carries the page's own query string, so the
    file is exactly this view (the server validates it again)."""
    lang = state.lang
    label = "ส่งออก:" if lang == "th" else "Export:"
    base = prefix.rstrip("/")
    links = [html.A(th if lang == "th" else en, href=f"{base}/_planmap/export/{kind}.{fmt}{search or ''}",
                    className="export-link", target="_blank", rel="noopener")
             for kind, fmt, th, en in EXPORT_LINKS]
    return [html.Span(label, className="export-label"), *links]
