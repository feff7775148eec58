"""Payment files checked line by line against the ruled plan; one batch per file however often it comes;
the judge approves (maker-checker) and the pain.001 is generated and valid; bad files change nothing."""

from __future__ import annotations

import io
import zipfile

import pytest

from conftest import Personas
from smartcourt.banking.iso20022.pain001 import read_pain001
from smartcourt.claims.choices import ClaimNature, CreditorKind
from smartcourt.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from smartcourt.core.spreadsheets import write_xlsx
from smartcourt.distributions import actions
from smartcourt.distributions.choices import BatchStatus
from smartcourt.distributions.models import DistributionPlan, PaymentBatch
from smartcourt.distributions.payment_file_check import HEADER, error_text
from smartcourt.distributions.selectors import batch_lines, compare_batch

from .helpers import PAYING_ACCOUNT, PAYING_BANK, counts, csv_file, make_claim, ruled_plan

pytestmark = pytest.mark.django_db

ZHANG = "320623198001010011"
FIRM = "91320623000000003C"
GOOD = [
    ["1", "张三", ZHANG, "6222020000000001", "中国银行如东支行", "104306200021", "1000.00"],
    ["2", "甲供应商有限公司", FIRM, "1000123400056789", "江苏银行南通分行", "", "3000.00"],
]


@pytest.fixture
def plan(personas: Personas) -> DistributionPlan:
    make_claim(personas, name="张三", identifier=ZHANG, nature=ClaimNature.EMPLOYEE, amount_fen=100_000)
    make_claim(personas, name="甲供应商有限公司", identifier=FIRM, amount_fen=1_000_000, kind=CreditorKind.ORGANISATION)
    # 4,000 yuan: the employee's 1,000 in full, 3,000 to the ordinary claim of 10,000.
    return ruled_plan(personas, 400_000)


def _upload(p: Personas, plan: DistributionPlan, content: bytes, name: str = "pay.csv") -> tuple[PaymentBatch, bool]:
    return actions.upload_batch(
        actor=p.administrator,
        plan_id=plan.pk,
        filename=name,
        content=content,
        paying_account=PAYING_ACCOUNT,
        paying_bank_name=PAYING_BANK,
    )


def _errors(batch: PaymentBatch) -> list[tuple[int, list[str]]]:
    return [(line.row, [e["code"] for e in line.errors]) for line in batch_lines(batch)]


def test_a_right_file_is_checked_without_errors(personas: Personas, plan: DistributionPlan) -> None:
    batch, created = _upload(personas, plan, csv_file(GOOD))
    assert created and batch.status == BatchStatus.CHECKED
    assert (batch.line_count, batch.total_fen, batch.error_count, batch.file_errors) == (2, 400_000, 0, [])
    assert compare_batch(batch).matches


def test_every_error_is_named_line_by_line(personas: Personas, plan: DistributionPlan) -> None:
    rows = [
        ["1", "张叁", ZHANG, "6222-0200", "", "10430620002", "1000.001"],
        ["2", "甲供应商有限公司", FIRM, "", "江苏银行", "", "2999.99"],
        ["3", "甲供应商有限公司", FIRM, "1000123400056789", "江苏银行", "", "3000.00"],
        ["4", "某某", "91320623000000009X", "1000123400056789", "江苏银行", "", "abc"],
    ]
    before = counts()
    batch, _ = _upload(personas, plan, csv_file(rows))
    assert batch.status == BatchStatus.INVALID
    assert _errors(batch) == [
        (2, ["amount_decimals", "name_mismatch", "account_malformed", "bank_missing", "bank_code_malformed"]),
        (3, ["amount_mismatch", "account_missing"]),
        (4, ["duplicate_payee"]),
        (5, ["amount_invalid", "identity_unknown"]),
    ]
    first = batch_lines(batch).first()
    assert first is not None
    assert error_text(first.errors[1]) == "The name 张叁 does not match the creditor 张三"
    assert [e["code"] for e in batch.file_errors] == ["total_mismatch"]
    assert error_text(batch.file_errors[0]) == "The file totals 5999.99 yuan; the plan pays 4000.00 yuan"
    # The report is kept; nothing else changed, and it cannot go further.
    assert counts()["batches"] == before["batches"] + 1
    with pytest.raises(Conflict, match="errors"):
        actions.submit_batch(actor=personas.administrator, batch_id=batch.pk)


