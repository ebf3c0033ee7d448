"""Who may call what: one decision for every Flask route and every Dash callback, deny by default.

A route or callback without an entry here is refused (403), and the access-matrix test fails
for it, so a new one cannot slip in open. The role a route or callback needs is checked here
against the principal's grants anywhere; *where* the principal may look (the area of the view,
the item traced, the suggestion decided) is checked in the request path and in the writes
themselves, against its scope.
"""

from __future__ import annotations

from urllib.parse import quote

from flask import Flask, Response, redirect, request

from dashboard import auth, ids

PUBLIC = "public"  # anyone, signed in or not (the sign-in page, the page's scripts)

# Flask endpoint → who may call it.
ROUTES: dict[str, str] = {
    "static": PUBLIC,
    "_dash_assets.static": PUBLIC,
    "/_dash-component-suites/<string:package_name>/<path:fingerprinted_path>": PUBLIC,
    "/_favicon.ico": PUBLIC,
    "/_reload-hash": PUBLIC,  # Dash's hot reload (only with debug on)
    "planmap_login": PUBLIC,
    "planmap_logout": PUBLIC,  # checks its own session and CSRF token
    "planmap_sso": PUBLIC,  # single sign-on: off to the identity provider (404 when not configured)
    "planmap_sso_callback": PUBLIC,  # back from it: checks its own state, nonce and ID token
    "/": "viewer",
    "/<path:path>": "viewer",
    "/_dash-layout": "viewer",
    "/_dash-dependencies": "viewer",
    "/_dash-update-component": "viewer",  # and each callback's own role, below
    "planmap_geometry": "viewer",
    "planmap_download": "viewer",
    "planmap_template": "officer",  # the plan import template (its code list: the officer's areas)
    "planmap_audit_csv": "admin",
    "planmap_upload_report": "officer",  # an upload's reject report / difference (the uploader's own token)
}
PAGES = frozenset({"/", "/<path:path>"})  # a signed-out visitor is sent to the sign-in page

# Dash callback, by the component id of its first output → the role it needs.
CALLBACKS: dict[str, str] = {
    ids.URL: "viewer",  # navigate: controls and clicks → the URL
    ids.BANNER: "viewer",  # the database poll
    ids.TITLE: "viewer",  # controls follow the view
    ids.EXPORTS: "viewer",
    ids.PLACE: "viewer",  # the place search (its results: the reader's areas only)
    ids.TREND_HEAD: "viewer",
    ids.NEED_HEAD: "viewer",
    ids.COMPARE_HEAD: "viewer",
    ids.COMPARE_PICK: "viewer",  # the compare picker's options (the reader's areas only)
    ids.MAP: "viewer",
    ids.CRUMBS: "viewer",
    ids.ITEMS: "viewer",
    ids.FUNNEL_HEAD: "viewer",
    ids.TRACE_HEAD: "viewer",
    ids.COMPLIANCE_HEAD: "viewer",
    ids.OVERLAPS_HEAD: "viewer",
    ids.REVIEW_HEAD: "officer",  # the review list is officers' work
    ids.REVIEW_STATUS: "officer",  # a matching decision (a write)
    ids.DATA_CONTENT: "viewer",
    ids.AUDIT_CONTENT: "admin",
    # the upload page: imports and source removals (officers; each checks the rows' areas)
    ids.UPLOAD_FILE: "officer",
    ids.UPLOAD_RESULT: "officer",
    ids.UPLOAD_STATUS: "officer",
    ids.UPLOAD_SOURCES: "officer",
    ids.UPLOAD_REMOVED: "officer",
}

# Page (the URL's ``view``) → the role that sees its tab; a link to a page the reader may not
# use opens the map instead.
PAGE_ROLES: dict[str, str] = {
    "map": "viewer",
    "trend": "viewer",
    "need": "viewer",
    "compare": "viewer",
    "funnel": "viewer",
    "trace": "viewer",
    "compliance": "viewer",
    "overlaps": "viewer",
    "review": "officer",
    "data": "viewer",
    "upload": "officer",
    "audit": "admin",
}


def first_output(output: str) -> str:
    """The component id of a callback's first output (``..a.b...c.d..`` → ``a``)."""
    first = output[2:-2].split("...")[0] if output.startswith("..") else output
    return first.rsplit(".", 1)[0]


def callback_role(output: str) -> str | None:
    return CALLBACKS.get(first_output(output))


def page_allowed(principal: auth.Principal, page: str) -> bool:
    return allowed(principal, PAGE_ROLES.get(page))


def allowed(principal: auth.Principal, role: str | None) -> bool:
    """May the principal call something that needs ``role`` (somewhere in its scope)?"""
    if role is None:
        return False
    return role == PUBLIC or principal.scope.any(role)


def register_access(server: Flask, prefix: str = "/") -> None:
    """Refuse, before anything runs, what the principal may not call, and every write that is
    not from this site's own page with the session's CSRF token."""
    base = prefix.rstrip("/")

    def check() -> Response | None:
        rule = request.url_rule
        if rule is None:
            return None  # Flask answers 404
        role = ROUTES.get(rule.endpoint)
        principal = auth.current()
        # A signed-in browser sends its session with any request, even one another site makes
        # it send: its posts must come from this site's page, with the session's CSRF token.
        # Without a session there is nothing to borrow (and no role that writes).
        if request.method == "POST" and role != PUBLIC and principal.signed_in:
            if not auth.same_origin():
                return Response("cross-site request refused", 403, mimetype="text/plain")
            if not auth.csrf_ok(principal, request.headers.get(auth.CSRF_HEADER)):
                return Response("missing or wrong CSRF token; reload the page", 403, mimetype="text/plain")
        if allowed(principal, role):
            return None
        if not principal.signed_in and rule.endpoint in PAGES and request.method == "GET":
            return redirect(f"{base}{auth.LOGIN_ROUTE}?next={quote(request.full_path.rstrip('?'))}")
        if not principal.signed_in:
            return Response("sign in first", 401, mimetype="text/plain")
        return Response("not allowed", 403, mimetype="text/plain")

    server.before_request(check)


def callback_refusal(output: str) -> str | None:
    """Why the current principal may not run the callback of ``output`` (None: it may)."""
    role = callback_role(output)
    if role is None:
        return "no access decision for this callback"
    return None if allowed(auth.current(), role) else "not allowed"
