"""Check digits of resident identity numbers (GB 11643) and unified social credit codes (GB 32100)."""

from __future__ import annotations

import pytest

from smartcourt.core.errors import DomainError
from smartcourt.core.identifiers import (
    credit_code_problem,
    identity_number_problem,
    mask_identity_number,
    mask_phone,
    validate_credit_code,
    validate_identity_number,
)


@pytest.mark.parametrize(
    "number",
    [
        "11010519491231002X",  # the example printed in GB 11643-1999
        "440524188001010014",  # the standard's second example
        "320623198507120019",
        "320602199011230022",
    ],
)
def test_valid_identity_numbers(number: str) -> None:
    assert identity_number_problem(number) is None


@pytest.mark.parametrize(
    ("number", "problem"),
    [
        ("110105194912310021", "check digit is 1, expected X"),
        ("11010519491231002Y", "must be 17 digits followed by a digit or X"),
        ("1101051949123100", "must be 17 digits followed by a digit or X"),
        ("990105194912310021", "region code 990105 is not a Chinese administrative division"),
        ("110105194902300021", "date of birth 19490230 is not a calendar date"),
        ("110105230001010021", "date of birth 23000101 is out of range"),
    ],
)
def test_invalid_identity_numbers_say_why(number: str, problem: str) -> None:
    assert identity_number_problem(number) == problem


@pytest.mark.parametrize(
    "code",
    [
        "914403001922038216",  # 华为技术有限公司
        "9144030071526726XG",  # 深圳市腾讯计算机系统有限公司
        "91330100799655058B",  # 阿里巴巴（中国）有限公司
    ],
)
def test_valid_credit_codes(code: str) -> None:
    assert credit_code_problem(code) is None


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        ("914403001922038217", "check character is 7, expected 6"),
        ("91440300192203821", "must be 18 characters: digits and capital letters other than I, O, S, V, Z"),
        ("9144030019220382I6", "must be 18 characters: digits and capital letters other than I, O, S, V, Z"),
        ("91ABCDEF1922038216", "must be 18 characters: digits and capital letters other than I, O, S, V, Z"),
    ],
)
def test_invalid_credit_codes_say_why(code: str, problem: str) -> None:
    assert credit_code_problem(code) == problem


def test_validators_normalise_and_name_the_field() -> None:
    assert validate_identity_number(" 11010519491231002x") == "11010519491231002X"
    assert validate_credit_code("9144030071526726xg") == "9144030071526726XG"
    with pytest.raises(DomainError) as raised:
        validate_credit_code("914403001922038217", field="debtor_code")
    assert raised.value.field == "debtor_code"
    assert raised.value.message == "Unified social credit code 914403001922038217: check character is 7, expected 6"


def test_masking_keeps_only_what_identifies_the_record() -> None:
    assert mask_identity_number("11010519491231002X") == "110105********002X"
    assert mask_phone("13862700001") == "138****0001"
