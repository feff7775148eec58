"""Objections to the claims table and the court's confirmation (EBL art. 58)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from smartcourt.accounts.models import User
from smartcourt.audit.actions import record_event
from smartcourt.cases.selectors import get_case_for
from smartcourt.claims import policies
from smartcourt.claims.actions._common import (
    REVIEW_ITEMS,
    _amount,
    _locked_claim,
    _reason,
    _transition,
    may_act_for_creditor,
)
from smartcourt.claims.actions.review import ReviewDecision
from smartcourt.claims.choices import (
    CONFIRMABLE,
    OBJECTABLE,
    ClaimStatus,
    DocumentKind,
    ObjectionStatus,
    ResolutionBasis,
)
from smartcourt.claims.errors import ClaimError
from smartcourt.claims.models import Claim, ClaimDocument, ClaimTransition, ConfirmationRuling, Objection
from smartcourt.claims.selectors import claim_deadlines
from smartcourt.core.errors import Conflict, DomainError, PermissionDenied
from smartcourt.core.lengths import check_length
from smartcourt.core.lookups import get_or_not_found
from smartcourt.core.money import fen_to_yuan
from smartcourt.core.pdf import template_to_pdf
from smartcourt.dossier.actions import file_entry
from smartcourt.dossier.choices import EntryKind


@transaction.atomic
def object_to_claim(
    *, actor: User, claim_id: uuid.UUID | str, reasons: str, claimed_total: str = "", today: dt.date | None = None
) -> Objection:
    """The creditor objects to the review result of his claim, within the objection period."""
    claim = _locked_claim(actor, claim_id)
    if not may_act_for_creditor(actor, claim):
        raise PermissionDenied(_("Only the creditor objects to the review of his claim"))
    if claim.status not in OBJECTABLE:
        raise Conflict(
            _("A claim that is %(status)s cannot be objected to") % {"status": ClaimStatus(claim.status).label},
            code=ClaimError.BAD_TRANSITION,
        )
    today = today or timezone.localdate()
    deadline = claim_deadlines(claim, today=today).get("objection")
    if deadline is not None and today > deadline.on:
        raise Conflict(
            _("The objection period ended on %(date)s") % {"date": deadline.on.isoformat()}, code=ClaimError.PERIOD_OVER
        )
    text = _reason(reasons, field="reasons")
    if not text:
        raise DomainError(_("Give the reasons of the objection"), field="reasons")
    claimed = _amount(claimed_total, field="claimed_total") if claimed_total.strip() else None
    _transition(claim, ClaimStatus.DISPUTED, actor=actor)
    objection = Objection.objects.create(claim=claim, raised_by=actor, reasons=text, claimed_total_fen=claimed)
    record_event(
        actor=actor,
        action="claims.objection_raised",
        case_id=claim.case_id,
        obj=objection,
        after={"claim": str(claim.pk), "claimed_total_fen": claimed},
    )
    return objection


@transaction.atomic
def resolve_objection(
    *,
    actor: User,
    objection_id: uuid.UUID | str,
    basis: str,
    reference: str,
    resolved_on: dt.date,
    decision: ReviewDecision,
) -> Objection:
    """Record the outcome of the court's ruling or of the suit on an objection; the table follows it."""
    objection = get_or_not_found(Objection.objects.select_related("claim"), _("No such objection"), pk=objection_id)
    claim = _locked_claim(actor, objection.claim_id)
    if not policies.can_rule(actor, claim.case):
        raise PermissionDenied(_("Only a judge sitting on the case records the outcome of an objection"))
    if basis not in ResolutionBasis.values:
        raise DomainError(_("unknown basis %(basis)s") % {"basis": basis}, field="basis")
    reference = reference.strip()
    if not reference:
        raise DomainError(_("Give the case number of the ruling or judgment"), field="reference")
    reference = check_length(
        Objection, "resolution_reference", reference, label=_("The case number"), input_field="reference"
    )
    if objection.status != ObjectionStatus.OPEN:
        raise Conflict(_("This objection is already resolved"), code=ClaimError.BAD_TRANSITION)
    nature = decision.nature or claim.confirmed_nature or claim.nature
    amounts = {item: _amount(getattr(decision, item), field=item) for item in REVIEW_ITEMS}
    _transition(claim, ClaimStatus.RESOLVED, actor=actor, note=reference)
    Claim.objects.filter(pk=claim.pk).update(
        confirmed_nature=nature,
        confirmed_principal_fen=amounts["principal"],
        confirmed_interest_fen=amounts["interest"],
        confirmed_penalties_fen=amounts["penalties"],
        confirmed_costs_fen=amounts["costs"],
    )
    Objection.objects.filter(pk=objection.pk).update(
        status=ObjectionStatus.RESOLVED,
        resolution_basis=basis,
        resolution_reference=reference,
        resolved_on=resolved_on,
        resolved_by=actor,
        updated_at=timezone.now(),
    )
    objection.refresh_from_db()
    record_event(
        actor=actor,
        action="claims.objection_resolved",
        case_id=claim.case_id,
        obj=objection,
        after={"basis": basis, "reference": reference, **{f"{k}_fen": v for k, v in amounts.items()}},
    )
    return objection


