"""Pure builders of the page's parts other than the map: cards, breadcrumbs, the list of what the
map cannot draw, the ranking and the item grids (data in, Dash components or row dicts out).

Dash renders component text as text, and dash-ag-grid renders cells as text (no HTML renderer is
configured), so names from data cannot inject markup here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from dash import dcc, html

from dashboard import i18n
from dashboard.i18n import REFERENCE_FY2559, t
from dashboard.metrics import metric_value, need_value, reconcile
from dashboard.state import ViewState, to_search
from geodata.queries import Area, AreaRow, Indicators, Options, Page, Summary, Totals

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


def _card(key: str, value: str, *extra, kind: str = "", exact: str | None = None) -> html.Div:
    """A KPI card; ``exact`` (the amount in baht to the satang) is the value's tooltip."""
    shown = html.Div(value, className="value", title=exact) if exact else html.Div(value, className="value")
    return html.Div(
        className=f"card {kind}",
        id=f"card-{key}",
        children=[shown, *(e for e in extra if e is not None)],
    )


def _exact(amount: Decimal | float | None, lang: str) -> str | None:
    """The exact amount of a card or cell in baht (its tooltip): '12,345,678.90 บาท'."""
    return None if amount is None else f"{i18n.baht(amount)} {t('baht_unit', lang)}"


def cards(summary: Summary, state: ViewState) -> list:
    """The KPI cards of the selected area: requested, funded, gap, funded share, items,
    budget allocated here, link coverage, per capita; each with the change from the year before.

    Funded, gap and share count funding linked to plan items (DESIGN §3.6). Where the money is
    not linked (§3.7) those cards say "not linked" (or that no budget is loaded) instead of a
    0 %, and an area-level comparison of the money allocated here with the requests is offered,
    named so that nobody takes it for item-level funding."""
    lang = state.lang
    cur, prev = summary.total, summary.previous
    population = summary.area.population
    coverage = summary.coverage

    def label(key: str) -> html.Div:
        return html.Div(t(key, lang), className="label")

    if coverage.linked:
        funded_cards = [
            _card(
                "funded",
                i18n.million(cur.funded, lang),
                label("card_funded"),
                html.Div(t("linked_share", lang, share=i18n.percent(coverage.allocation_share, lang)), className="sub"),
                _delta(cur.funded, prev.funded if prev.items else None, state),
                kind="good",
                exact=_exact(cur.funded, lang),
            ),
            _card(
                "gap",
                i18n.million(cur.gap, lang),
                label("card_gap"),
                _delta(cur.gap, prev.gap if prev.items else None, state),
                kind="bad",
                exact=_exact(cur.gap, lang),
            ),
            _card(
                "share",
                i18n.percent(cur.share_amount, lang),
                html.Div(f"{t('card_share', lang)} ({t('by_amount', lang)})", className="label"),
                html.Div(f"{i18n.percent(cur.share_count, lang)} {t('by_count', lang)}", className="sub"),
                _delta(cur.share_amount, prev.share_amount, state, points=True),
            ),
        ]
        items_sub = t("funded_items_of", lang, funded=f"{cur.funded_items:,}", items=f"{cur.items:,}")
    else:
        word = t("not_linked" if coverage.state == "not_linked" else "no_supply", lang)
        funded_cards = [
            _card(
                "funded",
                word,
                label("card_funded"),
                html.Div(i18n.unlinked_reason(coverage, lang), className="sub"),
                kind="unlinked",
            ),
            _card("gap", word, label("card_gap"), kind="unlinked"),
            _card("share", word, html.Div(t("card_share", lang), className="label"), kind="unlinked"),
        ]
        if cur.requested and cur.allocated:
            funded_cards.append(
                _card(
                    "area-compare",
                    i18n.percent(float(cur.allocated / cur.requested), lang),
                    label("area_compare"),
                    html.Div(t("area_compare_note", lang), className="sub"),
                    kind="small",
                )
            )
        items_sub = ""
    out = [
        _card(
            "requested",
            i18n.million(cur.requested, lang),
            label("card_requested"),
            _delta(cur.requested, prev.requested if prev.items else None, state),
            exact=_exact(cur.requested, lang),
        ),
        *funded_cards,
        _card(
            "items",
            i18n.count(cur.items, lang),
            label("card_items"),
            html.Div(items_sub, className="sub"),
            _delta(cur.items, prev.items if prev.items else None, state),
            kind="small",
        ),
        _card(
            "allocated",
            t("no_supply", lang) if coverage.state == "no_supply" else i18n.million(cur.allocated, lang),
            label("card_allocated"),
            html.Div(
                t(
                    "multi_year_of",
                    lang,
                    new=i18n.million(cur.allocated - cur.multi_year, lang),
                    multi=i18n.million(cur.multi_year, lang),
                ),
                className="sub",
            )
            if cur.multi_year
            else None,
            html.Div(
                f"{cur.allocations:,} {t('budget_lines', lang)} · {t('in_requests', lang)} "
                f"{i18n.million(summary.in_requests, lang)}",
                className="sub",
            ),
            _delta(cur.allocated, prev.allocated if prev.allocations else None, state),
            kind="small",
            exact=None if coverage.state == "no_supply" else _exact(cur.allocated, lang),
        ),
    ]
    if coverage.allocated:
        out.append(
            _card(
                "coverage",
                i18n.percent(coverage.allocation_share, lang),
                label("coverage"),
                html.Div(i18n.coverage_text(coverage, lang), className="sub"),
                kind="small",
            )
        )
    if population:
        pc = metric_value(cur, "requested_pc", population)
        gap_pc = metric_value(cur, "gap_pc", population, linked=coverage.linked)
        out.append(
            _card(
                "per-capita",
                f"{pc:,.2f} {t('baht_unit', lang)}" if pc is not None else t("no_value", lang),
                html.Div(f"{t('card_requested', lang)} {t('per_capita', lang)}", className="label"),
                html.Div(
                    f"{t('card_gap', lang)}: {gap_pc:,.2f} {t('baht_unit', lang)}" if gap_pc is not None else "",
                    className="sub",
                ),
                html.Div(f"{population:,} {'คน' if lang == 'th' else 'people'}", className="sub"),
                html.Div(t("population_source", lang, years=summary.area.population_year), className="sub"),
                kind="small",
            )
        )
    need = summary.area.need
    if need is not None and need.poor_per_1000 is not None:
        out.append(
            _card(
                "need",
                f"{need.poor_per_1000:,.1f}",
                html.Div(t("m_need_poor", lang), className="label"),
                html.Div(
                    t("card_need_count", lang, poor=f"{need.target_poor:,}", persons=f"{need.persons:,}"),
                    className="sub",
                ),
                html.Div(t("need_source", lang, years=need.survey_year_be), className="sub"),
                kind="small",
            )
        )
    return out


