"""Every write on creditors and claims: declaration, review, objections, the court's ruling, imports."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import re
import secrets
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from smartcourt.accounts.actions import create_user
from smartcourt.accounts.choices import Role
from smartcourt.accounts.models import User
from smartcourt.audit.actions import record_event
from smartcourt.bankruptcy.models import Proceeding
from smartcourt.cases.actions import add_member
from smartcourt.cases.choices import MemberRole
from smartcourt.cases.models import Case
from smartcourt.cases.selectors import get_case_for
from smartcourt.claims import policies
from smartcourt.claims.choices import (
    CLAIM_TRANSITIONS,
    CONFIRMABLE,
    OBJECTABLE,
    REVIEW_RESULTS,
    ClaimNature,
    ClaimStatus,
    CreditorKind,
    CreditorSource,
    DayCount,
    DocumentKind,
    EmployeeObjectionStatus,
    Liability,
    ObjectionStatus,
    PowerOfAttorneyStatus,
    ResolutionBasis,
)
from smartcourt.claims.imports import COLUMNS, MAX_ROWS, Problem, parse_list
from smartcourt.claims.interest import RatePeriod, compute_interest
from smartcourt.claims.models import (
    Claim,
    ClaimDocument,
    ClaimReview,
    ClaimTransition,
    ConfirmationRuling,
    Creditor,
    CreditorIdentity,
    EmployeeListPublication,
    EmployeeObjection,
    Objection,
    PhoneChallenge,
    SignedTable,
)
from smartcourt.claims.sealing import sealed_pdf
from smartcourt.claims.selectors import claim_deadlines, employee_lines_of, get_claim_for, get_employee_line_for
from smartcourt.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from smartcourt.core.identifiers import (
    mask_identity_number,
    mask_phone,
    normalise_identifier,
    validate_credit_code,
    validate_identity_number,
)
from smartcourt.core.money import MAX_FEN, fen_to_yuan, yuan_to_fen
from smartcourt.core.spreadsheets import Limits, SpreadsheetUnreadable, read_sheet
from smartcourt.core.uploads import (
    JPEG,
    PDF,
    PNG,
    XLSX,
    UploadedFileLike,
    checked_upload,
    clean_filename,
    sniff_content_type,
)
from smartcourt.documents.sms import sms_adapter
from smartcourt.dossier.actions import file_entry
from smartcourt.dossier.choices import EntryKind
from smartcourt.dossier.pdf import template_to_pdf

MAX_ATTACHMENTS = 10
MAX_BATCH = 200
MAX_REASON = 1000
EVIDENCE_TYPES = frozenset({PDF, PNG, JPEG})
REVIEW_ITEMS = ("principal", "interest", "penalties", "costs")
# The items' names in messages (the reviewer reads 本金, not "principal").
ITEM_LABELS = {
    "principal": gettext_lazy("principal"),
    "interest": gettext_lazy("interest"),
    "penalties": gettext_lazy("penalties"),
    "costs": gettext_lazy("costs"),
}
LATE_CONSEQUENCE = (
    "补充申报（《企业破产法》第五十六条）：可在破产财产最后分配前补充申报，但此前已进行的分配不再对其补充分配，"
    "为审查和确认补充申报债权的费用由补充申报人承担。"
)


# --- helpers -------------------------------------------------------------------------------------------------


def _proceeding(case: Case) -> Proceeding:
    try:
        return Proceeding.objects.get(case=case)
    except Proceeding.DoesNotExist as exc:
        raise DomainError(
            _("Claims are declared only once the court has accepted the case"), code="no_proceeding"
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
            code="bad_transition",
        )
    updated = Claim.objects.filter(pk=claim.pk, version=claim.version).update(
        status=to_status, version=claim.version + 1, updated_at=timezone.now()
    )
    if updated != 1:
        raise Conflict(_("Somebody else changed this claim first; reload it"), code="stale")
    ClaimTransition.objects.create(claim=claim, from_status=claim.status, to_status=to_status, actor=actor, note=note)
    claim.status = to_status
    claim.version += 1


def _locked_claim(actor: User, claim_id: uuid.UUID | str, *, case_id: uuid.UUID | str | None = None) -> Claim:
    visible = get_claim_for(actor, claim_id, case_id=case_id)
    return Claim.objects.select_for_update().select_related("case", "creditor").get(pk=visible.pk)


def _check_version(claim: Claim, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != claim.version:
        raise Conflict(_("Somebody else changed this claim first; reload it"), code="stale")


def _file_pdf(
    *, actor: User, claim: Claim, template: str, title: str, context: dict[str, Any], kind: str, served: bool
) -> ClaimDocument:
    pdf = template_to_pdf(template, {"claim": claim, "case": claim.case, "creditor": claim.creditor, **context})
    entry_kind = EntryKind.RULING if kind == DocumentKind.RULING else EntryKind.NOTICE
    entry = file_entry(
        actor=actor,
        case=claim.case,
        kind=entry_kind,
        title=title[:200],
        content=pdf,
        filename=f"{title[:80]}.pdf",
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


# --- declaration ---------------------------------------------------------------------------------------------


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
    from smartcourt.claims.interest import parse_rate

    case = get_case_for(actor, case_id)
    if not policies.can_declare(actor, case):
        raise PermissionDenied(_("Only a creditor or his agent declares a claim"))
    proceeding = _proceeding(case)
    case = Case.objects.select_for_update().get(pk=case.pk)
    now = now or timezone.now()
    d = declaration
    name = d.creditor_name.strip()
    if not name or len(name) > 200:
        raise DomainError(_("The creditor's name is required (at most 200 characters)"), field="creditor_name")
    identifier = validate_identifier(d.creditor_kind, d.identifier)
    if d.nature not in ClaimNature.values:
        raise DomainError(_("unknown claim nature %(nature)s") % {"nature": d.nature}, field="nature")
    collateral = d.collateral.strip()
    if d.nature == ClaimNature.SECURED and not collateral:
        raise DomainError(_("A secured claim names its collateral"), field="collateral")
    if d.nature != ClaimNature.SECURED:
        collateral = ""
    if d.liability not in Liability.values:
        raise DomainError(_("unknown liability %(liability)s") % {"liability": d.liability}, field="liability")
    co_obligors = d.co_obligors.strip()
    if d.liability != Liability.SOLE and not co_obligors:
        raise DomainError(
            _("A joint or guarantee claim names the other debtors or the principal debtor"), field="co_obligors"
        )
    if len(co_obligors) > 500:
        raise DomainError(_("At most 500 characters"), field="co_obligors")
    principal = _amount(d.principal, field="principal")
    if principal == 0:
        raise DomainError(_("The principal must be more than zero"), field="principal")
    penalties = _amount(d.penalties, field="penalties")
    costs = _amount(d.costs, field="costs")
    interest_detail: dict[str, object] = {}
    interest = 0
    if d.interest_from is not None or d.interest_rate_percent.strip():
        if d.interest_from is None or not d.interest_rate_percent.strip():
            raise DomainError(_("Interest needs both its start date and its rate"), field="interest_from")
        computation = compute_interest(
            principal_fen=principal,
            periods=[RatePeriod(d.interest_from, parse_rate(d.interest_rate_percent, field="interest_rate"))],
            accepted_on=proceeding.opened_on,
            day_count=d.day_count,
        )
        interest = computation.total_fen
        interest_detail = computation.as_dict()
    if principal + interest + penalties + costs > MAX_FEN:
        raise DomainError(_("The total is out of range"), field="principal")
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

    creditor = Creditor.objects.select_for_update().filter(case=case, identifier=identifier).first()
    if creditor is None:
        creditor = Creditor.objects.create(
            case=case,
            kind=d.creditor_kind,
            name=name,
            identifier=identifier,
            phone=d.phone.strip()[:20],
            user=_registered_creditor(identifier) if as_agent else actor,
            source=CreditorSource.SELF_DECLARED,
        )
        if creditor.user is not None and as_agent:
            _ensure_creditor_member(actor=actor, case=case, user=creditor.user)
    elif as_agent:
        # The agent acts for the creditor; he never becomes the creditor's user.
        if creditor.user_id is None:
            represented = _registered_creditor(identifier)
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

    period_end = _anchor(proceeding, "claims_period_ends_on")
    late = period_end is not None and timezone.localdate(now) > period_end
    number = (Claim.objects.filter(case=case).aggregate(last=Max("number"))["last"] or 0) + 1
    claim = Claim.objects.create(
        case=case,
        creditor=creditor,
        number=number,
        nature=d.nature,
        collateral=collateral[:500],
        principal_fen=principal,
        interest_fen=interest,
        penalties_fen=penalties,
        costs_fen=costs,
        interest_detail=interest_detail,
        basis=_reason(d.basis, field="basis"),
        liability=d.liability,
        co_obligors=co_obligors if d.liability != Liability.SOLE else "",
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
            title=f"债权申报第{number}号 授权委托书（代理人：{actor.full_name}）"[:200],
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
            title=f"债权申报第{number}号 证据{index}：{upload.name}"[:200],
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
            "principal_fen": principal,
            "interest_fen": interest,
            "penalties_fen": penalties,
            "costs_fen": costs,
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


# --- review --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewDecision:
    """The administrator's decision: a result, the confirmed amounts (yuan strings) and a reason per item."""

    result: str
    nature: str = ""
    principal: str = "0"
    interest: str = "0"
    penalties: str = "0"
    costs: str = "0"
    reasons: dict[str, str] | None = None


