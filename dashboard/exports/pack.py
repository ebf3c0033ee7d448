"""The meeting pack for an area and fiscal year, as PPTX or PDF with the same six slides.

The slides are first built as plain content (``Slide``: a title, cards, a table, lines), then
drawn by ``pack_pptx`` (python-pptx) or ``pack_pdf`` (matplotlib, one page per slide), so the
two formats cannot drift apart. One unit rule, as on the page: every amount of a slide is in
ล้านบาท with two decimals (headers say so; a table never mixes units); the cards add the exact
amount in baht underneath, and the Excel/CSV exports carry exact baht to the satang (DESIGN §3.3).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from dashboard import i18n, need_figures
from dashboard.exports.model import PackData
from dashboard.exports.pack_pdf import build_pdf
from dashboard.exports.pack_pptx import build_pptx
from dashboard.exports.slides import Card, Slide, Table, area_name
from dashboard.figures import source_note
from dashboard.i18n import REFERENCE_FY2559, t
from geodata.queries import AreaRow, Indicators, Totals

FORMATS = ("pptx", "pdf")


def render_pack(pack: PackData, fmt: str = "pptx") -> bytes:
    """The pack as PPTX or PDF bytes (16:9, projector-sized fonts, Thai font on every run)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown pack format {fmt!r}; expected one of {FORMATS}")
    content = slides(pack)
    return build_pptx(content, pack) if fmt == "pptx" else build_pdf(content, pack)


# --------------------------------------------------------------------------- content


def slides(pack: PackData) -> list[Slide]:
    """The seven slides: title, map, KPIs, top unfunded areas, need against funding, year on year,
    sources; and, when the caller read it, what is loaded and what it can support (the data
    page's figures)."""
    out = [_title(pack), _map(pack), _kpi(pack), _top(pack), _need(pack), _yoy(pack), _notes(pack)]
    if pack.data_lines:
        out.append(Slide("notes", t("slide_data", pack.meta.lang), lines=tuple(pack.data_lines)))
    return out


def _title(pack: PackData) -> Slide:
    meta, lang = pack.meta, pack.meta.lang
    lines = [
        area_name(pack) + (f" ({pack.area.code})" if pack.area.code != "TH" else ""),
        i18n.fiscal_year(meta.fiscal_year, lang),
        t("pack_subtitle", lang),
        f"{t('data_date', lang)} {i18n.when(meta.data_date, lang)}",
    ]
    if meta.synthetic:
        lines.append(t("synthetic", lang))
    return Slide("title", meta.title, tuple(lines))


def _map(pack: PackData) -> Slide:
    view, lang = pack.map_view, pack.meta.lang
    return Slide("map", t("slide_map", lang, level=i18n.area_level(view.level, lang), metric=view.label()))


def _change(now: Decimal | float | int | None, before: Decimal | float | int | None) -> float | None:
    if now is None or before is None or not before:
        return None
    return float(now) / float(before) - 1


def _vs(now, before, pack: PackData) -> str:
    lang = pack.meta.lang
    change = _change(now, before)
    if change is None:
        return t("no_prev", lang)
    return f"{i18n.signed_percent(change, lang)} {t('vs_prev', lang, year=pack.meta.fiscal_year - 1)}"


