"""Filters the document templates may use: dates in Chinese numerals and amounts in 人民币大写."""

from __future__ import annotations

import datetime as dt

from django import template

from smartcourt.documents import chinese

register = template.Library()

BLANK_DATE = "____年__月__日"


@register.filter
def cn_date(value: dt.date | None) -> str:
    """A date as 二〇二六年十一月二十八日; a date the case does not have yet prints as a blank to fill in."""
    if value is None or value == "":
        return BLANK_DATE
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        return str(value)
    return chinese.chinese_date(value)


@register.filter
def rmb_upper(value: int | str | None) -> str:
    """An amount in fen as 人民币大写."""
    if value is None or value == "":
        return "________"
    return chinese.rmb_upper(int(value))
