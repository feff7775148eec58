"""The demo seed: idempotent, and every demo user sees exactly the cases meant for him."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from smartcourt.accounts.actions import create_organisation, create_user
from smartcourt.accounts.choices import OrganisationKind, Role
from smartcourt.accounts.models import Organisation, User
from smartcourt.audit.chain_check import verify_chain
from smartcourt.audit.models import AuditEvent
from smartcourt.bankruptcy.choices import NodeStatus
from smartcourt.bankruptcy.models import NodeRecord, Proceeding
from smartcourt.cases.choices import CaseType
from smartcourt.cases.models import Case
from smartcourt.cases.selectors import cases_visible_to
from smartcourt.demo.world import GALLERY_DEBTORS

# The demo seeds fund supervision and distributions through the sandbox bank, and pays an online filing's fee
# through the sandbox payment service.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("bank", "payment_service")]


def _visible(username: str) -> set[str]:
    return set(cases_visible_to(User.objects.get(username=username)).values_list("number", flat=True))


def test_seeding_twice_changes_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("seed_demo")
    counts = (Case.objects.count(), User.objects.count(), Organisation.objects.count(), AuditEvent.objects.count())
    call_command("seed_demo")
    assert (
        Case.objects.count(),
        User.objects.count(),
        Organisation.objects.count(),
        AuditEvent.objects.count(),
    ) == counts
    assert "SmartCourt-2026" in capsys.readouterr().out
    assert verify_chain().ok


def test_the_demo_has_cases_of_every_type() -> None:
    call_command("seed_demo")
    assert set(Case.objects.values_list("case_type", flat=True)) == set(CaseType.values)


def _numbers(*titles: str) -> set[str]:
    return set(Case.objects.filter(title__in=titles).values_list("number", flat=True))


def test_who_sees_what_in_the_demo() -> None:
    call_command("seed_demo")
    rudong = set(Case.objects.filter(court__court_code="苏0623").values_list("number", flat=True))
    assert _visible("clerk") == rudong
    assert _visible("courtadmin") == rudong
    judge_cases = _visible("judge")
    # 宏达纺织 is accepted 66 days before the seeding day: its number's year is the year of that day.
    hongda = Case.objects.get(title="如东县宏达纺织有限公司破产清算案").number
    assert hongda.endswith("苏0623破1号") and hongda in judge_cases and judge_cases < rudong
    assert all(number.startswith("(20") and "苏0623" in number for number in judge_cases)
    assert _visible("judge2") == {"(2026)苏06破1号"}
    firm_a_titles = [f"{debtor}破产清算案" for debtor, _ in GALLERY_DEBTORS] + ["如东县宏达纺织有限公司破产清算案"]
    firm_a_cases = set(Case.objects.filter(title__in=firm_a_titles).values_list("number", flat=True))
    assert len(firm_a_cases) == 16
    assert _visible("admin_a") == firm_a_cases
    assert _visible("admin_b") == {"(2025)苏0623强清1号", "(2026)苏06破1号"}
    # 刘洋 is also a creditor in the cases with the demo's meetings (华瑞, 远洋) and distribution (海韵); 孙丽 in the
    # meetings' cases.
    meetings_cases = _numbers("南通华瑞服饰有限公司破产清算案", "南通远洋物流有限公司重整案")
    distribution_case = _numbers("如东县海韵家纺有限公司破产清算案")
    assert _visible("creditor_a") == {hongda, "(2026)苏0623破申2号"} | meetings_cases | distribution_case
    assert _visible("creditor_b") == {hongda} | meetings_cases
    assert _visible("bank") == {hongda}
    # 马俊 also sees the civil case his docketed online filing became (filing/demo.py).
    docketed = set(Case.objects.filter(online_filing__filer__username="lawyer").values_list("number", flat=True))
    assert len(docketed) == 1
    assert _visible("lawyer") == {"(2026)苏0623执1号", "(2026)苏0623执2号", "(2026)苏0623执3号"} | docketed


def test_an_outsider_sees_none_of_the_demo_cases() -> None:
    call_command("seed_demo")
    haimen = create_organisation(actor=None, kind=OrganisationKind.COURT, name="海门市人民法院", court_code="苏0684")
    for role, organisation in [(Role.FILING_CLERK, haimen), (Role.JUDGE, haimen), (Role.CREDITOR, None)]:
        outsider = create_user(
            actor=None,
            username=f"outsider_{role}",
            password="x",
            role=role,
            full_name="外人",
            organisation=organisation,
            check_password_strength=False,
        )
        assert list(cases_visible_to(outsider)) == []


def test_the_demo_has_a_liquidation_standing_at_every_node() -> None:
    call_command("seed_demo")
    open_nodes = set(
        NodeRecord.objects.filter(
            proceeding__procedure="liquidation",
            status__in=[NodeStatus.PENDING, NodeStatus.IN_PROGRESS, NodeStatus.AWAITING_CONFIRMATION],
        ).values_list("node_key", flat=True)
    )
    assert {f"N{number:02d}" for number in range(3, 18)} <= open_nodes
    assert set(Proceeding.objects.values_list("procedure", flat=True)) == {
        "liquidation",
        "reorganisation",
        "compulsory_liquidation",
    }


def test_the_demo_seals_are_long_term_signatures() -> None:
    """The timestamp authority and the CA's status service run while the demo is seeded (issue 15.12): every
    seal it signs is PAdES B-LTA, not B-B."""
    from smartcourt.documents.models import Document
    from smartcourt.documents.pades import check_signatures

    call_command("seed_demo")
    signed = Document.objects.exclude(signed_pdf="")
    assert signed.exists()
    for document in signed:
        with document.signed_pdf.open("rb") as handle:
            (check,) = check_signatures(handle.read())
        assert (document.title, check.long_term) == (document.title, "B-LTA")


def test_the_demo_has_online_filings_in_every_state() -> None:
    from smartcourt.fees.models import LitigationFee
    from smartcourt.filing.models import Filing

    call_command("seed_demo")
    states = set(Filing.objects.filter(filer__username="lawyer").values_list("status", flat=True))
    assert states == {
        "draft",
        "submitted",
        "under_review",
        "correction_requested",
        "docketed",
        "not_accepted",
        "withdrawn",
    }
    fee = LitigationFee.objects.get(case__online_filing__filer__username="lawyer")
    assert (fee.status, fee.fee_fen, fee.paid_fen) == ("paid", 2300_00, 2300_00)
    assert Filing.objects.filter(filer__username="clerk", on_behalf=True, status="submitted").count() == 1