def indicators(ind: Indicators, previous: Indicators, state: ViewState) -> html.Div:
    """The manual's indicators for the area next to the FY2559 national reference figures."""
    lang = state.lang
    ref = REFERENCE_FY2559

    def share(part: float, whole: float, key: str = "") -> str:
        if not whole:
            return ""
        text = i18n.percent(part / whole, lang)
        return t(key, lang, share=text) if key else text

    def shares(part: int, proposed: int, requested: int | None = None) -> str:
        # the share of the proposed projects is the FY2559 chart's; of the requests, the manual's ratio
        bits = [share(part, proposed, "ind_of_proposed")]
        if requested is not None:
            bits.append(share(part, requested, "ind_of_requests"))
        return " · ".join(b for b in bits if b)

    rows = [
        (
            "ind_proposed",
            ind.proposed_items,
            ind.proposed_amount,
            previous.proposed_items,
            ref["proposed_items"],
            ref["proposed_amount"],
            "",
            "",
        ),
        (
            "ind_requests",
            ind.requested_items,
            ind.requested_amount,
            previous.requested_items,
            ref["requested_items"],
            ref["requested_amount"],
            shares(ind.requested_items, ind.proposed_items),
            shares(ref["requested_items"], ref["proposed_items"]),
        ),
        (
            "ind_funded",
            ind.funded_items,
            ind.funded_amount,
            previous.funded_items,
            ref["funded_items"],
            ref["funded_amount"],
            shares(ind.funded_items, ind.proposed_items, ind.requested_items),
            shares(ref["funded_items"], ref["proposed_items"], ref["requested_items"]),
        ),
    ]
    head = html.Tr(
        [
            html.Th(""),
            html.Th(t("this_area", lang) + f" ({i18n.fiscal_year(state.fy or 0, lang)})"),
            html.Th(t("reference", lang)),
        ]
    )
    body = []
    for key, n, amount, n_prev, ref_n, ref_amount, ratio, ref_ratio in rows:
        change = _change(n, n_prev) if n_prev else None
        body.append(
            html.Tr(
                id=f"indicator-{key}",
                title=t(f"def_{key}", lang),
                children=[
                    html.Th(html.Abbr(t(key, lang), title=t(f"def_{key}", lang))),
                    html.Td(
                        [
                            html.Span(f"{n:,} {t('ind_projects', lang)}", className="n"),
                            html.Span(
                                f" · {i18n.million(amount, lang)}", title=f"{i18n.baht(amount)} {t('baht_unit', lang)}"
                            ),
                            html.Span(f" · {ratio}" if ratio else ""),
                            html.Span(
                                f" ({i18n.signed_percent(change, lang)})" if change is not None else "",
                                className="muted",
                            ),
                        ]
                    ),
                    html.Td(
                        [
                            html.Span(f"{ref_n:,}"),
                            html.Span(
                                f" · {i18n.million(ref_amount, lang)}",
                                title=f"{i18n.baht(ref_amount)} {t('baht_unit', lang)}",
                            ),
                            html.Span(f" · {ref_ratio}" if ref_ratio else ""),
                        ],
                        className="muted",
                    ),
                ],
            )
        )
    return html.Div(
        className="indicators",
        children=[html.H3(t("indicators", lang)), html.Table([html.Thead(head), html.Tbody(body)])],
    )


