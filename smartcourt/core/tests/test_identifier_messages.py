"""The identifier checks' messages in the user's language (pages and forms), beside the English ones."""

from __future__ import annotations

from django.utils import translation

from smartcourt.core.identifiers import credit_code_message, identity_number_message


def test_identity_number_messages_in_chinese_and_english() -> None:
    with translation.override("zh-hans"):
        assert identity_number_message("110105194912310021") == "校验码为 1，按 GB 11643 应为 X"
        assert identity_number_message("990105194912310021") == "地区码 990105 不是我国的行政区划代码"
        assert identity_number_message("11010519491231002X") is None
    with translation.override("en"):
        assert identity_number_message("110105194912310021") == "check digit is 1, expected X"


def test_credit_code_messages() -> None:
    with translation.override("zh-hans"):
        assert credit_code_message("914403001922038210") == "校验码为 0，按 GB 32100 应为 6"
        assert credit_code_message("91440300192203821I") == "应为18位，由数字和除 I、O、S、V、Z 以外的大写字母组成"
        assert credit_code_message("914403001922038216") is None
