"""Demo creditors' meetings, through the real actions (times passed in as ``now``):

- 南通华瑞服饰 (gallery case past N08): the first meeting, closed. Creditors signed in, read the work report,
  asked and were answered, voted; the management plan passed under art. 64, the realisation plan was rejected and
  is flagged for the court's ruling (art. 65); ballots published with their Merkle root; sealed minutes filed.
- 南通远洋物流 (reorganisation): a meeting on the draft plan, closed, voted by class (art. 84) with a small-claims
  class set by the court (art. 82(2)).
- 宏达纺织 (at N07, with the claims the claims demo made): the first meeting, open now for voting; 刘洋's disputed
  claim has a provisional voting amount set by the court (art. 59(2)).

The gallery and reorganisation cases have no claims in the other demos: their claims tables are made here as the
claims app leaves them once the court confirmed them (Creditor and Claim rows). Idempotent: a case that has a
meeting is left alone.
"""

from __future__ import annotations

import datetime as dt
import itertools

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from smartcourt.accounts.actions import create_user
from smartcourt.accounts.choices import Role
from smartcourt.accounts.models import User
from smartcourt.cases.choices import MemberRole
from smartcourt.cases.demo import DEMO_PASSWORD, LIU_YANG_ID, SUN_LI_ID
from smartcourt.cases.models import Case
from smartcourt.claims.models import Claim, Creditor
from smartcourt.core.clock import Clock
from smartcourt.core.identifiers import credit_code_check_char
from smartcourt.core.pdf import html_to_pdf
from smartcourt.meetings.actions import (
    ItemSpec,
    answer_question,
    ask_question,
    attach_document,
    cast_votes,
    close_meeting,
    convene_meeting,
    set_voting_amounts,
)
from smartcourt.meetings.models import Meeting, VotingRight

# Demo creditor accounts beyond creditor_a (刘洋) and creditor_b (孙丽): username, name, creditor they act for.
EXTRA_CREDITORS = [
    ("creditor_c", "顾建国", "13505130011"),
    ("creditor_d", "朱红", "13505130012"),
    ("creditor_e", "周卫东", "13505130013"),
]


SIGN_IN_CREDITORS = {"creditor_a", "creditor_b"}


def _pdf(title: str, lines: list[str]) -> bytes:
    body = "".join(f"<p>{line}</p>" for line in lines)
    return html_to_pdf(
        f"<html><body style=\"font-family: 'Noto Serif CJK SC', serif\"><h1 style='text-align:center'>{title}</h1>"
        f"{body}</body></html>"
    )


def _user(username: str, name: str, phone: str) -> User:
    existing = User.objects.filter(username=username).first()
    if existing is not None:
        return existing
    return create_user(
        actor=None,
        username=username,
        password=DEMO_PASSWORD,
        role=Role.CREDITOR,
        full_name=name,
        email=f"{username}@example.com",
        phone=phone,
    )


def _member(case: Case, judge: User, user: User) -> None:
    from smartcourt.cases.actions import add_member

    if not case.members.filter(user=user, role=MemberRole.CREDITOR).exists():
        add_member(actor=judge, case=case, role=MemberRole.CREDITOR, user=user)


def _code(stem: str) -> str:
    return stem + credit_code_check_char(stem)