@transaction.atomic
def start_review(*, actor: User, claim_id: uuid.UUID | str, expected_version: int | None = None) -> Claim:
    claim = _locked_claim(actor, claim_id)
    if not policies.can_review(actor, claim.case):
        raise PermissionDenied(_("Only the administrator appointed on this case reviews claims"))
    _check_version(claim, expected_version)
    _transition(claim, ClaimStatus.UNDER_REVIEW, actor=actor)
    record_event(actor=actor, action="claims.review_started", case_id=claim.case_id, obj=claim)
    return claim


def _confirmed_amounts(claim: Claim, decision: ReviewDecision) -> dict[str, int]:
    if decision.result == ClaimStatus.CONFIRMED:
        return {
            "principal": claim.principal_fen,
            "interest": claim.interest_fen,
            "penalties": claim.penalties_fen,
            "costs": claim.costs_fen,
        }
    if decision.result in {ClaimStatus.NOT_CONFIRMED, ClaimStatus.PENDING}:
        return dict.fromkeys(REVIEW_ITEMS, 0)
    amounts = {item: _amount(getattr(decision, item), field=item) for item in REVIEW_ITEMS}
    declared = {
        "principal": claim.principal_fen,
        "interest": claim.interest_fen,
        "penalties": claim.penalties_fen,
        "costs": claim.costs_fen,
    }
    for item in REVIEW_ITEMS:
        if amounts[item] > declared[item]:
            raise DomainError(
                _("%(item)s: cannot confirm %(confirmed)s, more than the %(declared)s declared")
                % {
                    "item": ITEM_LABELS[item],
                    "confirmed": fen_to_yuan(amounts[item]),
                    "declared": fen_to_yuan(declared[item]),
                },
                field=item,
            )
    total = sum(amounts.values())
    if total == 0 or amounts == declared:
        raise DomainError(
            _("A partly confirmed claim confirms more than nothing and less than the declared amount"),
            field="principal",
        )
    return amounts