def _kpi(pack: PackData) -> Slide:
    """Requested, funded, gap and share; where the money is not linked to plan items, the money
    allocated in the area, the link coverage and "not linked" in place of any funded figure."""
    lang = pack.meta.lang
    cur, prev = pack.summary.total, pack.summary.previous
    coverage = pack.summary.coverage
    if not coverage.linked:
        word = t("not_linked" if coverage.state == "not_linked" else "no_supply", lang)
        requested = Card(
            t("card_requested", lang),
            i18n.million(cur.requested, lang),
            f"{i18n.baht(cur.requested)} {t('baht_unit', lang)} · {_vs(cur.requested, prev.requested, pack)}",
        )
        funded = Card(t("card_funded", lang), word, i18n.unlinked_reason(coverage, lang))
        if coverage.state == "no_supply":
            cards = (
                requested,
                Card(t("card_items", lang), i18n.count(cur.items, lang), ""),
                Card(t("card_allocated", lang), word, ""),
                funded,
            )
        else:
            cards = (
                requested,
                Card(
                    t("card_allocated", lang),
                    i18n.million(cur.allocated, lang),
                    f"{i18n.baht(cur.allocated)} {t('baht_unit', lang)}"
                    + (
                        " · "
                        + t(
                            "multi_year_of",
                            lang,
                            new=i18n.million(cur.allocated - cur.multi_year, lang),
                            multi=i18n.million(cur.multi_year, lang),
                        )
                        if cur.multi_year
                        else ""
                    ),
                ),
                Card(
                    t("coverage", lang),
                    i18n.percent(coverage.allocation_share, lang),
                    i18n.coverage_text(coverage, lang),
                ),
                funded,
            )
        return Slide(
            "kpi",
            t("slide_kpi", lang),
            cards=cards,
            table=indicator_table(pack.summary.indicators, lang),
            lines=(t("note_ratio", lang), t("note_reference", lang)),
        )
    cards = (
        Card(
            t("card_requested", lang),
            i18n.million(cur.requested, lang),
            f"{i18n.baht(cur.requested)} {t('baht_unit', lang)} · {_vs(cur.requested, prev.requested, pack)}",
        ),
        Card(
            t("card_funded", lang),
            i18n.million(cur.funded, lang),
            f"{i18n.baht(cur.funded)} {t('baht_unit', lang)} · {_vs(cur.funded, prev.funded, pack)}",
        ),
        Card(
            t("card_gap", lang),
            i18n.million(cur.gap, lang),
            f"{i18n.baht(cur.gap)} {t('baht_unit', lang)} · {_vs(cur.gap, prev.gap, pack)}",
        ),
        Card(
            t("card_share", lang),
            i18n.percent(cur.share_amount, lang),
            t("funded_items_of", lang, funded=f"{cur.funded_items:,}", items=f"{cur.items:,}"),
        ),
    )
    return Slide(
        "kpi",
        t("slide_kpi", lang),
        cards=cards,
        table=indicator_table(pack.summary.indicators, lang),
        lines=(t("note_ratio", lang), t("note_reference", lang)),
    )


def _m(amount: Decimal | int | float | None) -> str:
    """An amount of a slide's table in ล้านบาท, two decimals, without the unit (in the header)."""
    return "–" if amount is None else f"{Decimal(amount) / Decimal(1_000_000):,.2f}"


def _mh(label: str, lang: str) -> str:
    """A table header of an amount column: the label over its unit (two lines, so headers of
    neighbouring columns never run into each other)."""
    return f"{label}\n({t('million', lang)})"


def indicator_table(ind: Indicators, lang: str) -> Table:
    """The manual's chain: proposed by the province → in agency requests → funded, with the
    FY2559 national reference beside it (DESIGN §1)."""
    ref = REFERENCE_FY2559

    def ratio(part: int, whole: int) -> str:
        return i18n.percent(part / whole, lang) if whole else "–"

    this, reference = t("this_area", lang), t("ref_short", lang)
    header = (
        t("indicators", lang),
        f"{this}\n{t('ind_projects', lang)}",
        f"{this}\n{t('million', lang)}",
        t("col_ratio", lang),
        f"{reference}\n{t('ind_projects', lang)}",
        f"{reference}\n{t('million', lang)}",
        t("col_ratio", lang),
    )
    rows = (
        (
            t("ind_proposed", lang),
            i18n.count(ind.proposed_items),
            _m(ind.proposed_amount),
            "",
            i18n.count(ref["proposed_items"]),
            _m(ref["proposed_amount"]),
            "",
        ),
        (
            t("ind_requests", lang),
            i18n.count(ind.requested_items),
            _m(ind.requested_amount),
            ratio(ind.requested_items, ind.proposed_items),
            i18n.count(ref["requested_items"]),
            _m(ref["requested_amount"]),
            ratio(ref["requested_items"], ref["proposed_items"]),
        ),
        (
            t("ind_funded", lang),
            i18n.count(ind.funded_items),
            _m(ind.funded_amount),
            ratio(ind.funded_items, ind.requested_items),
            i18n.count(ref["funded_items"]),
            _m(ref["funded_amount"]),
            ratio(ref["funded_items"], ref["requested_items"]),
        ),
    )
    return Table(header, rows, ("l", "r", "r", "r", "r", "r", "r"), (2.6, 1.3, 2.4, 1.2, 1.4, 1.9, 1.2))