def _claims_table(case: Case, judge: User, users: dict[str, User], *, members: bool = True) -> None:
    """A confirmed claims table: (name, identifier, user, [(nature, yuan)], status). Without ``members`` only the
    creditors without a demo sign-in (creditor_c to creditor_e) act on the platform: 刘洋 and 孙丽, whom the demo
    sign-ins show, are creditors of their own cases only."""
    numbers = itertools.count(1)
    rows = [
        ("如东农村商业银行股份有限公司", _code("91320600MA1M0001A"), users["creditor_d"],
         [("secured", 3_000_000), ("ordinary", 400_000)], "court_confirmed"),
        ("南通华盛建材有限公司", _code("91320623MA1H0001A"), users["creditor_c"], [("ordinary", 860_000)],
         "court_confirmed"),
        ("刘洋", LIU_YANG_ID, users["creditor_a"], [("ordinary", 200_000)], "court_confirmed"),
        ("孙丽", SUN_LI_ID, users["creditor_b"], [("ordinary", 50_000)], "court_confirmed"),
        ("周卫东", "320623197810100032", users["creditor_e"], [("employee", 86_000)], "court_confirmed"),
        ("国家税务总局如东县税务局", _code("11320623MB1A0001A"), None, [("social_insurance_tax", 120_000)],
         "court_confirmed"),
        ("如东县宏远纺机有限公司", _code("91320623MA1M0002A"), None, [("ordinary", 30_000)], "court_confirmed"),
        ("南通天成物流有限公司", _code("91320600MA1M0003A"), None, [("ordinary", 150_000)], "disputed"),
    ]  # fmt: skip
    for name, identifier, row_user, claims, status in rows:
        user = row_user if members or row_user is None or row_user.username not in SIGN_IN_CREDITORS else None
        if user is not None:
            _member(case, judge, user)
        creditor, _ = Creditor.objects.get_or_create(
            case=case,
            identifier=identifier,
            defaults={
                # An identity number is all digits (but perhaps its check character); a credit code has letters.
                "kind": "natural_person" if identifier[:17].isdigit() else "organisation",
                "name": name,
                "user": user,
                "source": "self_declared",
                "phone": user.phone if user else "",
            },
        )
        for nature, yuan in claims:
            confirmed = status == "court_confirmed"
            Claim.objects.create(
                case=case,
                creditor=creditor,
                number=next(numbers),
                nature=nature,
                principal_fen=yuan * 100,
                # Declared in the declaration period (the table is written when the review is done).
                declared_at=timezone.now() - dt.timedelta(days=20),
                declared_by=user or judge,
                status=status,
                confirmed_nature=nature if confirmed else "",
                confirmed_principal_fen=yuan * 100 if confirmed else 0,
            )


def _tick(clock: Clock | None, moment: dt.datetime) -> dt.datetime:
    """Move the demo's clock to ``moment`` (when the story is told along one) and answer it."""
    if clock is not None:
        clock.move_to(moment)
    return moment


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _vote(meeting: Meeting, user: User, votes: dict[int, str], now: dt.datetime, clock: Clock | None) -> None:
    items = {item.position: str(item.pk) for item in meeting.items.all()}
    cast_votes(actor=user, meeting_id=meeting.pk, votes={items[p]: v for p, v in votes.items()}, now=_tick(clock, now))


FIRST_MEETING_ITEMS = [
    ItemSpec("report", "管理人执行职务的工作报告及债权表核查"),
    ItemSpec("management_plan", "债务人财产管理方案"),
    ItemSpec("realisation_plan", "破产财产变价方案"),
]


def convene_first_meeting(
    *, case: Case, judge: User, held_on: dt.date, clock: Clock | None = None, items: list[ItemSpec] | None = None
) -> Meeting:
    """The court convenes the first meeting for ``held_on``, noticed 16 days ahead (art. 63: at least 15)."""
    opens = _at(held_on, 9)
    return convene_meeting(
        actor=judge,
        case_id=case.pk,
        kind="first",
        title="第一次债权人会议",
        scheduled_at=opens,
        voting_opens_at=opens,
        voting_closes_at=opens + dt.timedelta(days=1, hours=8),
        items=items or FIRST_MEETING_ITEMS[:1],
        now=_tick(clock, opens - dt.timedelta(days=16)),
    )