@transaction.atomic
def review_claim(
    *,
    actor: User,
    claim_id: uuid.UUID | str,
    decision: ReviewDecision,
    expected_version: int | None = None,
    notify: bool = True,
) -> ClaimReview:
    """Record the administrator's review decision and serve the sealed review-result notice on the creditor.
    ``notify=False`` is for batches, which serve one notice per creditor afterwards."""
    claim = _locked_claim(actor, claim_id)
    if not policies.can_review(actor, claim.case):
        raise PermissionDenied(_("Only the administrator appointed on this case reviews claims"))
    _check_version(claim, expected_version)
    if claim.poa_status in {PowerOfAttorneyStatus.PENDING, PowerOfAttorneyStatus.REJECTED}:
        # A declaration by an agent stands only on an accepted power of attorney.
        raise Conflict(_("Check the agent's power of attorney before reviewing the claim"), code="poa_unchecked")
    if decision.result not in REVIEW_RESULTS:
        raise DomainError(_("unknown review result %(result)s") % {"result": decision.result}, field="result")
    nature = decision.nature or claim.nature
    if nature not in ClaimNature.values:
        raise DomainError(_("unknown claim nature %(nature)s") % {"nature": nature}, field="nature")
    amounts = _confirmed_amounts(claim, decision)
    raw_reasons = decision.reasons or {}
    reasons = {
        key: _reason(raw_reasons.get(key, ""), field=f"reason_{key}") for key in (*REVIEW_ITEMS, "nature", "general")
    }
    declared = {
        "principal": claim.principal_fen,
        "interest": claim.interest_fen,
        "penalties": claim.penalties_fen,
        "costs": claim.costs_fen,
    }
    if decision.result == ClaimStatus.PARTLY_CONFIRMED:
        for item in REVIEW_ITEMS:
            if amounts[item] != declared[item] and not reasons[item]:
                raise DomainError(
                    _("Give the reason why the %(item)s is not confirmed in full") % {"item": ITEM_LABELS[item]},
                    field=f"reason_{item}",
                )
    if decision.result in {ClaimStatus.NOT_CONFIRMED, ClaimStatus.PENDING} and not reasons["general"]:
        raise DomainError(_("Give the reason for this result"), field="reason_general")
    if nature != claim.nature and not reasons["nature"]:
        raise DomainError(_("Give the reason why the nature differs from the declaration"), field="reason_nature")
    if claim.status == ClaimStatus.DECLARED:
        _transition(claim, ClaimStatus.UNDER_REVIEW, actor=actor)
    before = {"status": claim.status}
    _transition(claim, decision.result, actor=actor)
    Claim.objects.filter(pk=claim.pk).update(
        confirmed_nature=nature if decision.result != ClaimStatus.PENDING else "",
        confirmed_principal_fen=amounts["principal"],
        confirmed_interest_fen=amounts["interest"],
        confirmed_penalties_fen=amounts["penalties"],
        confirmed_costs_fen=amounts["costs"],
    )
    claim.refresh_from_db()
    review = ClaimReview.objects.create(
        claim=claim,
        result=decision.result,
        nature=nature,
        principal_fen=amounts["principal"],
        interest_fen=amounts["interest"],
        penalties_fen=amounts["penalties"],
        costs_fen=amounts["costs"],
        reasons={key: value for key, value in reasons.items() if value},
        reviewer=actor,
    )
    record_event(
        actor=actor,
        action="claims.reviewed",
        case_id=claim.case_id,
        obj=claim,
        before=before,
        after={"status": decision.result, "nature": nature, **{f"{k}_fen": v for k, v in amounts.items()}},
    )
    if notify:
        _serve_review_notice(actor=actor, case=claim.case, creditor=claim.creditor, reviews=[review])
    return review