def breadcrumbs(chain: Sequence[Area], state: ViewState, may_open: Callable[[str], bool] = lambda _: True) -> list:
    """Links up the hierarchy (each keeps every other setting of the view); an area the reader
    may not open (a province reader's cluster) is named but not a link."""
    out: list = []
    for n, area in enumerate(chain):
        name = t("thailand", state.lang) if area.code == "TH" else i18n.name(area, state.lang)
        if n:
            out.append(html.Span("›", className="sep"))
        if n == len(chain) - 1 or not (area.code == "TH" or may_open(area.code)):
            out.append(html.Span(name, className="crumb current", id=f"crumb-{area.code}"))
        else:
            out.append(
                dcc.Link(
                    name, href=to_search(state.with_area(area.code)) or "?", className="crumb", id=f"crumb-{area.code}"
                )
            )
    return out


def _line(label: str, totals: Totals, lang: str, cls: str = "", linked: bool = True) -> html.Tr:
    cells = [
        html.Td(label),
        html.Td(f"{totals.items:,}", className="num"),
        html.Td(i18n.million(totals.requested, lang), className="num"),
    ]
    if linked:
        cells.append(html.Td(i18n.million(totals.funded, lang), className="num"))
    cells += [
        html.Td(f"{totals.allocations:,}", className="num"),
        html.Td(i18n.million(totals.allocated, lang), className="num"),
    ]
    return html.Tr(className=cls, children=cells)


