"""Reads of creditors' meetings, scoped to the user asking. Votes are never read here before the close, except
a creditor's own ballots."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from smartcourt.accounts.models import User
from smartcourt.cases.models import Case
from smartcourt.cases.selectors import cases_visible_to, get_case_for
from smartcourt.core.errors import NotFound
from smartcourt.core.lookups import get_or_not_found
from smartcourt.meetings import policies
from smartcourt.meetings.ballots import audit_path
from smartcourt.meetings.choices import AgendaKind, MeetingStatus
from smartcourt.meetings.models import AgendaDocument, AgendaItem, Ballot, Meeting, Notice, Question, VotingRight


def meetings_of_case(user: User, case: Case) -> QuerySet[Meeting]:
    """The meetings of a case ``user`` can see (got through get_case_for): all of them for court, administrator
    and creditors of the case; the creditors' part is their own notices and ballots."""
    return Meeting.objects.filter(case=case).order_by("-scheduled_at")


def get_meeting_for(user: User, meeting_id: uuid.UUID | str) -> Meeting:
    """The meeting, if ``user`` may see its case; otherwise NotFound, as if it did not exist."""
    meeting = get_or_not_found(
        Meeting.objects.select_related("case", "case__court"), _("No such meeting"), pk=meeting_id
    )
    case = get_case_for(user, meeting.case_id)
    if not (policies.can_follow(user, case) or own_right(user, meeting) is not None):
        raise NotFound(_("No such meeting"))
    meeting.case = case
    return meeting


def own_right(user: User, meeting: Meeting) -> VotingRight | None:
    if not user.is_authenticated:
        return None
    return VotingRight.objects.filter(meeting=meeting, user=user).first()


def my_meetings(user: User) -> QuerySet[Meeting]:
    """Meetings ``user`` takes part in as a creditor, in cases he still sees."""
    if not user.is_authenticated:
        return Meeting.objects.none()
    return (
        Meeting.objects.filter(case__in=cases_visible_to(user), rights__user=user)
        .select_related("case")
        .distinct()
        .order_by("-scheduled_at")
    )


def my_notices(user: User, meeting: Meeting) -> QuerySet[Notice]:
    return Notice.objects.filter(meeting=meeting, right__user=user).select_related("entry").order_by("sent_at")


def agenda(meeting: Meeting) -> QuerySet[AgendaItem]:
    return AgendaItem.objects.filter(meeting=meeting).order_by("position")


def documents_of(meeting: Meeting) -> dict[uuid.UUID, list[AgendaDocument]]:
    found: dict[uuid.UUID, list[AgendaDocument]] = {}
    for document in AgendaDocument.objects.filter(item__meeting=meeting).select_related("entry").order_by("created_at"):
        found.setdefault(document.item_id, []).append(document)
    return found


def get_agenda_document_for(user: User, meeting: Meeting, document_id: uuid.UUID | str) -> AgendaDocument:
    """A document of the meeting's agenda, for anyone who may see the meeting (get_meeting_for)."""
    return get_or_not_found(
        AgendaDocument.objects.select_related("entry", "item"),
        _("No such document"),
        pk=document_id,
        item__meeting=meeting,
    )


def questions_of(meeting: Meeting) -> QuerySet[Question]:
    """Every question with its answer: asked and answered in the open."""
    return Question.objects.filter(meeting=meeting).select_related("right", "answered_by").order_by("created_at")


def my_ballots(user: User, meeting: Meeting) -> dict[uuid.UUID, Ballot]:
    """The user's own current ballots, by item: a creditor sees his own vote, nobody else's."""
    return {b.item_id: b for b in Ballot.objects.filter(item__meeting=meeting, right__user=user)}


@dataclass(frozen=True)
class AgendaLine:
    """One agenda item as a reader may see it: his own ballot, the outcome only once the meeting is closed."""

    item: AgendaItem
    documents: list[AgendaDocument]
    my_ballot: Ballot | None
    passed: bool | None
    result: dict[str, object] | None


@dataclass(frozen=True)
class MeetingForReader:
    meeting: Meeting
    signed_in: bool | None  # None: the reader has no voting right
    items: list[AgendaLine]


def meeting_for_reader(user: User, meeting: Meeting) -> MeetingForReader:
    """``meeting`` (already fetched with get_meeting_for) as ``user`` reads it."""
    closed = meeting.status == MeetingStatus.CLOSED
    right = own_right(user, meeting)
    mine = my_ballots(user, meeting) if right is not None else {}
    documents = documents_of(meeting)
    return MeetingForReader(
        meeting=meeting,
        signed_in=(right.signed_in_at is not None) if right is not None else None,
        items=[
            AgendaLine(
                item=item,
                documents=documents.get(item.pk, []),
                my_ballot=mine.get(item.pk),
                passed=item.passed if closed else None,
                result=item.result if closed and item.kind != AgendaKind.REPORT else None,
            )
            for item in agenda(meeting)
        ],
    )


