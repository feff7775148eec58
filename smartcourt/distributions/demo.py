"""Demo distribution on a gallery case at the distribution node: 110 creditors with court-confirmed claims,
a final plan computed in the statutory order, adopted by the meeting and ruled by the court, the payment
file completed with bank details and uploaded, checked, submitted, approved by the judge (pain.001 generated
and validated), and — when the case has a supervised account at a reachable bank — sent: the sandbox bank
pays, one payee's bank returns the payment (closed account) and it lands in escrow. 刘洋 (creditor_a) is one
of the creditors and sees his payment in the tracker. Idempotent: once the case has a batch, nothing is done.

The claims table is written straight into the claims app's tables here: going through declaration and review
for 110 creditors would render 220 sealed PDFs, far too slow for a demo seed. Only the demo does this."""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
from typing import Any

from django.utils import timezone

from smartcourt.accounts.models import User
from smartcourt.banking.adapter import BankUnavailable
from smartcourt.banking.partners import default_partner_name
from smartcourt.cases.actions import add_member
from smartcourt.cases.choices import MemberRole
from smartcourt.cases.demo import LIU_YANG_ID
from smartcourt.cases.models import Case
from smartcourt.claims.choices import ClaimNature, ClaimStatus, CreditorKind, CreditorSource
from smartcourt.claims.models import Claim, Creditor
from smartcourt.core.clock import Clock
from smartcourt.core.errors import DomainError
from smartcourt.core.identifiers import credit_code_check_char
from smartcourt.distributions import actions
from smartcourt.distributions.choices import LineClass
from smartcourt.distributions.export import payment_file_csv
from smartcourt.distributions.models import DistributionPlan, PaymentBatch
from smartcourt.distributions.planning import Expense
from smartcourt.funds import bank as bank_seam
from smartcourt.funds.actions import LimitsInput, open_account, sync_account
from smartcourt.funds.models import SupervisedAccount
from smartcourt.funds.selectors import account_of

logger = logging.getLogger("smartcourt.distributions")