@transaction.atomic
def review_batch(
    *, actor: User, case_id: uuid.UUID | str, claim_ids: list[uuid.UUID], reason: str = ""
) -> list[ClaimReview]:
    """Confirm several claims as declared at once (large cases). All or nothing."""
    case = get_case_for(actor, case_id)
    if not policies.can_review(actor, case):
        raise PermissionDenied(_("Only the administrator appointed on this case reviews claims"))
    if not claim_ids:
        raise DomainError(_("Choose at least one claim"), field="claims")
    if len(claim_ids) > MAX_BATCH:
        # Each decision renders and files its own notice: a batch is bounded so one request stays short.
        raise DomainError(_("At most %(max_batch)s claims at a time") % {"max_batch": MAX_BATCH}, field="claims")
    general = _reason(reason, field="reason_general")
    reviews = [
        review_claim(
            actor=actor,
            claim_id=claim_id,
            decision=ReviewDecision(result=ClaimStatus.CONFIRMED, reasons={"general": general}),
            notify=False,
        )
        for claim_id in claim_ids
    ]
    creditors = {review.claim.creditor_id for review in reviews}
    review_ids = [str(review.pk) for review in reviews]
    if len(creditors) <= SYNC_NOTICE_LIMIT:
        serve_review_notices(actor=actor, review_ids=review_ids)
    else:
        # Each notice is rendered and sealed: many creditors go to the background job, after the commit.
        from smartcourt.claims.tasks import serve_review_notices_task

        actor_id = str(actor.pk)
        transaction.on_commit(lambda: serve_review_notices_task(actor_id, review_ids))
    return reviews


# Up to this many creditors get their notices while the server answers (about 0.6 s each, inside the
# review's transaction); more go to the background job.
SYNC_NOTICE_LIMIT = 5


def _serve_review_notice(*, actor: User, case: Case, creditor: Creditor, reviews: list[ClaimReview]) -> ClaimDocument:
    """One sealed review-result notice to ``creditor`` covering ``reviews``: filed into the dossier, listed on
    each claim as served (the creditor opens it from his tracker), and an SMS telling him it is there."""
    today = timezone.localdate()
    items = []
    for review in reviews:
        objection = claim_deadlines(review.claim, today=today).get("objection")
        items.append({"claim": review.claim, "review": review, "objection_until": objection.on if objection else None})
    sealed = sealed_pdf(
        actor=actor,
        case=case,
        template="claims/pdf/sealed_notice.html",
        context={"creditor": creditor, "items": items},
        reason="债权审查结论通知书",
    )
    numbers = "、".join(str(review.claim.number) for review in reviews)
    title = f"债权审查结论通知书（第{numbers}号）"
    if len(title) > 120:
        title = f"债权审查结论通知书（{creditor.name}，{len(reviews)}笔）"
    entry = file_entry(
        actor=actor,
        case=case,
        kind=EntryKind.NOTICE,
        title=title[:200],
        content=sealed.pdf,
        filename=f"{title[:80]}.pdf",
        content_type=PDF,
        source=creditor,
    )
    now = timezone.now()
    documents = ClaimDocument.objects.bulk_create(
        [
            ClaimDocument(
                claim=review.claim,
                entry=entry,
                kind=DocumentKind.REVIEW_NOTICE,
                served_to_creditor=True,
                review=review,
                sha256=sealed.sha256,
                served_at=now,
            )
            for review in reviews
        ]
    )
    record_event(
        actor=actor,
        action="claims.review_notice_served",
        case_id=case.pk,
        obj=creditor,
        after={
            "reviews": [str(review.pk) for review in reviews],
            "entry": entry.number,
            "sha256": sealed.sha256,
            "seal": sealed.seal_fingerprint,
        },
    )
    phone = (creditor.user.phone if creditor.user is not None else "") or creditor.phone
    if phone:
        text = f"【{case.court.name}】{case.number}案管理人已向您送达债权审查结论通知书，请登录平台“我的债权”查阅。"
        transaction.on_commit(lambda: sms_adapter().send(phone, text))
    return documents[0]


def serve_review_notices(*, actor: User, review_ids: list[str]) -> int:
    """Serve the notices of ``review_ids``, one per creditor, each creditor in its own transaction.
    Idempotent: a review that already has its notice is skipped, so a retried job serves nobody twice.
    Returns the number of notices served."""
    served = 0
    by_creditor: dict[uuid.UUID, list[uuid.UUID]] = {}
    for review_id, creditor_id in ClaimReview.objects.filter(pk__in=review_ids).values_list("pk", "claim__creditor_id"):
        by_creditor.setdefault(creditor_id, []).append(review_id)
    for creditor_id, ids in by_creditor.items():
        with transaction.atomic():
            creditor = (
                Creditor.objects.select_for_update(of=("self",))
                .select_related("case__court", "user")
                .get(pk=creditor_id)
            )
            if not policies.can_review(actor, creditor.case):
                raise PermissionDenied(_("Only the administrator appointed on this case serves review notices"))
            reviews = list(
                ClaimReview.objects.filter(pk__in=ids, notices__isnull=True)
                .select_related("claim__case", "claim__creditor")
                .order_by("claim__number")
            )
            if reviews:
                _serve_review_notice(actor=actor, case=creditor.case, creditor=creditor, reviews=reviews)
                served += 1
    return served


