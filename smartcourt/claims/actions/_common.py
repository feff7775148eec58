"""Private helpers shared by the claims actions."""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from smartcourt.accounts.models import User
from smartcourt.bankruptcy.models import Proceeding
from smartcourt.cases.actions import add_member
from smartcourt.cases.choices import MemberRole
from smartcourt.cases.models import Case
from smartcourt.claims.choices import CLAIM_TRANSITIONS, ClaimStatus, CreditorKind, DocumentKind, PowerOfAttorneyStatus
from smartcourt.claims.errors import ClaimError
from smartcourt.claims.models import Claim, ClaimDocument, ClaimTransition, CreditorIdentity
from smartcourt.claims.selectors import get_claim_for
from smartcourt.core.errors import Conflict, DomainError
from smartcourt.core.identifiers import validate_credit_code, validate_identity_number
from smartcourt.core.lengths import FILE_STEM, fit, shorten
from smartcourt.core.money import yuan_to_fen
from smartcourt.core.pdf import template_to_pdf
from smartcourt.core.uploads import PDF
from smartcourt.dossier.actions import file_entry
from smartcourt.dossier.choices import EntryKind
from smartcourt.dossier.models import DossierEntry

MAX_REASON = 1000


REVIEW_ITEMS = ("principal", "interest", "penalties", "costs")


def _proceeding(case: Case) -> Proceeding:
    try:
        return Proceeding.objects.get(case=case)
    except Proceeding.DoesNotExist as exc:
        raise DomainError(
            _("Claims are declared only once the court has accepted the case"), code=ClaimError.NO_PROCEEDING
        ) from exc


def _anchor(proceeding: Proceeding, name: str) -> dt.date | None:
    value = proceeding.anchor_dates.get(name)
    return dt.date.fromisoformat(value) if value else None


def _amount(value: str | None, *, field: str) -> int:
    if value is None or str(value).strip() == "":
        return 0
    fen = yuan_to_fen(str(value), field=field)
    if fen < 0:
        raise DomainError(_("%(field)s: an amount cannot be negative") % {"field": field}, field=field)
    return fen


def _reason(text: str, *, field: str) -> str:
    text = (text or "").strip()
    if len(text) > MAX_REASON:
        raise DomainError(
            _("%(field)s: at most %(max_reason)s characters") % {"field": field, "max_reason": MAX_REASON}, field=field
        )
    return text


def _transition(claim: Claim, to_status: str, *, actor: User | None, note: str = "") -> None:
    """Compare-and-set the claim's status on its version, and leave the immutable transition row."""
    if to_status not in CLAIM_TRANSITIONS[ClaimStatus(claim.status)]:
        raise Conflict(
            _("A claim that is %(status)s cannot become %(to_status)s")
            % {"status": ClaimStatus(claim.status).label, "to_status": ClaimStatus(to_status).label},
            code=ClaimError.BAD_TRANSITION,
        )
    updated = Claim.objects.filter(pk=claim.pk, version=claim.version).update(
        status=to_status, version=claim.version + 1, updated_at=timezone.now()
    )
    if updated != 1:
        raise Conflict(_("Somebody else changed this claim first; reload it"), code=ClaimError.STALE)
    ClaimTransition.objects.create(claim=claim, from_status=claim.status, to_status=to_status, actor=actor, note=note)
    claim.status = to_status
    claim.version += 1


def _locked_claim(actor: User, claim_id: uuid.UUID | str, *, case_id: uuid.UUID | str | None = None) -> Claim:
    visible = get_claim_for(actor, claim_id, case_id=case_id)
    return Claim.objects.select_for_update().select_related("case", "creditor").get(pk=visible.pk)


def _check_version(claim: Claim, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != claim.version:
        raise Conflict(_("Somebody else changed this claim first; reload it"), code=ClaimError.STALE)


def _file_pdf(
    *, actor: User, claim: Claim, template: str, title: str, context: dict[str, Any], kind: str, served: bool
) -> ClaimDocument:
    pdf = template_to_pdf(template, {"claim": claim, "case": claim.case, "creditor": claim.creditor, **context})
    entry_kind = EntryKind.RULING if kind == DocumentKind.RULING else EntryKind.NOTICE
    entry = file_entry(
        actor=actor,
        case=claim.case,
        kind=entry_kind,
        title=fit(DossierEntry, "title", title),
        content=pdf,
        filename=f"{shorten(title, FILE_STEM)}.pdf",
        content_type=PDF,
        source=claim,
    )
    return ClaimDocument.objects.create(claim=claim, entry=entry, kind=kind, served_to_creditor=served)


def may_act_for_creditor(user: User, claim: Claim) -> bool:
    """The creditor himself, or the agent who declared the claim once his power of attorney is accepted."""
    if claim.creditor.user_id == user.pk:
        return True
    return claim.agent_id == user.pk and claim.poa_status == PowerOfAttorneyStatus.ACCEPTED


def _registered_creditor(identifier: str) -> User | None:
    """The user who registered with this identity number or credit code (phone confirmed), if any."""
    identity = CreditorIdentity.objects.select_related("user").filter(identifier=identifier).first()
    return identity.user if identity is not None and identity.user.is_active else None


def _ensure_creditor_member(*, actor: User | None, case: Case, user: User) -> None:
    """Make ``user`` a creditor member of ``case`` (so the case shows in his lists); already one is fine."""
    if case.members.filter(user=user, role=MemberRole.CREDITOR).exists():
        return
    with contextlib.suppress(Conflict):  # added concurrently: the unique constraint kept one row
        add_member(actor=actor or user, case=case, role=MemberRole.CREDITOR, user=user)


def validate_identifier(kind: str, value: str) -> str:
    if kind == CreditorKind.NATURAL_PERSON:
        return validate_identity_number(value, field="identifier")
    if kind == CreditorKind.ORGANISATION:
        return validate_credit_code(value, field="identifier")
    raise DomainError(_("unknown creditor kind %(kind)s") % {"kind": kind}, field="kind")