def side_list(rows: Sequence[AreaRow], summary: Summary, state: ViewState) -> html.Div:
    """What the map cannot draw, with totals, so nothing is lost and map + list = the cards'
    total for requests and allocations (DESIGN §3.2, §3.8)."""
    lang = state.lang
    area = summary.area
    parts = reconcile(rows, summary.total, summary.own)
    linked = summary.coverage.linked
    undrawn = [r for r in rows if not r.drawable and r.current.has_data]
    level = i18n.area_level(state.level, lang)
    if area.level == "country":
        own_label, wider_label = t("unlocated", lang), t("cluster_level", lang)
    else:
        own_label = t("own_items", lang, level=i18n.area_level(area.level, lang))
        wider_label = t("wider_items", lang, level=level)
    lines = [_line(t("on_map", lang), parts["on_map"], lang, linked=linked)]
    if parts["own"].has_data:
        lines.append(_line(own_label, parts["own"], lang, "own", linked))
    if parts["wider"].has_data:
        lines.append(_line(wider_label, parts["wider"], lang, "wider", linked))
    if undrawn:
        lines.append(_line(t("not_drawn", lang, level=level), parts["undrawn"], lang, "undrawn", linked))
    lines.append(_line(t("area_total", lang), parts["total"], lang, "total", linked))
    head = html.Tr(
        [
            html.Th(""),
            html.Th(t("col_items", lang)),
            html.Th(t("m_requested", lang)),
            *([html.Th(t("m_funded", lang))] if linked else []),
            html.Th(t("col_allocations", lang)),
            html.Th(t("m_allocated", lang)),
        ]
    )
    children = [html.H3(t("wider", lang)), html.Table([html.Thead(head), html.Tbody(lines)], className="reconcile")]
    if undrawn:
        links = [
            html.Li(
                dcc.Link(
                    f"{i18n.name(r, lang)} ({r.current.items:,} · {i18n.million(r.current.requested, lang)})",
                    href=to_search(state.with_area(r.code)) or "?",
                )
            )
            for r in undrawn[:40]
        ]
        more = [html.Li(f"… +{len(undrawn) - 40:,}")] if len(undrawn) > 40 else []
        children += [
            html.H4(t("villages_listed", lang) if state.level == "village" else t("not_drawn", lang, level=level)),
            html.Ul(links + more, className="undrawn-list"),
        ]
    # The map's areas as a list of links: what a click on the map does, by keyboard (Tab to the
    # list, Enter to open it, Tab to an area, Enter drills down) and for screen readers.
    drawn = [r for r in rows if r.drawable]
    if drawn:
        limit = 300  # a national tambon map: the first ones, and the place search for the rest
        words = {
            "th": ("รายชื่อ{level}บนแผนที่ ({n:,})", "{name} ({level}) เปิดดูรายละเอียด", "ใช้ช่องค้นหาพื้นที่ด้านบน"),
            "en": ("The map's areas: {level} ({n:,})", "{name} ({level}): open it", "use the place search above"),
        }["en" if lang == "en" else "th"]
        items = [
            html.Li(
                dcc.Link(
                    [i18n.name(r, lang), html.Span(f" {i18n.million(r.current.requested, lang)}", className="muted")]
                    if r.current.has_data
                    else i18n.name(r, lang),
                    href=to_search(state.with_area(r.code)) or "?",
                    className="area-link",
                    # the link's aria-label too (dcc.Link takes none: planmap_access.js copies it)
                    title=words[1].format(name=i18n.name(r, lang), level=level),
                )
            )
            for r in drawn[:limit]
        ]
        if len(drawn) > limit:
            items.append(html.Li(f"… +{len(drawn) - limit:,} · {words[2]}", className="muted"))
        children.append(
            html.Details(
                [
                    html.Summary(words[0].format(level=level, n=len(drawn)), className="area-list-head"),
                    html.Ul(items, className="area-list", id="area-list"),
                ],
                className="area-list-box",
            )
        )
    return html.Div(children, className="side")


def map_notes(summary: Summary | None, options: Options, state: ViewState, national: bool = True) -> list:
    """The lines above the map that say what the data can and cannot support: why funded figures
    are not shown, and where the loaded data is (said when the view is the one the data chose,
    and when this plan level and year hold nothing; the country's counts only to national readers)."""
    lang = state.lang
    out: list = []
    if summary is not None and not summary.coverage.linked:
        offer = "no_supply_offer" if summary.coverage.state == "no_supply" else "not_linked_offer"
        out.append(
            html.Div(
                i18n.unlinked_reason(summary.coverage, lang) + " " + t(offer, lang),
                className="note unlinked",
                id="note-unlinked",
            )
        )
    plan, year = state.plan or "province", state.fy or 0
    has_items = any(level == plan and y == year and n for level, y, n, _ in options.demand)
    if (state.plan, state.fy) == options.default_view(None, None, None)[:2]:
        key = "default_view" if plan == "province" or not has_items else "default_view_other"
        text = t(key, lang, plan=i18n.plan_level(plan, lang), year=i18n.fiscal_year(year, lang))
    elif not has_items:
        text = t("no_items_here", lang, plan=i18n.plan_level(plan, lang), year=i18n.fiscal_year(year, lang))
    else:
        return out
    inventory = " " + data_inventory(options, lang) if national else ""
    out.append(html.Div(text + inventory, className="note inventory", id="note-inventory"))
    return out


