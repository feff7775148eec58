"""Public vote-tally calculator over the JSON API (no sign-in), mounted under /api/v1/rules.

Glue only: parse the yuan strings into fen, call ``votes.tally``; the output schema reads its result."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from smartcourt.core.money import yuan_to_fen
from smartcourt.core.schemas import ErrorOut
from smartcourt.rules.votes.calculator import ItemKind, TallyResult, Voter, tally
from smartcourt.rules.votes.schemas import VoteTallyIn, VoteTallyOut

router = Router(tags=["rules"])


@router.post(
    "/vote-tally",
    auth=None,
    response={200: VoteTallyOut, 422: ErrorOut},
    by_alias=True,
    summary="Statutory tally of a creditors' meeting vote (public)",
    description=(
        "art64: more than half of the voting creditors present holding at least half of the unsecured claims; "
        "art84: per class, more than half of the class's creditors present holding at least two-thirds of the "
        "class's claims; art97: more than half present holding at least two-thirds of the unsecured claims. "
        "'过半数' is strict, '以上' inclusive; absent voters never consent; secured creditors who have not waived "
        "priority have no vote on the distribution plan and the settlement agreement (art. 59)."
    ),
    operation_id="vote_tally",
)
def vote_tally(request: HttpRequest, payload: VoteTallyIn) -> TallyResult:
    voters = [
        Voter(
            id=v.id,
            vote=v.vote,
            amount_fen=yuan_to_fen(v.voting_amount, field="voters"),
            secured_not_waived=v.secured_not_waived,
            voter_class=v.voter_class,
        )
        for v in payload.voters
    ]
    return tally(
        payload.rule,
        voters,
        item=payload.item or ItemKind.GENERAL,
        total_unsecured_fen=(
            yuan_to_fen(payload.total_unsecured_claims, field="total_unsecured_claims")
            if payload.total_unsecured_claims is not None
            else None
        ),
        class_totals_fen=(
            {name: yuan_to_fen(total, field="class_totals") for name, total in payload.class_totals.items()}
            if payload.class_totals is not None
            else None
        ),
    )