def top_unfunded(rows: Sequence[AreaRow], n: int) -> list[AreaRow]:
    """The children with the largest unfunded gap (the dashboard's 'gap' ranking order)."""
    candidates = [r for r in rows if r.current.items and r.current.gap > 0]
    candidates.sort(key=lambda r: (-r.current.gap, r.code))
    return candidates[:n]


def _top(pack: PackData) -> Slide:
    lang = pack.meta.lang
    if not pack.summary.coverage.linked:
        return _top_requested(pack)
    top = top_unfunded(pack.rows, pack.top_n)
    header = (
        t("col_rank", lang),
        t("col_area", lang),
        t("col_code", lang),
        _mh(t("m_requested", lang), lang),
        _mh(t("m_funded", lang), lang),
        _mh(t("card_gap", lang), lang),
        t("col_share", lang),
    )
    rows = tuple(
        (
            f"{k}",
            i18n.name(r, lang),
            r.code,
            _m(r.current.requested),
            _m(r.current.funded),
            _m(r.current.gap),
            i18n.percent(r.current.share_amount, lang),
        )
        for k, r in enumerate(top, start=1)
    )
    table = Table(header, rows, ("r", "l", "l", "r", "r", "r", "r"), (0.6, 2.4, 1.0, 2.2, 2.2, 2.2, 2.0))
    lines = () if rows else (t("no_unfunded", lang),)
    return Slide("table", t("slide_top", lang, n=len(rows) or pack.top_n), lines=lines, table=table)


def _top_requested(pack: PackData) -> Slide:
    """Without links there is no unfunded gap to rank by: the areas that requested the most, with
    the money allocated in each (an area-level figure, not item-level funding)."""
    lang = pack.meta.lang
    top = sorted((r for r in pack.rows if r.current.items), key=lambda r: (-r.current.requested, r.code))
    top = top[: pack.top_n]
    header = (
        t("col_rank", lang),
        t("col_area", lang),
        t("col_code", lang),
        _mh(t("m_requested", lang), lang),
        t("col_items", lang),
        _mh(t("m_allocated", lang), lang),
    )
    rows = tuple(
        (
            f"{k}",
            i18n.name(r, lang),
            r.code,
            _m(r.current.requested),
            f"{r.current.items:,}",
            _m(r.current.allocated),
        )
        for k, r in enumerate(top, start=1)
    )
    table = Table(header, rows, ("r", "l", "l", "r", "r", "r"), (0.7, 2.8, 1.1, 2.6, 1.2, 2.6))
    if pack.summary.coverage.state == "no_supply":  # no budget loaded that year: no column of zeros
        table = Table(header[:-1], tuple(row[:-1] for row in rows), table.align[:-1], table.widths[:-1])
    lines = (i18n.unlinked_reason(pack.summary.coverage, lang),)
    return Slide("table", t("slide_top_requested", lang, n=len(rows) or pack.top_n), lines=lines, table=table)


def _need(pack: PackData) -> Slide:
    """The areas of highest need (TPMAP target poor per 1,000 surveyed) with the money allocated
    per inhabitant and their cell of the need page's bivariate map; without a survey, says so."""
    lang = pack.meta.lang
    drawn = [r for r in pack.rows if r.drawable]
    result = need_figures.bivariate(drawn)
    ranked = sorted((r for r in drawn if result.need[r.code] is not None), key=lambda r: (-result.need[r.code], r.code))
    ranked = ranked[: pack.top_n]
    title = t("slide_need", lang, n=len(ranked) or pack.top_n)
    if not ranked:
        return Slide("notes", title, lines=(t("need_none", lang),))
    header = (  # two short lines each, so neighbouring headers never run into each other
        t("col_rank", lang),
        t("col_area", lang),
        t("col_code", lang),
        t("pack_need_head", lang),
        t("pack_poor_head", lang),
        t("pack_pc_head", lang),
        t("col_bv_cell", lang),
    )

    def per_head(code: str) -> str:
        value = result.funding[code]
        return t("no_value", lang) if value is None else f"{value:,.2f}"

    rows = tuple(
        (
            f"{k}",
            i18n.name(r, lang),
            r.code,
            f"{result.need[r.code]:,.1f}",
            f"{r.need.target_poor:,}",
            per_head(r.code),
            need_figures.cell_name(result.cells[r.code], lang),
        )
        for k, r in enumerate(ranked, start=1)
    )
    table = Table(header, rows, ("r", "l", "l", "r", "r", "r", "l"), (0.6, 2.0, 0.9, 1.7, 1.6, 1.8, 3.2))
    lines = [source_note(drawn, "need_poor", lang) + " · " + source_note(drawn, "allocated_pc", lang)]
    if result.no_budget:
        lines.append(t("bv_no_budget", lang))
    return Slide("table", title, lines=tuple(lines), table=table)


