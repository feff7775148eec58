"""Single sign-on from the court's case system (法综), as an OpenID Connect relying party (issue 18, ADR 0012).

The iGov profile's choices: the authorization code flow with PKCE (S256), client authentication by
``private_key_jwt`` (a short JWT signed with our own key; no shared secret to leak), ID tokens checked for
signature, issuer, audience, expiry and the nonce we sent, and back-channel logout (the provider tells us with a
signed logout token when a user signs out there, and we end the sessions his provider session opened).
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, KeySet

from smartcourt.accounts.errors import AccountError
from smartcourt.core.errors import DomainError

SESSION_KEY = "sso_request"
HTTP_TIMEOUT_SECONDS = 10
ASSERTION_SECONDS = 60
CLOCK_SKEW_SECONDS = 60
DISCOVERY_SECONDS = 300
LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout"


class SsoError(DomainError):
    """The provider's answer cannot be trusted or used; nobody is signed in."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code=AccountError.SSO_REFUSED)


def UNREACHABLE() -> str:
    return _("The court's sign-in system cannot be reached: try again, or sign in with a password")


def enabled() -> bool:
    return bool(settings.SSO_ISSUER)


def client_key() -> ECKey:
    """Our private_key_jwt key (P-256), generated on first use; the provider registers its public half."""
    path = settings.SSO_KEY_FILE
    if path.exists():
        key = ECKey.import_key(path.read_bytes())
    else:
        key = ECKey.generate_key("P-256")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(key.as_pem(private=True))
        path.chmod(0o600)
    key.ensure_kid()
    return key


def public_jwks() -> dict[str, Any]:
    return {"keys": [client_key().as_dict(private=False, use="sig", alg="ES256")]}


_cache_lock = threading.Lock()
_cache: dict[str, tuple[float, Any]] = {}


def _get_json(url: str) -> Any:
    try:
        with urllib.request.urlopen(url, timeout=HTTP_TIMEOUT_SECONDS) as response:  # noqa: S310 - configured issuer
            return json.loads(response.read())
    except (OSError, ValueError) as exc:
        raise SsoError(
            _("The court's sign-in system cannot be reached: try again, or sign in with a password")
        ) from exc


def _cached(url: str) -> Any:
    now = time.monotonic()
    with _cache_lock:
        hit = _cache.get(url)
        if hit is not None and hit[0] > now:
            return hit[1]
    value = _get_json(url)
    with _cache_lock:
        _cache[url] = (now + DISCOVERY_SECONDS, value)
    return value


def discovery() -> dict[str, Any]:
    issuer = str(settings.SSO_ISSUER).rstrip("/")
    document = _cached(f"{issuer}/.well-known/openid-configuration")
    if not isinstance(document, dict) or document.get("issuer") != issuer:
        raise SsoError(_("The court's sign-in system describes another issuer"))
    return document


def _provider_keys() -> KeySet:
    return KeySet.import_key_set(_cached(str(discovery()["jwks_uri"])))


def _s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest()).rstrip(b"=").decode()


def authorization_url(session: Any, redirect_uri: str, next_url: str) -> str:
    """Where to send the browser; remembers state, nonce and the PKCE verifier in our session."""
    state, nonce, verifier = secrets.token_urlsafe(24), secrets.token_urlsafe(24), secrets.token_urlsafe(48)
    session[SESSION_KEY] = {
        "state": state,
        "nonce": nonce,
        "verifier": verifier,
        "redirect_uri": redirect_uri,
        "next": next_url,
    }
    query = {
        "response_type": "code",
        "client_id": settings.SSO_CLIENT_ID,
        "redirect_uri": redirect_uri,
        "scope": "openid profile",
        "state": state,
        "nonce": nonce,
        "code_challenge": _s256(verifier),
        "code_challenge_method": "S256",
    }
    return f"{discovery()['authorization_endpoint']}?{urllib.parse.urlencode(query)}"


@dataclass(frozen=True)
class ProviderIdentity:
    issuer: str
    subject: str
    sid: str
    username: str
    name: str
    role: str
    court: str
    next_url: str


def _client_assertion(token_endpoint: str) -> str:
    key = client_key()
    now = int(time.time())
    claims = {
        "iss": settings.SSO_CLIENT_ID,
        "sub": settings.SSO_CLIENT_ID,
        "aud": token_endpoint,
        "iat": now,
        "exp": now + ASSERTION_SECONDS,
        "jti": secrets.token_urlsafe(16),
    }
    return jwt.encode({"alg": "ES256", "kid": key.kid}, claims, key)


