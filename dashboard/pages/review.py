"""The matching review list (``view=review``): budget lines matched to plan items with medium
confidence, to accept or reject. Decisions go through ``geodata.review.decide``, which accepts
only suggestions that are on the list."""

from __future__ import annotations

from typing import Any

import dash
import psycopg
from dash import ALL, Input, Output, State, dcc, html

from dashboard import auth, chain_views, i18n, ids, posted
from dashboard.context import Context
from dashboard.i18n import t
from dashboard.pages.common import area_name, head
from dashboard.request import DB_ERRORS, View
from dashboard.state import parse
from geodata import review

NAME = "review"
MAX_CLICKS = 2**31  # clicks of a button, and decisions recorded in one visit
OUT = {"head": Output(ids.REVIEW_HEAD, "children"), "list": Output(ids.REVIEW_LIST, "children")}
DECIDE_OUT = {"status": Output(ids.REVIEW_STATUS, "children"), "done": Output(ids.REVIEW_DONE, "data")}


def layout() -> html.Div:
    return html.Div(
        className="chain-page",
        children=[
            html.Div(id=ids.REVIEW_HEAD, className="chain-head"),
            html.Div(id=ids.REVIEW_STATUS, className="status", role="status"),
            html.Div(id=ids.REVIEW_LIST),
            dcc.Store(id=ids.REVIEW_DONE, data=0),
        ],
    )


def render(ctx: Context, search: str | None, db: dict | None, _done: Any = None) -> dict[str, Any]:
    def build(conn: psycopg.Connection, view: View) -> dict[str, Any]:
        state, lang = view.state, view.state.lang
        rows, total = review.suggestions(conn, state.area, state.fy)
        title = (
            t("review_title", lang, area=area_name(conn, state.area, lang)) + f" · {i18n.fiscal_year(state.fy, lang)}"
        )
        return {
            "head": head(title, t("review_note", lang), t("review_count", lang, total=f"{total:,}") if total else ""),
            "list": chain_views.review_table(rows, lang),
        }

    return ctx.render(
        search,
        OUT,
        build,
        page=NAME,
        empty=lambda lang: {"head": head(t("no_data", lang)), "list": None},
        down=lambda lang: {"head": head(t("db_down", lang))},
    )


def decide(ctx: Context, search: object, button: object, clicks: object, done: object) -> dict[str, Any]:
    """Record an accept/reject click. The button's id comes from the browser: its action must be
    a known decision and its keys short printable texts (``review.decide`` refuses others), and
    the decision is recorded, in the signed-in officer's name, only for a suggestion on the review
    list of an area the officer holds."""
    lang = parse(search).lang
    nothing = {"status": dash.no_update, "done": dash.no_update}
    button = posted.mapping(button)
    action = posted.choice(button.get("action"), review.DECISIONS)
    if action is None or posted.integer(clicks, 1, MAX_CLICKS) is None:
        return nothing
    key, item = button.get("allocation"), button.get("item")
    principal = ctx.principal()
    if not principal.signed_in or not principal.scope.any("officer"):
        return nothing  # the access layer refuses it first; a decision always names its officer
    try:
        with ctx.pool.connection() as conn:
            found = review.decide(
                conn, key, item, action, principal.name, scope=principal.scope, address=auth.client_address()
            )
    except ValueError:
        return {**nothing, "status": t("review_failed", lang)}
    except DB_ERRORS:
        return {**nothing, "status": t("db_down", lang)}
    if not found:
        return {**nothing, "status": t("review_failed", lang)}
    return {
        "status": t("review_saved", lang, decision=t(f"decision_{action}", lang), title=f"{key} → {item}"),
        "done": (posted.integer(done, 0, MAX_CLICKS) or 0) + 1,
    }


def register(app: dash.Dash, ctx: Context) -> None:
    @app.callback(
        output=OUT,
        inputs={
            "search": Input(ids.URL, "search"),
            "db": Input(ids.DB_OK, "data"),
            "done": Input(ids.REVIEW_DONE, "data"),
        },
    )
    def _render(search, db, done):
        return render(ctx, search, db, done)

    @app.callback(
        output=DECIDE_OUT,
        inputs={
            "clicks": Input({"type": ids.REVIEW_DECIDE, "action": ALL, "allocation": ALL, "item": ALL}, "n_clicks"),
            "search": State(ids.URL, "search"),
            "done": State(ids.REVIEW_DONE, "data"),
        },
        prevent_initial_call=True,
    )
    def _decide(clicks, search, done):
        changed = posted.trigger()
        return decide(ctx, search, changed.id, changed.value, done)
