"""Checking a payment file line by line against a ruled plan: pure, on the rows of a spreadsheet.

Every line is checked on its own (payee name and identity match the creditor, account and bank present and
well-formed, amount readable, at most two decimals and equal to what the plan pays that creditor, no formula,
no second line for the same payee), then the file as a whole (every payee of the plan present, the total
equal to the plan's). Every error is kept, with its field, so the page can name each one; a file with any
error cannot be submitted.

Errors are stored as codes with parameters and turned into sentences when shown (``error_text``), in the
reader's language."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from smartcourt.banking.iso20022.pain001 import MAX_NAME, MAX_PARTY_ID
from smartcourt.core.lengths import fit
from smartcourt.core.money import MAX_FEN, fen_to_yuan
from smartcourt.core.numbers import fold_full_width
from smartcourt.core.spreadsheets import CellValue
from smartcourt.distributions.models import BatchLine

HEADER = ["序号", "债权人名称", "证件号码", "收款账号", "开户银行", "开户行行号", "分配金额（元）"]
COLUMNS = ["seq", "name", "identity", "account", "bank_name", "bank_code", "amount"]
MAX_LINES = 200_000
# ASCII digits only (core.numbers): full-width ones are folded first, other scripts' are refused.
_ACCOUNT = re.compile(r"^[0-9]{8,32}$", re.ASCII)
_BANK_CODE = re.compile(r"^[0-9]{12}$", re.ASCII)
_AMOUNT = re.compile(r"^([0-9]{1,13})(?:\.([0-9]+))?$", re.ASCII)


@dataclass(frozen=True)
class Payee:
    """What the plan pays one creditor (all his lines together)."""

    creditor_id: str
    name: str
    identity: str
    amount_fen: int


@dataclass
class CheckedLine:
    row: int
    name: str = ""
    identity: str = ""
    account: str = ""
    bank_name: str = ""
    bank_code: str = ""
    amount_text: str = ""
    amount_fen: int | None = None
    creditor_id: str | None = None
    planned_fen: int | None = None
    errors: list[dict[str, Any]] = field(default_factory=list)

    def error(self, column: str, code: str, **params: Any) -> None:
        self.errors.append({"field": column, "code": code, "params": params})


@dataclass
class CheckResult:
    lines: list[CheckedLine]
    file_errors: list[dict[str, Any]]

    @property
    def total_fen(self) -> int:
        return sum(line.amount_fen or 0 for line in self.lines)

    @property
    def error_count(self) -> int:
        return sum(1 for line in self.lines if line.errors)

    @property
    def ok(self) -> bool:
        return not self.file_errors and self.error_count == 0


def _text(value: CellValue) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _amount(line: CheckedLine, value: CellValue) -> None:
    if value is None or value == "":
        line.error("amount", "amount_missing")
        return
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        line.error("amount", "amount_invalid", value=str(value))
        return
    # A number cell is read through its shortest repr (str(float)), never through binary arithmetic; the
    # text is then split into whole yuan and decimals and turned into fen with integers only.
    text = fold_full_width(value).strip() if isinstance(value, str) else str(value)
    # Kept and shown back as written; a text too long for its column (then not an amount anyway) shows its cut.
    line.amount_text = fit(BatchLine, "amount_text", text)
    match = _AMOUNT.match(text)
    if match is None:
        line.error("amount", "amount_invalid", value=line.amount_text)
        return
    whole, decimals = match.group(1), match.group(2) or ""
    if len(decimals) > 2 and decimals[2:].strip("0"):
        line.error("amount", "amount_decimals", value=line.amount_text)
        return
    fen = int(whole) * 100 + int((decimals[:2] or "0").ljust(2, "0"))
    if fen <= 0 or fen > MAX_FEN:
        line.error("amount", "amount_range", value=line.amount_text)
        return
    line.amount_fen = fen


def _header_map(row: Sequence[CellValue]) -> dict[str, int] | None:
    names = [_text(cell) for cell in row]
    found: dict[str, int] = {}
    for column, title in zip(COLUMNS, HEADER, strict=True):
        if title not in names:
            return None
        found[column] = names.index(title)
    return found


@dataclass(frozen=True)
class PaymentRow:
    """One line of a payment file as written: every value whole, so that a value is checked before anything
    shortens it for showing."""

    row: int
    name: str
    identity: str
    account: str
    bank_name: str
    bank_code: str
    amount: CellValue
    account_is_number: bool
    formula_columns: tuple[str, ...]

    @classmethod
    def read(
        cls,
        index: int,
        row: Sequence[CellValue],
        *,
        columns: dict[str, int],
        formulas: frozenset[tuple[int, int]],
    ) -> PaymentRow:
        def cell(column: str) -> CellValue:
            position = columns[column]
            return row[position] if position < len(row) else None

        return cls(
            row=index + 1,
            name=_text(cell("name")),
            identity=_text(cell("identity")).upper(),
            account=_text(cell("account")).replace(" ", ""),
            bank_name=_text(cell("bank_name")),
            bank_code=_text(cell("bank_code")),
            amount=cell("amount"),
            account_is_number=isinstance(cell("account"), int | float),
            formula_columns=tuple(column for column, position in columns.items() if (index, position) in formulas),
        )

    def cleaned(self) -> CheckedLine:
        """The line to keep and show, with the problems of its own form: formulas, lengths, the amount."""
        line = CheckedLine(row=self.row)
        for column in self.formula_columns:
            line.error(column, "formula")
        # What the bank file (pain.001) carries is bounded by ISO 20022: a longer value is an error on its line,
        # never cut. (Only the text kept for showing the line is shortened, visibly, and that line cannot be paid.)
        for column, value, maximum in (
            ("name", self.name, MAX_NAME),
            ("identity", self.identity, MAX_PARTY_ID),
            ("bank_name", self.bank_name, MAX_NAME),
        ):
            if len(value) > maximum:
                line.error(column, "too_long", length=len(value), max=maximum)
        line.name = fit(BatchLine, "payee_name", self.name)
        line.identity = fit(BatchLine, "payee_identity", self.identity)
        line.account, line.bank_code = (
            fit(BatchLine, "account", self.account),
            fit(BatchLine, "bank_code", self.bank_code),
        )
        line.bank_name = fit(BatchLine, "bank_name", self.bank_name)
        _amount(line, self.amount)
        return line

    def check_transfer_fields(self, line: CheckedLine) -> None:
        """What the bank needs to pay the line: a name, an account of digits, a bank, a well-formed CNAPS code."""
        if not line.name:
            line.error("name", "name_missing")
        if self.account_is_number:
            line.error("account", "account_as_number")
        elif not line.account:
            line.error("account", "account_missing")
        elif not _ACCOUNT.match(self.account):  # the whole value: a shortened one could pass
            line.error("account", "account_malformed", value=line.account)
        if not line.bank_name:
            line.error("bank_name", "bank_missing")
        if self.bank_code and not _BANK_CODE.match(self.bank_code):
            line.error("bank_code", "bank_code_malformed", value=line.bank_code)


def _match_payee(line: CheckedLine, payee: Payee | None, seen: dict[str, int]) -> None:
    """The line against the plan: a known payee, under his name, for his amount, once."""
    if not line.identity:
        line.error("identity", "identity_missing")
        return
    if payee is None:
        line.error("identity", "identity_unknown", identity=line.identity)
        return
    line.creditor_id = payee.creditor_id
    line.planned_fen = payee.amount_fen
    if line.name != payee.name:
        line.error("name", "name_mismatch", expected=payee.name, given=line.name)
    if line.amount_fen is not None and line.amount_fen != payee.amount_fen:
        line.error(
            "amount",
            "amount_mismatch",
            given=fen_to_yuan(line.amount_fen),
            planned=fen_to_yuan(payee.amount_fen),
        )
    if line.identity in seen:
        line.error("identity", "duplicate_payee", first_row=seen[line.identity])
    else:
        seen[line.identity] = line.row


def _data_rows(rows: Sequence[Sequence[CellValue]]) -> tuple[dict[str, int], list[tuple[int, Sequence[CellValue]]]]:
    """The header's columns and the non-empty rows below it; _FileRefused when there is nothing to check."""
    start = next((i for i, row in enumerate(rows) if any(_text(c) for c in row)), None)
    columns = _header_map(rows[start]) if start is not None else None
    if start is None or columns is None:
        raise _FileRefused("header_missing", {"header": " | ".join(HEADER)})
    data = [(index, row) for index, row in enumerate(rows) if index > start and any(_text(c) for c in row)]
    if not data:
        raise _FileRefused("no_lines", {})
    if len(data) > MAX_LINES:
        raise _FileRefused("too_many_lines", {"max": MAX_LINES})
    return columns, data