@transaction.atomic
def confirm_undisputed(*, actor: User, case_id: uuid.UUID | str, ruled_on: dt.date) -> ConfirmationRuling:
    """The judge confirms by ruling every confirmed or partly confirmed claim that nobody objected to."""
    case = get_case_for(actor, case_id)
    if not policies.can_rule(actor, case):
        raise PermissionDenied(_("Only a judge sitting on the case confirms the claims table"))
    claims = list(
        Claim.objects.select_for_update()
        .filter(case=case, status__in=CONFIRMABLE)
        .select_related("creditor")
        .order_by("number")
    )
    if not claims:
        raise Conflict(_("There is no undisputed claim to confirm"), code=ClaimError.NOTHING_TO_CONFIRM)
    total = sum(claim.confirmed_total_fen for claim in claims)
    ruling = ConfirmationRuling.objects.create(case=case, ruled_on=ruled_on, judge=actor, total_fen=total)
    now = timezone.now()
    ids = [claim.pk for claim in claims]
    # One update for the lot: the rows are locked above and each is checked to be in a confirmable status.
    updated = 0
    for status in CONFIRMABLE:
        updated += Claim.objects.filter(pk__in=ids, status=status).update(
            status=ClaimStatus.COURT_CONFIRMED, ruling=ruling, updated_at=now
        )
    if updated != len(ids):
        raise Conflict(_("Somebody else changed these claims first; try again"), code=ClaimError.STALE)
    Claim.objects.filter(pk__in=ids).update(version=F("version") + 1)
    ClaimTransition.objects.bulk_create(
        [
            ClaimTransition(
                claim=claim, from_status=claim.status, to_status=ClaimStatus.COURT_CONFIRMED, actor=actor, note="ruling"
            )
            for claim in claims
        ],
        batch_size=1000,
    )
    pdf = template_to_pdf(
        "claims/pdf/ruling.html", {"case": case, "ruling": ruling, "claims": claims, "total": fen_to_yuan(total)}
    )
    title = "民事裁定书（确认债权表记载的无争议债权用）"
    entry = file_entry(
        actor=actor, case=case, kind=EntryKind.RULING, title=title, content=pdf, filename=f"{title}.pdf", source=ruling
    )
    ConfirmationRuling.objects.filter(pk=ruling.pk).update(entry=entry)
    ruling.entry = entry
    ClaimDocument.objects.bulk_create(
        [
            ClaimDocument(claim=claim, entry=entry, kind=DocumentKind.RULING, served_to_creditor=True)
            for claim in claims
        ],
        batch_size=1000,
    )
    record_event(
        actor=actor,
        action="claims.undisputed_confirmed",
        case_id=case.pk,
        obj=ruling,
        after={"ruled_on": ruled_on.isoformat(), "claims": len(claims), "total_fen": total},
    )
    return ruling
