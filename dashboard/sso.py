"""Single sign-on through an OpenID Connect identity provider (a ministry's), when configured.

On when ``PLANMAP_OIDC_ISSUER`` and ``PLANMAP_OIDC_CLIENT_ID`` are set (``Settings.sso``); the
routes exist either way (the access table names them) and answer 404 while it is off.

``/login/sso`` sends the browser to the provider with the authorization code flow: ``state``,
``nonce`` and a PKCE ``code_verifier`` are all derived from one random secret kept in a
short-lived HttpOnly cookie (SameSite=Lax, so the provider's redirect back brings it along;
nothing is stored on the server and no Flask secret is needed). ``/login/sso/callback`` checks
the state against the cookie, exchanges the code (with the verifier and the client secret) and
accepts the ID token only when its signature verifies with the provider's published keys (an
asymmetric algorithm the provider announces) and its issuer, audience (our client id), nonce,
expiry and issue time hold.

The identity is then mapped to an account by :func:`geodata.accounts.sso_account`, deny by
default, nothing created:

1. the account already linked to the identity's subject (``"<issuer> <sub>"``), if enabled;
2. else, once: the enabled account whose name equals the provider's username claim
   (``PLANMAP_OIDC_USERNAME_CLAIM``, lower-cased) and which is linked to no subject yet; the
   subject is linked to it for good, so a later rename at the provider changes nothing;
3. else refused ("บัญชีนี้ยังไม่ได้รับสิทธิ์ ติดต่อผู้ดูแลระบบ"), and no session.

A sign-in that succeeds starts a planmap session exactly as the password form does
(:func:`dashboard.auth.signed_in`), is audited as ``login_sso``; a refusal or a token that does
not hold is audited as ``login_sso_failed`` and counts in the same sign-in rate limit (by
address, and by the provider's username).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import logging
import re
import secrets
import threading
import time
from dataclasses import dataclass

import requests
from authlib.common.security import is_secure_transport
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from authlib.oidc.core import CodeIDToken
from flask import Flask, Response, abort, redirect, request
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet
from joserfc.jws import JWSRegistry
from psycopg_pool import ConnectionPool

from dashboard import auth
from dashboard.request import DB_ERRORS
from geodata import accounts, audit, sessions
from geodata.settings import Settings

log = logging.getLogger(__name__)

CALLBACK_ROUTE = f"{auth.SSO_ROUTE}/callback"
SSO_COOKIE = "planmap_sso"  # the sign-in's secret, the page language and where to go after
COOKIE_SECONDS = 600  # a sign-in at the provider must come back within this
HTTP_TIMEOUT = 10  # seconds for each request to the provider
METADATA_SECONDS = 3600  # the provider's configuration and keys are read again after this
_SECRET = re.compile(r"[A-Za-z0-9_-]{43}")  # secrets.token_urlsafe(32)
LEEWAY = 60  # seconds of clock difference tolerated in exp/iat
# Signature algorithms accepted for ID tokens: asymmetric only (never "none", never an HMAC
# keyed with something public), and of those only what the provider announces.
SIGNING_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA")


class ProviderDown(RuntimeError):
    """The identity provider cannot be reached or answers something that is not OpenID Connect."""


class Refused(ValueError):
    """The provider's answer does not hold (a refused code, a bad or foreign ID token)."""


@dataclass(frozen=True)
class Identity:
    subject: str  # "<issuer> <sub>": the provider's subject, scoped by the provider
    username: str | None  # the username claim, lower-cased (None when absent)