class _FileRefused(Exception):
    """A payment file with nothing to check line by line: its one file error."""

    def __init__(self, code: str, params: dict[str, Any]) -> None:
        super().__init__(code)
        self.code, self.params = code, params


def check_rows(
    rows: Sequence[Sequence[CellValue]], *, formulas: frozenset[tuple[int, int]], payees: Sequence[Payee]
) -> CheckResult:
    """Check the rows of a payment file (first non-empty row: the header, as in the template)."""
    file_errors: list[dict[str, Any]] = []
    try:
        columns, data = _data_rows(rows)
    except _FileRefused as refused:
        return CheckResult(lines=[], file_errors=[{"code": refused.code, "params": refused.params}])
    by_identity = {payee.identity.upper(): payee for payee in payees}
    seen: dict[str, int] = {}
    lines: list[CheckedLine] = []
    for index, row in data:
        values = PaymentRow.read(index, row, columns=columns, formulas=formulas)
        line = values.cleaned()
        # Matched on the whole identity: a shortened one could match another payee.
        _match_payee(line, by_identity.get(values.identity), seen)
        values.check_transfer_fields(line)
        lines.append(line)
    for payee in payees:
        if payee.identity.upper() not in seen:
            file_errors.append(
                {"code": "payee_missing", "params": {"name": payee.name, "amount": fen_to_yuan(payee.amount_fen)}}
            )
    planned = sum(payee.amount_fen for payee in payees)
    total = sum(line.amount_fen or 0 for line in lines)
    if total != planned:
        file_errors.append(
            {"code": "total_mismatch", "params": {"total": fen_to_yuan(total), "planned": fen_to_yuan(planned)}}
        )
    return CheckResult(lines=lines, file_errors=file_errors)