def data_inventory(options: Options, lang: str = "th") -> str:
    """'Loaded: FY2563 30,180 items (local development plan) · FY2565 budget 31,605 lines', a year each."""
    years = sorted({y for _, y, n, _ in options.demand if n} | {y for y, n, _, _ in options.supply if n})
    parts = []
    for year in years:
        levels = [(level, n) for level, y, n, _ in options.demand if y == year and n]
        budget = sum(n for y, n, _, _ in options.supply if y == year)
        bits = []
        if levels:
            items = sum(n for _, n in levels)
            which = i18n.plan_level(levels[0][0], lang) if len(levels) == 1 else t("plan_levels_n", lang, n=len(levels))
            bits.append(f"{items:,} {t('ind_projects', lang)} ({which})")
        if budget:
            bits.append(f"{t('budget', lang)} {budget:,} {t('budget_lines', lang)}")
        parts.append(f"{i18n.fiscal_year(year, lang, short=True)}: " + ", ".join(bits))
    return t("loaded", lang) + " " + (" · ".join(parts) if parts else t("no_value", lang))


def ranking_rows(
    rows: Sequence[AreaRow], rank: str, lang: str = "th", limit: int = RANKING_ROWS, linked: bool = True
) -> list[dict]:
    """Children ranked: largest gap, lowest funded share, or largest gap per capita. Where the
    money is not linked to plan items there is no gap or share to rank by: the areas are ranked
    by what they requested, their funded columns left empty (never 0 %)."""
    candidates = [r for r in rows if r.current.items]
    if not linked:
        candidates.sort(key=lambda r: (-r.current.requested, r.code))
        return [
            {
                "rank": n,
                "code": r.code,
                "name": i18n.name(r, lang),
                "gap": None,
                "requested": float(r.current.requested),
                "funded": None,
                "share": None,
                "items": r.current.items,
                "allocated": float(r.current.allocated),
                "per_capita": metric_value(r.current, "requested_pc", r.population),
                "need_poor": need_value(r.need, "need_poor"),
            }
            for n, r in enumerate(candidates[:limit], start=1)
        ]
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
        out.append(
            {
                "rank": n,
                "code": r.code,
                "name": i18n.name(r, lang),
                "gap": float(c.gap),
                "requested": float(c.requested),
                "funded": float(c.funded),
                "share": round((c.share_amount or 0.0) * 100, 2),
                "items": c.items,
                "allocated": float(c.allocated),
                "per_capita": metric_value(c, "gap_pc", r.population),
                "need_poor": need_value(r.need, "need_poor"),
            }
        )
    return out


_NUMBER = {"function": "params.value == null ? '' : d3.format(',.2f')(params.value)"}
# long Thai headers wrap (the unit in brackets must stay readable), never cut with "…"
_WRAP = {"wrapHeaderText": True, "autoHeaderHeight": True}
# amounts arrive in baht (exact, so the Excel/CSV of a grid stays exact); the grid shows ล้านบาท
_MILLION = {"function": "params.value == null ? '' : d3.format(',.2f')(params.value / 1e6)"}


def _amount(field: str, header_key: str, baht_header_key: str, lang: str, **extra) -> dict:
    """An amount column: ล้านบาท with two decimals on screen, the exact baht in its tooltip;
    ``context.export_header`` is the header of the exported (exact baht) column."""
    unit = t("baht_unit", lang)
    return {
        "field": field,
        "headerName": f"{t(header_key, lang)} ({t('million', lang)})",
        "headerTooltip": f"{t(header_key, lang)} ({t('million', lang)})",
        "type": "rightAligned",
        "valueFormatter": _MILLION,
        "tooltipValueGetter": {"function": f"params.value == null ? '' : d3.format(',.2f')(params.value) + ' {unit}'"},
        "filter": "agNumberColumnFilter",
        "context": {"export_header": t(baht_header_key, lang), "unit": "baht"},
        **_WRAP,
        **extra,
    }


_INTEGER = {"function": "params.value == null ? '' : d3.format(',')(params.value)"}
_PERCENT = {"function": "params.value == null ? '' : d3.format(',.1f')(params.value) + '%'"}


