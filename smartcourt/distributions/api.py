"""JSON API of the distributions app, mounted by config/api.py at /api/v1/distributions. Glue only."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Router

from smartcourt.accounts.web import signed_in_user
from smartcourt.core.money import fen_to_yuan
from smartcourt.core.schemas import ERRORS
from smartcourt.distributions.schemas import MyDistributionOut, PlanOut
from smartcourt.distributions.selectors import amounts_for_creditor, fee_cap, get_plan_for, plan_classes

router = Router(tags=["distributions"])


@router.get("/mine", response={200: list[MyDistributionOut], **ERRORS}, summary="My distribution amounts")
def mine(request: HttpRequest) -> list[dict[str, Any]]:
    """Per claim of the signed-in creditor (or his agent): planned, held, paid and escrowed amounts."""
    return [
        {
            "claim_id": a.claim_id,
            "plan_number": a.plan_number,
            "plan_status": a.plan_status,
            "planned": fen_to_yuan(a.planned_fen),
            "held": fen_to_yuan(a.reserved_fen),
            "paid": fen_to_yuan(a.paid_fen),
            "escrowed": fen_to_yuan(a.escrowed_fen),
        }
        for a in amounts_for_creditor(signed_in_user(request)).values()
    ]


@router.get("/plans/{plan_id}", response={200: PlanOut, **ERRORS}, summary="A distribution plan's totals")
def plan(request: HttpRequest, plan_id: uuid.UUID) -> dict[str, Any]:
    found = get_plan_for(signed_in_user(request), plan_id)
    return {
        "id": found.pk,
        "case_id": found.case_id,
        "number": found.number,
        "kind": found.kind,
        "status": found.status,
        "available": fen_to_yuan(found.available_fen),
        "secured_paid": fen_to_yuan(found.secured_paid_fen),
        "distributed": fen_to_yuan(found.distributed_fen),
        "held": fen_to_yuan(found.reserved_fen),
        "undistributed": fen_to_yuan(found.undistributed_fen),
        "fee_cap": fen_to_yuan(fee_cap(found).cap_fen),
        "classes": [
            {
                "line_class": c.line_class,
                "label": c.label,
                "lines": c.count,
                "owed": fen_to_yuan(c.owed_fen),
                "share": fen_to_yuan(c.share_fen),
                "paid": fen_to_yuan(c.paid_fen),
                "held": fen_to_yuan(c.reserved_fen),
            }
            for c in plan_classes(found)
        ],
    }
