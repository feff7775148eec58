"""The sandbox identity provider's HTTP side, a plain WSGI application (what it does: ``__init__.py``).

Endpoints: ``/.well-known/openid-configuration``, ``/jwks``, ``/authorize`` (GET, the sign-in form when there is
no session), ``/login`` (POST of that form), ``/token`` (POST, private_key_jwt), ``/logout`` (GET a page, POST to
sign out everywhere), ``/`` (the 法综 desk, with SmartCourt in its frame), ``/health``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import json
import secrets
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import Any

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, RSAKey

StartResponse = Callable[[str, list[tuple[str, str]]], Any]
MAX_BODY = 64 * 1024
CODE_SECONDS = 60
ID_TOKEN_SECONDS = 300
ASSERTION_MAX_SECONDS = 300
SESSION_COOKIE = "idp_session"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout"
LOGOUT_TIMEOUT_SECONDS = 5


class OidcError(Exception):
    """An OAuth error answered to the client as ``{"error", "error_description"}``."""

    def __init__(self, error: str, description: str, status: HTTPStatus = HTTPStatus.BAD_REQUEST) -> None:
        super().__init__(description)
        self.error = error
        self.status = status


@dataclass(frozen=True)
class Staff:
    username: str
    password_hash: str  # "pbkdf2_sha256$<iterations>$<salt hex>$<digest hex>"
    name: str
    role: str
    court: str

    @property
    def subject(self) -> str:
        # Stable and opaque, as an identity provider's subject should be.
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"fazong:{self.username}"))

    def password_matches(self, password: str) -> bool:
        _, iterations, salt, digest = self.password_hash.split("$")
        derived = hashlib.pbkdf2_hmac("sha256", password.encode(), bytes.fromhex(salt), int(iterations))
        return hmac.compare_digest(derived.hex(), digest)


def hash_password(password: str, *, iterations: int = 100_000) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
    return f"pbkdf2_sha256${iterations}${salt.hex()}${digest.hex()}"


@dataclass(frozen=True)
class Client:
    client_id: str
    redirect_uris: tuple[str, ...]
    jwks: KeySet
    backchannel_logout_uri: str
    portal_url: str  # the page the 法综 desk shows in its frame


@dataclass
class Grant:
    client_id: str
    username: str
    redirect_uri: str
    nonce: str
    challenge: str
    sid: str
    expires: float


@dataclass
class Session:
    username: str
    sid: str
    clients: set[str] = field(default_factory=set)


def load_staff(path: Path) -> dict[str, Staff]:
    rows = json.loads(path.read_text(encoding="utf-8"))
    return {row["username"]: Staff(**row) for row in rows}


def load_clients(path: Path) -> dict[str, Client]:
    rows = json.loads(path.read_text(encoding="utf-8"))
    return {
        row["client_id"]: Client(
            client_id=row["client_id"],
            redirect_uris=tuple(row["redirect_uris"]),
            jwks=KeySet.import_key_set(row["jwks"]),
            backchannel_logout_uri=row.get("backchannel_logout_uri", ""),
            portal_url=row.get("portal_url", ""),
        )
        for row in rows
    }


def _unverified_issuer(token: str) -> str:
    """Which client an assertion claims to come from, read before its signature can be checked (the client's
    key is chosen by it); the signature is then checked with that client's key."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError):
        return ""
    return str(claims.get("iss", "")) if isinstance(claims, dict) else ""


def _s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest()).rstrip(b"=").decode()


