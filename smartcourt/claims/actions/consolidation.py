"""Merged bankruptcy (合并破产): the claims of a consolidated debtor's own case move into the lead case.

SPC Minutes of the National Courts' Bankruptcy Trial Work Conference (法〔2018〕53号) para. 36: once the court
rules to consolidate, the members' property is one estate and all their creditors are paid from it in one
proceeding. A member that had a bankruptcy case of its own (bankruptcy.ConsolidatedDebtor.merged_case) has
creditors and claims there: they are moved into the lead case, unchanged (amounts, review, objections,
documents, history), each claim keeping the debtor that owed it (``owed_by``) and its old registration number
(``original_number``) and taking the next number of the lead case; then the member's case ends
(bankruptcy.consolidation.end_member_case). One transaction: either every claim moves and the case closes, or
nothing changes."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from smartcourt.accounts.models import User
from smartcourt.bankruptcy.consolidation import end_member_case
from smartcourt.bankruptcy.models import ConsolidatedDebtor
from smartcourt.cases.choices import CaseStatus
from smartcourt.cases.models import Case
from smartcourt.cases.policies import is_judge_of
from smartcourt.cases.selectors import get_case_for
from smartcourt.claims.actions._common import _ensure_creditor_member
from smartcourt.claims.errors import ClaimError
from smartcourt.claims.models import Claim, Creditor
from smartcourt.core.errors import Conflict, NotFound, PermissionDenied


@dataclass(frozen=True)
class TakeOver:
    member: ConsolidatedDebtor
    claims: int
    creditors: int


def _listed(creditor: Creditor) -> bool:
    return bool(creditor.listed_principal_fen or creditor.listed_interest_fen or creditor.listed_other_fen)


@transaction.atomic
def take_over_member_claims(*, actor: User, case_id: uuid.UUID | str, member_case_id: uuid.UUID | str) -> TakeOver:
    """A judge of the lead (consolidated) case moves every creditor and claim of the member's own case
    ``member_case_id`` into the lead case and ends that case."""
    lead = get_case_for(actor, case_id)
    if not is_judge_of(actor, lead):
        raise PermissionDenied(_("Only a judge sitting on the case takes over a consolidated debtor's case"))
    member = (
        ConsolidatedDebtor.objects.select_for_update(of=("self",))  # merged_case is a nullable join
        .select_related("merged_case", "consolidation")
        .filter(consolidation__case=lead, merged_case__pk=member_case_id)
        .first()
    )
    if member is None or member.merged_case is None:
        raise NotFound(_("No consolidated debtor of this case has that case of its own"))
    if member.consolidation.revoked:
        # The court at the next level up revoked the ruling on reconsideration (Minutes para. 34).
        raise Conflict(
            _("The ruling to consolidate was revoked on reconsideration"), code=ClaimError.CONSOLIDATION_REVOKED
        )
    if member.claims_taken_over_on is not None:
        raise Conflict(
            _("The claims of %(name)s's own case were moved in already") % {"name": member.name},
            code=ClaimError.TAKEN_OVER_ALREADY,
        )
    source = Case.objects.select_for_update().get(pk=member.merged_case.pk)
    if source.status == CaseStatus.CLOSED:
        raise Conflict(_("%(number)s is closed already") % {"number": source.number}, code=ClaimError.CASE_CLOSED)
    creditors = list(Creditor.objects.select_for_update().filter(case=source).order_by("created_at"))
    existing = {c.identifier: c for c in Creditor.objects.select_for_update().filter(case=lead)}
    # Listed amounts (the debtor's list, the employees' list) are the list's own statements; two lists naming the
    # same creditor would have to be added together, which is the administrator's work, not a silent sum here.
    both = [c.name for c in creditors if c.identifier in existing and _listed(c) and _listed(existing[c.identifier])]
    if both:
        raise Conflict(
            _("Listed in both cases with amounts: %(names)s. Correct the lead case's list first.")
            % {"names": "、".join(both)},
            code=ClaimError.LISTED_TWICE,
        )
    number = Claim.objects.filter(case=lead).aggregate(last=Max("number"))["last"] or 0
    moved_claims = 0
    now = timezone.now()
    for creditor in creditors:
        target = existing.get(creditor.identifier)
        if target is None:
            # The creditor row itself moves, with its listed amounts, account and employee objections.
            Creditor.objects.filter(pk=creditor.pk).update(case=lead, updated_at=now)
            target = creditor
        elif _listed(creditor):
            Creditor.objects.filter(pk=target.pk).update(
                listed_nature=creditor.listed_nature,
                listed_principal_fen=creditor.listed_principal_fen,
                listed_interest_fen=creditor.listed_interest_fen,
                listed_other_fen=creditor.listed_other_fen,
                updated_at=now,
            )
        for claim in Claim.objects.select_for_update().filter(case=source, creditor=creditor).order_by("number"):
            number += 1
            Claim.objects.filter(pk=claim.pk).update(
                case=lead,
                creditor=target,
                number=number,
                original_number=claim.number,
                owed_by=member,
                updated_at=now,
            )
            moved_claims += 1
        if target.user is not None:
            _ensure_creditor_member(actor=actor, case=lead, user=target.user)  # he follows his claims
    # The take-over's audit event (bankruptcy.member_case_taken_over, on the lead case) counts what moved.
    member = end_member_case(actor=actor, member=member, lead=lead, claims=moved_claims, creditors=len(creditors))
    return TakeOver(member=member, claims=moved_claims, creditors=len(creditors))
