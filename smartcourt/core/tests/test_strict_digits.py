"""Issue 15.7: numbers are read one way everywhere. Full-width digits typed by a Chinese input method are folded
on purpose; any other script's digits (Arabic-Indic ١٢٣, Thai ๑๒๓, Devanagari १२३), which Python's ``\\d`` and
``Decimal()`` both accept, are refused wherever a number, an amount, a date, a code or a case number is read."""

from __future__ import annotations

import re
import tokenize
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from smartcourt.accounts.forms import TotpCodeForm
from smartcourt.banking.iso20022._xml import text_fen
from smartcourt.banking.iso20022.safe_xml import XmlRefused
from smartcourt.cases.choices import CaseType
from smartcourt.cases.numbers import parse_case_number
from smartcourt.core.errors import DomainError
from smartcourt.core.forms import StrictDecimalField
from smartcourt.evaluation.formula import check_weights
from smartcourt.rules.schemas import _iso_date

ARABIC_INDIC = "١٢"  # 12 in Arabic-Indic digits: Decimal("١٢") == 12 and re.match(r"\d+", "١٢") matches
THAI = "๑๒"


def test_the_field_folds_full_width_and_refuses_other_scripts() -> None:
    field = StrictDecimalField(min_value=Decimal(0), max_value=Decimal(100), decimal_places=2)
    assert field.clean("１２．５") == Decimal("12.5")
    assert field.clean(" 3 ") == Decimal(3)
    for typed in (ARABIC_INDIC, THAI, "1e1", "NaN", "1_0", "+5"):
        with pytest.raises(ValidationError) as refused:
            field.clean(typed)
        assert refused.value.code == "invalid"
    with pytest.raises(ValidationError) as refused:
        field.clean("100.01")
    assert [error.code for error in refused.value.error_list] == ["max_value"]  # the bounds still apply


def test_formula_weights_are_strict() -> None:
    assert check_weights({"breaches": "５", "returned": Decimal("0.5"), "reversals": 2}) == {
        "breaches": "5",
        "returned": "0.5",
        "reversals": "2",
    }
    for raw in (ARABIC_INDIC, "1E1", "Infinity", 1.5, True, None):
        with pytest.raises(DomainError) as refused:
            check_weights({"breaches": raw})
        assert refused.value.field == "weights"
    with pytest.raises(DomainError) as refused:
        check_weights({"breaches": "101"})
    assert refused.value.field == "weights"


def test_the_formula_form_refuses_other_scripts_digits() -> None:
    from smartcourt.evaluation.forms import FormulaForm

    data = {"answer_within_hours": "48", "explanation": "第二版", "w_breaches": ARABIC_INDIC}
    form = FormulaForm(data)
    assert not form.is_valid()
    assert "w_breaches" in form.errors
    form = FormulaForm({**data, "w_breaches": "５"})
    form.is_valid()
    assert "w_breaches" not in form.errors
    assert form.cleaned_data["w_breaches"] == Decimal(5)


def test_iso20022_amounts_are_ascii_digits_only() -> None:
    assert text_fen("1234.50", where="Amt") == 123450
    for text in (f"{ARABIC_INDIC}.00", "12.00\n", "１２.00"):
        with pytest.raises(XmlRefused):
            text_fen(text, where="Amt")


def test_case_numbers_fold_full_width_and_refuse_other_scripts() -> None:
    assert parse_case_number("（２０２６）苏０６２３破１２号") == (2026, "苏0623", CaseType.BANKRUPTCY, 12)
    assert parse_case_number(f"(2026)苏0623破{ARABIC_INDIC}号") is None
    assert parse_case_number("(2026)苏0623破12号\n") == (2026, "苏0623", CaseType.BANKRUPTCY, 12)  # trimmed


def test_dates_and_second_factor_codes_are_ascii_digits_only() -> None:
    with pytest.raises(ValueError):
        _iso_date(f"2026-01-{ARABIC_INDIC}")
    with pytest.raises(ValueError):
        _iso_date("2026-01-12\n")
    assert not TotpCodeForm({"code": "١٢٣٤٥٦"}).is_valid()
    form = TotpCodeForm({"code": "１２３ ４５６"})
    assert form.is_valid() and form.cleaned_data["code"] == "123456"


def test_no_pattern_in_the_platform_uses_backslash_d() -> None:
    # The regression guard: a raw string (how every pattern here is written) with \d in the platform's code,
    # tests aside, would take every script's digits again.
    root = Path(__file__).resolve().parents[3]
    offenders = []
    for folder in ("smartcourt", "partnerproto", "sandbox", "config", "scripts"):
        for path in (root / folder).rglob("*.py"):
            if "tests" in path.parts:
                continue
            with path.open("rb") as source:
                for token in tokenize.tokenize(source.readline):
                    raw = token.type == tokenize.STRING and "r" in token.string.split(token.string[-1])[0].lower()
                    if raw and re.search(r"(?<!\\)\\d", token.string):
                        offenders.append(f"{path.relative_to(root)}:{token.start[0]}")
    assert offenders == []
