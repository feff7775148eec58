"""JSON API of the distributions app, mounted by config/api.py at /api/v1/distributions. Glue only."""

from __future__ import annotations

import uuid

from django.http import HttpRequest
from ninja import Router

from smartcourt.accounts.web import signed_in_user
from smartcourt.core.schemas import ERRORS
from smartcourt.distributions.models import DistributionPlan
from smartcourt.distributions.schemas import MyDistributionOut, PlanOut
from smartcourt.distributions.selectors import CreditorAmounts, amounts_for_creditor, get_plan_for

router = Router(tags=["distributions"])


@router.get("/mine", response={200: list[MyDistributionOut], **ERRORS}, summary="My distribution amounts")
def mine(request: HttpRequest) -> list[CreditorAmounts]:
    """Per claim of the signed-in creditor (or his agent): planned, held, paid and escrowed amounts."""
    return list(amounts_for_creditor(signed_in_user(request)).values())


@router.get("/plans/{plan_id}", response={200: PlanOut, **ERRORS}, summary="A distribution plan's totals")
def plan(request: HttpRequest, plan_id: uuid.UUID) -> DistributionPlan:
    return get_plan_for(signed_in_user(request), plan_id)