@dataclass(frozen=True)
class Attendance:
    rights: int
    with_vote: int
    signed_in: int
    ballots_by_item: dict[uuid.UUID, int]


def attendance(meeting: Meeting) -> Attendance:
    """Counts for the court and the administrator during the meeting: turnout, never the direction of votes."""
    rights = VotingRight.objects.filter(meeting=meeting)
    counts = rights.aggregate(
        n=Count("id"),
        signed=Count("id", filter=Q(signed_in_at__isnull=False)),
        voting=Count(
            "id",
            filter=Q(secured_fen__gt=0) | Q(employee_fen__gt=0) | Q(tax_fen__gt=0) | Q(ordinary_fen__gt=0),
        ),
    )
    by_item = dict(
        Ballot.objects.filter(item__meeting=meeting)
        .values_list("item_id")
        .annotate(n=Count("id"))
        .values_list("item_id", "n")
    )
    return Attendance(
        rights=counts["n"], with_vote=counts["voting"], signed_in=counts["signed"], ballots_by_item=by_item
    )


def rights_list(meeting: Meeting) -> QuerySet[VotingRight]:
    return VotingRight.objects.filter(meeting=meeting).select_related("creditor").order_by("name", "id")


@dataclass(frozen=True)
class ReceiptCheck:
    found: bool
    meeting: Meeting | None = None
    item: AgendaItem | None = None
    vote: str = ""
    weights: dict[str, int] | None = None
    index: int = 0
    size: int = 0
    # RFC 6962 audit path of the commitment under the meeting's root: an offline inclusion proof.
    path: tuple[str, ...] = ()
    # The commitment is a ballot of a meeting not closed yet: nothing is published before the close, so the
    # answer is "not yet", not "not found" (only the holder of the receipt knows the commitment).
    pending: bool = False


def check_receipt(commitment: str) -> ReceiptCheck:
    """Public: is this commitment among the published ballots of a closed meeting? Before the close nothing is
    published and the answer is 'not found', whatever was cast."""
    commitment = commitment.strip().lower()
    if len(commitment) != 64 or any(c not in "0123456789abcdef" for c in commitment):
        return ReceiptCheck(found=False)
    ballot = (
        Ballot.objects.filter(commitment=commitment, item__meeting__status=MeetingStatus.CLOSED)
        .select_related("item__meeting__case")
        .first()
    )
    if ballot is None:
        open_ballot = (
            Ballot.objects.filter(commitment=commitment)
            .exclude(item__meeting__status=MeetingStatus.CLOSED)
            .select_related("item__meeting__case")
            .first()
        )
        if open_ballot is not None:
            return ReceiptCheck(found=False, pending=True, meeting=open_ballot.item.meeting)
        return ReceiptCheck(found=False)
    item = ballot.item
    published = {row[0]: row[1] for row in item.published_ballots}
    if commitment not in published:
        # Cast but not in the published list (never happens unless someone edited the tables).
        return ReceiptCheck(found=False)
    meeting = item.meeting
    every = sorted(row[0] for other in AgendaItem.objects.filter(meeting=meeting) for row in other.published_ballots)
    return ReceiptCheck(
        found=True,
        meeting=meeting,
        item=item,
        vote=str(published[commitment]),
        weights=ballot.weights,
        index=every.index(commitment),
        size=len(every),
        path=tuple(audit_path(every, commitment)),
    )


def published_commitments(meeting_ids: list[str]) -> dict[str, list[str]]:
    """The commitments published at the close of each of ``meeting_ids``, sorted: the transparency log takes them
    as leaves right after the audit event that closed the meeting."""
    found: dict[str, list[str]] = {}
    rows = AgendaItem.objects.filter(meeting_id__in=meeting_ids, meeting__status=MeetingStatus.CLOSED).values_list(
        "meeting_id", "published_ballots"
    )
    for meeting_id, published in rows:
        found.setdefault(str(meeting_id), []).extend(str(row[0]) for row in published)
    return {key: sorted(values) for key, values in found.items()}


def counted_commitments(commitments: list[str]) -> set[str]:
    """Which of ``commitments`` are ballots counted at the close of a meeting: the transparency log's check
    (evidence.auditing) finds the source of each 'ballot' leaf here."""
    return set(
        Ballot.objects.filter(commitment__in=commitments, item__meeting__status=MeetingStatus.CLOSED).values_list(
            "commitment", flat=True
        )
    )