def test_a_payee_left_out_is_named(personas: Personas, plan: DistributionPlan) -> None:
    batch, _ = _upload(personas, plan, csv_file(GOOD[:1]))
    assert batch.status == BatchStatus.INVALID and _errors(batch) == [(2, [])]
    assert [error_text(e) for e in batch.file_errors] == [
        "甲供应商有限公司 is paid 3000.00 yuan by the plan but has no line in the file",
        "The file totals 1000.00 yuan; the plan pays 4000.00 yuan",
    ]


def test_the_same_file_twice_is_one_batch(personas: Personas, plan: DistributionPlan) -> None:
    first, created = _upload(personas, plan, csv_file(GOOD))
    before = counts()
    again, created_again = _upload(personas, plan, csv_file(GOOD))
    assert created and not created_again and again.pk == first.pk
    assert counts() == before


def test_another_file_while_a_batch_is_live_is_refused(personas: Personas, plan: DistributionPlan) -> None:
    _upload(personas, plan, csv_file(GOOD))
    before = counts()
    with pytest.raises(Conflict, match="already in progress"):
        _upload(personas, plan, csv_file(list(reversed(GOOD))))
    assert counts() == before


def test_xlsx_and_gbk_csv(personas: Personas, plan: DistributionPlan) -> None:
    xlsx = write_xlsx([HEADER, *[[*row[:6], row[6]] for row in GOOD]])
    batch, _ = _upload(personas, plan, xlsx, "pay.xlsx")
    assert batch.status == BatchStatus.CHECKED
    # The same lines in GBK are another file (another hash) for the same plan: refused while one is live.
    with pytest.raises(Conflict):
        _upload(personas, plan, csv_file(GOOD).decode().encode("gbk"))


def test_gbk_csv_reads(personas: Personas, plan: DistributionPlan) -> None:
    batch, _ = _upload(personas, plan, csv_file(GOOD).decode().encode("gbk"))
    assert batch.status == BatchStatus.CHECKED


def test_account_typed_as_a_number_is_an_error(personas: Personas, plan: DistributionPlan) -> None:
    xlsx = write_xlsx([HEADER, ["1", "张三", ZHANG, 6222020000000001, "中国银行", "", "1000.00"], [*GOOD[1]]])
    batch, _ = _upload(personas, plan, xlsx, "pay.xlsx")
    assert _errors(batch)[0] == (2, ["account_as_number"])


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("pay.pdf", b"%PDF-1.4", "Only .xlsx and .csv"),
        ("pay.xlsx", b"not a zip", "not an xlsx"),
        ("pay.csv", b"", "empty"),
        ("pay.csv", b"\x00\x01binary", "binary"),
    ],
)
def test_unreadable_files_change_nothing(
    personas: Personas, plan: DistributionPlan, name: str, content: bytes, words: str
) -> None:
    before = counts()
    with pytest.raises(DomainError, match=words):
        _upload(personas, plan, content, name)
    assert counts() == before


def test_zip_bomb_is_refused_unread(personas: Personas, plan: DistributionPlan) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", "<a>" + " " * 50_000_000 + "</a>")
    before = counts()
    with pytest.raises(DomainError, match="zip bomb"):
        _upload(personas, plan, buffer.getvalue(), "bomb.xlsx")
    assert counts() == before


def test_formula_cells_are_errors(personas: Personas, plan: DistributionPlan) -> None:
    xlsx = write_xlsx([HEADER, *GOOD])
    # Put a formula into the amount cell of the first line.
    with zipfile.ZipFile(io.BytesIO(xlsx)) as source:
        files = {n: source.read(n) for n in source.namelist()}
    sheet = files["xl/worksheets/sheet1.xml"].decode()
    sheet = sheet.replace(
        '<c r="G2" t="inlineStr"><is><t xml:space="preserve">1000.00</t></is></c>',
        '<c r="G2"><f>500*2</f><v>1000</v></c>',
    )
    files["xl/worksheets/sheet1.xml"] = sheet.encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for n, data in files.items():
            target.writestr(n, data)
    batch, _ = _upload(personas, plan, out.getvalue(), "pay.xlsx")
    assert _errors(batch)[0] == (2, ["formula"])


