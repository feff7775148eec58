"""The court's calendar day. The platform stores aware times in UTC; the day a limit, a deadline or a document
counts is the Asia/Shanghai calendar day (China has one time zone, and it has no daylight saving)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def shanghai_day(moment: dt.datetime) -> dt.date:
    """The Asia/Shanghai calendar day of the aware ``moment``, whatever the process's time zone."""
    return moment.astimezone(SHANGHAI).date()
