"""Creditor self-registration: identity, phone verification and the creditor's account."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from smartcourt.accounts.actions import create_user
from smartcourt.accounts.choices import Role
from smartcourt.accounts.models import User
from smartcourt.audit.actions import record_event
from smartcourt.cases.models import Case
from smartcourt.claims import policies
from smartcourt.claims.actions._common import _ensure_creditor_member, validate_identifier
from smartcourt.claims.models import Creditor, CreditorIdentity, PhoneChallenge
from smartcourt.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from smartcourt.core.identifiers import mask_identity_number, mask_phone
from smartcourt.documents.sms import sms_adapter

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


@transaction.atomic
def request_phone_code(*, phone: str, now: dt.datetime | None = None) -> PhoneChallenge:
    """Send a 6-digit code to ``phone`` (SMS adapter) to confirm it. Rate-limited per phone."""
    phone = normalised_phone(phone)
    now = now or timezone.now()
    # Lock the phone's recent challenges so that two requests at once count each other.
    recent = list(
        PhoneChallenge.objects.select_for_update()
        .filter(phone=phone, created_at__gte=now - dt.timedelta(hours=1))
        .values_list("created_at", flat=True)
    )
    if len(recent) >= CODES_PER_HOUR:
        raise Conflict(_("Too many codes were sent to this number; try again in an hour"), code="rate_limited")
    if recent and max(recent) > now - CODE_INTERVAL:
        raise Conflict(_("A code was just sent; wait a minute before asking again"), code="rate_limited")
    code = f"{secrets.randbelow(1_000_000):06d}"
    challenge = PhoneChallenge(phone=phone, expires_at=now + CODE_TTL)
    challenge.code_hash = _code_hash(challenge.pk, code)
    challenge.save()
    # auto_now_add ignores a given time; the limits above read created_at, so store the clock they used.
    PhoneChallenge.objects.filter(pk=challenge.pk).update(created_at=now)
    challenge.created_at = now
    record_event(actor=None, action="claims.phone_code_sent", obj=challenge, after={"phone": mask_phone(phone)})
    text = f"【智慧法院】您的债权人注册验证码为{code}，10分钟内有效。请勿告诉他人。"
    transaction.on_commit(lambda: sms_adapter().send(phone, text))
    return challenge


def _check_code(*, challenge_id: uuid.UUID | str, phone: str, code: str, now: dt.datetime) -> PhoneChallenge:
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


@dataclass(frozen=True)
class Registration:
    """What a creditor gives to register; the identifier is an identity number or a credit code."""

    kind: str
    identifier: str
    full_name: str
    phone: str
    username: str
    password: str
    email: str = ""


def register_creditor(
    *, registration: Registration, challenge_id: uuid.UUID | str, code: str, now: dt.datetime | None = None
) -> User:
    """Create a creditor account with a verified identity: identifier check digits (GB 11643 / GB 32100) and
    the phone confirmed by the code sent to it. The creditor records of every case listing the same identifier
    and phone become his, and he becomes a creditor member of those cases."""
    now = now or timezone.now()
    r = registration
    identifier = validate_identifier(r.kind, r.identifier)
    phone = normalised_phone(r.phone)
    name = r.full_name.strip()
    if not name or len(name) > 100:
        raise DomainError(_("Give the name as on the identity document (at most 100 characters)"), field="full_name")
    challenge = _check_code(challenge_id=challenge_id, phone=phone, code=code, now=now)
    return _create_registered_creditor(r, identifier=identifier, phone=phone, name=name, challenge=challenge, now=now)


@transaction.atomic
def _create_registered_creditor(
    r: Registration, *, identifier: str, phone: str, name: str, challenge: PhoneChallenge, now: dt.datetime
) -> User:
    used = PhoneChallenge.objects.filter(pk=challenge.pk, used_at__isnull=True).update(used_at=now, verified_at=now)
    if used != 1:
        raise DomainError(_("The code has expired or was tried too often; ask for a new one"), field="code")
    if CreditorIdentity.objects.filter(identifier=identifier).exists():
        raise Conflict(_("An account is already registered with this number; sign in instead"), field="identifier")
    user = create_user(
        actor=None,
        username=r.username,
        password=r.password,
        role=Role.CREDITOR,
        full_name=name,
        email=r.email.strip(),
        phone=phone,
    )
    try:
        with transaction.atomic():
            CreditorIdentity.objects.create(
                user=user, kind=r.kind, identifier=identifier, phone=phone, phone_verified_at=now
            )
    except IntegrityError as exc:
        raise Conflict(
            _("An account is already registered with this number; sign in instead"), field="identifier"
        ) from exc
    linked = _link_known_records(user=user, identifier=identifier, phone=phone, name=name)
    record_event(
        actor=user,
        action="claims.creditor_registered",
        obj=user,
        after={
            "kind": r.kind,
            "identifier": mask_identity_number(identifier),
            "phone": mask_phone(phone),
            "cases": linked,
        },
    )
    return user


def _link_known_records(*, user: User, identifier: str, phone: str, name: str) -> int:
    """Take over the unclaimed creditor records listing this identifier. The list must also give the same
    phone, or no phone and the same name: an identity number alone is too easy to know."""
    records = list(
        Creditor.objects.select_for_update()
        .filter(identifier=identifier, user__isnull=True)
        .filter(Q(phone=phone) | Q(phone="", name=name))
        .select_related("case")
    )
    for record in records:
        Creditor.objects.filter(pk=record.pk, user__isnull=True).update(user=user, updated_at=timezone.now())
        _ensure_creditor_member(actor=user, case=record.case, user=user)
        record_event(actor=user, action="claims.creditor_record_linked", case_id=record.case_id, obj=record)
    return len({record.case_id for record in records})


@transaction.atomic
def join_case_to_declare(*, actor: User, case_id: uuid.UUID | str) -> Case:
    """A registered creditor (or agent) joins a case open for declaration so that he can declare in it."""
    from smartcourt.claims.selectors import open_for_declaration

    case = open_for_declaration().filter(pk=case_id).first()
    if case is None:
        raise NotFound(_("No such case is open for declaration"))
    if not (actor.is_active and actor.role in policies.DECLARING_ROLES):
        raise PermissionDenied(_("Only a creditor or his agent declares a claim"))
    if actor.role == Role.CREDITOR and not CreditorIdentity.objects.filter(user=actor).exists():
        raise PermissionDenied(_("Register with a verified identity before declaring"), code="identity_required")
    _ensure_creditor_member(actor=actor, case=case, user=actor)
    return case
