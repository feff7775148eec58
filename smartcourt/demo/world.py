"""The whole demo: the base world of courts, people and cases (``cases.demo``), the administrator rosters,
bankruptcy proceedings with a case standing at every node, and requests and reports between administrator
and judge. Everything goes through the real actions, so the demo's audit log and dossiers are real.

Idempotent: each step looks for what it would create and skips what exists.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from smartcourt.accounts.models import Organisation, User
from smartcourt.administrators.demo import seed_roster
from smartcourt.analytics.demo import seed_dashboards
from smartcourt.bankruptcy.acceptance import appoint_administrator_for_case
from smartcourt.bankruptcy.actions import open_proceeding, raise_reminders, start_node
from smartcourt.bankruptcy.choices import NodeStatus, Procedure
from smartcourt.bankruptcy.demo import Timeline, drive_to
from smartcourt.bankruptcy.models import NodeRecord, Proceeding
from smartcourt.bankruptcy.rulepack import get_procedure
from smartcourt.cases.actions import add_party, change_case_status, create_case
from smartcourt.cases.choices import CaseStatus, CaseType, PartyKind, PartyRole
from smartcourt.cases.demo import DemoSignIn, credit_code, seed_world
from smartcourt.cases.models import Case
from smartcourt.claims.demo import seed_claims
from smartcourt.core.clock import Clock, set_back
from smartcourt.core.dates import SHANGHAI
from smartcourt.correspondence.demo import seed_correspondence
from smartcourt.demo.bank import sandbox_bank
from smartcourt.distributions.demo import seed_distribution_claims, seed_distribution_plan, seed_distributions
from smartcourt.documents.demo import seed_documents
from smartcourt.evaluation.demo import seed_evaluation
from smartcourt.filing.demo import seed_filings
from smartcourt.funds.demo import seed_funds
from smartcourt.meetings.actions import ItemSpec
from smartcourt.meetings.demo import (
    FIRST_MEETING_ITEMS,
    convene_first_meeting,
    demo_creditors,
    first_meeting_open,
    hold_first_meeting,
    hold_plan_meeting,
    plan_meeting_closed,
    seed_claims_table,
)
from smartcourt.meetings.models import Meeting

# Fictitious debtors for the gallery of liquidation cases, one per node from N03 to N17.
GALLERY_DEBTORS = [
    ("如东县东方化纤有限公司", "91320623MA1G00011"),
    ("如东县洋口港渔业有限公司", "91320623MA1G00022"),
    ("南通市通州区恒远机械有限公司", "91320612MA1G00033"),
    ("如东县丰利镇鑫源铸造厂", "91320623MA1G00044"),
    ("江苏如东振华电子有限公司", "91320623MA1G00055"),
    ("如东县长江食品有限公司", "91320623MA1G00066"),
    ("南通华瑞服饰有限公司", "91320600MA1G00077"),
    ("如东县新港建筑安装工程有限公司", "91320623MA1G00088"),
    ("如东县掘港镇明珠酒店有限公司", "91320623MA1G00099"),
    ("南通通达化工有限公司", "91320600MA1G00101"),
    ("如东县绿源农业科技有限公司", "91320623MA1G00112"),
    ("如东县海韵家纺有限公司", "91320623MA1G00123"),
    ("南通宏图印务有限公司", "91320600MA1G00134"),
    ("如东县兴业物资贸易有限公司", "91320623MA1G00145"),
    ("如东县金海岸旅游开发有限公司", "91320623MA1G00156"),
]


# The demo tells each case's story along the demo's clock (core/clock.py): accepted some time before the seeding
# day, every node finished on the day this table gives (days after the acceptance), which keeps the statutory
# deadlines the anchor dates of bankruptcy/demo.py set (announcement day 8, declarations until day 53, first
# meeting on day 65, declaration of bankruptcy on day 100, termination asked on day 300 and ruled on day 310).
FINISHED_ON_DAY = {
    # Liquidation (and the reorganisation's shared nodes).
    "N03": 9, "N04": 12, "N05": 40, "N06": 55, "N07": 60, "N08": 67, "N09": 85, "N10": 101, "N11": 130,
    "N12": 190, "N13": 230, "N14": 280, "N15": 311, "N16": 318, "N17": 322,
    # Reorganisation: the ruling and management at once, the plan submitted on day 150 (six months: day 183).
    "R2": 0, "R3": 2, "R4": 150,
    # Compulsory liquidation: the committee takes over and reports within weeks.
    "C03": 15, "C04": 30,
}  # fmt: skip
# How long ago each gallery case was accepted (by the node it stands at), so that it stands there today: most
# well within their deadlines, a few due this week, one (N16) three days overdue.
ACCEPTED_DAYS_AGO = {
    "N03": 6, "N04": 16, "N05": 24, "N06": 48, "N07": 58, "N08": 64, "N09": 80, "N10": 103, "N11": 140,
    "N12": 205, "N13": 245, "N14": 232, "N15": 290, "N16": 323, "N17": 330,
}  # fmt: skip
# The first meeting's report came back from the court in two cases: submitted on day 65, sent back, submitted
# again four days after the deadline (day 68): late, with the court's reasons on the record.
RETURNED = {
    "N10": {"N08": "会议记录未附表决统计表及债权表核查结果，请补充后重新提交。"},
    "N13": {"N08": "工作报告未说明债务人对外投资的清查情况，请补充后重新提交。"},
}
LATE_FINISH = {"N08": 72}
# The gallery case whose first meeting was held with the demo creditors (the other cases' creditors have no
# accounts), and the one whose 110 creditors receive the demo distribution.
MEETING_CASE, DISTRIBUTION_CASE = "N09", "N14"
# The demo creditors without a sign-in of their own vote in the gallery's later meetings: on the distribution
# plan not the secured bank (朱红 for 农商行), which has not waived its priority (art. 59(3)); 华盛建材's and 周卫东's
# 946,000 yuan are still more than half the 1,746,000 unsecured (art. 64).
PLAN_VOTES = [
    ("N11", "realisation_plan", "破产财产变价方案", ["creditor_c", "creditor_d", "creditor_e"]),
    ("N13", "distribution_plan", "破产财产分配方案", ["creditor_c", "creditor_e"]),
]


def _users(*usernames: str) -> dict[str, User]:
    return {user.username: user for user in User.objects.filter(username__in=usernames)}


def _moment(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=SHANGHAI)


def _timeline(
    *, clock: Clock, accepted: dt.date, late: dict[str, int] | None = None, returned: dict[str, str] | None = None,
    before_finishing: dict[str, Callable[[NodeRecord], None]] | None = None,
) -> Timeline:  # fmt: skip
    days = FINISHED_ON_DAY | (late or {})
    return Timeline(
        clock=clock,
        finish_on=lambda key: accepted + dt.timedelta(days=days.get(key, 0)),
        returned=returned or {},
        before_finishing=before_finishing or {},
    )


def _meeting_hooks(
    *, case: Case, clock: Clock, accepted: dt.date, judge: User, administrator: User, demo_users: bool,
    claims: Callable[[], None], distribution: bool = False,
) -> dict[str, Callable[[NodeRecord], None]]:  # fmt: skip
    """The first meeting as part of the node work: convened near the end of the declaration period (N06), with
    the claims declared so far, held on the meeting day and closed before N08 is submitted."""
    held_on = accepted + dt.timedelta(days=65)

    def convene(record: NodeRecord) -> None:
        claims()
        convene_first_meeting(case=case, judge=judge, held_on=held_on, clock=clock, items=_items(demo_users))

    def hold(record: NodeRecord) -> None:
        meeting = Meeting.objects.get(case=case, kind="first")
        users = demo_creditors() if demo_users else None
        hold_first_meeting(meeting=meeting, judge=judge, administrator=administrator, users=users, clock=clock)

    hooks: dict[str, Callable[[NodeRecord], None]] = {"N06": convene, "N08": hold}
    # Later meetings vote on the realisation plan (N11) and the distribution plan (N13), five days before the
    # node is finished. 海韵's 110 creditors have no accounts but 刘洋's: its realisation plan fails on the platform
    # and the court rules (art. 65(1)); its distribution plan was adopted by written vote (Interp. III art. 11),
    # recorded on the plan with its reference, and ruled on by the court before N13 was finished.
    for key, kind, title, voters in PLAN_VOTES:
        if distribution and key == "N13":
            hooks[key] = functools.partial(
                _written_vote, case=case, judge=judge, administrator=administrator, clock=clock, accepted=accepted
            )
            continue
        hooks[key] = functools.partial(
            _plan_meeting, case=case, judge=judge, kind=kind, title=title, clock=clock,
            voters=[] if distribution else voters,
            held_on=accepted + dt.timedelta(days=FINISHED_ON_DAY[key] - 5),
        )  # fmt: skip
    return hooks


def _written_vote(
    record: NodeRecord, *, case: Case, judge: User, administrator: User, clock: Clock, accepted: dt.date
) -> None:
    """海韵's distribution plan: drawn up after the disposal, adopted by the creditors' written vote and approved by
    the court's ruling before N13 is finished (its batch is paid today, through the bank, by seed_distributions)."""
    clock.move_to_day(accepted + dt.timedelta(days=FINISHED_ON_DAY["N12"] + 5), 10)
    finished = FINISHED_ON_DAY["N13"]
    seed_distribution_plan(
        case=case,
        judge=judge,
        administrator=administrator,
        clock=clock,
        resolved_on=accepted + dt.timedelta(days=finished - 10),
        ruled_on=accepted + dt.timedelta(days=finished - 3),
    )