class IdpApp:
    def __init__(self, signing_key: RSAKey, staff: dict[str, Staff], clients: dict[str, Client]) -> None:
        self.key = signing_key
        self.staff = staff
        self.clients = clients
        self.issuer = ""  # set once the server knows its address
        self._lock = threading.Lock()
        self._grants: dict[str, Grant] = {}
        self._sessions: dict[str, Session] = {}
        self._used_assertions: dict[str, float] = {}
        self.logout_log: list[dict[str, Any]] = []  # what each back-channel call answered (shown on /logout)

    # --- WSGI -------------------------------------------------------------------------------------------

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        path = environ.get("PATH_INFO", "/")
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > MAX_BODY:
            return self._json(start_response, HTTPStatus.REQUEST_ENTITY_TOO_LARGE, {"error": "invalid_request"})
        raw = environ["wsgi.input"].read(length) if length else b""
        form = {key: values[-1] for key, values in urllib.parse.parse_qs(raw.decode("utf-8", "replace")).items()}
        query = {key: values[-1] for key, values in urllib.parse.parse_qs(environ.get("QUERY_STRING", "")).items()}
        session = self._session(environ)
        routes: dict[tuple[str, str], Callable[[], list[bytes]]] = {
            ("GET", "/health"): lambda: self._json(start_response, HTTPStatus.OK, {"status": "ok"}),
            ("GET", "/.well-known/openid-configuration"): lambda: self._json(
                start_response, HTTPStatus.OK, self.discovery()
            ),
            ("GET", "/jwks"): lambda: self._json(
                start_response, HTTPStatus.OK, {"keys": [self.key.as_dict(private=False)]}
            ),
            ("GET", "/authorize"): lambda: self._authorize(start_response, query, session),
            ("POST", "/login"): lambda: self._login(start_response, form),
            ("POST", "/token"): lambda: self._token(start_response, form),
            ("GET", "/logout"): lambda: self._logout_page(start_response, session),
            ("POST", "/logout"): lambda: self._logout(start_response, environ),
            ("GET", "/"): lambda: self._desk(start_response, session),
        }
        handler = routes.get((method, path))
        if handler is None:
            return self._json(start_response, HTTPStatus.NOT_FOUND, {"error": "not_found"})
        return handler()

    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "end_session_endpoint": f"{self.issuer}/logout",
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["private_key_jwt"],
            "token_endpoint_auth_signing_alg_values_supported": ["ES256", "RS256"],
            "code_challenge_methods_supported": ["S256"],
            "scopes_supported": ["openid", "profile"],
            "claims_supported": ["sub", "name", "preferred_username", "role", "court", "sid"],
            "backchannel_logout_supported": True,
            "backchannel_logout_session_supported": True,
        }

    # --- Authorization ----------------------------------------------------------------------------------

    def _session(self, environ: Mapping[str, Any]) -> Session | None:
        cookies = environ.get("HTTP_COOKIE", "")
        for part in cookies.split(";"):
            name, _, value = part.strip().partition("=")
            if name == SESSION_COOKIE:
                with self._lock:
                    return self._sessions.get(value)
        return None

    def _checked_request(self, params: Mapping[str, str]) -> Client:
        """Checks an authorization request; a bad client or redirect URI is never redirected to (RFC 6749
        §4.1.2.1), so these are answered on the provider's own page."""
        client = self.clients.get(params.get("client_id", ""))
        if client is None:
            raise OidcError("invalid_client", "未知的应用")
        if params.get("redirect_uri", "") not in client.redirect_uris:
            raise OidcError("invalid_request", "回调地址未登记")
        if params.get("response_type") != "code":
            raise OidcError("unsupported_response_type", "只支持授权码模式")
        if "openid" not in params.get("scope", "").split():
            raise OidcError("invalid_scope", "缺少 openid 范围")
        if params.get("code_challenge_method") != "S256" or len(params.get("code_challenge", "")) < 43:
            raise OidcError("invalid_request", "必须使用 PKCE（S256）")
        if not params.get("state") or not params.get("nonce"):
            raise OidcError("invalid_request", "缺少 state 或 nonce")
        return client

    def _authorize(self, start_response: StartResponse, query: dict[str, str], session: Session | None) -> list[bytes]:
        try:
            self._checked_request(query)
        except OidcError as exc:
            return self._page(start_response, HTTPStatus.BAD_REQUEST, "登录请求无效", f"<p>{html.escape(str(exc))}</p>")
        if session is None:
            return self._login_form(start_response, query, "")
        return self._issue_code(start_response, query, session, set_cookie=None)

    def _login_form(self, start_response: StartResponse, params: Mapping[str, str], error: str) -> list[bytes]:
        hidden = "".join(
            f'<input type="hidden" name="{html.escape(key)}" value="{html.escape(value)}">'
            for key, value in params.items()
            if key not in {"username", "password"}
        )
        alert = f'<p class="error" role="alert">{html.escape(error)}</p>' if error else ""
        body = (
            f'{alert}<form method="post" action="/login">{hidden}'
            '<label>用户名 <input name="username" autocomplete="username" required></label>'
            '<label>密码 <input name="password" type="password" autocomplete="current-password" required></label>'
            '<button type="submit">登录</button></form>'
        )
        return self._page(start_response, HTTPStatus.OK, "法综系统登录", body)

    def _login(self, start_response: StartResponse, form: dict[str, str]) -> list[bytes]:
        try:
            self._checked_request(form)
        except OidcError as exc:
            return self._page(start_response, HTTPStatus.BAD_REQUEST, "登录请求无效", f"<p>{html.escape(str(exc))}</p>")
        staff = self.staff.get(form.get("username", "").strip())
        if staff is None or not staff.password_matches(form.get("password", "")):
            return self._login_form(start_response, form, "用户名或密码不正确")
        token = secrets.token_urlsafe(32)
        session = Session(username=staff.username, sid=secrets.token_urlsafe(16))
        with self._lock:
            self._sessions[token] = session
        cookie = f"{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax"
        return self._issue_code(start_response, form, session, set_cookie=cookie)

    def _issue_code(
        self, start_response: StartResponse, params: Mapping[str, str], session: Session, *, set_cookie: str | None
    ) -> list[bytes]:
        code = secrets.token_urlsafe(32)
        grant = Grant(
            client_id=params["client_id"],
            username=session.username,
            redirect_uri=params["redirect_uri"],
            nonce=params["nonce"],
            challenge=params["code_challenge"],
            sid=session.sid,
            expires=time.time() + CODE_SECONDS,
        )
        with self._lock:
            self._grants[code] = grant
            session.clients.add(grant.client_id)
        location = grant.redirect_uri + "?" + urllib.parse.urlencode({"code": code, "state": params["state"]})
        headers = [("Location", location), ("Cache-Control", "no-store")]
        if set_cookie:
            headers.append(("Set-Cookie", set_cookie))
        start_response("302 Found", headers)
        return [b""]

    # --- Token ------------------------------------------------------------------------------------------

    def _token(self, start_response: StartResponse, form: dict[str, str]) -> list[bytes]:
        try:
            answer = self._exchange(form)
        except OidcError as exc:
            return self._json(start_response, exc.status, {"error": exc.error, "error_description": str(exc)})
        return self._json(start_response, HTTPStatus.OK, answer)

    def _authenticated_client(self, form: dict[str, str]) -> Client:
        """private_key_jwt (OpenID Connect Core §9): a JWT the client signed, for this token endpoint, once."""
        if form.get("client_assertion_type") != ASSERTION_TYPE or not form.get("client_assertion"):
            raise OidcError("invalid_client", "client authentication must be private_key_jwt", HTTPStatus.UNAUTHORIZED)
        client = self.clients.get(form.get("client_id") or _unverified_issuer(form["client_assertion"]))
        if client is None:
            raise OidcError("invalid_client", "unknown client", HTTPStatus.UNAUTHORIZED)
        try:
            token = jwt.decode(form["client_assertion"], client.jwks, algorithms=["ES256", "RS256"])
        except (JoseError, ValueError) as exc:
            raise OidcError("invalid_client", f"client assertion: {exc}", HTTPStatus.UNAUTHORIZED) from exc
        claims = token.claims
        now = time.time()
        exp = claims.get("exp")
        checks = [
            claims.get("iss") == client.client_id and claims.get("sub") == client.client_id,
            claims.get("aud") in (f"{self.issuer}/token", [f"{self.issuer}/token"], self.issuer, [self.issuer]),
            isinstance(exp, int | float) and now < exp <= now + ASSERTION_MAX_SECONDS + 30,
            isinstance(claims.get("jti"), str) and bool(claims.get("jti")),
        ]
        if not all(checks):
            raise OidcError("invalid_client", "client assertion claims", HTTPStatus.UNAUTHORIZED)
        with self._lock:
            self._used_assertions = {jti: until for jti, until in self._used_assertions.items() if until > now}
            if claims["jti"] in self._used_assertions:
                raise OidcError("invalid_client", "client assertion replayed", HTTPStatus.UNAUTHORIZED)
            self._used_assertions[claims["jti"]] = float(exp)  # type: ignore[arg-type]
        return client

    def _exchange(self, form: dict[str, str]) -> dict[str, Any]:
        client = self._authenticated_client(form)
        if form.get("grant_type") != "authorization_code":
            raise OidcError("unsupported_grant_type", "only authorization_code")
        with self._lock:
            grant = self._grants.pop(form.get("code", ""), None)  # a code is used once, even when refused
        if grant is None or grant.expires < time.time() or grant.client_id != client.client_id:
            raise OidcError("invalid_grant", "unknown, used or expired code")
        if form.get("redirect_uri") != grant.redirect_uri:
            raise OidcError("invalid_grant", "redirect_uri differs from the authorization request")
        if not hmac.compare_digest(_s256(form.get("code_verifier", "")), grant.challenge):
            raise OidcError("invalid_grant", "PKCE verifier does not match")
        staff = self.staff[grant.username]
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "sub": staff.subject,
            "aud": client.client_id,
            "iat": now,
            "exp": now + ID_TOKEN_SECONDS,
            "auth_time": now,
            "nonce": grant.nonce,
            "sid": grant.sid,
            "preferred_username": staff.username,
            "name": staff.name,
            "role": staff.role,
            "court": staff.court,
        }
        id_token = jwt.encode({"alg": "RS256", "kid": self.key.kid}, claims, self.key)
        return {
            "access_token": secrets.token_urlsafe(32),
            "token_type": "Bearer",
            "expires_in": ID_TOKEN_SECONDS,
            "id_token": id_token,
        }

    # --- Logout -----------------------------------------------------------------------------------------

    def _logout_page(self, start_response: StartResponse, session: Session | None) -> list[bytes]:
        who = html.escape(session.username) if session else ""
        body = (
            f"<p>当前用户：{who}</p>"
            '<form method="post" action="/logout"><button type="submit">退出法综系统</button></form>'
            if session
            else "<p>未登录。</p>"
        )
        return self._page(start_response, HTTPStatus.OK, "退出登录", body)

    def _logout(self, start_response: StartResponse, environ: Mapping[str, Any]) -> list[bytes]:
        cookies = environ.get("HTTP_COOKIE", "")
        token = next(
            (
                value
                for name, _, value in (part.strip().partition("=") for part in cookies.split(";"))
                if name == SESSION_COOKIE
            ),
            "",
        )
        with self._lock:
            session = self._sessions.pop(token, None)
        results = [] if session is None else [self._notify_logout(session, client_id) for client_id in session.clients]
        items = "".join(f"<li>{html.escape(r['client_id'])}：{html.escape(str(r['status']))}</li>" for r in results)
        start_response(
            "200 OK",
            [
                ("Content-Type", "text/html; charset=utf-8"),
                ("Set-Cookie", f"{SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax"),
            ],
        )
        return [self._html("已退出", f"<p>已退出法综系统。</p><ul>{items}</ul>").encode()]

    def logout_token(self, session: Session, client: Client) -> str:
        """OpenID Connect Back-Channel Logout 1.0 §2.4: no nonce, the logout event, the session id."""
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "sub": self.staff[session.username].subject,
            "aud": client.client_id,
            "iat": now,
            "exp": now + 120,
            "jti": secrets.token_urlsafe(16),
            "sid": session.sid,
            "events": {LOGOUT_EVENT: {}},
        }
        return jwt.encode({"alg": "RS256", "kid": self.key.kid, "typ": "logout+jwt"}, claims, self.key)

    def _notify_logout(self, session: Session, client_id: str) -> dict[str, Any]:
        client = self.clients[client_id]
        result: dict[str, Any] = {"client_id": client_id, "status": "no back-channel URI"}
        if client.backchannel_logout_uri:
            body = urllib.parse.urlencode({"logout_token": self.logout_token(session, client)}).encode()
            request = urllib.request.Request(  # noqa: S310 - a registered client's URI
                client.backchannel_logout_uri,
                data=body,
                headers={"Content-Type": "application/x-www-form-urlencoded"},
                method="POST",
            )
            try:
                with urllib.request.urlopen(request, timeout=LOGOUT_TIMEOUT_SECONDS) as response:  # noqa: S310
                    result["status"] = response.status
            except urllib.error.HTTPError as exc:
                result["status"] = exc.code
            except OSError as exc:
                result["status"] = f"unreachable: {exc}"
        self.logout_log.append(result)
        return result

    # --- The 法综 desk ----------------------------------------------------------------------------------

    def _desk(self, start_response: StartResponse, session: Session | None) -> list[bytes]:
        if session is None:
            body = "<p>请从 SmartCourt 或其他应用登录。</p>"
        else:
            staff = self.staff[session.username]
            frames = "".join(
                f'<iframe title="{html.escape(client.client_id)}" src="{html.escape(client.portal_url)}"></iframe>'
                for client in self.clients.values()
                if client.portal_url
            )
            body = (
                f'<p>{html.escape(staff.name)}（{html.escape(staff.court)}） · <a href="/logout">退出</a></p>{frames}'
            )
        return self._page(start_response, HTTPStatus.OK, "法综系统", body)

    # --- Answers ----------------------------------------------------------------------------------------

    @staticmethod
    def _json(start_response: StartResponse, status: HTTPStatus, payload: Any) -> list[bytes]:
        body = json.dumps(payload, ensure_ascii=False).encode()
        start_response(
            f"{status.value} {status.phrase}",
            [("Content-Type", "application/json"), ("Cache-Control", "no-store"), ("Content-Length", str(len(body)))],
        )
        return [body]

    @staticmethod
    def _html(title: str, body: str) -> str:
        return (
            '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(title)}</title><style>body{{font-family:sans-serif;max-width:60rem;margin:2rem auto;"
            "padding:0 1rem}label{display:block;margin:.5rem 0}iframe{width:100%;height:70vh;border:1px solid #ccc}"
            f".error{{color:#b00}}</style></head><body><h1>{html.escape(title)}</h1>{body}</body></html>"
        )

    def _page(self, start_response: StartResponse, status: HTTPStatus, title: str, body: str) -> list[bytes]:
        page = self._html(title, body).encode()
        start_response(
            f"{status.value} {status.phrase}",
            [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(page)))],
        )
        return [page]