def hold_first_meeting(
    *, meeting: Meeting, judge: User, administrator: User, users: dict[str, User] | None, clock: Clock | None
) -> None:
    """The meeting is held: the work report tabled, a creditor's question answered, the votes cast (by the demo
    creditors in ``users``; without them the agenda is the report alone), and the court closes it."""
    opens = meeting.voting_opens_at
    report = meeting.items.get(position=1)
    _tick(clock, opens - dt.timedelta(days=3))
    attach_document(
        actor=administrator,
        item_id=report.pk,
        title="管理人执行职务的工作报告",
        upload=SimpleUploadedFile(
            "工作报告.pdf",
            _pdf("管理人执行职务的工作报告", ["一、接管情况", "二、财产调查情况", "三、债权申报与审查情况"]),
        ),
    )
    if users is not None:
        during = opens + dt.timedelta(hours=1)
        question = ask_question(
            actor=users["creditor_a"],
            meeting_id=meeting.pk,
            text="厂房变价是否先行评估？起拍价如何确定？",
            now=_tick(clock, during),
        )
        answer_question(
            actor=administrator,
            question_id=question.pk,
            answer="厂房已委托评估，起拍价不低于评估价的百分之七十，流拍后按方案降价，每次不超过百分之二十。",
            now=_tick(clock, during + dt.timedelta(minutes=20)),
        )
        _vote(meeting, users["creditor_a"], {2: "for", 3: "for"}, during + dt.timedelta(hours=1), clock)
        _vote(meeting, users["creditor_b"], {2: "against", 3: "for"}, during + dt.timedelta(hours=2), clock)
        _vote(meeting, users["creditor_c"], {2: "for", 3: "against"}, during + dt.timedelta(hours=3), clock)
        _vote(meeting, users["creditor_d"], {2: "for", 3: "against"}, during + dt.timedelta(hours=4), clock)
        _vote(meeting, users["creditor_e"], {2: "for", 3: "abstain"}, during + dt.timedelta(hours=5), clock)
        # 孙丽 changes her mind on the management plan before the close.
        _vote(meeting, users["creditor_b"], {2: "for"}, during + dt.timedelta(days=1), clock)
    close_meeting(
        actor=judge, meeting_id=meeting.pk, now=_tick(clock, meeting.voting_closes_at + dt.timedelta(minutes=5))
    )


def _first_meeting_closed(case: Case, judge: User, administrator: User, users: dict[str, User]) -> None:
    meeting = convene_first_meeting(
        case=case, judge=judge, held_on=timezone.localdate() - dt.timedelta(days=10), items=FIRST_MEETING_ITEMS
    )
    hold_first_meeting(meeting=meeting, judge=judge, administrator=administrator, users=users, clock=None)


def demo_creditors() -> dict[str, User]:
    """The demo creditors' accounts: creditor_a (刘洋), creditor_b (孙丽) and the three more the meetings need."""
    return {
        "creditor_a": User.objects.get(username="creditor_a"),
        "creditor_b": User.objects.get(username="creditor_b"),
        **{username: _user(username, name, phone) for username, name, phone in EXTRA_CREDITORS},
    }


def seed_claims_table(*, case: Case, judge: User, members: bool) -> None:
    """The confirmed claims table a first meeting needs (idempotent: a case with claims keeps them)."""
    if not Claim.objects.filter(case=case).exists():
        _claims_table(case, judge, demo_creditors(), members=members)


def hold_plan_meeting(
    *, case: Case, judge: User, kind: str, title: str, held_on: dt.date, clock: Clock | None, voters: list[str]
) -> Meeting:
    """A later meeting voting on one plan (realisation or distribution): convened 16 days ahead, held on
    ``held_on``, the demo creditors in ``voters`` for it, closed the next afternoon (without votes enough the
    plan fails and the court rules, art. 65)."""
    opens = _at(held_on, 9, 30)
    meeting = convene_meeting(
        actor=judge,
        case_id=case.pk,
        kind="later",
        title=f"债权人会议（表决{title}）",
        scheduled_at=opens,
        voting_opens_at=opens,
        voting_closes_at=_at(held_on + dt.timedelta(days=1), 17),
        items=[ItemSpec(kind, title)],
        now=_tick(clock, opens - dt.timedelta(days=16)),
    )
    users = demo_creditors()
    for username in voters:
        _vote(meeting, users[username], {1: "for"}, opens + dt.timedelta(hours=2), clock)
    close_meeting(
        actor=judge, meeting_id=meeting.pk, now=_tick(clock, meeting.voting_closes_at + dt.timedelta(minutes=5))
    )
    return meeting


