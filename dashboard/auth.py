"""Who is asking: sign-in, sign-out, the session of each request, and the CSRF and same-origin
checks on every write.

Each request gets a :class:`Principal` in ``flask.g`` before anything else runs: the account of
a live session, the anonymous reader when ``PLANMAP_ANONYMOUS_READ`` is on, or nobody. What the
principal may call is decided in :mod:`dashboard.access`; where it may look, by its scope in the
request path (:mod:`dashboard.request`).

Sessions live in PostgreSQL (:mod:`geodata.sessions`). The session cookie is HttpOnly and
SameSite=Lax; a second cookie carries the session's CSRF token for the page's script, which Dash
sends back as ``X-CSRFToken`` with every callback, and the sign-out form as a field.
"""

from __future__ import annotations

import html
import re
import secrets
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

import flask
from flask import Flask, Response, redirect, request
from psycopg_pool import ConnectionPool

from dashboard.i18n import LABELS
from dashboard.request import DB_ERRORS
from geodata import accounts, audit, sessions
from geodata.accounts import EVERYTHING, NOTHING, Scope, User
from geodata.areas import COUNTRY
from geodata.settings import Settings

SESSION_COOKIE = "planmap_session"
CSRF_COOKIE = "_csrf_token"  # the name dash-renderer reads and sends back as X-CSRFToken
CSRF_HEADER = "X-CSRFToken"
LOGIN_COOKIE = "planmap_login"  # the sign-in form's own token (double submit)
LOGIN_ROUTE = "/login"
_LOGIN_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")  # secrets.token_urlsafe(24)
LOGOUT_ROUTE = "/logout"
SSO_ROUTE = "/login/sso"  # single sign-on (dashboard.sso), when configured
SSO_NAME = "PLANMAP_SSO_NAME"  # app config: the provider's name on the sign-in page; None: no SSO


@dataclass(frozen=True)
class Principal:
    """Who a request comes from and what it may touch."""

    user: User | None
    scope: Scope
    csrf: str | None = None  # the session's token; None without a session
    token: str | None = None

    @property
    def name(self) -> str:
        return self.user.username if self.user else "anonymous"

    @property
    def signed_in(self) -> bool:
        return self.user is not None


NOBODY = Principal(None, NOTHING)
OPERATOR = Principal(None, EVERYTHING)  # the command line and tests: the server's own operator
ANONYMOUS_READER = Principal(None, Scope({"viewer": frozenset({COUNTRY})}))


def current() -> Principal:
    """The principal of the request being served (nobody outside a request)."""
    if not flask.has_request_context():
        return NOBODY
    return flask.g.get("principal", NOBODY)


def client_address() -> str | None:
    """The client's address as the server sees it (behind a trusted proxy, ProxyFix sets it)."""
    return request.remote_addr if flask.has_request_context() else None


def same_origin() -> bool:
    """A write must come from a page of this site: its Origin (or, failing that, Referer) is
    this host."""
    sent = request.headers.get("Origin") or request.headers.get("Referer")
    if not sent:
        return False
    parts = urlsplit(sent)
    return f"{parts.scheme}://{parts.netloc}" == request.host_url.rstrip("/")


def csrf_ok(principal: Principal, sent: str | None) -> bool:
    return bool(principal.csrf and sent and secrets.compare_digest(principal.csrf, sent))


def register_auth(server: Flask, pool: ConnectionPool, settings: Settings, prefix: str = "/") -> None:
    """Resolve each request's principal first, and add the sign-in and sign-out routes."""
    base = prefix.rstrip("/")
    idle, absolute = settings.session_idle_minutes * 60, settings.session_hours * 3600

    server.config[SSO_NAME] = settings.oidc_provider_name if settings.sso else None

    def resolve() -> None:
        flask.g.principal = _principal(pool, settings, request.cookies.get(SESSION_COOKIE), idle, absolute)

    def login() -> Response:
        lang = "en" if request.args.get("lang") == "en" else "th"
        target = _safe_next(request.values.get("next"), base)
        if request.method == "GET":
            return _login_page(lang, target, base)
        form_token = request.cookies.get(LOGIN_COOKIE)
        if not same_origin() or not form_token or not secrets.compare_digest(form_token, request.form.get("t", "")):
            return _login_page(lang, target, base, "expired", status=400)
        username = (request.form.get("username") or "").strip().lower()[:64]
        password = request.form.get("password") or ""
        address = client_address()
        try:
            with pool.connection() as conn, conn.transaction():
                wait = sessions.refused_for(conn, username, address)
                user = None if wait else accounts.authenticate(conn, username, password)
                if wait:
                    audit.record(conn, username or "?", "login_refused", None, {"wait_s": wait}, address)
                else:
                    sessions.attempt(conn, username, address, user is not None)
                    audit.record(conn, username or "?", "login" if user else "login_failed", None, {}, address)
                session = sessions.start(conn, user.id, address, request.user_agent.string) if user else None
        except DB_ERRORS:
            return _login_page(lang, target, base, "down", status=503)
        if session is None:
            return _login_page(lang, target, base, "wait" if wait else "wrong", status=429 if wait else 401, wait=wait)
        return signed_in(session, target)

    def logout() -> Response:
        principal = current()
        if principal.signed_in and same_origin() and csrf_ok(principal, request.form.get("csrf")):
            try:
                with pool.connection() as conn, conn.transaction():
                    sessions.end(conn, token=principal.token)
                    audit.record(conn, principal.name, "logout", None, {}, client_address())
            except DB_ERRORS:
                return Response("The database cannot be reached right now.", 503, mimetype="text/plain")
        response = redirect(f"{base}{LOGIN_ROUTE}")
        response.delete_cookie(SESSION_COOKIE, path="/")
        response.delete_cookie(CSRF_COOKIE, path="/")
        return response

    server.before_request(resolve)
    server.add_url_rule(f"{base}{LOGIN_ROUTE}", "planmap_login", login, methods=["GET", "POST"])
    server.add_url_rule(f"{base}{LOGOUT_ROUTE}", "planmap_logout", logout, methods=["POST"])


