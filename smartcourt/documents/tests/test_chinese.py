from __future__ import annotations

import datetime as dt

import pytest

from smartcourt.documents.chinese import chinese_date, rmb_upper
from smartcourt.documents.templatetags.document_filters import BLANK_DATE, cn_date
from smartcourt.documents.templatetags.document_filters import rmb_upper as rmb_filter


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (dt.date(2026, 11, 28), "二〇二六年十一月二十八日"),
        (dt.date(2020, 10, 10), "二〇二〇年十月十日"),
        (dt.date(2000, 1, 1), "二〇〇〇年一月一日"),
        (dt.date(2019, 12, 31), "二〇一九年十二月三十一日"),
        (dt.date(2026, 2, 20), "二〇二六年二月二十日"),
        (dt.date(2026, 3, 19), "二〇二六年三月十九日"),
    ],
)
def test_chinese_date(day: dt.date, text: str) -> None:
    assert chinese_date(day) == text


def test_cn_date_filter_blank_for_unknown_date() -> None:
    assert cn_date(None) == BLANK_DATE
    assert cn_date(dt.date(2026, 11, 28)) == "二〇二六年十一月二十八日"


@pytest.mark.parametrize(
    ("fen", "text"),
    [
        (123456789, "壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分"),
        (100, "壹元整"),
        (0, "零元整"),
        (100000000, "壹佰万元整"),
        (150, "壹元伍角"),
    ],
)
def test_rmb_upper(fen: int, text: str) -> None:
    assert rmb_upper(fen) == text
    assert rmb_filter(fen) == text


def test_rmb_upper_refuses_floats() -> None:
    with pytest.raises(TypeError):
        rmb_upper(1.5)  # type: ignore[arg-type]
