"""Declaring a claim and its documents (EBL art. 45-56)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from smartcourt.accounts.models import User
from smartcourt.audit.actions import record_event
from smartcourt.bankruptcy.models import ConsolidatedDebtor
from smartcourt.cases.models import Case
from smartcourt.cases.selectors import get_case_for
from smartcourt.claims import policies
from smartcourt.claims.actions._common import (
    _amount,
    _anchor,
    _ensure_creditor_member,
    _file_pdf,
    _proceeding,
    _reason,
    _registered_creditor,
    validate_identifier,
)
from smartcourt.claims.choices import (
    ClaimNature,
    ClaimStatus,
    CreditorSource,
    DayCount,
    DocumentKind,
    Liability,
    PowerOfAttorneyStatus,
)
from smartcourt.claims.errors import ClaimError
from smartcourt.claims.interest import RatePeriod, compute_interest
from smartcourt.claims.models import Claim, ClaimDocument, ClaimTransition, Creditor
from smartcourt.core.errors import DomainError, PermissionDenied
from smartcourt.core.lengths import check_length, fit
from smartcourt.core.money import MAX_FEN
from smartcourt.core.uploads import JPEG, PDF, PNG, UploadedFileLike, checked_upload
from smartcourt.dossier.actions import file_entry
from smartcourt.dossier.choices import EntryKind
from smartcourt.dossier.models import DossierEntry

MAX_ATTACHMENTS = 10


EVIDENCE_TYPES = frozenset({PDF, PNG, JPEG})


LATE_CONSEQUENCE = (
    "补充申报（《企业破产法》第五十六条）：可在破产财产最后分配前补充申报，但此前已进行的分配不再对其补充分配，"
    "为审查和确认补充申报债权的费用由补充申报人承担。"
)


@dataclass(frozen=True)
class Declaration:
    """What a creditor declares; amounts are yuan strings, the rate an annual percentage."""

    creditor_kind: str
    creditor_name: str
    identifier: str
    phone: str = ""
    nature: str = ClaimNature.ORDINARY
    collateral: str = ""
    principal: str = "0"
    penalties: str = "0"
    costs: str = "0"
    interest_from: dt.date | None = None
    interest_rate_percent: str = ""
    day_count: str = DayCount.ACT_365
    basis: str = ""
    liability: str = Liability.SOLE
    co_obligors: str = ""

    def cleaned(self, *, accepted_on: dt.date) -> DeclaredClaim:
        """The declaration checked and in the platform's units (fen, the interest computed up to
        ``accepted_on``, EBL art. 46), or the DomainError naming the first field at fault."""
        from smartcourt.claims.interest import parse_rate

        name = self.creditor_name.strip()
        if not name or len(name) > 200:
            raise DomainError(_("The creditor's name is required (at most 200 characters)"), field="creditor_name")
        identifier = validate_identifier(self.creditor_kind, self.identifier)
        if self.nature not in ClaimNature.values:
            raise DomainError(_("unknown claim nature %(nature)s") % {"nature": self.nature}, field="nature")
        collateral = self.collateral.strip()
        if self.nature == ClaimNature.SECURED and not collateral:
            raise DomainError(_("A secured claim names its collateral"), field="collateral")
        if self.nature != ClaimNature.SECURED:
            collateral = ""
        collateral = check_length(Claim, "collateral", collateral, label=_("The collateral"))
        # The number the court's SMS reach the creditor on: cut, it would reach nobody or somebody else.
        phone = check_length(Creditor, "phone", self.phone.strip(), label=_("The phone number"))
        if self.liability not in Liability.values:
            raise DomainError(_("unknown liability %(liability)s") % {"liability": self.liability}, field="liability")
        co_obligors = self.co_obligors.strip()
        if self.liability != Liability.SOLE and not co_obligors:
            raise DomainError(
                _("A joint or guarantee claim names the other debtors or the principal debtor"), field="co_obligors"
            )
        if len(co_obligors) > 500:
            raise DomainError(_("At most 500 characters"), field="co_obligors")
        principal = _amount(self.principal, field="principal")
        if principal == 0:
            raise DomainError(_("The principal must be more than zero"), field="principal")
        penalties = _amount(self.penalties, field="penalties")
        costs = _amount(self.costs, field="costs")
        interest_detail: dict[str, object] = {}
        interest = 0
        if self.interest_from is not None or self.interest_rate_percent.strip():
            if self.interest_from is None or not self.interest_rate_percent.strip():
                raise DomainError(_("Interest needs both its start date and its rate"), field="interest_from")
            computation = compute_interest(
                principal_fen=principal,
                periods=[RatePeriod(self.interest_from, parse_rate(self.interest_rate_percent, field="interest_rate"))],
                accepted_on=accepted_on,
                day_count=self.day_count,
            )
            interest = computation.total_fen
            interest_detail = computation.as_dict()
        if principal + interest + penalties + costs > MAX_FEN:
            raise DomainError(_("The total is out of range"), field="principal")
        return DeclaredClaim(
            creditor_kind=self.creditor_kind,
            name=name,
            identifier=identifier,
            phone=phone,
            nature=self.nature,
            collateral=collateral,
            principal_fen=principal,
            interest_fen=interest,
            penalties_fen=penalties,
            costs_fen=costs,
            interest_detail=interest_detail,
            basis=_reason(self.basis, field="basis"),
            liability=self.liability,
            co_obligors=co_obligors if self.liability != Liability.SOLE else "",
        )


@dataclass(frozen=True)
class DeclaredClaim:
    """A declaration as ``Declaration.cleaned`` checked it: what the claim and its creditor are written with."""

    creditor_kind: str
    name: str
    identifier: str
    phone: str
    nature: str
    collateral: str
    principal_fen: int
    interest_fen: int
    penalties_fen: int
    costs_fen: int
    interest_detail: dict[str, object]
    basis: str
    liability: str
    co_obligors: str


def _creditor_for(*, actor: User, case: Case, declared: DeclaredClaim, as_agent: bool) -> Creditor:
    """The creditor the declaration is for, locked: created on his first declaration; a creditor from the
    debtor's list becomes the declaring user's; an agent never becomes the creditor's user."""
    creditor = Creditor.objects.select_for_update().filter(case=case, identifier=declared.identifier).first()
    if creditor is None:
        creditor = Creditor.objects.create(
            case=case,
            kind=declared.creditor_kind,
            name=declared.name,
            identifier=declared.identifier,
            phone=declared.phone,
            user=_registered_creditor(declared.identifier) if as_agent else actor,
            source=CreditorSource.SELF_DECLARED,
        )
        if creditor.user is not None and as_agent:
            _ensure_creditor_member(actor=actor, case=case, user=creditor.user)
    elif as_agent:
        # The agent acts for the creditor; he never becomes the creditor's user.
        if creditor.user_id is None:
            represented = _registered_creditor(declared.identifier)
            if represented is not None:
                Creditor.objects.filter(pk=creditor.pk).update(user=represented, updated_at=timezone.now())
                creditor.user = represented
                _ensure_creditor_member(actor=actor, case=case, user=represented)
    elif creditor.user_id is None:
        # A creditor from the debtor's list who now declares: the list entry becomes his.
        Creditor.objects.filter(pk=creditor.pk).update(user=actor, updated_at=timezone.now())
        creditor.user = actor
    elif creditor.user_id != actor.pk:
        raise PermissionDenied(_("Another user already declares for this creditor"), field="identifier")
    return creditor