def test_only_a_ruled_plan_is_paid(personas: Personas) -> None:
    make_claim(personas, name="张三", identifier=ZHANG, amount_fen=100_000)
    draft = actions.create_plan(
        actor=personas.administrator,
        case_id=personas.case.pk,
        plan_input=actions.PlanInput(kind="final", available_fen=1_000, available_basis="余额"),
    )
    with pytest.raises(Conflict, match="ruling"):
        _upload(personas, draft, csv_file(GOOD))


@pytest.mark.parametrize(
    ("who", "error"),
    [
        ("judge", PermissionDenied),
        ("clerk", PermissionDenied),
        ("creditor_a", NotFound),
        ("other_administrator", NotFound),
    ],
)
def test_only_the_administrator_uploads(
    personas: Personas, plan: DistributionPlan, who: str, error: type[Exception]
) -> None:
    before = counts()
    with pytest.raises(error):
        actions.upload_batch(
            actor=getattr(personas, who),
            plan_id=plan.pk,
            filename="pay.csv",
            content=csv_file(GOOD),
            paying_account=PAYING_ACCOUNT,
            paying_bank_name=PAYING_BANK,
        )
    assert counts() == before


def test_submit_and_approve_generates_a_valid_pain001(personas: Personas, plan: DistributionPlan) -> None:
    p = personas
    batch, _ = _upload(p, plan, csv_file(GOOD))
    actions.submit_batch(actor=p.administrator, batch_id=batch.pk)
    for who in ("administrator", "assistant", "creditor_a", "outsider"):
        before = counts()
        with pytest.raises((PermissionDenied, NotFound)):
            actions.approve_batch(actor=getattr(p, who), batch_id=batch.pk)
        assert counts() == before
    batch = actions.approve_batch(actor=p.judge, batch_id=batch.pk)
    assert batch.status == BatchStatus.APPROVED and batch.approved_by == p.judge
    assert batch.pain001 is not None
    parsed = read_pain001(bytes(batch.pain001))
    assert parsed.message_id == batch.pk.hex and parsed.control_sum_fen == 400_000
    lines = list(batch_lines(batch))
    assert [(t.end_to_end_id, t.amount_fen, t.payee_name, t.payee_is_person) for t in parsed.transfers] == [
        (lines[0].end_to_end_id, 100_000, "张三", True),
        (lines[1].end_to_end_id, 300_000, "甲供应商有限公司", False),
    ]
    assert parsed.debtor_account == PAYING_ACCOUNT
    with pytest.raises(Conflict):
        actions.approve_batch(actor=p.judge, batch_id=batch.pk)


def test_judge_refuses_with_reasons_and_the_file_can_come_again(personas: Personas, plan: DistributionPlan) -> None:
    p = personas
    batch, _ = _upload(p, plan, csv_file(GOOD))
    actions.submit_batch(actor=p.administrator, batch_id=batch.pk)
    with pytest.raises(DomainError):
        actions.refuse_batch(actor=p.judge, batch_id=batch.pk, reason=" ")
    refused = actions.refuse_batch(actor=p.judge, batch_id=batch.pk, reason="付款账户有误")
    assert refused.status == BatchStatus.REFUSED
    again, created = _upload(p, plan, csv_file(GOOD))
    assert created and again.pk != batch.pk


def test_paying_account_checked(personas: Personas, plan: DistributionPlan) -> None:
    with pytest.raises(DomainError) as refused:
        actions.upload_batch(
            actor=personas.administrator,
            plan_id=plan.pk,
            filename="pay.csv",
            content=csv_file(GOOD),
            paying_account="12-34",
            paying_bank_name=PAYING_BANK,
        )
    assert refused.value.field == "paying_account"
