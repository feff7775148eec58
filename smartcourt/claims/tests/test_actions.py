"""Declaration, review, objections and the court's confirmation: every transition and every refusal."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import pytest
from django.utils import translation

from smartcourt.audit.models import AuditEvent
from smartcourt.claims.actions import (
    ReviewDecision,
    confirm_undisputed,
    declare_claim,
    object_to_claim,
    resolve_objection,
    review_batch,
    review_claim,
    start_review,
)
from smartcourt.claims.choices import ClaimStatus, DocumentKind
from smartcourt.claims.models import Claim
from smartcourt.claims.selectors import claims_table
from smartcourt.claims.tests.helpers import LATE, counts, declaration, declare, open_proceeding
from smartcourt.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from smartcourt.dossier.tests.helpers import sample_pdf, upload

if TYPE_CHECKING:
    from conftest import Personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def p(personas: Personas) -> Personas:
    open_proceeding(personas)
    return personas


def partly() -> ReviewDecision:
    return ReviewDecision(
        result=ClaimStatus.PARTLY_CONFIRMED,
        principal="100000.00",
        interest="3650.00",
        penalties="0",
        costs="1000.00",
        reasons={"penalties": "合同未约定违约金"},
    )


def test_declaration_computes_interest_files_evidence_and_receipt(p: Personas) -> None:
    events = AuditEvent.objects.count()
    claim = declare_claim(
        actor=p.creditor_a,
        case_id=p.case.pk,
        declaration=declaration(),
        attachments=[upload("借款合同.pdf", sample_pdf("借款合同"))],
        now=dt.datetime(2026, 4, 1, 1, 0, tzinfo=dt.UTC),
    )
    assert claim.number == 1
    assert claim.status == ClaimStatus.DECLARED
    assert claim.late is False
    # 100,000.00 yuan at 3.65 % from 2025-03-09 to 2026-03-08 (365 days), actual/365.
    assert claim.interest_fen == 365_000
    assert claim.interest_detail["lines"][0]["days"] == 365
    assert claim.interest_detail["lines"][0]["last_day"] == "2026-03-08"
    assert claim.declared_total_fen == 10_000_000 + 365_000 + 50_000 + 100_000
    assert claim.creditor.user == p.creditor_a
    kinds = sorted(claim.documents.values_list("kind", flat=True))
    assert kinds == [DocumentKind.EVIDENCE, DocumentKind.RECEIPT]
    receipt = claim.documents.get(kind=DocumentKind.RECEIPT)
    assert receipt.served_to_creditor and receipt.entry.file_name.endswith(".pdf")
    assert list(AuditEvent.objects.filter(seq__gt=events).values_list("action", flat=True)) == [
        "dossier.entry_filed",
        "claims.declared",
        "dossier.entry_filed",
    ]


def test_late_declaration_is_flagged(p: Personas) -> None:
    claim = declare(p, now=LATE)
    assert claim.late is True


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"identifier": "110105194912310021"}, "check digit"),
        ({"nature": "secured"}, "collateral"),
        ({"principal": "0"}, "more than zero"),
        ({"principal": "100.001"}, "more than two decimals"),
        ({"principal": "-5"}, "cannot be negative"),
        ({"interest_rate_percent": ""}, "both its start date and its rate"),
        ({"interest_from": dt.date(2026, 3, 9)}, "interest stops the day before"),
        ({"liability": "guarantee"}, "names the other debtors or the principal debtor"),
        ({"liability": "shared"}, "unknown liability"),
    ],
)
def test_bad_declarations_change_nothing(p: Personas, overrides: dict[str, Any], message: str) -> None:
    before = counts()
    with pytest.raises(DomainError, match=message):
        declare(p, **overrides)
    assert counts() == before


@pytest.mark.parametrize("persona", ["creditor_b", "outsider", "other_administrator"])
def test_declaration_by_someone_who_cannot_see_the_case_is_404(p: Personas, persona: str) -> None:
    before = counts()
    with pytest.raises(NotFound):
        declare_claim(actor=getattr(p, persona), case_id=p.case.pk, declaration=declaration())
    assert counts() == before


@pytest.mark.parametrize("persona", ["judge", "administrator", "bank_operator", "clerk"])
def test_declaration_by_a_non_creditor_is_refused(p: Personas, persona: str) -> None:
    before = counts()
    with pytest.raises(PermissionDenied):
        declare_claim(actor=getattr(p, persona), case_id=p.case.pk, declaration=declaration())
    assert counts() == before


def test_whole_path_declared_review_partly_objection_resolved(p: Personas) -> None:
    claim = declare(p)
    claim = start_review(actor=p.administrator, claim_id=claim.pk)
    assert claim.status == ClaimStatus.UNDER_REVIEW
    review = review_claim(actor=p.administrator, claim_id=claim.pk, decision=partly())
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PARTLY_CONFIRMED
    assert review.total_fen == claim.confirmed_total_fen == 10_000_000 + 365_000 + 100_000
    assert claim.documents.filter(kind=DocumentKind.REVIEW_NOTICE, served_to_creditor=True).count() == 1
    objection = object_to_claim(
        actor=p.creditor_a, claim_id=claim.pk, reasons="违约金有合同依据", claimed_total="104650.00"
    )
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.DISPUTED
    resolve_objection(
        actor=p.judge,
        objection_id=objection.pk,
        basis="suit",
        reference="(2026)苏0623民初100号",
        resolved_on=dt.date(2026, 8, 1),
        decision=ReviewDecision(result="", principal="100000", interest="3650", penalties="500", costs="1000"),
    )
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.RESOLVED
    assert claim.confirmed_total_fen == claim.declared_total_fen
    assert list(claim.transitions.order_by("at").values_list("to_status", flat=True)) == [
        "declared",
        "under_review",
        "partly_confirmed",
        "disputed",
        "resolved",
    ]


@pytest.mark.parametrize(
    ("result", "extra", "status"),
    [
        ("confirmed", {}, ClaimStatus.CONFIRMED),
        ("not_confirmed", {"reasons": {"general": "已清偿"}}, ClaimStatus.NOT_CONFIRMED),
        ("pending", {"reasons": {"general": "诉讼未决"}}, ClaimStatus.PENDING),
    ],
)
def test_review_results_from_declared(p: Personas, result: str, extra: dict[str, Any], status: str) -> None:
    claim = declare(p)
    review_claim(actor=p.administrator, claim_id=claim.pk, decision=ReviewDecision(result=result, **extra))
    claim.refresh_from_db()
    assert claim.status == status
    expected = claim.declared_total_fen if status == ClaimStatus.CONFIRMED else 0
    assert claim.confirmed_total_fen == expected


def test_pending_is_reviewed_again(p: Personas) -> None:
    claim = declare(p)
    review_claim(
        actor=p.administrator, claim_id=claim.pk, decision=ReviewDecision(result="pending", reasons={"general": "待定"})
    )
    review_claim(actor=p.administrator, claim_id=claim.pk, decision=ReviewDecision(result="confirmed"))
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.CONFIRMED
    assert claim.reviews.count() == 2


@pytest.mark.parametrize(
    ("decision", "message"),
    [
        (
            ReviewDecision(result="partly_confirmed", principal="100000", interest="3650", penalties="0", costs="1000"),
            "reason why the penalties",
        ),
        (
            ReviewDecision(result="partly_confirmed", principal="200000", reasons={"principal": "x"}),
            "more than the 100000.00 declared",
        ),
        (ReviewDecision(result="not_confirmed"), "reason for this result"),
        (ReviewDecision(result="confirmed", nature="secured"), "nature differs"),
        (ReviewDecision(result="declared"), "unknown review result"),
    ],
)
def test_bad_reviews_change_nothing(p: Personas, decision: ReviewDecision, message: str) -> None:
    claim = declare(p)
    before = counts()
    with pytest.raises(DomainError, match=message):
        review_claim(actor=p.administrator, claim_id=claim.pk, decision=decision)
    assert counts() == before
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.DECLARED


@pytest.mark.parametrize("persona", ["judge", "clerk", "assistant", "creditor_a"])
def test_only_the_appointed_administrator_reviews(p: Personas, persona: str) -> None:
    claim = declare(p)
    before = counts()
    with pytest.raises(PermissionDenied):
        review_claim(actor=getattr(p, persona), claim_id=claim.pk, decision=ReviewDecision(result="confirmed"))
    with pytest.raises(PermissionDenied):
        start_review(actor=getattr(p, persona), claim_id=claim.pk)
    assert counts() == before


@pytest.mark.parametrize("persona", ["other_administrator", "creditor_b", "outsider", "bank_operator"])
def test_others_do_not_see_the_claim(p: Personas, persona: str) -> None:
    claim = declare(p)
    before = counts()
    with pytest.raises(NotFound):
        review_claim(actor=getattr(p, persona), claim_id=claim.pk, decision=ReviewDecision(result="confirmed"))
    assert counts() == before


def test_stale_version_is_a_conflict(p: Personas) -> None:
    claim = declare(p)
    start_review(actor=p.administrator, claim_id=claim.pk)
    before = counts()
    with pytest.raises(Conflict):
        review_claim(
            actor=p.administrator, claim_id=claim.pk, decision=ReviewDecision(result="confirmed"), expected_version=1
        )
    assert counts() == before


def test_impossible_transitions_are_conflicts(p: Personas) -> None:
    claim = declare(p)
    before = counts()
    with pytest.raises(Conflict):
        object_to_claim(actor=p.creditor_a, claim_id=claim.pk, reasons="x")
    start_review(actor=p.administrator, claim_id=claim.pk)
    with pytest.raises(Conflict):
        start_review(actor=p.administrator, claim_id=claim.pk)
    assert counts()["claims"] == before["claims"]


def test_objection_only_by_the_creditor_and_within_the_period(p: Personas) -> None:
    claim = declare(p)
    review_claim(actor=p.administrator, claim_id=claim.pk, decision=ReviewDecision(result="confirmed"))
    before = counts()
    with pytest.raises(PermissionDenied):
        object_to_claim(actor=p.administrator, claim_id=claim.pk, reasons="x")
    with pytest.raises(Conflict, match="objection period ended"):
        object_to_claim(actor=p.creditor_a, claim_id=claim.pk, reasons="x", today=dt.date(2099, 1, 1))
    with pytest.raises(DomainError, match="reasons of the objection"):
        object_to_claim(actor=p.creditor_a, claim_id=claim.pk, reasons="  ")
    assert counts() == before


def test_judge_confirms_undisputed_claims_and_table_matches(p: Personas) -> None:
    first = declare(p)
    second = declare(p, principal="2000.00")
    third = declare(p, principal="3000.00", nature="secured", collateral="厂房抵押")
    assert first.creditor_id == second.creditor_id
    review_claim(actor=p.administrator, claim_id=first.pk, decision=partly())
    review_batch(actor=p.administrator, case_id=p.case.pk, claim_ids=[second.pk, third.pk], reason="证据充分")
    object_to_claim(actor=p.creditor_a, claim_id=second.pk, reasons="利息少算")
    before = counts()
    with pytest.raises(PermissionDenied):
        confirm_undisputed(actor=p.administrator, case_id=p.case.pk, ruled_on=dt.date(2026, 6, 1))
    assert counts() == before
    ruling = confirm_undisputed(actor=p.judge, case_id=p.case.pk, ruled_on=dt.date(2026, 6, 1))
    statuses = dict(Claim.objects.values_list("number", "status"))
    assert statuses == {1: "court_confirmed", 2: "disputed", 3: "court_confirmed"}
    first.refresh_from_db()
    second.refresh_from_db()
    third.refresh_from_db()
    assert ruling.total_fen == first.confirmed_total_fen + third.confirmed_total_fen
    assert ruling.entry is not None and ruling.entry.kind == "ruling"
    table = claims_table(p.case)
    by_nature = {item.nature: item for item in table.classes}
    assert by_nature["secured"].confirmed_fen == third.confirmed_total_fen
    # The disputed claim stays on the table with the administrator's amounts until its dispute is resolved.
    assert by_nature["ordinary"].confirmed_fen == first.confirmed_total_fen + second.confirmed_total_fen
    assert by_nature["ordinary"].by_status == {"court_confirmed": 1, "disputed": 1}
    assert table.count == 3
    with pytest.raises(Conflict, match="no undisputed claim"):
        confirm_undisputed(actor=p.judge, case_id=p.case.pk, ruled_on=dt.date(2026, 6, 2))


def test_guarantee_claim_names_the_principal_debtor(p: Personas) -> None:
    claim = declare(p, liability="guarantee", co_obligors="南通某某贸易有限公司")
    assert (claim.liability, claim.co_obligors) == ("guarantee", "南通某某贸易有限公司")
    sole = declare(p, co_obligors="ignored for a sole debtor")
    assert sole.co_obligors == ""


def test_batch_is_bounded(p: Personas) -> None:
    import uuid

    before = counts()
    with pytest.raises(DomainError, match="At most 200 claims at a time"):
        review_batch(actor=p.administrator, case_id=p.case.pk, claim_ids=[uuid.uuid4() for _ in range(201)])
    assert counts() == before


def test_an_overlong_phone_or_collateral_is_refused_never_cut(p: Personas, nothing_changed: Any) -> None:
    # The number the court's SMS reach the creditor on, cut, reaches nobody (issue 14.4, issue 15.14).
    with nothing_changed(), translation.override("zh-hans"), pytest.raises(DomainError) as refused:
        declare(p, phone="1" * 21)
    assert (refused.value.code, refused.value.field) == ("too_long", "phone")
    assert refused.value.message == "手机号码最多 20 个字符，此处有 21 个"
    with nothing_changed(), pytest.raises(DomainError) as refused:
        declare(p, nature="secured", collateral="房" * 501)
    assert (refused.value.code, refused.value.field) == ("too_long", "collateral")
    claim = declare(p, phone="1" * 20, nature="secured", collateral="房" * 500)
    assert (claim.creditor.phone, claim.collateral) == ("1" * 20, "房" * 500)
