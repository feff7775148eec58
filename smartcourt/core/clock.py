"""The platform's clock, and the one way to set it back: the demo tells its cases' stories at past dates.

Every module reads the time through ``django.utils.timezone.now()`` (directly, through ``timezone.localdate()``
and ``localtime()``, and through ``auto_now``/``auto_now_add`` fields: Django's own fields call it), so that
function is the seam: ``set_back`` swaps it, for the duration of a ``with`` block, for one that answers the
moment the caller chose (running on from it as real time passes, so that code measuring a duration still sees
one). Nothing else is patched: ``time.time()`` and ``datetime.now()`` keep the real time, and with them what
outside parties check against their own clocks (the bank protocol's signed requests and approval tokens, RFC 3161
timestamps, the seal certificates' validity). Production code never sets the clock; the demo seed does
(``smartcourt.demo.timeline``). A test patches with time-machine as before.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.utils import timezone

from smartcourt.core.dates import SHANGHAI, shanghai_day

# (the moment chosen, the real monotonic time it was chosen at); None: the real clock.
_set_to: contextvars.ContextVar[tuple[dt.datetime, float] | None] = contextvars.ContextVar("clock", default=None)
_real_now: Callable[[], dt.datetime] = timezone.now


def _now() -> dt.datetime:
    chosen = _set_to.get()
    if chosen is None:
        return _real_now()
    moment, since = chosen
    return moment + dt.timedelta(seconds=time.monotonic() - since)


class Clock:
    """The clock inside ``set_back``, moved on by the caller from one step of the story to the next."""

    def __init__(self, start: dt.datetime) -> None:
        self._token = _set_to.set((start, time.monotonic()))

    def now(self) -> dt.datetime:
        return _now()

    def real_today(self) -> dt.date:
        """Today by the real clock (the Shanghai calendar day): where the story told along this clock ends."""
        return shanghai_day(_real_now())

    def move_to(self, moment: dt.datetime) -> None:
        if moment > _real_now():
            raise ValueError("the clock is only ever set back, never ahead")
        _set_to.set((moment, time.monotonic()))

    def move_to_day(self, day: dt.date, hour: int = 9, minute: int = 0) -> None:
        """Move to ``hour:minute`` of the Shanghai calendar ``day``."""
        self.move_to(dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SHANGHAI))

    def _reset(self) -> None:
        _set_to.reset(self._token)


@contextmanager
def set_back(start: dt.datetime) -> Iterator[Clock]:
    """Run the block with the platform's clock at ``start`` (an aware moment in the past), moved on by the
    caller; the real clock again after it."""
    if timezone.is_naive(start):
        raise ValueError("the clock is set to an aware moment")
    if start > _real_now():
        raise ValueError("the clock is only ever set back, never ahead")
    installed = timezone.now is _now
    timezone.now = _now
    clock = Clock(start)
    try:
        yield clock
    finally:
        clock._reset()
        if not installed:
            timezone.now = _real_now
