"""Filters the document templates may use: dates in Chinese numerals and amounts in 人民币大写."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils.translation import gettext

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


@register.filter
def service_error(error: str) -> str:
    """A delivery's failure as its recipient's clerk reads it: the reason when the platform knows it, otherwise
    that a technical failure is retried automatically (the detail is in the log, not for the page)."""
    from smartcourt.documents.actions import SERVICE_ERRORS

    if error in SERVICE_ERRORS:
        return gettext(error)
    return gettext("Technical failure: the platform tries again automatically.")


@register.filter
def channel_labels(channels: list[str]) -> str:
    from smartcourt.documents.choices import Channel

    return " · ".join(str(Channel(c).label) if c in Channel.values else c for c in channels or [])
