"""Public pages of the rules app (no sign-in): the litigation-fee schedule with its calculator, and the list
of causes of action. They show the data files as they are, with source and version, so that what a party
reads is what the platform computes with. Glue only."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from smartcourt.core.errors import DomainError
from smartcourt.rules.causes import cause_list, search_causes
from smartcourt.rules.litigation_fees.calculator import (
    ClosedBy,
    FeeProcedure,
    amount_to_fen,
    compute_litigation_fee,
    fee_schedule,
    rate_percent,
)


def _english() -> bool:
    return (get_language() or "").startswith("en")


@require_GET
def litigation_fees(request: HttpRequest) -> HttpResponse:
    schedule = fee_schedule()
    english = _english()
    kinds = [
        {
            "value": rule.kind.value,
            "label": rule.label_en if english else rule.label,
            "basis": schedule.basis_text(rule.article_zh, rule.item),
            "fee_type": rule.fee_type.value,
            "amount": rule.amount.value,
        }
        for rule in schedule.kinds.values()
    ]
    scales = [
        {
            "label": scale.label_en if english else scale.label,
            "basis": schedule.basis_text(scale.article_zh, scale.item),
            "first_up_to_fen": scale.first_up_to_fen,
            "first_fee_fen": scale.first_fee_fen,
            "bands": [
                {
                    "over_fen": band.over_fen,
                    "to_fen": scale.bands[i + 1].over_fen if i + 1 < len(scale.bands) else None,
                    "rate": rate_percent(band.rate_per_mille),
                }
                for i, band in enumerate(scale.bands)
            ],
        }
        for scale in schedule.scales.values()
    ]
    context: dict[str, Any] = {
        "schedule": schedule,
        "source": schedule.source_en if english else schedule.source,
        "rounding": schedule.rounding_en if english else schedule.rounding,
        "province_note": schedule.province_note_en if english else schedule.province_note,
        "kinds": kinds,
        "scales": scales,
        "procedures": [p.value for p in FeeProcedure],
        "closings": [c.value for c in ClosedBy],
        "asked": request.GET.get("kind") is not None,
        "form": {
            "kind": request.GET.get("kind", "property"),
            "amount": request.GET.get("amount", ""),
            "procedure": request.GET.get("procedure", FeeProcedure.ORDINARY.value),
            "closed_by": request.GET.get("closed_by", ClosedBy.JUDGMENT.value),
        },
    }
    status = 200
    if context["asked"]:
        form = context["form"]
        try:
            context["result"] = compute_litigation_fee(
                form["kind"],
                amount_to_fen(form["amount"].strip() or None),
                procedure=form["procedure"],
                closed_by=form["closed_by"],
            )
        except DomainError as exc:
            context["error"] = exc
            status = 422
    return render(request, "rules/litigation_fees.html", context, status=status)


@require_GET
def causes(request: HttpRequest) -> HttpResponse:
    listing = cause_list()
    english = _english()
    query = request.GET.get("q", "").strip()
    status = 200
    error = None
    try:
        found = search_causes(query)
    except DomainError as exc:
        found, error, status = [], exc, 422
    fee_labels = {kind: (rule.label_en if english else rule.label) for kind, rule in fee_schedule().kinds.items()}
    context = {
        "listing": listing,
        "title": listing.title_en if english else listing.title,
        "source": listing.source_en if english else listing.source,
        "coverage": listing.coverage_en if english else listing.coverage,
        "query": query,
        "error": error,
        "groups": [
            {"part": part, "causes": [(c, fee_labels[c.fee_kind]) for c in found if c.part == part]}
            for part in listing.parts
            if any(c.part == part for c in found)
        ],
        "count": len(found),
    }
    return render(request, "rules/causes.html", context, status=status)
