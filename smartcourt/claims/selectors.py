"""Reads of claims, scoped to the user asking; the claims table; a creditor's deadlines."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from smartcourt.accounts.models import User
from smartcourt.bankruptcy.choices import ProceedingStatus
from smartcourt.bankruptcy.models import Proceeding
from smartcourt.cases.models import Case
from smartcourt.cases.selectors import cases_visible_to, get_case_for
from smartcourt.claims.choices import NATURE_ORDER, OBJECTABLE, ClaimNature, ClaimStatus, CreditorSource, DocumentKind
from smartcourt.claims.models import (
    Claim,
    ClaimDocument,
    Creditor,
    EmployeeListPublication,
    EmployeeObjection,
    SignedTable,
)
from smartcourt.claims.policies import can_see_all_claims
from smartcourt.core.errors import NotFound
from smartcourt.core.identifiers import mask_identity_number
from smartcourt.core.lookups import get_or_not_found

# Objections are open for this many days after the review-result notice (or until the verification at the
# first creditors' meeting, if that is later); a suit may follow within 15 days (Interp. III art. 8).
OBJECTION_DAYS = 15
SUIT_DAYS = 15


def claims_visible_to(user: User) -> QuerySet[Claim]:
    """Every claim ``user`` may see: all claims of the cases he sees them all in, and his own elsewhere."""
    cases = cases_visible_to(user)
    if not user.is_authenticated:
        return Claim.objects.none()
    all_of = [case.pk for case in cases.select_related(None) if can_see_all_claims(user, case)]
    return Claim.objects.filter(Q(case_id__in=all_of) | (Q(case__in=cases) & own_claims(user)))


def own_claims(user: User) -> Q:
    """A user's own claims: as the creditor, or as the agent who declared them under a power of attorney."""
    return Q(creditor__user=user) | Q(agent=user)


def claims_of_case(user: User, case: Case) -> QuerySet[Claim]:
    """The claims of a case ``user`` can see (the caller got ``case`` through get_case_for)."""
    claims = Claim.objects.filter(case=case)
    if not can_see_all_claims(user, case):
        claims = claims.filter(own_claims(user))
    return claims.select_related("creditor", "owed_by").order_by("number")


def get_claim_for(user: User, claim_id: uuid.UUID | str, *, case_id: uuid.UUID | str | None = None) -> Claim:
    """The claim, if ``user`` may see it; otherwise NotFound, as if it did not exist."""
    claim = get_or_not_found(Claim.objects.select_related("case", "creditor"), _("No such claim"), pk=claim_id)
    if case_id is not None and str(claim.case_id) != str(case_id):
        raise NotFound(_("No such claim"))
    case = get_case_for(user, claim.case_id)
    if not can_see_all_claims(user, case) and user.pk not in {claim.creditor.user_id, claim.agent_id}:
        raise NotFound(_("No such claim"))
    return claim


@dataclass(frozen=True)
class Deadline:
    key: str
    on: dt.date
    days_left: int


def _proceeding(case_id: uuid.UUID) -> Proceeding | None:
    return Proceeding.objects.filter(case_id=case_id).first()


def claim_deadlines(claim: Claim, *, today: dt.date) -> dict[str, Deadline]:
    """The dates that concern the creditor of ``claim``: declaration period end, objection period, suit."""
    result: dict[str, Deadline] = {}
    proceeding = _proceeding(claim.case_id)
    anchors = proceeding.anchor_dates if proceeding is not None else {}

    def put(key: str, day: dt.date) -> None:
        result[key] = Deadline(key=key, on=day, days_left=(day - today).days)

    if anchors.get("claims_period_ends_on"):
        put("declaration", dt.date.fromisoformat(anchors["claims_period_ends_on"]))
    review = claim.reviews.order_by("-reviewed_at").first()
    if review is not None and claim.status in OBJECTABLE | {ClaimStatus.DISPUTED}:
        end = review.reviewed_at.date() + dt.timedelta(days=OBJECTION_DAYS)
        meeting = anchors.get("meeting_on")
        if meeting:
            end = max(end, dt.date.fromisoformat(meeting))
        put("objection", end)
        if claim.status == ClaimStatus.DISPUTED:
            put("suit", end + dt.timedelta(days=SUIT_DAYS))
    return result