class Provider:
    """One identity provider: its discovered configuration and keys (cached), the URL that
    starts a sign-in, and the identity a returned code stands for."""

    def __init__(self, settings: Settings) -> None:
        self.issuer = str(settings.oidc_issuer)
        self.client_id = str(settings.oidc_client_id)
        secret = settings.oidc_client_secret
        self.client_secret = secret.get_secret_value() if secret else None
        self.scopes = settings.oidc_scopes
        self.username_claim = settings.oidc_username_claim
        self._lock = threading.Lock()
        self._metadata: dict | None = None
        self._keys: KeySet | None = None
        self._read_at = 0.0

    # ------------------------------------------------------------------ the provider's configuration

    def metadata(self) -> dict:
        with self._lock:
            if self._metadata is not None and time.monotonic() - self._read_at < METADATA_SECONDS:
                return self._metadata
        found = _get_json(f"{self.issuer.rstrip('/')}/.well-known/openid-configuration")
        issuer = found.get("issuer")
        if not isinstance(issuer, str) or issuer.rstrip("/") != self.issuer.rstrip("/"):
            raise ProviderDown(f"the provider names itself {issuer!r}, not {self.issuer!r}")
        for endpoint in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
            if not isinstance(found.get(endpoint), str) or not is_secure_transport(found[endpoint]):
                raise ProviderDown(f"the provider's {endpoint} is missing or not https")
        with self._lock:
            self._metadata, self._keys, self._read_at = found, None, time.monotonic()
        return found

    def keys(self, *, again: bool = False) -> KeySet:
        metadata = self.metadata()
        with self._lock:
            if self._keys is not None and not again:
                return self._keys
        try:
            keys = KeySet.import_key_set(_get_json(metadata["jwks_uri"]))
        except (JoseError, ValueError, KeyError, TypeError) as exc:
            raise ProviderDown(f"the provider's keys cannot be read: {exc}") from exc
        with self._lock:
            self._keys = keys
        return keys

    def _client(self, redirect_uri: str) -> OAuth2Session:
        supported = self.metadata().get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
        if self.client_secret is None:
            method = "none"  # a public client: PKCE alone
        elif "client_secret_basic" in supported or "client_secret_post" not in supported:
            method = "client_secret_basic"
        else:
            method = "client_secret_post"
        return OAuth2Session(
            self.client_id,
            self.client_secret,
            token_endpoint_auth_method=method,
            scope=self.scopes,
            redirect_uri=redirect_uri,
            code_challenge_method="S256",
            default_timeout=HTTP_TIMEOUT,
        )

    # ------------------------------------------------------------------ the flow

    def authorization_url(self, redirect_uri: str, secret: str, lang: str) -> str:
        with self._client(redirect_uri) as client:
            url, _ = client.create_authorization_url(
                self.metadata()["authorization_endpoint"],
                state=_derive(secret, "state"),
                code_verifier=_derive(secret, "verifier"),
                nonce=_derive(secret, "nonce"),
                ui_locales=lang,
            )
        return url

    def identity(self, code: str, redirect_uri: str, secret: str) -> Identity:
        """The identity the provider vouches for with ``code`` (raises :class:`Refused` or
        :class:`ProviderDown`)."""
        metadata = self.metadata()
        with self._client(redirect_uri) as client:
            try:
                token = client.fetch_token(
                    metadata["token_endpoint"],
                    grant_type="authorization_code",
                    code=code,
                    code_verifier=_derive(secret, "verifier"),
                )
            except OAuthError as exc:
                raise Refused(f"the provider refused the code: {exc.error}") from exc
            except (requests.RequestException, ValueError) as exc:
                raise ProviderDown(f"the token endpoint failed: {exc}") from exc
        if not isinstance(token.get("id_token"), str):
            raise Refused("the provider's answer holds no ID token")
        claims = self.verify(token["id_token"], _derive(secret, "nonce"), token.get("access_token"))
        sub = claims.get("sub")
        if not isinstance(sub, str) or not 1 <= len(sub) <= 255:
            raise Refused("the ID token's subject is not a string of 1 to 255 characters")
        name = claims.get(self.username_claim)
        return Identity(f"{claims['iss']} {sub}", name.strip().lower()[:64] if isinstance(name, str) else None)

    def verify(self, id_token: str, nonce: str, access_token: str | None = None) -> dict:
        """The claims of an ID token whose signature, issuer, audience, nonce and times hold."""
        metadata = self.metadata()
        announced = metadata.get("id_token_signing_alg_values_supported") or ["RS256"]
        registry = JWSRegistry(
            algorithms=[a for a in SIGNING_ALGORITHMS if a in announced] or ["RS256"], strict_check_header=False
        )
        options = {
            "iss": {"essential": True, "value": metadata["issuer"]},
            "aud": {"essential": True, "value": self.client_id},
            "sub": {"essential": True},
            "exp": {"essential": True},
            "iat": {"essential": True},
            "nonce": {"essential": True, "value": nonce},
        }
        params = {"nonce": nonce, "client_id": self.client_id, "access_token": access_token}
        try:
            try:
                token = jwt.decode(id_token, self.keys(), registry=registry)
            except InvalidKeyIdError:  # the provider may have a new signing key: read its keys again, once
                token = jwt.decode(id_token, self.keys(again=True), registry=registry)
            claims = CodeIDToken(token.claims, token.header, options, params)
            claims.validate(leeway=LEEWAY)
        except (JoseError, ValueError, TypeError) as exc:
            why = f"{exc.error} {exc.description}".strip() if isinstance(exc, JoseError) else str(exc)
            raise Refused(f"the ID token does not hold: {why}") from exc
        return dict(claims)


def _get_json(url: str) -> dict:
    try:
        answer = requests.get(url, timeout=HTTP_TIMEOUT, headers={"Accept": "application/json"})
        answer.raise_for_status()
        found = answer.json()
    except (requests.RequestException, ValueError) as exc:
        raise ProviderDown(f"{url}: {exc}") from exc
    if not isinstance(found, dict):
        raise ProviderDown(f"{url}: not a JSON object")
    return found