def _plan_meeting(
    record: NodeRecord, *, case: Case, judge: User, kind: str, title: str, clock: Clock, voters: list[str],
    held_on: dt.date,
) -> None:  # fmt: skip
    if not Meeting.objects.filter(case=case, items__kind=kind).exists():
        hold_plan_meeting(case=case, judge=judge, kind=kind, title=title, held_on=held_on, clock=clock, voters=voters)


def _items(demo_users: bool) -> list[ItemSpec]:
    # Only 华瑞's first meeting votes (with the demo sign-ins 刘洋 and 孙丽 among its creditors); elsewhere the first
    # meeting hears the report and verifies the claims table.
    return FIRST_MEETING_ITEMS if demo_users else FIRST_MEETING_ITEMS[:1]


def _open(
    *, case: Case, procedure: str, judge: User, administrator: User, firm: Organisation, target: str, start: bool,
    timeline: Callable[[Clock], Timeline], accepted: dt.date,
) -> None:  # fmt: skip
    """Open the case's proceeding, appoint ``firm`` and take the case to ``target`` (started if ``start``),
    along the case's timeline from its acceptance."""
    if Proceeding.objects.filter(case=case).exists():
        return
    with set_back(_moment(accepted, 10)) as clock:
        open_proceeding(actor=judge, case=case, procedure=procedure, accepted_on=accepted)
        appoint_administrator_for_case(
            actor=judge, case_id=case.pk, method="judge_choice", firm_id=firm.pk, appointed_on=accepted
        )
        story = timeline(clock)
        record = drive_to(
            case=case, target=target, judge=judge, administrator=administrator, timeline=story, through=True
        )
        node = get_procedure(procedure).node(target)
        if start and record.status in {NodeStatus.PENDING, NodeStatus.RETURNED}:
            actor = judge if node.operator == "court" else administrator
            started = max([accepted, *[story.finish_on(key) for key in node.predecessors if key in FINISHED_ON_DAY]])
            clock.move_to(_moment(started, 15))
            start_node(actor=actor, case_id=case.pk, node_key=target)