def ranking_columns(lang: str = "th", linked: bool = True) -> list[dict]:
    """The ranking's columns; without links no gap or funded share column (DESIGN §3.7)."""
    columns = [
        {"field": "rank", "headerName": t("col_rank", lang), "width": 80, "filter": False},
        {"field": "name", "headerName": t("col_area", lang), "flex": 2, "minWidth": 150},
        _amount("gap", "m_gap", "col_gap", lang, flex=2),
        {
            "field": "share",
            "headerName": t("col_share", lang),
            "type": "rightAligned",
            "valueFormatter": _PERCENT,
            "filter": "agNumberColumnFilter",
            "flex": 1,
        },
        _amount("requested", "m_requested", "col_requested", lang, flex=2),
        {
            "field": "items",
            "headerName": t("col_items", lang),
            "type": "rightAligned",
            "valueFormatter": _INTEGER,
            "filter": "agNumberColumnFilter",
            "flex": 1,
        },
        _amount("allocated", "m_allocated", "col_allocated", lang, flex=2),
        {
            "field": "per_capita",
            "headerName": t("col_pc", lang),
            "type": "rightAligned",
            "valueFormatter": _NUMBER,
            "filter": "agNumberColumnFilter",
            "flex": 1,
        },
        {
            "field": "need_poor",
            "headerName": t("col_need_poor", lang),
            "headerTooltip": t("m_need_poor", lang),
            "type": "rightAligned",
            "valueFormatter": _NUMBER,
            "filter": "agNumberColumnFilter",
            "flex": 1,
        },
        {"field": "code", "headerName": t("col_code", lang), "width": 100},
    ]
    columns = [{**_WRAP, **c} for c in columns]
    return columns if linked else [c for c in columns if c["field"] not in ("gap", "share")]


def item_rows(page: Page, lang: str = "th", linked: bool = True, *, with_shared: bool = False) -> list[dict]:
    """Plan items for the grid; where the money is not linked to plan items an item is "not
    linked", never "not funded" (DESIGN §3.7). ``with_shared``: after them, the items that name
    this area among others and are counted once at a wider area, said so (they are not in this
    area's totals, so exports that must add up to the cards leave them out)."""
    rows = [_item_row(r, lang, linked) for r in page.rows]
    if with_shared:
        for r in page.shared:
            row = _item_row(r, lang, linked)
            names = r["shared_en"] if lang == "en" else r["shared_th"]
            row["status"] = t("shared_item", lang, area=row["area"], names=", ".join(names or ()))
            row["shared"] = True
            rows.append(row)
    return rows


def _item_row(r: dict, lang: str, linked: bool) -> dict:
    precision = r["location_precision"]
    return {
        "id": str(r["id"]),
        "title": r["title"],
        "sector": r["sector"] or t("no_sector", lang),
        "area": (r["area_name_en"] or r["area_name_th"]) if lang == "en" else r["area_name_th"],
        "code": r["area_code"],
        "precision": t("several_provinces", lang)
        if precision == "country"
        else i18n.area_level(precision, lang)
        if precision in i18n.LABELS
        else precision,
        "requested": float(r["requested_amount"]),
        "funded": float(r["funded"]) if linked or r["is_funded"] else None,
        "status": i18n.status("funded" if r["is_funded"] else "unfunded", lang)
        if linked or r["is_funded"]
        else t("not_linked", lang),
    }


def item_columns(lang: str = "th") -> list[dict]:
    return [
        {"field": "title", "headerName": t("col_title", lang), "flex": 4, "minWidth": 260, "tooltipField": "title"},
        _amount("requested", "m_requested", "col_requested", lang, flex=1.5),
        _amount("funded", "m_funded", "col_funded", lang, flex=1.5),
        {"field": "status", "headerName": t("col_status", lang), "flex": 1},
        {"field": "sector", "headerName": t("col_sector", lang), "flex": 1.5},
        {"field": "area", "headerName": t("col_area", lang), "flex": 1.5},
        {"field": "precision", "headerName": t("col_precision", lang), "flex": 1},
        {"field": "code", "headerName": t("col_code", lang), "flex": 1},
    ]


