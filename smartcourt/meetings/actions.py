"""Every write on creditors' meetings: convening with notices, agenda documents, provisional amounts, sign-in,
questions and answers, votes with their commitments, the close with the tally, the published ballots, the
results notice and the sealed minutes.

Time comes in as ``now`` (the clock by default) so the statutory checks are testable: the 15-day notice of
art. 63, the voting window, the close only after the window.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from smartcourt.accounts.models import User
from smartcourt.audit.actions import record_event
from smartcourt.cases.selectors import get_case_for
from smartcourt.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from smartcourt.core.lengths import check_length, fit, shorten
from smartcourt.core.lookups import get_or_not_found
from smartcourt.core.money import MAX_FEN
from smartcourt.core.uploads import PDF, UploadedFileLike, checked_upload
from smartcourt.dossier.actions import file_entry
from smartcourt.dossier.choices import EntryKind
from smartcourt.dossier.models import DossierEntry
from smartcourt.meetings import ballots as commitments
from smartcourt.meetings import policies
from smartcourt.meetings.choices import (
    COURT_RULES_IF_REJECTED,
    MEETING_TRANSITIONS,
    AgendaKind,
    BallotVote,
    MeetingKind,
    MeetingStatus,
    NoticeKind,
)
from smartcourt.meetings.errors import MeetingError
from smartcourt.meetings.models import (
    AgendaDocument,
    AgendaItem,
    Ballot,
    Meeting,
    MeetingTransition,
    Notice,
    Question,
    VotingRight,
)
from smartcourt.meetings.paperwork import minutes_pdf, notice_pdf, results_pdf
from smartcourt.meetings.selectors import get_meeting_for, own_right
from smartcourt.meetings.voting import (
    result_json,
    rights_for_tally,
    rights_from_claims,
    rights_of,
    tally_item,
    weights_for,
)
from smartcourt.services.sms import sms_adapter

logger = logging.getLogger("smartcourt.meetings")

# Art. 63: the notice reaches the known creditors at least 15 days before the meeting.
NOTICE_DAYS = 15
MAX_ITEMS = 30
MAX_WINDOW = dt.timedelta(days=30)
MAX_TEXT = 2000
DOCUMENT_TYPES = frozenset({PDF})


def _now(now: dt.datetime | None) -> dt.datetime:
    return now if now is not None else timezone.now()


@dataclass(frozen=True)
class ItemSpec:
    kind: str
    title: str
    description: str = ""


def _transition(*, actor: User, meeting: Meeting, to_status: str, note: str = "") -> None:
    """Compare-and-set on version, then the immutable transition row."""
    if to_status not in MEETING_TRANSITIONS[meeting.status]:
        raise Conflict(_("a %(status)s meeting cannot become %(to)s") % {"status": meeting.status, "to": to_status})
    changed = Meeting.objects.filter(pk=meeting.pk, version=meeting.version, status=meeting.status).update(
        status=to_status, version=F("version") + 1, updated_at=timezone.now()
    )
    if not changed:
        raise Conflict(_("the meeting was changed by someone else; reload it"))
    MeetingTransition.objects.create(
        meeting=meeting, from_status=meeting.status, to_status=to_status, actor=actor, note=note
    )
    meeting.status = to_status
    meeting.version += 1


# Up to this many SMS go out when the transaction commits; more go to the background job.
SYNC_SMS_LIMIT = 20


def send_notice_sms(*, notice_ids: Sequence[str], text: str) -> int:
    """Send the SMS of each notice once: the notice is claimed by a conditional update before the message goes
    out, and released again if the gateway fails, so a retried job neither skips nor repeats anybody."""
    adapter = sms_adapter()
    sent = 0
    for notice_id in notice_ids:
        now = timezone.now()
        if not Notice.objects.filter(pk=notice_id, sms_sent_at__isnull=True).update(sms_sent_at=now):
            continue
        phone = Notice.objects.filter(pk=notice_id).values_list("right__creditor__phone", flat=True).first()
        if not phone:
            continue
        try:
            adapter.send(phone, text)
        except Exception:
            Notice.objects.filter(pk=notice_id, sms_sent_at=now).update(sms_sent_at=None)
            logger.exception("meeting notice SMS %s failed", notice_id)
            continue
        sent += 1
    return sent


def _queue_sms(notice_ids: list[str], text: str) -> None:
    if len(notice_ids) <= SYNC_SMS_LIMIT:
        send_notice_sms(notice_ids=notice_ids, text=text)
        return
    from smartcourt.meetings.tasks import send_sms_batch

    send_sms_batch(notice_ids, text)


def _notify(*, meeting: Meeting, kind: str, entry: DossierEntry, text: str, at: dt.datetime) -> int:
    """A notice to every known creditor: his inbox (the meeting page) if he has an account, SMS if a phone is
    known. One per meeting, kind and creditor (a unique constraint), so notifying twice changes nothing. The SMS
    go out after the commit (a large meeting's through the background job)."""
    rights = list(rights_of(meeting).select_related("creditor"))
    existing = set(Notice.objects.filter(meeting=meeting, kind=kind).values_list("right_id", flat=True))
    notices = []
    for right in rights:
        if right.pk in existing:
            continue
        channels = (["inbox"] if right.user_id else []) + (["sms"] if right.creditor.phone else [])
        notices.append(Notice(meeting=meeting, kind=kind, right=right, entry=entry, channels=channels, sent_at=at))
    Notice.objects.bulk_create(notices, ignore_conflicts=True)
    by_sms = [str(n.pk) for n in notices if "sms" in n.channels]
    transaction.on_commit(lambda: _queue_sms(by_sms, text))
    return len(notices)


def _check_schedule(*, now: dt.datetime, scheduled_at: dt.datetime, opens: dt.datetime, closes: dt.datetime) -> None:
    """The notice reaches the creditors in time (art. 63) and voting opens with the meeting or later, for at
    most MAX_WINDOW."""
    days = (timezone.localdate(scheduled_at) - timezone.localdate(now)).days
    if days < NOTICE_DAYS:
        raise DomainError(
            _(
                "the creditors must be notified at least %(notice)d days before the meeting (art. 63); "
                "the meeting is %(days)d days away"
            )
            % {"notice": NOTICE_DAYS, "days": days},
            field="scheduled_at",
            code=MeetingError.NOTICE_TOO_LATE,
        )
    if opens < scheduled_at:
        raise DomainError(_("voting opens when the meeting opens or later"), field="voting_opens_at")
    if closes <= opens:
        raise DomainError(_("voting closes after it opens"), field="voting_closes_at")
    if closes - opens > MAX_WINDOW:
        raise DomainError(_("the voting window is at most 30 days"), field="voting_closes_at")


def _check_agenda(items: Sequence[ItemSpec]) -> None:
    if not 1 <= len(items) <= MAX_ITEMS:
        raise DomainError(_("an agenda has 1 to %(n)d items") % {"n": MAX_ITEMS}, field="items")
    for spec in items:
        if spec.kind not in AgendaKind.values:
            raise DomainError(
                _("unknown kind of agenda item %(kind)s") % {"kind": shorten(spec.kind, 30)}, field="items"
            )
        if not 1 <= len(spec.title.strip()) <= 200 or len(spec.description) > MAX_TEXT:
            raise DomainError(_("an agenda item needs a title of at most 200 characters"), field="items")


@transaction.atomic
def convene_meeting(
    *,
    actor: User,
    case_id: uuid.UUID | str,
    kind: str,
    title: str,
    scheduled_at: dt.datetime,
    voting_opens_at: dt.datetime,
    voting_closes_at: dt.datetime,
    items: Sequence[ItemSpec],
    small_claims_threshold_fen: int | None = None,
    now: dt.datetime | None = None,
) -> Meeting:
    """The court convenes a meeting: agenda, voting rights from the claims table, the notice filed into the
    dossier and sent to every known creditor. Refused when the notice would reach them less than 15 days
    before the meeting (art. 63)."""
    now = _now(now)
    case = get_case_for(actor, case_id)
    if not policies.can_convene(actor, case):
        raise PermissionDenied(_("Only a judge of the case convenes its creditors' meetings"))
    if kind not in MeetingKind.values:
        raise DomainError(_("unknown kind of meeting"), field="kind")
    title = title.strip()
    if not 1 <= len(title) <= 200:
        raise DomainError(_("a meeting needs a title of at most 200 characters"), field="title")
    _check_schedule(now=now, scheduled_at=scheduled_at, opens=voting_opens_at, closes=voting_closes_at)
    _check_agenda(items)
    if small_claims_threshold_fen is not None and not 0 < small_claims_threshold_fen <= MAX_FEN:
        raise DomainError(_("the small-claims threshold is a positive amount"), field="small_claims_threshold")
    if (
        kind == MeetingKind.FIRST
        and Meeting.objects.filter(case=case, kind=MeetingKind.FIRST).exclude(status=MeetingStatus.CANCELLED).exists()
    ):
        raise Conflict(_("the case already has a first creditors' meeting"))
    try:
        with transaction.atomic():
            meeting = Meeting.objects.create(
                case=case,
                kind=kind,
                title=title,
                scheduled_at=scheduled_at,
                voting_opens_at=voting_opens_at,
                voting_closes_at=voting_closes_at,
                small_claims_threshold_fen=small_claims_threshold_fen,
                convened_by=actor,
            )
    except IntegrityError as exc:
        # Two judges convening the first meeting at once: the unique constraint keeps one.
        raise Conflict(_("the case already has a first creditors' meeting")) from exc
    MeetingTransition.objects.create(meeting=meeting, from_status="", to_status=MeetingStatus.CONVENED, actor=actor)
    AgendaItem.objects.bulk_create(
        [
            AgendaItem(
                meeting=meeting,
                position=position,
                kind=spec.kind,
                title=spec.title.strip(),
                description=spec.description.strip(),
            )
            for position, spec in enumerate(items, start=1)
        ]
    )
    VotingRight.objects.bulk_create(
        [
            VotingRight(
                meeting=meeting,
                creditor=amounts.creditor,
                user_id=amounts.creditor.user_id,
                name=amounts.creditor.name,
                secured_fen=amounts.secured_fen,
                employee_fen=amounts.employee_fen,
                tax_fen=amounts.tax_fen,
                ordinary_fen=amounts.ordinary_fen,
                undetermined=amounts.undetermined,
            )
            for amounts in rights_from_claims(case)
        ]
    )
    pdf = notice_pdf(meeting)
    entry = file_entry(
        actor=actor,
        case=case,
        kind=EntryKind.NOTICE,
        title=fit(DossierEntry, "title", f"债权人会议通知（{meeting.title}）"),
        content=pdf,
        filename="债权人会议通知.pdf",
        content_type="application/pdf",
        source=meeting,
    )
    meeting.notice_entry = entry
    meeting.save(update_fields=["notice_entry", "updated_at"])
    local = timezone.localtime(scheduled_at)
    notified = _notify(
        meeting=meeting,
        kind=NoticeKind.CONVENING,
        entry=entry,
        text=f"【{case.court.name}】{case.title}定于{local:%Y年%m月%d日%H:%M}在线召开{meeting.title}，请登录平台查看通知、签到和表决。",
        at=now,
    )
    record_event(
        actor=actor,
        action="meetings.convened",
        case_id=case.pk,
        obj=meeting,
        after={
            "kind": kind,
            "scheduled_at": scheduled_at.isoformat(),
            "voting_opens_at": voting_opens_at.isoformat(),
            "voting_closes_at": voting_closes_at.isoformat(),
            "items": [spec.kind for spec in items],
            "notified": notified,
        },
    )
    return meeting


def _managed_meeting(actor: User, meeting_id: uuid.UUID | str) -> Meeting:
    meeting = get_meeting_for(actor, meeting_id)
    if not policies.can_convene(actor, meeting.case):
        raise PermissionDenied(_("Only a judge of the case manages its creditors' meetings"))
    return meeting


@transaction.atomic
def attach_document(
    *,
    actor: User,
    item_id: uuid.UUID | str,
    upload: UploadedFileLike | None = None,
    title: str = "",
    entry_id: uuid.UUID | str | None = None,
) -> AgendaDocument:
    """Give an agenda item a document the creditors read: a PDF uploaded now (filed into the dossier) or an
    entry already in the case's dossier. The judge or the appointed administrator, before the close."""
    item = get_or_not_found(AgendaItem.objects.select_related("meeting"), _("No such agenda item"), pk=item_id)
    meeting = get_meeting_for(actor, item.meeting_id)
    if not (policies.can_convene(actor, meeting.case) or policies.can_answer(actor, meeting.case)):
        raise PermissionDenied(_("Only the judge or the administrator gives the agenda its documents"))
    if meeting.status != MeetingStatus.CONVENED:
        raise Conflict(_("the meeting is over"))
    if (upload is None) == (entry_id is None):
        raise DomainError(_("give either a PDF or a dossier entry"), field="file")
    if upload is not None:
        checked = checked_upload(upload, allowed=DOCUMENT_TYPES, field="file")
        title = title.strip() and check_length(DossierEntry, "title", title.strip(), label=_("The title"))
        entry = file_entry(
            actor=actor,
            case=meeting.case,
            kind=EntryKind.ATTACHMENT,
            title=title or fit(DossierEntry, "title", f"{item.title}（会议材料）"),
            content=checked.content,
            filename=checked.name,
            content_type=checked.content_type,
            source=item,
        )
    else:
        entry = get_or_not_found(DossierEntry, _("No such dossier entry"), pk=str(entry_id), case=meeting.case)
    document, _created = AgendaDocument.objects.get_or_create(item=item, entry=entry)
    record_event(
        actor=actor,
        action="meetings.document_attached",
        case_id=meeting.case_id,
        obj=item,
        after={"entry": str(entry.pk), "title": entry.title},
    )
    return document


@transaction.atomic
def set_voting_amounts(
    *,
    actor: User,
    right_id: uuid.UUID | str,
    amounts_fen: Mapping[str, int],
    priority_waived: bool | None = None,
    now: dt.datetime | None = None,
) -> VotingRight:
    """The court sets a creditor's voting amounts provisionally (art. 59(2): undetermined claims), or records
    that a secured creditor waived priority. Only before voting opens: every ballot commits to its amounts."""
    now = _now(now)
    try:
        right = VotingRight.objects.select_related("meeting").get(pk=right_id)
    except Exception as exc:
        raise NotFound(_("No such voting right")) from exc
    meeting = _managed_meeting(actor, right.meeting_id)
    if meeting.status != MeetingStatus.CONVENED or now >= meeting.voting_opens_at:
        raise Conflict(_("voting amounts are set before voting opens"))
    fields = ("secured_fen", "employee_fen", "tax_fen", "ordinary_fen")
    unknown = set(amounts_fen) - set(fields)
    if unknown:
        raise DomainError(_("unknown amounts: %(names)s") % {"names": ", ".join(sorted(unknown))}, field="amounts")
    before = {f: getattr(right, f) for f in fields} | {"priority_waived": right.priority_waived}
    right = VotingRight.objects.select_for_update().get(pk=right.pk)
    for name, fen in amounts_fen.items():
        if not 0 <= fen <= MAX_FEN:
            raise DomainError(_("amounts are between 0 and 10 trillion yuan"), field=name.removesuffix("_fen"))
        setattr(right, name, fen)
    if amounts_fen:
        right.provisional = True
    if priority_waived is not None:
        right.priority_waived = priority_waived
    right.save()
    record_event(
        actor=actor,
        action="meetings.voting_amounts_set",
        case_id=meeting.case_id,
        obj=right,
        before=before,
        after={f: getattr(right, f) for f in fields} | {"priority_waived": right.priority_waived},
    )
    return right


def _participating(actor: User, meeting_id: uuid.UUID | str, *, lock: bool = False) -> tuple[Meeting, VotingRight]:
    meeting = get_meeting_for(actor, meeting_id)
    right = own_right(actor, meeting)
    if right is None:
        raise PermissionDenied(_("Only a creditor of this meeting takes part in it"))
    if lock:
        meeting = Meeting.objects.select_for_update().select_related("case").get(pk=meeting.pk)
        right = VotingRight.objects.select_for_update().get(pk=right.pk)
    return meeting, right


def _in_session(meeting: Meeting, now: dt.datetime) -> None:
    if meeting.status != MeetingStatus.CONVENED or now >= meeting.voting_closes_at:
        raise Conflict(_("the meeting is closed"), code=MeetingError.MEETING_CLOSED)
    if now < meeting.scheduled_at:
        raise Conflict(_("the meeting has not opened yet"), code=MeetingError.MEETING_NOT_OPEN)


def _sign_in(*, actor: User, meeting: Meeting, right: VotingRight, now: dt.datetime) -> bool:
    """Sign in once: a conditional update, so two sign-ins at once record one."""
    changed = VotingRight.objects.filter(pk=right.pk, signed_in_at__isnull=True).update(signed_in_at=now)
    if changed:
        right.signed_in_at = now
        record_event(
            actor=actor, action="meetings.signed_in", case_id=meeting.case_id, obj=right, after={"at": now.isoformat()}
        )
    return bool(changed)


@transaction.atomic
def sign_in(*, actor: User, meeting_id: uuid.UUID | str, now: dt.datetime | None = None) -> VotingRight:
    """A creditor signs in to the meeting (attendance): from its opening until the voting closes."""
    now = _now(now)
    meeting, right = _participating(actor, meeting_id)
    _in_session(meeting, now)
    _sign_in(actor=actor, meeting=meeting, right=right, now=now)
    return right


@transaction.atomic
def ask_question(*, actor: User, meeting_id: uuid.UUID | str, text: str, now: dt.datetime | None = None) -> Question:
    """A creditor asks the administrator a question, which every participant reads with its answer."""
    now = _now(now)
    meeting, right = _participating(actor, meeting_id)
    _in_session(meeting, now)
    text = text.strip()
    if not 1 <= len(text) <= MAX_TEXT:
        raise DomainError(_("a question has 1 to 2000 characters"), field="text")
    _sign_in(actor=actor, meeting=meeting, right=right, now=now)
    question = Question.objects.create(meeting=meeting, right=right, asked_by=actor, text=text)
    record_event(
        actor=actor,
        action="meetings.question_asked",
        case_id=meeting.case_id,
        obj=question,
        after={"length": len(text)},
    )
    return question


@transaction.atomic
def answer_question(
    *, actor: User, question_id: uuid.UUID | str, answer: str, now: dt.datetime | None = None
) -> Question:
    """The appointed administrator answers, in the open, once; until the meeting is closed."""
    now = _now(now)
    try:
        question = Question.objects.get(pk=question_id)
    except Exception as exc:
        raise NotFound(_("No such question")) from exc
    meeting = get_meeting_for(actor, question.meeting_id)
    if not policies.can_answer(actor, meeting.case):
        raise PermissionDenied(_("Only the administrator appointed on the case answers"))
    if meeting.status != MeetingStatus.CONVENED:
        raise Conflict(_("the meeting is closed"), code=MeetingError.MEETING_CLOSED)
    answer = answer.strip()
    if not 1 <= len(answer) <= MAX_TEXT:
        raise DomainError(_("an answer has 1 to 2000 characters"), field="answer")
    changed = Question.objects.filter(pk=question.pk, answered_at__isnull=True).update(
        answer=answer, answered_by=actor, answered_at=now, updated_at=now
    )
    if not changed:
        raise Conflict(_("the question is already answered"))
    question.refresh_from_db()
    record_event(
        actor=actor,
        action="meetings.question_answered",
        case_id=meeting.case_id,
        obj=question,
        after={"length": len(answer)},
    )
    return question


@dataclass(frozen=True)
class ReceiptLine:
    item_id: uuid.UUID
    item_title: str
    vote: str
    weights: dict[str, int]
    commitment: str
    salt: str
    revision: int


@dataclass(frozen=True)
class Receipt:
    meeting_id: uuid.UUID
    voter: uuid.UUID
    cast_at: dt.datetime
    lines: tuple[ReceiptLine, ...]


@transaction.atomic
def cast_votes(
    *, actor: User, meeting_id: uuid.UUID | str, votes: Mapping[str, str], now: dt.datetime | None = None
) -> Receipt:
    """A creditor votes for, against or abstain on items of his meeting, within the voting window; voting
    again on an item replaces his ballot until the close. The meeting and his voting right are locked, so two
    votes of his at the same instant apply one after the other and leave one ballot per item (also a unique
    constraint), and no vote lands after the close has read the ballots. The receipt holds each ballot's
    commitment and salt; the salt is shown to him once and not stored."""
    now = _now(now)
    meeting, right = _participating(actor, meeting_id, lock=True)
    if meeting.status != MeetingStatus.CONVENED or now >= meeting.voting_closes_at:
        raise Conflict(_("voting is closed"), code=MeetingError.VOTING_CLOSED)
    if now < meeting.voting_opens_at:
        raise Conflict(_("voting has not opened yet"), code=MeetingError.VOTING_NOT_OPEN)
    if not votes:
        raise DomainError(_("choose a vote on at least one item"), field="votes")
    items = {str(item.pk): item for item in AgendaItem.objects.filter(meeting=meeting)}
    lines = []
    for item_id, vote in votes.items():
        item = items.get(str(item_id))
        if item is None:
            raise NotFound(_("No such agenda item"))
        if vote not in BallotVote.values:
            raise DomainError(_("a vote is for, against or abstain"), field=f"votes.{item_id}")
        weights = weights_for(right, item, meeting)
        if weights is None:
            raise PermissionDenied(
                _(
                    "You have no vote on this item (no determined claim, or a secured creditor on the "
                    "distribution plan or the settlement agreement, art. 59)"
                ),
                field=f"votes.{item_id}",
            )
        salt = commitments.new_salt()
        digest = commitments.commitment(
            meeting_id=str(meeting.pk),
            item_id=str(item.pk),
            right_id=str(right.pk),
            vote=vote,
            weights=weights,
            salt=salt,
        )
        ballot = Ballot.objects.filter(item=item, right=right).first()
        if ballot is None:
            ballot = Ballot.objects.create(
                item=item, right=right, vote=vote, weights=weights, commitment=digest, cast_at=now
            )
        else:
            ballot.vote, ballot.weights, ballot.commitment, ballot.cast_at = vote, weights, digest, now
            ballot.revision += 1
            ballot.save()
        record_event(
            actor=actor,
            action="meetings.vote_cast",
            case_id=meeting.case_id,
            obj=ballot,
            # Neither the vote nor its commitment: the log names the actor, and after the close the commitments are
            # published with their votes, so a commitment here would tie each published vote to a name.
            after={"item": str(item.pk), "revision": ballot.revision},
        )
        lines.append(
            ReceiptLine(
                item_id=item.pk,
                item_title=item.title,
                vote=vote,
                weights=weights,
                commitment=digest,
                salt=salt,
                revision=ballot.revision,
            )
        )
    _sign_in(actor=actor, meeting=meeting, right=right, now=now)
    return Receipt(meeting_id=meeting.pk, voter=right.pk, cast_at=now, lines=tuple(lines))


@transaction.atomic
def close_meeting(*, actor: User, meeting_id: uuid.UUID | str, now: dt.datetime | None = None) -> Meeting:
    """The judge closes the meeting once the voting window is over: every item is tallied under its rule, the
    ballots (commitment, vote, weights; no names) and their Merkle root are published, a rejected management,
    realisation or distribution plan is flagged for the court's ruling (art. 65), the results notice goes to
    every creditor and the minutes, sealed by the court, are filed into the dossier."""
    now = _now(now)
    meeting = _managed_meeting(actor, meeting_id)
    meeting = Meeting.objects.select_for_update().select_related("case__court").get(pk=meeting.pk)
    if meeting.status != MeetingStatus.CONVENED:
        raise Conflict(_("the meeting is not open"), code=MeetingError.NOT_OPEN)
    if now < meeting.voting_closes_at:
        raise Conflict(_("the voting window is still open"), code=MeetingError.VOTING_OPEN)
    rights = rights_for_tally(meeting)
    all_commitments: list[str] = []
    outcome: dict[str, Any] = {}
    for item in AgendaItem.objects.filter(meeting=meeting).order_by("position"):
        if item.kind == AgendaKind.REPORT:
            continue
        tallied = tally_item(item, meeting, rights)
        item.passed = tallied.result.passed
        item.result = result_json(tallied)
        item.published_ballots = tallied.published
        item.needs_court_ruling = item.kind in COURT_RULES_IF_REJECTED and not item.passed
        item.save(update_fields=["passed", "result", "published_ballots", "needs_court_ruling", "updated_at"])
        all_commitments.extend(row[0] for row in tallied.published)
        outcome[str(item.pk)] = {"passed": item.passed, "court_ruling": item.needs_court_ruling}
    _transition(actor=actor, meeting=meeting, to_status=MeetingStatus.CLOSED)
    meeting.closed_at = now
    meeting.merkle_root = commitments.merkle_root(all_commitments)
    meeting.ballot_count = len(all_commitments)
    results = results_pdf(meeting)
    meeting.results_entry = file_entry(
        actor=actor,
        case=meeting.case,
        kind=EntryKind.NOTICE,
        title=fit(DossierEntry, "title", f"债权人会议表决结果通知（{meeting.title}）"),
        content=results,
        filename="债权人会议表决结果通知.pdf",
        content_type="application/pdf",
        source=meeting,
    )
    sealed = minutes_pdf(actor=actor, meeting=meeting)
    meeting.minutes_entry = file_entry(
        actor=actor,
        case=meeting.case,
        kind=EntryKind.NODE_RECORD,
        title=fit(DossierEntry, "title", f"债权人会议记录（{meeting.title}）"),
        content=sealed.pdf,
        filename="债权人会议记录.pdf",
        content_type="application/pdf",
        source=meeting,
        note="已加盖法院电子印章",
    )
    meeting.minutes_sha256 = sealed.sha256
    meeting.save(
        update_fields=[
            "closed_at",
            "merkle_root",
            "ballot_count",
            "results_entry",
            "minutes_entry",
            "minutes_sha256",
            "updated_at",
        ]
    )
    _notify(
        meeting=meeting,
        kind=NoticeKind.RESULTS,
        entry=meeting.results_entry,
        text=f"【{meeting.case.court.name}】{meeting.title}表决已结束，结果已公布，请登录平台查看并核验您的选票回执。",
        at=now,
    )
    record_event(
        actor=actor,
        action="meetings.closed",
        case_id=meeting.case_id,
        obj=meeting,
        after={
            "merkle_root": meeting.merkle_root,
            "ballots": meeting.ballot_count,
            "items": outcome,
            "minutes_sha256": meeting.minutes_sha256,
        },
    )
    return meeting


@transaction.atomic
def cancel_meeting(*, actor: User, meeting_id: uuid.UUID | str, reason: str) -> Meeting:
    """The court calls off a meeting that has not been closed; its ballots are never tallied."""
    meeting = _managed_meeting(actor, meeting_id)
    reason = reason.strip()
    if not 1 <= len(reason) <= 500:
        raise DomainError(_("give the reason, at most 500 characters"), field="reason")
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _transition(actor=actor, meeting=meeting, to_status=MeetingStatus.CANCELLED, note=reason)
    record_event(
        actor=actor, action="meetings.cancelled", case_id=meeting.case_id, obj=meeting, after={"reason": reason}
    )
    return meeting


@transaction.atomic
def read_notice(*, actor: User, notice_id: uuid.UUID | str, now: dt.datetime | None = None) -> Notice:
    """The creditor opened his notice: the first time is recorded (no audit event: reading is not an act)."""
    now = _now(now)
    try:
        notice = Notice.objects.select_related("right").get(pk=notice_id, right__user=actor)
    except Exception as exc:
        raise NotFound(_("No such notice")) from exc
    Notice.objects.filter(pk=notice.pk, read_at__isnull=True).update(read_at=now)
    return notice
