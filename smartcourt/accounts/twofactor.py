"""The second factor: TOTP (RFC 6238, 30-second steps, 6 digits) and the session state between the
password and the code.

The session holds the sign-in stage:
- ``two_factor_pending``: the password was accepted but the code is still owed (the API's session
  authentication reads this key too);
- ``two_factor_verified``: the code was given in this session;
- ``two_factor_next``: where to go once the code is given.
"""

from __future__ import annotations

import base64
import datetime as dt
import hmac
import os
import re

import pyotp
import qrcode
import qrcode.image.svg
from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from smartcourt.accounts.models import User

PENDING_KEY = "two_factor_pending"
VERIFIED_KEY = "two_factor_verified"
NEXT_KEY = "two_factor_next"

INTERVAL_SECONDS = 30
DIGITS = 6
# One step either side: tolerates a phone clock 30 seconds off without widening the guessing odds much.
VALID_WINDOW = 1
ISSUER = "智慧法院平台"

_CODE = re.compile(rf"^[0-9]{{{DIGITS}}}$", re.ASCII)


def new_secret() -> str:
    return pyotp.random_base32()


# Secrets are stored encrypted (AES-256-GCM under a key derived from SECRET_KEY), so a copy of the database
# alone (a backup, a replica) does not give anyone the codes. The user's id is the associated data: a secret
# copied onto another account does not open. Changing SECRET_KEY means enrolling everyone again.
_SEALED_PREFIX = "aesgcm1:"


def _secret_key() -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"smartcourt totp secret v1").derive(
        settings.SECRET_KEY.encode()
    )


def seal_secret(secret: str, *, user_id: object) -> str:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = os.urandom(12)
    sealed = AESGCM(_secret_key()).encrypt(nonce, secret.encode(), str(user_id).encode())
    return _SEALED_PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode()


def open_secret(stored: str, *, user_id: object) -> str:
    """The base32 secret from its stored form ("" stays ""). Raises ValueError if it was tampered with."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if not stored:
        return ""
    if not stored.startswith(_SEALED_PREFIX):
        raise ValueError("the stored second-factor secret is not sealed")
    raw = base64.urlsafe_b64decode(stored[len(_SEALED_PREFIX) :])
    try:
        return AESGCM(_secret_key()).decrypt(raw[:12], raw[12:], str(user_id).encode()).decode()
    except InvalidTag as exc:
        raise ValueError("the stored second-factor secret does not open with this server's key") from exc


def _totp(secret: str) -> pyotp.TOTP:
    return pyotp.TOTP(secret, digits=DIGITS, interval=INTERVAL_SECONDS)


def time_step(at: dt.datetime) -> int:
    return int(at.timestamp()) // INTERVAL_SECONDS


def matching_step(secret: str, code: str, *, at: dt.datetime | None = None) -> int | None:
    """The time step whose code ``code`` is, within the allowed window around ``at``; None if none."""
    code = code.strip()
    if not secret or not _CODE.match(code):
        return None
    totp = _totp(secret)
    current = time_step(at or timezone.now())
    found: int | None = None
    # Every candidate is compared (no early exit), so the time taken says nothing about which one matched.
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            found = step
    return found


def provisioning_uri(user: User, secret: str) -> str:
    return _totp(secret).provisioning_uri(name=user.username, issuer_name=ISSUER)


def qr_svg(data: str) -> str:
    """A QR code of ``data`` as an inline SVG element (vector, no image library needed)."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    svg: str = image.to_string(encoding="unicode")
    # Pixel size instead of millimetres, so that the code scans well on a laptop screen; viewBox keeps it sharp.
    return re.sub(r'^<svg width="[^"]*" height="[^"]*"', '<svg width="220" height="220" class="sc-qr"', svg, count=1)


def grouped_secret(secret: str) -> str:
    """``ABCD EFGH …``: easier to type into an authenticator by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def owes_second_factor(request: HttpRequest) -> bool:
    """Whether the signed-in user of this request still has to give a TOTP code.

    Besides the pending flag set at sign-in, any session of a user who needs the second factor and has not
    given it counts as owing, so a session created some other way (or before the switch was turned on) is
    not a way around it."""
    user = request.user
    if not user.is_authenticated:
        return False
    if request.session.get(PENDING_KEY):
        return True
    return bool(
        settings.TWO_FACTOR_REQUIRED
        and isinstance(user, User)
        and user.needs_two_factor
        and not request.session.get(VERIFIED_KEY)
    )


def second_factor_required_for(user: User) -> bool:
    return bool(settings.TWO_FACTOR_REQUIRED and user.needs_two_factor)


def is_enrolled(user: User) -> bool:
    return bool(user.totp_secret and user.totp_confirmed_at is not None)


def mark_pending(request: HttpRequest, *, next_url: str) -> None:
    request.session.pop(VERIFIED_KEY, None)
    request.session[PENDING_KEY] = True
    request.session[NEXT_KEY] = next_url


def mark_verified(request: HttpRequest) -> str | None:
    """Finish the sign-in; returns the remembered destination (still to be checked by the caller)."""
    next_url = request.session.pop(NEXT_KEY, None)
    request.session.pop(PENDING_KEY, None)
    request.session[VERIFIED_KEY] = True
    # A new session key at each privilege step: a key seen before the code was given is worth nothing after.
    request.session.cycle_key()
    return next_url if isinstance(next_url, str) else None