@transaction.atomic
def declare_claim(
    *,
    actor: User,
    case_id: uuid.UUID | str,
    declaration: Declaration,
    attachments: list[UploadedFileLike] | None = None,
    power_of_attorney: UploadedFileLike | None = None,
    now: dt.datetime | None = None,
) -> Claim:
    """A creditor (or his agent) declares a claim online; files the evidence and a declaration receipt.

    With ``power_of_attorney`` the actor declares as the creditor's agent (a lawyer): the claim records him and
    his power of attorney, which the administrator checks before reviewing; the creditor, once registered with
    the same identity number or credit code, sees the claim too."""
    case = get_case_for(actor, case_id)
    if not policies.can_declare(actor, case):
        raise PermissionDenied(_("Only a creditor or his agent declares a claim"))
    proceeding = _proceeding(case)
    case = Case.objects.select_for_update().get(pk=case.pk)
    now = now or timezone.now()
    d = declaration.cleaned(accepted_on=proceeding.opened_on)
    name, identifier = d.name, d.identifier
    if ConsolidatedDebtor.objects.filter(consolidation__case=case, credit_code=identifier).exists():
        # In a merged bankruptcy the consolidated debtors' claims against one another are extinguished (SPC
        # Minutes of the National Courts' Bankruptcy Trial Work Conference, 法〔2018〕53号, para. 36).
        raise DomainError(
            _("%(name)s is one of the consolidated debtors: its claims against the others are extinguished")
            % {"name": name},
            field="identifier",
            code=ClaimError.CONSOLIDATED_DEBTOR,
        )
    files = [checked_upload(upload, allowed=EVIDENCE_TYPES, field="attachments") for upload in attachments or []]
    if len(files) > MAX_ATTACHMENTS:
        raise DomainError(
            _("At most %(max_attachments)s attachments") % {"max_attachments": MAX_ATTACHMENTS}, field="attachments"
        )
    poa = (
        checked_upload(power_of_attorney, allowed=EVIDENCE_TYPES, field="power_of_attorney")
        if power_of_attorney is not None
        else None
    )
    as_agent = poa is not None

    creditor = _creditor_for(actor=actor, case=case, declared=d, as_agent=as_agent)

    period_end = _anchor(proceeding, "claims_period_ends_on")
    late = period_end is not None and timezone.localdate(now) > period_end
    number = (Claim.objects.filter(case=case).aggregate(last=Max("number"))["last"] or 0) + 1
    claim = Claim.objects.create(
        case=case,
        creditor=creditor,
        number=number,
        nature=d.nature,
        collateral=d.collateral,
        principal_fen=d.principal_fen,
        interest_fen=d.interest_fen,
        penalties_fen=d.penalties_fen,
        costs_fen=d.costs_fen,
        interest_detail=d.interest_detail,
        basis=d.basis,
        liability=d.liability,
        co_obligors=d.co_obligors,
        declared_at=now,
        declared_by=actor,
        late=late,
        agent=actor if as_agent else None,
        poa_status=PowerOfAttorneyStatus.PENDING if as_agent else PowerOfAttorneyStatus.NONE,
    )
    ClaimTransition.objects.create(claim=claim, from_status="", to_status=ClaimStatus.DECLARED, actor=actor)
    if poa is not None:
        poa_entry = file_entry(
            actor=actor,
            case=case,
            kind=EntryKind.ATTACHMENT,
            title=fit(DossierEntry, "title", f"债权申报第{number}号 授权委托书（代理人：{actor.full_name}）"),
            content=poa.content,
            filename=poa.name,
            content_type=poa.content_type,
            source=claim,
        )
        Claim.objects.filter(pk=claim.pk).update(poa_entry=poa_entry)
        claim.poa_entry = poa_entry
        ClaimDocument.objects.create(
            claim=claim, entry=poa_entry, kind=DocumentKind.POWER_OF_ATTORNEY, served_to_creditor=True
        )
    for index, upload in enumerate(files, start=1):
        entry = file_entry(
            actor=actor,
            case=case,
            kind=EntryKind.ATTACHMENT,
            title=fit(DossierEntry, "title", f"债权申报第{number}号 证据{index}：{upload.name}"),
            content=upload.content,
            filename=upload.name,
            content_type=upload.content_type,
            source=claim,
        )
        ClaimDocument.objects.create(claim=claim, entry=entry, kind=DocumentKind.EVIDENCE)
    record_event(
        actor=actor,
        action="claims.declared",
        case_id=case.pk,
        obj=claim,
        after={
            "number": number,
            "creditor": creditor.name,
            "nature": d.nature,
            "principal_fen": d.principal_fen,
            "interest_fen": d.interest_fen,
            "penalties_fen": d.penalties_fen,
            "costs_fen": d.costs_fen,
            "late": late,
            "liability": d.liability,
            "attachments": len(files),
            "agent": str(actor.pk) if as_agent else None,
        },
    )
    _file_pdf(
        actor=actor,
        claim=claim,
        template="claims/pdf/receipt.html",
        title=f"债权申报回执（第{number}号）",
        context={
            "late_consequence": LATE_CONSEQUENCE if late else "",
            "period_end": period_end,
            "attachments": files,
            "declared_at": timezone.localtime(now),
        },
        kind=DocumentKind.RECEIPT,
        served=True,
    )
    return claim
