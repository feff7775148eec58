"""Checking an imported creditor list line by line: every problem is named by its line and its cell, and an
import with any problem imports nothing (the action refuses the whole file)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from smartcourt.claims.choices import ClaimNature, CreditorKind, CreditorSource
from smartcourt.core.identifiers import credit_code_problem, identity_number_problem, normalise_identifier
from smartcourt.core.money import MAX_FEN
from smartcourt.core.numbers import strict_decimal
from smartcourt.core.spreadsheets import DANGEROUS_PREFIXES, CellValue, Sheet, column_letter

MAX_ROWS = 50_000
MAX_PROBLEMS = 200

# Column headers as the template gives them, per list.
DEBTOR_LIST_COLUMNS = ["债权人名称", "类型", "证件号码", "联系电话", "银行账号", "债权性质", "本金", "利息"]
EMPLOYEE_LIST_COLUMNS = ["姓名", "身份证号码", "联系电话", "银行账号", "工资", "社会保险", "经济补偿金"]
COLUMNS: dict[str, list[str]] = {
    CreditorSource.DEBTOR_LIST: DEBTOR_LIST_COLUMNS,
    CreditorSource.EMPLOYEE_LIST: EMPLOYEE_LIST_COLUMNS,
}

KIND_WORDS = {
    "个人": CreditorKind.NATURAL_PERSON,
    "自然人": CreditorKind.NATURAL_PERSON,
    "单位": CreditorKind.ORGANISATION,
}
NATURE_WORDS = {
    "普通": ClaimNature.ORDINARY,
    "普通债权": ClaimNature.ORDINARY,
    "有财产担保": ClaimNature.SECURED,
    "担保债权": ClaimNature.SECURED,
    "职工": ClaimNature.EMPLOYEE,
    "职工债权": ClaimNature.EMPLOYEE,
    "社保税款": ClaimNature.SOCIAL_INSURANCE_TAX,
    "税款": ClaimNature.SOCIAL_INSURANCE_TAX,
}
_SCIENTIFIC = re.compile(r"^[0-9]+(\.[0-9]+)?[eE][+-]?[0-9]+$", re.ASCII)
_PHONE = re.compile(r"^[0-9][0-9 ()\-]{4,19}$")
_ACCOUNT = re.compile(r"^[0-9A-Za-z]{6,40}$")


@dataclass(frozen=True)
class Problem:
    line: int
    cell: str  # e.g. "C7 (证件号码)", or "" for the whole line or file
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", cell {self.cell}" if self.cell else "")
        return f"{where}: {self.message}"


@dataclass
class ParsedRow:
    line: int
    kind: str
    name: str
    identifier: str
    phone: str
    account: str
    nature: str
    principal_fen: int
    interest_fen: int
    other_fen: int


@dataclass
class ParsedList:
    rows: list[ParsedRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _text(value: CellValue) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _number(text: str) -> Decimal | None:
    """A number cell's shortest repr (it may have an exponent: 1e+20) as a Decimal, never through a float."""
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


class _Row:
    def __init__(self, parsed: ParsedList, sheet: Sheet, index: int, headers: list[str]) -> None:
        self.parsed = parsed
        self.sheet = sheet
        self.index = index
        self.line = index + 1
        self.values = sheet.rows[index]
        self.headers = headers
        self.ok = True

    def cell(self, col: int) -> str:
        return f"{column_letter(col)}{self.line} ({self.headers[col]})"

    def problem(self, col: int, message: str) -> None:
        self.ok = False
        self.parsed.problems.append(Problem(self.line, self.cell(col), message))

    def raw(self, col: int) -> CellValue:
        return self.values[col] if col < len(self.values) else None

    def text(self, col: int, *, required: bool = True) -> str:
        """A text cell; refuses formulas and text that a spreadsheet would run as one."""
        if (self.index, col) in self.sheet.formulas:
            self.problem(col, _("holds a formula; enter the value itself"))
            return ""
        value = _text(self.raw(col))
        if value.startswith(DANGEROUS_PREFIXES):
            self.problem(
                col, _("starts with %(char)s; a cell may not start with = + - or @") % {"char": repr(value[0])}
            )
            return ""
        if required and not value:
            self.problem(col, _("is empty"))
        return value

    def digits(self, col: int, *, required: bool, pattern: re.Pattern[str], what: str) -> str:
        """Account and phone numbers: text only; a number cell has lost leading zeros or digits."""
        raw = self.raw(col)
        if isinstance(raw, int | float) and not isinstance(raw, bool) and (self.index, col) not in self.sheet.formulas:
            self.problem(
                col, _("%(what)s is stored as a number; format the column as text and enter it again") % {"what": what}
            )
            return ""
        value = self.text(col, required=required)
        if value and _SCIENTIFIC.match(value):
            self.problem(
                col,
                _("%(what)s %(value)s was saved as a number in scientific notation; digits are lost")
                % {"what": what, "value": value},
            )
            return ""
        if value and not pattern.match(value):
            self.problem(col, _("%(value)s is not a valid %(what)s") % {"value": repr(value), "what": what})
            return ""
        return value

    def amount(self, col: int) -> int:
        if (self.index, col) in self.sheet.formulas:
            self.problem(col, _("holds a formula; enter the value itself"))
            return 0
        raw = self.raw(col)
        if raw is None or raw == "":
            return 0
        if isinstance(raw, (bool, dt.date | dt.time | dt.timedelta)):
            self.problem(col, _("is not an amount"))
            return 0
        text = _text(raw).replace(",", "") if isinstance(raw, str) else str(raw)
        if text.startswith(DANGEROUS_PREFIXES):
            self.problem(
                col, _("starts with %(char)s; amounts are positive numbers without a sign") % {"char": repr(text[0])}
            )
            return 0
        # Strict: ASCII digits (full-width folded above), no exponent, no other script's digits.
        amount = strict_decimal(text) if isinstance(raw, str) else _number(text)
        if amount is None or not amount.is_finite():
            self.problem(col, _("%(text)s is not an amount in yuan") % {"text": repr(text)})
            return 0
        fen = amount * 100
        if fen != fen.to_integral_value():
            self.problem(col, _("%(text)s has more than two decimals") % {"text": text})
            return 0
        if abs(fen) > MAX_FEN:
            self.problem(col, _("%(text)s is out of range") % {"text": text})
            return 0
        return int(fen)


