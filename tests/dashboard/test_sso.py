"""Single sign-on through OpenID Connect, against a real (fake) identity provider: a small Flask
app on a port of its own publishing its configuration and keys, an authorization endpoint that
sends the browser straight back with a code, and a token endpoint that checks the client
secret, the redirect URI and PKCE before it signs an RS256 ID token with the nonce it was given.

planmap's test client is driven through /login/sso → the provider → /login/sso/callback, as a
browser would be. A linked account gets a session and its own pages; an identity without an
account, a disabled account, an account linked to someone else, a token with a wrong nonce,
audience, issuer, signature or expiry, and a forged state are all refused without a session,
and refusals count in the sign-in rate limit. With single sign-on off, its routes answer 404
and the sign-in page offers no button.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode, urlsplit

import flask
import psycopg
import pytest
import requests
from joserfc import jwt
from joserfc.jwk import OctKey, RSAKey
from psycopg.rows import dict_row
from pydantic import SecretStr
from werkzeug.serving import make_server

from dashboard.app import create_app
from geodata import accounts
from geodata.db import connect, open_pool
from geodata.pgcluster import database_url
from geodata.settings import Settings
from tests.helpers import add_account, demo_database, free_port

CLIENT_ID, CLIENT_SECRET = "planmap", "a client secret"
PROVIDER = "MOI ID"
NOT_GRANTED = "บัญชีนี้ยังไม่ได้รับสิทธิ์ ติดต่อผู้ดูแลระบบ"


# --------------------------------------------------------------------------- the identity provider


@dataclass
class FakeProvider:
    """An OpenID Connect provider with one signing key; ``user`` is who signs in at it next,
    ``tamper`` spoils the next ID token (``nonce``, ``aud``, ``iss``, ``signature``, ``hmac``,
    ``expired``)."""

    url: str
    key: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048, {"kid": "k1", "use": "sig"}))
    user: dict = field(default_factory=dict)
    tamper: str | None = None
    codes: dict = field(default_factory=dict)
    token_requests: int = 0

    def app(self) -> flask.Flask:
        app = flask.Flask("fake_idp")

        @app.get("/.well-known/openid-configuration")
        def configuration() -> dict:
            return {
                "issuer": self.url,
                "authorization_endpoint": f"{self.url}/authorize",
                "token_endpoint": f"{self.url}/token",
                "jwks_uri": f"{self.url}/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "token_endpoint_auth_methods_supported": ["client_secret_basic"],
                "code_challenge_methods_supported": ["S256"],
            }

        @app.get("/jwks")
        def jwks() -> dict:
            return {"keys": [self.key.as_dict(private=False)]}

        @app.get("/authorize")
        def authorize() -> flask.Response:
            args = flask.request.args
            assert args["response_type"] == "code" and args["client_id"] == CLIENT_ID
            assert "openid" in args["scope"].split() and args["code_challenge_method"] == "S256"
            code = secrets.token_urlsafe(16)
            self.codes[code] = {
                "redirect_uri": args["redirect_uri"],
                "challenge": args["code_challenge"],
                "nonce": args["nonce"],
                "user": dict(self.user),
            }
            back = f"{args['redirect_uri']}?{urlencode({'code': code, 'state': args['state']})}"
            return flask.redirect(back)

        @app.post("/token")
        def token() -> tuple[dict, int]:
            self.token_requests += 1
            form, auth = flask.request.form, flask.request.authorization
            grant = self.codes.pop(form.get("code", ""), None)  # a code is good once
            if auth is None or (auth.username, auth.password) != (CLIENT_ID, CLIENT_SECRET):
                return {"error": "invalid_client"}, 401
            if grant is None or form.get("grant_type") != "authorization_code":
                return {"error": "invalid_grant"}, 400
            verifier = form.get("code_verifier", "")
            challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
            if challenge != grant["challenge"] or form.get("redirect_uri") != grant["redirect_uri"]:
                return {"error": "invalid_grant"}, 400
            now = int(time.time())
            claims = {
                "iss": self.url,
                "aud": CLIENT_ID,
                "iat": now,
                "exp": now + 300,
                "nonce": grant["nonce"],
                **grant["user"],
            }
            key = self.key
            if self.tamper == "nonce":
                claims["nonce"] = "another sign-in's nonce"
            elif self.tamper == "aud":
                claims["aud"], claims["azp"] = "another-client", CLIENT_ID
            elif self.tamper == "iss":
                claims["iss"] = "https://impostor.example"
            elif self.tamper == "expired":
                claims["iat"], claims["exp"] = now - 900, now - 600
            elif self.tamper == "signature":
                key = RSAKey.generate_key(2048, {"kid": "k1"})  # same key id, not the provider's key
            if self.tamper == "hmac":  # signed with a shared secret instead of the provider's private key
                id_token = jwt.encode({"alg": "HS256", "kid": "k1"}, claims, OctKey.import_key(b"k" * 32))
            else:
                id_token = jwt.encode({"alg": "RS256", "kid": "k1"}, claims, key)
            return {"access_token": secrets.token_urlsafe(16), "token_type": "Bearer", "id_token": id_token}, 200

        return app


@pytest.fixture(scope="module")
def provider() -> Iterator[FakeProvider]:
    port = free_port()
    idp = FakeProvider(f"http://127.0.0.1:{port}")
    server = make_server("127.0.0.1", port, idp.app(), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield idp
    finally:
        server.shutdown()
        thread.join(5)


# --------------------------------------------------------------------------- planmap


@dataclass
class World:
    settings: Settings
    server: flask.Flask
    idp: FakeProvider


@pytest.fixture(scope="module")
def world(pg_cluster, demo_template, provider: FakeProvider) -> Iterator[World]:  # noqa: ANN001
    with demo_database(pg_cluster, "sso") as demo:
        settings = demo.model_copy(
            update={
                "anonymous_read": False,
                "oidc_issuer": provider.url,
                "oidc_client_id": CLIENT_ID,
                "oidc_client_secret": SecretStr(CLIENT_SECRET),
                "oidc_provider_name": PROVIDER,
            }
        )
        assert settings.sso
        with connect(settings, autocommit=True) as conn:
            for name in ("somchai", "kanya", "malee", "prasit"):
                accounts.add_user(conn, name, None)  # planmap user add --sso-only
                accounts.grant(conn, name, "viewer", "37", "test")
            accounts.update_user(conn, "malee", disabled=True)
            conn.execute("UPDATE users SET oidc_subject = %s WHERE username = 'prasit'", [f"{provider.url} sub-prasit"])
        pool = open_pool(settings, wait=True)
        try:
            yield World(settings, create_app(settings, pool).server, provider)
        finally:
            pool.close()


def _through_provider(client, idp: FakeProvider, user: dict, tamper: str | None = None, target: str = "/"):  # noqa: ANN001, ANN202
    """Sign ``client`` in at the provider as ``user``: planmap's answer to the provider's redirect back."""
    idp.user, idp.tamper = user, tamper
    start = client.get("/login/sso", query_string={"next": target})
    assert start.status_code == 302, start.get_data(as_text=True)[:300]
    assert start.headers["Location"].startswith(f"{idp.url}/authorize?")
    at_provider = requests.get(start.headers["Location"], allow_redirects=False, timeout=10)
    assert at_provider.status_code == 302
    back = urlsplit(at_provider.headers["Location"])
    assert (back.scheme, back.netloc, back.path) == ("http", "localhost", "/login/sso/callback")
    return client.get(f"{back.path}?{back.query}")


def _rows(settings: Settings, sql: str, *params: object) -> list[dict]:
    with connect(settings) as conn:
        return conn.execute(sql, list(params)).fetchall()


def _last_audit(settings: Settings) -> dict:
    return _rows(settings, "SELECT actor, action, details FROM audit_log ORDER BY id DESC LIMIT 1")[0]


def _refused_without_session(answer, client, status: int, text: str) -> None:  # noqa: ANN001
    assert answer.status_code == status, answer.get_data(as_text=True)[:500]
    assert text in answer.get_data(as_text=True)
    assert client.get_cookie("planmap_session") is None
    assert client.get("/_dash-layout").status_code == 401


# --------------------------------------------------------------------------- tests


def test_the_sign_in_page_offers_the_provider(world: World) -> None:
    client = world.server.test_client()
    thai = client.get("/login?next=/%3Farea%3D37").get_data(as_text=True)
    assert f"เข้าสู่ระบบด้วย {PROVIDER}" in thai
    assert 'href="/login/sso?lang=th&amp;next=/%3Farea%3D37"' in thai
    assert f"Sign in with {PROVIDER}" in client.get("/login?lang=en").get_data(as_text=True)


def test_an_account_is_linked_once_then_found_by_its_subject(world: World) -> None:
    client = world.server.test_client()
    answer = _through_provider(
        client, world.idp, {"sub": "sub-somchai", "preferred_username": "Somchai"}, target="/?area=37"
    )
    assert answer.status_code == 302 and answer.headers["Location"] == "/?area=37"
    cookie = client.get_cookie("planmap_session")
    assert cookie.http_only and cookie.same_site == "Lax"
    assert client.get_cookie("planmap_sso", path="/login/sso") is None  # the sign-in's own cookie is gone
    layout = client.get("/_dash-layout")
    assert layout.status_code == 200 and "somchai" in layout.get_data(as_text=True)
    assert client.get("/_planmap/geo/district/37.json").status_code == 200  # its province
    assert client.get("/_planmap/geo/district/22.json").status_code == 403  # not another
    subject = f"{world.idp.url} sub-somchai"
    assert _rows(world.settings, "SELECT oidc_subject FROM users WHERE username = 'somchai'") == [
        {"oidc_subject": subject}
    ]
    assert _last_audit(world.settings) == {
        "actor": "somchai",
        "action": "login_sso",
        "details": {"subject": subject, "how": "linked"},
    }
    # later: found by the subject, whatever name the provider gives it now
    again = world.server.test_client()
    answer = _through_provider(again, world.idp, {"sub": "sub-somchai", "preferred_username": "somchai.k"})
    assert answer.status_code == 302 and again.get("/_dash-layout").status_code == 200
    assert _last_audit(world.settings)["details"] == {"subject": subject, "how": "subject"}


def test_an_identity_without_an_account_is_refused_and_nothing_is_created(world: World) -> None:
    client = world.server.test_client()
    answer = _through_provider(client, world.idp, {"sub": "sub-stranger", "preferred_username": "stranger"})
    _refused_without_session(answer, client, 403, NOT_GRANTED)
    assert (
        _rows(
            world.settings, "SELECT id FROM users WHERE username = %s OR oidc_subject LIKE %s", "stranger", "%stranger"
        )
        == []
    )
    assert _last_audit(world.settings) == {
        "actor": "stranger",
        "action": "login_sso_failed",
        "details": {"subject": f"{world.idp.url} sub-stranger", "reason": "unknown"},
    }
    nameless = world.server.test_client()
    _refused_without_session(
        _through_provider(nameless, world.idp, {"sub": "sub-nameless"}), nameless, 403, NOT_GRANTED
    )


def test_a_disabled_account_is_refused(world: World) -> None:
    client = world.server.test_client()
    answer = _through_provider(client, world.idp, {"sub": "sub-malee", "preferred_username": "malee"})
    _refused_without_session(answer, client, 403, NOT_GRANTED)
    assert _rows(world.settings, "SELECT oidc_subject FROM users WHERE username = 'malee'") == [{"oidc_subject": None}]
    # linked first, disabled afterwards: refused by its subject too
    kanya = {"sub": "sub-kanya", "preferred_username": "kanya"}
    assert _through_provider(world.server.test_client(), world.idp, kanya).status_code == 302
    with connect(world.settings, autocommit=True) as conn:
        accounts.update_user(conn, "kanya", disabled=True)
    client = world.server.test_client()
    _refused_without_session(_through_provider(client, world.idp, kanya), client, 403, NOT_GRANTED)
    assert _last_audit(world.settings)["details"]["reason"] == "disabled"


def test_an_account_linked_to_another_subject_is_not_taken_over(world: World) -> None:
    client = world.server.test_client()
    answer = _through_provider(client, world.idp, {"sub": "sub-impostor", "preferred_username": "prasit"})
    _refused_without_session(answer, client, 403, NOT_GRANTED)
    assert _rows(world.settings, "SELECT oidc_subject FROM users WHERE username = 'prasit'") == [
        {"oidc_subject": f"{world.idp.url} sub-prasit"}
    ]
    assert _last_audit(world.settings)["details"]["reason"] == "linked_elsewhere"


@pytest.mark.parametrize(
    ("tamper", "why"),
    [
        ("nonce", "Invalid claim: 'nonce'"),
        ("aud", "Invalid claim: 'aud'"),
        ("iss", "Invalid claim: 'iss'"),
        ("signature", "bad_signature"),
        ("hmac", "unsupported_algorithm"),
        ("expired", "expired"),
    ],
)
def test_an_id_token_that_does_not_hold_is_refused(world: World, tamper: str, why: str) -> None:
    client = world.server.test_client()
    answer = _through_provider(client, world.idp, {"sub": "sub-somchai", "preferred_username": "somchai"}, tamper)
    _refused_without_session(answer, client, 401, f"เข้าสู่ระบบด้วย {PROVIDER} ไม่สำเร็จ")
    entry = _last_audit(world.settings)
    assert (entry["actor"], entry["action"]) == ("?", "login_sso_failed")
    assert entry["details"]["reason"].startswith("the ID token does not hold: ") and why in entry["details"]["reason"]


def test_the_state_must_come_back_with_the_browser_that_started(world: World) -> None:
    idp = world.idp
    idp.user, idp.tamper = {"sub": "sub-somchai", "preferred_username": "somchai"}, None
    client = world.server.test_client()
    start = client.get("/login/sso")
    cookie = client.get_cookie("planmap_sso", path="/login/sso")
    assert cookie.http_only and cookie.same_site == "Lax" and cookie.path == "/login/sso"
    back = urlsplit(requests.get(start.headers["Location"], allow_redirects=False, timeout=10).headers["Location"])
    before = idp.token_requests
    # another browser (an attacker's code and state planted on a victim): no cookie, no sign-in
    stranger = world.server.test_client()
    _refused_without_session(stranger.get(f"{back.path}?{back.query}"), stranger, 400, "แบบฟอร์มหมดอายุ")
    forged = back.query.replace("state=", "state=x")
    _refused_without_session(client.get(f"{back.path}?{forged}"), client, 400, "แบบฟอร์มหมดอายุ")
    assert idp.token_requests == before  # the code was never even exchanged
    # cancelled at the provider: it sends the state back with an error instead of a code
    cancelled = world.server.test_client()
    state = parse_qs(urlsplit(cancelled.get("/login/sso").headers["Location"]).query)["state"][0]
    answer = cancelled.get("/login/sso/callback", query_string={"error": "access_denied", "state": state})
    _refused_without_session(answer, cancelled, 401, "ไม่สำเร็จ")


def test_refusals_count_in_the_sign_in_rate_limit(world: World) -> None:
    client = world.server.test_client()
    client.environ_base["REMOTE_ADDR"] = "10.20.30.40"
    guess = {"sub": "sub-guesser", "preferred_username": "guesser"}
    for _ in range(5):
        assert _through_provider(client, world.idp, guess).status_code == 403
    answer = _through_provider(client, world.idp, guess)
    assert answer.status_code == 429 and "ลองใหม่ได้ในอีก" in answer.get_data(as_text=True)
    attempts = _rows(world.settings, "SELECT ok FROM login_attempts WHERE address = '10.20.30.40'")
    assert attempts == [{"ok": False}] * 5


def test_the_web_role_only_fills_an_empty_link(world: World) -> None:
    """The dashboard may not update users; the one function it may call links an enabled,
    unlinked account and nothing else."""
    with psycopg.connect(database_url(world.settings, "web"), autocommit=True, row_factory=dict_row) as web:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            web.execute("UPDATE users SET oidc_subject = 'x' WHERE username = 'prasit'")
        link = "SELECT link_oidc_subject(%s, %s) AS id"
        assert web.execute(link, ["prasit", "another"]).fetchone() == {"id": None}  # linked already
        assert web.execute(link, ["malee", "another"]).fetchone() == {"id": None}  # disabled
        add_account(world.settings, "linkable", "viewer", "37")
        taken = f"{world.idp.url} sub-prasit"
        assert web.execute(link, ["linkable", taken]).fetchone() == {"id": None}  # someone else's subject
        assert web.execute(link, ["linkable", "fresh"]).fetchone()["id"] is not None


def test_single_sign_on_off_answers_404_and_offers_no_button(world: World) -> None:
    off = world.settings.model_copy(update={"oidc_issuer": None, "oidc_client_id": None})
    assert not off.sso
    pool = open_pool(off, wait=True)
    try:
        client = create_app(off, pool).server.test_client()
        assert client.get("/login/sso").status_code == 404
        assert client.get("/login/sso/callback?code=x&state=y").status_code == 404
        page = client.get("/login").get_data(as_text=True)
        assert "/login/sso" not in page and "เข้าสู่ระบบด้วย" not in page and PROVIDER not in page
    finally:
        pool.close()


def test_a_provider_that_cannot_be_reached(world: World) -> None:
    down = world.settings.model_copy(update={"oidc_issuer": f"http://127.0.0.1:{free_port()}"})
    pool = open_pool(down, wait=True)
    try:
        answer = create_app(down, pool).server.test_client().get("/login/sso")
        assert answer.status_code == 503 and f"ติดต่อ {PROVIDER} ไม่ได้ในขณะนี้" in answer.get_data(as_text=True)
    finally:
        pool.close()
