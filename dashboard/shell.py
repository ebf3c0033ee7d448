"""What surrounds every page: the header, the controls, the breadcrumbs, the tabs of the pages,
the database poll; and the callbacks that keep the URL and the controls in step.

The view lives in the URL (``dashboard.state``). ``navigate`` turns whatever the user changed (a
control, a map click, a ranking or grid click, a tab) into a new URL and sets the controls to
mirror it; every value the browser posts is checked against a known list or pattern first.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import dash
from dash import Input, Output, State, dcc, html

from dashboard import access, auth, i18n, ids, posted, views
from dashboard import search as place_search
from dashboard.context import Context, version_of
from dashboard.controls import LABEL_KEYS, labelled
from dashboard.i18n import t
from dashboard.metrics import CLASS_METHODS, METRICS
from dashboard.request import DB_ERRORS, NotAllowed
from dashboard.state import LANGS, MAP_LEVELS_FOR, RANKINGS, VIEWS, ViewState, asked_other, parse, to_search
from dashboard.state import ignored as unused_in_link
from geodata import queries
from geodata.areas import COUNTRY, FUNDING_SOURCES, ID_MAX, PLAN_LEVELS, is_id

POLL_MS = 8000  # the pool's timeout (2 s, geodata.db.open_pool) stays well below this
LABELLED = tuple(LABEL_KEYS)
# the controls: their id, and the state field each one mirrors
CONTROLS = {
    "plan": ids.PLAN_LEVEL,
    "metric": ids.METRIC,
    "fy": ids.YEAR,
    "compare": ids.COMPARE,
    "classes": ids.CLASSES,
    "sector": ids.SECTOR,
    "agency": ids.AGENCY,
    "source": ids.SOURCE,
    "level": ids.LEVEL,
    "tiles": ids.TILES,
    "lang": ids.LANG,
    "rank": ids.RANK_BY,
}
CLICKS = {
    "click": Input(ids.MAP, "clickData"),
    "cell": Input(ids.RANKING, "cellClicked"),
    "view": Input(ids.VIEW, "value"),
    "picked": Input(ids.TRACE_RESULTS, "cellClicked"),
    "item_cell": Input(ids.ITEMS, "cellClicked"),
    "compliance_click": Input(ids.COMPLIANCE_MAP, "clickData"),
    "place": Input(ids.PLACE, "value"),
    "compare_pick": Input(ids.COMPARE_PICK, "value"),
}
NAV_OUT = {
    "search": Output(ids.URL, "search"),
    **{k: Output(c, "value") for k, c in CONTROLS.items()},
    "click": Output(ids.MAP, "clickData"),
    "view": Output(ids.VIEW, "value"),
    "page_class": Output(ids.PAGE, "className"),
    "compliance_click": Output(ids.COMPLIANCE_MAP, "clickData"),
    "notice": Output(ids.NOTICE, "children"),
    "place": Output(ids.PLACE, "value"),
    "compare_pick": Output(ids.COMPARE_PICK, "value"),
}


def layout(pages, principal: auth.Principal = auth.NOBODY, prefix: str = "/") -> html.Div:  # noqa: ANN001
    """The page shell with the tabs the principal may use (``pages``: the page modules)."""
    dd = {"clearable": False, "searchable": False}
    allowed = {page.NAME for page in pages if access.page_allowed(principal, page.NAME)}
    return html.Div(
        id=ids.PAGE,
        className="page view-map",
        children=[
            dcc.Location(id=ids.URL, refresh=False),
            html.Header(
                className="header",
                children=[
                    html.H1(t("app_title"), id=ids.TITLE),
                    dcc.Dropdown(
                        id=ids.PLACE,
                        options=[],
                        placeholder=t("place_search"),
                        clearable=False,
                        search_order="original",
                        maxHeight=360,
                        labels={"search": t("place_type"), "no_options_found": t("place_none")},
                        className="place-search",
                    ),
                    html.Div(account_bar(principal, prefix), className="account"),
                    dcc.RadioItems(
                        id=ids.LANG,
                        options=[{"label": "ไทย", "value": "th"}, {"label": "English", "value": "en"}],
                        value="th",
                        inline=True,
                        className="lang",
                    ),
                ],
            ),
            html.Div(id=ids.BANNER, className="banner"),
            html.Div(id=ids.NOTICE, className="notice", role="alert"),
            html.Div(
                className="controls",
                children=[
                    labelled(ids.PLAN_LEVEL, dcc.Dropdown(id=ids.PLAN_LEVEL, value="province", **dd), "wide map-only"),
                    labelled(ids.METRIC, dcc.Dropdown(id=ids.METRIC, value="gap", **dd), "wide map-only"),
                    labelled(ids.YEAR, dcc.Dropdown(id=ids.YEAR, **dd)),
                    labelled(ids.SECTOR, dcc.Dropdown(id=ids.SECTOR, clearable=True, placeholder="—"), "wide map-only"),
                    labelled(ids.AGENCY, dcc.Dropdown(id=ids.AGENCY, clearable=True, placeholder="—"), "wide map-only"),
                    labelled(
                        ids.SOURCE,
                        dcc.Dropdown(id=ids.SOURCE, clearable=True, placeholder="—", searchable=False),
                        "map-only",
                    ),
                ],
            ),
            html.Div(
                className="controls secondary map-only",
                children=[
                    labelled(ids.LEVEL, dcc.RadioItems(id=ids.LEVEL, value="province", inline=True)),
                    labelled(ids.CLASSES, dcc.RadioItems(id=ids.CLASSES, value="quantile", inline=True)),
                    dcc.Checklist(id=ids.COMPARE, value=[], inline=True, className="toggle"),
                    dcc.Checklist(id=ids.TILES, value=[], inline=True, className="toggle"),
                ],
            ),
            html.Nav(id=ids.CRUMBS, className="crumbs", **{"aria-label": "breadcrumbs"}),
            html.Div(id=ids.STATUS, className="status", role="status"),
            dcc.Tabs(
                id=ids.VIEW,
                value="map",
                className="view-tabs",
                parent_className="view-tabs-parent",
                content_className="view-content",
                children=[
                    # a page the principal may not use keeps its (hidden, empty) tab: the controls
                    # callback names every tab, but none of the page's own components is sent
                    dcc.Tab(
                        label=t(f"view_{page.NAME}"),
                        value=page.NAME,
                        id=f"{ids.VIEW_TAB}-{page.NAME}",
                        className="view-tab" if page.NAME in allowed else "view-tab hidden",
                        selected_className="view-tab selected",
                        disabled=page.NAME not in allowed,
                        children=page.layout() if page.NAME in allowed else [],
                    )
                    for page in pages
                ],
            ),
            dcc.Interval(id=ids.RETRY, interval=POLL_MS),
            dcc.Store(id=ids.DB_OK, data={"ok": True, "version": 0}),
        ],
    )


def export_links(ctx: Context, search: object, prefix: str) -> list:
    """Download links built from the validated view only, never from the posted text (a 200 MB
    search string once came back in every link)."""
    try:
        with ctx.pool.connection() as conn:
            view = ctx.resolver.resolve(conn, parse(search), ctx.scope())
    except (*DB_ERRORS, NotAllowed):
        return []  # no links while the database is down or nothing may be read
    return views.export_links(view.state, view.search, prefix)


def account_bar(principal: auth.Principal, prefix: str = "/") -> list:
    """Who is signed in, with the sign-out form (its CSRF token as a field); or, for the
    anonymous reader, that reading is open and where to sign in."""
    base = prefix.rstrip("/")
    if not principal.signed_in:
        if not principal.scope.any():
            return []
        return [
            html.Span(t("anonymous_reading"), className="who"),
            html.A(t("sign_in"), href=f"{base}{auth.LOGIN_ROUTE}", className="sign-in"),
        ]
    user = principal.user
    return [
        html.Span(user.display_name or user.username, className="who", title=user.username),
        html.Form(
            action=f"{base}{auth.LOGOUT_ROUTE}",
            method="POST",
            className="sign-out",
            children=[
                dcc.Input(type="hidden", name="csrf", value=principal.csrf or ""),
                html.Button(t("sign_out"), type="submit"),
            ],
        ),
    ]


def page_class(state: ViewState) -> str:
    return f"page view-{state.view}"


# --------------------------------------------------------------------------- posted values


def clicked_code(click: object) -> str | None:
    """The area code of a map click (choropleth: location; village points: customdata)."""
    point = posted.mapping(posted.element(posted.mapping(click).get("points"), 0))
    for candidate in (point.get("location"), posted.element(point.get("customdata"), 1)):
        if code := posted.area_code(candidate):
            return code
    return None


def cell_code(cell: object) -> str | None:
    return posted.area_code(posted.mapping(cell).get("rowId"))


def cell_item(cell: object) -> int | None:
    """The plan item id of a clicked grid row (row ids are the items' ids as text)."""
    value = posted.mapping(cell).get("rowId")
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 19 and is_id(int(value)):
        return int(value)
    return None


_CHOICES = {"plan": PLAN_LEVELS, "metric": METRICS, "classes": CLASS_METHODS, "lang": LANGS, "rank": RANKINGS}


def control_change(key: str, value: object, state: ViewState) -> dict[str, Any] | None:
    """The state field a control (``CONTROLS[key]``) sets from its posted value; None when the
    value does not fit. The optional filters are cleared by None."""
    if key in _CHOICES:
        picked = posted.choice(value, _CHOICES[key])
    elif key == "level":
        picked = posted.choice(value, MAP_LEVELS_FOR[state.area_level])
    elif key in ("compare", "tiles"):
        picked = posted.ticked(value)
    elif key == "fy":
        picked = posted.integer(value, 2400, 2799)
    elif key in ("sector", "agency", "source") and (value is None or value == ""):
        return {key: None}
    elif key == "sector":
        picked = value if isinstance(value, str) and value and len(value) <= 120 and value.isprintable() else None
    elif key == "agency":
        picked = posted.integer(value, 0, ID_MAX)
    elif key == "source":
        picked = posted.choice(value, FUNDING_SOURCES)
    else:
        return None
    return None if picked is None else {key: picked}


def _changed(state: ViewState, trigger: Any, v: dict[str, Any]) -> ViewState:
    """The state after the user changed ``trigger``; a value that does not fit is ignored."""
    if trigger == ids.MAP and (code := clicked_code(v.get("click"))):
        return state.with_area(code)
    if trigger == ids.COMPLIANCE_MAP and (code := clicked_code(v.get("compliance_click"))):
        return state.with_area(code)
    if trigger == ids.VIEW and (view := posted.choice(v.get("view"), VIEWS)):
        return replace(state, view=view)
    if trigger == ids.TRACE_RESULTS and (item := cell_item(v.get("picked"))):
        return replace(state, view="trace", item=item)
    item_cell = posted.mapping(v.get("item_cell"))
    if trigger == ids.ITEMS and item_cell.get("colId") == ids.TRACE_TRACE and (item := cell_item(item_cell)):
        return replace(state, view="trace", item=item)
    if trigger == ids.RANKING and (code := cell_code(v.get("cell"))):
        return state.with_area(code)
    if trigger == ids.PLACE and (code := posted.area_code(v.get("place"))):
        return state.with_area(code)
    if trigger == ids.COMPARE_PICK and (code := posted.area_code(v.get("compare_pick"))):
        return replace(state, other=code, view="compare")
    key = next((k for k, control in CONTROLS.items() if control == trigger), None)
    change = control_change(key, v.get(key), state) if key else None
    return replace(state, **change) if change else state


# --------------------------------------------------------------------------- callbacks


def navigate(ctx: Context, trigger: Any, search: object, **values: Any) -> dict[str, Any]:
    """A new URL from whatever changed; control values that mirror it."""
    state = _changed(parse(search), trigger, values)
    if not access.page_allowed(ctx.principal(), state.view):
        state = replace(state, view="map")
    defaults, refused, ignored = None, False, None
    unused: list[str] = []  # what of an opened link could not be used (said in the notice)
    try:
        with ctx.pool.connection() as conn:
            view = ctx.resolver.resolve(conn, state, ctx.scope())
            state, defaults, refused = view.state, view.options.default_view(None, view.state.fy, None), view.refused
            ignored = view.other_ignored
            if view.country_frame:  # the link stays on the country; each render narrows it again
                state = state.with_area(COUNTRY)
            if trigger in (ids.URL, None):
                unused = unused_in_link(search, state, ("area",) if refused else ())
    except (*DB_ERRORS, NotAllowed):
        pass  # keep what parsed; the page says the database is down
    new_search = to_search(state, defaults)
    # A refused link is rewritten to the reader's own area; the controls then echo the values
    # they were given (a dropdown re-posts its value when its options arrive), which changes
    # nothing. Such a call keeps the notice (it would otherwise vanish at once); a real change
    # of the view clears it.
    notice = dash.no_update if new_search == (search or "") else None
    asked = asked_other(search)
    if asked and not posted.area_code(asked):
        ignored = asked  # not an area code at all
    if ignored:
        notice = html.Div(t("cmp_ignored", state.lang, code=ignored), className="alert")
    if unused:
        notice = html.Div(t("link_ignored", state.lang, what=", ".join(unused)), className="alert", id="link-ignored")
    mirrored = {
        "plan": state.plan,
        "metric": state.metric,
        "fy": state.fy,
        "compare": ["1"] if state.compare else [],
        "classes": state.classes,
        "sector": state.sector,
        "agency": state.agency,
        "source": state.source,
        "level": state.level,
        "tiles": ["1"] if state.tiles else [],
        "lang": state.lang,
        "rank": state.rank,
    }
    return {
        "search": new_search if new_search != (search or "") else dash.no_update,
        **mirrored,
        "click": None,
        "view": state.view,
        "page_class": page_class(state),
        "compliance_click": None,
        "notice": html.Div(t("out_of_scope", state.lang), className="alert") if refused else notice,
        "place": None,
        "compare_pick": None,
    }


def status_bar(ctx: Context, search: object, db: object) -> dict[str, Any]:
    """Polls the database: says plainly when it is down, and recovers when it is back."""
    lang = parse(search).lang
    db = posted.mapping(db)
    try:
        with ctx.pool.connection() as conn:
            status = queries.dashboard_status(conn)
    except DB_ERRORS:
        down = html.Div([t("db_down", lang), " ", t("db_stale", lang)], className="alert")
        return {
            "banner": down,
            "db": {"ok": False, "version": version_of(db)} if db.get("ok", True) else dash.no_update,
            "content": "view-content stale",  # the figures on the page could not be refreshed
        }
    notes = []
    if status.synthetic:
        notes.append(html.Div(t("synthetic", lang), className="synthetic"))
    if status.schematic:
        notes.append(html.Div(t("schematic", lang), className="schematic"))
    else:
        source = f"{t('boundaries', lang)}: {status.boundary_version}" if status.boundary_version else ""
        date = f"{t('data_date', lang)} {i18n.date(status.data_date, lang)}" if status.data_date else ""
        notes.append(html.Div(" · ".join(x for x in (source, date) if x), className="source"))
    fresh = {"ok": True, "version": status.data_version}
    return {"banner": notes, "db": fresh if fresh != db else dash.no_update, "content": "view-content"}


CONTROLS_OUT = {
    "title": Output(ids.TITLE, "children"),
    **{
        f"{k}_options": Output(CONTROLS[k], "options")
        for k in ("plan", "metric", "fy", "compare", "classes", "sector", "agency", "source", "level", "tiles", "rank")
    },
    "search_placeholder": Output(ids.SEARCH, "placeholder"),
    "tab_items": Output(ids.TAB_ITEMS, "label"),
    "tab_allocations": Output(ids.TAB_ALLOCATIONS, "label"),
    "map_hint": Output(ids.MAP_HINT, "children"),
    "place_placeholder": Output(ids.PLACE, "placeholder"),
    "place_labels": Output(ids.PLACE, "labels"),
    **{f"label_{c}": Output(f"{ids.LABEL}-{c}", "children") for c in LABELLED},
    **{f"tab_{v}": Output(f"{ids.VIEW_TAB}-{v}", "label") for v in VIEWS},
}
_OPTION_KEYS = {
    "plan": "plan",
    "metric": "metric",
    "fy": "year",
    "compare": "compare",
    "classes": "classes",
    "sector": "sector",
    "agency": "agency",
    "source": "source",
    "level": "level",
    "tiles": "tiles",
    "rank": "rank",
}


def controls(ctx: Context, search: object, db: object) -> dict[str, Any]:
    """Selector options and labels in the state's language."""
    state = parse(search)
    lang = state.lang
    try:
        with ctx.pool.connection() as conn:
            view = ctx.resolver.resolve(conn, state, ctx.scope())
        state, opts = view.state, view.options
        years, sectors, agencies = opts.fiscal_years, opts.sectors, opts.agencies
    except DB_ERRORS:
        years, sectors, agencies = ((state.fy,) if state.fy else ()), (), ()
    o = views.control_options(state, fiscal_years=years, sectors=sectors, agencies=agencies)
    return {
        "title": t("app_title", lang),
        **{f"{k}_options": o[name] for k, name in _OPTION_KEYS.items()},
        "search_placeholder": t("search", lang),
        "tab_items": t("tab_items", lang),
        "tab_allocations": t("tab_allocations", lang),
        "map_hint": t("map_hint", lang),
        "place_placeholder": t("place_search", lang),
        "place_labels": {"search": t("place_type", lang), "no_options_found": t("place_none", lang)},
        **{f"label_{c}": t(LABEL_KEYS[c], lang) for c in LABELLED},
        **{f"tab_{v}": t(f"view_{v}", lang) for v in VIEWS},
    }


def register(app: dash.Dash, ctx: Context) -> None:
    @app.callback(
        output=NAV_OUT,
        inputs={"search": Input(ids.URL, "search"), **{k: Input(c, "value") for k, c in CONTROLS.items()}, **CLICKS},
    )
    def _navigate(search, **values):
        return navigate(ctx, posted.trigger().id, search, **values)

    @app.callback(
        output={
            "banner": Output(ids.BANNER, "children"),
            "db": Output(ids.DB_OK, "data"),
            "content": Output(ids.VIEW, "content_className"),
        },
        inputs={
            "search": Input(ids.URL, "search"),
            "tick": Input(ids.RETRY, "n_intervals"),
            "db": State(ids.DB_OK, "data"),
        },
    )
    def _status(search, tick, db):
        return status_bar(ctx, search, db)

    @app.callback(output=CONTROLS_OUT, inputs={"search": Input(ids.URL, "search"), "db": Input(ids.DB_OK, "data")})
    def _controls(search, db):
        return controls(ctx, search, db)

    @app.callback(Output(ids.EXPORTS, "children"), Input(ids.URL, "search"))
    def _exports(search):
        return export_links(ctx, search, app.get_relative_path("/"))

    place_search.register(app, ctx)
