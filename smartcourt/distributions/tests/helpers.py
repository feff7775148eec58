"""Claims in given states straight into the claims table, and a plan taken to the court's ruling."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from smartcourt.audit.models import AuditEvent
from smartcourt.claims.choices import ClaimNature, ClaimStatus, CreditorKind, CreditorSource
from smartcourt.claims.models import Claim, Creditor
from smartcourt.distributions import actions
from smartcourt.distributions.models import (
    BatchLine,
    BatchTransition,
    DistributionPlan,
    PaymentBatch,
    PlanLine,
    PlanTransition,
)

if TYPE_CHECKING:
    from conftest import Personas

PAYING_ACCOUNT = "32060123000012345"
PAYING_BANK = "中国工商银行如东支行"
_numbers: dict[str, int] = {}


def make_claim(
    p: Personas,
    *,
    name: str,
    identifier: str,
    nature: str = ClaimNature.ORDINARY,
    amount_fen: int,
    status: str = ClaimStatus.COURT_CONFIRMED,
    declared_fen: int | None = None,
    kind: str = CreditorKind.NATURAL_PERSON,
    account: str = "",
) -> Claim:
    creditor, _ = Creditor.objects.get_or_create(
        case=p.case,
        identifier=identifier,
        defaults={"kind": kind, "name": name, "source": CreditorSource.SELF_DECLARED, "account": account},
    )
    number = (Claim.objects.filter(case=p.case).count()) + 1
    confirmed = status in actions.CONFIRMED_STATES
    return Claim.objects.create(
        case=p.case,
        creditor=creditor,
        number=number,
        nature=nature,
        principal_fen=declared_fen if declared_fen is not None else amount_fen,
        declared_at=timezone.now(),
        declared_by=p.creditor_a,
        status=status,
        confirmed_nature=nature if confirmed else "",
        confirmed_principal_fen=amount_fen if confirmed else 0,
    )


def plan_input(available_fen: int, **kw: Any) -> actions.PlanInput:
    return actions.PlanInput(
        kind=str(kw.pop("kind", "final")),
        available_fen=available_fen,
        available_basis="管理人账户余额（截至2026-11-20）",
        **kw,
    )


def ruled_plan(p: Personas, available_fen: int, **kw: Any) -> DistributionPlan:
    plan = actions.create_plan(actor=p.administrator, case_id=p.case.pk, plan_input=plan_input(available_fen, **kw))
    actions.submit_plan(actor=p.administrator, plan_id=plan.pk)
    actions.record_meeting_resolution(
        actor=p.judge,
        plan_id=plan.pk,
        adopted=True,
        reference="第二次债权人会议决议",
        resolved_on=dt.date(2026, 11, 25),
    )
    return actions.rule_on_plan(
        actor=p.judge,
        plan_id=plan.pk,
        approved=True,
        ruling_reference="(2026)苏0623破12号之三",
        ruled_on=dt.date(2026, 11, 27),
    )


def counts() -> dict[str, int]:
    return {
        "plans": DistributionPlan.objects.count(),
        "lines": PlanLine.objects.count(),
        "plan_transitions": PlanTransition.objects.count(),
        "batches": PaymentBatch.objects.count(),
        "batch_lines": BatchLine.objects.count(),
        "batch_transitions": BatchTransition.objects.count(),
        "events": AuditEvent.objects.count(),
    }


def csv_file(rows: list[list[str]]) -> bytes:
    from smartcourt.distributions.payment_file_check import HEADER

    lines = [",".join(HEADER)] + [",".join(row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")
