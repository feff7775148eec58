"""Voting rights from the claims table, each item's weights and eligibility, and the tally of a closed item.

No writes here: actions.py calls these inside its transactions.

Amounts (EBL art. 59, 64, 84, 97; a reading of the statute documented here so the working is checkable):

- A claim counts with its confirmed amount once the administrator confirmed it (fully or partly), the court
  confirmed it, or a dispute about it was resolved. A claim declared, under review, pending or disputed is not
  determined: it gives no vote unless the court sets a provisional amount (art. 59(2)). A claim not confirmed
  gives none.
- art. 64 and 97 measure "其所代表的债权额" against "无财产担保债权总额": the amount a creditor carries is his
  unsecured amount (employee, tax, ordinary), the same basis as the total. A secured creditor still counts as
  a head on ordinary resolutions, with the unsecured part of his claims (often nothing).
- On the distribution plan and the settlement agreement a secured creditor who has not waived priority has no
  vote at all (art. 59(3)): he is left out of the heads, the amounts and the total.
- art. 84 classes: secured, employee, tax and ordinary; with a small-claims threshold set by the court, an
  ordinary amount up to it votes in the small-claims class instead (art. 82(2)). A creditor with claims of
  several natures votes in each of his classes.
- Present = signed in. A creditor signed in who cast no ballot on an item is present and not consenting; one
  not signed in is absent; neither is ever counted as consenting.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol

from django.db.models import QuerySet

from smartcourt.cases.models import Case
from smartcourt.claims.choices import ClaimNature, ClaimStatus
from smartcourt.claims.models import Claim, Creditor
from smartcourt.core.money import fen_to_yuan
from smartcourt.meetings.choices import AGENDA_RULES, AgendaKind, VoterClass
from smartcourt.meetings.models import AgendaItem, Ballot, Meeting, VotingRight
from smartcourt.rules.votes.calculator import ItemKind, Rule, TallyResult, Vote, Voter, tally

DETERMINED = frozenset(
    {ClaimStatus.CONFIRMED, ClaimStatus.PARTLY_CONFIRMED, ClaimStatus.COURT_CONFIRMED, ClaimStatus.RESOLVED}
)
UNDETERMINED = frozenset({ClaimStatus.DECLARED, ClaimStatus.UNDER_REVIEW, ClaimStatus.PENDING, ClaimStatus.DISPUTED})
NATURE_FIELD: dict[str, str] = {
    ClaimNature.SECURED: "secured_fen",
    ClaimNature.EMPLOYEE: "employee_fen",
    ClaimNature.SOCIAL_INSURANCE_TAX: "tax_fen",
    ClaimNature.ORDINARY: "ordinary_fen",
}
UNSECURED = "unsecured"


@dataclass
class RightAmounts:
    creditor: Creditor
    secured_fen: int = 0
    employee_fen: int = 0
    tax_fen: int = 0
    ordinary_fen: int = 0
    undetermined: bool = False


def rights_from_claims(case: Case) -> list[RightAmounts]:
    """Every known creditor of ``case`` with the amounts his determined claims give him. Known creditors with
    nothing determined are listed too: they are notified (art. 63) even when they cannot vote yet."""
    rights: dict[Any, RightAmounts] = {
        creditor.pk: RightAmounts(creditor=creditor) for creditor in Creditor.objects.filter(case=case)
    }
    claims = Claim.objects.filter(case=case).values(
        "creditor_id",
        "status",
        "nature",
        "confirmed_nature",
        "confirmed_principal_fen",
        "confirmed_interest_fen",
        "confirmed_penalties_fen",
        "confirmed_costs_fen",
    )
    for row in claims:
        amounts = rights[row["creditor_id"]]
        if row["status"] in DETERMINED:
            nature = row["confirmed_nature"] or row["nature"]
            total = (
                row["confirmed_principal_fen"]
                + row["confirmed_interest_fen"]
                + row["confirmed_penalties_fen"]
                + row["confirmed_costs_fen"]
            )
            field = NATURE_FIELD[nature]
            setattr(amounts, field, getattr(amounts, field) + total)
        elif row["status"] in UNDETERMINED:
            amounts.undetermined = True
    return sorted(rights.values(), key=lambda r: (r.creditor.name, str(r.creditor.pk)))


# --- weights of one right on one item ---------------------------------------------------------------------


class RightLike(Protocol):
    """A voting right as the tally needs it: the model, or a plain row read for a large meeting (read-only)."""

    @property
    def pk(self) -> Any: ...

    @property
    def secured_fen(self) -> int: ...

    @property
    def employee_fen(self) -> int: ...

    @property
    def tax_fen(self) -> int: ...

    @property
    def ordinary_fen(self) -> int: ...

    @property
    def priority_waived(self) -> bool: ...

    @property
    def signed_in_at(self) -> dt.datetime | None: ...

    @property
    def unsecured_fen(self) -> int: ...

    @property
    def secured_not_waived(self) -> bool: ...


class RightRow(NamedTuple):
    """A voting right read as a tuple: a tally of 10,000 rights builds no model instances."""

    pk: uuid.UUID
    secured_fen: int
    employee_fen: int
    tax_fen: int
    ordinary_fen: int
    priority_waived: bool
    signed_in_at: dt.datetime | None

    @property
    def unsecured_fen(self) -> int:
        return self.employee_fen + self.tax_fen + self.ordinary_fen

    @property
    def secured_not_waived(self) -> bool:
        return self.secured_fen > 0 and not self.priority_waived


def rights_for_tally(meeting: Meeting) -> list[RightRow]:
    return [
        RightRow(*row)
        for row in VotingRight.objects.filter(meeting=meeting).values_list(
            "id", "secured_fen", "employee_fen", "tax_fen", "ordinary_fen", "priority_waived", "signed_in_at"
        )
    ]


def classes_of(right: RightLike, meeting: Meeting) -> dict[str, int]:
    """The reorganisation classes the right votes in, with its amount in each (art. 82)."""
    classes: dict[str, int] = {}
    if right.secured_fen:
        classes[VoterClass.SECURED] = right.secured_fen
    if right.employee_fen:
        classes[VoterClass.EMPLOYEE] = right.employee_fen
    if right.tax_fen:
        classes[VoterClass.TAX] = right.tax_fen
    if right.ordinary_fen:
        threshold = meeting.small_claims_threshold_fen
        small = threshold is not None and right.ordinary_fen <= threshold
        classes[VoterClass.SMALL_ORDINARY if small else VoterClass.ORDINARY] = right.ordinary_fen
    return classes


def excluded_by_art59(right: RightLike, item_kind: str) -> bool:
    rule, kind = AGENDA_RULES[item_kind]
    return right.secured_not_waived and (rule == Rule.ART97 or kind == ItemKind.DISTRIBUTION_PLAN)


def weights_for(right: RightLike, item: AgendaItem, meeting: Meeting) -> dict[str, int] | None:
    """What the right's vote on ``item`` carries, or None when it has no vote on it."""
    if item.kind == AgendaKind.REPORT:
        return None
    rule, _kind = AGENDA_RULES[item.kind]
    if rule == Rule.ART84:
        classes = classes_of(right, meeting)
        return dict(classes) if classes else None
    if excluded_by_art59(right, item.kind):
        return None
    if right.unsecured_fen == 0 and right.secured_fen == 0:
        return None
    return {UNSECURED: right.unsecured_fen}


