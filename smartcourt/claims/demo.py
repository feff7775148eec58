"""Demo claims on the 宏达纺织 liquidation, through the real actions: the debtor's creditor list imported, 刘洋
declares with interest and evidence, the administrator confirms part of it with reasons, 刘洋 objects, 孙丽's
claim is confirmed, the judge confirms the undisputed claims by ruling, and the administrator seals the claims
table. Each review serves a sealed review-result notice on the creditor. Idempotent: once the case has
claims, nothing is done."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from smartcourt.accounts.models import User
from smartcourt.cases.demo import LIU_YANG_ID, SUN_LI_ID
from smartcourt.cases.models import Case
from smartcourt.claims.actions import (
    Declaration,
    ReviewDecision,
    confirm_undisputed,
    declare_claim,
    import_creditor_list,
    object_to_claim,
    review_claim,
    sign_claims_table,
)
from smartcourt.claims.imports import DEBTOR_LIST_COLUMNS
from smartcourt.claims.models import Claim
from smartcourt.core.pdf import html_to_pdf
from smartcourt.core.spreadsheets import write_xlsx


def _evidence(title: str) -> bytes:
    return html_to_pdf(f"<html><body style=\"font-family: 'Noto Sans CJK SC'\"><h1>{title}</h1></body></html>")


def seed_claims(*, case: Case, judge: User, administrator: User) -> None:
    if Claim.objects.filter(case=case).exists():
        return
    creditor_a = User.objects.get(username="creditor_a")
    creditor_b = User.objects.get(username="creditor_b")
    from smartcourt.core.identifiers import credit_code_check_char

    stem = "91320623MA1H0001A"
    huasheng = stem + credit_code_check_char(stem)
    rows: list[list[str | int | None]] = [
        list(DEBTOR_LIST_COLUMNS),
        [
            "南通华盛建材有限公司",
            "单位",
            huasheng,
            "051388880001",
            "32050100000012345678",
            "普通",
            "860000.00",
            "25600",
        ],
        ["刘洋", "个人", LIU_YANG_ID, "13505130001", "6222021111000012345", "普通", "200000", "0"],
        ["孙丽", "个人", SUN_LI_ID, "13505130002", "", "普通", "50000", ""],
    ]
    import_creditor_list(
        actor=administrator,
        case_id=case.pk,
        uploaded_file=SimpleUploadedFile("债权人清册.xlsx", write_xlsx(rows)),
        source="debtor_list",
    )
    liu = declare_claim(
        actor=creditor_a,
        case_id=case.pk,
        declaration=Declaration(
            creditor_kind="natural_person",
            creditor_name="刘洋",
            identifier=LIU_YANG_ID,
            phone="13505130001",
            principal="200000.00",
            penalties="5000.00",
            costs="2000.00",
            interest_from=dt.date(2025, 3, 1),
            interest_rate_percent="4.35",
            basis="2025年3月1日借款合同，约定年利率4.35%。",
        ),
        attachments=[SimpleUploadedFile("借款合同.pdf", _evidence("借款合同"))],
    )
    sun = declare_claim(
        actor=creditor_b,
        case_id=case.pk,
        declaration=Declaration(
            creditor_kind="natural_person", creditor_name="孙丽", identifier=SUN_LI_ID, principal="50000.00"
        ),
        attachments=[SimpleUploadedFile("货款对账单.pdf", _evidence("货款对账单"))],
    )
    review_claim(
        actor=administrator,
        claim_id=liu.pk,
        decision=ReviewDecision(
            result="partly_confirmed",
            principal="200000.00",
            interest=f"{liu.interest_fen / 100:.2f}",
            penalties="0",
            costs="2000.00",
            reasons={"penalties": "借款合同未约定违约金，不予确认。"},
        ),
    )
    review_claim(actor=administrator, claim_id=sun.pk, decision=ReviewDecision(result="confirmed"))
    object_to_claim(actor=creditor_a, claim_id=liu.pk, reasons="补充协议约定了违约金，见补充协议第三条。")
    confirm_undisputed(actor=judge, case_id=case.pk, ruled_on=timezone.localdate())
    # The table as it stands after the ruling, sealed by the firm: what interested parties download (art. 57).
    sign_claims_table(actor=administrator, case_id=case.pk)