def allocation_rows(page: Page, lang: str = "th") -> list[dict]:
    return [
        {
            "id": str(r["id"]),
            "title": r["title"],
            "sector": r["sector"] or t("no_sector", lang),
            "area": (r["area_name_en"] or r["area_name_th"]) if lang == "en" else r["area_name_th"],
            "code": r["area_code"],
            "amount": float(r["amount"]),
            "status": i18n.status(r["status"], lang),
            "source": i18n.funding_source(r["funding_source"], lang),
            "agency": ((r["agency_en"] or r["agency_th"]) if lang == "en" else r["agency_th"]) or "",
            "notified": i18n.date(r["notified_on"], lang, missing="") if r["notified_on"] else "",
            "linked": i18n.plan_level(r["linked_level"], lang) if r["linked_level"] else "",
        }
        for r in page.rows
    ]


def allocation_columns(lang: str = "th") -> list[dict]:
    return [
        {"field": "title", "headerName": t("col_title", lang), "flex": 4, "minWidth": 260, "tooltipField": "title"},
        _amount("amount", "amount", "col_amount", lang, flex=1.5),
        {"field": "status", "headerName": t("col_status", lang), "flex": 1},
        {"field": "agency", "headerName": t("col_agency", lang), "flex": 2},
        {"field": "source", "headerName": t("col_source", lang), "flex": 1.5},
        {"field": "linked", "headerName": t("col_linked", lang), "flex": 1.5},
        {"field": "area", "headerName": t("col_area", lang), "flex": 1.5},
        {"field": "notified", "headerName": t("col_notified", lang), "flex": 1},
    ]


def showing(page: Page, lang: str = "th") -> str:
    text = t("showing", lang, shown=f"{len(page.rows):,}", total=f"{page.total:,}")
    if page.shared:
        text += " " + t("showing_shared", lang, n=f"{len(page.shared):,}")
    return text


def control_options(
    state: ViewState,
    *,
    fiscal_years: Sequence[int],
    sectors: Sequence[str],
    agencies: Sequence[tuple[int, str, str | None]],
) -> dict[str, list[dict]]:
    """Options of every selector in the state's language (values are the URL's values)."""
    from dashboard.metrics import CLASS_METHODS, METRICS
    from dashboard.state import MAP_LEVELS_FOR, RANKINGS
    from geodata.areas import FUNDING_SOURCES, PLAN_LEVELS

    lang = state.lang
    return {
        "plan": [{"label": i18n.plan_level(p, lang), "value": p} for p in PLAN_LEVELS],
        "metric": [{"label": t(f"m_{m}", lang), "value": m} for m in METRICS],
        "year": [
            {"label": i18n.fiscal_year(y, lang, short=True), "value": y} for y in sorted(fiscal_years, reverse=True)
        ],
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
    ("map", "png", "แผนที่ PNG", "Map PNG"),
    ("map", "pdf", "แผนที่ PDF", "Map PDF"),
    ("map", "svg", "แผนที่ SVG", "Map SVG"),
    ("pack", "pptx", "ชุดนำเสนอ PPTX", "Meeting pack PPTX"),
    ("pack", "pdf", "ชุดนำเสนอ PDF", "Meeting pack PDF"),
    ("ranking", "xlsx", "จัดอันดับ Excel", "Ranking Excel"),
    ("ranking", "csv", "จัดอันดับ CSV", "Ranking CSV"),
    ("items", "xlsx", "รายการโครงการ Excel", "Plan items Excel"),
    ("allocations", "xlsx", "รายการงบประมาณ Excel", "Allocations Excel"),
    ("layer", "gpkg", "ชั้นข้อมูล GeoPackage", "Layer GeoPackage"),
    ("layer", "geojson", "GeoJSON", "GeoJSON"),
)


def export_links(state: ViewState, search: str | None, prefix: str) -> list:
    """Download links of the view on screen: each carries the page's own query string, so the
    file is exactly this view (the server validates it again)."""
    lang = state.lang
    label = "ส่งออก:" if lang == "th" else "Export:"
    base = prefix.rstrip("/")
    links = [
        html.A(
            th if lang == "th" else en,
            href=f"{base}/_planmap/export/{kind}.{fmt}{search or ''}",
            className="export-link",
            target="_blank",
            rel="noopener",
        )
        for kind, fmt, th, en in EXPORT_LINKS
    ]
    return [html.Span(label, className="export-label"), *links]