def _exchange(code: str, verifier: str, redirect_uri: str) -> dict[str, Any]:
    endpoint = str(discovery()["token_endpoint"])
    body = urllib.parse.urlencode(
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": verifier,
            "client_id": settings.SSO_CLIENT_ID,
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": _client_assertion(endpoint),
        }
    ).encode()
    request = urllib.request.Request(  # noqa: S310 - the provider's token endpoint
        endpoint, data=body, headers={"Content-Type": "application/x-www-form-urlencoded"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT_SECONDS) as response:  # noqa: S310
            answer = json.loads(response.read())
    except urllib.error.HTTPError as exc:
        raise SsoError(_("The court's sign-in system refused the sign-in: start again")) from exc
    except (OSError, ValueError) as exc:
        raise SsoError(
            _("The court's sign-in system cannot be reached: try again, or sign in with a password")
        ) from exc
    if not isinstance(answer, dict) or not isinstance(answer.get("id_token"), str):
        raise SsoError(_("The court's sign-in system sent no identity"))
    return answer


def _verified(token: str, *, expect_nonce: str | None) -> dict[str, Any]:
    """The claims of a token the provider signed for us, checked as OpenID Connect Core §3.1.3.7 says."""
    try:
        claims = dict(jwt.decode(token, _provider_keys(), algorithms=["RS256", "ES256"]).claims)
    except (JoseError, ValueError) as exc:
        raise SsoError(_("The identity from the court's sign-in system is not validly signed")) from exc
    now = time.time()
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    exp, iat = claims.get("exp"), claims.get("iat")
    checks = [
        claims.get("iss") == discovery()["issuer"],
        settings.SSO_CLIENT_ID in audiences,
        isinstance(exp, int | float) and exp > now - CLOCK_SKEW_SECONDS,
        isinstance(iat, int | float) and iat < now + CLOCK_SKEW_SECONDS,
        isinstance(claims.get("sub"), str) and bool(claims.get("sub")),
    ]
    if expect_nonce is not None:
        checks.append(claims.get("nonce") == expect_nonce)
    if not all(checks):
        raise SsoError(_("The identity from the court's sign-in system is not for this sign-in"))
    return claims


def identity_from_callback(session: Any, *, code: str, state: str) -> ProviderIdentity:
    """Finish the code flow: our state matches, the code is exchanged with PKCE and our signed assertion, and
    the ID token is verified. The remembered request is used once."""
    remembered = session.pop(SESSION_KEY, None)
    if not isinstance(remembered, dict) or not code or not secrets.compare_digest(str(remembered["state"]), state):
        raise SsoError(_("This sign-in link is stale or was not started here: start again"))
    answer = _exchange(code, str(remembered["verifier"]), str(remembered["redirect_uri"]))
    claims = _verified(answer["id_token"], expect_nonce=str(remembered["nonce"]))
    fields = ("preferred_username", "role", "court", "sid")
    if not all(isinstance(claims.get(name), str) and claims[name] for name in fields):
        raise SsoError(_("The court's sign-in system did not say who you are and what you do"))
    return ProviderIdentity(
        issuer=str(claims["iss"]),
        subject=str(claims["sub"]),
        sid=str(claims["sid"]),
        username=str(claims["preferred_username"]),
        name=str(claims.get("name") or ""),
        role=str(claims["role"]),
        court=str(claims["court"]),
        next_url=str(remembered.get("next") or ""),
    )


@dataclass(frozen=True)
class LogoutRequest:
    issuer: str
    subject: str
    sid: str


def verified_logout(token: str) -> LogoutRequest:
    """Back-Channel Logout 1.0 §2.6: signed by the provider, for us, with the logout event, without a nonce,
    naming a session (we ask the provider for sid, so a token without one is refused)."""
    claims = _verified(token, expect_nonce=None)
    events = claims.get("events")
    if not isinstance(events, dict) or LOGOUT_EVENT not in events or "nonce" in claims:
        raise SsoError(_("Not a logout token"))
    if not isinstance(claims.get("sid"), str) or not claims["sid"]:
        raise SsoError(_("The logout token names no session"))
    return LogoutRequest(issuer=str(claims["iss"]), subject=str(claims["sub"]), sid=str(claims["sid"]))