def _gallery(*, rudong: Organisation, clerk: User, judge: User, administrator: User, firm: Organisation) -> None:
    today = timezone.localdate()
    targets = [f"N{number:02d}" for number in range(3, 18)]
    for index, (target, (debtor, stem)) in enumerate(zip(targets, GALLERY_DEBTORS, strict=True)):
        title = f"{debtor}破产清算案"
        accepted = today - dt.timedelta(days=ACCEPTED_DAYS_AGO[target])
        case = Case.objects.filter(court=rudong, title=title).first()
        if case is None:
            with set_back(_moment(accepted - dt.timedelta(days=7))) as clock:
                # Filed a week before the acceptance ruling (art. 10: within 15 days).
                case = create_case(
                    actor=clerk,
                    court=rudong,
                    case_type=CaseType.BANKRUPTCY,
                    title=title,
                    cause="破产清算",
                    filed_on=accepted - dt.timedelta(days=7),
                    presiding_judge=judge,
                )
                clock.move_to(_moment(accepted))
                change_case_status(actor=judge, case_id=case.pk, to_status=CaseStatus.OPEN, on=accepted)
                add_party(
                    actor=clerk,
                    case=case,
                    role=PartyRole.DEBTOR,
                    kind=PartyKind.ORGANISATION,
                    name=debtor,
                    credit_code=credit_code(stem),
                )
            case.refresh_from_db()
        if target == MEETING_CASE:
            claims: Callable[[], None] = functools.partial(seed_claims_table, case=case, judge=judge, members=True)
        elif target == DISTRIBUTION_CASE:
            claims = functools.partial(seed_distribution_claims, case=case, judge=judge, administrator=administrator)
        else:
            claims = functools.partial(seed_claims_table, case=case, judge=judge, members=False)

        def timeline(clock: Clock, case: Case = case, target: str = target, accepted: dt.date = accepted,
                     claims: Callable[[], None] = claims) -> Timeline:  # fmt: skip
            hooks = _meeting_hooks(
                case=case, clock=clock, accepted=accepted, judge=judge, administrator=administrator,
                demo_users=target == MEETING_CASE, claims=claims, distribution=target == DISTRIBUTION_CASE,
            )  # fmt: skip
            returned = RETURNED.get(target, {})
            return _timeline(
                clock=clock, accepted=accepted, late={k: LATE_FINISH[k] for k in returned}, returned=returned,
                before_finishing=hooks,
            )  # fmt: skip

        _open(
            case=case,
            procedure=Procedure.LIQUIDATION,
            judge=judge,
            administrator=administrator,
            firm=firm,
            target=target,
            start=index % 2 == 0,
            timeline=timeline,
            accepted=accepted,
        )