CREDITORS = 110
AVAILABLE_FEN = 1_650_000_000  # 16.5 million yuan of the estate
COLLATERAL_FEN = 260_000_000  # the secured bank's collateral (factory and land use right), auctioned
RETURNED_ACCOUNT = "6222020000009999"  # the payee account the sandbox bank returns (closed)
BANKS = [
    ("中国银行如东支行", "104306200021"),
    ("江苏银行南通分行", "313306000018"),
    ("如东农村商业银行", "314306200015"),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
SECTORS = ["贸易", "建材", "纺织", "物流"]
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"


def _identity(n: int) -> str:
    # A resident identity number shape (region 320623, birth date, sequence); check digit not needed here.
    return f"320623{1960 + n % 40}{1 + n % 12:02d}{1 + n % 28:02d}{n:03d}X"[:18]


def _claims(case: Case, administrator: User, creditor_a: User | None) -> None:
    now = timezone.now()
    rows: list[tuple[str, str, str, str, int]] = []  # kind, name, identifier, nature, fen
    rows.append((CreditorKind.NATURAL_PERSON, "刘洋", LIU_YANG_ID, ClaimNature.ORDINARY, 20_700_000))
    stem = "91320623MA1H0002A"
    rows.append(
        (
            CreditorKind.ORGANISATION,
            "如东农村商业银行股份有限公司",
            stem + credit_code_check_char(stem),
            ClaimNature.SECURED,
            300_000_000,
        )
    )
    for n in range(CREDITORS - 2):
        if n < 30:
            name = SURNAMES[n % len(SURNAMES)] + GIVEN[(n * 7) % len(GIVEN)] + GIVEN[(n * 3) % len(GIVEN)]
            rows.append((CreditorKind.NATURAL_PERSON, name, _identity(n), ClaimNature.EMPLOYEE, 3_000_000 + 13_579 * n))
        elif n < 32:
            stem = f"11320623MB{n:07d}"[:17]
            rows.append(
                (
                    CreditorKind.ORGANISATION,
                    ["国家税务总局如东县税务局", "如东县社会保险基金管理中心"][n - 30],
                    stem + credit_code_check_char(stem),
                    ClaimNature.SOCIAL_INSURANCE_TAX,
                    12_000_000 + n,
                )
            )
        else:
            stem = f"91320623MA{n:07d}"[:17]
            rows.append(
                (
                    CreditorKind.ORGANISATION,
                    f"南通{SURNAMES[n % len(SURNAMES)]}{GIVEN[n % len(GIVEN)]}{SECTORS[n % len(SECTORS)]}有限公司",
                    stem + credit_code_check_char(stem),
                    ClaimNature.ORDINARY,
                    10_000_000 + 987_654 * n,
                )
            )
    existing = Claim.objects.filter(case=case).count()
    for index, (kind, name, identifier, nature, fen) in enumerate(rows, start=1):
        creditor, _ = Creditor.objects.get_or_create(
            case=case,
            identifier=identifier,
            defaults={
                "kind": kind,
                "name": name,
                "source": CreditorSource.SELF_DECLARED,
                "user": creditor_a if identifier == LIU_YANG_ID else None,
            },
        )
        Claim.objects.create(
            case=case,
            creditor=creditor,
            number=existing + index,
            nature=nature,
            principal_fen=fen,
            collateral="厂房及土地使用权（如东县掘港镇）" if nature == ClaimNature.SECURED else "",
            declared_at=now,
            declared_by=administrator,
            status=ClaimStatus.COURT_CONFIRMED,
            confirmed_nature=nature,
            confirmed_principal_fen=fen,
        )


def seed_distribution_claims(*, case: Case, judge: User, administrator: User) -> None:
    """The case's 110 court-confirmed claims, 刘洋 among them as creditor_a (idempotent: a case with claims keeps
    them). The demo seed writes them when the case's claims review is done, before its first meeting."""
    if Claim.objects.filter(case=case).exists():
        return
    creditor_a = User.objects.filter(username="creditor_a").first()
    if creditor_a is not None and not case.members.filter(user=creditor_a, role=MemberRole.CREDITOR).exists():
        add_member(actor=judge, case=case, role=MemberRole.CREDITOR, user=creditor_a)
    _claims(case, administrator, creditor_a)


def _completed_file(plan: DistributionPlan) -> bytes:
    """The prefilled payment file with every payee's account and bank, as the administrator completes it."""
    rows = list(csv.reader(io.StringIO(payment_file_csv(plan).decode("utf-8-sig"))))
    for index, row in enumerate(rows[1:]):
        bank, code = BANKS[index % len(BANKS)]
        row[3] = row[3] or (RETURNED_ACCOUNT if index == 7 else f"6222{index:012d}")
        row[4], row[5] = bank, code
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def _account(case: Case, judge: User, administrator: User) -> SupervisedAccount | None:
    """The case's supervised account; opened at the default bank partner and credited with the realisation
    proceeds (the sandbox bank's test credit, as the funds demo does) when the case has none. None when no
    bank answers: the demo then stops at the approved batch."""
    account = account_of(case)
    if account is not None:
        return account
    try:
        account = open_account(
            actor=judge,
            case_id=case.pk,
            bank_partner=default_partner_name(),
            bank_name="中国工商银行如东支行（沙盒）",
            account_name=f"{case.title.removesuffix('破产清算案')}管理人",
            holder_id=administrator.organisation.credit_code if administrator.organisation else "",
            limits=LimitsInput(per_transaction="50000.00", daily="200000.00", cumulative="1500000.00"),
            reason="分配前开立管理人监管账户",
        )
        adapter: Any = bank_seam.adapter_for(account.bank_partner)
        for amount_fen, name, description in (
            (COLLATERAL_FEN, "南通市公共资源交易中心", "抵押厂房及土地使用权拍卖变价款"),
            (AVAILABLE_FEN, "南通市公共资源交易中心", "设备、存货拍卖款及应收账款回收"),
        ):
            adapter.call(
                "/v1/test/credit",
                {
                    "account_number": account.account_number,
                    "amount_fen": amount_fen,
                    "counterparty_name": name,
                    "counterparty_account": "3206010188000000777",
                    "description": description,
                },
            )
        sync_account(account_id=account.pk)
    except (BankUnavailable, DomainError) as exc:
        logger.warning("demo distribution: no supervised account (%s); the batch stays approved", exc)
        return account_of(case)
    return account


def seed_distribution_plan(
    *,
    case: Case,
    judge: User,
    administrator: User,
    clock: Clock | None = None,
    resolved_on: dt.date | None = None,
    ruled_on: dt.date | None = None,
) -> DistributionPlan:
    """The final plan over the case's claims, adopted by the creditors' written vote (``resolved_on``, ten days
    ago unless told) and approved by the court's ruling (``ruled_on``, three days ago). Along the demo's
    ``clock`` each step is taken on its day; the demo seed does this while the case's N13 is in progress.
    Idempotent: a case with a plan keeps it."""
    existing = DistributionPlan.objects.filter(case=case).order_by("-created_at").first()
    if existing is not None:
        return existing
    seed_distribution_claims(case=case, judge=judge, administrator=administrator)
    secured = Claim.objects.get(case=case, nature=ClaimNature.SECURED)
    plan = actions.create_plan(
        actor=administrator,
        case_id=case.pk,
        plan_input=actions.PlanInput(
            kind="final",
            available_fen=AVAILABLE_FEN,
            available_basis="管理人账户余额：设备及存货拍卖款、应收账款回收款（截至分配方案制作日）",
            collateral_proceeds={str(secured.pk): COLLATERAL_FEN},
            expenses=[
                Expense("管理人报酬（第一期）", LineClass.EXPENSES, 38_000_000),
                Expense("审计、评估费用", LineClass.EXPENSES, 12_500_000),
                Expense("继续履行合同所生债务", LineClass.COMMON_BENEFIT, 8_600_000),
            ],
        ),
    )
    actions.submit_plan(actor=administrator, plan_id=plan.pk)
    today = timezone.localdate()
    resolved_on = resolved_on or today - dt.timedelta(days=10)
    ruled_on = ruled_on or today - dt.timedelta(days=3)
    if clock is not None:
        clock.move_to_day(resolved_on, 16)
    actions.record_meeting_resolution(
        actor=judge,
        plan_id=plan.pk,
        adopted=True,
        reference="第二次债权人会议决议（书面表决）",
        resolved_on=resolved_on,
    )
    if clock is not None:
        clock.move_to_day(ruled_on, 10)
    actions.rule_on_plan(
        actor=judge,
        plan_id=plan.pk,
        approved=True,
        ruling_reference=f"{case.number}之二",
        ruled_on=ruled_on,
    )
    plan.refresh_from_db()
    return plan


def seed_distributions(*, case: Case, judge: User, administrator: User, send: bool = True) -> PaymentBatch | None:
    """The ruled plan's payment file uploaded, checked, approved and (``send``) paid through the bank today."""
    batch = PaymentBatch.objects.filter(plan__case=case).order_by("-created_at").first()
    if batch is not None:
        return batch
    account = _account(case, judge, administrator) if send else account_of(case)
    plan = seed_distribution_plan(case=case, judge=judge, administrator=administrator)
    batch, _ = actions.upload_batch(
        actor=administrator,
        plan_id=plan.pk,
        filename="最后分配付款清单.csv",
        content=_completed_file(plan),
        paying_account=account.account_number if account else "32060123000088888",
        paying_bank_name=account.bank_name if account else "中国工商银行如东支行",
    )
    actions.submit_batch(actor=administrator, batch_id=batch.pk)
    actions.approve_batch(actor=judge, batch_id=batch.pk)
    if send and account is not None:
        try:
            adapter: Any = bank_seam.adapter_for(account.bank_partner)
            # The sandbox bank: the payee's bank of one creditor returns the payment (closed account).
            adapter.call("/v1/test/close-payee", {"account_number": RETURNED_ACCOUNT})
            actions.send_batch(actor=judge, batch_id=batch.pk)
            sync_account(account_id=account.pk)
        except BankUnavailable:
            logger.warning("demo distribution: the bank is not reachable; the batch stays approved")
    batch.refresh_from_db()
    return batch