@dataclass
class TableClass:
    nature: str
    label: str
    count: int = 0
    declared_fen: int = 0
    confirmed_fen: int = 0
    by_status: dict[str, int] = field(default_factory=dict)


@dataclass
class ClaimsTable:
    classes: list[TableClass]
    count: int
    declared_fen: int
    confirmed_fen: int


def claims_table(case: Case) -> ClaimsTable:
    """Totals of the claims table (债权表) by nature, straight from the claims: always current.

    A claim counts in the class of its confirmed nature once reviewed, of its declared nature before."""
    rows = (
        Claim.objects.filter(case=case)
        .values("nature", "confirmed_nature", "status")
        .annotate(
            n=Count("id"),
            declared=Sum("principal_fen") + Sum("interest_fen") + Sum("penalties_fen") + Sum("costs_fen"),
            confirmed=Sum("confirmed_principal_fen")
            + Sum("confirmed_interest_fen")
            + Sum("confirmed_penalties_fen")
            + Sum("confirmed_costs_fen"),
        )
    )
    classes = {nature: TableClass(nature=nature, label=str(ClaimNature(nature).label)) for nature in NATURE_ORDER}
    for row in rows:
        target = classes[row["confirmed_nature"] or row["nature"]]
        target.count += row["n"]
        target.declared_fen += row["declared"] or 0
        target.confirmed_fen += row["confirmed"] or 0
        target.by_status[row["status"]] = target.by_status.get(row["status"], 0) + row["n"]
    ordered = [classes[nature] for nature in NATURE_ORDER]
    return ClaimsTable(
        classes=ordered,
        count=sum(item.count for item in ordered),
        declared_fen=sum(item.declared_fen for item in ordered),
        confirmed_fen=sum(item.confirmed_fen for item in ordered),
    )


def summary_of(claims: list[Claim]) -> ClaimsTable:
    """The totals of ``claims`` by class, as claims_table computes them for a whole case: for a document whose
    totals must match its rows exactly."""
    classes = {nature: TableClass(nature=nature, label=str(ClaimNature(nature).label)) for nature in NATURE_ORDER}
    for claim in claims:
        target = classes[ClaimNature(claim.confirmed_nature or claim.nature)]
        target.count += 1
        target.declared_fen += claim.declared_total_fen
        target.confirmed_fen += claim.confirmed_total_fen
        target.by_status[claim.status] = target.by_status.get(claim.status, 0) + 1
    ordered = [classes[nature] for nature in NATURE_ORDER]
    return ClaimsTable(
        classes=ordered,
        count=sum(item.count for item in ordered),
        declared_fen=sum(item.declared_fen for item in ordered),
        confirmed_fen=sum(item.confirmed_fen for item in ordered),
    )


def lead_debtor_name(case: Case) -> str | None:
    """In a merged bankruptcy, the lead debtor's name (the debtor of every claim whose ``owed_by`` is empty);
    None when the case is not consolidated, and the claims table shows no debtor column."""
    from smartcourt.bankruptcy.models import ConsolidatedDebtor

    return (
        ConsolidatedDebtor.objects.filter(consolidation__case=case, position=1).values_list("name", flat=True).first()
    )


def table_rows(case: Case, *, query: str = "") -> QuerySet[Claim]:
    claims = Claim.objects.filter(case=case).select_related("creditor", "owed_by__merged_case")
    query = query.strip()
    if query:
        claims = claims.filter(Q(creditor__name__icontains=query) | Q(number=int(query) if query.isdigit() else -1))
    return claims.order_by("number")


def documents_served(claim: Claim) -> QuerySet[ClaimDocument]:
    return claim.documents.filter(served_to_creditor=True).select_related("entry").order_by("created_at")


def claim_documents(user: User, claim: Claim) -> QuerySet[ClaimDocument]:
    """What ``user`` may open of the claim's documents: everything for court and administrator; the creditor's
    own evidence and what was served on him for the creditor."""
    documents = claim.documents.select_related("entry").order_by("created_at")
    if can_see_all_claims(user, claim.case):
        return documents
    return documents.filter(Q(served_to_creditor=True) | Q(kind=DocumentKind.EVIDENCE))


