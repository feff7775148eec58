"""The claims table (债权表) as an xlsx workbook: the same rows and masking as the page."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from smartcourt.cases.models import Case
from smartcourt.claims.choices import ClaimNature, ClaimStatus
from smartcourt.claims.selectors import claims_table, lead_debtor_name, table_rows
from smartcourt.core.identifiers import mask_identity_number
from smartcourt.core.spreadsheets import write_xlsx

HEADER = [
    "登记号",
    "债权人",
    "证件号码",
    "申报性质",
    "担保物",
    "申报金额（元）",
    "确认性质",
    "确认金额（元）",
    "状态",
    "补充申报",
]


def _yuan(fen: int) -> Decimal:
    return Decimal(fen) / 100


def claims_table_xlsx(case: Case, *, step: Callable[[], None] | None = None, rows_per_step: int = 500) -> bytes:
    """The workbook; ``step`` is called every ``rows_per_step`` claims and once at the end (the background
    worker's progress bar, smartcourt.exports)."""
    # A merged bankruptcy's combined table names, last, the debtor that owed each claim and, for a claim moved in
    # from that debtor's own case, its number there (SPC Minutes 法〔2018〕53号 para. 36).
    lead = lead_debtor_name(case)
    header: list[str | int | Decimal | None] = [*HEADER, "债务人", "原案登记号"] if lead else list(HEADER)
    rows: list[list[str | int | Decimal | None]] = [[f"{case.number} {case.title} 债权表"], header]
    for index, claim in enumerate(table_rows(case).iterator(chunk_size=2000), start=1):
        if step is not None and index % rows_per_step == 0:
            step()
        owed: list[str | int | Decimal | None] = []
        if lead:
            owed = [claim.owed_by.name if claim.owed_by else lead, claim.original_number]
        rows.append(
            [
                claim.number,
                claim.creditor.name,
                mask_identity_number(claim.creditor.identifier),
                str(ClaimNature(claim.nature).label),
                claim.collateral,
                _yuan(claim.declared_total_fen),
                str(ClaimNature(claim.confirmed_nature).label) if claim.confirmed_nature else "",
                _yuan(claim.confirmed_total_fen),
                str(ClaimStatus(claim.status).label),
                "是" if claim.late else "",
                *owed,
            ]
        )
    table = claims_table(case)
    rows.append([])
    for item in table.classes:
        rows.append(["", f"{item.label} 合计", "", "", "", _yuan(item.declared_fen), "", _yuan(item.confirmed_fen)])
    rows.append(["", "总计", "", "", "", _yuan(table.declared_fen), "", _yuan(table.confirmed_fen)])
    workbook = write_xlsx(rows, sheet_name="债权表")
    if step is not None:
        step()
    return workbook
