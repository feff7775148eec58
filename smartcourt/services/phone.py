"""Phone verification: a 6-digit code sent by SMS, checked with a bounded number of attempts, used once.

A service, not an action: it writes no audit event of its own. The action that asks for a code or consumes
one (a creditor's registration, a party's filing account) records the event in its own words and transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
import uuid

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from smartcourt.core.errors import Conflict, DomainError
from smartcourt.services.errors import ServiceError
from smartcourt.services.models import PhoneChallenge
from smartcourt.services.sms import sms_adapter

CODE_TTL = dt.timedelta(minutes=10)
CODE_ATTEMPTS = 5
# At most this many codes to one phone per hour, and one a minute.
CODES_PER_HOUR = 5
CODE_INTERVAL = dt.timedelta(seconds=60)
PHONE_PATTERN = re.compile(r"^1[3-9][0-9]{9}$", re.ASCII)


def _code_hash(challenge_id: uuid.UUID, code: str) -> str:
    """Keyed with the secret key and bound to the challenge: a leaked table reveals no code."""
    message = f"{challenge_id}:{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def normalised_phone(phone: str) -> str:
    value = re.sub(r"[\s-]", "", phone or "")
    if value.startswith("+86"):
        value = value[3:]
    if not PHONE_PATTERN.match(value):
        raise DomainError(_("A mainland mobile number has 11 digits and starts with 1"), field="phone")
    return value


def send_code(*, phone: str, message: str, now: dt.datetime) -> PhoneChallenge:
    """Create a challenge for the normalised ``phone`` and send its code by SMS once the caller's transaction
    commits; ``message`` is the SMS text with ``{code}`` where the code goes. Rate-limited per phone. Call
    inside the caller's transaction (the phone's recent challenges are locked so that two requests at once
    count each other)."""
    recent = list(
        PhoneChallenge.objects.select_for_update()
        .filter(phone=phone, created_at__gte=now - dt.timedelta(hours=1))
        .values_list("created_at", flat=True)
    )
    if len(recent) >= CODES_PER_HOUR:
        raise Conflict(
            _("Too many codes were sent to this number; try again in an hour"), code=ServiceError.RATE_LIMITED
        )
    if recent and max(recent) > now - CODE_INTERVAL:
        raise Conflict(_("A code was just sent; wait a minute before asking again"), code=ServiceError.RATE_LIMITED)
    code = f"{secrets.randbelow(1_000_000):06d}"
    challenge = PhoneChallenge(phone=phone, expires_at=now + CODE_TTL)
    challenge.code_hash = _code_hash(challenge.pk, code)
    challenge.save()
    # auto_now_add ignores a given time; the limits above read created_at, so store the clock they used.
    PhoneChallenge.objects.filter(pk=challenge.pk).update(created_at=now)
    challenge.created_at = now
    text = message.format(code=code)
    transaction.on_commit(lambda: sms_adapter().send(phone, text))
    return challenge


def check_code(*, challenge_id: uuid.UUID | str, phone: str, code: str, now: dt.datetime) -> PhoneChallenge:
    """Count one attempt (committed even when the code is wrong), then compare in constant time."""
    with transaction.atomic():
        counted = PhoneChallenge.objects.filter(
            pk=challenge_id,
            phone=phone,
            used_at__isnull=True,
            expires_at__gt=now,
            attempts__lt=CODE_ATTEMPTS,
        ).update(attempts=F("attempts") + 1)
    if counted != 1:
        raise DomainError(_("The code has expired or was tried too often; ask for a new one"), field="code")
    challenge = PhoneChallenge.objects.get(pk=challenge_id)
    if not hmac.compare_digest(challenge.code_hash, _code_hash(challenge.pk, (code or "").strip())):
        left = CODE_ATTEMPTS - challenge.attempts
        raise DomainError(_("Wrong code; %(left)s attempt(s) left") % {"left": left}, field="code")
    return challenge


def use_code(challenge: PhoneChallenge, *, now: dt.datetime) -> None:
    """Mark a checked challenge used, once: a second use (two registrations racing) is refused. Call inside the
    transaction that acts on the verified phone."""
    used = PhoneChallenge.objects.filter(pk=challenge.pk, used_at__isnull=True).update(used_at=now, verified_at=now)
    if used != 1:
        raise DomainError(_("The code has expired or was tried too often; ask for a new one"), field="code")