# --- the signed claims table ---------------------------------------------------------------------------------

# Up to this many claims the table is sealed while the administrator waits (about 1.5 s per 100 claims to
# render); a larger table is sealed by the background job.
SYNC_TABLE_ROWS = 300
# The largest table sealed as one PDF; beyond it the xlsx export is the working copy.
MAX_SIGNED_TABLE_ROWS = 10_000


@dataclass(frozen=True)
class TableSigning:
    """What a request to seal the table did: sealed it now, or queued it for the background job."""

    table: SignedTable | None
    queued: bool


def _checked_table_request(actor: User, case_id: uuid.UUID | str) -> tuple[Case, int]:
    case = get_case_for(actor, case_id)
    if not policies.can_review(actor, case):
        raise PermissionDenied(_("Only the administrator appointed on this case signs the claims table"))
    count = Claim.objects.filter(case=case).count()
    if count == 0:
        raise Conflict(_("There is no claim on the table yet"), code="empty_table")
    if count > MAX_SIGNED_TABLE_ROWS:
        raise DomainError(
            _("A signed table holds at most %(max_signed_table_rows)s claims; use the xlsx export")
            % {"max_signed_table_rows": MAX_SIGNED_TABLE_ROWS},
            code="table_too_large",
        )
    return case, count


def request_table_signature(*, actor: User, case_id: uuid.UUID | str) -> TableSigning:
    """Seal the table now if it is small, else queue the background job (after this request's commit)."""
    case, count = _checked_table_request(actor, case_id)
    if count <= SYNC_TABLE_ROWS:
        return TableSigning(table=sign_claims_table(actor=actor, case_id=case.pk), queued=False)
    from smartcourt.claims.tasks import sign_claims_table_task

    actor_id, requested_at = str(actor.pk), timezone.now().isoformat()
    transaction.on_commit(lambda: sign_claims_table_task(actor_id, str(case.pk), requested_at))
    return TableSigning(table=None, queued=True)


def sign_claims_table(
    *, actor: User, case_id: uuid.UUID | str, requested_at: dt.datetime | None = None
) -> SignedTable | None:
    """Seal the claims table as it stands now with the firm's seal (identity numbers masked, art. 57): the
    copy submitted to the creditors' meeting and downloaded by interested parties. Each signing is a new
    version; earlier ones stay in the dossier.

    The rows are read once (the totals are summed from those very rows, so the PDF is consistent), the PDF is
    rendered and signed outside any transaction (seconds for a large table: no lock is held meanwhile), and the
    entry, the record and the audit event are written in one short transaction. With ``requested_at`` (the
    background job) nothing is done when a version was signed since the request: a retried job signs once."""
    from smartcourt.claims.selectors import summary_of, table_rows

    case, _count = _checked_table_request(actor, case_id)
    if requested_at is not None and SignedTable.objects.filter(case=case, created_at__gte=requested_at).exists():
        return None
    rows = list(table_rows(case)[:MAX_SIGNED_TABLE_ROWS])
    summary = summary_of(rows)
    generated_at = timezone.localtime()
    sealed = sealed_pdf(
        actor=actor,
        case=case,
        template="claims/pdf/sealed_table.html",
        context={"summary": summary, "rows": rows, "generated_at": generated_at},
        reason="债权表",
    )
    title = f"债权表（{generated_at:%Y-%m-%d}，{summary.count}笔）"
    with transaction.atomic():
        entry = file_entry(
            actor=actor,
            case=case,
            kind=EntryKind.DOCUMENT,
            title=title,
            content=sealed.pdf,
            filename=f"债权表-{case.number}.pdf",
            content_type=PDF,
        )
        table = SignedTable.objects.create(
            case=case,
            entry=entry,
            sha256=sealed.sha256,
            seal_fingerprint=sealed.seal_fingerprint,
            claims=summary.count,
            declared_fen=summary.declared_fen,
            confirmed_fen=summary.confirmed_fen,
            signed_by=actor,
        )
        record_event(
            actor=actor,
            action="claims.table_signed",
            case_id=case.pk,
            obj=table,
            after={
                "claims": summary.count,
                "declared_fen": summary.declared_fen,
                "confirmed_fen": summary.confirmed_fen,
                "sha256": sealed.sha256,
                "entry": entry.number,
            },
        )
    return table