def seed_demo() -> list[DemoSignIn]:
    """Create (or find) the whole demo and return the sign-ins to print."""
    sign_ins = seed_world()
    with transaction.atomic():
        users = _users("judge", "judge2", "clerk", "courtadmin", "ntadmin", "admin_a", "admin_b")
        rudong = Organisation.objects.get(kind="court", court_code="苏0623")
        nantong = Organisation.objects.get(kind="court", court_code="苏06")
        firm_a = users["admin_a"].organisation
        firm_b = users["admin_b"].organisation
        assert firm_a is not None and firm_b is not None
        seed_roster(court=rudong, court_admin=users["courtadmin"], firms=[firm_a, firm_b])
        seed_roster(court=nantong, court_admin=users["ntadmin"], firms=[firm_b, firm_a])

        hongda = Case.objects.get(court=rudong, title="如东县宏达纺织有限公司破产清算案")
        assert hongda.accepted_on is not None
        hongda_accepted = hongda.accepted_on

        def hongda_timeline(clock: Clock) -> Timeline:
            def claims_and_papers(record: NodeRecord) -> None:
                # Declarations come in during the declaration period; the documents and requests on the way.
                clock.move_to(_moment(hongda_accepted + dt.timedelta(days=30), 10))
                seed_documents(case=hongda, judge=users["judge"], administrator=users["admin_a"])
                seed_correspondence(case=hongda, administrator=users["admin_a"], judge=users["judge"])
                seed_claims(case=hongda, judge=users["judge"], administrator=users["admin_a"])
                # The first meeting is convened 15 days ahead of yesterday, near the end of the declarations.
                if not Meeting.objects.filter(case=hongda).exists():
                    first_meeting_open(case=hongda, judge=users["judge"], administrator=users["admin_a"], clock=clock)

            return _timeline(clock=clock, accepted=hongda_accepted, before_finishing={"N06": claims_and_papers})

        _open(
            case=hongda,
            procedure=Procedure.LIQUIDATION,
            judge=users["judge"],
            administrator=users["admin_a"],
            firm=firm_a,
            target="N08",
            start=True,
            timeline=hongda_timeline,
            accepted=hongda_accepted,
        )
        jinqiao = Case.objects.get(court=rudong, title="如东县金桥置业有限公司强制清算案")
        assert jinqiao.accepted_on is not None
        jinqiao_accepted = jinqiao.accepted_on
        _open(
            case=jinqiao,
            procedure=Procedure.COMPULSORY_LIQUIDATION,
            judge=users["judge"],
            administrator=users["admin_b"],
            firm=firm_b,
            target="C05",
            start=True,
            timeline=lambda clock: _timeline(clock=clock, accepted=jinqiao_accepted),
            accepted=jinqiao_accepted,
        )
        yuanyang = Case.objects.get(court=nantong, title="南通远洋物流有限公司重整案")
        assert yuanyang.accepted_on is not None
        yuanyang_accepted = yuanyang.accepted_on

        def yuanyang_timeline(clock: Clock) -> Timeline:
            hooks = _meeting_hooks(
                case=yuanyang, clock=clock, accepted=yuanyang_accepted, judge=users["judge2"],
                administrator=users["admin_b"], demo_users=False,
                claims=functools.partial(seed_claims_table, case=yuanyang, judge=users["judge2"], members=True),
            )  # fmt: skip
            return _timeline(clock=clock, accepted=yuanyang_accepted, before_finishing=hooks)

        _open(
            case=yuanyang,
            procedure=Procedure.REORGANISATION,
            judge=users["judge2"],
            administrator=users["admin_b"],
            firm=firm_b,
            target="R5",
            start=True,
            timeline=yuanyang_timeline,
            accepted=yuanyang_accepted,
        )
        if not Meeting.objects.filter(case=yuanyang, kind="later").exists():
            with set_back(_moment(yuanyang_accepted)) as clock:
                plan_meeting_closed(case=yuanyang, judge=users["judge2"], clock=clock)
        _gallery(rudong=rudong, clerk=users["clerk"], judge=users["judge"], administrator=users["admin_a"], firm=firm_a)
        # Today's reminders, as the daily job would raise them (idempotent per node, day and kind).
        raise_reminders()
    # Money goes through the sandbox bank, outside the seeding transaction: each payment is sent once its
    # request is committed, as in the running platform.
    with sandbox_bank():
        seed_funds(
            case=hongda,
            judge=users["judge"],
            assistant=User.objects.get(username="assistant"),
            administrator=users["admin_a"],
        )
        seed_distributions(
            case=Case.objects.get(court=rudong, title=f"{GALLERY_DEBTORS[11][0]}破产清算案"),
            judge=users["judge"],
            administrator=users["admin_a"],
        )
    # Online filings in every state for the lawyer and the clerk; the paid fee goes through the payment service.
    seed_filings()
    # Last: the evaluation and the dashboards read everything seeded above.
    with transaction.atomic():
        seed_evaluation(court=rudong, judge=users["judge"], firms=[firm_a, firm_b], firm_a_user=users["admin_a"])
    seed_dashboards()
    return sign_ins
