"""The Dash application: the shell around the pages, each page's callbacks, and the routes.

The view state lives in the URL (``dashboard.state``) and is validated in one place
(``dashboard.request``); the shell (``dashboard.shell``) keeps the URL and the controls in
step; each page (``dashboard.pages``) renders from the URL through a shared
:class:`dashboard.context.Context`. Map geometry is served once per data version at
``/_planmap/geo/<level>/<within>.json`` (gzip, immutable) and fetched by plotly.js, so a
drill-down response carries only codes, classes and hover texts.
"""

from __future__ import annotations

import dash
from psycopg_pool import ConnectionPool

from dashboard import auth, shell
from dashboard.access import register_access
from dashboard.auth import register_auth
from dashboard.context import GEO_ROUTE, Context
from dashboard.dispatch_guard import register_guard
from dashboard.exports.capacity import ExportCapacity
from dashboard.pages import PAGES
from dashboard.pages.audit import register_csv
from dashboard.request import Resolver
from dashboard.routes import gzip_response, register_routes
from dashboard.security import register_security
from dashboard.sso import register_sso
from dashboard.template_route import register_template
from dashboard.uploads import register_upload_reports
from geodata.db import open_pool
from geodata.settings import Settings

__all__ = ["create_app", "gzip_response", "layout"]


def layout(principal: auth.Principal = auth.NOBODY, prefix: str = "/") -> dash.html.Div:
    return shell.layout(PAGES, principal, prefix)


def create_app(settings: Settings, pool: ConnectionPool | None = None) -> dash.Dash:
    """Build the app around one connection pool (created here unless a test passes one).

    The layout is made per page load, for the principal of that request (its tabs, its name);
    the first hooks on every request resolve the principal and refuse what it may not call."""
    pool = pool or open_pool(settings)
    app = dash.Dash(__name__, title="planmap", update_title=None, suppress_callback_exceptions=True)
    register_security(app, settings)
    prefix = app.config.routes_pathname_prefix
    app.layout = lambda: layout(auth.current(), app.config.requests_pathname_prefix)
    register_auth(app.server, pool, settings, prefix)
    register_sso(app.server, pool, settings, prefix)
    register_access(app.server, prefix)
    ctx = Context(
        pool,
        Resolver(),
        geo_prefix=app.get_relative_path(f"/{GEO_ROUTE}"),
        exports=ExportCapacity.from_settings(settings),
        settings=settings,
    )
    shell.register(app, ctx)
    for page in PAGES:
        page.register(app, ctx)
    register_routes(app.server, ctx, app.config.routes_pathname_prefix)
    register_guard(app.server, app.callback_map, app.config.routes_pathname_prefix)
    register_csv(app.server, pool, prefix)
    register_template(app.server, pool, prefix)
    register_upload_reports(app.server, settings, prefix)
    return app
