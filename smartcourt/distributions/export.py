"""Payment files for a ruled plan: the prefilled file (xlsx or csv) the administrator completes with bank
details and uploads back, and an empty template with the same columns."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from smartcourt.core.spreadsheets import safe_text, write_xlsx
from smartcourt.distributions.models import DistributionPlan
from smartcourt.distributions.payment_file_check import HEADER
from smartcourt.distributions.selectors import payee_accounts, payees_of


def _rows(plan: DistributionPlan) -> list[list[str | int | Decimal | None]]:
    accounts = payee_accounts(plan)
    return [
        # Amounts as text with two decimals: a spreadsheet program keeps them exactly as written.
        [
            str(index),
            payee.name,
            payee.identity,
            accounts.get(payee.creditor_id, ""),
            "",
            "",
            f"{Decimal(payee.amount_fen) / 100:.2f}",
        ]
        for index, payee in enumerate(payees_of(plan), start=1)
    ]


def payment_file_xlsx(plan: DistributionPlan) -> bytes:
    return write_xlsx([list(HEADER), *_rows(plan)], sheet_name="分配付款清单")


def payment_file_csv(plan: DistributionPlan) -> bytes:
    """UTF-8 with a byte-order mark, so that spreadsheet programs in Chinese locales open it right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    for row in _rows(plan):
        writer.writerow([safe_text(str(cell or "")) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def template_xlsx() -> bytes:
    example = ["1", "张三", "320623198001010011", "6222020000000001", "中国银行如东支行", "104306200021", "1000.00"]
    return write_xlsx([list(HEADER), example], sheet_name="分配付款清单")
