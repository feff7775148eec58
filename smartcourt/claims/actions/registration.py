"""Creditor self-registration: identity, phone verification and the creditor's account."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from smartcourt.accounts.actions import create_user
from smartcourt.accounts.choices import Role
from smartcourt.accounts.models import User
from smartcourt.audit.actions import record_event
from smartcourt.cases.models import Case
from smartcourt.claims import policies
from smartcourt.claims.actions._common import _ensure_creditor_member, validate_identifier
from smartcourt.claims.errors import ClaimError
from smartcourt.claims.models import Creditor, CreditorIdentity
from smartcourt.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from smartcourt.core.identifiers import mask_identity_number, mask_phone
from smartcourt.services import phone as phone_service
from smartcourt.services.models import PhoneChallenge
from smartcourt.services.phone import normalised_phone


@transaction.atomic
def request_phone_code(*, phone: str, now: dt.datetime | None = None) -> PhoneChallenge:
    """Send a 6-digit code to ``phone`` (SMS adapter) to confirm it. Rate-limited per phone."""
    phone = normalised_phone(phone)
    challenge = phone_service.send_code(
        phone=phone,
        message="【智慧法院】您的债权人注册验证码为{code}，10分钟内有效。请勿告诉他人。",
        now=now or timezone.now(),
    )
    record_event(actor=None, action="claims.phone_code_sent", obj=challenge, after={"phone": mask_phone(phone)})
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
    challenge = phone_service.check_code(challenge_id=challenge_id, phone=phone, code=code, now=now)
    return _create_registered_creditor(r, identifier=identifier, phone=phone, name=name, challenge=challenge, now=now)


@transaction.atomic
def _create_registered_creditor(
    r: Registration, *, identifier: str, phone: str, name: str, challenge: PhoneChallenge, now: dt.datetime
) -> User:
    phone_service.use_code(challenge, now=now)
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
        raise PermissionDenied(
            _("Register with a verified identity before declaring"), code=ClaimError.IDENTITY_REQUIRED
        )
    _ensure_creditor_member(actor=actor, case=case, user=actor)
    return case
