"""The whole demo: the base world of courts, people and cases (``cases.demo``), the administrator rosters,
bankruptcy proceedings with a case standing at every node, and requests and reports between administrator
and judge. Everything goes through the real actions, so the demo's audit log and dossiers are real.

Idempotent: each step looks for what it would create and skips what exists.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from smartcourt.accounts.models import Organisation, User
from smartcourt.administrators.demo import seed_roster
from smartcourt.analytics.demo import seed_dashboards
from smartcourt.bankruptcy.acceptance import appoint_administrator_for_case
from smartcourt.bankruptcy.actions import open_proceeding, raise_reminders, start_node
from smartcourt.bankruptcy.choices import NodeStatus, Procedure
from smartcourt.bankruptcy.demo import drive_to
from smartcourt.bankruptcy.models import Proceeding
from smartcourt.bankruptcy.rulepack import get_procedure
from smartcourt.cases.actions import add_party, change_case_status, create_case
from smartcourt.cases.choices import CaseStatus, CaseType, PartyKind, PartyRole
from smartcourt.cases.demo import DemoSignIn, credit_code, seed_world
from smartcourt.cases.models import Case
from smartcourt.claims.demo import seed_claims
from smartcourt.correspondence.demo import seed_correspondence
from smartcourt.demo.bank import sandbox_bank
from smartcourt.distributions.demo import seed_distributions
from smartcourt.documents.demo import seed_documents
from smartcourt.evaluation.demo import seed_evaluation
from smartcourt.filing.demo import seed_filings
from smartcourt.funds.demo import seed_funds
from smartcourt.meetings.demo import seed_meetings

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


def _users(*usernames: str) -> dict[str, User]:
    return {user.username: user for user in User.objects.filter(username__in=usernames)}


def _open(
    *, case: Case, procedure: str, judge: User, administrator: User, firm: Organisation, target: str, start: bool
) -> None:
    """Open the case's proceeding, appoint ``firm`` and take the case to ``target`` (started if ``start``)."""
    if Proceeding.objects.filter(case=case).exists():
        return
    assert case.accepted_on is not None
    open_proceeding(actor=judge, case=case, procedure=procedure, accepted_on=case.accepted_on)
    appoint_administrator_for_case(
        actor=judge, case_id=case.pk, method="judge_choice", firm_id=firm.pk, appointed_on=case.accepted_on
    )
    record = drive_to(case=case, target=target, judge=judge, administrator=administrator)
    node = get_procedure(procedure).node(target)
    if start and record.status in {NodeStatus.PENDING, NodeStatus.RETURNED}:
        actor = judge if node.operator == "court" else administrator
        start_node(actor=actor, case_id=case.pk, node_key=target)


def _gallery(*, rudong: Organisation, clerk: User, judge: User, administrator: User, firm: Organisation) -> None:
    today = timezone.localdate()
    targets = [f"N{number:02d}" for number in range(3, 18)]
    for index, (target, (debtor, stem)) in enumerate(zip(targets, GALLERY_DEBTORS, strict=True)):
        title = f"{debtor}破产清算案"
        case = Case.objects.filter(court=rudong, title=title).first()
        if case is None:
            # Cases further along were accepted earlier, so their dates respect the statutory periods.
            accepted = today - dt.timedelta(days=12 + 26 * index)
            case = create_case(
                actor=clerk,
                court=rudong,
                case_type=CaseType.BANKRUPTCY,
                title=title,
                cause="破产清算",
                filed_on=accepted,
                presiding_judge=judge,
            )
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
        _open(
            case=case,
            procedure=Procedure.LIQUIDATION,
            judge=judge,
            administrator=administrator,
            firm=firm,
            target=target,
            start=index % 2 == 0,
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
        _open(
            case=hongda,
            procedure=Procedure.LIQUIDATION,
            judge=users["judge"],
            administrator=users["admin_a"],
            firm=firm_a,
            target="N07",
            start=True,
        )
        seed_correspondence(case=hongda, administrator=users["admin_a"], judge=users["judge"])
        jinqiao = Case.objects.get(court=rudong, title="如东县金桥置业有限公司强制清算案")
        _open(
            case=jinqiao,
            procedure=Procedure.COMPULSORY_LIQUIDATION,
            judge=users["judge"],
            administrator=users["admin_b"],
            firm=firm_b,
            target="C05",
            start=True,
        )
        yuanyang = Case.objects.get(court=nantong, title="南通远洋物流有限公司重整案")
        _open(
            case=yuanyang,
            procedure=Procedure.REORGANISATION,
            judge=users["judge2"],
            administrator=users["admin_b"],
            firm=firm_b,
            target="R4",
            start=True,
        )
        _gallery(rudong=rudong, clerk=users["clerk"], judge=users["judge"], administrator=users["admin_a"], firm=firm_a)
        # Today's reminders, as the daily job would raise them (idempotent per node, day and kind).
        raise_reminders()
        seed_claims(case=hongda, judge=users["judge"], administrator=users["admin_a"])
        seed_documents(case=hongda, judge=users["judge"], administrator=users["admin_a"])
        seed_meetings(
            gallery_case=Case.objects.get(court=rudong, title="南通华瑞服饰有限公司破产清算案"),
            reorganisation_case=yuanyang,
            reorganisation_judge=users["judge2"],
            open_case=hongda,
            judge=users["judge"],
            administrator=users["admin_a"],
        )
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
