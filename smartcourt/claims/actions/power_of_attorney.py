"""The agent's power of attorney for a creditor."""

from __future__ import annotations

import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from smartcourt.accounts.models import User
from smartcourt.audit.actions import record_event
from smartcourt.claims import policies
from smartcourt.claims.actions._common import _locked_claim, _reason
from smartcourt.claims.choices import PowerOfAttorneyStatus
from smartcourt.claims.errors import ClaimError
from smartcourt.claims.models import Claim
from smartcourt.core.errors import Conflict, DomainError, PermissionDenied
from smartcourt.core.lengths import check_length


@transaction.atomic
def check_power_of_attorney(*, actor: User, claim_id: uuid.UUID | str, accepted: bool, note: str = "") -> Claim:
    """The administrator accepts or rejects the power of attorney of the agent who declared the claim."""
    claim = _locked_claim(actor, claim_id)
    if not policies.can_review(actor, claim.case):
        raise PermissionDenied(_("Only the administrator appointed on this case checks powers of attorney"))
    if claim.poa_status != PowerOfAttorneyStatus.PENDING:
        raise Conflict(_("This claim has no power of attorney awaiting a check"), code=ClaimError.BAD_TRANSITION)
    text = check_length(Claim, "poa_note", _reason(note, field="note"), label=_("The note"), input_field="note")
    if not accepted and not text:
        raise DomainError(_("Give the reason for rejecting the power of attorney"), field="note")
    status = PowerOfAttorneyStatus.ACCEPTED if accepted else PowerOfAttorneyStatus.REJECTED
    updated = Claim.objects.filter(pk=claim.pk, poa_status=PowerOfAttorneyStatus.PENDING).update(
        poa_status=status, poa_note=text, updated_at=timezone.now()
    )
    if updated != 1:
        raise Conflict(_("Somebody else changed this claim first; reload it"), code=ClaimError.STALE)
    claim.poa_status, claim.poa_note = status, text
    record_event(
        actor=actor,
        action="claims.power_of_attorney_checked",
        case_id=claim.case_id,
        obj=claim,
        before={"poa_status": PowerOfAttorneyStatus.PENDING},
        after={"poa_status": status, "agent": str(claim.agent_id), "note": claim.poa_note},
    )
    return claim