def _yoy(pack: PackData) -> Slide:
    lang, fy = pack.meta.lang, pack.meta.fiscal_year
    s = pack.summary
    cur, prev = s.total, s.previous

    def money(label: str, now: Decimal, before: Decimal) -> tuple[str, ...]:
        return (
            label,
            _m(before),
            _m(now),
            f"{Decimal(now - before) / Decimal(1_000_000):+,.2f}",
            i18n.signed_percent(_change(now, before), lang),
        )

    def number(label: str, now: int, before: int) -> tuple[str, ...]:
        return (
            label,
            i18n.count(before),
            i18n.count(now),
            f"{now - before:+,}",
            i18n.signed_percent(_change(now, before), lang),
        )

    def share(a: Totals, b: Totals) -> tuple[str, ...]:
        now, before = a.share_amount, b.share_amount
        points = f"{(now - before) * 100:+,.1f} pp" if now is not None and before is not None else "–"
        return (t("m_share_amount", lang), i18n.percent(before, lang), i18n.percent(now, lang), points, "")

    def unlinked(label: str) -> tuple[str, ...]:
        word = t("not_linked", lang)
        return (label, word, word, "–", "")

    ind, pind = s.indicators, s.previous_indicators
    linked = s.coverage.linked
    rows = (
        money(t("m_requested", lang) + f" ({t('million', lang)})", cur.requested, prev.requested),
        *(
            (
                money(t("m_funded", lang) + f" ({t('million', lang)})", cur.funded, prev.funded),
                money(t("m_gap", lang) + f" ({t('million', lang)})", cur.gap, prev.gap),
                share(cur, prev),
            )
            if linked
            else (unlinked(t("m_funded", lang)), unlinked(t("m_gap", lang)), unlinked(t("m_share_amount", lang)))
        ),
        number(t("m_items", lang), cur.items, prev.items),
        number(t("funded_items", lang), cur.funded_items, prev.funded_items)
        if linked
        else unlinked(t("funded_items", lang)),
        money(t("m_allocated", lang) + f" ({t('million', lang)})", cur.allocated, prev.allocated),
        number(t("ind_proposed", lang), ind.proposed_items, pind.proposed_items),
        number(t("ind_requests", lang), ind.requested_items, pind.requested_items),
        number(t("ind_funded", lang), ind.funded_items, pind.funded_items),
    )
    header = (
        t("col_indicator", lang),
        i18n.fiscal_year(fy - 1, lang),
        i18n.fiscal_year(fy, lang),
        t("col_change", lang),
        t("col_change_pct", lang),
    )
    return Slide(
        "table", t("slide_yoy", lang), table=Table(header, rows, ("l", "r", "r", "r", "r"), (3.6, 2.6, 2.6, 2.4, 1.4))
    )


def _method(pack: PackData) -> str:
    view, lang = pack.map_view, pack.meta.lang
    if view.breaks is not None:
        return t("classes_fixed", lang)
    return t(view.method if view.method in ("quantile", "jenks") else "quantile", lang)


def _notes(pack: PackData) -> Slide:
    meta, lang = pack.meta, pack.meta.lang
    plan = meta.filters.get(t("plan_level", lang))
    lines = [f"{label}: {value}" for label, value in meta.lines()]
    lines += [
        t("note_plan_level", lang, plan=plan or t("plan_level", lang)),
        t("note_area_wide", lang),
        t("note_funded", lang),
        t("note_classes", lang, method=_method(pack)),
        t("note_reference", lang),
    ]
    return Slide("notes", t("slide_notes", lang), lines=tuple(lines))