def parse_list(sheet: Sheet, source: str) -> ParsedList:
    """Check every line of a debtor's creditor list or an employee list; collect every problem."""
    expected = COLUMNS[source]
    parsed = ParsedList()
    rows = sheet.rows
    if not rows:
        parsed.problems.append(Problem(1, "", _("the file is empty")))
        return parsed
    headers = [_text(value) for value in rows[0]]
    while headers and not headers[-1]:
        headers.pop()
    if headers != expected:
        parsed.problems.append(
            Problem(
                1,
                "",
                _("wrong columns: expected %(expected)s; found %(found)s")
                % {"expected": " | ".join(expected), "found": " | ".join(headers) or "(none)"},
            )
        )
        return parsed
    if len(rows) - 1 > MAX_ROWS:
        parsed.problems.append(Problem(1, "", _("at most %(max_rows)s lines per file") % {"max_rows": MAX_ROWS}))
        return parsed
    seen: dict[str, int] = {}
    for index in range(1, len(rows)):
        if all(_text(value) == "" for value in rows[index]) and not any(
            (index, col) in sheet.formulas for col in range(len(expected))
        ):
            continue
        row = _Row(parsed, sheet, index, expected)
        item = _debtor_row(row) if source == CreditorSource.DEBTOR_LIST else _employee_row(row)
        if item is not None and item.identifier:
            id_col = 2 if source == CreditorSource.DEBTOR_LIST else 1
            if item.identifier in seen:
                row.problem(
                    id_col,
                    _("duplicate creditor: %(identifier)s is already on line %(line)s")
                    % {"identifier": item.identifier, "line": seen[item.identifier]},
                )
            else:
                seen[item.identifier] = row.line
        if item is not None and row.ok:
            parsed.rows.append(item)
        if len(parsed.problems) >= MAX_PROBLEMS:
            parsed.problems.append(
                Problem(row.line, "", _("stopped after %(max_problems)s problems") % {"max_problems": MAX_PROBLEMS})
            )
            break
    if not parsed.rows and not parsed.problems:
        parsed.problems.append(Problem(2, "", _("the file has no creditor lines")))
    return parsed


def _identifier(row: _Row, col: int, kind: str) -> str:
    raw = row.raw(col)
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        row.problem(col, _("the identity number is stored as a number; format the column as text and enter it again"))
        return ""
    value = normalise_identifier(row.text(col))
    if not value:
        return ""
    problem = identity_number_problem(value) if kind == CreditorKind.NATURAL_PERSON else credit_code_problem(value)
    if problem:
        row.problem(col, _("%(value)s: %(problem)s") % {"value": value, "problem": problem})
        return ""
    return value


def _debtor_row(row: _Row) -> ParsedRow | None:
    name = row.text(0)
    kind_word = row.text(1)
    kind = KIND_WORDS.get(kind_word, kind_word if kind_word in CreditorKind.values else "")
    if kind_word and not kind:
        row.problem(1, _("%(kind_word)s is not 个人 or 单位") % {"kind_word": repr(kind_word)})
    identifier = _identifier(row, 2, kind) if kind else row.text(2)
    phone = row.digits(3, required=False, pattern=_PHONE, what=_("phone number"))
    account = row.digits(4, required=False, pattern=_ACCOUNT, what=_("account number"))
    nature_word = row.text(5, required=False)
    nature = NATURE_WORDS.get(nature_word, nature_word if nature_word in ClaimNature.values else "")
    if nature_word and not nature:
        row.problem(
            5,
            _("%(nature_word)s is not a claim nature (普通, 有财产担保, 职工, 社保税款)")
            % {"nature_word": repr(nature_word)},
        )
    principal = row.amount(6)
    interest = row.amount(7)
    if len(name) > 200:
        row.problem(0, _("at most 200 characters"))
    return ParsedRow(
        line=row.line,
        kind=kind,
        name=name,
        identifier=identifier,
        phone=phone,
        account=account,
        nature=nature or ClaimNature.ORDINARY,
        principal_fen=principal,
        interest_fen=interest,
        other_fen=0,
    )


def _employee_row(row: _Row) -> ParsedRow | None:
    name = row.text(0)
    identifier = _identifier(row, 1, CreditorKind.NATURAL_PERSON)
    phone = row.digits(2, required=False, pattern=_PHONE, what=_("phone number"))
    account = row.digits(3, required=False, pattern=_ACCOUNT, what=_("account number"))
    wages = row.amount(4)
    social = row.amount(5)
    compensation = row.amount(6)
    if len(name) > 200:
        row.problem(0, _("at most 200 characters"))
    return ParsedRow(
        line=row.line,
        kind=CreditorKind.NATURAL_PERSON,
        name=name,
        identifier=identifier,
        phone=phone,
        account=account,
        nature=ClaimNature.EMPLOYEE,
        principal_fen=wages,
        interest_fen=0,
        other_fen=social + compensation,
    )