# --- the tally of one item ----------------------------------------------------------------------------------

_VOTES = {"for": Vote.FOR, "against": Vote.AGAINST, "abstain": Vote.ABSTAIN}


@dataclass(frozen=True)
class ItemTally:
    result: TallyResult
    # Per class: voters present without a ballot, ballots against and abstaining (for the working).
    present_without_ballot: dict[str, int]
    against: dict[str, int]
    abstain: dict[str, int]
    absent: dict[str, int]
    published: list[list[Any]]


def tally_item(item: AgendaItem, meeting: Meeting, rights: Iterable[RightLike]) -> ItemTally:
    """Tally ``item`` from the meeting's rights and the item's ballots: two queries whatever the size."""
    rule, kind = AGENDA_RULES[item.kind]
    # (vote, commitment) by right. The weights are not read back: a ballot commits to the weights of its right,
    # and those are frozen once voting opens (set_voting_amounts), so they are recomputed here, which spares
    # decoding one JSON document per ballot (most of the time of a large tally).
    ballots = {
        right_id: (vote, digest)
        for right_id, vote, digest in Ballot.objects.filter(item=item).values_list("right_id", "vote", "commitment")
    }
    published: list[list[Any]] = []
    voters: list[Voter] = []
    present_without: dict[str, int] = defaultdict(int)
    against: dict[str, int] = defaultdict(int)
    abstain: dict[str, int] = defaultdict(int)
    absent: dict[str, int] = defaultdict(int)
    unsecured_total = 0
    class_totals: dict[str, int] = {}
    if rule == Rule.ART84:
        class_totals = dict.fromkeys(VoterClass.values, 0)
    # Loop invariants hoisted: a large meeting runs this body once per right.
    by_class = rule == Rule.ART84
    art59_item = rule == Rule.ART97 or kind == ItemKind.DISTRIBUTION_PLAN
    vote_against, vote_abstain, vote_absent = Vote.AGAINST, Vote.ABSTAIN, Vote.ABSENT
    for right in rights:
        ballot = ballots.get(right.pk)
        if by_class:
            weights: dict[str, int] | None = classes_of(right, meeting) or None
        else:
            if art59_item and right.secured_not_waived:
                # Handed to the tally flagged, so the working shows how many art. 59 left out; never counted.
                voters.append(Voter(id=f"{right.pk}:excluded", vote=vote_absent, amount_fen=0, secured_not_waived=True))
                continue
            unsecured = right.employee_fen + right.tax_fen + right.ordinary_fen
            unsecured_total += unsecured
            # As weights_for: a vote carries the unsecured amount; a secured creditor votes with it as a head.
            weights = {UNSECURED: unsecured} if unsecured or right.secured_fen else None
        if not weights:
            continue
        if ballot is not None:
            vote = _VOTES[ballot[0]]
            published.append([ballot[1], ballot[0], weights])
            counted = against if vote is vote_against else abstain if vote is vote_abstain else None
        else:
            # Present without a ballot counts as abstaining (the working says which); absent as absent.
            vote = vote_abstain if right.signed_in_at is not None else vote_absent
            counted = present_without if vote is vote_abstain else absent
        for name, amount in weights.items():
            group = name if by_class else "all"
            if by_class:
                class_totals[name] = class_totals.get(name, 0) + amount
            if counted is not None:
                counted[group] += 1
            voters.append(
                Voter(
                    id=f"{right.pk}:{name}",
                    vote=vote,
                    amount_fen=amount,
                    secured_not_waived=right.secured_not_waived,
                    voter_class=name if by_class else None,
                )
            )
    if rule == Rule.ART84:
        # Only the classes that exist in this case vote (a class with no claims has no say).
        class_totals = {name: total for name, total in class_totals.items() if total > 0}
        result = tally(rule, voters, class_totals_fen=class_totals)
    else:
        result = tally(rule, voters, item=kind, total_unsecured_fen=unsecured_total)
    published.sort(key=lambda row: str(row[0]))
    return ItemTally(
        result=result,
        present_without_ballot=dict(present_without),
        against=dict(against),
        abstain=dict(abstain),
        absent=dict(absent),
        published=published,
    )


def result_json(tallied: ItemTally) -> dict[str, Any]:
    """The stored and published form of an item's result: every number of the working, yuan as strings."""
    result = tallied.result
    return {
        "rule": str(result.rule),
        "passed": result.passed,
        "classes": [
            {
                "class": c.name,
                "passed": c.passed,
                "present_count": c.present_count,
                "for_count": c.for_count,
                "against_count": tallied.against.get(c.name, 0),
                "abstain_count": tallied.abstain.get(c.name, 0),
                "present_without_ballot": tallied.present_without_ballot.get(c.name, 0),
                "absent_count": tallied.absent.get(c.name, 0),
                "excluded_count": c.excluded_count,
                "for_amount": fen_to_yuan(c.for_amount_fen),
                "total_amount": fen_to_yuan(c.total_amount_fen),
                "headcount_met": c.headcount_met,
                "amount_met": c.amount_met,
                "amount_share": c.amount_share,
            }
            for c in result.classes
        ],
    }


def rights_of(meeting: Meeting) -> QuerySet[VotingRight]:
    return VotingRight.objects.filter(meeting=meeting).order_by("name", "id")