# --- objections and the court's confirmation -----------------------------------------------------------------


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
            code="bad_transition",
        )
    today = today or timezone.localdate()
    deadline = claim_deadlines(claim, today=today).get("objection")
    if deadline is not None and today > deadline.on:
        raise Conflict(
            _("The objection period ended on %(date)s") % {"date": deadline.on.isoformat()}, code="period_over"
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
    try:
        objection = Objection.objects.select_related("claim").get(pk=objection_id)
    except (Objection.DoesNotExist, ValueError) as exc:
        raise NotFound(_("No such objection")) from exc
    claim = _locked_claim(actor, objection.claim_id)
    if not policies.can_rule(actor, claim.case):
        raise PermissionDenied(_("Only a judge sitting on the case records the outcome of an objection"))
    if basis not in ResolutionBasis.values:
        raise DomainError(_("unknown basis %(basis)s") % {"basis": basis}, field="basis")
    reference = reference.strip()
    if not reference:
        raise DomainError(_("Give the case number of the ruling or judgment"), field="reference")
    if objection.status != ObjectionStatus.OPEN:
        raise Conflict(_("This objection is already resolved"), code="bad_transition")
    nature = decision.nature or claim.confirmed_nature or claim.nature
    amounts = {item: _amount(getattr(decision, item), field=item) for item in REVIEW_ITEMS}
    _transition(claim, ClaimStatus.RESOLVED, actor=actor, note=reference[:500])
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
        resolution_reference=reference[:100],
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
        raise Conflict(_("There is no undisputed claim to confirm"), code="nothing_to_confirm")
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
        raise Conflict(_("Somebody else changed these claims first; try again"), code="stale")
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


# --- bulk import ---------------------------------------------------------------------------------------------


class ImportRefused(DomainError):
    """An import with problems: nothing was imported; ``problems`` names each line and cell."""

    code = "import_refused"

    def __init__(self, message: str, *, problems: list[Problem]) -> None:
        super().__init__(message, field="file")
        self.problems = problems


@dataclass(frozen=True)
class ImportReport:
    created: int
    encoding: str
    entry_number: int


IMPORT_BATCH = 1000


@transaction.atomic
def import_creditor_list(
    *, actor: User, case_id: uuid.UUID | str, uploaded_file: UploadedFileLike, source: str
) -> ImportReport:
    """Import the debtor's creditor list or the employee list: every line or none (art. 48 for employees)."""
    case = get_case_for(actor, case_id)
    if not policies.can_review(actor, case):
        raise PermissionDenied(_("Only the administrator appointed on this case imports creditor lists"))
    if source not in COLUMNS:
        raise DomainError(_("unknown list %(source)s") % {"source": source}, field="source")
    name, content = _read_list_file(uploaded_file)
    try:
        # The header and MAX_ROWS lines, and one more so that parse_list can say the file is too long.
        sheet = read_sheet(content, name, limits=Limits(max_rows=MAX_ROWS + 2, max_columns=32))
    except SpreadsheetUnreadable as exc:
        raise ImportRefused(
            _("%(name)s: %(exc)s") % {"name": name, "exc": exc}, problems=[Problem(0, "", str(exc))]
        ) from exc
    parsed = parse_list(sheet, source)
    existing = set(
        Creditor.objects.filter(case=case, identifier__in=[row.identifier for row in parsed.rows]).values_list(
            "identifier", flat=True
        )
    )
    id_column = "C" if source == CreditorSource.DEBTOR_LIST else "B"
    header = COLUMNS[source][2 if source == CreditorSource.DEBTOR_LIST else 1]
    for row in parsed.rows:
        if row.identifier in existing:
            parsed.problems.append(
                Problem(
                    row.line,
                    f"{id_column}{row.line} ({header})",
                    f"duplicate creditor: {row.identifier} is already a creditor of this case",
                )
            )
    if parsed.problems:
        parsed.problems.sort(key=lambda problem: problem.line)
        raise ImportRefused(
            _("%(name)s: %(count)s problem(s); nothing was imported") % {"name": name, "count": len(parsed.problems)},
            problems=parsed.problems,
        )
    Creditor.objects.bulk_create(
        [
            Creditor(
                case=case,
                kind=row.kind,
                name=row.name,
                identifier=row.identifier,
                phone=row.phone,
                account=row.account,
                source=source,
                listed_nature=row.nature,
                listed_principal_fen=row.principal_fen,
                listed_interest_fen=row.interest_fen,
                listed_other_fen=row.other_fen,
            )
            for row in parsed.rows
        ],
        batch_size=IMPORT_BATCH,
    )
    label = "债权人清册" if source == CreditorSource.DEBTOR_LIST else "职工债权清单"
    entry = file_entry(
        actor=actor,
        case=case,
        kind=EntryKind.ATTACHMENT,
        title=f"{label}（导入 {len(parsed.rows)} 名）：{name}"[:200],
        content=content,
        filename=name,
    )
    record_event(
        actor=actor,
        action="claims.list_imported",
        case_id=case.pk,
        after={"source": source, "file": name, "creditors": len(parsed.rows), "encoding": sheet.encoding},
    )
    return ImportReport(created=len(parsed.rows), encoding=sheet.encoding, entry_number=entry.number)


def _read_list_file(uploaded_file: UploadedFileLike) -> tuple[str, bytes]:
    limit: int = settings.UPLOAD_MAX_BYTES
    name = clean_filename(uploaded_file.name)
    if not name.lower().endswith((".xlsx", ".csv")):
        raise ImportRefused(
            _("%(value)s: only .xlsx and .csv files are accepted") % {"value": name or "(unnamed file)"},
            problems=[Problem(0, "", "only .xlsx and .csv files are accepted")],
        )
    buffer = bytearray()
    for chunk in uploaded_file.chunks():
        buffer.extend(chunk)
        if len(buffer) > limit:
            raise ImportRefused(
                _("%(name)s: file is too large") % {"name": name}, problems=[Problem(0, "", "file is too large")]
            )
    content = bytes(buffer)
    if name.lower().endswith(".xlsx") and sniff_content_type(content) != XLSX:
        raise ImportRefused(
            _("%(name)s: the name says xlsx but the content is not an xlsx workbook") % {"name": name},
            problems=[Problem(0, "", "the content is not an xlsx workbook")],
        )
    return name, content


# --- employee claims (art. 48) -------------------------------------------------------------------------------


@transaction.atomic
def publish_employee_list(*, actor: User, case_id: uuid.UUID | str) -> EmployeeListPublication:
    """The administrator publishes the employee-claims list; the notice (告示) is filed into the dossier."""
    case = get_case_for(actor, case_id)
    if not policies.can_review(actor, case):
        raise PermissionDenied(_("Only the administrator appointed on this case publishes the employee list"))
    lines = list(employee_lines_of(case))
    if not lines:
        raise Conflict(_("Import the employee list before publishing it"), code="no_employee_list")
    total = sum(line.listed_principal_fen + line.listed_other_fen for line in lines)
    publication = EmployeeListPublication.objects.create(
        case=case, published_by=actor, lines=len(lines), total_fen=total
    )
    pdf = template_to_pdf(
        "claims/pdf/employee_list.html",
        {"case": case, "lines": lines, "total": total, "published_on": timezone.localdate()},
    )
    title = "告示（公布职工债权用）"
    entry = file_entry(
        actor=actor,
        case=case,
        kind=EntryKind.NOTICE,
        title=title,
        content=pdf,
        filename=f"{title}.pdf",
        source=publication,
    )
    EmployeeListPublication.objects.filter(pk=publication.pk).update(entry=entry)
    publication.entry = entry
    record_event(
        actor=actor,
        action="claims.employee_list_published",
        case_id=case.pk,
        obj=publication,
        after={"lines": len(lines), "total_fen": total},
    )
    return publication


@transaction.atomic
def link_employee_line(*, actor: User, case_id: uuid.UUID | str, identifier: str) -> Creditor:
    """An employee finds his line of the published list: his identity number and his account's phone must both
    match the line. Any mismatch looks the same, so the list cannot be probed for who is on it."""
    case = get_case_for(actor, case_id)
    if not policies.can_declare(actor, case):
        raise PermissionDenied(_("Only an employee with a creditor account finds his line"))
    if not EmployeeListPublication.objects.filter(case=case).exists():
        raise NotFound(_("The employee list is not published yet"))
    normalised = normalise_identifier(identifier)
    line = (
        Creditor.objects.select_for_update()
        .filter(case=case, source=CreditorSource.EMPLOYEE_LIST, identifier=normalised)
        .first()
    )
    phone = (actor.phone or "").strip()
    if line is None or not phone or line.phone != phone or line.user_id not in {None, actor.pk}:
        raise NotFound(_("No line of the published list matches your identity number and phone"))
    if line.user_id is None:
        Creditor.objects.filter(pk=line.pk).update(user=actor, updated_at=timezone.now())
        line.user = actor
        record_event(actor=actor, action="claims.employee_line_linked", case_id=case.pk, obj=line)
    return line


@transaction.atomic
def object_to_employee_line(
    *, actor: User, creditor_id: uuid.UUID | str, reasons: str, claimed: str = ""
) -> EmployeeObjection:
    line = get_employee_line_for(actor, creditor_id)
    if line.user_id != actor.pk:
        raise PermissionDenied(_("Only the employee objects to his own line"))
    line = Creditor.objects.select_for_update().get(pk=line.pk)
    if EmployeeObjection.objects.filter(creditor=line, status=EmployeeObjectionStatus.OPEN).exists():
        raise Conflict(_("Your previous objection is still awaiting its answer"), code="objection_open")
    text = _reason(reasons, field="reasons")
    if not text:
        raise DomainError(_("Give the reasons of the objection"), field="reasons")
    claimed_fen = _amount(claimed, field="claimed") if claimed.strip() else None
    objection = EmployeeObjection.objects.create(creditor=line, raised_by=actor, reasons=text, claimed_fen=claimed_fen)
    record_event(
        actor=actor,
        action="claims.employee_objection_raised",
        case_id=line.case_id,
        obj=objection,
        after={"claimed_fen": claimed_fen},
    )
    return objection


@transaction.atomic
def answer_employee_objection(
    *,
    actor: User,
    objection_id: uuid.UUID | str,
    answer: str,
    corrected_wages: str = "",
    corrected_other: str = "",
    expected_version: int | None = None,
) -> EmployeeObjection:
    """The administrator answers with reasons; if he agrees, the line is corrected in the same act."""
    try:
        objection = EmployeeObjection.objects.select_related("creditor__case").get(pk=objection_id)
    except (EmployeeObjection.DoesNotExist, ValueError, ValidationError) as exc:
        raise NotFound(_("No such objection")) from exc
    line = get_employee_line_for(actor, objection.creditor_id)
    if not policies.can_review(actor, line.case):
        raise PermissionDenied(_("Only the administrator appointed on this case answers objections"))
    if expected_version is not None and expected_version != objection.version:
        raise Conflict(_("Somebody else changed this objection first; reload it"), code="stale")
    text = _reason(answer, field="answer")
    if not text:
        raise DomainError(_("Give the reasons of the answer"), field="answer")
    corrected = bool(corrected_wages.strip() or corrected_other.strip())
    before = {"wages_fen": line.listed_principal_fen, "other_fen": line.listed_other_fen}
    updated = EmployeeObjection.objects.filter(
        pk=objection.pk, status=EmployeeObjectionStatus.OPEN, version=objection.version
    ).update(
        status=EmployeeObjectionStatus.ANSWERED,
        answer=text,
        corrected=corrected,
        answered_by=actor,
        answered_at=timezone.now(),
        version=objection.version + 1,
        updated_at=timezone.now(),
    )
    if updated != 1:
        raise Conflict(_("This objection was already answered"), code="bad_transition")
    if corrected:
        wages = (
            _amount(corrected_wages, field="corrected_wages") if corrected_wages.strip() else line.listed_principal_fen
        )
        other = _amount(corrected_other, field="corrected_other") if corrected_other.strip() else line.listed_other_fen
        Creditor.objects.filter(pk=line.pk).update(
            listed_principal_fen=wages, listed_other_fen=other, updated_at=timezone.now()
        )
        line.listed_principal_fen, line.listed_other_fen = wages, other
    objection.refresh_from_db()
    pdf = template_to_pdf(
        "claims/pdf/employee_answer.html", {"case": line.case, "line": line, "objection": objection, "before": before}
    )
    title = f"通知书（回复职工债权异议用）{line.name}"[:200]
    entry = file_entry(
        actor=actor,
        case=line.case,
        kind=EntryKind.NOTICE,
        title=title,
        content=pdf,
        filename="回复职工债权异议.pdf",
        source=objection,
    )
    record_event(
        actor=actor,
        action="claims.employee_objection_answered",
        case_id=line.case_id,
        obj=objection,
        before=before,
        after={
            "corrected": corrected,
            "wages_fen": line.listed_principal_fen,
            "other_fen": line.listed_other_fen,
            "entry": entry.number,
        },
    )
    return objection


# --- the agent's power of attorney ---------------------------------------------------------------------------


@transaction.atomic
def check_power_of_attorney(*, actor: User, claim_id: uuid.UUID | str, accepted: bool, note: str = "") -> Claim:
    """The administrator accepts or rejects the power of attorney of the agent who declared the claim."""
    claim = _locked_claim(actor, claim_id)
    if not policies.can_review(actor, claim.case):
        raise PermissionDenied(_("Only the administrator appointed on this case checks powers of attorney"))
    if claim.poa_status != PowerOfAttorneyStatus.PENDING:
        raise Conflict(_("This claim has no power of attorney awaiting a check"), code="bad_transition")
    text = _reason(note, field="note")
    if not accepted and not text:
        raise DomainError(_("Give the reason for rejecting the power of attorney"), field="note")
    status = PowerOfAttorneyStatus.ACCEPTED if accepted else PowerOfAttorneyStatus.REJECTED
    updated = Claim.objects.filter(pk=claim.pk, poa_status=PowerOfAttorneyStatus.PENDING).update(
        poa_status=status, poa_note=text[:500], updated_at=timezone.now()
    )
    if updated != 1:
        raise Conflict(_("Somebody else changed this claim first; reload it"), code="stale")
    claim.poa_status, claim.poa_note = status, text[:500]
    record_event(
        actor=actor,
        action="claims.power_of_attorney_checked",
        case_id=claim.case_id,
        obj=claim,
        before={"poa_status": PowerOfAttorneyStatus.PENDING},
        after={"poa_status": status, "agent": str(claim.agent_id), "note": claim.poa_note},
    )
    return claim


# --- creditor self-registration ------------------------------------------------------------------------------

CODE_TTL = dt.timedelta(minutes=10)
CODE_ATTEMPTS = 5
# At most this many codes to one phone per hour, and one a minute.
CODES_PER_HOUR = 5
CODE_INTERVAL = dt.timedelta(seconds=60)
PHONE_PATTERN = re.compile(r"^1[3-9]\d{9}$")


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