def _derive(secret: str, purpose: str) -> str:
    """``state``, ``nonce`` or ``code_verifier`` of one sign-in, from its secret (43 characters
    of base64url: a valid PKCE verifier too)."""
    digest = hashlib.sha256(f"planmap-sso {purpose} {secret}".encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def register_sso(server: Flask, pool: ConnectionPool, settings: Settings, prefix: str = "/") -> None:
    """Add ``/login/sso`` and ``/login/sso/callback`` (404 while single sign-on is off)."""
    base = prefix.rstrip("/")
    provider = Provider(settings) if settings.sso else None
    cookie_path = f"{base}{auth.SSO_ROUTE}"

    def redirect_uri() -> str:
        return f"{request.host_url.rstrip('/')}{base}{CALLBACK_ROUTE}"

    def answer(response: Response) -> Response:
        """Every answer of the callback ends the sign-in: its cookie goes."""
        response.delete_cookie(SSO_COOKIE, path=cookie_path)
        response.headers["Cache-Control"] = "no-store"
        return response

    def start() -> Response:
        if provider is None:
            abort(404)
        lang = "en" if request.args.get("lang") == "en" else "th"
        target = auth._safe_next(request.args.get("next"), base)
        page = functools.partial(auth._login_page, lang, target, base)
        try:
            with pool.connection() as conn:
                wait = sessions.refused_for(conn, None, auth.client_address())  # this address only
        except DB_ERRORS:
            return page("down", status=503)
        if wait:
            return page("wait", status=429, wait=wait)
        secret = secrets.token_urlsafe(32)
        try:
            url = provider.authorization_url(redirect_uri(), secret, lang)
        except ProviderDown as exc:
            log.warning("single sign-on: %s", exc)
            return page("sso_down", status=503)
        response = redirect(url)
        response.set_cookie(
            SSO_COOKIE,
            f"{secret}|{lang}|{target}",
            max_age=COOKIE_SECONDS,
            httponly=True,
            samesite="Lax",  # sent along when the provider redirects back (a top-level GET)
            secure=request.is_secure,
            path=cookie_path,
        )
        response.headers["Cache-Control"] = "no-store"
        return response

    def callback() -> Response:
        if provider is None:
            abort(404)
        secret, lang, target = _read_cookie(request.cookies.get(SSO_COOKIE), base)
        page = functools.partial(auth._login_page, lang, target, base)
        if secret is None or not secrets.compare_digest(_derive(secret, "state"), request.args.get("state", "")):
            return answer(page("expired", status=400))
        code = request.args.get("code")
        if "error" in request.args or not code:  # cancelled or refused at the provider
            return answer(page("sso_failed", status=401))
        address = auth.client_address()
        try:
            with pool.connection() as conn:
                wait = sessions.refused_for(conn, None, address)
            if wait:
                return answer(page("wait", status=429, wait=wait))
            try:
                identity = provider.identity(code, redirect_uri(), secret)
            except ProviderDown as exc:
                log.warning("single sign-on: %s", exc)
                return answer(page("sso_down", status=503))
            except Refused as exc:
                log.warning("single sign-on refused from %s: %s", address, exc)
                with pool.connection() as conn, conn.transaction():
                    sessions.attempt(conn, "?", address, False)
                    audit.record(conn, "?", "login_sso_failed", None, {"reason": str(exc)[:300]}, address)
                return answer(page("sso_failed", status=401))
            name = identity.username
            with pool.connection() as conn, conn.transaction():
                wait = sessions.refused_for(conn, name, address)
                user = None
                if wait:
                    audit.record(conn, name or "?", "login_refused", None, {"wait_s": wait, "sso": True}, address)
                else:
                    user, how = accounts.sso_account(conn, identity.subject, name)
                    actor = user.username if user else name or "?"
                    sessions.attempt(conn, actor, address, user is not None)
                    details = {"subject": identity.subject, ("how" if user else "reason"): how}
                    audit.record(conn, actor, "login_sso" if user else "login_sso_failed", None, details, address)
                session = sessions.start(conn, user.id, address, request.user_agent.string) if user else None
        except DB_ERRORS:
            return answer(page("down", status=503))
        if wait:
            return answer(page("wait", status=429, wait=wait))
        if session is None:
            return answer(page("sso_refused", status=403))
        return answer(auth.signed_in(session, target))

    server.add_url_rule(f"{base}{auth.SSO_ROUTE}", "planmap_sso", start, methods=["GET"])
    server.add_url_rule(f"{base}{CALLBACK_ROUTE}", "planmap_sso_callback", callback, methods=["GET"])


def _read_cookie(value: str | None, base: str) -> tuple[str | None, str, str]:
    """The sign-in's secret (None without a well-formed cookie), language and target."""
    secret, lang, target = (value or "").split("|", 2) if (value or "").count("|") >= 2 else ("", "th", "")
    lang = "en" if lang == "en" else "th"
    return (secret if _SECRET.fullmatch(secret) else None), lang, auth._safe_next(target, base)
