"""The administrator's review of a declared claim (EBL art. 57)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from smartcourt.accounts.models import User
from smartcourt.audit.actions import record_event
from smartcourt.cases.models import Case
from smartcourt.cases.selectors import get_case_for
from smartcourt.claims import policies
from smartcourt.claims.actions._common import REVIEW_ITEMS, _amount, _check_version, _locked_claim, _reason, _transition
from smartcourt.claims.choices import REVIEW_RESULTS, ClaimNature, ClaimStatus, DocumentKind, PowerOfAttorneyStatus
from smartcourt.claims.errors import ClaimError
from smartcourt.claims.models import Claim, ClaimDocument, ClaimReview, Creditor
from smartcourt.claims.sealing import sealed_pdf
from smartcourt.claims.selectors import claim_deadlines
from smartcourt.core.errors import Conflict, DomainError, PermissionDenied
from smartcourt.core.lengths import FILE_STEM, fit, shorten
from smartcourt.core.money import fen_to_yuan
from smartcourt.core.uploads import PDF
from smartcourt.dossier.actions import file_entry
from smartcourt.dossier.choices import EntryKind
from smartcourt.dossier.models import DossierEntry
from smartcourt.services.sms import sms_adapter

MAX_BATCH = 200


# The items' names in messages (the reviewer reads 本金, not "principal").
ITEM_LABELS = {
    "principal": gettext_lazy("principal"),
    "interest": gettext_lazy("interest"),
    "penalties": gettext_lazy("penalties"),
    "costs": gettext_lazy("costs"),
}


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
        raise Conflict(
            _("Check the agent's power of attorney before reviewing the claim"), code=ClaimError.POA_UNCHECKED
        )
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
        title=fit(DossierEntry, "title", title),
        content=sealed.pdf,
        filename=f"{shorten(title, FILE_STEM)}.pdf",
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