def signed_in(session: sessions.Session, target: str) -> Response:
    """The answer to a sign-in that succeeded (password or single sign-on): the session's
    cookies, and on to ``target``."""
    response = redirect(target)
    secure = request.is_secure
    response.set_cookie(SESSION_COOKIE, session.token, httponly=True, samesite="Lax", secure=secure, path="/")
    response.set_cookie(CSRF_COOKIE, session.csrf, httponly=False, samesite="Strict", secure=secure, path="/")
    response.delete_cookie(LOGIN_COOKIE, path="/")
    return response


def _principal(pool: ConnectionPool, settings: Settings, token: str | None, idle: int, absolute: int) -> Principal:
    fallback = ANONYMOUS_READER if settings.anonymous_read else NOBODY
    if not token:
        return fallback
    try:
        with pool.connection() as conn:
            session = sessions.resume(conn, token, idle=idle, absolute=absolute)
            user = accounts.load_user(conn, user_id=session.user_id) if session else None
    except DB_ERRORS:
        return fallback  # the page itself says the database is down
    if session is None or user is None:
        return fallback
    return Principal(user, user.scope, session.csrf, token)


def _safe_next(target: str | None, base: str) -> str:
    """Where to go after signing in: a path of this site only (never another host)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return f"{base}/"
    return target


LOGIN_TEXT = {
    "title": ("เข้าสู่ระบบ planmap", "Sign in to planmap"),
    "username": ("ชื่อผู้ใช้", "Account name"),
    "password": ("รหัสผ่าน", "Password"),
    "submit": ("เข้าสู่ระบบ", "Sign in"),
    "other": ("English", "ภาษาไทย"),
    "wrong": ("ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง", "Wrong account name or password."),
    "wait": (
        "ลงชื่อเข้าใช้ผิดหลายครั้ง ลองใหม่ได้ในอีก {minutes} นาที",
        "Too many failed sign-ins; try again in {minutes} minutes.",
    ),
    "expired": ("แบบฟอร์มหมดอายุ กรุณาลองใหม่", "The form expired; please try again."),
    "down": ("ติดต่อฐานข้อมูลไม่ได้ในขณะนี้", "The database cannot be reached right now."),
    **{key: LABELS[key] for key in ("sso_sign_in", "sso_or", "sso_refused", "sso_failed", "sso_down")},
}


def _login_page(
    lang: str, target: str, base: str, problem: str | None = None, status: int = 200, wait: int = 0
) -> Response:
    i = 1 if lang == "en" else 0
    sso = flask.current_app.config.get(SSO_NAME)

    def text(key: str) -> str:
        return html.escape(LOGIN_TEXT[key][i].format(minutes=max(1, round(wait / 60)), provider=sso or ""))

    # Keep the browser's form token while it has one: any other fetch that lands here (the
    # browser's own /favicon.ico, a second tab) must not replace the token of a form on screen.
    kept = request.cookies.get(LOGIN_COOKIE, "")
    token = kept if _LOGIN_TOKEN.fullmatch(kept) else secrets.token_urlsafe(24)
    other = "th" if lang == "en" else "en"
    message = f'<p class="problem" role="alert">{text(problem)}</p>' if problem else ""
    if sso:  # single sign-on is configured: its button first
        start = f"{html.escape(base)}{SSO_ROUTE}?lang={lang}&amp;next={html.escape(quote(target))}"
        message += f'<p><a class="sso" href="{start}">{text("sso_sign_in")}</a></p><p>{text("sso_or")}</p>'
    page = f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{text("title")}</title>
<style>body{{font-family:"Noto Sans Thai",sans-serif;margin:4em auto;max-width:24em;line-height:1.6}}
label{{display:block;margin-top:1em}}input{{width:100%;padding:.4em;font-size:1em}}
button{{margin-top:1.5em;padding:.5em 1.5em;font-size:1em}}.problem{{color:#a00}}
a.sso{{display:inline-block;padding:.5em 1.5em;border:1px solid #036;border-radius:4px;text-decoration:none}}</style></head>
<body><h1>{text("title")}</h1>{message}
<form method="post" action="{html.escape(base)}{LOGIN_ROUTE}?lang={lang}">
<input type="hidden" name="t" value="{token}"><input type="hidden" name="next" value="{html.escape(target)}">
<label for="username">{text("username")}</label>
<input id="username" name="username" autocomplete="username" autofocus required maxlength="64">
<label for="password">{text("password")}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">{text("submit")}</button></form>
<p><a href="{html.escape(base)}{LOGIN_ROUTE}?lang={other}&amp;next={html.escape(quote(target))}">{text("other")}</a></p>
</body></html>"""
    response = Response(page, status, mimetype="text/html")
    response.set_cookie(LOGIN_COOKIE, token, httponly=True, samesite="Strict", secure=request.is_secure, path="/")
    response.headers["Cache-Control"] = "no-store"
    return response
