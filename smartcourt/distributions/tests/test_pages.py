"""Distribution pages: who sees what (permission matrix), plan computed from the page, upload with its
line-by-line report, the judge's approval page, payment files; denials change nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from conftest import Personas
from smartcourt.claims.choices import ClaimNature, CreditorKind
from smartcourt.claims.models import Creditor
from smartcourt.core.spreadsheets import read_sheet
from smartcourt.distributions import actions
from smartcourt.distributions.choices import BatchStatus, PlanStatus
from smartcourt.distributions.models import DistributionPlan, PaymentBatch
from smartcourt.testing import client_for

from .helpers import PAYING_ACCOUNT, PAYING_BANK, counts, csv_file, make_claim, plan_input, ruled_plan

pytestmark = pytest.mark.django_db
ZHANG = "320623198001010011"
FIRM = "91320623000000003C"
GOOD = [
    ["1", "张三", ZHANG, "6222020000000001", "中国银行如东支行", "104306200021", "1000.00"],
    ["2", "甲供应商有限公司", FIRM, "1000123400056789", "江苏银行南通分行", "", "3000.00"],
]


def _claims(p: Personas) -> None:
    make_claim(p, name="张三", identifier=ZHANG, nature=ClaimNature.EMPLOYEE, amount_fen=100_000)
    make_claim(p, name="甲供应商有限公司", identifier=FIRM, amount_fen=1_000_000, kind=CreditorKind.ORGANISATION)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("judge", 200),
        ("assistant", 200),
        ("clerk", 200),
        ("administrator", 200),
        ("other_administrator", 404),
        ("creditor_a", 404),
        ("creditor_b", 404),
        ("bank_operator", 404),
        ("outsider", 404),
    ],
)
def test_who_sees_the_plan_pages(personas: Personas, who: str, status: int) -> None:
    _claims(personas)
    plan = ruled_plan(personas, 400_000)
    client = client_for(getattr(personas, who))
    assert client.get(f"/distributions/cases/{personas.case.pk}/").status_code == status
    assert client.get(f"/distributions/plans/{plan.pk}/").status_code == status


def test_anonymous_is_sent_to_sign_in(personas: Personas) -> None:
    response = Client().get(f"/distributions/cases/{personas.case.pk}/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_administrator_computes_a_plan_on_the_page(personas: Personas) -> None:
    _claims(personas)
    bank = make_claim(
        personas, name="农商行", identifier="91320623000000001A", nature=ClaimNature.SECURED, amount_fen=50_000
    )
    client = client_for(personas.administrator)
    form_page = client.get(f"/distributions/cases/{personas.case.pk}/")
    assert f"collateral_{bank.pk}" in form_page.content.decode()
    response = client.post(
        f"/distributions/cases/{personas.case.pk}/",
        {
            "kind": "final",
            "available": "4000.00",
            "available_basis": "管理人账户余额",
            "expenses": "审计费, 500\n评估费，300.50",
            "common_benefit": "",
            "conditional": "",
            f"collateral_{bank.pk}": "600.00",
        },
    )
    plan = DistributionPlan.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/distributions/plans/{plan.pk}/"
    # Collateral 600 on 500: 100 surplus; 4,100 - 800.50 expenses - 1,000 employee = 2,299.50 to ordinary.
    assert (plan.secured_paid_fen, plan.collateral_surplus_fen, plan.distributed_fen) == (50_000, 10_000, 410_000)
    page = client.get(f"/distributions/plans/{plan.pk}/").content.decode()
    assert "审计费" in page and "2,299.50" in page


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [("available", "12.345", "two decimals"), ("available", "-5", "negative"), ("expenses", "no amount", "Line 1")],
)
def test_bad_plan_form_changes_nothing(personas: Personas, field: str, value: str, error: str) -> None:
    _claims(personas)
    data = {
        "kind": "final",
        "available": "100",
        "available_basis": "余额",
        "expenses": "",
        "common_benefit": "",
        "conditional": "",
    }
    data[field] = value
    before = counts()
    response = client_for(personas.administrator, language="en").post(f"/distributions/cases/{personas.case.pk}/", data)
    assert response.status_code == 422 and error in response.content.decode()
    assert counts() == before


@pytest.mark.parametrize("who", ["judge", "clerk"])
def test_court_staff_cannot_compute_a_plan(personas: Personas, who: str) -> None:
    _claims(personas)
    before = counts()
    response = client_for(getattr(personas, who)).post(
        f"/distributions/cases/{personas.case.pk}/", {"kind": "final", "available": "1", "available_basis": "x"}
    )
    assert response.status_code == 403
    assert counts() == before


def test_meeting_and_ruling_on_the_page(personas: Personas) -> None:
    _claims(personas)
    admin, judge = client_for(personas.administrator), client_for(personas.judge)
    admin.post(
        f"/distributions/cases/{personas.case.pk}/", {"kind": "final", "available": "4000", "available_basis": "余额"}
    )
    plan = DistributionPlan.objects.get()
    admin.post(f"/distributions/plans/{plan.pk}/submit/")
    judge.post(
        f"/distributions/plans/{plan.pk}/meeting/",
        {"adopted": "1", "reference": "第二次债权人会议决议", "resolved_on": "2026-11-25"},
    )
    judge.post(
        f"/distributions/plans/{plan.pk}/rule/",
        {"approved": "1", "ruling_reference": "(2026)苏0623破12号之三", "ruled_on": "2026-11-27"},
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.RULED and plan.ruled_on == dt.date(2026, 11, 27)


def test_payment_files_for_the_administrator(personas: Personas) -> None:
    # The prefilled files are built in the background worker (smartcourt/exports/tests/test_spreadsheet_exports.py);
    # the plan page offers them to the administrator as export requests, and the fixed template directly.
    _claims(personas)
    plan = ruled_plan(personas, 400_000)
    client = client_for(personas.administrator)
    page = client.get(f"/distributions/plans/{plan.pk}/").content.decode()
    assert 'value="payment_file_xlsx"' in page and 'value="payment_file_csv"' in page
    template = client.get(f"/distributions/plans/{plan.pk}/template.xlsx")
    assert template.status_code == 200
    assert read_sheet(template.content, "x.xlsx").rows[0][1] == "债权人名称"
    assert (
        'value="payment_file_xlsx"'
        not in client_for(personas.judge).get(f"/distributions/plans/{plan.pk}/").content.decode()
    )


def test_upload_report_then_submit_and_judge_approves(personas: Personas) -> None:
    _claims(personas)
    plan = ruled_plan(personas, 400_000)
    admin, judge = client_for(personas.administrator, language="en"), client_for(personas.judge, language="en")
    bad = [[*GOOD[0][:6], "999.99"], GOOD[1]]
    response = admin.post(
        f"/distributions/plans/{plan.pk}/upload/",
        {"file": _upload_file(csv_file(bad)), "paying_account": PAYING_ACCOUNT, "paying_bank_name": PAYING_BANK},
    )
    batch = PaymentBatch.objects.get()
    assert response.status_code == 302 and batch.status == BatchStatus.INVALID
    page = admin.get(f"/distributions/batches/{batch.pk}/").content.decode()
    assert "The amount 999.99 differs from the plan&#x27;s 1000.00 yuan" in page
    assert 'data-testid="batch-differs"' in page and 'data-testid="submit-batch"' not in page
    admin.post(
        f"/distributions/plans/{plan.pk}/upload/",
        {"file": _upload_file(csv_file(GOOD)), "paying_account": PAYING_ACCOUNT, "paying_bank_name": PAYING_BANK},
    )
    good = PaymentBatch.objects.get(status=BatchStatus.CHECKED)
    assert 'data-testid="submit-batch"' in admin.get(f"/distributions/batches/{good.pk}/").content.decode()
    admin.post(f"/distributions/batches/{good.pk}/submit/")
    page = judge.get(f"/distributions/batches/{good.pk}/").content.decode()
    assert 'data-testid="batch-matches"' in page and 'data-testid="approve-batch"' in page
    # The administrator cannot approve his own batch; nothing changes.
    before = counts()
    admin.post(f"/distributions/batches/{good.pk}/approve/")
    assert counts() == before
    judge.post(f"/distributions/batches/{good.pk}/approve/")
    good.refresh_from_db()
    assert good.status == BatchStatus.APPROVED
    xml = judge.get(f"/distributions/batches/{good.pk}/pain001.xml")
    assert xml.status_code == 200 and b"pain.001.001.09" in xml.content


def _upload_file(content: bytes, name: str = "pay.csv") -> object:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="text/csv")


def test_announcement_on_the_plan_page(personas: Personas) -> None:
    _claims(personas)
    plan = ruled_plan(personas, 400_000)
    admin = client_for(personas.administrator)
    assert 'data-testid="announce-form"' in admin.get(f"/distributions/plans/{plan.pk}/").content.decode()
    before = counts()
    client_for(personas.judge).post(f"/distributions/plans/{plan.pk}/announce/", {"announced_on": "2026-11-30"})
    assert counts() == before
    admin.post(f"/distributions/plans/{plan.pk}/announce/", {"announced_on": "2026-11-30"})
    page = admin.get(f"/distributions/plans/{plan.pk}/").content.decode()
    assert 'data-testid="announced"' in page and "2026-11-30" in page and 'data-testid="announce-form"' not in page


def _creditor_a_claim(p: Personas) -> None:
    """张三's claim belongs to creditor_a's account (a case member): his tracker shows it."""
    _claims(p)
    Creditor.objects.filter(case=p.case, name="张三").update(user=p.creditor_a)


def test_a_creditor_reads_the_plan_and_the_fee_cap_before_the_vote(personas: Personas) -> None:
    _creditor_a_claim(personas)
    plan = actions.create_plan(actor=personas.administrator, case_id=personas.case.pk, plan_input=plan_input(500_000))
    creditor = client_for(personas.creditor_a)
    # A draft is the administrator's working copy: not shown yet.
    assert "plan-summary-link" not in creditor.get("/claims/mine/").content.decode()
    assert creditor.get(f"/distributions/plans/{plan.pk}/summary/").status_code == 404
    actions.submit_plan(actor=personas.administrator, plan_id=plan.pk)
    tracker = creditor.get("/claims/mine/").content.decode()
    assert f'href="/distributions/plans/{plan.pk}/summary/"' in tracker
    page = creditor.get(f"/distributions/plans/{plan.pk}/summary/").content.decode()
    # 5,000.00 available: the employee's 1,000.00 in full, 4,000.00 to the ordinary claim; the cap is 12% of 5,000.
    assert 'data-testid="fee-cap-amount">600.00<' in page
    assert 'data-testid="my-lines"' in page and "1,000.00" in page
    assert "甲供应商有限公司" not in page  # the other creditors' lines are not his to read
    # Not the plan page with its forms and every line.
    assert creditor.get(f"/distributions/plans/{plan.pk}/").status_code == 404


@pytest.mark.parametrize("who", ["creditor_b", "outsider", "judge", "other_administrator"])
def test_only_the_cases_creditors_read_the_plan_summary(personas: Personas, who: str) -> None:
    _creditor_a_claim(personas)
    plan = actions.create_plan(actor=personas.administrator, case_id=personas.case.pk, plan_input=plan_input(500_000))
    actions.submit_plan(actor=personas.administrator, plan_id=plan.pk)
    before = counts()
    assert client_for(getattr(personas, who)).get(f"/distributions/plans/{plan.pk}/summary/").status_code == 404
    assert counts() == before