def plan_meeting_closed(*, case: Case, judge: User, clock: Clock | None = None) -> None:
    """The meeting on the reorganisation plan, held five days ago and closed two days later."""
    users = demo_creditors()
    today = timezone.localdate() if clock is None else clock.real_today()
    opens = _at(today - dt.timedelta(days=5), 9, 30)
    meeting = convene_meeting(
        actor=judge,
        case_id=case.pk,
        kind="later",
        title="第二次债权人会议（表决重整计划草案）",
        scheduled_at=opens,
        voting_opens_at=opens,
        voting_closes_at=_at(today - dt.timedelta(days=3), 17),
        items=[ItemSpec("reorganisation_plan", "南通远洋物流有限公司重整计划草案")],
        # Ordinary claims up to 100,000 yuan vote in the small-claims class (art. 82(2)).
        small_claims_threshold_fen=100_000_00,
        now=_tick(clock, opens - dt.timedelta(days=15)),
    )
    during = opens + dt.timedelta(hours=2)
    for username, vote in (("creditor_a", "for"), ("creditor_b", "for"), ("creditor_c", "against"),
                           ("creditor_d", "for"), ("creditor_e", "for")):  # fmt: skip
        _vote(meeting, users[username], {1: vote}, during, clock)
    close_meeting(
        actor=judge, meeting_id=meeting.pk, now=_tick(clock, meeting.voting_closes_at + dt.timedelta(minutes=5))
    )


def first_meeting_open(*, case: Case, judge: User, administrator: User, clock: Clock | None = None) -> None:
    """The first meeting, opened yesterday for three days of voting."""
    today = timezone.localdate() if clock is None else clock.real_today()
    opens = _at(today - dt.timedelta(days=1), 9)
    convened_at = opens - dt.timedelta(days=15)
    meeting = convene_meeting(
        actor=judge,
        case_id=case.pk,
        kind="first",
        title="第一次债权人会议",
        scheduled_at=opens,
        voting_opens_at=opens,
        voting_closes_at=_at(today + dt.timedelta(days=2), 17),
        items=[
            ItemSpec("report", "管理人执行职务的工作报告"),
            ItemSpec("management_plan", "债务人财产管理方案"),
            ItemSpec("general", "设立债权人委员会并选任成员"),
        ],
        now=_tick(clock, convened_at),
    )
    attach_document(
        actor=administrator,
        item_id=meeting.items.get(position=2).pk,
        title="债务人财产管理方案",
        upload=SimpleUploadedFile(
            "财产管理方案.pdf",
            _pdf("债务人财产管理方案", ["一、财产现状", "二、管理措施", "三、费用预算"]),
        ),
    )
    # 刘洋's claim is disputed: the court sets a provisional amount so he can vote (art. 59(2)).
    for right in VotingRight.objects.filter(meeting=meeting, undetermined=True, user__isnull=False):
        set_voting_amounts(actor=judge, right_id=right.pk, amounts_fen={"ordinary_fen": 200_000_00}, now=convened_at)


def seed_meetings(*, gallery_case: Case, reorganisation_case: Case, reorganisation_judge: User,
                  open_case: Case, judge: User, administrator: User) -> None:  # fmt: skip
    """The three demo meetings outside a story told along the demo's clock (the demo seed holds them while it
    drives the cases' nodes); each case that already has a meeting is skipped."""
    users = demo_creditors()
    if not Meeting.objects.filter(case=gallery_case).exists():
        _claims_table(gallery_case, judge, users)
        _first_meeting_closed(gallery_case, judge, administrator, users)
    if not Meeting.objects.filter(case=reorganisation_case).exists():
        _claims_table(reorganisation_case, reorganisation_judge, users)
        plan_meeting_closed(case=reorganisation_case, judge=reorganisation_judge)
    if not Meeting.objects.filter(case=open_case).exists():
        first_meeting_open(case=open_case, judge=judge, administrator=administrator)