def get_claim_document_for(user: User, claim: Claim, document_id: uuid.UUID | str) -> ClaimDocument:
    return get_or_not_found(claim_documents(user, claim), _("No such document"), pk=document_id)


def tracker_for(user: User) -> QuerySet[Claim]:
    """A creditor's own claims in every case he can see."""
    if not user.is_authenticated:
        return Claim.objects.none()
    return (
        Claim.objects.filter(own_claims(user), case__in=cases_visible_to(user))
        .select_related("case", "creditor", "agent")
        .order_by("case__number", "number")
    )


# --- employee claims -----------------------------------------------------------------------------------------


def employee_lines_of(case: Case) -> QuerySet[Creditor]:
    return Creditor.objects.filter(case=case, source=CreditorSource.EMPLOYEE_LIST).order_by("name", "identifier")


def latest_publication(case: Case) -> EmployeeListPublication | None:
    return EmployeeListPublication.objects.filter(case=case).order_by("-created_at").first()


def employee_lines_for(user: User, case: Case) -> QuerySet[Creditor]:
    """All lines for the court and the administrator; once published, an employee's own line(s)."""
    if can_see_all_claims(user, case):
        return employee_lines_of(case)
    if latest_publication(case) is None:
        return Creditor.objects.none()
    return employee_lines_of(case).filter(user=user)


@dataclass(frozen=True)
class EmployeeLineForReader:
    line: Creditor
    identifier: str  # in full for whoever sees every line (court, administrator), masked for the employee


def employee_lines_for_reader(user: User, case: Case, lines: Iterable[Creditor]) -> list[EmployeeLineForReader]:
    full = can_see_all_claims(user, case)
    return [
        EmployeeLineForReader(line=line, identifier=line.identifier if full else mask_identity_number(line.identifier))
        for line in lines
    ]


def get_employee_line_for(user: User, creditor_id: uuid.UUID | str) -> Creditor:
    line = get_or_not_found(
        Creditor.objects.select_related("case"), _("No such line"), pk=creditor_id, source=CreditorSource.EMPLOYEE_LIST
    )
    case = get_case_for(user, line.case_id)
    if not employee_lines_for(user, case).filter(pk=line.pk).exists():
        raise NotFound(_("No such line"))
    return line


def employee_objections(lines: QuerySet[Creditor]) -> QuerySet[EmployeeObjection]:
    return EmployeeObjection.objects.filter(creditor__in=lines).select_related("creditor").order_by("created_at")


def listed_entry_for(user: User, case: Case) -> Creditor | None:
    """The debtor's-list entry that is this user's, to prefill his declaration: already his, or unclaimed with his
    account's name and phone. The identity number is not prefilled: he types it, and the declaration checks it."""
    if not user.is_authenticated:
        return None
    listed = Creditor.objects.filter(case=case, source=CreditorSource.DEBTOR_LIST)
    own = listed.filter(user=user).first()
    if own is not None:
        return own
    phone = (user.phone or "").strip()
    if not phone:
        return None
    return listed.filter(user__isnull=True, phone=phone, name=user.full_name).first()


def signed_tables(case: Case) -> QuerySet[SignedTable]:
    """The signed versions of the case's claims table, newest first. Whoever sees the table sees them (masked)."""
    return SignedTable.objects.filter(case=case).select_related("entry", "signed_by").order_by("-created_at")


def get_signed_table(case: Case, table_id: uuid.UUID | str) -> SignedTable:
    return get_or_not_found(signed_tables(case), _("No such signed table"), pk=table_id)


def open_for_declaration() -> QuerySet[Case]:
    """Bankruptcy cases accepted by the court and not ended: claims may be declared in them (late declarations
    included, art. 56). The acceptance is announced publicly (art. 14), so the list is not a secret."""
    return (
        Case.objects.filter(proceeding__status=ProceedingStatus.OPEN)
        .select_related("court", "proceeding")
        .order_by("-proceeding__opened_on", "number")
    )


def known_creditor_records(user: User) -> QuerySet[Creditor]:
    """The creditor records (from the debtor's list, the employee list or his declarations) that are ``user``'s."""
    if not user.is_authenticated:
        return Creditor.objects.none()
    return Creditor.objects.filter(user=user).select_related("case", "case__court").order_by("-created_at")