def error_text(error: dict[str, Any]) -> str:
    """One stored error as a sentence in the active language."""
    texts = {
        "header_missing": _("The header row is missing or differs from the template: %(header)s"),
        "no_lines": _("The file has no payment lines"),
        "too_many_lines": _("The file has more than %(max)s lines"),
        "payee_missing": _("%(name)s is paid %(amount)s yuan by the plan but has no line in the file"),
        "total_mismatch": _("The file totals %(total)s yuan; the plan pays %(planned)s yuan"),
        "formula": _("The cell holds a formula; enter the value itself"),
        "identity_missing": _("Identity number or credit code missing"),
        "identity_unknown": _("%(identity)s is not a creditor paid by this plan"),
        "name_missing": _("Payee name missing"),
        "too_long": _(
            "%(length)s characters: a bank transfer file (ISO 20022) carries at most %(max)s here; shorten it "
            "as the bank registered it"
        ),
        "name_mismatch": _("The name %(given)s does not match the creditor %(expected)s"),
        "account_missing": _("Bank account missing"),
        "account_as_number": _("The account is a number cell; enter it as text so no digit is lost"),
        "account_malformed": _("Account %(value)s is not 8 to 32 digits"),
        "bank_missing": _("Bank name missing"),
        "bank_code_malformed": _("Bank code %(value)s is not 12 digits"),
        "amount_missing": _("Amount missing"),
        "amount_invalid": _("%(value)s is not an amount in yuan"),
        "amount_decimals": _("%(value)s has more than two decimals"),
        "amount_range": _("%(value)s is not a positive amount within range"),
        "amount_mismatch": _("The amount %(given)s differs from the plan's %(planned)s yuan"),
        "duplicate_payee": _("Second line for this payee (first on row %(first_row)s)"),
    }
    template = texts.get(error.get("code", ""), _("Unknown error"))
    try:
        return template % error.get("params", {})
    except (KeyError, TypeError, ValueError):
        return template
